"""Events: who did what to whom, where, when, how many, and who says so.

One article goes through four stages, each its own module:

1. :mod:`.candidates` — trigger words and phrases (``data/triggers.tsv``) propose
   candidates sentence by sentence, with their arguments (actor and acted-on, places
   with roles, count, fatalities, date) and attribution (who says so, assert or deny);
   what the hand-written rules hold against a candidate (a modality cue of
   ``data/modality.tsv``, a purpose «لاقتحام», a missing argument its frame needs ...)
   is kept as its ``cues``;
2. :mod:`.decision` — takes or drops each candidate: the learned model
   (:mod:`.features`, :mod:`.model`; rebuilt by ``rasd train``) gives a calibrated
   ``confidence`` and the vetoes are features among others; the rules alone are the
   ``rules`` decision;
3. :func:`.candidates.finish` — one event per clause and kind, the killing words'
   fatalities to the nearest kept event, a denial of the claim just made;
4. :mod:`.grouping` — one claim per happening and source in an article (repeats folded
   into the first telling), claim groups across documents.
"""
from __future__ import annotations

from dataclasses import replace
from datetime import date
from functools import partial

from ..lang.analyse import Analysis
from ..records import Article, Document, Event
from .arguments import settle_where, settle_who, toll_fatalities
from .attribution import (
    denial_of_previous,
    denials_of_dropped,
    denies,
    settle_answers,
    settle_stance,
    told_chemical,
)
from .candidates import (
    chemical_by_their_words,
    drop_other_senses,
    finish,
    propose,
    suicide_bombings,
)
from .decision import Decision, current_decision
from .grouping import assign_groups, collapse_restatements, fold_repeats, merge_same_sentence

__all__ = ["extract_events", "assign_groups", "propose", "current_decision", "drop_far_past", "FAR_PAST_DAYS"]


def extract_events(doc: Document, art: Article, *, analysis: Analysis | None = None,
                   decision: Decision | None = None) -> list[Event]:
    """Event claims of one article. An article longer than :data:`MAX_ARTICLE_CHARS` (a
    page that is one huge block) is read in parts of whole paragraphs, so the memory of
    its analysis stays bounded; news articles are far shorter."""
    if analysis is None and sum(p.end - p.start for p in art.paragraphs) > MAX_ARTICLE_CHARS:
        out: list[Event] = []
        for part in _parts(art):
            out.extend(_extract(doc, part, None, decision, first=len(out)))
        return out
    return _extract(doc, art, analysis, decision)


MAX_ARTICLE_CHARS = 500_000


def _parts(art: Article) -> list[Article]:
    parts: list[list] = [[]]
    size = 0
    for p in art.paragraphs:
        if parts[-1] and size + (p.end - p.start) > MAX_ARTICLE_CHARS:
            parts.append([])
            size = 0
        parts[-1].append(p)
        size += p.end - p.start
    return [replace(art, paragraphs=ps) for ps in parts]


def _extract(doc: Document, art: Article, analysis: Analysis | None, decision: Decision | None,
             first: int = 0) -> list[Event]:
    dec = decision or current_decision()
    ctx, n = None, first
    for ctx, sent, cands, kills, atts in propose(doc, art, analysis=analysis, keep_all=dec.keep_all):
        kept = dec(ctx, sent, cands) if cands else []
        if dec.keep_all and cands:
            typed = getattr(dec, "type_dropped", None)
            kept += denials_of_dropped(ctx, cands, kept, atts, typed and partial(typed, ctx, sent, cands))
        for ev in finish(ctx, sent, kept, kills):
            n += 1
            ev.id = f"{art.id}:e{n}"
            ctx.events.append(ev)
        denial_of_previous(ctx, sent, atts)
    if ctx is None:
        return []
    events = fold_repeats(ctx.events, doc.raw, ctx.sents, denied=lambda e: denies(ctx, e),
                          chemical=lambda e: told_chemical(ctx, e)) if dec.keep_all \
        else ctx.events
    events = settle_stance(ctx, settle_who(ctx, settle_where(ctx, collapse_restatements(events))))
    events = suicide_bombings(ctx, chemical_by_their_words(ctx, settle_answers(ctx, events)))
    events = merge_same_sentence(toll_fatalities(ctx, events))
    events = drop_other_senses(ctx, events)
    return reported_dates(drop_far_past(events, doc.published), doc.published)


FAR_PAST_DAYS = 30
"""A happening the text itself dates more than this many days before the report is told
as background (history, a timeline, a campaign «منذ 18 فبراير»), not reported: on the
labelled train and dev articles of both rounds, 1 such stored event in 7 was a real first
telling (8–30 days: 19 in 28)."""


def drop_far_past(events: list[Event], published: str | None) -> list[Event]:
    """The events whose own date (a day, a week, a month the text gives; the last day of
    that month for a month) lies more than FAR_PAST_DAYS before the publication date are
    not stored."""
    try:
        pub = date.fromisoformat((published or "")[:10])
    except ValueError:
        return events
    out = []
    for e in events:
        d = _own_day(e)
        if d is not None and (pub - d).days > FAR_PAST_DAYS:
            continue
        out.append(e)
    return out


def _own_day(e: Event) -> date | None:
    if not e.date or e.date_precision not in ("day", "week", "month"):
        return None
    try:
        d = date.fromisoformat(e.date[:10])
    except ValueError:
        return None
    if e.date_precision == "month":           # the month's last day: «في فبراير» in a March report is recent
        nxt = date(d.year + (d.month == 12), d.month % 12 + 1, 1)
        d = date.fromordinal(nxt.toordinal() - 1)
    return d


def reported_dates(events: list[Event], published: str | None) -> list[Event]:
    """An event whose text gives no date is dated by its report, with precision
    ``reported`` (ACLED's practice). Done after the decision: its features read the text's
    own dates only."""
    day = (published or "")[:10]
    try:
        date.fromisoformat(day)
    except ValueError:
        return events
    for e in events:
        if e.date is None:
            e.date, e.date_precision = day, "reported"
    return events
