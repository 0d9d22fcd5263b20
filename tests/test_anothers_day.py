"""A date told after the words of a chemical attack, between them and the words of the strikes
that answer it, is the attack's day, not the strikes' (rasd.events.arguments._When.anothers_day).
Sentences written for this test."""
from __future__ import annotations

from rasd.clean import split_articles
from rasd.events import extract_events
from rasd.events.decision import ModelDecision
from rasd.ingest import make_document


def events_of(text: str, published: str = "2018-04-14"):
    doc = make_document("t.txt", text, kind="text", source="t.txt", published=published)
    return [e for a in split_articles(doc) for e in extract_events(doc, a, decision=ModelDecision(threshold=0.0))]


def test_the_strikes_do_not_take_the_day_of_the_attack_they_answer():
    evs = events_of("وشنت الولايات المتحدة وفرنسا غارات جوية على مواقع عسكرية في سوريا ردا على هجوم كيماوي "
                    "على مدينة دوما الأسبوع الماضي.")
    strikes = [e for e in evs if e.sub_type == "air_drone_strike"]
    assert strikes and all(e.date == "2018-04-14" and e.date_precision == "reported" for e in strikes), \
        [(e.sub_type, e.date, e.date_precision) for e in evs]


def test_a_strike_keeps_the_day_told_after_its_own_words():
    evs = events_of("وشنت طائرات حربية غارات جوية على مدينة دوما الأسبوع الماضي.")
    strikes = [e for e in evs if e.sub_type == "air_drone_strike"]
    assert strikes and all(e.date_precision == "week" for e in strikes), [(e.date, e.date_precision) for e in strikes]
