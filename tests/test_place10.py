"""Where it happened when a chemical attack is told beside another happening (issue #12
"where"): a place named after the chemical attack's words is that attack's, not the place of
the strikes told in answer to it; the strikes keep the places of their own words, or their
country. Sentences written for this rule (none from the corpus)."""
from __future__ import annotations

import pytest

from rasd.clean import split_articles
from rasd.events import extract_events
from rasd.events.decision import ModelDecision
from rasd.ingest import make_document
from rasd.records import main_place


def events_of(text: str, decision=None):
    doc = make_document("t.txt", text, kind="text", source="t.txt", published="2018-04-16")
    return [e for a in split_articles(doc) for e in extract_events(doc, a, decision=decision)]


def strikes(text: str, decision=None):
    evs = [e for e in events_of(text, decision) if e.type == "explosions_remote_violence"
           and e.sub_type != "chemical_weapon"]
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


def test_the_green_zone_is_a_place_in_baghdad_not_a_reference_to_the_last_place_named():
    text = "وصل وزير الخارجية الإيراني إلى طهران.\nوسقطت ثلاث قذائف هاون داخل المنطقة الخضراء في بغداد ليل الثلاثاء."
    ev = strikes(text)[0]
    place = main_place(ev.places)
    assert place.name == "المنطقة الخضراء" and place.country == "IQ" and place.admin1 == "Baghdad"


CAPITALS_AS_PARTIES = [
    # a capital standing for its government is not where the strike happened
    "قال وزير الخارجية البريطاني إن الضربات الجوية التي نفذتها لندن وباريس أظهرت أن صبر العالم نفد.",
    "فشلت موسكو السبت في تمرير مشروع قرار يدين الضربات العسكرية للولايات المتحدة وبريطانيا على سوريا.",
]


@pytest.mark.parametrize("text", CAPITALS_AS_PARTIES)
def test_a_capital_named_as_a_party_is_not_the_place_of_the_strike(text):
    # (every candidate kept: a statement or a vote alone is no event the learned decision
    # stores, but the place read for its strikes is what is asked here)
    for e in strikes(text, ModelDecision(threshold=0.0)):
        assert not any(p.feature == "capital" and p.country in ("GB", "FR", "RU") for p in e.places
                       if p.role == "location"), [p.name for p in e.places]


def test_an_ally_s_capital_is_neither_the_place_nor_the_referent_of_the_governorate():
    text = ("شنت المقاتلات الحربية الروسية، الأحد، غارات جوية عنيفة أدت إلى مقتل خمسة مدنيين، وتأتي الغارات وسط "
            "تهديدات النظام السوري وحليفته موسكو بشن هجوم واسع على المحافظة.\n"
            "وتقع إدلب في شمال غرب سوريا وتسيطر عليها فصائل معارضة.")
    for e in strikes(text):
        assert not any(p.country == "RU" for p in e.places), [(p.name, p.text) for p in e.places]


def test_sayda_in_daraa_news_is_the_daraa_town_and_sidon_in_lebanon_news():
    from rasd.places import find_places
    [sy] = [p for p in find_places("سيطرت قوات النظام على بلدة صيدا في ريف درعا الشرقي") if p.name == "صيدا"]
    assert (sy.country, sy.admin1) == ("SY", "Dar'a")
    [lb] = [p for p in find_places("وصل رئيس الوزراء اللبناني إلى مدينة صيدا جنوب لبنان") if p.name == "صيدا"]
    assert lb.country == "LB"


def test_a_commentator_s_surname_is_no_place():
    from rasd.places import find_places
    assert not find_places("وقال المحلل العسكري سيدريك لايتون إن الضربة كانت محدودة")
