"""Doers read from a party's words about its own part (issue #12, "who did it"): the doer
of an alleged chemical attack whose tellings name none is the party the article says denies
its part in it (labelling guidelines: the accused); a body claiming responsibility for a
launch did it."""
from __future__ import annotations

import pytest

from rasd.clean import split_articles
from rasd.events import extract_events
from rasd.events.decision import ModelDecision
from rasd.ingest import make_document

ATTACK = "قتل عشرات الأشخاص في هجوم كيماوي على مدينة دوما مساء السبت، بحسب الدفاع المدني. "


@pytest.fixture(scope="module")
def model():
    return ModelDecision()


def attack_doer(text: str, model) -> str | None:
    doc = make_document("t.txt", text, kind="text", source="t.txt", published="2018-04-09")
    evs = [e for a in split_articles(doc) for e in extract_events(doc, a, decision=model)]
    told = [e for e in evs if e.stance == "assert" and e.sub_type == "chemical_weapon"]
    assert len(told) == 1, [(e.stance, e.sub_type, e.evidence_text) for e in evs]
    return told[0].actor


@pytest.mark.parametrize("after, doer", [
    # the party denying its part, named before the verb or right after it
    ("لكن دمشق تنفي تورطها في الهجوم ووصفت اتهامها بالمسرحية.", "syria_gov"),
    ("وتنفي سوريا وحليفتها روسيا أي مسؤولية لهما عن الهجوم.", "syria_gov"),
    ("ونفت الحكومة السورية مسؤوليتها عن الهجوم الكيماوي بالكامل.", "syria_gov"),
    # a denial that it happened names no accused
    ("ونفت روسيا أن يكون الهجوم قد وقع أصلا.", None),
    # a party denying its part in another happening (strikes two days later) is not accused
    ("وفي سياق آخر، نفت فرنسا مسؤوليتها عن الضربات على مطار التيفور.", None),
    # nothing said about who
    ("وطالبت الأمم المتحدة بتحقيق مستقل.", None),
])
def test_the_accused_party_is_the_doer_of_an_alleged_chemical_attack(model, after, doer):
    assert attack_doer(ATTACK + after, model) == doer


def test_a_doer_named_in_the_telling_stays(model):
    text = ("قتل عشرات الأشخاص في هجوم كيماوي شنته قوات النظام على مدينة دوما مساء السبت. "
            "لكن روسيا تنفي تورطها في الهجوم.")
    assert attack_doer(text, model) == "syria_gov"


@pytest.mark.parametrize("text, doer", [
    # responsibility claimed for the launch of what hit: «عن إطلاق الصواريخ», commas between
    (("أعلن الحرس الثوري الإيراني، الأحد، مسؤوليته، عن إطلاق الصواريخ على مقر للحزب الديمقراطي "
      "الكردستاني الإيراني في منطقة كوي سنجق في إقليم كردستان، السبت."), "iran_forces"),
    ("وأعلن تنظيم داعش مسؤوليته عن تفجير السيارة المفخخة في سوق مدينة القائم.", "isis"),
])
def test_a_body_claiming_responsibility_did_it(model, text, doer):
    doc = make_document("t.txt", text, kind="text", source="t.txt", published="2018-09-09")
    evs = [e for a in split_articles(doc) for e in extract_events(doc, a, decision=model)]
    assert evs and evs[0].actor == doer, [(e.actor, e.evidence_text) for e in evs]
