"""Where it happened when a chemical attack is told beside another happening (issue #12
"where"): a place named after the chemical attack's words is that attack's, not the place of
the strikes told in answer to it; the strikes keep the places of their own words, or their
country. Sentences written for this rule (none from the corpus)."""
from __future__ import annotations

import pytest

from rasd.clean import split_articles
from rasd.events import extract_events
from rasd.ingest import make_document
from rasd.records import main_place


def events_of(text: str):
    doc = make_document("t.txt", text, kind="text", source="t.txt", published="2018-04-16")
    return [e for a in split_articles(doc) for e in extract_events(doc, a)]


def strikes(text: str):
    evs = [e for e in events_of(text) if e.type == "explosions_remote_violence" and e.sub_type != "chemical_weapon"]
    assert evs, [(e.type, e.sub_type, e.evidence_text) for e in events_of(text)]
    return evs


NOT_THE_ATTACK_S_PLACE = [
    # (text, where the strikes are)
    ("شنت الولايات المتحدة وبريطانيا وفرنسا فجر السبت ضربات صاروخية على مواقع تابعة للنظام السوري "
     "ردا على الهجوم الكيميائي الذي اتهمت به الحكومة في مدينة دوما.", "سوريا"),
    ("نفذت الولايات المتحدة وفرنسا ضربات على أهداف في سوريا على خلفية تقارير عن استخدام الكيماوي "
     "في هجوم بمدينة دوما.", "سوريا"),
    ("شنت الولايات المتحدة وبريطانيا السبت عملية عسكرية على سوريا ردا على الهجوم الكيميائي في دوما، "
     "واستهدفت غارات جوية مواقع عسكرية في مدينة حمص.", "حمص"),
]


@pytest.mark.parametrize("text,want", NOT_THE_ATTACK_S_PLACE)
def test_the_place_of_a_chemical_attack_is_not_the_place_of_the_strikes_answering_it(text, want):
    for e in strikes(text):
        names = [p.name for p in e.places if p.role == "location"]
        assert "دوما" not in names, (e.evidence_text, names)
    assert main_place(strikes(text)[0].places).name == want


KEPT = [
    # the strike's own place, named before the chemical attack's words or right after its own
    ("قصفت طائرات حربية سورية مدينة دوما بعد أيام من الهجوم الكيميائي على بلدة خان شيخون.", "دوما"),
    ("استهدفت غارات جوية روسية بلدة حمورية في الغوطة الشرقية يوم السبت.", "حمورية"),
]


@pytest.mark.parametrize("text,want", KEPT)
def test_a_strike_keeps_the_place_of_its_own_words(text, want):
    assert main_place(strikes(text)[0].places).name == want


def test_the_chemical_attack_keeps_its_place():
    text = "قتل عشرات المدنيين في الهجوم الكيميائي الذي استهدف مدينة دوما في الغوطة الشرقية مساء السبت."
    chem = [e for e in events_of(text) if e.sub_type == "chemical_weapon"]
    assert chem and main_place(chem[0].places).name == "دوما"
