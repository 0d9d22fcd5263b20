"""A word of «نقل» that names a transport aircraft, or carries news or weapons, is no
movement of people, even when the decision keeps it (candidates.drop_other_senses).
Sentences written for these tests."""
from __future__ import annotations

import pytest

from rasd.clean import split_articles
from rasd.events import extract_events
from rasd.events.decision import ModelDecision
from rasd.ingest import make_document


def movements(text: str):
    doc = make_document("t.txt", text, kind="text", source="t.txt", published="2018-03-23")
    # the decision keeps every candidate: what is dropped is dropped after it
    return [e for a in split_articles(doc) for e in extract_events(doc, a, decision=ModelDecision(threshold=0.0))
            if e.type == "movement"]


@pytest.mark.parametrize("text", [
    "وتحطمت طائرة نقل عسكرية روسية أثناء هبوطها في قاعدة حميميم.",
    "ونقلت عدة مجموعات معارضة أخباراً عن قصف عنيف على البلدة.",
    "وقالت المصادر إن طهران نقلت صواريخ بعيدة المدى إلى سوريا الشهر الماضي.",
])
def test_a_transport_plane_news_or_weapons_are_no_movement(text):
    assert movements(text) == [], [(e.sub_type, e.evidence_text) for e in movements(text)]


def test_people_carried_are_a_movement():
    assert movements("ونقلت حافلات مئات المقاتلين وعائلاتهم من حرستا إلى إدلب مساء الخميس.")
