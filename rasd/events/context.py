"""One article being read (:class:`_Ctx`) and the helpers every part of event reading
shares: offsets between raw and normalised text, word counts, the packaged data files."""
from __future__ import annotations

import collections
import re
from bisect import bisect_right
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

from ..lang.analyse import Analysis
from ..lang.wordlists import words
from ..records import Article, Document, Event, Span, Speaker

def _data(name: str) -> list[list[str]]:
    text = resources.files("rasd").joinpath(f"data/{name}").read_text("utf-8")
    return [line.split("\t") for line in text.splitlines() if line.strip() and not line.startswith("#")]


_WORD_RUN = re.compile(r"[^\W_]+")
_NAQL = words("naql")   # the verb «نقل» (carry, relay) in its trigger forms


WORDS_CAP = 64     # every rule asks "at most N words apart" with N well under this


_PROCLITIC_AL = re.compile(r"^[وفبل]?(ال|لل)?")


def bare_word(w: str) -> str:
    """A normalised word without a leading و/ف/ب/ل and «ال» («والغارات» → «غارات»)."""
    return _PROCLITIC_AL.sub("", w)


def _words_between(nt_text: str, a: int, b: int) -> int:
    """Words in ``nt_text[a:b]``, counted up to a little past :data:`WORDS_CAP` (a count
    above it is only "far"): a long sentence must not make every pair of mentions in it
    cost its whole length."""
    n = 0
    while a < b and n <= WORDS_CAP:
        e = min(b, a + 1024)
        n += len(_WORD_RUN.findall(nt_text, a, e))
        a = e
    return n


@dataclass
class _Ctx:
    """One article being read: its analysis and what the discourse has established."""

    doc: Document
    art: Article
    an: Analysis
    raw: str
    norm: str                      # normalised working copy (same offsets as raw only via nt)
    last_speaker: Speaker | None = None
    last_group: str | None = None  # the non-state group the article is about
    events: list[Event] = field(default_factory=list)
    cues_in_names: set[int] = field(default_factory=set)  # starts of modality cues inside names
    sides: "collections.Counter | None" = None  # how often each actor is named in the article
    gz: Any = None                  # the gazetteer (looked up once per article)
    sents: list[Span] = field(default_factory=list)   # the article's sentences
    sentence_features: dict[int, list[str]] = field(default_factory=dict)  # by sentence start (features.py)
    propose: bool = False          # keep candidates the rules would drop, with their reasons (cues)
    proposed: list[Event] = field(default_factory=list)   # the candidates of the sentences so far
    proposed_types: "collections.Counter" = field(default_factory=collections.Counter)  # their types (with a trigger)
    free_places: Any = None        # (starts, places) of the places that are no name's part (arguments.py)
    located: Any = None            # (ends, places) of the located places that are no actor's name
    clauses: dict[Span, list[Span]] = field(default_factory=dict)   # by sentence (candidates.py)
    triggers: list = field(default_factory=list)   # the article's trigger words, in order (candidates.propose)
    late_dates: dict[Span, Any] = field(default_factory=dict)   # by sentence: find_dates(late=True) (arguments.py)
    # by trigger start: the parties read with and without those that answer it (candidates.py, finish)
    answer_picks: dict[int, Any] = field(default_factory=dict)
    answers: list = field(default_factory=list)   # (denial, claim it answers) of denied back-references (attribution.py)
    chemical_told: bool | None = None   # whether the article holds a chemical word (attribution.chemical_article)


def _n(ctx: _Ctx, raw_pos: int) -> int:
    """Normalised offset of a raw offset (first normalised char at or after it)."""
    return ctx.an.nt.norm_index(raw_pos)


_INF = float("inf")


def _within(a: int, b: int, sorted_spans: list[tuple[int, int]]) -> bool:
    """[a, b) lies inside one of the (start-sorted) spans."""
    i = bisect_right(sorted_spans, (a, _INF)) - 1
    while i >= 0 and sorted_spans[i][0] <= a:
        if b <= sorted_spans[i][1]:
            return True
        if a - sorted_spans[i][0] > 200:
            break
        i -= 1
    return False


def _inside(a: int, b: int, spans) -> bool:
    return any(s.start <= a and b <= s.end for s in spans)
