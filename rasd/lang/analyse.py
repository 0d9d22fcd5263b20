"""The language layer in one call: places, actors, speakers, quantities and dates of a text.

``analyse(raw, spans)`` looks only at the given spans of ``raw`` (an article's paragraphs):
everything else is replaced by spaces in a same-length working copy, so one normalised
text covers the whole article (speakers introduced in one paragraph are known in the
next) and every offset found is an offset into ``raw`` itself. Markup inside HTML
paragraphs is blanked the same way.
"""
from __future__ import annotations

import re
from bisect import bisect_left
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime

from ..records import ActorMention, DateRef, Place, Quantity, Span, Speaker
from .normalize import NormText, normalize

_TAG = re.compile(r"<[^>]*>|&[#\w]+;")
GOVERNMENT_COUNTRIES = ("IQ", "SY", "LB")


@dataclass
class Analysis:
    nt: NormText                        # normalised working copy (same length as raw)
    places: list[Place] = field(default_factory=list)
    actors: list[ActorMention] = field(default_factory=list)
    speakers: list[Speaker] = field(default_factory=list)
    quantities: list[Quantity] = field(default_factory=list)
    dates: list[DateRef] = field(default_factory=list)
    country: str | None = None          # the text's main country (ISO alpha-2)
    _index: dict = field(default_factory=dict, repr=False, compare=False)

    def between(self, kind: str, start: int, end: int) -> list:
        """The mentions of ``kind`` ("places", "actors", "speakers", "quantities", "dates")
        that start in raw ``[start, end)``, in order (an index built once: a long paragraph
        must not make every sentence rescan the whole article)."""
        idx = self._index.get(kind)
        if idx is None:
            items = sorted(getattr(self, kind), key=lambda x: x.start)
            idx = self._index[kind] = ([x.start for x in items], items)
        starts, items = idx
        return items[bisect_left(starts, start):bisect_left(starts, end)]

    def in_speaker(self, x) -> bool:
        """``x`` (a span-like mention) lies inside a speaker's words («مصدر سوري في دير الزور»)."""
        inside = self._index.get("in_speaker")
        if inside is None:
            inside = {(a.start, a.end) for a, reach in reaches((*self.actors, *self.places), self.speakers)
                      if reach >= a.end}
            self._index["in_speaker"] = inside
        return (x.start, x.end) in inside


def reaches(items, spans):
    """``(item, reach)`` for each of ``items`` in text order, ``reach`` the furthest end of
    the ``spans`` that start at or before the item (-1 when none): the item lies inside one
    of them when ``reach >= item.end``, starts inside one when ``reach > item.start``. One
    sweep, not a scan of every span per item."""
    spans = sorted((s.start, s.end) for s in spans)
    k, reach = 0, -1
    for x in sorted(items, key=lambda x: x.start):
        while k < len(spans) and spans[k][0] <= x.start:
            reach = max(reach, spans[k][1])
            k += 1
        yield x, reach


def masked(raw: str, spans: list[Span] | None, *, html: bool = False) -> str:
    """``raw`` with everything outside ``spans`` (and markup, for HTML) blanked."""
    if spans is None:
        out = raw
    else:
        parts = []
        pos = 0
        for sp in sorted(spans, key=lambda s: s.start):
            gap = raw[pos:sp.start]
            parts.append(re.sub(r"[^\n]", " ", gap))
            parts.append(raw[sp.start:sp.end])
            pos = sp.end
        parts.append(re.sub(r"[^\n]", " ", raw[pos:]))
        out = "".join(parts)
    if html:
        out = _TAG.sub(lambda m: " " * len(m.group()), out)
    return out


def view(raw: str, spans: list[Span] | None = None, *, html: bool = False) -> NormText:
    """The normalised working copy the language layer reads: ``raw`` masked to ``spans``."""
    return normalize(masked(raw, spans, html=html))


def _as_date(published: str | date | None) -> date | None:
    if published is None or isinstance(published, date):
        return published
    try:
        return datetime.fromisoformat(published.replace("Z", "+00:00")).date()
    except ValueError:
        try:
            from email.utils import parsedate_to_datetime
            return parsedate_to_datetime(published).date()
        except (TypeError, ValueError, IndexError):
            return None


def main_country(places: list[Place]) -> str | None:
    """The country most places of the text are in (countries named count too)."""
    c = Counter(p.country for p in places if p.country)
    return c.most_common(1)[0][0] if c else None


def analyse(raw: str, spans: list[Span] | None = None, *, published: str | date | None = None,
            html: bool = False, nt: NormText | None = None,
            amounts_in: list[Span] | None = None) -> Analysis:
    """Everything the language layer finds in ``raw`` (restricted to ``spans``).
    ``nt``: the normalised view of ``raw`` and ``spans`` (:func:`view`) when the caller has it.
    ``amounts_in``: sorted raw spans where the caller reads quantities and dates (event
    sentences); those that start there are found, the rest of the text is not searched."""
    from ..places.recognize import find_places
    from .actors import find_actors, resolve_references
    from .dates import find_dates
    from .quantities import find_quantities
    from .speakers import find_speakers

    if nt is None:
        nt = view(raw, spans, html=html)
    a = Analysis(nt)
    a.places = find_places(nt)
    a.country = main_country(a.places)
    hint = a.country if a.country in GOVERNMENT_COUNTRIES else None
    actors = find_actors(nt, country_hint=hint)
    a.actors = resolve_references(nt, actors)
    a.speakers = find_speakers(nt, actors, country_hint=hint)
    within = None if amounts_in is None else [(nt.norm_index(s.start), nt.norm_index(s.end)) for s in amounts_in]
    a.quantities = find_quantities(nt, within=within)
    a.dates = find_dates(nt, _as_date(published), within=within)
    # the working copy equals raw inside the spans: make every text a slice of raw itself
    for rec in (*a.places, *a.actors, *a.speakers, *a.quantities, *a.dates):
        rec.text = raw[rec.start:rec.end]
    return a


def tag_record(doc_id: str, raw: str, *, published: str | date | None = None) -> dict:
    """What ``rasd tag`` prints for one text (../shared/docs/export-format.md)."""
    a = analyse(raw, published=published)

    def base(x) -> dict:
        return {"start": x.start, "end": x.end, "text": x.text}

    return {
        "id": doc_id,
        "places": [{**base(p), "name": p.name, "lat": p.lat, "lon": p.lon, "country": p.country,
                    "precision": p.precision, "gazetteer_id": p.gazetteer_id, "feature": p.feature}
                   for p in a.places],
        "actors": [{**base(x), "key": x.key} for x in a.actors],
        "speakers": [{**base(x), "name": x.name, "role": x.role, "actor": x.actor} for x in a.speakers],
        "quantities": [{**base(q), "value": q.value, "approx": q.approx, "unit": q.unit,
                        "unit_class": q.unit_class} for q in a.quantities],
        "dates": [{**base(d), "date": d.date, "precision": d.precision} for d in a.dates],
    }
