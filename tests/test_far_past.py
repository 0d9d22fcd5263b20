"""A happening the text dates more than FAR_PAST_DAYS before the report is background, not
a reported happening (issue #11: «في هجوم شرس شنه في يونيو 2014», timelines, anniversaries).
Sentences written for this rule."""
from __future__ import annotations

from datetime import date

import pytest

from rasd.clean import split_articles
from rasd.events import FAR_PAST_DAYS, drop_far_past, extract_events
from rasd.ingest import make_document
from rasd.records import Event, Span


def events_of(text: str, published: str = "2018-04-10"):
    doc = make_document("t.txt", text, kind="text", source="t.txt", published=published)
    return [e for a in split_articles(doc) for e in extract_events(doc, a)]


def test_a_strike_dated_a_year_before_the_report_is_not_stored():
    evs = events_of("قتل عشرات المدنيين في هجوم بغاز السارين على بلدة خان شيخون في 4 أبريل 2017.")
    assert not [e for e in evs if e.type == "explosions_remote_violence"], [(e.date, e.evidence_text) for e in evs]


def test_a_strike_of_the_week_before_is_stored_with_its_day():
    evs = events_of("قتل خمسة مدنيين في قصف مدفعي على بلدة حمورية في الغوطة الشرقية يوم 6 أبريل.")
    assert [e.date for e in evs if e.type == "explosions_remote_violence"] == ["2018-04-06"]


def _ev(d: str | None, precision: str) -> Event:
    return Event(id="e", doc="d", article="a", type="battles", sub_type="armed_clash", evidence=Span(0, 1),
                 evidence_text="x", date=d, date_precision=precision)


@pytest.mark.parametrize("d,precision,kept", [
    ("2018-03-11", "day", True),                 # 30 days before: kept
    ("2018-03-10", "day", False),                # 31 days: background
    ("2018-03-01", "month", True),               # «في مارس» in an April report: the month ended 10 days before
    ("2018-02-01", "month", False),
    ("2017-04-04", "reported", True),            # a report's day is no date of the text's own
    (None, "unknown", True),
])
def test_drop_far_past_reads_the_text_s_own_date(d, precision, kept):
    assert FAR_PAST_DAYS == 30
    assert bool(drop_far_past([_ev(d, precision)], "2018-04-10")) is kept
    assert (date(2018, 4, 10) - date(2018, 3, 11)).days == 30
