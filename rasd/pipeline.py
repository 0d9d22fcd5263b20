"""Pipeline: the functions that the CLI, the API and batch mode all call.

``process(inputs, store)`` reads inputs (ingest), splits each document into articles
(clean), links duplicates against everything already stored (dedup) and writes each
document in one transaction (store). A bad input becomes a reject with its reason and
the rest goes on.
"""
from __future__ import annotations

import gc
import heapq
import logging
import operator
import signal
import threading
import time
from collections import Counter, defaultdict
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Callable, Iterable, Iterator

import numpy as np

from . import PIPELINE_VERSION
from .clean import article_lines, split_articles
from .dedup import DedupIndex, shingles, signature
from .ingest import DEFAULT_LIMITS, Limits, read_inputs
from .lang.normalize import norm_key
from .events import assign_groups, extract_events
from .records import Article, Document, Event, Reject
from .store import Store, StoreBusy

log = logging.getLogger(__name__)


@dataclass
class Summary:
    """What one ``process`` call did."""

    documents: int = 0        # documents read
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    articles: int = 0         # articles written by this call
    duplicates: int = 0       # of which duplicates of an earlier article
    rejects: Counter = field(default_factory=Counter)   # reason → count
    failed: int = 0           # documents that raised while being processed
    seconds: float = 0.0      # time spent in process()
    repeated: Counter = field(default_factory=Counter)  # doc id → times seen again in this run

    @property
    def processed(self) -> int:
        return self.new + self.updated + self.unchanged

    def as_dict(self) -> dict:
        return {"documents": self.documents, "new": self.new, "updated": self.updated,
                "unchanged": self.unchanged, "articles": self.articles, "duplicates": self.duplicates,
                "rejects": sum(self.rejects.values()), "reject_reasons": dict(self.rejects),
                "repeated_ids": sum(self.repeated.values()),
                "seconds": round(self.seconds, 3)}


@dataclass
class Prepared:
    """A document with its articles, normalised bodies and signatures, ready to store."""

    doc: Document
    articles: list[Article]
    norm_texts: list[str]
    signatures: list[np.ndarray | None]
    shingles: list[np.ndarray]
    events: list[Event] = field(default_factory=list)
    # filled by analyse_document(): the event claims of every article (duplicates
    # included), or None where extraction raised, with the error in article_errors
    article_events: list[list[Event] | None] | None = None
    article_errors: list[str | None] | None = None


def prepare(doc: Document) -> Prepared:
    """Everything about one document that does not depend on the store (pure, parallel-safe)."""
    arts = split_articles(doc)
    norms, sigs, shs = [], [], []
    for a in arts:
        nt = a.norm_text or "\n".join(norm_key(t) for t in article_lines(doc, a))
        sh = shingles(nt)
        norms.append(nt)
        shs.append(sh)
        sigs.append(signature(sh) if len(sh) else None)
    return Prepared(doc, arts, norms, sigs, shs)


def analyse_document(doc: Document) -> Prepared:
    """:func:`prepare` plus the event claims of every article (pure, parallel-safe: what
    batch mode runs on its workers). Duplicates are only known once the document is
    linked, so every article is extracted here and the events of duplicates are dropped
    by :func:`document_events`; an article whose extraction raised keeps the error, which
    fails the document only if the article turns out not to be a duplicate (as in
    :class:`Processor`, which extracts non-duplicates only)."""
    p = prepare(doc)
    p.article_events, p.article_errors = [], []
    for a in p.articles:
        try:
            evs, err = extract_events(doc, a), None
        except Exception as e:  # noqa: BLE001 - kept, raised later if the article counts
            evs, err = None, f"{type(e).__name__}: {e}"
        p.article_events.append(evs)
        p.article_errors.append(err)
    return p


class ExtractionFailed(Exception):
    """An article's event extraction raised in :func:`analyse_document`; ``str()`` is the
    original ``"Type: message"``."""


def link_articles(p: Prepared, index: DedupIndex) -> None:
    """Set duplicate_of / dedup_cluster / story of each article of ``p`` against ``index``
    (the articles seen before this document; those of ``p`` itself are not in it)."""
    for a, nt, hv, sh in zip(p.articles, p.norm_texts, p.signatures, p.shingles):
        hit = index.find(a.text_hash, nt, hv, sh)
        if hit is not None and hit.id != a.id and not hit.id.startswith(a.doc + "#"):
            a.duplicate_of = hit.cluster
            a.dedup_cluster = hit.cluster
        else:
            a.dedup_cluster = a.id
        a.story = a.dedup_cluster


def index_articles(p: Prepared, index: DedupIndex) -> None:
    """Add the (linked) articles of ``p`` to ``index``, after the document is kept."""
    for a, hv in zip(p.articles, p.signatures):
        index.add(a.id, a.dedup_cluster or a.id, a.text_hash, hv)


def document_events(p: Prepared, candidates) -> list[Event]:
    """Event claims of the articles of ``p`` that are not duplicates, in claim groups.

    ``candidates(event)`` gives the earlier claims a new one may join
    (:meth:`Store.claim_candidates`, or :meth:`EventIndex.candidates`).
    Uses the events of :func:`analyse_document` when ``p`` has them, else extracts."""
    evs: list[Event] = []
    for i, a in enumerate(p.articles):
        if a.duplicate_of is not None:
            continue
        if p.article_events is None:
            evs.extend(extract_events(p.doc, a))
        elif p.article_events[i] is None:
            raise ExtractionFailed(p.article_errors[i] if p.article_errors else "extraction failed")
        else:
            evs.extend(p.article_events[i])
    assign_groups(evs, candidates)
    return evs


def event_place_keys(e: Event) -> set[str]:
    """The keys under which the store indexes an event's places (table event_places)."""
    return {p.gazetteer_id or p.name for p in e.places}


_ROWID = operator.itemgetter("rowid")


class EventIndex:
    """In-memory equivalent of :meth:`Store.claim_candidates` over the events kept so far
    (batch mode keeps no store while it runs): events by type and day in the order they
    were kept, the same rows, order and limit as the SQL query."""

    def __init__(self) -> None:
        self._by_day: dict[tuple[str, str], list[dict]] = defaultdict(list)
        self._by_doc: dict[str, list[dict]] = defaultdict(list)
        self._n = 0

    def add(self, events: Iterable[Event]) -> None:
        for e in events:
            self._n += 1
            first = next((p for p in e.places if p.lat is not None), None)
            row = {"id": e.id, "claim_group": e.claim_group, "data": e.as_export(), "rowid": self._n,
                   "doc": e.doc, "live": True, "date": e.date,
                   "lat": first.lat if first else None, "lon": first.lon if first else None}
            self._by_doc[e.doc].append(row)
            if e.date and len(e.date) == 10:
                self._by_day[(e.type, e.date)].append(row)

    def drop_document(self, doc_id: str) -> None:
        """Forget the events of a document (it is being replaced by a new version)."""
        for row in self._by_doc.pop(doc_id, ()):
            row["live"] = False

    def candidates(self, e: Event) -> list[dict]:
        from .events.grouping import GROUP_CANDIDATES, candidate_window
        win = candidate_window(e)
        if win is None:
            return []
        lo, hi, box = win
        day, last = date.fromisoformat(lo), date.fromisoformat(hi)
        lists = []
        while day <= last:
            k = (e.type, day.isoformat())
            if k in self._by_day:
                lists.append(self._by_day[k])
            day += timedelta(days=1)
        rows = heapq.merge(*lists, key=_ROWID)
        out: list[dict] = []
        for row in rows:
            if not row["live"] or row["doc"] == e.doc:
                continue
            if box is not None and (row["lat"] is None or not box[0] <= row["lat"] <= box[1]
                                    or not box[2] <= row["lon"] <= box[3]):
                continue
            out.append(row)
            if len(out) >= GROUP_CANDIDATES:
                break
        return out


class DocumentTimeout(BaseException):
    """A document ran past its time budget (a BaseException: the pipeline's own
    ``except Exception`` around one article must not swallow it)."""


@contextmanager
def time_budget(seconds: float | None) -> Iterator[None]:
    """Raise :class:`DocumentTimeout` in the block once ``seconds`` have passed (a real-time
    interval timer, so pure-Python work stops where it is; a long C call is stopped when it
    returns). Only in the main thread (where signals arrive); elsewhere, and when
    ``seconds`` is None, the block runs unbounded."""
    if not seconds or seconds <= 0 or threading.current_thread() is not threading.main_thread() \
            or not hasattr(signal, "setitimer"):
        yield
        return

    def ring(signum, frame):
        raise DocumentTimeout(f"over the time budget of {seconds:g} s")

    old = signal.signal(signal.SIGALRM, ring)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


def warm() -> float:
    """Load what the pipeline loads once per process (lexicons, gazetteer); seconds taken."""
    t0 = time.perf_counter()
    doc = Document(id="warm", raw="قصفت طائرات التحالف مواقع لتنظيم داعش في مدينة الرقة أمس.\n",
                   kind="text", source="warm")
    analyse_document(doc)
    return time.perf_counter() - t0


class Processor:
    """Processes documents into one store, keeping the dedup index warm between calls.

    ``doc_seconds``: the time budget of one document (cleaning, linking, events; not the
    write), past which it is rejected with reason ``budget``."""

    def __init__(self, store: Store, *, doc_seconds: float | None = None) -> None:
        self.store = store
        self.doc_seconds = doc_seconds
        self.index = DedupIndex(store.article_norm_text)
        for art_id, cluster, text_hash, hv in store.signatures():
            self.index.add(art_id, cluster, text_hash, hv)

    def link(self, p: Prepared) -> None:
        """Set duplicate_of / dedup_cluster / story of each article against the index."""
        link_articles(p, self.index)

    def events_of(self, p: Prepared) -> list[Event]:
        """Event claims of the articles that are not duplicates, in claim groups."""
        return document_events(p, self.store.claim_candidates)

    def add(self, p: Prepared) -> None:
        index_articles(p, self.index)

    def process_document(self, doc: Document) -> tuple[str, Prepared | None]:
        """Store one document: (``new`` | ``updated`` | ``unchanged``, what was stored)."""
        state = self.store.document_state(doc.id)
        if state == (doc.content_hash, PIPELINE_VERSION):
            return "unchanged", None
        with time_budget(self.doc_seconds):
            p = prepare(doc)
            self.link(p)
            p.events = self.events_of(p)
        self.store.save_document(doc, p.articles, p.norm_texts, p.signatures, p.events, new=state is None)
        self.add(p)
        return ("updated" if state else "new"), p


_GC_LOCK = threading.Lock()
_GC_DEPTH = 0
_GC_SAVED: tuple[int, int, int] = (700, 10, 10)   # the thresholds to restore
GC_THRESHOLD0 = 20_000   # objects allocated between young collections while documents run


@contextmanager
def collector_tuned() -> Iterator[None]:
    """Fewer garbage-collector passes while many documents run. Processing allocates
    millions of short-lived objects that reference counting frees anyway; with CPython's
    default threshold (700) the collector also walks the long-lived lexicons and
    gazetteer again and again (about 6 % of the pipeline's time on the ANT corpus). The
    previous thresholds come back when the outermost block ends."""
    global _GC_DEPTH, _GC_SAVED
    with _GC_LOCK:
        _GC_DEPTH += 1
        if _GC_DEPTH == 1:
            _GC_SAVED = t0, t1, t2 = gc.get_threshold()
            gc.set_threshold(max(t0, GC_THRESHOLD0), t1, max(t2, 100))
    try:
        yield
    finally:
        with _GC_LOCK:
            _GC_DEPTH -= 1
            if _GC_DEPTH == 0:
                gc.set_threshold(*_GC_SAVED)


COMMIT_EVERY = 200       # documents per commit (each document is its own savepoint)
COMMIT_SECONDS = 2.0     # ... or this often, whichever comes first


DOC_SECONDS = 60.0       # default time budget of one document in `rasd process`


def process(inputs: Iterable[str], store: Store, *,
            on_item: Callable[[Document | Reject, str], None] | None = None,
            limits: Limits | None = None, doc_seconds: float | None = None) -> Summary:
    """Ingest, clean, de-duplicate and store every document of ``inputs``.

    ``limits``: size caps and read deadlines (:class:`rasd.ingest.Limits`);
    ``doc_seconds``: the time budget of one document (None: unbounded). A document over
    either is a reject (``too_large``, ``budget``) and the run goes on. A doc id seen
    twice in one run is processed again (the later version replaces the earlier, as
    across runs) and counted in ``Summary.repeated`` with a warning."""
    limits = limits or DEFAULT_LIMITS
    if doc_seconds:
        warm()   # lexicons and gazetteer load once, outside any document's budget
    proc = Processor(store, doc_seconds=doc_seconds)
    s = Summary()
    seen: set[str] = set()
    t0 = last = time.perf_counter()
    with store.batch(), collector_tuned():
        for n, item in enumerate(read_inputs(inputs, limits), 1):
            if isinstance(item, Document):
                if item.id in seen:
                    s.repeated[item.id] += 1
                    log.warning("doc id %r appears again in this run (%s): the later version replaces "
                                "the earlier", item.id, item.source)
                seen.add(item.id)
            _process_item(item, proc, store, s, on_item)
            now = time.perf_counter()
            if n % COMMIT_EVERY == 0 or now - last > COMMIT_SECONDS:
                store.flush()
                last = now
    s.seconds = time.perf_counter() - t0
    return s


def _process_item(item: Document | Reject, proc: Processor, store: Store, s: Summary,
                  on_item: Callable[[Document | Reject, str], None] | None) -> None:
    status = "rejected"
    if isinstance(item, Reject):
        store.save_reject(item)
        s.rejects[item.reason] += 1
    else:
        s.documents += 1
        try:
            status, prepared = proc.process_document(item)
        except StoreBusy:
            raise
        except DocumentTimeout as e:
            log.warning("rejected %s: budget (%s)", item.id, e)
            r = Reject(item.source, "budget", f"{e} (--doc-seconds)", item.id)
            store.save_reject(r)
            s.rejects[r.reason] += 1
        except Exception as e:  # one bad document never stops the batch
            log.exception("failed on %s", item.id)
            r = Reject(item.source, "error", f"{type(e).__name__}: {e}", item.id)
            store.save_reject(r)
            s.rejects[r.reason] += 1
            s.failed += 1
        else:
            setattr(s, status, getattr(s, status) + 1)
            if prepared is not None:
                s.articles += len(prepared.articles)
                s.duplicates += sum(1 for a in prepared.articles if a.duplicate_of)
    if on_item:
        on_item(item, status)
