"""Amounts: the counts of the seed gold, a table of phrases, raw offsets, speed."""
from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from rasd.lang.normalize import normalize
from rasd.lang.quantities import PERSON_CLASSES, find_quantities, lexicon, parse_quantity

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "samples" / "seeds"
GOLD = ROOT / "tests" / "gold" / "seeds.events.jsonl"
PHRASES = ROOT / "tests" / "data" / "quantity_phrases.tsv"


def _gold_events() -> list[dict]:
    with open(GOLD, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def _raw(name: str) -> str:
    return (SEEDS / name).read_text(encoding="utf-8")


def _line_span(raw: str, start: int, end: int) -> tuple[int, int]:
    a = raw.rfind("\n", 0, start) + 1
    b = raw.find("\n", end)
    return a, len(raw) if b == -1 else b


# ------------------------------------------------------------------ (a) the seed gold
# For every gold event with a count or fatalities: the phrase (in the line of one of
# its anchors) that carries the number. The expected value, approx flag and unit come
# from the gold file itself.
GOLD_PHRASES: dict[str, list[str]] = {
    "000-1": ["المئات من العجلات"],
    "000-7": ["المئات من عائلات"],
    "000-14": ["مئات الغارات"],
    "001-3": ["6 حافلات"],
    "001-4": ["308 عناصر"],
    "001-13": ["مئات من مقاتلي"],
    "001-14": ["نحو 700 من مقاتلي"],
    "001-16": ["أربع حافلات"],
    "001-20": ["54 عنصراً"],
    "002-2": ["أكثر من 200 إرهابي"],
    "002-3": ["أحد الإرهابيين"],
    "003-5": ["عدداً من عناصر", "العشرات من عناصر"],
    "003-10": ["اللبنانيين الثلاثة"],
    "003-11": ["أحدهم"],
    "004-4": ["77 قرية"],
    "004-8": ["خمسة دواعش"],
}
# gold counts that no amount phrase states: the number is an enumeration of persons
GOLD_NOT_A_PHRASE = {
    "000-11": "«مقتل قيادي بارز … وآخر …»: two leaders listed one by one",
}
# further amounts in the same lines: (file, phrase, value, approx, unit_class)
LINE_EXTRAS = [
    ("001_0f6a368dce576d34.txt", "17 حافلة", 17, False, "buses"),
    ("001_0f6a368dce576d34.txt", "331 شخصاً", 331, False, "people"),
    ("001_0f6a368dce576d34.txt", "80 في المائة", 80, False, "percent"),
    ("003_b6773c4f80ae2427.txt", "نحو أربعة آلاف مدني", 4000, True, "civilians"),
    ("004_dc33664b38d03477.txt", "نحو 5800 كيلومترا مربعا", 5800, True, "km2"),
    ("004_dc33664b38d03477.txt", "ست عجلات", 6, False, "vehicles"),
    ("004_dc33664b38d03477.txt", "عدد كبير من الإرهابيين", None, True, "fighters"),
    ("000_958ecb03eb59d239.txt", "450 كلم", 450, False, "km"),
]


def _class_fits(gold_unit: str | None, unit_class: str | None) -> bool:
    if gold_unit is None:
        return True
    if gold_unit == "people":
        return unit_class is None or unit_class in PERSON_CLASSES
    return unit_class == gold_unit


def _counted_events() -> list[dict]:
    return [e for e in _gold_events() if e.get("count") or e.get("fatalities") is not None]


def test_every_gold_count_has_a_phrase():
    ids = {e["id"] for e in _counted_events()}
    assert ids, "the gold has counted events"
    assert ids == set(GOLD_PHRASES) | set(GOLD_NOT_A_PHRASE)


@pytest.mark.parametrize("event", [e for e in _counted_events() if e["id"] not in GOLD_NOT_A_PHRASE],
                         ids=lambda e: e["id"])
def test_gold_count_parsed(event):
    # events in GOLD_NOT_A_PHRASE state their count by listing («قيادي ... وآخر»): the
    # events stage reads those (tests/test_events.py), not the quantity parser
    raw = _raw(event["file"])
    found = find_quantities(normalize(raw))
    lines = {_line_span(raw, a["start"], a["end"]) for a in event["anchors"]}
    for a in event["anchors"]:
        assert raw[a["start"]:a["end"]] == a["text"]
    count = event.get("count")
    if count:
        values = [count["value"], *count.get("alt", [])]
        approx, unit = count["approx"], count.get("unit")
    else:
        values, approx, unit = [event["fatalities"]], False, "people"
    for phrase in GOLD_PHRASES[event["id"]]:
        assert any(phrase in raw[a:b] for a, b in lines), phrase
        hits = [q for q in found if q.text == phrase and any(a <= q.start < b for a, b in lines)]
        assert hits, f"{phrase!r} not read in {event['id']}: {[q.text for q in found]}"
        q = hits[0]
        assert q.value in values
        assert q.approx == approx
        assert _class_fits(unit, q.unit_class), (q.unit_class, unit)


@pytest.mark.parametrize("name, phrase, value, approx, cls", LINE_EXTRAS)
def test_seed_line_amounts(name, phrase, value, approx, cls):
    raw = _raw(name)
    assert phrase in raw
    hits = [q for q in find_quantities(normalize(raw)) if q.text == phrase]
    assert hits
    assert (hits[0].value, hits[0].approx, hits[0].unit_class) == (value, approx, cls)


def test_seed_labels_are_not_counts():
    """«اللواء 44», «المادة 4», «عام 2014», dates and a phone number are not amounts."""
    texts = []
    for path in sorted(SEEDS.glob("*.txt")):
        raw = path.read_text(encoding="utf-8")
        texts += [q.text for q in find_quantities(normalize(raw))]
    joined = " | ".join(texts)
    for label in ("44", "2014", "2023", "0012022773659"):
        assert label not in joined
    assert not any(t in ("4", "7", "20") for t in texts)


# ------------------------------------------------------------------ (b) the phrase table
def _phrase_rows() -> list[tuple[str, str, str, str, str]]:
    rows = []
    for line in PHRASES.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        cols = line.split("\t")
        assert len(cols) == 5, line
        rows.append(tuple(cols))
    return rows


def test_phrase_table_is_large_enough():
    rows = _phrase_rows()
    assert len(rows) >= 120
    assert sum(r[1] == "-" for r in rows) >= 20       # negatives
    assert sum(r[1] == "none" for r in rows) >= 15    # vague amounts


@pytest.mark.parametrize("phrase, value, approx, cls, span", _phrase_rows(), ids=lambda v: v if isinstance(v, str) else None)
def test_phrase(phrase, value, approx, cls, span):
    found = find_quantities(normalize(phrase))
    for q in found:
        assert phrase[q.start:q.end] == q.text
    if cls == "-" or cls not in PERSON_CLASSES:
        assert not any(q.unit_class in PERSON_CLASSES for q in found), found
    if value == "-":
        assert found == []
        return
    assert found, phrase
    q = found[0]
    expected = None if value == "none" else (float(value) if "." in value else int(value))
    assert q.value == expected
    assert q.approx is (approx == "1")
    assert q.unit_class == (None if cls == "-" else cls)
    assert q.text == (phrase if span == "=" else span)
    if q.unit_class is not None:
        assert q.unit and q.unit in q.text


def test_parse_quantity():
    q = parse_quantity("قال إن نحو 700 من مقاتلي «داعش» وصلوا")
    assert q is not None and (q.value, q.approx, q.unit, q.unit_class) == (700, True, "مقاتلي", "fighters")
    assert q.text == "نحو 700 من مقاتلي"
    assert parse_quantity("لا أرقام هنا") is None


def test_several_amounts_in_order():
    text = "مصير 308 عناصر من «داعش» و331 شخصاً من عائلاتهم، و6 حافلات من أصل 17 حافلة"
    got = [(q.value, q.unit_class) for q in find_quantities(normalize(text))]
    assert got == [(308, "fighters"), (331, "people"), (6, "buses"), (17, "buses")]


# ------------------------------------------------------------------ (c) raw offsets
@pytest.mark.parametrize("path", sorted(SEEDS.glob("*.txt")), ids=lambda p: p.name)
def test_seed_round_trip(path):
    raw = path.read_text(encoding="utf-8")
    found = find_quantities(normalize(raw))
    assert found
    last = -1
    for q in found:
        assert raw[q.start:q.end] == q.text
        assert q.start >= last          # in order, not overlapping
        last = q.end


def test_round_trip_with_diacritics_and_tatweel():
    raw = "قُتِلَ ثَلاثَةُ مُقاتِلِينَ وأُصيبَ نَحْوَ ٧٠٠ عُنْصُرٍ، ودَخَلَ المِئاتُ مِنَ العَجَلاتِ و خمسـة دواعـش\u200f."
    found = find_quantities(normalize(raw))
    assert [(q.value, q.approx, q.unit_class) for q in found] == [
        (3, False, "fighters"), (700, True, "fighters"), (None, True, "vehicles"), (5, False, "fighters")]
    for q in found:
        assert raw[q.start:q.end] == q.text
    assert found[0].text == "ثَلاثَةُ مُقاتِلِينَ"
    assert found[-1].text == "خمسـة دواعـش"


def test_presentation_forms_round_trip():
    raw = "وصل \ufef7\ufeae\ufe91\ufecc\ufe94 عناصر"   # «أربعة» in presentation forms
    found = find_quantities(normalize(raw))
    assert len(found) == 1 and found[0].value == 4
    assert raw[found[0].start:found[0].end] == found[0].text


# ------------------------------------------------------------------ lexicon and speed
def test_lexicon_is_loaded_once_and_consistent():
    lex = lexicon()
    assert lexicon() is lex
    assert lex.numbers["ثلاثمئه"].value == 300
    assert {"fighters", "families", "vehicles", "buses", "civilians", "people", "villages",
            "strikes", "soldiers", "police", "children", "women", "killed", "km", "km2",
            "percent"} <= {u.cls for u in lex.units.values()}
    assert "اللواء" in lex.blockers


def test_speed():
    raw = (SEEDS / "001_0f6a368dce576d34.txt").read_text(encoding="utf-8")[:5000]
    nt = normalize(raw)
    find_quantities(nt)
    best = min(_timed(find_quantities, nt) for _ in range(5))
    assert best < 0.025  # a few ms on a laptop; generous for slow CI machines


def _timed(fn, *args) -> float:
    t = time.perf_counter()
    fn(*args)
    return time.perf_counter() - t


@pytest.mark.parametrize("page", sorted((Path(__file__).resolve().parent.parent / "samples" / "seeds").glob("*.txt")),
                         ids=lambda p: p.name[:3])
def test_quantities_searched_within_sentences_are_those_of_the_whole_page(page):
    """``within`` (the sentences of event triggers) finds exactly the amounts the full
    search finds there, and does not read the whole page."""
    from rasd.lang.sentences import sentences

    raw = page.read_text("utf-8")
    nt = normalize(raw)

    def rows(qs):
        return [(q.start, q.end, q.value, q.approx, q.unit, q.unit_class) for q in qs]

    full = rows(find_quantities(nt))
    assert full
    fewer = 0
    for s in sentences(raw):
        part = rows(find_quantities(nt, within=[(nt.norm_index(s.start), nt.norm_index(s.end))]))
        assert set(part) <= set(full)
        assert [x for x in part if s.start <= x[0] < s.end] == [x for x in full if s.start <= x[0] < s.end]
        fewer += len(part) < len(full)
    assert fewer
