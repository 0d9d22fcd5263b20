"""A denial answers a claim of its place, not one told of a place far away (issue #13, claim
groups that hold): «ضربات روسيا في الغوطة الشرقية» denied does not join the shelling of Afrin
told before it, and keeps its own place. Sentences written for this rule."""
from __future__ import annotations

from rasd.clean import split_articles
from rasd.events import extract_events
from rasd.events.grouping import places_apart
from rasd.ingest import make_document
from rasd.records import Event, Place, Span

TEXT = ("قال المرصد السوري لحقوق الإنسان إن قصفا مدفعيا تركيا استهدف مدينة عفرين فجر الجمعة وأدى إلى مقتل 18 مدنيا.\n"
        "وفي الغوطة الشرقية، قالت وزارة الدفاع الروسية إن الأنباء حول ضربات روسية في الغوطة الشرقية ليست سوى خبر كاذب.\n")


def events_of(text: str):
    doc = make_document("t.txt", text, kind="text", source="t.txt", published="2018-03-16")
    return [e for a in split_articles(doc) for e in extract_events(doc, a)]


def test_a_denial_does_not_take_the_place_of_a_claim_far_away():
    evs = events_of(TEXT)
    afrin = [e for e in evs if e.stance == "assert" and any(p.name == "عفرين" for p in e.places)]
    assert afrin, [(e.stance, e.evidence_text) for e in evs]
    for d in (e for e in evs if e.stance == "deny"):
        assert not any(p.name == "عفرين" for p in d.places), [p.name for p in d.places]
        assert d.same_as not in {a.id for a in afrin}


def _ev(lat: float, lon: float, precision: str = "town") -> Event:
    return Event(id="e", doc="d", article="a", type="explosions_remote_violence", sub_type=None,
                 evidence=Span(0, 1), evidence_text="x", places=[
        Place(0, 1, "x", name="x", lat=lat, lon=lon, country="SY", precision=precision, role="location")])


def test_places_apart_reads_the_distance_between_places_finer_than_a_country():
    afrin, douma, harasta = _ev(36.51, 36.87), _ev(33.57, 36.40), _ev(33.56, 36.37)
    assert places_apart(afrin, douma)
    assert not places_apart(douma, harasta)
    assert not places_apart(afrin, _ev(35.0, 38.5, precision="country"))   # a country says nothing
    moscow = _ev(55.75, 37.62)
    moscow.places[0].feature = "capital"
    assert not places_apart(moscow, douma)                                   # nor a capital (its government)


def test_a_denial_of_the_shelling_joins_the_air_strikes_told_after_it():
    from rasd.events import assign_groups
    text = ("نفت روسيا أي مشاركة لها في القصف على الغوطة الشرقية الذي أوقع 250 قتيلا منذ الأحد.\n"
            "وقال المرصد إن غارات جوية استهدفت بلدة حمورية في الغوطة الشرقية صباح الأربعاء وأوقعت 30 قتيلا.\n")
    evs = events_of(text)
    assign_groups(evs, lambda e: [])
    denied = [e for e in evs if e.stance == "deny"]
    asserted = [e for e in evs if e.stance == "assert" and e.type == "explosions_remote_violence"]
    assert denied and asserted, [(e.stance, e.sub_type, e.evidence_text) for e in evs]
    assert denied[0].claim_group == asserted[0].claim_group
