"""Typed records that flow through the pipeline.

Every span is ``start``/``end`` character offsets into the raw text of the document it
was read from (see ../shared/docs/export-format.md): ``raw[start:end] == text``.
"""
from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass(slots=True, frozen=True)
class Span:
    start: int
    end: int

    def text(self, raw: str) -> str:
        return raw[self.start:self.end]

    def as_dict(self) -> dict[str, int]:
        return {"start": self.start, "end": self.end}


@dataclass(slots=True)
class Document:
    """One input document: a file, a JSONL line, a feed entry or a fetched page."""

    id: str                 # doc id: path relative to the input root, JSONL ``id``, entry id/link
    raw: str                # decoded text exactly as read (HTML for HTML inputs)
    kind: str               # "text" | "html"
    source: str             # where it came from: file path, URL, "file.jsonl:12"
    content_hash: str = ""  # sha256 of raw
    encoding: str | None = None
    title: str | None = None
    url: str | None = None
    published: str | None = None  # ISO date or datetime, when known
    fetched: str | None = None    # ISO datetime of reading
    author: str | None = None
    meta: dict[str, Any] = field(default_factory=dict)


@dataclass(slots=True)
class Article:
    """One article found in a document: its body as raw-offset paragraph spans."""

    id: str
    doc: str
    index: int                      # 1-based position in the document
    paragraphs: list[Span]
    title: str | None = None
    title_span: Span | None = None  # where the title stands in raw, when it does
    subtitle_span: Span | None = None
    headings: list[Span] = field(default_factory=list)  # crossheads inside the body
    author: str | None = None
    published: str | None = None
    text_hash: str = ""             # sha1 of the normalised body: exact duplicates
    n_words: int = 0
    duplicate_of: str | None = None
    dedup_cluster: str | None = None
    story: str | None = None
    norm_text: str = ""             # normalised body (one line per paragraph), for matching

    def body(self, raw: str, sep: str = "\n") -> str:
        return sep.join(raw[p.start:p.end] for p in self.paragraphs)


@dataclass(slots=True)
class Reject:
    """An input (or part of one) that could not be processed, and why."""

    source: str
    reason: str          # short machine-readable reason: "empty", "binary", "encoding", "json", ...
    detail: str = ""
    doc: str | None = None


# ---------------------------------------------------------------- language layer

@dataclass(slots=True)
class Place:
    """A place mention, resolved against the gazetteer when possible."""

    start: int
    end: int
    text: str                       # raw[start:end]
    name: str                       # the name as written, without clitics and cue words
    lat: float | None = None
    lon: float | None = None
    country: str | None = None      # ISO 3166-1 alpha-2
    precision: str = "town"         # town | near | region | country
    gazetteer_id: str | None = None
    role: str = "location"          # location | origin | destination | via (events)
    admin1: str | None = None
    feature: str | None = None      # city, village, admin1, admin2, admin3, country, region, crossing ...
    admin2: str | None = None       # the district, where imported OCHA names give it (gazetteer.admin2)
    admin2_ar: str | None = None    # its Arabic name


@dataclass(slots=True)
class ActorMention:
    start: int
    end: int
    text: str
    key: str                        # canonical actor key (isis, iraq_forces, ...)


@dataclass(slots=True)
class Speaker:
    start: int
    end: int
    text: str
    name: str                       # who speaks: a person, "مصدر أمني", an institution
    role: str | None = None         # spokesman, official, source, outlet, institution ...
    actor: str | None = None        # canonical key of the body the speaker speaks for


@dataclass(slots=True)
class Quantity:
    start: int
    end: int
    text: str
    value: int | float | None       # None for vague amounts ("hundreds")
    approx: bool = False
    unit: str | None = None         # the counted noun as written (عناصر, مقاتلين, ...)
    unit_class: str | None = None   # its class: fighters, families, vehicles, buses, civilians, villages ...


@dataclass(slots=True)
class DateRef:
    start: int
    end: int
    text: str
    date: str | None                # ISO date, None when it cannot be derived
    precision: str = "day"          # day | week | month | year | unknown


MAIN_PLACE_ROLES = ("location", "destination", "origin", "via")


def main_place(places):
    """An event's main place: its first located place of the first role in
    ``MAIN_PLACE_ROLES`` that has one (the CSV's location, admin1, latitude; the API's
    admin1 filter; the pair model). ``places``: :class:`Place` records or exported dicts."""
    def get(p, k):
        return p.get(k) if isinstance(p, dict) else getattr(p, k)
    located = [p for p in places or () if get(p, "lat") is not None]
    for role in MAIN_PLACE_ROLES:
        for p in located:
            if get(p, "role") == role:
                return p
    return None


def as_dict(rec: Any) -> dict[str, Any]:
    """Plain dict of a record (spans as ``{start, end}``)."""
    return asdict(rec)


# ---------------------------------------------------------------- events

@dataclass(slots=True)
class Claim:
    """Who says an event happened (or denies it): one attribution of an Event."""

    name: str                       # as shown: «الزبيدي», «مصدر أمني», «التحالف»
    stance: str = "assert"          # assert | deny
    start: int | None = None        # where the speaker is named (raw offsets), when it is
    end: int | None = None
    role: str | None = None         # spokesman, source, outlet, institution ...
    actor: str | None = None        # canonical key of the body the speaker speaks for


@dataclass(slots=True)
class Event:
    """One event claim: what one source says happened (export: one line of events.jsonl)."""

    id: str
    doc: str
    article: str
    type: str
    sub_type: str | None
    evidence: Span                  # the clause or sentence that states it (raw offsets)
    evidence_text: str
    trigger: Span | None = None
    actor: str | None = None
    actor2: str | None = None
    places: list[Place] = field(default_factory=list)
    count: Quantity | None = None
    fatalities: int | None = None
    date: str | None = None
    date_precision: str = "unknown"
    sources: list[Claim] = field(default_factory=list)
    claim_group: str | None = None
    stance: str = "assert"          # deny when the source denies it happened
    sentence: Span | None = None    # the whole sentence the evidence is in
    confidence: float | None = None  # the decision's probability that this is a reported happening
    cues: tuple[str, ...] = ()      # why the rules would not take it (features of the decision; not exported)
    kill_only: bool = False         # proposed from killing words alone (internal)
    mentions: list[dict] = field(default_factory=list)   # later tellings folded into this one {start, end, text}
    same_as: str | None = None      # the event another source's claim tells again (joins its claim group)

    def as_export(self) -> dict[str, Any]:
        """The export-contract dict (../shared/docs/export-format.md) plus extras."""
        c = self.count
        return {
            "id": self.id, "doc": self.doc, "article": self.article,
            "type": self.type, "sub_type": self.sub_type,
            "actor": self.actor, "actor2": self.actor2,
            "places": [{"role": p.role, "name": p.name, "lat": p.lat, "lon": p.lon, "country": p.country,
                        "precision": p.precision, "gazetteer_id": p.gazetteer_id, "admin1": p.admin1,
                        "start": p.start, "end": p.end, "text": p.text,
                        **({"admin2": p.admin2, "admin2_ar": p.admin2_ar} if p.admin2 else {})}
                       for p in self.places],
            "count": ({"value": c.value, "approx": c.approx, "unit": c.unit, "text": c.text,
                       "unit_class": c.unit_class, "start": c.start, "end": c.end} if c else None),
            "fatalities": self.fatalities,
            "date": self.date, "date_precision": self.date_precision,
            "sources": [{"name": s.name, "stance": s.stance, "role": s.role, "actor": s.actor,
                         "start": s.start, "end": s.end} for s in self.sources],
            "claim_group": self.claim_group,
            "evidence": {"start": self.evidence.start, "end": self.evidence.end, "text": self.evidence_text},
            "trigger": self.trigger.as_dict() if self.trigger else None,
            "sentence": self.sentence.as_dict() if self.sentence else None,
            "stance": self.stance,
            "confidence": self.confidence,
            "mentions": list(self.mentions),
        }


_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def clean_str(s: str) -> str:
    """``s`` with every lone surrogate (which UTF-8, SQLite and Parquet refuse) replaced by
    U+FFFD: one character for one, so offsets into ``s`` still hold."""
    return _LONE_SURROGATE.sub("\ufffd", s) if _LONE_SURROGATE.search(s) else s
