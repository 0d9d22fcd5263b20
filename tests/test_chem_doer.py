"""Who did a chemical attack (issue #12, "who"): a party that answers the attack, condemns it,
threatens to answer it or tells of it as reported is neither its doer nor what it acted on; the
party accused of it is its doer (labelling guidelines: an alleged attack is coded with the
accused); a doer named as the subject of the attack stays. Sentences written for this test."""
from __future__ import annotations

import pytest

from rasd.clean import split_articles
from rasd.events import extract_events
from rasd.events.decision import ModelDecision
from rasd.ingest import make_document

ANY = object()       # not checked
NOT = "not:"         # «NOT + key»: anything but that key


@pytest.fixture(scope="module")
def model():
    return ModelDecision(threshold=0.0)    # every candidate kept: the attack's reading is judged


def the_attack(text: str, model):
    """The event of the attack word marked «[[...]]» in ``text``."""
    at = text.index("[[")
    text = text.replace("[[", "").replace("]]", "")
    doc = make_document("t.txt", text, kind="text", source="t.txt", published="2019-05-21")
    evs = [e for a in split_articles(doc) for e in extract_events(doc, a, decision=model)]
    told = [e for e in evs if e.trigger is not None and e.trigger.start <= at < e.trigger.end]
    assert len(told) == 1, [(e.sub_type, e.actor, e.actor2, e.evidence_text) for e in evs]
    return told[0]


def check(got, want) -> bool:
    if want is ANY:
        return True
    if isinstance(want, str) and want.startswith(NOT):
        return got != want[len(NOT):]
    return got == want


@pytest.mark.parametrize("text, actor, actor2", [
    # the party answering the attack, and what its answer aims at, are not the attack's parties
    pytest.param("ودعت روسيا الولايات المتحدة إلى تجنب عمل عسكري ضد سوريا ردا على [[هجوم]] كيميائي في اللطامنة.",
                 None, "civilians", id="reply-noun"),
    pytest.param("وتدرس الولايات المتحدة ردها على [[هجوم]] كيماوي في بلدة اللطامنة.", None, ANY, id="reply-own"),
    pytest.param('وقالت المندوبة إن واشنطن "سترد" على [[الهجوم]] الكيماوي في بلدة اللطامنة.', None, ANY,
                 id="reply-verb"),
    # a party condemning it (the verb's subject after it), though a verb of the clause names it
    pytest.param("أدانت الولايات المتحدة الخميس [[الهجوم]] الكيميائي الذي استهدف بلدة اللطامنة في ريف حماة.",
                 NOT + "us_forces", ANY, id="condemns"),
    # another party's clause after it: its threat's target is not what the attack acted on
    pytest.param("قتل عشرة مدنيين إثر [[هجوم]] كيماوي على اللطامنة، فيما هددت الولايات المتحدة برد عسكري ضد "
                 "النظام السوري.", NOT + "us_forces", "civilians", id="threat-after"),
    # the accused is the doer: named before the attack, or after it with the attack's pronoun
    pytest.param("واتهمت فرنسا الحكومة السورية بتنفيذ [[هجوم]] كيميائي على بلدة اللطامنة.", "syria_gov",
                 NOT + "france_forces", id="accused-before"),
    pytest.param("وقع [[هجوم]] بغاز السارين اتهم النظام السوري بتنفيذه على اللطامنة.", "syria_gov", ANY,
                 id="accused-after"),
    # left alone: a doer named as the subject of the attack, a strike told before the attack
    pytest.param("شنت قوات النظام [[هجوما]] كيماويا على بلدة اللطامنة في ريف حماة.", "syria_gov", ANY,
                 id="subject-stays"),
    pytest.param("وجهت القوات التركية [[ضربة]] صاروخية لمواقع النظام السوري، بعد أسبوع من هجوم كيماوي على "
                 "بلدة اللطامنة.", "turkey_forces", ANY, id="the-answer-keeps-its-doer"),
])
def test_who_did_a_chemical_attack(model, text, actor, actor2):
    ev = the_attack(text, model)
    assert check(ev.actor, actor), (ev.actor, ev.actor2)
    assert check(ev.actor2, actor2), (ev.actor, ev.actor2)
