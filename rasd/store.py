"""Store: SQLite in WAL mode with a versioned schema and migrations.

Each document and everything derived from it is written in one transaction, so a crash
never leaves half a document. Documents keep their raw text and metadata; rejects are
kept with their reason. Re-processing an unchanged document (same content hash, same
pipeline version) writes nothing.
"""
from __future__ import annotations

import json
import logging
import os
import sqlite3
import time
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterator

import numpy as np

from . import PIPELINE_VERSION
from .records import Article, Document, Event, Reject, Span, clean_str, main_place

log = logging.getLogger(__name__)

# Each migration takes the schema from version i to i+1. Never edit one that has been
# released: add a new one.
MIGRATIONS: list[str] = [
    # 1: documents, articles, signatures, rejects
    """
    CREATE TABLE documents (
        id TEXT PRIMARY KEY,
        source TEXT NOT NULL,
        kind TEXT NOT NULL,
        url TEXT, title TEXT, author TEXT, published TEXT, fetched TEXT,
        encoding TEXT,
        content_hash TEXT NOT NULL,
        raw TEXT NOT NULL,
        meta TEXT NOT NULL DEFAULT '{}',
        pipeline_version TEXT NOT NULL,
        processed_at TEXT NOT NULL
    );
    CREATE TABLE articles (
        id TEXT PRIMARY KEY,
        doc TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
        idx INTEGER NOT NULL,
        title TEXT,
        title_start INTEGER, title_end INTEGER,
        subtitle_start INTEGER, subtitle_end INTEGER,
        paragraphs TEXT NOT NULL,
        headings TEXT NOT NULL DEFAULT '[]',
        author TEXT, published TEXT,
        text_hash TEXT NOT NULL,
        norm_text TEXT NOT NULL,
        n_words INTEGER NOT NULL,
        duplicate_of TEXT,
        dedup_cluster TEXT,
        story TEXT
    );
    CREATE INDEX articles_doc ON articles(doc);
    CREATE INDEX articles_hash ON articles(text_hash);
    CREATE INDEX articles_cluster ON articles(dedup_cluster);
    CREATE TABLE signatures (
        article TEXT PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
        minhash BLOB NOT NULL
    );
    CREATE TABLE rejects (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        source TEXT NOT NULL,
        doc TEXT,
        reason TEXT NOT NULL,
        detail TEXT NOT NULL DEFAULT '',
        at TEXT NOT NULL,
        UNIQUE (source, reason, detail)
    );
    """,
    # 2: events (one row per event claim)
    """
    CREATE TABLE events (
        id TEXT PRIMARY KEY,
        doc TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
        article TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        type TEXT NOT NULL,
        sub_type TEXT,
        actor TEXT, actor2 TEXT,
        stance TEXT NOT NULL DEFAULT 'assert',
        claim_group TEXT,
        date TEXT, date_precision TEXT,
        fatalities INTEGER,
        count_value REAL,
        lat REAL, lon REAL, country TEXT, location TEXT,
        ev_start INTEGER NOT NULL, ev_end INTEGER NOT NULL,
        data TEXT NOT NULL
    );
    CREATE INDEX events_article ON events(article);
    CREATE INDEX events_doc ON events(doc);
    CREATE INDEX events_type ON events(type, sub_type);
    CREATE INDEX events_group ON events(claim_group);
    CREATE INDEX events_date ON events(date);
    CREATE INDEX events_latlon ON events(lat, lon);
    CREATE TABLE event_places (
        event TEXT NOT NULL REFERENCES events(id) ON DELETE CASCADE,
        key TEXT NOT NULL,
        type TEXT NOT NULL DEFAULT '',
        actor TEXT NOT NULL DEFAULT '',
        PRIMARY KEY (key, event)
    ) WITHOUT ROWID;
    CREATE INDEX event_places_event ON event_places(event);
    CREATE INDEX event_places_group ON event_places(key, type, actor);
    """,
    # 3: for the API (rasd.api). A full-text index over the articles' normalised bodies
    # (external content: the text stays in articles.norm_text, the index holds only terms;
    # save_document keeps it in step, as migrations are split on semicolons and cannot hold
    # triggers) and a view of its terms; covering indexes for the usual event queries (a type
    # with a map box; a type, newest first; a map box alone) and for leaving copies out of
    # searches.
    """
    CREATE VIRTUAL TABLE articles_fts USING fts5(
        norm_text, content='articles', content_rowid='rowid', tokenize='unicode61');
    INSERT INTO articles_fts(articles_fts) VALUES ('rebuild');
    CREATE VIRTUAL TABLE articles_fts_vocab USING fts5vocab(articles_fts, 'row');
    CREATE INDEX articles_duplicate ON articles(duplicate_of);
    CREATE INDEX events_type_geo ON events(type, lat, lon, date);
    CREATE INDEX events_type_date ON events(type, date);
    CREATE INDEX events_geo_date ON events(lat, lon, date);
    """,
    # 4: the governorate (admin1) of each event's main place (``main_place``), for the
    # API's admin1 filter and facet: a column with an index of its own, filled from the
    # stored event dicts (the first located place by role: location, destination, origin,
    # via, as the CSV's admin1 column has it).
    """
    ALTER TABLE events ADD COLUMN admin1 TEXT;
    UPDATE events SET admin1 = (
        SELECT nullif(p.value ->> '$.admin1', '') FROM json_each(events.data, '$.places') p
        WHERE p.value ->> '$.lat' IS NOT NULL AND p.value ->> '$.role' IN ('location', 'destination', 'origin', 'via')
        ORDER BY instr('location destination origin via', p.value ->> '$.role'), p.key LIMIT 1);
    CREATE INDEX events_admin1 ON events(admin1, date);
    """,
]
SCHEMA_VERSION = len(MIGRATIONS)



class StoreError(RuntimeError):
    pass


class StoreBusy(StoreError):
    """Another writer held the store for longer than the busy timeout."""


# How long a writer waits for another one to commit: a batch commits every 2 s, but one
# document (within its time budget) may hold the lock longer. RASD_BUSY_TIMEOUT overrides.
BUSY_TIMEOUT = 300.0


def _busy_timeout() -> float:
    try:
        return float(os.environ.get("RASD_BUSY_TIMEOUT", BUSY_TIMEOUT))
    except ValueError:
        return BUSY_TIMEOUT


def _locked(e: sqlite3.OperationalError) -> bool:
    m = str(e).lower()
    return "locked" in m or "busy" in m


def _now() -> str:
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat()


class Store:
    """One SQLite database file (``":memory:"`` for tests)."""

    def __init__(self, path: str | Path, *, readonly: bool = False) -> None:
        self.path = str(path)
        self.busy_timeout = _busy_timeout()
        try:
            self._open(readonly)
        except sqlite3.OperationalError as e:
            if _locked(e):
                raise StoreBusy(f"{self.path} is locked by another writer (waited "
                                f"{self.busy_timeout:g} s): try again when it has finished") from None
            raise StoreError(f"{self.path}: {e}") from None

    def _open(self, readonly: bool) -> None:
        if readonly:
            uri = f"file:{Path(self.path).resolve()}?mode=ro"
            self.conn = sqlite3.connect(uri, uri=True, check_same_thread=False, isolation_level=None)
        else:
            if self.path != ":memory:":
                Path(self.path).parent.mkdir(parents=True, exist_ok=True)
            # isolation_level=None: transactions are ours (BEGIN/SAVEPOINT), never implicit
            self.conn = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None,
                                        timeout=self.busy_timeout)
        self._batch = False
        self._open_txn = False   # a batch's transaction is begun (lazily, at its first write)
        self._parsed: dict[str, dict] = {}   # events.data text → its dict (claim_candidates)
        # a batch's articles not yet in the full-text index: (rowid, norm_text), indexed
        # together before the batch commits (see _index_pending)
        self._fts_pending: list[tuple[int, str]] = []
        self.conn.row_factory = sqlite3.Row
        self.conn.execute("PRAGMA foreign_keys = ON")
        if not readonly:
            try:
                self.conn.execute("PRAGMA journal_mode = WAL")
            except sqlite3.DatabaseError as e:
                raise StoreError(f"{self.path} is not a rasd database: {e}") from None
            self.conn.execute("PRAGMA synchronous = NORMAL")
            # a document's savepoint journal and sorts in memory, not in temp files
            self.conn.execute("PRAGMA temp_store = MEMORY")
            # a batch commits every 200 documents: a page cache that holds them all keeps
            # SQLite from spilling pages to the WAL in the middle (default: 2 MB)
            self.conn.execute("PRAGMA cache_size = -32768")
            self.migrate()
        else:
            v = self.version()
            if v != SCHEMA_VERSION:
                raise StoreError(f"{self.path}: schema version {v}, this rasd reads {SCHEMA_VERSION}; "
                                 "run 'rasd process' on it once to migrate")

    # -------------------------------------------------------------- schema

    def version(self) -> int:
        try:
            return self.conn.execute("PRAGMA user_version").fetchone()[0]
        except sqlite3.DatabaseError as e:
            raise StoreError(f"{self.path} is not a rasd database: {e}") from None

    def migrate(self) -> None:
        v = self.version()
        if v > SCHEMA_VERSION:
            raise StoreError(f"{self.path} has schema version {v}; this rasd knows up to {SCHEMA_VERSION}")
        if v and not self.conn.execute(
                "SELECT 1 FROM sqlite_master WHERE name='documents'").fetchone():
            raise StoreError(f"{self.path} is not a rasd database")
        if v == 0 and self.conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]:
            raise StoreError(f"{self.path} is an SQLite database that rasd did not create")
        for i in range(v, SCHEMA_VERSION):
            log.info("migrating %s to schema %d", self.path, i + 1)
            with self.transaction():
                for stmt in MIGRATIONS[i].split(";"):
                    if stmt.strip():
                        self.conn.execute(stmt)
                self.conn.execute(f"PRAGMA user_version = {i + 1}")

    def _begin(self) -> None:
        """BEGIN IMMEDIATE, waiting for another writer up to the busy timeout. The wait
        polls every few milliseconds (SQLite's own handler sleeps up to 100 ms between
        tries, and a writer that commits and begins again at once would starve it);
        past the timeout, :class:`StoreBusy` with one clear line."""
        deadline = time.monotonic() + self.busy_timeout
        self.conn.execute("PRAGMA busy_timeout = 10")
        try:
            while True:
                try:
                    self.conn.execute("BEGIN IMMEDIATE")
                    return
                except sqlite3.OperationalError as e:
                    if not _locked(e):
                        raise
                    if time.monotonic() > deadline:
                        raise StoreBusy(f"{self.path} is locked by another writer for more than "
                                        f"{self.busy_timeout:g} s (RASD_BUSY_TIMEOUT): try again when "
                                        "it has finished") from None
                    time.sleep(0.005)
        finally:
            self.conn.execute(f"PRAGMA busy_timeout = {int(self.busy_timeout * 1000)}")

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """All or nothing: a transaction of its own, or a savepoint inside a batch."""
        if self._batch:
            if not self._open_txn:
                self._begin()
                self._open_txn = True
            self.conn.execute("SAVEPOINT one_document")
            try:
                yield self.conn
            except BaseException:
                self.conn.execute("ROLLBACK TO one_document")
                self.conn.execute("RELEASE one_document")
                raise
            else:
                self.conn.execute("RELEASE one_document")
            return
        self._begin()
        try:
            yield self.conn
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        else:
            self.conn.execute("COMMIT")

    @contextmanager
    def batch(self) -> Iterator["Store"]:
        """Group many documents into one transaction (each still all or nothing, through
        its own savepoint); ``flush()`` commits what is done so far. Whatever stops the
        batch, every document written completely is committed.

        The write lock is taken at the first write after a commit, not at the commit:
        between the two, while this writer reads and analyses, another writer waiting
        for the store gets its turn."""
        if self._batch:
            yield self
            return
        self._batch = True
        self._open_txn = False
        try:
            yield self
        finally:
            self._batch = False
            if self._open_txn:
                self._index_pending()
                self._open_txn = False
                self.conn.execute("COMMIT")

    def flush(self) -> None:
        if self._batch and self._open_txn:
            self._index_pending()
            self._open_txn = False
            self.conn.execute("COMMIT")

    def _index_pending(self) -> None:
        """Add the batch's pending articles to the full-text index, in the batch's open
        transaction (outside any document's savepoint: each was released whole). In a
        batch the index is written here, before each commit, and not document by
        document: SQLite's FTS5 writes its pending terms out at every savepoint, so one
        insert per document made one index segment per document, to be merged again
        (about 3 % of `rasd process`). What is committed is the same."""
        if self._fts_pending:
            rows, self._fts_pending = self._fts_pending, []
            self.conn.executemany("INSERT INTO articles_fts (rowid, norm_text) VALUES (?, ?)", rows)

    def close(self) -> None:
        self.conn.close()

    # -------------------------------------------------------------- documents

    def document_state(self, doc_id: str) -> tuple[str, str] | None:
        row = self.conn.execute("SELECT content_hash, pipeline_version FROM documents WHERE id=?",
                                (doc_id,)).fetchone()
        return (row[0], row[1]) if row else None

    def save_document(self, doc: Document, articles: list[Article], norm_texts: list[str],
                      signatures: list[np.ndarray | None], events: list[Event] = (), *,
                      new: bool = False) -> None:
        """Write a document, its articles and events in one transaction (replacing an old
        version; ``new``: the caller has just seen that the store has no version of it)."""
        if not new:
            self._index_pending()   # an old version's articles may be pending: index them before they go
        fts: list[tuple[int, str]] = []
        with self.transaction() as c:
            if new and c.execute(
                    "SELECT 1 FROM documents WHERE id=?", (doc.id,)).fetchone():
                new = False   # another writer stored it since the caller looked
            if not new:
                c.execute("DELETE FROM events WHERE doc=?", (doc.id,))
                c.execute("""INSERT INTO articles_fts (articles_fts, rowid, norm_text)
                             SELECT 'delete', rowid, norm_text FROM articles WHERE doc=?""", (doc.id,))
                c.execute("DELETE FROM articles WHERE doc=?", (doc.id,))
            c.execute(
                """INSERT INTO documents (id, source, kind, url, title, author, published, fetched,
                   encoding, content_hash, raw, meta, pipeline_version, processed_at)
                   VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)
                   ON CONFLICT(id) DO UPDATE SET source=excluded.source, kind=excluded.kind,
                   url=excluded.url, title=excluded.title, author=excluded.author,
                   published=excluded.published, fetched=excluded.fetched,
                   encoding=excluded.encoding, content_hash=excluded.content_hash, raw=excluded.raw,
                   meta=excluded.meta, pipeline_version=excluded.pipeline_version,
                   processed_at=excluded.processed_at""",
                (doc.id, doc.source, doc.kind, doc.url, doc.title, doc.author, doc.published, doc.fetched,
                 doc.encoding, doc.content_hash, doc.raw, json.dumps(doc.meta, ensure_ascii=False),
                 PIPELINE_VERSION, _now()))
            for a, nt, sig in zip(articles, norm_texts, signatures):
                cur = c.execute(
                    """INSERT INTO articles (id, doc, idx, title, title_start, title_end, subtitle_start,
                       subtitle_end, paragraphs, headings, author, published, text_hash, norm_text,
                       n_words, duplicate_of, dedup_cluster, story)
                       VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)""",
                    (a.id, a.doc, a.index, a.title,
                     a.title_span.start if a.title_span else None, a.title_span.end if a.title_span else None,
                     a.subtitle_span.start if a.subtitle_span else None,
                     a.subtitle_span.end if a.subtitle_span else None,
                     json.dumps([[p.start, p.end] for p in a.paragraphs]),
                     json.dumps([[h.start, h.end] for h in a.headings]),
                     a.author, a.published, a.text_hash, nt, a.n_words, a.duplicate_of,
                     a.dedup_cluster, a.story))
                fts.append((cur.lastrowid, nt))
                if sig is not None:
                    c.execute("INSERT INTO signatures (article, minhash) VALUES (?, ?)",
                              (a.id, sig.astype("<u8").tobytes()))
            rows, place_rows = [], []
            for e in events:
                first = next((p for p in e.places if p.lat is not None), None)
                data = e.as_export()
                main = main_place(data.get("places") or [])
                rows.append((e.id, e.doc, e.article, e.type, e.sub_type, e.actor, e.actor2, e.stance,
                             e.claim_group, e.date, e.date_precision, e.fatalities,
                             e.count.value if e.count else None,
                             first.lat if first else None, first.lon if first else None,
                             first.country if first else None, first.name if first else None,
                             e.evidence.start, e.evidence.end, json.dumps(data, ensure_ascii=False),
                             (main or {}).get("admin1") or None))
                place_rows += [(e.id, k, e.type, e.actor or "") for k in {p.gazetteer_id or p.name
                                                                         for p in e.places}]
            if rows:
                c.executemany(
                    """INSERT INTO events (id, doc, article, type, sub_type, actor, actor2, stance, claim_group,
                       date, date_precision, fatalities, count_value, lat, lon, country, location,
                       ev_start, ev_end, data, admin1) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)""", rows)
            if place_rows:
                c.executemany("INSERT OR IGNORE INTO event_places (event, key, type, actor) VALUES (?, ?, ?, ?)",
                              place_rows)
            if not self._batch:
                c.executemany("INSERT INTO articles_fts (rowid, norm_text) VALUES (?, ?)", fts)
        if self._batch:
            self._fts_pending += fts    # the document is written (its savepoint released)

    def save_reject(self, r: Reject) -> None:
        with self.transaction() as c:
            c.execute("INSERT OR IGNORE INTO rejects (source, doc, reason, detail, at) VALUES (?,?,?,?,?)",
                      (clean_str(r.source), clean_str(r.doc) if r.doc is not None else None,
                       clean_str(r.reason), clean_str(r.detail or ""), _now()))

    def get_document(self, doc_id: str) -> Document | None:
        row = self.conn.execute("SELECT * FROM documents WHERE id=?", (doc_id,)).fetchone()
        if row is None:
            return None
        return Document(id=row["id"], raw=row["raw"], kind=row["kind"], source=row["source"],
                        content_hash=row["content_hash"], encoding=row["encoding"], title=row["title"],
                        url=row["url"], published=row["published"], fetched=row["fetched"],
                        author=row["author"], meta=json.loads(row["meta"] or "{}"))

    # -------------------------------------------------------------- articles

    @staticmethod
    def _article(row: sqlite3.Row) -> Article:
        def span(a, b):
            return Span(row[a], row[b]) if row[a] is not None else None
        return Article(
            id=row["id"], doc=row["doc"], index=row["idx"],
            paragraphs=[Span(s, e) for s, e in json.loads(row["paragraphs"])],
            title=row["title"], title_span=span("title_start", "title_end"),
            subtitle_span=span("subtitle_start", "subtitle_end"),
            headings=[Span(s, e) for s, e in json.loads(row["headings"])],
            author=row["author"], published=row["published"], text_hash=row["text_hash"],
            n_words=row["n_words"], duplicate_of=row["duplicate_of"],
            dedup_cluster=row["dedup_cluster"], story=row["story"])

    def articles(self) -> Iterator[Article]:
        for row in self.conn.execute(
                "SELECT a.* FROM articles a JOIN documents d ON d.id = a.doc ORDER BY d.rowid, a.idx"):
            yield self._article(row)

    def article_norm_text(self, art_id: str) -> str | None:
        row = self.conn.execute("SELECT norm_text FROM articles WHERE id=?", (art_id,)).fetchone()
        return row[0] if row else None

    def signatures(self) -> Iterator[tuple[str, str, str, np.ndarray | None]]:
        """(article id, cluster, text hash, minhash) in the order the articles were stored."""
        for row in self.conn.execute(
                """SELECT a.id, a.dedup_cluster, a.text_hash, s.minhash FROM articles a
                   JOIN documents d ON d.id = a.doc LEFT JOIN signatures s ON s.article = a.id
                   ORDER BY d.rowid, a.idx"""):
            hv = np.frombuffer(row[3], dtype="<u8").astype(np.uint64) if row[3] else None
            yield row[0], row[1] or row[0], row[2], hv

    # -------------------------------------------------------------- events

    def event_records(self) -> Iterator[dict]:
        """Exported event dicts in the order their documents were stored."""
        for row in self.conn.execute(
                """SELECT e.data FROM events e JOIN documents d ON d.id = e.doc
                   ORDER BY d.rowid, e.ev_start, e.id"""):
            yield json.loads(row[0])

    def claim_candidates(self, e) -> list[dict]:
        """Stored claims from other documents that may tell the same happening as the event
        ``e`` (:func:`rasd.events.grouping.candidate_window`: same type, dates within a few
        days, first located place in a box around its own), oldest first; each row
        ``id``, ``claim_group``, ``data`` (the exported dict, shared with other calls:
        read-only)."""
        from .events.grouping import GROUP_CANDIDATES, candidate_window
        win = candidate_window(e)
        if win is None:
            return []
        lo, hi, box = win
        sql = ("SELECT id, claim_group, data FROM events WHERE type = ? AND date BETWEEN ? AND ? "
               "AND length(date) = 10 AND doc <> ?")
        args: list = [e.type, lo, hi, e.doc]
        if box is not None:
            sql += " AND lat BETWEEN ? AND ? AND lon BETWEEN ? AND ?"
            args += box
        sql += f" ORDER BY rowid LIMIT {GROUP_CANDIDATES}"
        # the same stored claims come back for many events of a run: each text is parsed
        # once (the dicts are shared between calls: read them, do not change them)
        parsed = self._parsed
        if len(parsed) > 4096:
            parsed.clear()
        out = []
        for r in self.conn.execute(sql, args):
            data = parsed.get(r[2])
            if data is None:
                data = parsed[r[2]] = json.loads(r[2])
            out.append({"id": r[0], "claim_group": r[1], "data": data})
        return out

    # -------------------------------------------------------------- summaries

    def counts(self) -> dict[str, int]:
        q = self.conn.execute
        return {
            "documents": q("SELECT count(*) FROM documents").fetchone()[0],
            "articles": q("SELECT count(*) FROM articles").fetchone()[0],
            "duplicates": q("SELECT count(*) FROM articles WHERE duplicate_of IS NOT NULL").fetchone()[0],
            "rejects": q("SELECT count(*) FROM rejects").fetchone()[0],
            "events": q("SELECT count(*) FROM events").fetchone()[0],
        }

    def rejects(self) -> list[Reject]:
        return [Reject(source=r["source"], reason=r["reason"], detail=r["detail"], doc=r["doc"])
                for r in self.conn.execute("SELECT * FROM rejects ORDER BY id")]
