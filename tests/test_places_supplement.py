"""The curated places of rasd/data/places_supplement.tsv against the gazetteer's own
admin1 fill, and the towns added for the conflict's villages found in running text."""
from __future__ import annotations

import re

import pytest

from rasd.lang.normalize import normalize
from rasd.places import find_places
from rasd.places.admin import admin1_name, canonical_admin1
from rasd.places.gazetteer import SUPPLEMENT, _read_tsv, load_gazetteer

# «general knowledge; Idlib governorate (...)», «Erbil governorate (OCHA ...)»
_GOVERNORATE = re.compile(r"([A-Z][A-Za-z' -]*?) governorate\b")


def _rows():
    out = []
    for row in _read_tsv(SUPPLEMENT):
        row = row + [""] * (12 - len(row))
        out.append(row)
    return out


def _stated():
    """(id, first name, governorate named in `source`) of every row whose source names one."""
    out = []
    for row in _rows():
        m = _GOVERNORATE.search(row[10])
        if m:
            out.append((row[0], row[1].split("|")[0], m.group(1)))
    return out


def test_rows_are_whole():
    """Every row has its 11 columns, numbers where numbers go, and no name twice in a row."""
    for row in _rows():
        sid, names, feat, prec, lat, lon, _cc, rad, pop, flags, _src = row[:11]
        assert sid and names and feat and prec in ("town", "region", "country"), sid
        if lat or lon:
            assert -90 <= float(lat) <= 90 and -180 <= float(lon) <= 180, sid
        float(rad or 0)
        int(pop or 0)
        assert set(flags.split()) <= {"cue", "ctx", "ana"}, sid
        ns = names.split("|")
        assert len(ns) == len(set(ns)), sid


def test_an_admin1_a_row_states_is_known_and_stands():
    from rasd.places.admin import admin1_table
    stated = [(row[0], row[1].split("|")[0], row[11].strip()) for row in _rows() if row[11].strip()]
    assert len(stated) >= 4
    for sid, name, code in stated:
        assert code in admin1_table(), (sid, code)
        (e,) = [x for x in load_gazetteer().lookup(name) if x.id == f"sup:{sid}"]
        assert e.admin1 == code, (sid, e.admin1)


def test_many_rows_name_their_governorate():
    # the towns added for issue #12 all say where they are: the check below must bite
    assert len(_stated()) >= 35


@pytest.mark.parametrize("sid,name,gov", _stated(), ids=[s[0] for s in _stated()])
def test_admin1_fill_agrees_with_the_stated_governorate(sid, name, gov):
    """The gazetteer gives a curated place the admin1 of the nearest GeoNames town: a dot
    put in the wrong place shows up as another governorate than the one the row names."""
    want = canonical_admin1(gov)
    assert want is not None, f"{sid}: unknown governorate {gov!r}"
    (e,) = [x for x in load_gazetteer().lookup(name) if x.id == f"sup:{sid}"]
    assert admin1_name(e.admin1) == want, (sid, e.lat, e.lon, e.admin1)


@pytest.mark.parametrize("sentence,name,admin1,cc", [
    ("قتل ثلاثة مدنيين في قصف جوي على بلدة زملكا في الغوطة الشرقية بريف دمشق.", "زملكا", "Rural Damascus", "SY"),
    ("وقصفت قوات النظام بلدات عين ترما وحزة في الغوطة الشرقية.", "عين ترما", "Rural Damascus", "SY"),
    ("استهدفت غارات مدينة اللطامنة في ريف حماة الشمالي.", "اللطامنة", "Hama", "SY"),
    ("وقصفت الفصائل بلدتي الفوعة وكفريا المحاصرتين في ريف إدلب.", "الفوعة", "Idleb", "SY"),
    ("وقصفت الفصائل بلدتي الفوعة وكفريا المحاصرتين في ريف إدلب.", "كفريا", "Idleb", "SY"),
    ("سيطرت القوات الحكومية على بلدة النعيمة في درعا بعد انسحاب المعارضة منها.", "النعيمة", "Dar'a", "SY"),
    ("انفجرت عبوة لاصقة في ضاحية بنصلاوة التابعة لمدينة أربيل في إقليم كردستان.", "بنصلاوة", "Erbil", "IQ"),
    ("وسقطت قذائف على قرية الهري قرب البوكمال في ريف دير الزور الشرقي.", "الهري", "Deir-ez-Zor", "SY"),
    ("اشتباكات عنيفة في حي التضامن جنوب دمشق.", "التضامن", "Damascus", "SY"),
    # a district whose nearest GeoNames town is across the governorate line: its row states its admin1
    ("استهدفت الضربات مركز البحوث العلمية في حي برزة بدمشق.", "برزة", "Damascus", "SY"),
    ("قصفت قوات النظام حي جوبر شرق العاصمة.", "جوبر", "Damascus", "SY"),
    ("انفجرت سيارة مفخخة في بلدة سرمدا قرب معبر باب الهوى.", "سرمدا", "Idleb", "SY"),
])
def test_added_town_found_in_a_sentence(sentence, name, admin1, cc):
    raw = sentence
    ps = find_places(normalize(raw))
    hit = [p for p in ps if p.name == name]
    assert hit, (name, [(p.name, p.gazetteer_id) for p in ps])
    p = hit[0]
    assert raw[p.start:p.end] == p.text
    assert p.lat is not None and p.country == cc and p.gazetteer_id.startswith("sup:")
    assert p.admin1 == admin1


def test_common_word_names_need_their_cue():
    """«التضامن» (solidarity) and «القدم» (foot) are places only after a cue word."""
    for raw in ("أعلن الوزير التضامن مع الضحايا في سوريا.", "أصيب لاعب كرة القدم السوري في دمشق."):
        ps = find_places(normalize(raw))
        assert not [p for p in ps if p.gazetteer_id in ("sup:tadamon", "sup:qadam")], raw
