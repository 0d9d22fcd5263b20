"""Read-only access to a store for the API: a small pool of ``mode=ro`` connections.

Each request borrows one connection for its whole life and gives it back; a connection
is never used by two requests at once. The connections cannot write: the file is opened
read-only (``file:...?mode=ro``) and ``PRAGMA query_only`` is on as well. The pipeline
may keep writing to the store while it is served (WAL): every request sees a consistent
snapshot, and caches derived from the data are keyed on the files' state.
"""
from __future__ import annotations

import os
import queue
import sqlite3
import threading
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Callable, Iterator
from urllib.parse import quote

from ..store import SCHEMA_VERSION, StoreError
from .search import contains, match_all


class Database:
    """A store opened read-only, with a pool of connections (one per request at a time)."""

    def __init__(self, path: str | os.PathLike, *, pool_size: int = 8) -> None:
        self.path = Path(path).resolve()
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
            conn = sqlite3.connect(uri, uri=True, check_same_thread=False, isolation_level=None)
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
        return conn

    def _release(self, conn: sqlite3.Connection) -> None:
        if conn.in_transaction:
            conn.rollback()
        try:
            self._pool.put_nowait(conn)
        except queue.Full:
            conn.close()

    @contextmanager
    def connection(self) -> Iterator[sqlite3.Connection]:
        try:
            conn = self._pool.get_nowait()
        except queue.Empty:
            conn = self._open()
        try:
            yield conn
        finally:
            self._release(conn)

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
            with self.connection() as conn:
                value = build(conn)
            self._cache[name] = (state, value)
            return value

