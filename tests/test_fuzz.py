"""Property-based tests (hypothesis): generated documents (Arabic words, digits in every
script, HTML fragments, control and bidi characters, lone surrogates in JSON escapes)
through `rasd process` and `rasd tag`'s function. Whatever comes in: no exception, every
exported span is its raw text, the CSV export parses back with one row per event.

1,000 documents in CI (25 examples of 40 documents, one `process` call each);
``bench/fuzz.py`` runs 10,000 and prints the figures.
"""
from __future__ import annotations

import csv
import io
import json
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

WORDS = ["قصفت", "طائرات", "التحالف", "الدولي", "مواقع", "لتنظيم", "داعش", "في", "مدينة", "الرقة", "شمال", "سوريا", "أمس", "ما", "أسفر", "عن", "مقتل", "عنصرا", "من", "التنظيم", "وقال", "مصدر", "أمني", "إن", "القوات", "العراقية", "اعتقلت", "مسلحين", "قرب", "الموصل", "ونزحت", "عائلات", "من", "درعا", "باتجاه", "الحدود", "الأردنية", "وأعلن", "المرصد", "السوري", "لحقوق", "الإنسان", "عن", "اشتباكات", "عنيفة", "بين", "فصائل", "المعارضة", "وقوات", "النظام", "في", "ريف", "حلب", "الشمالي", "يوم", "الثلاثاء", "الماضي", "نحو", "المئات", "ثلاثمائة", "وثمانية", "انفجار", "سيارة", "مفخخة", "ببغداد", "الجيش", "اللبناني", "حزب", "الله", "الحوثيون", "صنعاء", "عدن", "غزة", "إسرائيل", "نفى", "المتحدث", "باسم", "الوزارة", "وقوع", "ضحايا", "الرمادى", "الفلوجة", "تكريت", "كركوك", "حمص", "إدلب", "دير", "الزور", "البوكمال", "الميادين"]
DIGITS = "0123456789" "٠١٢٣٤٥٦٧٨٩" "۰۱۲۳۴۵۶۷۸۹" "०१२३४५६७८९" "０１２３４５６７８９"
PUNCT = ["،", "؛", "؟", ".", "«", "»", "\"", "'", ":", "-", "–", "(", ")", "/", "%", "…"]
HTML = ["<p>", "</p>", "<b>", "</b>", "<br/>", "<div class='x'>", "</div>", "&amp;", "&lt;", "&#1605;",
        "&#xD800;", "<script>alert(1)</script>", "<!-- c -->", "<a href='javascript:x'>", "</a>", "<",
        ">", "&", "<h1>", "</h1>"]
CONTROL = [chr(c) for c in range(32)] + ["\x7f", "\x85", "\u2028", "\u2029", "\ufeff", "\ufffd"]
BIDI = ["\u200e", "\u200f", "\u200b", "\u200c", "\u200d", "\u061c", "\u202a", "\u202b", "\u202c", "\u202d",
        "\u202e", "\u2066", "\u2067", "\u2068", "\u2069", "\u0640", "\u064b", "\u0651"]
SURROGATES = ["\ud800", "\udfff", "\udc00", "\ud83d"]      # lone: only JSON escapes can carry them

SENTENCES = [
    ("قصفت طائرات التحالف الدولي مواقع لتنظيم داعش في مدينة البوكمال شرق دير الزور فجر الثلاثاء، ما أسفر عن "
     "مقتل 12 عنصراً من التنظيم، بحسب المرصد السوري لحقوق الإنسان. "),
    "اعتقلت القوات الأمنية العراقية خمسة مطلوبين في حي الزنجيلي غرب مدينة الموصل مساء الأحد. ",
    "وقال مصدر أمني إن نحو 700 من مقاتلي «داعش» وصلوا إلى مدينة عانة أمس. ",
    "نزحت عشرات العائلات من الأحياء الشرقية لمدينة حلب باتجاه الريف خوفاً من تجدد القصف. ",
    "ونفى المتحدث باسم الجيش مقتل مدنيين في الغارة على بلدة سراقب بريف إدلب. ",
    "انفجرت سيارة مفخخة في سوق شعبي ببغداد ما أدى إلى مقتل ٧ أشخاص وإصابة ١٥ آخرين. ",
]
piece = st.one_of(
    st.sampled_from(SENTENCES),
    st.sampled_from(WORDS).map(lambda w: w + " "),
    st.sampled_from(WORDS),
    st.text(alphabet=DIGITS, min_size=1, max_size=6),
    st.sampled_from(PUNCT),
    st.sampled_from(HTML),
    st.sampled_from(CONTROL),
    st.sampled_from(BIDI),
    st.sampled_from(SURROGATES),
    st.sampled_from([" ", "\n", "\n\n", "\r\n", "\t"]),
    st.text(max_size=4),
)
text = st.lists(piece, min_size=0, max_size=120).map("".join)
document = st.fixed_dictionaries({
    # mostly good ids, some that are not (a text, a lone surrogate, a number, none)
    "id": st.sampled_from(["ok"] * 9 + ["text", "surrogate", "int", "none"]).flatmap(
        lambda k: st.just("") if k == "ok" else st.text(min_size=1, max_size=12) if k == "text"
        else st.sampled_from(SURROGATES) if k == "surrogate" else st.integers() if k == "int" else st.none()),
    "body": text,
    "field": st.sampled_from(["text", "text", "text", "html"]),
    "title": st.one_of(st.none(), text.map(lambda s: s[:40])),
})
DOCS_PER_EXAMPLE = 40
EXAMPLES = 25


def check(docs: list[dict]) -> dict:
    """Run ``docs`` through process, export and tag; assert the properties; the figures."""
    from rasd.export import write_csv
    from rasd.lang.analyse import tag_record
    from rasd.pipeline import process
    from rasd.store import Store

    figures = {"documents": len(docs), "stored": 0, "events": 0, "rejects": 0, "tagged": 0, "spans": 0}
    with tempfile.TemporaryDirectory() as tmp:
        f = Path(tmp) / "docs.jsonl"
        lines = []
        for i, d in enumerate(docs):
            obj = {"id": d["id"] if d["id"] != "" else f"d{i}", d["field"]: d["body"]}
            if d["title"] is not None:
                obj["title"] = d["title"]
            lines.append(json.dumps(obj))        # ensure_ascii: lone surrogates travel as \udXXX escapes
        f.write_text("\n".join(lines) + "\n", encoding="utf-8")
        store = Store(Path(tmp) / "s.db")
        try:
            s = process([str(f)], store)
            raws = {r["id"]: r["raw"] for r in store.conn.execute("SELECT id, raw FROM documents")}
            events = list(store.event_records())
            figures["stored"], figures["events"] = len(raws), len(events)
            figures["rejects"] = sum(s.rejects.values())
            assert s.documents + figures["rejects"] >= 1
            assert s.failed == 0 and "error" not in s.rejects, store.rejects()   # nothing raised inside
            for rid, raw in raws.items():
                rid.encode("utf-8"), raw.encode("utf-8")          # no lone surrogate was stored
            for e in events:
                raw = raws[e["doc"]]
                spans = [e["evidence"], *e["places"], *(e["mentions"] or [])]
                if e["count"]:
                    spans.append(e["count"])
                for sp in spans:
                    assert raw[sp["start"]:sp["end"]] == sp["text"], (e["id"], sp)
                    figures["spans"] += 1
            out = io.StringIO()
            n = write_csv(events, out)
            rows = list(csv.DictReader(io.StringIO(out.getvalue(), newline="")))
            assert n == len(events) == len(rows)
            for rid, raw in raws.items():
                rec = tag_record(rid, raw)
                for key in ("places", "actors", "speakers", "quantities", "dates"):
                    for sp in rec[key]:
                        assert raw[sp["start"]:sp["end"]] == sp["text"], (key, sp)
                        figures["spans"] += 1
                figures["tagged"] += 1
        finally:
            store.close()
    return figures


def test_generated_documents_never_break_the_pipeline():
    total: dict[str, int] = {}

    @settings(max_examples=EXAMPLES, deadline=None, database=None,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
    @given(st.lists(document, min_size=DOCS_PER_EXAMPLE, max_size=DOCS_PER_EXAMPLE))
    def run(docs):
        for k, v in check(docs).items():
            total[k] = total.get(k, 0) + v

    run()
    assert total["documents"] >= 1000
    # the properties were put to the test: documents stored, events and spans checked
    assert total["stored"] >= 300 and total["events"] >= 30 and total["spans"] >= 500, total


def test_a_document_of_every_hostile_piece_at_once():
    """One document holding one of each piece, as text and as HTML (not left to chance)."""
    body = " ".join(WORDS[:30]) + "".join(DIGITS) + "".join(PUNCT) + "".join(HTML) + "".join(CONTROL) \
        + "".join(BIDI) + "".join(SURROGATES) + " ".join(WORDS[30:])
    f = check([{"id": "all", "body": body, "field": "text", "title": "\ud800"},
               {"id": "all-html", "body": body, "field": "html", "title": None}])
    assert f["stored"] + f["rejects"] == 2
