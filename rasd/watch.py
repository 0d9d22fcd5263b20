"""Watch feeds and pages: poll them, and process what is new or changed.

``rasd watch FEED_OR_URL... --db FILE [--every 10m] [--once]`` polls each source in turn.
An http(s) source is fetched with a conditional GET: the ``ETag`` and ``Last-Modified``
the server gave last time go back as ``If-None-Match`` and ``If-Modified-Since``, and a
``304 Not Modified`` costs nothing more. A local file is read again only when its size or
modification time changed. A body that is byte for byte the one seen last time is not
read again either. What is read goes through the same per-document step as
``rasd process`` (:func:`rasd.pipeline._process_item` with one warm
:class:`~rasd.pipeline.Processor`), so a feed entry already stored with the same content
is skipped, a changed one replaces its old version, and only new or changed entries are
analysed. Each poll commits, so ``rasd serve`` on the same store sees the new events at
once.

A source that is down (network error, HTTP error, timeout) is logged and tried again
after a back-off: the regular interval after the first failure, then twice as long after
each further one, up to :data:`MAX_BACKOFF` (or the interval, if longer). Its state (the
validators, the last change, the failures) is kept per URL in the table ``watch_state``
of the store, so a restarted watcher goes on where it stopped.
"""
from __future__ import annotations

import hashlib
import logging
import re
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from .ingest import (
    FEED_SUFFIXES,
    MAX_BYTES,
    URL_TIMEOUT,
    now_iso,
    read_bytes,
    read_file,
)
from .pipeline import Processor, Summary, _process_item
from .store import Store

log = logging.getLogger(__name__)

USER_AGENT = "rasd-watch (+https://pypi.org/project/rasd)"
MAX_BACKOFF = 6 * 3600.0       # seconds: the longest wait before trying a failing source again

STATE_TABLE = """CREATE TABLE IF NOT EXISTS watch_state (
    url TEXT PRIMARY KEY,
    etag TEXT,
    last_modified TEXT,
    body_hash TEXT,
    checked_at TEXT,
    changed_at TEXT,
    failures INTEGER NOT NULL DEFAULT 0,
    error TEXT
)"""

_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(s|sec|m|min|h|d)?\s*$", re.IGNORECASE)
_UNITS = {None: 1, "s": 1, "sec": 1, "m": 60, "min": 60, "h": 3600, "d": 86400}


def parse_duration(text: str) -> float:
    """Seconds of ``"30s"``, ``"10m"``, ``"1.5h"``, ``"1d"`` or ``"90"`` (seconds)."""
    m = _DURATION.match(text or "")
    if not m or float(m.group(1)) <= 0:
        raise ValueError(f"{text!r} is not a duration (e.g. 30s, 10m, 1h)")
    return float(m.group(1)) * _UNITS[(m.group(2) or "").lower() or None]


def format_duration(seconds: float) -> str:
    for unit, size in (("h", 3600), ("m", 60)):
        if seconds >= size and seconds % size == 0:
            return f"{int(seconds // size)}{unit}"
    return f"{seconds:g}s"


@dataclass
class SourceState:
    url: str
    etag: str | None = None
    last_modified: str | None = None
    body_hash: str | None = None
    failures: int = 0


@dataclass
class PollResult:
    """What one poll of one source did."""

    url: str
    status: str                        # changed | not_modified | same_body | failed
    summary: Summary = field(default_factory=Summary)
    http_status: int | None = None
    error: str = ""
    retry_in: float | None = None      # seconds until the next try (failed polls)

    def line(self) -> str:
        if self.status == "failed":
            return f"{self.url}: failed ({self.error}); trying again in {format_duration(self.retry_in or 0)}"
        if self.status == "not_modified":
            return f"{self.url}: not modified" + (f" ({self.http_status})" if self.http_status else "")
        if self.status == "same_body":
            return f"{self.url}: unchanged"
        s = self.summary
        rejects = sum(s.rejects.values())
        return (f"{self.url}: {s.new} new, {s.updated} updated, {s.unchanged} unchanged"
                + (f", {rejects} rejects" if rejects else ""))


class FetchError(Exception):
    pass


def _is_url(source: str) -> bool:
    return bool(re.match(r"^https?://", source, re.IGNORECASE))


def fetch(url: str, state: SourceState, *, timeout: float = URL_TIMEOUT) -> tuple[int, bytes, dict]:
    """Conditional GET: (HTTP status, body, headers); status 304 with an empty body when
    the server says nothing changed. Raises :class:`FetchError` for anything else."""
    headers = {"User-Agent": USER_AGENT}
    if state.etag:
        headers["If-None-Match"] = state.etag
    if state.last_modified:
        headers["If-Modified-Since"] = state.last_modified
    req = urllib.request.Request(url, headers=headers)
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            data = r.read(MAX_BYTES + 1)
            return r.status, data, dict(r.headers.items())
    except urllib.error.HTTPError as e:
        if e.code == 304:
            return 304, b"", dict(e.headers.items()) if e.headers else {}
        raise FetchError(f"HTTP {e.code} {e.reason}") from None
    except Exception as e:  # noqa: BLE001 - every network failure is a reason to retry, not a crash
        reason = getattr(e, "reason", None) or e
        raise FetchError(f"{type(e).__name__}: {reason}") from None


def _suffix(url: str, content_type: str) -> str:
    """The file suffix ingest reads a body as (as rasd.ingest.read_url decides it)."""
    suffix = Path(urllib.request.urlparse(url).path).suffix.lower()
    if "xml" in content_type or "rss" in content_type or "atom" in content_type:
        return suffix if suffix in FEED_SUFFIXES else ".xml"
    if "html" in content_type:
        return ".html"
    return suffix


class Watcher:
    """Polls ``sources`` (http(s) URLs of feeds or pages, or local feed files) into ``store``."""

    def __init__(self, sources: Iterable[str], store: Store, *, every: float = 600.0,
                 timeout: float = URL_TIMEOUT, max_backoff: float = MAX_BACKOFF,
                 echo: Callable[[str], None] | None = None) -> None:
        self.sources = list(dict.fromkeys(sources))
        self.store = store
        self.every = every
        self.timeout = timeout
        self.max_backoff = max(max_backoff, every)
        self.echo = echo or (lambda line: log.info("%s", line))
        store.conn.execute(STATE_TABLE)
        self.proc = Processor(store)

    # -------------------------------------------------------------- state

    def state(self, url: str) -> SourceState:
        row = self.store.conn.execute(
            "SELECT etag, last_modified, body_hash, failures FROM watch_state WHERE url = ?", (url,)).fetchone()
        if row is None:
            return SourceState(url)
        return SourceState(url, row[0], row[1], row[2], row[3] or 0)

    def _save(self, s: SourceState, *, changed: bool, error: str | None) -> None:
        now = now_iso()
        self.store.conn.execute(
            """INSERT INTO watch_state (url, etag, last_modified, body_hash, checked_at, changed_at, failures, error)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?)
               ON CONFLICT(url) DO UPDATE SET etag = excluded.etag, last_modified = excluded.last_modified,
               body_hash = excluded.body_hash, checked_at = excluded.checked_at,
               changed_at = COALESCE(excluded.changed_at, watch_state.changed_at),
               failures = excluded.failures, error = excluded.error""",
            (s.url, s.etag, s.last_modified, s.body_hash, now, now if changed else None, s.failures, error))

    def backoff(self, failures: int) -> float:
        """Seconds before trying a source again after ``failures`` failures in a row."""
        return min(self.every * 2 ** max(failures - 1, 0), self.max_backoff)

    # -------------------------------------------------------------- one poll

    def poll(self, source: str) -> PollResult:
        """Fetch one source if it changed, and process what is new or changed in it."""
        st = self.state(source)
        try:
            if _is_url(source):
                code, data, headers = fetch(source, st, timeout=self.timeout)
                if code == 304:
                    st.failures = 0
                    self._save(st, changed=False, error=None)
                    return PollResult(source, "not_modified", http_status=304)
                if len(data) > MAX_BYTES:
                    raise FetchError(f"more than {MAX_BYTES} bytes")
                st.etag = headers.get("ETag") or headers.get("Etag")
                st.last_modified = headers.get("Last-Modified")
                body_hash = hashlib.sha256(data).hexdigest()
                items = read_bytes(data, source=source, doc_id=source,
                                   suffix=_suffix(source, headers.get("Content-Type", "")), url=source)
            else:
                path = Path(source)
                try:
                    stat = path.stat()
                except OSError as e:
                    raise FetchError(f"{type(e).__name__}: {e.strerror or e}") from None
                mark = f"{stat.st_mtime_ns}:{stat.st_size}"
                if st.etag == mark:
                    st.failures = 0
                    self._save(st, changed=False, error=None)
                    return PollResult(source, "not_modified")
                st.etag, body_hash = mark, mark
                items = read_file(path, path.name)
        except FetchError as e:
            st.failures += 1
            self._save(st, changed=False, error=str(e))
            log.warning("%s: %s (failure %d)", source, e, st.failures)
            return PollResult(source, "failed", error=str(e), retry_in=self.backoff(st.failures))
        st.failures = 0
        if body_hash == st.body_hash:
            self._save(st, changed=False, error=None)
            return PollResult(source, "same_body", http_status=200 if _is_url(source) else None)
        summary = Summary()
        t0 = time.perf_counter()
        with self.store.batch():
            for item in items:
                _process_item(item, self.proc, self.store, summary, None)
            st.body_hash = body_hash
            self._save(st, changed=True, error=None)
        summary.seconds = time.perf_counter() - t0
        return PollResult(source, "changed", summary, http_status=200 if _is_url(source) else None)

    # -------------------------------------------------------------- the loop

    def run(self, *, once: bool = False, max_rounds: int | None = None,
            sleep: Callable[[float], None] = time.sleep,
            clock: Callable[[], float] = time.monotonic) -> list[PollResult]:
        """Poll every source when it is due, until ``once`` (one round), ``max_rounds``
        rounds, or KeyboardInterrupt (which the caller catches: whatever was processed
        is committed)."""
        due = {s: 0.0 for s in self.sources}
        results: list[PollResult] = []
        rounds = 0
        while True:
            for source in self.sources:
                if due[source] > clock():
                    continue
                r = self.poll(source)
                results.append(r)
                self.echo(r.line())
                due[source] = clock() + (r.retry_in if r.status == "failed" else self.every)
            rounds += 1
            if once or (max_rounds is not None and rounds >= max_rounds):
                return results
            wait = min(due.values()) - clock()
            if wait > 0:
                sleep(wait)
