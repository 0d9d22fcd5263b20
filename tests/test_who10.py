"""Who did it, read from a nationality adjective after a definite strike noun and its
adjectives (issue #12 "who"): «الغارات الجوية الإسرائيلية», «الهجوم العسكري التركي»; an
adjective after another noun is the target's («قواعد عسكرية إيرانية»). Sentences written for
these rules (none from the corpus)."""
from __future__ import annotations

import pytest

from rasd.clean import split_articles
from rasd.events import extract_events
from rasd.ingest import make_document


def strike(text: str):
    doc = make_document("t.txt", text, kind="text", source="t.txt", published="2018-04-16")
    evs = [e for a in split_articles(doc) for e in extract_events(doc, a)
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
