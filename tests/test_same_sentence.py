"""Two events of one kind read from one sentence are one happening told with two words
(issue #11: "a second event of the same kind from the same clause" joins the first), unless
the sentence tells them apart (rasd.events.grouping.merge_same_sentence). Events and
sentences written for these tests."""
from __future__ import annotations

from rasd.events.grouping import merge_same_sentence
from rasd.records import Claim, Event, Place, Span

SENT = Span(0, 200)


def _ev(i: int, typ: str = "riots", sub: str = "violent_demonstration", *, places=(), actor=None, actor2=None,
        sources=(), stance="assert", date=None, precision="unknown", sentence=SENT) -> Event:
    return Event(id=f"a:e{i}", doc="d", article="a", type=typ, sub_type=sub, evidence=Span(i * 10, i * 10 + 8),
                 evidence_text=f"telling {i}", trigger=Span(i * 10, i * 10 + 4), actor=actor, actor2=actor2,
                 places=list(places), sources=[Claim(s) for s in sources], stance=stance, date=date,
                 date_precision=precision, sentence=sentence)


def _town(name: str, gid: str, role: str = "location") -> Place:
    return Place(0, len(name), name, name, 32.0, 45.0, "IQ", "town", gid, role)


KUT = _town("الكوت", "gn:1")
HILLA = _town("الحلة", "gn:2")


def test_two_riot_words_of_one_sentence_are_one_event():
    # «اقتحم متظاهرون مقر الحزب في الكوت وأحرقوه»: both words typed riots, one happening
    a, b = _ev(1, places=[KUT], actor="protesters"), _ev(2, places=[KUT], actor="protesters")
    out = merge_same_sentence([a, b])
    assert out == [a]
    assert [m["text"] for m in a.mentions] == ["telling 2"]


def test_the_second_telling_with_no_place_or_doer_joins_and_fills():
    a = _ev(1, places=[KUT])
    b = _ev(2, actor="protesters")
    assert merge_same_sentence([a, b]) == [a]
    assert a.actor == "protesters"


def test_two_towns_are_two_happenings():
    # «قصف ... على الكوت والحلة»: one event per place
    a = _ev(1, "explosions_remote_violence", "air_drone_strike", places=[KUT])
    b = _ev(2, "explosions_remote_violence", "air_drone_strike", places=[HILLA])
    assert merge_same_sentence([a, b]) == [a, b]


def test_other_sentences_kinds_sources_stances_days_and_sides_stay_apart():
    other_sentence = _ev(2, sentence=Span(201, 300))
    assert len(merge_same_sentence([_ev(1), other_sentence])) == 2
    assert len(merge_same_sentence([_ev(1), _ev(2, "protests", "peaceful_protest")])) == 2
    assert len(merge_same_sentence([_ev(1, sources=["المرصد"]), _ev(2, sources=["وكالة سانا"])])) == 2
    assert len(merge_same_sentence([_ev(1), _ev(2, stance="deny")])) == 2
    assert len(merge_same_sentence([_ev(1, date="2018-07-13", precision="day"),
                                    _ev(2, date="2018-07-14", precision="day")])) == 2
    assert len(merge_same_sentence([_ev(1, "battles", "armed_clash", actor="isis", actor2="iraq_forces"),
                                    _ev(2, "battles", "armed_clash", actor="pmf", actor2="isis")])) == 2
    # (one named source and none: the same telling)
    assert len(merge_same_sentence([_ev(1, sources=["المرصد"]), _ev(2)])) == 1


def test_a_clash_told_from_each_side_is_one_clash():
    a = _ev(1, "battles", "armed_clash", actor="isis", actor2="syria_gov")
    b = _ev(2, "battles", "armed_clash", actor="syria_gov", actor2="isis")
    assert merge_same_sentence([a, b]) == [a]


def test_a_departure_and_an_arrival_are_one_movement_from_a_to_b():
    # «غادروا القنيطرة ... ووصلوا إلى إدلب»
    left = _ev(1, "movement", "relocation", places=[_town("القنيطرة", "gn:3", "origin")], actor="civilians")
    came = _ev(2, "movement", "relocation", places=[_town("إدلب", "gn:4", "destination")], actor="civilians")
    out = merge_same_sentence([left, came])
    assert out == [left]
    assert [(p.name, p.role) for p in left.places] == [("القنيطرة", "origin"), ("إدلب", "destination")]


def test_two_movements_from_two_places_stay_two():
    a = _ev(1, "movement", "evacuation", places=[_town("القنيطرة", "gn:3", "origin")])
    b = _ev(2, "movement", "evacuation", places=[_town("درعا", "gn:5", "origin")])
    assert len(merge_same_sentence([a, b])) == 2


def test_a_claim_pointing_at_the_merged_telling_points_at_the_kept_one():
    a, b = _ev(1, places=[KUT]), _ev(2, places=[KUT])
    c = _ev(3, sources=["الشرطة"], sentence=Span(201, 300))
    c.same_as = b.id
    out = merge_same_sentence([a, b, c])
    assert out == [a, c] and c.same_as == a.id


def test_a_source_named_short_is_the_same_source():
    from rasd.events.grouping import two_sources

    def told(*names):
        return _ev(1, sources=names)
    assert not two_sources(told("المرصد السوري"), told("المرصد السوري لحقوق الإنسان"))
    assert not two_sources(told("مرصد السوري لحقوق الإنسان"), told("المرصد السوري لحقوق الإنسان"))
    assert two_sources(told("وزارة الدفاع الروسية"), told("وزارة الدفاع الأمريكية"))
    assert two_sources(told("الجيش"), told("الجيش السوري"))        # one word says too little
    assert two_sources(told("سانا"), told("المرصد السوري"))
    assert not two_sources(told("سانا"), _ev(2))                     # one claim names no source
