"""Store: idempotent processing, one transaction per document, schema, rejects."""
from __future__ import annotations

import sqlite3

import pytest

from rasd import store as store_mod
from rasd.pipeline import process
from rasd.store import SCHEMA_VERSION, Store, StoreError

from conftest import SEEDS


def dump(db) -> list:
    conn = sqlite3.connect(db)
    out = []
    for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type='table' ORDER BY name"):
        out.append((name, sorted(map(tuple, conn.execute(f"SELECT * FROM {name}")))))
    conn.close()
    return out


def test_processing_the_seeds_twice_leaves_the_store_unchanged(tmp_path):
    db = tmp_path / "s.db"
    s = Store(db)
    first = process([str(SEEDS)], s)
    s.close()
    before = dump(db)
    s = Store(db)
    second = process([str(SEEDS)], s)
    s.close()
    assert first.new == 5 and first.articles == 9
    assert second.unchanged == 5 and second.new == second.updated == second.articles == 0
    assert dump(db) == before


def test_wal_mode_and_schema_version(tmp_path):
    s = Store(tmp_path / "s.db")
    assert s.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert s.version() == SCHEMA_VERSION


def test_changed_document_replaces_its_old_version(tmp_path):
    f = tmp_path / "in" / "a.txt"
    f.parent.mkdir()
    body = "قال مصدر أمني إن القوات العراقية استعادت السيطرة على ثلاث قرى غرب الرمادي بعد اشتباكات عنيفة."
    f.write_text("عنوان\n\n" + body + "\n", encoding="utf-8")
    s = Store(tmp_path / "s.db")
    process([str(f.parent)], s)
    f.write_text("عنوان جديد\n\n" + body.replace("ثلاث", "أربع") + "\n", encoding="utf-8")
    summary = process([str(f.parent)], s)
    assert summary.updated == 1
    assert s.counts()["documents"] == 1 and s.counts()["articles"] == 1
    assert "أربع" in s.get_document("a.txt").raw


def test_a_crash_inside_a_document_leaves_nothing_half_written(tmp_path, monkeypatch):
    db = tmp_path / "s.db"
    s = Store(db)
    process([str(SEEDS / "000_958ecb03eb59d239.txt")], s)
    before = dump(db)
    real = s.conn

    class Exploding:
        """Fails on the first signature insert, after the document and an article are written."""

        def __init__(self, conn):
            self.conn = conn

        def execute(self, sql, *a):
            if sql.startswith("INSERT INTO signatures"):
                raise sqlite3.OperationalError("disk I/O error (simulated)")
            return self.conn.execute(sql, *a)

        def __getattr__(self, name):
            return getattr(self.conn, name)

    monkeypatch.setattr(s, "conn", Exploding(real))
    summary = process([str(SEEDS / "001_0f6a368dce576d34.txt")], s)
    monkeypatch.setattr(s, "conn", real)
    assert summary.failed == 1 and summary.rejects["error"] == 1
    after = dump(db)
    # nothing of document 001 was kept; the earlier document is intact; the failure is recorded
    keep = lambda d: [t for t in d if t[0] not in ("rejects", "sqlite_sequence")]
    assert keep(after) == keep(before)
    assert any("simulated" in str(row) for t in after if t[0] == "rejects" for row in t[1])


def test_not_a_rasd_database_is_a_clear_error(tmp_path):
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"this is not sqlite at all" * 100)
    with pytest.raises(StoreError, match="not a rasd database"):
        Store(junk)
    other = tmp_path / "other.db"
    conn = sqlite3.connect(other)
    conn.execute("CREATE TABLE t (x)")
    conn.commit()
    conn.close()
    with pytest.raises(StoreError, match="did not create"):
        Store(other)
    assert sqlite3.connect(other).execute("SELECT name FROM sqlite_master").fetchall() == [("t",)]


def test_newer_schema_is_refused(tmp_path):
    db = tmp_path / "s.db"
    Store(db).close()
    conn = sqlite3.connect(db)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.commit()
    conn.close()
    with pytest.raises(StoreError, match="schema version"):
        Store(db)


def test_migrations_run_in_order_from_an_older_schema(tmp_path, monkeypatch):
    db = tmp_path / "s.db"
    Store(db).close()
    monkeypatch.setattr(store_mod, "MIGRATIONS", store_mod.MIGRATIONS + ["CREATE TABLE extra (x INTEGER)"])
    monkeypatch.setattr(store_mod, "SCHEMA_VERSION", len(store_mod.MIGRATIONS))
    s = Store(db)
    assert s.version() == SCHEMA_VERSION + 1
    assert s.conn.execute("SELECT name FROM sqlite_master WHERE name='extra'").fetchone()


def test_rejects_are_stored_once_with_their_reason(tmp_path):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "empty.txt").write_bytes(b"")
    s = Store(tmp_path / "s.db")
    process([str(tmp_path / "in")], s)
    process([str(tmp_path / "in")], s)
    assert [(r.reason, r.doc) for r in s.rejects()] == [("empty", "empty.txt")]


def test_collector_thresholds_raised_while_documents_run_and_restored(tmp_path):
    import gc

    from rasd.pipeline import GC_THRESHOLD0, collector_tuned

    before = gc.get_threshold()
    seen = []
    s = Store(tmp_path / "gc.db")
    process([str(SEEDS)], s, on_item=lambda item, status: seen.append(gc.get_threshold()))
    assert seen and all(t[0] >= GC_THRESHOLD0 for t in seen)
    assert gc.get_threshold() == before
    # nested blocks restore once, at the outermost end, also when one raises
    with pytest.raises(RuntimeError):
        with collector_tuned():
            with collector_tuned():
                assert gc.get_threshold()[0] >= GC_THRESHOLD0
            assert gc.get_threshold()[0] >= GC_THRESHOLD0
            raise RuntimeError("stop")
    assert gc.get_threshold() == before
