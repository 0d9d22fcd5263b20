"""Read-only access to a store for the API: a small pool of ``mode=ro`` connections.

Each request borrows one connection for its whole life and gives it back; a connection
is never used by two requests at once. The connections cannot write: the file is opened
read-only (``file:...?mode=ro``) and ``PRAGMA query_only`` is on as well. The pipeline
may keep writing to the store while it is served (WAL): every request sees a consistent
snapshot, and caches derived from the data are keyed on the files' state.

A request has a budget of work (``max_seconds`` of CPU time from when it borrows the
connection, its Python work between statements included; and, so that nothing waits
for ever on a starved machine, ``WALL_FACTOR`` times as long on the clock): SQLite's
progress handler looks every few thousand steps and interrupts a statement past it,
which the request answers with a 503 (``TooCostly``). Building the caches has none (they
are built once per state of the data).
"""
from __future__ import annotations

import math
import os
import queue
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import quote

from ..store import SCHEMA_VERSION, StoreError
from .errors import ApiError
from .limits import DEFAULT_MAX_SECONDS, PROGRESS_STEPS, WALL_FACTOR
from .search import contains, match_all

_DEFAULT: Any = object()


class TooCostly(ApiError):
    """A request ran out of its budget of work (503)."""

    def __init__(self, seconds: float) -> None:
        super().__init__(503, f"the request needs more than {seconds:g} s of work in the store; "
                              "ask for less (fewer or rarer words, a date range, a smaller box, a page)")


class _Connection(sqlite3.Connection):
    """A connection with a budget of work that its progress handler keeps."""

    budget = math.inf           # CPU seconds (inf: none)
    wall_deadline = math.inf
    exhausted = False           # the handler has stopped a statement
    _used = 0.0
    _thread = 0
    _cpu = 0.0

    def start(self, seconds: float | None) -> None:
        """Count from now: ``seconds`` of CPU time, ``WALL_FACTOR`` times as many on the clock."""
        self.budget = math.inf if seconds is None else seconds
        self.wall_deadline = math.inf if seconds is None else time.monotonic() + seconds * WALL_FACTOR
        self._used, self._thread, self._cpu = 0.0, threading.get_ident(), time.thread_time()
        self.exhausted = False

    def past_deadline(self) -> bool:
        """The progress handler. CPU time is per thread: a stream's rows may be read on
        different threads, so the count goes on from wherever the statement now runs."""
        thread, cpu = threading.get_ident(), time.thread_time()
        if thread == self._thread:
            self._used += cpu - self._cpu
        self._thread, self._cpu = thread, cpu
        if self._used > self.budget or time.monotonic() > self.wall_deadline:
            self.exhausted = True
        return self.exhausted


class Database:
    """A store opened read-only, with a pool of connections (one per request at a time)."""

    def __init__(self, path: str | os.PathLike, *, pool_size: int = 8,
                 max_seconds: float | None = DEFAULT_MAX_SECONDS) -> None:
        self.path = Path(path).resolve()
        self.max_seconds = max_seconds
        if not self.path.is_file():
            raise StoreError(f"no store at {path}: run 'rasd process ... --db {path}' first")
        self._pool: queue.LifoQueue[sqlite3.Connection] = queue.LifoQueue(maxsize=pool_size)
        self._cache: dict[str, tuple[Any, Any]] = {}
        self._cache_lock = threading.Lock()
        conn = self._open()           # fails early (not a store, old schema) with a clear message
        self._release(conn)

    def _open(self) -> sqlite3.Connection:
        uri = f"file:{quote(str(self.path))}?mode=ro"
        try:
            conn = sqlite3.connect(uri, uri=True, check_same_thread=False, isolation_level=None,
                                   factory=_Connection)
            v = conn.execute("PRAGMA user_version").fetchone()[0]
        except sqlite3.DatabaseError as e:
            raise StoreError(f"{self.path} is not a rasd database: {e}") from None
        if v != SCHEMA_VERSION:
            conn.close()
            raise StoreError(f"{self.path}: schema version {v}, this rasd reads {SCHEMA_VERSION}; "
                             "run 'rasd process' on it once to migrate")
        conn.row_factory = sqlite3.Row
        conn.execute("PRAGMA query_only = ON")
        conn.execute("PRAGMA mmap_size = 1073741824")     # read pages in place: no copies, no read calls
        conn.execute("PRAGMA cache_size = -16384")
        conn.create_function("rasd_match", 2, match_all, deterministic=True)
        conn.create_function("rasd_contains", 2, contains, deterministic=True)
        conn.set_progress_handler(conn.past_deadline, PROGRESS_STEPS)
        return conn

    def _release(self, conn: _Connection) -> None:
        conn.start(None)
        if conn.in_transaction:
            conn.rollback()
        try:
            self._pool.put_nowait(conn)
        except queue.Full:
            conn.close()

    @contextmanager
    def connection(self, seconds: float | None = _DEFAULT) -> Iterator[_Connection]:
        """A connection of the pool for a while; its statements stop (``TooCostly``) once
        the request has worked ``seconds`` (default: ``max_seconds``; None: no limit).
        ``renew(conn)`` gives it its time again."""
        seconds = self.max_seconds if seconds is _DEFAULT else seconds
        try:
            conn = self._pool.get_nowait()
        except queue.Empty:
            conn = self._open()
        conn.start(seconds)
        try:
            yield conn
        except sqlite3.OperationalError:
            # "interrupted", or whatever the statement was doing when it was stopped (reading
            # the full-text index's settings: "vtable constructor failed")
            if conn.exhausted:
                conn.close()            # (not back to the pool: a fresh one is cheap)
                conn = None
                raise TooCostly(seconds) from None
            raise
        finally:
            if conn is not None:
                self._release(conn)

    def renew(self, conn: _Connection) -> None:
        """Give ``conn`` its time again (a stream that goes on while it yields rows)."""
        if self.max_seconds is not None:
            conn.start(self.max_seconds)

    def close(self) -> None:
        while True:
            try:
                self._pool.get_nowait().close()
            except queue.Empty:
                return

    # ------------------------------------------------------------------ caches

    def state(self) -> tuple:
        """Changes whenever a writer commits (the database file or its WAL changes)."""
        out = []
        for suffix in ("", "-wal"):
            try:
                st = os.stat(f"{self.path}{suffix}")
                out.append((st.st_mtime_ns, st.st_size))
            except FileNotFoundError:
                out.append(None)
        return tuple(out)

    def cached(self, name: str, build: Callable[[sqlite3.Connection], Any]) -> Any:
        """``build(conn)`` once per state of the data."""
        state = self.state()
        hit = self._cache.get(name)
        if hit is not None and hit[0] == state:
            return hit[1]
        with self._cache_lock:
            hit = self._cache.get(name)
            if hit is not None and hit[0] == state:
                return hit[1]
            with self.connection(None) as conn:
                value = build(conn)
            self._cache[name] = (state, value)
            return value

