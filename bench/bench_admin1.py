"""Benchmark the admin1 (governorate) filter over a store of ≥ 100k events.

    python bench/bench_admin1.py [--events 100000] [--requests 200] [--keep DB]

The store is bench_api.py's (the seed pages copied with shifted ids, dates and points).
It prints, best of five runs each:

* the SQL of the filter on the indexed ``events.admin1`` column (schema 4): a count, the
  first page newest first, the facet's GROUP BY;
* the same through the stored JSON (what the filter would cost without the column): the
  main place's admin1 picked out of ``json_each(data, '$.places')``, and any place's;
* the time migration 4 takes to fill the column on the store (from a copy without it);
* ``/api/events?admin1=...`` (with and without a type) and ``/api/timeline?admin1=...``
  in-process through the ASGI app: p50/p95 latency.
"""
from __future__ import annotations

import argparse
import asyncio
import random
import shutil
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

MAIN_ADMIN1 = """(SELECT p.value ->> '$.admin1' FROM json_each(e.data, '$.places') p
    WHERE p.value ->> '$.lat' IS NOT NULL AND p.value ->> '$.role' IN ('location', 'destination', 'origin', 'via')
    ORDER BY instr('location destination origin via', p.value ->> '$.role'), p.key LIMIT 1)"""


def best_ms(conn: sqlite3.Connection, sql: str, args=(), runs: int = 5) -> tuple[float, list]:
    best, rows = float("inf"), []
    for _ in range(runs):
        t = time.perf_counter()
        rows = conn.execute(sql, args).fetchall()
        best = min(best, time.perf_counter() - t)
    return best * 1000, rows


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--events", type=int, default=100_000)
    ap.add_argument("--requests", type=int, default=200, help="requests per endpoint")
    ap.add_argument("--keep", type=Path, default=None, help="build (or reuse) the store at this path and keep it")
    args = ap.parse_args()

    import httpx
    from bench_api import bench_store, percentiles, time_requests

    from rasd.api import create_app
    from rasd.store import Store

    tmp = Path(tempfile.mkdtemp(prefix="rasd-bench-admin1-"))
    try:
        db = bench_store(args.keep, tmp, args.events)
        Store(db).close()                       # (a reused older store: migrated)
        conn = sqlite3.connect(f"file:{db.resolve()}?mode=ro", uri=True)
        govs = [g for g, _ in conn.execute("SELECT admin1, count(*) FROM events WHERE admin1 IS NOT NULL "
                                           "GROUP BY 1 ORDER BY 2 DESC")]
        g = govs[0]
        n = conn.execute("SELECT count(*) FROM events").fetchone()[0]
        print(f"governorates: {len(govs)}; the largest, {g!r}, holds "
              f"{conn.execute('SELECT count(*) FROM events WHERE admin1 = ?', (g,)).fetchone()[0]} of {n} events")
        print("SQL, best of 5:")
        for label, sql, a in [
            ("column: count", "SELECT count(*) FROM events e WHERE e.admin1 = ?", (g,)),
            ("column: first page, newest first",
             "SELECT e.rowid FROM events e WHERE e.admin1 = ? ORDER BY e.date DESC, e.rowid DESC LIMIT 50", (g,)),
            ("column: facet (GROUP BY admin1)",
             "SELECT e.admin1, count(*) FROM events e GROUP BY 1 ORDER BY 2 DESC", ()),
            ("column: facet under type=battles",
             "SELECT e.admin1, count(*) FROM events e WHERE e.type = 'battles' GROUP BY 1 ORDER BY 2 DESC", ()),
            ("JSON: count, main place", f"SELECT count(*) FROM events e WHERE {MAIN_ADMIN1} = ?", (g,)),
            ("JSON: count, any place", ("SELECT count(*) FROM events e WHERE EXISTS (SELECT 1 FROM "
                                        "json_each(e.data, '$.places') p WHERE p.value ->> '$.admin1' = ?)"), (g,)),
            ("JSON: facet, main place", f"SELECT {MAIN_ADMIN1}, count(*) FROM events e GROUP BY 1", ()),
        ]:
            ms, _ = best_ms(conn, sql, a, runs=5 if label.startswith("column") else 2)
            print(f"  {label:38s} {ms:9.2f} ms")
        conn.close()

        # migration 4 on a copy of the store without the column
        old = tmp / "old.db"
        shutil.copy(db, old)
        c = sqlite3.connect(old)
        c.execute("DROP INDEX events_admin1")
        c.execute("ALTER TABLE events DROP COLUMN admin1")
        c.execute("PRAGMA user_version = 3")
        c.commit()
        c.close()
        t = time.perf_counter()
        Store(old).close()
        print(f"migration 3 → 4 (fill and index events.admin1): {time.perf_counter() - t:.1f} s")

        rnd = random.Random(3)
        types = ["movement", "battles", "explosions_remote_violence", "strategic_developments"]
        ev_urls = [("/api/events", {"admin1": rnd.choice(govs)}) for _ in range(args.requests)]
        evt_urls = [("/api/events", {"admin1": rnd.choice(govs), "type": rnd.choice(types)})
                    for _ in range(args.requests)]
        tl_urls = [("/api/timeline", {"admin1": rnd.choice(govs)}) for _ in range(args.requests)]
        app = create_app(db)
        loop = asyncio.new_event_loop()
        client = httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://localhost")

        def get(url, params):
            return loop.run_until_complete(client.get(url, params=params))
        try:
            time_requests(get, ev_urls[:20] + tl_urls[:5])          # warm
            print("in-process (httpx.ASGITransport), sequential requests:")
            for label, urls in [("/api/events?admin1=...", ev_urls), ("/api/events?admin1=...&type=...", evt_urls),
                                ("/api/timeline?admin1=...", tl_urls)]:
                ms, _ = time_requests(get, urls)
                print(f"  {label:34s} {percentiles(ms)}")
        finally:
            loop.run_until_complete(client.aclose())
            loop.close()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
