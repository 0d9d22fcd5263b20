"""Denials kept and linked (issue #13, "claim groups that hold"): a denial told as a
plain statement or as a dismissed allegation, a later telling that denies what was told
first, and a back-reference that the decision drops but a party denies, are each a claim
of their own with stance ``deny`` in the claim group of what they deny."""
from __future__ import annotations

import pytest

from rasd.clean import split_articles
from rasd.events import assign_groups, extract_events
from rasd.events.decision import ModelDecision
from rasd.ingest import make_document

STRIKE = ("قتل 12 مدنيا في قصف جوي استهدف بلدة كفرنبل في ريف إدلب الجنوبي فجر اليوم، "
          "بحسب المرصد السوري لحقوق الإنسان. ")


@pytest.fixture(scope="module")
def model():
    return ModelDecision()


def events_of(text: str, model) -> list:
    doc = make_document("t.txt", text, kind="text", source="t.txt", published="2018-04-10")
    out = []
    for a in split_articles(doc):
        out.extend(extract_events(doc, a, decision=model))
    assign_groups(out, lambda e: [])
    return out


def _one_denial_with_the_strike(evs):
    strikes = [e for e in evs if e.type == "explosions_remote_violence"]
    asserted = [e for e in strikes if e.stance == "assert"]
    denied = [e for e in strikes if e.stance == "deny"]
    assert len(asserted) == 1 and len(denied) == 1, [(e.stance, e.evidence_text) for e in strikes]
    assert denied[0].claim_group == asserted[0].claim_group
    assert all(c.stance == "deny" for c in denied[0].sources)
    return asserted[0], denied[0]


@pytest.mark.parametrize("denial", [
    # an allegation the speaker dismisses
    "لكن وزارة الدفاع الروسية قالت إن ما يتردد عن قصف كفرنبل مجرد خدعة تهدف إلى تشويه صورة روسيا.",
    "ووصفت موسكو التقارير التي تحدثت عن قصف البلدة بأنها روايات زائفة.",
    "ووصف الكرملين الأنباء عن قصف البلدة بأنها \"استفزاز\" يستهدف روسيا.",
    # a plain statement that it did not happen, inside quotation marks
    "وقال السفير الروسي إنه \"لم يقع قصف\" على كفرنبل.",
    # a verb of denial just before a back-reference the decision drops as a repeat
    "ونفت موسكو أي مسؤولية لها عن هذا القصف.",
    # a party saying it did not do it (a verb of doing, negated, with «أي»)
    "وقالت وزارة الدفاع الروسية إنها لم تنفذ أي غارات على كفرنبل.",
    # «لم يحصل أي ...»: it never happened
    "وأكد الوفد الروسي أنه لم يحصل أي قصف على كفرنبل.",
    # an accusation with a pronoun, dismissed («اتهامها»)
    "وقالت موسكو إن اتهامها بقصف البلدة \"لا أساس له\".",
])
def test_a_later_denial_is_a_claim_of_its_own_in_the_group_of_the_strike(model, denial):
    _one_denial_with_the_strike(events_of(STRIKE + denial, model))


def test_a_denial_told_before_the_claim_it_answers(model):
    # the denial leads, the accusation follows: the accusation is a claim of its own (not a
    # telling of the denial), in the denial's group
    evs = events_of("قالت وزارة الدفاع الروسية، الجمعة، إنها لم تنفذ أي غارات على محافظة إدلب. "
                    "ويأتي النفي الروسي عقب إعلان المرصد السوري لحقوق الإنسان أن غارات يرجح أنها روسية "
                    "أوقعت 44 قتيلا في قرية زردانا في ريف إدلب الشمالي.", model)
    asserted, denied = _one_denial_with_the_strike(evs)
    assert denied.evidence.start < asserted.evidence.start
    # the denial names the province, the claim the village: the denial is placed where the claim is
    assert [p.name for p in denied.places][:1] == ["زردانا"]


def test_a_denial_does_not_take_the_source_that_asserts():
    # «ونفت موسكو …»: Moscow is not a recognised speaker; the sentence before is the
    # observatory's: the denial is not the observatory's
    _, denied = _one_denial_with_the_strike(events_of(STRIKE + "ونفت موسكو أي مسؤولية لها عن هذا القصف.",
                                                      ModelDecision()))
    assert "المرصد" not in " ".join(c.name for c in denied.sources)


@pytest.mark.parametrize("later", [
    # an allegation nobody dismisses is a report, not a denial
    "وتحدثت تقارير عن قصف آخر استهدف البلدة بعد الظهر.",
    # «لم يحدث ذلك»: a condition, and a clause break before the trigger
    "وقال قائد الفصيل إذا لم يحدث ذلك، سنلجأ إلى قصف مواقع النظام بالقوة.",
    # a verb of denial with clause breaks between it and the trigger governs something else
    "ونفت روسيا، الخميس، اتفاقا في مجلس الأمن على هدنة بهدف السماح بوقف القصف.",
])
def test_no_denial_without_a_denial(model, later):
    evs = events_of(STRIKE + later, model)
    assert not [e for e in evs if e.stance == "deny"], [(e.stance, e.evidence_text) for e in evs]


def test_a_group_is_measured_by_the_claims_that_assert_it(monkeypatch):
    # a disputed strike: two claims assert it, five deny it. A new telling close to the
    # assertions joins it, however unlike the denials it is.
    from rasd.events import grouping, pairs
    close = {"a1": 0.9, "a2": 0.8, "d1": 0.1, "d2": 0.1, "d3": 0.1, "d4": 0.1, "d5": 0.1}
    monkeypatch.setattr(pairs, "probabilities", lambda mine, others: [close[o["id"]] for o in others])
    rows = [{"id": k, "claim_group": "g", "data": {"id": k, "stance": "deny" if k[0] == "d" else "assert"}}
            for k in close]
    assert grouping._best_group({"id": "new"}, rows) == "g"
    # counted with its denials, the group's mean (0.3) is below JOIN_MEAN: it would not join
    assert sum(close.values()) / len(close) < grouping.JOIN_MEAN


def test_a_denied_back_reference_tells_the_happening_it_answers(model):
    # «مثل هذا الهجوم الذي نفته دمشق» says nothing of the attack: who, to whom, when and
    # where are those of the attack told before
    evs = events_of("قتل عشرات المدنيين في هجوم كيميائي شنته قوات النظام السوري على مدينة دوما في الغوطة "
                    "الشرقية يوم السبت، بحسب الدفاع المدني. لكن لم يؤكد أي مصدر مستقل حدوث مثل هذا الهجوم "
                    "الذي نفته دمشق بشدة.", model)
    attack, denied = _one_denial_with_the_strike(evs)
    assert denied.sub_type == attack.sub_type == "chemical_weapon"
    assert (denied.actor, denied.actor2, denied.date) == (attack.actor, attack.actor2, attack.date) \
        == ("syria_gov", "civilians", "2018-04-07")
    assert "دوما" in {p.name for p in denied.places}


def test_a_state_denying_its_own_part_is_the_doer_of_what_it_denies(model):
    # the labelling guidelines: the doer of a denial is the party said to have done it
    evs = events_of("قصفت طائرات حربية أمريكية مطار الشعيرات العسكري في ريف حمص فجر الاثنين، بحسب وكالة سانا. "
                    "كما نفت فرنسا أيضا مسؤوليتها عن هذه الضربات.", model)
    _, denied = _one_denial_with_the_strike(evs)
    assert denied.actor == "france_forces"
    # and France is who says so (the sentence before is the agency's)
    assert [(c.name, c.stance, c.actor) for c in denied.sources] == [("فرنسا", "deny", "france_forces")]


CHEMICAL = ("قتل 40 شخصا على الأقل في هجوم كيميائي استهدف مدينة دوما في الغوطة الشرقية مساء السبت، "
            "بحسب الدفاع المدني. ")


@pytest.mark.parametrize("denial, answers", [
    # a party denying the chemical attack: it answers it
    ("ونفت دمشق أي مسؤولية لها عن الهجوم.", True),
    # a state denying air strikes told beside it: another happening (the strike on a base
    # two days later), not an answer to the chemical attack
    ("وفي وقت لاحق نفت الولايات المتحدة شن غارات جوية على سوريا الاثنين.", False),
    ("ونفت الولايات المتحدة أن تكون قد شنت غارات جوية على مطار التيفور العسكري في حمص فجر الاثنين.", False),
])
def test_a_denial_of_air_strikes_does_not_answer_a_chemical_attack(model, denial, answers):
    evs = events_of(CHEMICAL + denial, model)
    attack = [e for e in evs if e.stance == "assert" and e.sub_type == "chemical_weapon"]
    denied = [e for e in evs if e.stance == "deny"]
    assert len(attack) == 1 and len(denied) == 1, [(e.stance, e.sub_type, e.evidence_text) for e in evs]
    assert (denied[0].claim_group == attack[0].claim_group) is answers


def test_kinds_apart_only_for_a_kind_of_its_own():
    from rasd.events.grouping import kinds_apart
    assert kinds_apart("chemical_weapon", "air_drone_strike")
    assert kinds_apart("shelling_artillery_missile_attack", "chemical_weapon")
    assert not kinds_apart("chemical_weapon", "chemical_weapon")
    assert not kinds_apart("air_drone_strike", "shelling_artillery_missile_attack")
    assert not kinds_apart(None, "chemical_weapon")     # an unknown sub-type says nothing


def test_a_chemical_attack_told_by_another_source_is_not_the_air_strike_before_it(model):
    # the fold model reads «هجوم كيماوي» after the strike on the base as the same happening
    # told by another source; a chemical attack is a kind of its own: its own claim group
    evs = events_of("اتهمت سوريا إسرائيل بالوقوف وراء قصف قاعدة جوية عسكرية قرب مدينة حمص وسط البلاد. "
                    "وقالت وكالة الأنباء السورية إن طائرات إسرائيلية أطلقت صواريخ على القاعدة فجر الاثنين. "
                    "ويأتي ذلك بعد أن قال الدفاع المدني إن ما يشتبه بأنه هجوم كيماوي استهدف مدينة دوما مساء السبت.",
                    model)
    strike = [e for e in evs if e.sub_type == "air_drone_strike"]
    chemical = [e for e in evs if e.sub_type == "chemical_weapon"]
    assert len(strike) == 1 and len(chemical) == 1, [(e.sub_type, e.evidence_text) for e in evs]
    assert chemical[0].claim_group != strike[0].claim_group and chemical[0].same_as is None


@pytest.mark.parametrize("text, kinds", [
    # the air raids told after a chemical attack are not a telling of it
    (("قتل 40 مدنيا في هجوم بغاز الكلور على مدينة دوما في الغوطة الشرقية، بحسب مسعفين. "
      "وشنت طائرات حربية غارات على دوما، حسبما أفاد المرصد السوري."), {"chemical_weapon", "air_drone_strike"}),
    # the chemical attack told after the strikes that answered it is not a telling of them
    (("شنت الولايات المتحدة وبريطانيا وفرنسا فجر السبت ضربات صاروخية على مواقع عسكرية تابعة للنظام السوري، "
      "ردا على هجوم كيماوي مفترض على مدينة دوما في الغوطة الشرقية. "
      "وقال المرصد السوري إن الهجوم الكيماوي على دوما أودى بحياة 40 مدنيا."),
     {"chemical_weapon", "shelling_artillery_missile_attack"}),
])
def test_a_chemical_attack_is_never_folded_into_a_strike_of_another_kind(text, kinds):
    # every candidate kept: what is asked is whether the fold joins the two kinds
    evs = [e for e in events_of(text, ModelDecision(threshold=0.0)) if e.type == "explosions_remote_violence"]
    assert {e.sub_type for e in evs} == kinds and len(evs) == 2, [(e.sub_type, e.evidence_text) for e in evs]
    chemical = next(e for e in evs if e.sub_type == "chemical_weapon")
    other = next(e for e in evs if e.sub_type != "chemical_weapon")
    assert not any("كيماوي" in m["text"] or "بغاز" in m["text"] for m in other.mentions)
    assert chemical.places and chemical.places[0].name == "دوما"


def test_a_denial_of_strikes_pointed_back_to_is_theirs_whatever_else_its_sentence_names(model):
    # the Pentagon denies «هذه الغارات» (the strikes on T4 told before); the sentence also
    # names the chemical attack in Douma they came after: the denial answers the strikes (the
    # demonstrative points back whatever other places the sentence names), and the chemical
    # attack told beside it is not the Pentagon's denial
    text = ("تعرض مطار التيفور العسكري في وسط سوريا إلى غارات جوية بصواريخ أوقعت عددا من القتلى والجرحى، "
            "بحسب وكالة الأنباء السورية.\n"
            "ونفى البنتاغون أن تكون الولايات المتحدة قد نفذت هذه الغارات التي تأتي بعد \"هجوم كيميائي\" مفترض "
            "تسبب في مقتل العشرات في دوما قرب دمشق.")
    evs = events_of(text, model)
    told = [e for e in evs if e.stance == "assert" and e.sub_type == "air_drone_strike"]
    denial = [e for e in evs if e.stance == "deny"]
    assert len(told) == 1 and len(denial) == 1, [(e.sub_type, e.stance, e.evidence_text) for e in evs]
    assert text[denial[0].trigger.start:denial[0].trigger.end] == "الغارات"
    assert denial[0].sub_type == "air_drone_strike" and denial[0].claim_group == told[0].claim_group
    assert [s.name for s in denial[0].sources] == ["البنتاغون"]
