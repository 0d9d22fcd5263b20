"""«فجر السبت» is dawn, not «فجّر» (detonated): a trigger word inside a date expression is
no trigger (candidates.propose), so the clause's own trigger tells the happening, with its
sub-type."""
from __future__ import annotations

import pytest

from rasd.clean import split_articles
from rasd.events import extract_events
from rasd.events.decision import ModelDecision
from rasd.ingest import make_document


def strikes(text: str) -> list[tuple[str, str]]:
    doc = make_document("t.txt", text, kind="text", source="t.txt", published="2018-04-15")
    evs = [e for a in split_articles(doc) for e in extract_events(doc, a, decision=ModelDecision(threshold=0.0))]
    return [(e.sub_type, text[e.trigger.start:e.trigger.end]) for e in evs if e.type == "explosions_remote_violence"]


def test_dawn_gives_way_to_the_strike_told_after_it():
    got = strikes("شنت الولايات المتحدة وبريطانيا وفرنسا فجر السبت ضربات جوية على ثلاثة مواقع للنظام في حمص.")
    assert got == [("air_drone_strike", "ضربات جوية")]


def test_without_another_trigger_a_strike_at_dawn_is_no_roadside_bomb():
    # the second «فجر» is a rocket's name, no trigger; «الجولان» holds «الجو» but is no air word
    got = strikes("وقال الجيش إن مسلحين أطلقوا فجر الأحد عشرة صواريخ من طراز \"فجر\" على مواقع في الجولان.")
    assert got and all(sub == "shelling_artillery_missile_attack" for sub, _ in got), got


@pytest.mark.parametrize("text, want", [
    # «فجّر نفسه» is no date: untouched
    ("وقالت الشرطة إن انتحاريا فجر نفسه في سوق مدينة كركوك.", ("suicide_bomb", "فجر نفسه")),
])
def test_a_detonation_stays_a_detonation(text, want):
    assert want in strikes(text)


@pytest.mark.parametrize("seg, air", [
    ("قصفت طائراتها مواقع المسلحين", True),       # a cue with a pronoun suffix
    ("بالغارات الجوية على البلدة", True),
    ("سقطت قذائف على مواقع في الجولان", False),    # «الجولان» holds «الجو»
    ("قصف مدفعي على البلدة", False),
])
def test_air_words_are_words(seg, air):
    from rasd.events.candidates import air_told
    from rasd.lang.normalize import norm_key
    assert air_told(norm_key(seg)) is air
