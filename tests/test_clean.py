"""Clean: pages split into articles; boilerplate judged by what a line is."""
from __future__ import annotations

import pytest

from rasd.clean import Line, classify, split_articles, article_lines
from rasd.ingest import make_document, read_inputs
from rasd.records import Document

from conftest import PAGES, SEEDS


def doc_of(text: str, doc_id: str = "t.txt") -> Document:
    return make_document(doc_id, text, kind="text", source=doc_id)


def kinds(text: str) -> str:
    return classify(Line(0, len(text), text), arabic_page=True)


BODY = ("قال مصدر أمني في محافظة الأنبار إن القوات العراقية استعادت السيطرة على ثلاث قرى غرب مدينة "
        "الرمادي بعد اشتباكات استمرت ساعات مع عناصر تنظيم داعش، مشيراً إلى مقتل عدد من المسلحين.")
BODY2 = ("وأضاف المصدر أن طيران التحالف الدولي نفذ ضربات جوية على مواقع التنظيم في المنطقة، فيما "
         "نزحت عشرات العائلات من القرى المجاورة باتجاه مدينة الرمادي هرباً من المعارك الدائرة هناك.")
BODY3 = ("وأوضح أن فرق الهندسة العسكرية بدأت بتفكيك العبوات الناسفة التي زرعها التنظيم في الطرق "
         "والمنازل، تمهيداً لعودة السكان إلى قراهم خلال الأيام المقبلة بحسب المصدر.")


@pytest.mark.parametrize("line,kind", [
    ("TT", "widget"), ("ت + ت - الحجم الطبيعي", "widget"), ("Email", "widget"), ("XS", "widget"),
    ("Accessibility links", "widget"), ("Share this article", "widget"), ("A+ A-", "widget"),
    ("مقالات ذات صلة", "related"), ("اقرأ أيضاً:", "related"), ("Related articles", "related"),
    ("يمكنكم التواصل معنا عبر البريد الإلكتروني", "footer"), ("إظهار التعليقات", "footer"),
    ("© 2017 جميع الحقوق محفوظة", "footer"),
    ("عنصران أمنيان خلال مواجهة مع مسلحي «داعش» على أطراف الرمادي أول من أمس (أ.ب)", "caption"),
    ("قوات عراقية أثناء تقدمها في الصحراء الغربية/وكالة الصحافة الفرنسية", "caption"),
    ("■ صورة صادرة عن دائرة مكافحة الإرهاب العراقية | أ ب", "caption"),
    ("بقلم علي قيس:", "byline"), ("علي بردى (واشنطن)", "byline"), ("«الشرق الأوسط» (دمشق)", "byline"),
    ("3", "separator"), ("***", "separator"), ("٢٠١٧", "separator"),
    ("رفع العلم", "heading"), ("تحرير 77 قرية", "heading"),
    (BODY, "para"), ("أعدم التنظيم خمسة أشخاص في المدينة.", "para"),
])
def test_line_kinds(line, kind):
    assert kinds(line) == kind


def test_page_head_title_subtitle_and_repeated_headline():
    page = "\n".join(["عنوان الخبر عن معارك الأنبار", "", "عنوان فرعي يشرح الخبر", "",
                      "صورة لجنود في الأنبار (رويترز)", "صورة لجنود في الأنبار (رويترز)", "TT", "",
                      "عنوان الخبر عن معارك الأنبار", "", BODY, "", BODY2])
    arts = split_articles(doc_of(page))
    assert len(arts) == 1
    a = arts[0]
    assert a.title == "عنوان الخبر عن معارك الأنبار"
    assert page[a.subtitle_span.start:a.subtitle_span.end] == "عنوان فرعي يشرح الخبر"
    assert [page[p.start:p.end] for p in a.paragraphs] == [BODY, BODY2]


def test_second_article_glued_after_teaser_block():
    teaser = "غارات جديدة على ريف دير الزور"
    page = "\n".join([
        "العنوان الأول عن الأنبار", "TT", "العنوان الأول عن الأنبار", BODY, BODY2,
        "", "مقالات ذات صلة", "", teaser, "", "صورة من الأرشيف (أ.ف.ب)", teaser,
        "نفذت طائرات التحالف غارات جديدة على مواقع التنظيم في ريف دير الزور الشرقي.",
        "فلان الفلاني (دمشق)", "",
        "مقال ثان عن النازحين في الموصل", "TT", "مقال ثان عن النازحين في الموصل",
        BODY3, BODY2.replace("الرمادي", "الموصل"), BODY.replace("الأنبار", "نينوى"),
    ])
    arts = split_articles(doc_of(page))
    assert [a.title for a in arts] == ["العنوان الأول عن الأنبار", "مقال ثان عن النازحين في الموصل"]
    texts = [article_lines(doc_of(page), a) for a in arts]
    assert texts[0] == [BODY, BODY2]
    assert len(texts[1]) == 3
    assert not any("غارات جديدة" in t for ts in texts for t in ts)   # the teaser is gone


def test_separator_splits_an_unrelated_brief_but_not_a_continuation():
    brief = ["أعلنت وزارة الصحة اللبنانية تسجيل إصابات جديدة بالحصبة في مدارس طرابلس خلال الأسبوع.",
             "وقالت الوزارة في بيان إن حملة تلقيح واسعة ستنطلق في المدارس الرسمية والخاصة الشهر المقبل."]
    arts = split_articles(doc_of("\n\n".join(["عنوان", BODY, BODY2, "3", *brief])))
    assert len(arts) == 2 and arts[1].title is None
    arts = split_articles(doc_of("\n\n".join(["عنوان", BODY, BODY2, "***", BODY3])))
    assert len(arts) == 1 and len(arts[0].paragraphs) == 3


def test_crossheads_are_kept_apart_from_paragraphs():
    page = "\n\n".join(["عنوان", BODY, "رفع العلم", BODY2, BODY3])
    a = split_articles(doc_of(page))[0]
    assert [page[h.start:h.end] for h in a.headings] == ["رفع العلم"]
    assert len(a.paragraphs) == 3


@pytest.mark.parametrize("name,n_paras,title", [
    ("variant_other_outlet.txt", 3, "الجيش العراقي يعلن السيطرة على قرية جديدة غرب الموصل"),
    ("variant_english_boilerplate.txt", 2, "مقتل خمسة عناصر من الشرطة في هجوم بعبوة ناسفة جنوب كركوك"),
    ("variant_no_title.txt", 2, None),
    ("variant_continued.txt", 3, "اشتباكات عنيفة بين قوات سوريا الديمقراطية وتنظيم داعش في ريف دير الزور"),
    ("variant_html.html", 3, "مقتل ثلاثة مدنيين بقصف على ريف إدلب"),
])
def test_variant_pages(name, n_paras, title):
    doc = next(read_inputs([str(PAGES / name)]))
    arts = split_articles(doc)
    assert len(arts) == 1
    assert arts[0].title == title
    lines = article_lines(doc, arts[0])
    assert len(lines) == n_paras
    junk = ("Share", "Facebook", "حقوق", "Related", "اقرأ", "رويترز)", "Photo", "Comments", "الرئيسية",
            "Menu", "By Staff", "أممية")
    assert not any(j in t for t in lines for j in junk)


def test_arabic_indic_digits_stay_in_the_body():
    doc = next(read_inputs([str(PAGES / "variant_no_title.txt")]))
    text = " ".join(article_lines(doc, split_articles(doc)[0]))
    assert "٤٠٠" in text


def test_html_paragraph_spans_point_into_the_raw_html():
    doc = next(read_inputs([str(PAGES / "variant_html.html")]))
    a = split_articles(doc)[0]
    for p, text in zip(a.paragraphs, article_lines(doc, a)):
        chunk = doc.raw[p.start:p.end]
        assert chunk.startswith(text[:10]) and chunk.endswith(text[-10:])
    assert "<b>معرة النعمان</b>" in doc.raw[a.paragraphs[0].start:a.paragraphs[0].end]
    assert "&amp;" in doc.raw[a.paragraphs[0].start:a.paragraphs[0].end]
    assert "& مصادر" in article_lines(doc, a)[0]


def test_seed_004_author_and_footer():
    doc = next(read_inputs([str(SEEDS / "004_dc33664b38d03477.txt")]))
    arts = split_articles(doc)
    assert len(arts) == 1 and arts[0].author == "علي قيس"
    assert not any("واتساب" in t for t in article_lines(doc, arts[0]))


def test_inline_read_also_box_does_not_split_the_article():
    page = "\n".join(["عنوان عن معارك الأنبار", BODY, BODY2, "اقرأ أيضاً:",
                      "عنوان مقال آخر عن الموصل", "عنوان ثالث عن كركوك",
                      BODY3, "وتابع المصدر أن القوات العراقية ستواصل عملياتها في المنطقة حتى تطهيرها بالكامل "
                      "من عناصر التنظيم، داعياً السكان إلى الابتعاد عن مناطق الاشتباك والتعاون مع القوات.",
                      "وأشار إلى أن التنظيم فقد معظم مواقعه في المحافظة خلال الأشهر الماضية بعد سلسلة من "
                      "العمليات العسكرية التي شاركت فيها قوات الجيش والشرطة وأبناء العشائر بدعم جوي."])
    arts = split_articles(doc_of(page))
    assert len(arts) == 1 and len(arts[0].paragraphs) == 5
    assert not any("عنوان مقال آخر" in t for t in article_lines(doc_of(page), arts[0]))


def test_an_inline_link_repeated_between_paragraphs_is_not_a_page_head():
    link = "مقاتلات تقصف موقعاً عسكرياً في ريف حمص"
    page = "\n".join(["عنوان", BODY, link, BODY2, link, BODY3])
    arts = split_articles(doc_of(page))
    assert len(arts) == 1 and len(arts[0].paragraphs) == 3


def test_recurring_section_separators_do_not_split_a_timeline():
    items = [f"{d} كانون الثاني: غارات جوية على مواقع قرب دمشق استهدفت مستودعات أسلحة بحسب المرصد السوري."
             for d in (3, 9, 17, 25)]
    page = "\n".join(["أهم الغارات على سوريا", BODY, "- 2017 -", items[0], items[1], "- 2018 -", items[2], items[3]])
    arts = split_articles(doc_of(page))
    assert len(arts) == 1 and len(arts[0].paragraphs) == 5
