"""Batch mode: the pipeline on Dask, Parquet out; ``load_batch`` brings a result into a store.

``run_batch(inputs, out_dir)`` runs in two stages:

1. **Partitions, in parallel** (a ``dask.bag`` made from one delayed reader per
   partition). The inputs are planned into partitions of about ``partition_size``
   documents without reading them: folders are walked (files in the same sorted order
   as ``rasd process``), JSONL files are cut into byte ranges of whole lines, Parquet
   files (``id``, ``text`` or ``html``, optional ``title``, ``url``, ``published``; other
   scalar columns go to ``meta`` as for JSONL) into row ranges. Each worker reads its
   partition with the functions of :mod:`rasd.ingest` (``read_file``, ``read_jsonl``,
   ``decode_bytes``, ``make_document``) and runs :func:`rasd.pipeline.analyse_document` on
   every document: cleaning, articles, normalised bodies, shingles, MinHash signatures and
   the event claims of every article, exactly what ``rasd process`` computes. A bad input
   (an undecodable, empty, broken or oversized line, an unreadable file, a document that
   raises) becomes a reject with its reason; the rest of the partition goes on.
2. **One global pass on the driver, in input order**, partition after partition as they
   complete (the workers go on with later partitions meanwhile). The driver receives what
   linking needs (no raw text; the analysed partition stays on its worker) and links every
   article with :func:`rasd.pipeline.link_articles` against one
   :class:`rasd.dedup.DedupIndex` (one MinHash LSH over the signatures the workers
   computed), so duplicates are found across partitions; the events of duplicate articles
   are dropped and claim groups assigned by :func:`rasd.pipeline.document_events` against an
   in-memory :class:`rasd.pipeline.EventIndex` of earlier events, the same rule as against
   the store. A document id seen again is skipped when its content is unchanged and
   replaces the earlier version otherwise, as in the store (keeping its place in the
   order; an earlier version already written is taken out of its partition's files at the
   end). The decisions (links, claim
   groups, rejects) go back to the worker holding the partition, which writes its Parquet
   files.

Output (``out_dir``), one file per partition ``part-NNNNN.parquet`` in each of:

* ``documents/``: ``seq`` (input position; the order a store keeps), ``id``, ``source``,
  ``kind``, ``url``, ``title``, ``author``, ``published``, ``fetched``, ``encoding``,
  ``content_hash``, ``raw``, ``meta`` (JSON string).
* ``articles/``: the export contract's fields ``id``, ``doc``, ``title``, ``paragraphs``,
  ``duplicate_of``, ``dedup_cluster``, ``story`` and ``index``, ``headings``, ``author``,
  ``published``, ``n_words``, ``title_span``, plus ``seq`` (of the document),
  ``subtitle_span``, ``text_hash``, ``norm_text`` and ``minhash`` (128 little-endian
  uint64, as the store keeps them). Spans are Arrow structs ``{start: int64, end: int64}``
  (``paragraphs``, ``headings``: lists of them). ``story`` is the cross-outlet story
  (:mod:`rasd.stories`), worked out over the whole batch at the end, as ``rasd export``
  gives it for a store that holds the same documents.
* ``events/``: ``seq``, ``id``, ``doc``, ``article``, ``type``, ``sub_type``, ``actor``,
  ``actor2``, ``fatalities``, ``date``, ``date_precision``, ``claim_group``, ``stance``;
  ``evidence`` as a struct ``{start, end, text}``; ``trigger`` and ``sentence`` as span
  structs; ``places``, ``count`` and ``sources`` as JSON strings, exactly the objects of
  the JSONL export (a count's value is an int or a float, which JSON keeps apart); and,
  for convenience, ``lat``, ``lon``, ``country``, ``location`` of the first located place;
  ``confidence`` (the decision's probability), ``mentions`` (JSON: later tellings
  folded into the event) and ``story`` (its article's story).
* ``rejects/``: ``seq``, ``source``, ``reason``, ``detail``, ``doc``.
* ``_batch.json``: pipeline version, summary, and ``complete`` once everything is written.

Where batch mode differs from ``rasd process``: Parquet files are read; the per-document
time budget (``--doc-seconds``) is not applied (it needs the main thread's signals, and
Dask runs tasks in worker threads), the size caps are (a JSONL line, a file, a feed entry
over 20 MB is a ``too_large`` reject). JSONL is judged line by line in both, with the
file's encoding decided over the whole file, so a partition reads its lines as the whole
file would. De-duplication and claim groups cover the documents of the batch;
``load_batch`` writes them as they are (it does not re-link against what a store
already holds).

``--scheduler local`` starts a ``LocalCluster`` (``workers`` processes, one thread each,
no dashboard) in-process and closes it afterwards; ``tcp://HOST:PORT`` (any Dask
address) uses a running cluster, whose workers must have rasd installed and see the
input files and ``out_dir`` at the same paths.
"""
from __future__ import annotations

import codecs
import json
import logging
import re
import shutil
import time
from collections import Counter
from dataclasses import dataclass, fields
from pathlib import Path
from typing import TYPE_CHECKING, Iterable, Iterator

import numpy as np

from . import PIPELINE_VERSION, __version__
from .dedup import DedupIndex
from .ingest import (JSONL_SUFFIXES, expand, jsonl_encoding, jsonl_streamable, read_file, read_jsonl,
                     read_jsonl_lines, read_url, sniff)
from .pipeline import (EventIndex, ExtractionFailed, Prepared, analyse_document, collector_tuned,
                       document_events, index_articles, link_articles, warm)
from .records import Article, Claim, Document, Event, Place, Quantity, Reject, Span, clean_str

if TYPE_CHECKING:
    from .store import Store

log = logging.getLogger(__name__)

TABLES = ("documents", "articles", "events", "rejects")
MARKER = "_batch.json"

# ------------------------------------------------------------------ planning (driver)

# A unit is a small picklable tuple naming what a worker reads:
#   ("file", path, doc_id)                          a file, read as `rasd process` reads it
#   ("jsonl", path, start, end, line0, encoding)    whole lines [start, end) of a JSONL file
#   ("parquet", path, row_start, row_end)           rows of a Parquet file
#   ("url", url)                                    an http(s) page or feed
#   ("reject", source, reason, detail, doc)         an input that does not exist
Unit = tuple

# read_jsonl numbers lines by "\n" alone (JSON strings may hold U+2028 and friends)
_TERMINATORS = re.compile(rb"\n")
_PARQUET_MAGIC = b"PAR1"


def plan(inputs: Iterable[str], partition_size: int, counts: list[int] | None = None) -> list[list[Unit]]:
    """Partitions of about ``partition_size`` documents each, in input order (``counts``,
    when given, receives the number of documents of each)."""
    size = max(1, int(partition_size))
    parts: list[list[Unit]] = []
    cur: list[Unit] = []
    n = 0
    sizes = counts if counts is not None else []

    def push(unit: Unit, k: int) -> None:
        nonlocal cur, n
        cur.append(unit)
        n += k
        if n >= size:
            parts.append(cur)
            sizes.append(n)
            cur, n = [], 0

    def room() -> int:
        return size - n

    for arg in inputs:
        if re.match(r"^https?://", arg, re.I):
            push(("url", arg), 1)
            continue
        for x in expand([arg]):
            if isinstance(x, Reject):
                log.warning("%s: %s", x.source, x.detail)
                push(("reject", x.source, x.reason, x.detail, x.doc), 1)
                continue
            path, doc_id = x
            kind = _file_kind(path)
            if kind == "jsonl":
                for unit, k in _jsonl_units(path, room):
                    push(unit, k)
            elif kind == "parquet":
                for unit, k in _parquet_units(path, room):
                    push(unit, k)
            else:
                push(("file", str(path), doc_id), 1)
    if cur:
        parts.append(cur)
        sizes.append(n)
    return parts


def balanced(inputs: list[str], parts: list[list[Unit]], counts: list[int], workers: int) -> list[list[Unit]]:
    """``parts`` again with a number of partitions that the workers share evenly, when there
    are few of them (9 partitions on 2 workers keep one worker busy for a fifth of the run
    alone; 10 smaller ones do not). Many partitions balance themselves and stay as they are."""
    k = len(parts)
    if k <= 1 or workers <= 1 or k % workers == 0 or k >= 8 * workers:
        return parts
    total = sum(counts)
    for target in range(-(-k // workers) * workers, 8 * workers + 1, workers):
        size = -(-total // target)
        if -(-total // size) % workers == 0:
            return plan(inputs, size)
    return parts


def _file_kind(path: Path) -> str:
    """``jsonl`` (cut into line ranges), ``parquet`` (row ranges) or ``file`` (read whole,
    as ``rasd process`` does: also JSONL in UTF-16/32 and files that cannot be read)."""
    try:
        with open(path, "rb") as f:
            head = f.read(4096)
    except OSError:
        return "file"
    suffix = path.suffix.lower()
    if head.startswith(_PARQUET_MAGIC) and suffix == ".parquet":
        return "parquet"
    if suffix not in JSONL_SUFFIXES or sniff(head, suffix) != "jsonl":
        return "file"
    if not jsonl_streamable(head) or not head.strip():
        return "file"
    return "jsonl"


def _jsonl_units(path: Path, room) -> Iterator[tuple[Unit, int]]:
    """Byte ranges of whole lines holding ``room()`` non-blank lines each."""
    with open(path, "rb") as f:
        # the file's encoding, decided over the whole file as `rasd process` decides it
        enc = jsonl_encoding(line.rstrip(b"\n") for line in f)
        f.seek(0)
        start = 0
        if f.read(3) == codecs.BOM_UTF8:
            start = 3
        f.seek(start)
        pos = chunk_start = start
        line0 = terms = docs = 0
        want = room()
        for line in f:
            pos += len(line)
            terms += len(_TERMINATORS.findall(line))
            if line.strip():
                docs += 1
            if docs >= want:
                yield ("jsonl", str(path), chunk_start, pos, line0, enc), docs
                chunk_start, line0, docs = pos, line0 + terms, 0
                terms = 0
                want = room()
        if pos > chunk_start:
            yield ("jsonl", str(path), chunk_start, pos, line0, enc), docs


def _parquet_units(path: Path, room) -> Iterator[tuple[Unit, int]]:
    import pyarrow.parquet as pq
    total = pq.ParquetFile(path).metadata.num_rows
    r = 0
    while r < total:
        k = min(room(), total - r)
        yield ("parquet", str(path), r, r + k), k
        r += k


# ------------------------------------------------------------------ reading (workers)

def read_unit(unit: Unit) -> Iterator[Document | Reject]:
    """The documents and rejects of one unit, with the functions of ``rasd.ingest``."""
    kind = unit[0]
    if kind == "file":
        yield from read_file(Path(unit[1]), unit[2])
    elif kind == "jsonl":
        yield from _read_jsonl_range(*unit[1:])
    elif kind == "parquet":
        yield from _read_parquet_rows(*unit[1:])
    elif kind == "url":
        yield from read_url(unit[1])
    elif kind == "reject":
        yield Reject(source=unit[1], reason=unit[2], detail=unit[3], doc=unit[4])
    else:  # pragma: no cover
        raise ValueError(f"unknown unit {unit!r}")


def _shift(item: Document | Reject, source: str, offset: int) -> Document | Reject:
    """Line numbers of ``read_jsonl`` over a slice → line numbers in the whole file."""
    if not offset:
        return item
    prefix = source + ":"
    if item.source.startswith(prefix) and item.source[len(prefix):].isdigit():
        n = int(item.source[len(prefix):])
        item.source = f"{source}:{n + offset}"
        if isinstance(item, Reject) and item.detail.startswith(f"line {n}:"):
            item.detail = f"line {n + offset}:" + item.detail[len(f'line {n}:'):]
    return item


def _read_jsonl_range(path: str, start: int, end: int, line0: int,
                      encoding: str | None) -> Iterator[Document | Reject]:
    """Whole lines [start, end) of a JSONL file, each judged on its own by
    :func:`rasd.ingest.read_jsonl_lines` (as `rasd process` reads the whole file)."""
    with open(path, "rb") as f:
        f.seek(start)
        data = f.read(end - start)
    if not data.strip():
        return
    lines = data.split(b"\n")
    if lines and not lines[-1]:
        lines.pop()
    yield from read_jsonl_lines(lines, source=path, encoding=encoding or "utf-8", line0=line0)


def _jsonable(v):
    if v is None or isinstance(v, (str, int, float, bool)):
        return v
    if hasattr(v, "isoformat"):
        return v.isoformat()
    if isinstance(v, bytes):
        return v.decode("utf-8", "replace")
    return str(v)


def _read_parquet_rows(path: str, r0: int, r1: int) -> Iterator[Document | Reject]:
    """Rows [r0, r1) as JSONL lines through ``read_jsonl`` (row n is line n)."""
    import pyarrow as pa
    import pyarrow.parquet as pq
    pf = pq.ParquetFile(path)
    tables, first, acc = [], None, 0
    for g in range(pf.num_row_groups):
        m = pf.metadata.row_group(g).num_rows
        if acc + m > r0 and acc < r1:
            first = acc if first is None else first
            tables.append(pf.read_row_group(g))
        acc += m
    if not tables:
        return
    rows = pa.concat_tables(tables).slice(r0 - first, r1 - r0).to_pylist()
    for row in rows:   # a typed id column (integers) is an id, not a JSON accident
        if isinstance(row.get("id"), int) and not isinstance(row.get("id"), bool):
            row["id"] = str(row["id"])
    text = "\n".join(json.dumps({k: _jsonable(v) for k, v in row.items()}) for row in rows)
    for item in read_jsonl(text, source=path, encoding="utf-8"):
        yield _shift(item, path, r0)


def read_partition(units: list[Unit]) -> list[Document | Reject]:
    """Every document and reject of a partition; a unit that fails becomes a reject."""
    out: list[Document | Reject] = []
    for unit in units:
        try:
            for item in read_unit(unit):
                out.append(item)
        except Exception as e:  # one unreadable input never stops the partition
            log.exception("failed reading %s", unit[1])
            out.append(Reject(str(unit[1]), "unreadable", f"{type(e).__name__}: {e}"))
    return out


def analyse_items(items: list[Document | Reject]) -> list[Prepared | Reject]:
    """:func:`rasd.pipeline.analyse_document` on every document of a partition."""
    out: list[Prepared | Reject] = []
    with collector_tuned():
        for item in items:
            if isinstance(item, Reject):
                out.append(item)
                continue
            try:
                out.append(analyse_document(item))
            except Exception as e:  # one bad document never kills a partition
                log.exception("failed on %s", item.id)
                out.append(Reject(item.source, "error", f"{type(e).__name__}: {e}", item.id))
    return out


# ------------------------------------------------------------------ Parquet schemas

def _schemas():
    import pyarrow as pa
    span = pa.struct([("start", pa.int64()), ("end", pa.int64())])
    s = pa.string()
    return {
        "documents": pa.schema([
            ("seq", pa.int64()), ("id", s), ("source", s), ("kind", s), ("url", s), ("title", s),
            ("author", s), ("published", s), ("fetched", s), ("encoding", s), ("content_hash", s),
            ("raw", pa.large_string()), ("meta", s)]),
        "articles": pa.schema([
            ("seq", pa.int64()), ("id", s), ("doc", s), ("index", pa.int32()), ("title", s),
            ("title_span", span), ("subtitle_span", span), ("paragraphs", pa.list_(span)),
            ("headings", pa.list_(span)), ("author", s), ("published", s), ("n_words", pa.int64()),
            ("duplicate_of", s), ("dedup_cluster", s), ("story", s), ("text_hash", s),
            ("norm_text", pa.large_string()), ("minhash", pa.binary())]),
        "events": pa.schema([
            ("seq", pa.int64()), ("id", s), ("doc", s), ("article", s), ("type", s), ("sub_type", s),
            ("actor", s), ("actor2", s), ("places", s), ("count", s), ("fatalities", pa.int64()),
            ("date", s), ("date_precision", s), ("sources", s), ("claim_group", s),
            ("evidence", pa.struct([("start", pa.int64()), ("end", pa.int64()), ("text", s)])),
            ("trigger", span), ("sentence", span), ("stance", s),
            ("lat", pa.float64()), ("lon", pa.float64()), ("country", s), ("location", s),
            ("confidence", pa.float64()), ("mentions", s), ("story", s)]),
        "rejects": pa.schema([
            ("seq", pa.int64()), ("source", s), ("reason", s), ("detail", s), ("doc", s)]),
    }


def _span(sp: Span | None) -> dict | None:
    return {"start": sp.start, "end": sp.end} if sp is not None else None


def _doc_row(seq: int, d: Document) -> dict:
    return {"seq": seq, "id": d.id, "source": d.source, "kind": d.kind, "url": d.url, "title": d.title,
            "author": d.author, "published": d.published, "fetched": d.fetched, "encoding": d.encoding,
            "content_hash": d.content_hash, "raw": d.raw, "meta": json.dumps(d.meta, ensure_ascii=False)}


def _article_row(seq: int, a: Article, nt: str, sig: np.ndarray | None) -> dict:
    return {"seq": seq, "id": a.id, "doc": a.doc, "index": a.index, "title": a.title,
            "title_span": _span(a.title_span), "subtitle_span": _span(a.subtitle_span),
            "paragraphs": [_span(p) for p in a.paragraphs], "headings": [_span(h) for h in a.headings],
            "author": a.author, "published": a.published, "n_words": a.n_words,
            "duplicate_of": a.duplicate_of, "dedup_cluster": a.dedup_cluster, "story": a.story,
            "text_hash": a.text_hash, "norm_text": nt,
            "minhash": sig.astype("<u8").tobytes() if sig is not None else None}


def _event_row(seq: int, e: Event) -> dict:
    d = e.as_export()
    first = next((p for p in e.places if p.lat is not None), None)
    return {"seq": seq, "id": e.id, "doc": e.doc, "article": e.article, "type": e.type,
            "sub_type": e.sub_type, "actor": e.actor, "actor2": e.actor2,
            "places": json.dumps(d["places"], ensure_ascii=False),
            "count": json.dumps(d["count"], ensure_ascii=False) if d["count"] is not None else None,
            "fatalities": e.fatalities, "date": e.date, "date_precision": e.date_precision,
            "sources": json.dumps(d["sources"], ensure_ascii=False), "claim_group": e.claim_group,
            "evidence": dict(d["evidence"]), "trigger": _span(e.trigger), "sentence": _span(e.sentence),
            "stance": e.stance, "lat": first.lat if first else None, "lon": first.lon if first else None,
            "country": first.country if first else None, "location": first.name if first else None,
            "confidence": e.confidence, "mentions": json.dumps(e.mentions, ensure_ascii=False),
            "story": None}      # the cross-outlet story: filled in by _write_stories at the end


def _reject_row(seq: int, r: Reject) -> dict:
    return {"seq": seq, "source": clean_str(r.source), "reason": r.reason, "detail": clean_str(r.detail or ""),
            "doc": clean_str(r.doc) if r.doc is not None else None}


# ------------------------------------------------------------------ the global pass (driver)

@dataclass
class _Kept:
    """A document kept in the output: where it is, and what it counts for."""

    content_hash: str
    seq: int                 # position of its first kept version (the store keeps its row)
    part: int                # partition whose files hold it
    pos: int                 # its position in that partition's results
    article_ids: list[str]
    n_articles: int
    n_duplicates: int
    n_events: int


# What the driver decides about each item of a partition (items not listed are skipped:
# a document stored already with the same content, or replaced later in the partition):
#   ("r", pos, seq, None)             the item is a reject (read or analysis failed)
#   ("r", pos, seq, Reject)           the document failed on the driver: this reject instead
#   ("d", pos, seq, links, groups)    keep the document: links are (duplicate_of,
#                                     dedup_cluster, story) of each article, groups the
#                                     (event id, claim group) of each event kept, in order
#                                     (the events of duplicate articles are not kept)
Decision = tuple


def light_view(results: list[Prepared | Reject]) -> list[Prepared | Reject]:
    """What the driver needs of an analysed partition: no raw text, articles without their
    spans (linking reads ids and hashes only); signatures, shingles, normalised bodies
    and the events in full."""
    from dataclasses import replace
    out: list[Prepared | Reject] = []
    for r in results:
        if isinstance(r, Reject):
            out.append(r)
            continue
        arts = [replace(a, paragraphs=[], headings=[], title_span=None, subtitle_span=None, norm_text="")
                for a in r.articles]
        out.append(replace(r, doc=replace(r.doc, raw="", meta={}), articles=arts))
    return out


def _fast_pickling() -> None:
    """Pickle the record dataclasses as (class, field values): the default for slotted
    dataclasses looks their fields up for every object, and partitions hold many."""
    import copyreg
    import dataclasses

    from . import records

    def reducer(names):
        return lambda o: (type(o), tuple(getattr(o, n) for n in names))

    for obj in vars(records).values():
        if isinstance(obj, type) and dataclasses.is_dataclass(obj) and obj.__module__ == records.__name__:
            fs = dataclasses.fields(obj)
            if all(f.init for f in fs):
                copyreg.pickle(obj, reducer(tuple(f.name for f in fs)))


_fast_pickling()


class Linker:
    """The driver's pass over analysed documents in input order: what ``Processor``
    does against a store, against in-memory indexes instead."""

    def __init__(self) -> None:
        self.texts: dict[str, str] = {}
        self.index = DedupIndex(self.texts.get)
        self.events = EventIndex()
        self.kept: dict[str, _Kept] = {}
        self.seq = 0
        self.documents = self.articles = self.duplicates = self.n_events = 0
        self.unchanged = self.updated = 0
        self.repeated = 0   # documents whose id was seen before in this batch
        self.rejects: Counter = Counter()
        self.removed: dict[int, set[str]] = {}   # partition → doc ids replaced later

    def take(self, part: int, results: list[Prepared | Reject]) -> list[Decision]:
        out: dict[int, Decision] = {}
        for pos, r in enumerate(results):
            self.seq += 1
            if isinstance(r, Reject):
                self.rejects[r.reason] += 1
                out[pos] = ("r", pos, self.seq, None)
                continue
            self.documents += 1
            try:
                self._document(part, pos, r, out)
            except Exception as e:  # as in pipeline._process_item: the document is a reject
                detail = str(e) if isinstance(e, ExtractionFailed) else f"{type(e).__name__}: {e}"
                log.warning("failed on %s: %s", r.doc.id, detail)
                self.rejects["error"] += 1
                out[pos] = ("r", pos, self.seq, Reject(r.doc.source, "error", detail, r.doc.id))
        return list(out.values())

    def _document(self, part: int, pos: int, p: Prepared, out: dict[int, Decision]) -> None:
        doc = p.doc
        old = self.kept.get(doc.id)
        if doc.id in self.kept:
            self.repeated += 1
            log.warning("doc id %r appears again in this run (%s): the later version replaces the earlier",
                        doc.id, doc.source)
        if old is not None and old.content_hash == doc.content_hash:
            self.unchanged += 1          # stored already, same content: skipped
            return
        link_articles(p, self.index)
        evs = document_events(p, self.events.candidates)
        ids = [e.id for e in evs]
        if len(set(ids)) != len(ids):    # what the store's primary key would refuse
            raise IntegrityError("UNIQUE constraint failed: events.id")
        # "save": replace the earlier version, keep its place in the order
        seq = self.seq
        if old is not None:
            self.updated += 1
            seq = old.seq
            for aid in old.article_ids:
                self.texts.pop(aid, None)
            self.events.drop_document(doc.id)
            self.articles -= old.n_articles
            self.duplicates -= old.n_duplicates
            self.n_events -= old.n_events
            if old.part == part:
                out.pop(old.pos, None)
            else:
                self.removed.setdefault(old.part, set()).add(doc.id)
        for a, nt in zip(p.articles, p.norm_texts):
            self.texts[a.id] = nt
        self.events.add(evs)
        index_articles(p, self.index)
        n_dup = sum(1 for a in p.articles if a.duplicate_of)
        self.kept[doc.id] = _Kept(doc.content_hash, seq, part, pos, [a.id for a in p.articles],
                                  len(p.articles), n_dup, len(evs))
        self.articles += len(p.articles)
        self.duplicates += n_dup
        self.n_events += len(evs)
        out[pos] = ("d", pos, seq, [(a.duplicate_of, a.dedup_cluster, a.story) for a in p.articles],
                    [(e.id, e.claim_group) for e in evs])


class IntegrityError(Exception):
    """What saving the document would have raised in the store (sqlite3.IntegrityError)."""


def _part_name(i: int) -> str:
    return f"part-{i:05d}.parquet"


def write_partition(results: list[Prepared | Reject], decisions: list[Decision], out_dir: str,
                    i: int) -> dict[str, int]:
    """Write the Parquet files of partition ``i`` (on the worker that holds ``results``)."""
    import pyarrow as pa
    import pyarrow.parquet as pq
    schemas = _schemas()
    rows: dict[str, list] = {t: [] for t in TABLES}
    for d in decisions:
        if d[0] == "r":
            _, pos, seq, rej = d
            rows["rejects"].append(_reject_row(seq, rej if rej is not None else results[pos]))
            continue
        _, pos, seq, links, groups = d
        p = results[pos]
        arts = p.articles
        for a, (dup, cluster, story) in zip(arts, links):
            a.duplicate_of, a.dedup_cluster, a.story = dup, cluster, story
        by_id = {e.id: e for evs_a in (p.article_events or []) if evs_a for e in evs_a}
        evs = []
        for eid, group in groups:
            e = by_id[eid]
            e.claim_group = group
            evs.append(e)
        rows["documents"].append(_doc_row(seq, p.doc))
        rows["articles"].extend(_article_row(seq, a, nt, sig)
                                for a, nt, sig in zip(arts, p.norm_texts, p.signatures))
        rows["events"].extend(_event_row(seq, e) for e in evs)
    root = Path(out_dir)
    for t in TABLES:
        pq.write_table(pa.Table.from_pylist(rows[t], schema=schemas[t]), root / t / _part_name(i))
    return {t: len(v) for t, v in rows.items()}


def _drop_replaced(out_dir: Path, removed: dict[int, set[str]]) -> None:
    """Take documents replaced by a later version out of the partitions that held them."""
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.parquet as pq
    for i, ids in removed.items():
        for t, col in (("documents", "id"), ("articles", "doc"), ("events", "doc")):
            path = out_dir / t / _part_name(i)
            table = pq.read_table(path)
            keep = pc.invert(pc.is_in(table[col], value_set=pa.array(sorted(ids))))
            pq.write_table(table.filter(keep), path)


def _write_stories(out_dir: Path) -> None:
    """Every article's and event's cross-outlet story (:mod:`rasd.stories`), worked out
    over the whole batch once all partitions are written, as ``rasd export`` does over a
    store: the ``story`` column of every partition's articles and events is rewritten."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    from .stories import BODY_READ, link_stories, stories_of
    names = sorted(p.name for p in (out_dir / "documents").glob("part-*.parquet"))
    docs: dict[str, dict] = {}
    arts: dict[str, dict] = {}
    rows: list[tuple] = []
    for name in names:
        for d in pq.read_table(out_dir / "documents" / name, columns=["seq", "id", "url", "source",
                                                                     "published"]).to_pylist():
            docs[d["id"]] = d
        for a in pq.read_table(out_dir / "articles" / name, columns=["id", "doc", "index", "title", "published",
                                                                    "paragraphs", "dedup_cluster",
                                                                    "norm_text"]).to_pylist():
            a["norm_text"] = (a["norm_text"] or "")[:BODY_READ]
            arts[a["id"]] = a
        t = pq.read_table(out_dir / "events" / name, columns=["seq", "id", "article", "claim_group", "stance",
                                                             "evidence", "date"])
        for e in t.to_pylist():
            rows.append((e["seq"], arts[e["article"]]["index"], e["evidence"]["start"], len(rows),
                         (e["article"], e["claim_group"] or e["id"], e["stance"], e["evidence"]["start"], e["date"])))
    rows.sort(key=lambda r: r[:4])
    meta = {}
    for a in arts.values():
        d = docs.get(a["doc"], {})
        meta[a["id"]] = (a["title"], a["published"] or d.get("published"), d.get("url"), d.get("source"),
                         json.dumps([[p["start"], p["end"]] for p in a["paragraphs"]]), a["norm_text"])
    of_article, _ = link_stories([r[4] for r in rows], meta)
    story = stories_of(of_article, ((a["id"], a["dedup_cluster"]) for a in arts.values()))
    for name in names:
        for t, key in (("articles", "id"), ("events", "article")):
            path = out_dir / t / name
            table = pq.read_table(path)
            col = pa.array([story.get(k) for k in table[key].to_pylist()], type=pa.string())
            pq.write_table(table.set_column(table.schema.get_field_index("story"), "story", col), path)


def _prepare_out(out_dir: Path) -> None:
    if out_dir.exists():
        entries = [p for p in out_dir.iterdir()]
        if entries and not (out_dir / MARKER).exists():
            raise FileExistsError(f"{out_dir} is not empty and holds no rasd batch: give an empty or new folder")
        for t in TABLES:
            shutil.rmtree(out_dir / t, ignore_errors=True)
        (out_dir / MARKER).unlink(missing_ok=True)
    for t in TABLES:
        (out_dir / t).mkdir(parents=True, exist_ok=True)


def _write_marker(out_dir: Path, info: dict) -> None:
    tmp = out_dir / (MARKER + ".tmp")
    tmp.write_text(json.dumps(info, ensure_ascii=False, indent=1), encoding="utf-8")
    tmp.replace(out_dir / MARKER)


# ------------------------------------------------------------------ run_batch

def _client(scheduler: str, workers: int):
    """(client, cluster or None): a LocalCluster for ``local``, else a running cluster."""
    from dask.distributed import Client, LocalCluster
    if logging.getLogger().getEffectiveLevel() > logging.INFO:   # Dask's INFO lines only with rasd -v
        logging.getLogger("distributed").setLevel(logging.WARNING)
    if scheduler == "local":
        cluster = LocalCluster(n_workers=max(1, int(workers)), threads_per_worker=1, processes=True,
                               dashboard_address=None)
        # results come straight from the workers, not through the scheduler (which runs in
        # this process: every byte would be handled twice here)
        return Client(cluster, direct_to_workers=True), cluster
    if "://" in scheduler:
        return Client(scheduler), None
    raise ValueError(f"scheduler must be 'local' or a Dask address such as tcp://host:8786, not {scheduler!r}")


def run_batch(inputs: Iterable[str], out_dir: str | Path, *, scheduler: str = "local", workers: int = 2,
              partition_size: int = 200) -> dict:
    """Run the pipeline over ``inputs`` on Dask and write Parquet partitions to ``out_dir``."""
    import dask
    import dask.bag as db

    t0 = time.perf_counter()
    out = Path(out_dir)
    _prepare_out(out)
    _write_marker(out, {"rasd": __version__, "pipeline_version": PIPELINE_VERSION, "complete": False})
    inputs = list(inputs)
    counts: list[int] = []
    parts = plan(inputs, partition_size, counts)
    client, cluster = _client(scheduler, workers)
    try:
        n_workers = len(client.scheduler_info().get("workers", {})) or 1
        parts = balanced(inputs, parts, counts, n_workers)
        client.run(warm)                       # lexicons and gazetteer: once per worker process
        t_ready = time.perf_counter()
        readers = [dask.delayed(read_partition, pure=False)(units) for units in parts]
        bag = db.from_delayed(readers).map_partitions(analyse_items)
        tasks = bag.to_delayed() if parts else []
        linker = Linker()
        window = 2 * n_workers + 2             # partitions in flight: workers never wait on the driver
        analysed: dict[int, object] = {}       # futures of analysed partitions (they stay on the workers)
        views: dict[int, object] = {}          # futures of what the driver needs of them
        writes = []
        submitted = 0
        for i in range(len(tasks)):
            while submitted < len(tasks) and submitted - i < window:
                analysed[submitted] = client.compute(tasks[submitted])
                views[submitted] = client.submit(light_view, analysed[submitted], pure=False)
                submitted += 1
            fut, view = analysed.pop(i), views.pop(i)
            try:
                results = view.result()
            except Exception as e:  # a lost partition (worker died every retry) is a reject, not a crash
                log.error("partition %d failed: %s", i, e)
                rej = Reject(f"partition {i}: " + ", ".join(str(u[1]) for u in parts[i][:3]), "error",
                             f"{type(e).__name__}: {e}")
                linker.seq += 1
                linker.rejects["error"] += 1
                write_partition([], [("r", 0, linker.seq, rej)], str(out), i)
                continue
            view.release()
            decisions = linker.take(i, results)
            writes.append(client.submit(write_partition, fut, decisions, str(out), i, pure=False, priority=10))
            fut.release()
        for w in writes:
            w.result()
        _drop_replaced(out, linker.removed)
        _write_stories(out)
        t_done = time.perf_counter()
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
    summary = {
        "documents": linker.documents, "articles": linker.articles, "duplicates": linker.duplicates,
        "events": linker.n_events, "rejects": sum(linker.rejects.values()),
        "reject_reasons": dict(linker.rejects), "unchanged": linker.unchanged, "updated": linker.updated,
        "repeated_ids": linker.repeated,
        "partitions": len(parts), "workers": n_workers, "scheduler": scheduler, "out": str(out),
        "startup_seconds": round(t_ready - t0, 3), "pipeline_seconds": round(t_done - t_ready, 3),
        "seconds": round(time.perf_counter() - t0, 3),
    }
    _write_marker(out, {"rasd": __version__, "pipeline_version": PIPELINE_VERSION, "complete": True,
                        "summary": summary})
    return summary


# ------------------------------------------------------------------ load_batch

def _to_span(d: dict | None) -> Span | None:
    return Span(d["start"], d["end"]) if d is not None else None


def _only(cls, d: dict) -> dict:
    names = {f.name for f in fields(cls)}
    return {k: v for k, v in d.items() if k in names}


def document_of(row: dict) -> Document:
    return Document(id=row["id"], raw=row["raw"], kind=row["kind"], source=row["source"],
                    content_hash=row["content_hash"], encoding=row["encoding"], title=row["title"],
                    url=row["url"], published=row["published"], fetched=row["fetched"], author=row["author"],
                    meta=json.loads(row["meta"] or "{}"))


def article_of(row: dict) -> tuple[Article, str, np.ndarray | None]:
    a = Article(id=row["id"], doc=row["doc"], index=row["index"],
                paragraphs=[_to_span(p) for p in row["paragraphs"]], title=row["title"],
                title_span=_to_span(row["title_span"]), subtitle_span=_to_span(row["subtitle_span"]),
                headings=[_to_span(h) for h in row["headings"]], author=row["author"],
                published=row["published"], text_hash=row["text_hash"], n_words=row["n_words"],
                duplicate_of=row["duplicate_of"], dedup_cluster=row["dedup_cluster"],
                story=row["dedup_cluster"],   # a store's column, as rasd process keeps it (its
                norm_text=row["norm_text"])   # exports work out the cross-outlet story anew)
    sig = np.frombuffer(row["minhash"], dtype="<u8").astype(np.uint64) if row["minhash"] else None
    return a, row["norm_text"], sig


def event_of(row: dict) -> Event:
    count = json.loads(row["count"]) if row["count"] else None
    ev = row["evidence"]
    return Event(
        id=row["id"], doc=row["doc"], article=row["article"], type=row["type"], sub_type=row["sub_type"],
        evidence=Span(ev["start"], ev["end"]), evidence_text=ev["text"], trigger=_to_span(row["trigger"]),
        actor=row["actor"], actor2=row["actor2"],
        places=[Place(**_only(Place, p)) for p in json.loads(row["places"] or "[]")],
        count=Quantity(**_only(Quantity, count)) if count is not None else None,
        fatalities=row["fatalities"], date=row["date"], date_precision=row["date_precision"],
        sources=[Claim(**_only(Claim, s)) for s in json.loads(row["sources"] or "[]")],
        claim_group=row["claim_group"], stance=row["stance"], sentence=_to_span(row["sentence"]),
        confidence=row.get("confidence"), mentions=json.loads(row.get("mentions") or "[]"))


class _Parts:
    """Rows of a batch partition by document, a few partitions cached at a time."""

    def __init__(self, root: Path, names: list[str]) -> None:
        self.root, self.names = root, names
        self.cache: dict[int, tuple[dict, dict, dict]] = {}

    def get(self, i: int) -> tuple[dict, dict, dict]:
        import pyarrow.parquet as pq
        if i not in self.cache:
            if len(self.cache) >= 4:
                self.cache.pop(next(iter(self.cache)))
            docs = {r["id"]: r for r in pq.read_table(self.root / "documents" / self.names[i]).to_pylist()}
            arts: dict[str, list] = {}
            for r in pq.read_table(self.root / "articles" / self.names[i]).to_pylist():
                arts.setdefault(r["doc"], []).append(r)
            evs: dict[str, list] = {}
            for r in pq.read_table(self.root / "events" / self.names[i]).to_pylist():
                evs.setdefault(r["doc"], []).append(r)
            self.cache[i] = (docs, arts, evs)
        return self.cache[i]


def load_batch(batch_dir: str | Path, store: "Store") -> dict:
    """Write a batch result into ``store`` through ``Store.save_document``, in input order.

    Idempotent: a document already stored with the same content (and pipeline version)
    is skipped, a changed one replaced; rejects are stored once."""
    import pyarrow.parquet as pq

    t0 = time.perf_counter()
    root = Path(batch_dir)
    marker = root / MARKER
    if not marker.exists():
        raise FileNotFoundError(f"{root} holds no rasd batch result ({MARKER} missing)")
    info = json.loads(marker.read_text(encoding="utf-8"))
    if not info.get("complete"):
        raise ValueError(f"{root}: the batch did not finish; run 'rasd batch' again")
    if info.get("pipeline_version") != PIPELINE_VERSION:
        raise ValueError(f"{root} was made by pipeline version {info.get('pipeline_version')}, "
                         f"this rasd is {PIPELINE_VERSION}: run 'rasd batch' again")
    names = sorted(p.name for p in (root / "documents").glob("part-*.parquet"))
    parts = _Parts(root, names)
    order = []   # (seq, 0 = document | 1 = reject, partition, key)
    for i, name in enumerate(names):
        t = pq.read_table(root / "documents" / name, columns=["seq", "id"])
        order.extend((s, 0, i, d) for s, d in zip(t["seq"].to_pylist(), t["id"].to_pylist()))
        rj = root / "rejects" / name
        if rj.exists():
            order.extend((r["seq"], 1, i, r) for r in pq.read_table(rj).to_pylist())
    order.sort(key=lambda x: (x[0], x[1]))
    s = Counter()
    with store.batch():
        for n, (_, what, i, key) in enumerate(order, 1):
            if what == 1:
                store.save_reject(Reject(key["source"], key["reason"], key["detail"] or "", key["doc"]))
                s["rejects"] += 1
                continue
            docs, arts, evs = parts.get(i)
            doc = document_of(docs[key])
            s["documents"] += 1
            state = store.document_state(doc.id)
            if state == (doc.content_hash, PIPELINE_VERSION):
                s["unchanged"] += 1
                continue
            triples = [article_of(r) for r in sorted(arts.get(doc.id, []), key=lambda r: r["index"])]
            events = [event_of(r) for r in evs.get(doc.id, [])]
            store.save_document(doc, [a for a, _, _ in triples], [nt for _, nt, _ in triples],
                                [sig for _, _, sig in triples], events, new=state is None)
            s["updated" if state else "new"] += 1
            s["articles"] += len(triples)
            s["events"] += len(events)
            if n % 200 == 0:
                store.flush()
    keys = ("documents", "new", "updated", "unchanged", "articles", "events", "rejects")
    return {**{k: s[k] for k in keys}, "seconds": round(time.perf_counter() - t0, 3)}
