"""Who did it, read from a nationality adjective after a definite strike noun and its
adjectives (issue #12 "who"): «الغارات الجوية الإسرائيلية», «الهجوم العسكري التركي»; an
adjective after another noun is the target's («قواعد عسكرية إيرانية»). Sentences written for
these rules (none from the corpus)."""
from __future__ import annotations

import pytest

from rasd.clean import split_articles
from rasd.events import extract_events
from rasd.events.decision import RuleDecision
from rasd.ingest import make_document


def strike(text: str):
    # (the rules decide which candidates are events: what is read here is the doer, not which
    # one-sentence documents the learned decision keeps)
    doc = make_document("t.txt", text, kind="text", source="t.txt", published="2018-04-16")
    evs = [e for a in split_articles(doc) for e in extract_events(doc, a, decision=RuleDecision())
           if e.type in ("explosions_remote_violence", "battles")]
    assert evs, text
    return evs[0]


DOERS = [
    ("استهدفت الغارات الجوية الإسرائيلية مواقع في ريف حمص مساء الثلاثاء.", "israel_forces"),
    ("أدى الهجوم العسكري التركي على مدينة عفرين إلى مقتل عشرة مدنيين يوم الأحد.", "turkey_forces"),
    ("قتل خمسة مدنيين في القصف المدفعي التركي على قرية في ريف حلب يوم الأحد.", "turkey_forces"),
    ("قتل خمسة مدنيين في الضربات العسكرية الأمريكية على قرية في ريف دير الزور يوم الأحد.", "us_forces"),
    ("بدأ الهجوم البري التركي على بلدة راجو فجر الأحد.", "turkey_forces"),
    # as before: the indefinite forms
    ("شنت الطائرات غارات جوية إسرائيلية على مواقع في ريف حمص مساء الثلاثاء.", "israel_forces"),
]


@pytest.mark.parametrize("text,doer", DOERS)
def test_a_nationality_adjective_after_the_strike_and_its_adjectives_names_the_doer(text, doer):
    assert strike(text).actor == doer


def test_a_nationality_adjective_after_the_target_is_not_the_doer():
    ev = strike("قالت وسائل إعلام رسمية إن الضربة التي استهدفت قواعد عسكرية إيرانية في ريف حماة أوقعت قتلى الأحد.")
    assert ev.actor != "iran_forces"


# the side named among the dead of a strike or an attack is what it hit, not its doer
HARMED = [
    # (text, doer must not be, acted on)
    ("قتل عشرون عنصرا من قوات النظام السوري مساء الأحد جراء غارات جوية استهدفت مواقعهم في ريف حمص.",
     "syria_gov", "syria_gov"),
    ("قتل 30 مقاتلا من الحشد الشعبي في كمين نصبه مسلحو تنظيم داعش قرب مدينة الحويجة يوم الثلاثاء.",
     "pmf", "pmf"),
]


@pytest.mark.parametrize("text,not_doer,acted_on", HARMED)
def test_the_side_among_the_dead_of_a_strike_is_what_it_hit(text, not_doer, acted_on):
    ev = strike(text)
    assert ev.actor != not_doer and ev.actor2 == acted_on


def test_the_dead_of_both_sides_in_clashes_stay_the_sides_of_the_clash():
    ev = strike("قتل 19 من قوات النظام السوري وفصائل المعارضة المسلحة في اشتباكات عنيفة بريف درعا يوم الأحد.")
    assert {ev.actor, ev.actor2} == {"syria_gov", "syria_opposition"}


def test_a_side_that_acts_in_a_clause_of_its_own_stays_the_doer():
    ev = strike("قتل عشرة مدنيين يوم الثلاثاء عندما شرعت القوات الحكومية في قصف بلدة حمورية.")
    assert ev.actor == "syria_gov"


def test_a_strike_with_no_doer_takes_the_doer_of_the_strike_told_next_of_the_other_strike_sub_type():
    text = ("أفاد المرصد بأن قصفا بريا وجويا استهدف بلدة كفرنبل في ريف إدلب فجر الأحد.\n"
            "وقال المرصد إن القصف التركي على البلدة أوقع ثلاثة قتلى.\n")
    assert strike(text).actor == "turkey_forces"
