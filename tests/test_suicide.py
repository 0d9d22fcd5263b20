"""A suicide bombing is stored as one (ACLED's `suicide_bomb`), whatever word of its clause the
event was kept on; the learned sub-type models, which know no suicide bombing (too rare in the
labels), never turn one into an air strike. Sentences written for these tests."""
from __future__ import annotations

import pytest

from rasd.clean import split_articles
from rasd.events import extract_events
from rasd.events.model import Model, resubtype
from rasd.ingest import make_document


def subs_of(text: str) -> list[tuple[str, str]]:
    doc = make_document("t.txt", text, kind="text", source="t.txt", published="2018-07-03")
    return [(e.type, e.sub_type) for a in split_articles(doc) for e in extract_events(doc, a)]


@pytest.mark.parametrize("text", [
    "قتل خمسة أشخاص في تفجير انتحاري استهدف سوقا شعبيا في مدينة الرمادي غربي العراق صباح اليوم.",
    # kept on «استهدف» (a strike by default), the attacker named next to it
    "استهدف هجوم انتحاري نقطة تفتيش للجيش العراقي في قضاء الطارمية شمالي بغداد الثلاثاء، مما أسفر عن مقتل ثلاثة جنود.",
    # kept on «فجر» (a bomb), the attacker between the verb and «نفسه»
    "فجر انتحاري نفسه وسط تجمع لعناصر الحشد الشعبي في بلدة القائم، ما أدى إلى مقتل سبعة منهم.",
])
def test_a_suicide_bombing_is_one(text):
    assert ("explosions_remote_violence", "suicide_bomb") in subs_of(text), subs_of(text)


@pytest.mark.parametrize("text", [
    "أعلنت الشرطة مقتل أربعة مدنيين بانفجار عبوة ناسفة زرعت على جانب طريق في كركوك.",
    # the suicide attacks are the targets' plans, far from the strike's word
    "أعلن الجيش العراقي قصف مقر لتنظيم داعش قرب الحدود السورية، قال إن عناصره كانوا يخططون لتنفيذ عمليات انتحارية داخل العراق.",
])
def test_no_suicide_bombing_without_a_suicide_attacker_by_the_trigger(text):
    assert all(sub != "suicide_bomb" for _, sub in subs_of(text)), subs_of(text)


def _sure_of(weight: float) -> Model:
    return Model({}, weight, 18, 0.5, {})


def test_the_sub_type_models_keep_a_sub_type_they_do_not_know():
    models = {"sub:explosions_remote_violence:air_drone_strike": _sure_of(5.0),
              "sub:explosions_remote_violence:shelling_artillery_missile_attack": _sure_of(-5.0)}
    typ = "explosions_remote_violence"
    assert resubtype(models, [], typ, "suicide_bomb") == "suicide_bomb"
    # a sub-type they know (or the rules' default) is still theirs to change
    assert resubtype(models, [], typ, "shelling_artillery_missile_attack") == "air_drone_strike"
    assert resubtype(models, [], "strategic_developments", "other") == "other"     # no model of the type
