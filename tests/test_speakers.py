"""Speakers: every pattern on sentences of our own, later short references, aliases,
user cue files, and recall of the seed gold's sources."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from rasd.lang.actors import find_actors
from rasd.lang.normalize import norm_key, normalize
from rasd.lang.speakers import find_speakers, load_speaker_cues, speaker_aliases

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "samples" / "seeds"
GOLD = ROOT / "tests" / "gold" / "seeds.events.jsonl"


def speakers(raw, **kw):
    sps = find_speakers(normalize(raw), **kw)
    for s in sps:
        assert raw[s.start:s.end] == s.text and s.start < s.end
    return sps


def one(raw, **kw):
    sps = speakers(raw, **kw)
    assert len(sps) == 1, sps
    return sps[0]


def summary(raw, **kw):
    return [(s.text, s.name, s.role, s.actor) for s in speakers(raw, **kw)]


# ---------------------------------------------------------------- spokesmen, officers, officials

@pytest.mark.parametrize("sentence, text, name, role, actor", [
    ("وقال المتحدث باسم الجيش العراقي العميد سعد الخفاجي إن القوات أحكمت سيطرتها على التلال.",
     "المتحدث باسم الجيش العراقي العميد سعد الخفاجي", "الخفاجي", "spokesman", "iraq_forces"),
    ("وأكد الناطق الرسمي باسم حركة حماس فوزي برهوم أن الحركة لن توافق.",
     "الناطق الرسمي باسم حركة حماس فوزي برهوم", "برهوم", "spokesman", "hamas"),
    ("أعلن المتحدث الرسمي باسم وزارة الدفاع الروسية إيغور كوناشينكوف أن الطائرات عادت.",
     "المتحدث الرسمي باسم وزارة الدفاع الروسية إيغور كوناشينكوف", "كوناشينكوف", "spokesman",
     "russia_forces"),
    ("وأكد اللواء الركن قاسم المحمدي أن الحدود مؤمنة.",
     "اللواء الركن قاسم المحمدي", "المحمدي", "military_officer", None),
    ("أعلن الفريق الركن عبد الأمير يار الله انتهاء العملية.",
     "الفريق الركن عبد الأمير يار الله", "يار الله", "military_officer", None),
    ("قال عضو مجلس محافظة نينوى حسام العبار إن المخيمات مكتظة.",
     "عضو مجلس محافظة نينوى حسام العبار", "العبار", "council_member", None),
    ("أكد النائب عن محافظة الأنبار محمد الدليمي أن الأهالي عادوا إلى منازلهم.",
     "النائب عن محافظة الأنبار محمد الدليمي", "الدليمي", "mp", None),
    ("وقال الرئيس الفرنسي إيمانويل ماكرون إن بلاده ستشارك.",
     "الرئيس الفرنسي إيمانويل ماكرون", "ماكرون", "official", None),
    ("وقال الخبير الأمني أحمد الشريفي إن الخلايا النائمة تتحرك.",
     "الخبير الأمني أحمد الشريفي", "الشريفي", "expert", None),
    ("قال مدير المكتب الإعلامي للمدينة سامر أبو حمزة إن المياه قطعت.",
     "مدير المكتب الإعلامي للمدينة سامر أبو حمزة", "أبو حمزة", "official", None),
    ("وأوضح عضو البرلمان العراقي عن كتلة الفتح حامد الموسوي أن القانون لم يقر.",
     "عضو البرلمان العراقي عن كتلة الفتح حامد الموسوي", "الموسوي", "mp", None),
    ("كما قال المتحدث العسكري باسم الحوثيين العميد يحيى سريع إن الصاروخ أصاب هدفه.",
     "المتحدث العسكري باسم الحوثيين العميد يحيى سريع", "سريع", "spokesman", "houthis"),
])
def test_titled_persons(sentence, text, name, role, actor):
    s = one(sentence)
    assert (s.text, s.name, s.role, s.actor) == (text, name, role, actor)


def test_two_titles_joined_by_and_give_one_speaker():
    raw = ("صرح المتحدث باسم قيادة عمليات نينوى والناطق باسم الشرطة الاتحادية العقيد مهند "
           "الطائي بأن الطريق فتح.")
    s = one(raw)
    assert s.name == "الطائي" and s.role == "spokesman" and s.actor == "iraq_forces"
    assert s.text.startswith("المتحدث باسم") and s.text.endswith("مهند الطائي")


def test_a_brigade_is_not_an_officer():
    assert speakers("وصل اللواء الخامس إلى المنطقة، وانتشر اللواء 44 على الطريق.") == []


def test_diacritics_stay_in_the_speaker_text():
    s = one("وقالَ المتحدّثُ باسم الجيشِ العراقيّ العميد سعد الخفاجي إنّ الوضع مستقر.")
    assert s.text == "المتحدّثُ باسم الجيشِ العراقيّ العميد سعد الخفاجي"
    assert s.name == "الخفاجي" and s.actor == "iraq_forces"


# ---------------------------------------------------------------- appositions

def test_name_then_comma_then_title():
    s = one("وقال خالد المحمد، المتحدث باسم مجلس دير الزور العسكري، إن العملية مستمرة.")
    assert s.text == "خالد المحمد، المتحدث باسم مجلس دير الزور العسكري"
    assert (s.name, s.role, s.actor) == ("المحمد", "spokesman", "sdf")


def test_title_then_ranked_name_between_commas():
    s = one("وقال المتحدث باسم وزارة الداخلية العراقية، اللواء سعد معن، إن الطريق آمن.")
    assert (s.name, s.role) == ("معن", "spokesman")
    s = one("وأكد مدير الدفاع المدني في الموصل، العقيد ربيع إبراهيم، انتشال الجثث.")
    assert s.name == "إبراهيم" and s.text.endswith("العقيد ربيع إبراهيم")
    # a place after the title with no name after the comma stays out of the title
    s = one("وقال مدير الدفاع المدني في الموصل، إن فرق الإنقاذ انتشلت الجثث.")
    assert s.text == "مدير الدفاع المدني"


def test_a_ranked_name_before_wahuwa_title():
    s = one("وأضاف القاضي فلاح الحسني وهو المتحدث باسم مجلس القضاء أن المحكمة أصدرت حكمها.")
    assert (s.name, s.role) == ("الحسني", "spokesman")


def test_name_then_wahuwa_title():
    s = one("وقال رجل يدعى سالم الجبوري وهو عضو مجلس محافظة صلاح الدين إن الطريق آمن.")
    assert (s.name, s.role) == ("الجبوري", "council_member")
    assert s.text.startswith("سالم الجبوري وهو عضو")


def test_title_then_comma_then_name():
    s = one("يرى المحلل العسكري، هشام الراوي، أن المعركة طويلة.")
    assert (s.text, s.name, s.role) == ("المحلل العسكري، هشام الراوي", "الراوي", "expert")


# ---------------------------------------------------------------- anonymous sources

@pytest.mark.parametrize("sentence, name, text", [
    ("أفاد مصدر أمني في شرطة كركوك بأن دورية تعرضت لهجوم.", "مصدر أمني", "مصدر أمني في شرطة كركوك"),
    ("وذكرت مصادر ميدانية أن الاشتباكات توقفت.", "مصادر ميدانية", "مصادر ميدانية"),
    ("قال مسؤولون عسكريون أميركيون إن الضربات ستستمر.", "مسؤولون عسكريون أميركيون",
     "مسؤولون عسكريون أميركيون"),
    ("وأبلغ مسؤولان عراقيان الصحيفة بأن الحافلات عادت.", "مسؤولان عراقيان", "مسؤولان عراقيان"),
    ("وأعلن مصدر مطلع في الوزارة أن التحقيق بدأ.", "مصدر مطلع", "مصدر مطلع في الوزارة"),
    ("ونقلت الوكالة عن شهود عيان أن الانفجار كان قويا.", "شهود عيان", "شهود عيان"),
    # a definite source noun takes definite adjectives
    ("غير أن وسائل الإعلام الحكومية نفت ذلك في وقت لاحق.", "وسائل الإعلام الحكومية", "وسائل الإعلام الحكومية"),
    ("وقال المسؤولون الأمريكيون إن الضربات ستستمر.", "المسؤولون الأمريكيون", "المسؤولون الأمريكيون"),
])
def test_sources_with_their_adjective(sentence, name, text):
    s = one(sentence)
    assert (s.name, s.text, s.role) == (name, text, "source")


def test_a_source_speaking_for_a_body_gets_its_actor():
    s = one("وقال قيادي في هيئة الحشد الشعبي إن الفصائل جاهزة.")
    assert (s.name, s.role, s.actor) == ("قيادي", "source", "pmf")


def test_source_nouns_that_are_not_speakers():
    assert speakers("أثار القرار مصدر قلق كبير في الأوساط الشعبية.") == []
    assert speakers("قتل قيادي في التنظيم بغارة جوية.") == []


# ---------------------------------------------------------------- institutions, actors, outlets, monitors

@pytest.mark.parametrize("sentence, name, role, actor", [
    ("أعلنت وزارة الداخلية العراقية في بيان اعتقال خمسة مطلوبين.", "وزارة الداخلية العراقية",
     "institution", "iraq_forces"),
    ("وذكرت خلية الإعلام الأمني أن الطائرات دمرت مضافة.", "خلية الإعلام الأمني", "institution",
     "iraq_forces"),
    ("وأعلنت قيادة العمليات المشتركة استعادة السيطرة على الجسر.", "قيادة العمليات المشتركة",
     "institution", "iraq_forces"),
    ("وأشارت قوات الحشد الشعبي إلى أن اللواء الثالث أنهى مهمته.", "قوات الحشد الشعبي",
     "institution", "pmf"),
    ("وقال التحالف في بيان إن الغارة استهدفت مستودعا.", "التحالف", "institution", "coalition"),
    ("أفاد المرصد السوري لحقوق الإنسان بمقتل سبعة مدنيين.", "المرصد السوري لحقوق الإنسان", "ngo", None),
])
def test_institutions_after_a_speech_verb(sentence, name, role, actor):
    s = one(sentence)
    assert (s.name, s.role, s.actor) == (name, role, actor)


def test_subject_before_the_verb():
    s = one("التحالف الدولي يؤكد مقتل قيادي بارز في غارة جوية")
    assert (s.name, s.actor) == ("التحالف الدولي", "coalition")
    s = one("لكن التحالف الذي تقوده واشنطن ضد التنظيم نفى ذلك.")
    assert (s.text, s.actor) == ("التحالف الذي تقوده واشنطن", "coalition")


@pytest.mark.parametrize("sentence, name, text", [
    ("ذكرت صحيفة «نيويورك تايمز» الأميركية أن الإدارة تدرس الخيارات.", "نيويورك تايمز",
     "صحيفة «نيويورك تايمز» الأميركية"),
    ("ونقلت وكالة رويترز عن مسؤول أن الاجتماع تأجل.", "رويترز", "وكالة رويترز"),
    ("وقالت شبكة «رووداو» الإعلامية إن الاشتباكات تجددت.", "رووداو", "شبكة «رووداو» الإعلامية"),
    ("بحسب وكالة الأنباء السورية الرسمية فإن الطريق فتح.", "وكالة الأنباء السورية الرسمية",
     "وكالة الأنباء السورية الرسمية"),
    ("وذكرت وكالة «أعماق» التابعة للتنظيم أن انتحاريا فجر نفسه.", "أعماق", "وكالة «أعماق»"),
])
def test_outlets(sentence, name, text):
    s = [x for x in speakers(sentence) if x.role == "outlet"]
    assert [(x.name, x.text) for x in s] == [(name, text)]


def test_the_outlet_a_source_spoke_to():
    got = summary("وقال مصدر عسكري لـ«الحياة» إن التعزيزات وصلت.")
    assert got == [("مصدر عسكري", "مصدر عسكري", "source", None), ("الحياة", "الحياة", "outlet", None)]
    got = summary("وقال مصدر سوري في حلب لـ«وكالة الصحافة الفرنسية» إن الطريق قطع.")
    assert got == [("مصدر سوري في حلب", "مصدر سوري", "source", None),
                   ("وكالة الصحافة الفرنسية", "وكالة الصحافة الفرنسية", "outlet", None)]
    # a quoted group after لـ is not an outlet
    assert summary("وصلت شحنة أسلحة تابعة لـ«داعش» إلى البلدة.") == []


def test_untitled_person_with_a_speech_verb():
    s = one("وقال كمال الساعدي في تصريح صحافي إن المنطقة آمنة.")
    assert (s.text, s.name, s.role) == ("كمال الساعدي", "الساعدي", None)
    assert speakers("وأكد هروب قيادات التنظيم من المدينة.") == []


# ---------------------------------------------------------------- later references

def test_short_name_used_later_is_the_same_speaker():
    raw = ("قال مدير المكتب الإعلامي للمدينة سامر أبو حمزة إن المياه قطعت. "
           "وأوضح أبو حمزة أن الأفران توقفت.")
    sps = speakers(raw)
    assert [(s.text, s.name) for s in sps] == [
        ("مدير المكتب الإعلامي للمدينة سامر أبو حمزة", "أبو حمزة"), ("أبو حمزة", "أبو حمزة")]
    assert sps[1].start > sps[0].end


def test_generic_references_take_the_nearest_antecedent():
    raw = ("أفاد مصدر أمني في شرطة كركوك بأن دورية تعرضت لهجوم. وذكرت مصادر محلية أن الطريق "
           "أغلق. وقال المصدر إن المهاجمين فروا، وأضافت المصادر أن التحقيق بدأ.")
    sps = speakers(raw)
    refs = [(s.text, s.name) for s in sps if s.text in ("المصدر", "المصادر")]
    assert refs == [("المصدر", "مصدر أمني"), ("المصادر", "مصادر محلية")]


def test_institution_reference():
    raw = ("أعلنت مديرية شرطة نينوى اعتقال مطلوب. وقالت المديرية في بيان إن المطلوب اعترف.")
    sps = speakers(raw)
    assert [s.name for s in sps] == ["مديرية شرطة نينوى", "مديرية شرطة نينوى"]
    assert sps[1].text == "المديرية"


def test_unnamed_spokesman_later_is_the_named_one():
    raw = ("وقال المتحدث باسم الجيش العراقي العميد سعد الخفاجي إن القوات تقدمت. "
           "ووفقا للمتحدث باسم الجيش العراقي فإن الخسائر قليلة.")
    sps = speakers(raw)
    assert [s.name for s in sps] == ["الخفاجي", "الخفاجي"]


def test_monitor_reference():
    raw = "أفاد المرصد السوري لحقوق الإنسان بمقتل سبعة مدنيين. وقال المرصد إن القصف مستمر."
    assert [s.name for s in speakers(raw)] == ["المرصد السوري لحقوق الإنسان"] * 2


def test_speaker_aliases_map_short_references():
    raw = ("وقال المتحدث باسم الجيش العراقي العميد سعد الخفاجي إن القوات تقدمت. "
           "وأفاد مصدر أمني بأن الطريق فتح. وأعلنت وزارة الداخلية العراقية اعتقال مطلوب.")
    sps = speakers(raw)
    al = speaker_aliases(sps)
    assert al["الخفاجي"].name == "الخفاجي"
    assert al[norm_key("سعد الخفاجي")].name == "الخفاجي"
    assert al["المتحدث"].name == "الخفاجي"
    assert al["المصدر"].name == "مصدر أمني"
    assert al[norm_key("الوزارة")].name == "وزارة الداخلية العراقية"
    assert "المصادر" not in al          # no plural source was introduced


def test_given_actor_mentions_are_used():
    raw = "انتشرت القوات الأمنية في المدينة، وقالت القوات الأمنية في بيان إن الوضع مستقر."
    nt = normalize(raw)
    s = find_speakers(nt, find_actors(nt, country_hint="IQ"))
    assert [(x.name, x.actor) for x in s] == [("القوات الأمنية", "iraq_forces")]
    assert find_speakers(nt, country_hint="LB")[0].actor == "lebanon_forces"


def test_user_cue_file_adds_titles(tmp_path):
    user = tmp_path / "cues.tsv"
    user.write_text("title\tالمنسق الميداني\tofficial\n", encoding="utf-8")
    raw = "وقال المنسق الميداني باسم الفريق الإغاثي رامي الحسن إن القافلة وصلت."
    s = find_speakers(normalize(raw), cues=load_speaker_cues(user))
    assert [(x.name, x.role) for x in s] == [("الحسن", "official")]
    bad = tmp_path / "bad.tsv"
    bad.write_text("nonsense\tكلمة\n", encoding="utf-8")
    with pytest.raises(ValueError):
        load_speaker_cues(bad)


def test_empty_and_non_arabic_text():
    assert find_speakers("") == []
    assert find_speakers("Reuters said on Monday.") == []


# ---------------------------------------------------------------- seeds

def test_seed_gold_source_recall():
    """Every gold source is the name of a speaker found in its document (either contains
    the other, normalised)."""
    gold = [json.loads(x) for x in GOLD.read_text(encoding="utf-8").splitlines() if x.strip()]
    cache = {}
    total = hit = 0
    misses = []
    for g in gold:
        if not g["source"]:
            continue
        if g["file"] not in cache:
            cache[g["file"]] = speakers((SEEDS / g["file"]).read_text(encoding="utf-8"))
        gs = norm_key(g["source"])
        total += 1
        if any(gs in norm_key(s.name) or norm_key(s.name) in gs for s in cache[g["file"]]):
            hit += 1
        else:
            misses.append((g["id"], g["source"]))
    for m in misses:
        print("source miss:", *m)
    print(f"source recall {hit}/{total} = {hit / total:.2%}")
    assert total >= 20 and hit / total >= 0.85


def test_seed_speakers_round_trip_and_roles():
    roles = set()
    n = 0
    for path in sorted(SEEDS.glob("*.txt")):
        raw = path.read_text(encoding="utf-8")
        for s in speakers(raw):
            assert s.name and s.name.strip() == s.name
            roles.add(s.role)
            n += 1
    assert n > 50
    assert {"spokesman", "source", "institution", "outlet", "council_member", "mp", "expert",
            "official"} <= roles
