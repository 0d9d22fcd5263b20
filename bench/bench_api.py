"""Benchmark the HTTP API over a store of ≥ 100k events: p50/p95 latency.

    python bench/bench_api.py [--events 100000] [--requests 300] [--uvicorn] [--keep DB]

The store is synthesised from real extracted events: the five seed pages are processed,
then their documents, articles (with the full-text index) and events are copied with
shifted ids, dates (spread over ten years) and coordinates (moved by up to ±1.5°) straight
into SQLite until there are at least ``--events`` events. Then it times

* ``/api/events`` with a type and a bbox filter (first page of 50, total counted), and
* ``/api/search?q=...`` (first page of 20, with highlights),

each ``--requests`` times with varying types, boxes and words, one request at a time,
in-process through the ASGI app (``httpx.ASGITransport``), or with ``--uvicorn`` against a
real uvicorn on 127.0.0.1.
"""
from __future__ import annotations

import argparse
import json
import math
import random
import shutil
import socket
import sqlite3
import statistics
import sys
import tempfile
import threading
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

BOXES = [  # minLon, minLat, maxLon, maxLat: Iraq, Syria, Anbar, the Euphrates border, Nineveh, the region
    (38.8, 29.0, 48.6, 37.4), (35.7, 32.3, 42.4, 37.3), (39.0, 31.5, 44.5, 35.0), (40.0, 33.8, 42.5, 35.2),
    (41.5, 35.0, 44.0, 37.0), (30.0, 25.0, 50.0, 40.0),
]
WORDS = ["راوة", "الرمادي", "داعش", "التحالف", "البوكمال", '"قافلة الدواعش"', "القوات العراقية",
         "الموصل", "حزب الله", "قافل*", "الأنبار", "سوريا"]


def bench_store(keep: Path | None, tmp: Path, events: int) -> Path:
    """The store a benchmark times: ``keep`` when it exists already (reused), else built
    (at ``keep``, or in ``tmp``) with :func:`build_store`; says which."""
    db = keep or tmp / "bench.db"
    if keep is None or not db.exists():
        counts = build_store(db, events)
        print(f"store: {counts['events']} events, {counts['articles']} articles, {counts['documents']} documents "
              f"(synthesised from the seeds in {counts['seconds']} s)")
    else:
        print(f"store: {db} (reused)")
    return db


def build_store(db: Path, target: int, seed: int = 7) -> dict:
    from rasd.pipeline import process
    from rasd.store import Store

    t0 = time.perf_counter()
    store = Store(db)
    process([str(ROOT / "samples" / "seeds")], store)
    store.close()
    conn = sqlite3.connect(db, isolation_level=None)
    conn.execute("PRAGMA synchronous = OFF")
    conn.row_factory = sqlite3.Row
    docs = conn.execute("SELECT * FROM documents").fetchall()
    arts = conn.execute("SELECT * FROM articles").fetchall()
    evs = conn.execute("SELECT * FROM events").fetchall()
    eplaces = conn.execute("SELECT * FROM event_places").fetchall()
    n0 = len(evs)
    copies = math.ceil(target / n0) - 1
    rnd = random.Random(seed)
    day0 = date(2014, 1, 1)

    def rename(s: str | None, k: int) -> str | None:
        # ids start with the document id: "001_x.txt#1:e2" → "001_x.txt~17#1:e2"
        if s is None:
            return None
        doc, sep, rest = s.partition("#")
        return f"{doc}~{k}{sep}{rest}"

    conn.execute("BEGIN")
    dcols = docs[0].keys()
    acols = [c for c in arts[0].keys()]
    ecols = evs[0].keys()
    for k in range(1, copies + 1):
        for d in docs:
            row = dict(d)
            row["id"] = rename(row["id"], k)
            conn.execute(f"INSERT INTO documents ({','.join(dcols)}) VALUES ({','.join('?' * len(dcols))})",
                         [row[c] for c in dcols])
        for a in arts:
            row = dict(a)
            for c in ("id", "doc", "duplicate_of", "dedup_cluster", "story"):
                row[c] = rename(row[c], k)
            cur = conn.execute(f"INSERT INTO articles ({','.join(acols)}) VALUES ({','.join('?' * len(acols))})",
                               [row[c] for c in acols])
            conn.execute("INSERT INTO articles_fts (rowid, norm_text) VALUES (?, ?)", (cur.lastrowid, row["norm_text"]))
        dlat, dlon = rnd.uniform(-1.5, 1.5), rnd.uniform(-1.5, 1.5)
        for e in evs:
            row = dict(e)
            data = json.loads(row["data"])
            for c in ("id", "doc", "article", "claim_group"):
                row[c] = data[c] = rename(row[c], k)
            day = (day0 + timedelta(days=rnd.randrange(3650))).isoformat()
            row["date"] = data["date"] = day
            data["date_precision"] = row["date_precision"] = "day"
            for p in data["places"]:
                if p.get("lat") is not None:
                    p["lat"] = round(p["lat"] + dlat, 5)
                    p["lon"] = round(p["lon"] + dlon, 5)
            if row["lat"] is not None:
                row["lat"], row["lon"] = round(row["lat"] + dlat, 5), round(row["lon"] + dlon, 5)
            row["data"] = json.dumps(data, ensure_ascii=False)
            conn.execute(f"INSERT INTO events ({','.join(ecols)}) VALUES ({','.join('?' * len(ecols))})",
                         [row[c] for c in ecols])
        conn.executemany("INSERT INTO event_places (event, key) VALUES (?, ?)",
                         [(rename(p["event"], k), p["key"]) for p in eplaces])
    conn.execute("COMMIT")
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    counts = {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
              for t in ("documents", "articles", "events")}
    conn.close()
    counts["seconds"] = round(time.perf_counter() - t0, 1)
    return counts


def percentiles(xs: list[float]) -> str:
    xs = sorted(xs)
    q = statistics.quantiles(xs, n=100, method="inclusive")
    return f"p50 {q[49]:6.1f} ms   p95 {q[94]:6.1f} ms   max {xs[-1]:6.1f} ms   (n={len(xs)})"


def time_requests(get, urls: list[tuple[str, dict]]) -> tuple[list[float], list]:
    """``get(url, params)`` returns a response; times each call (ms)."""
    out, results = [], []
    for url, params in urls:
        t = time.perf_counter()
        r = get(url, params)
        out.append((time.perf_counter() - t) * 1000)
        if r.status_code != 200:
            raise SystemExit(f"{url} {params}: HTTP {r.status_code} {r.text[:200]}")
        results.append(r.json())
    return out, results


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--events", type=int, default=100_000, help="events in the synthetic store (at least)")
    ap.add_argument("--requests", type=int, default=300, help="requests per endpoint")
    ap.add_argument("--uvicorn", action="store_true", help="time a real uvicorn on 127.0.0.1 instead of in-process")
    ap.add_argument("--keep", type=Path, default=None, help="build (or reuse) the store at this path and keep it")
    args = ap.parse_args()

    import httpx

    from rasd.api import create_app

    tmp = Path(tempfile.mkdtemp(prefix="rasd-bench-api-"))
    try:
        db = bench_store(args.keep, tmp, args.events)
        rnd = random.Random(1)
        types = ["movement", "battles", "explosions_remote_violence", "strategic_developments"]
        ev_urls = [("/api/events", {"type": rnd.choice(types), "bbox": ",".join(map(str, rnd.choice(BOXES)))})
                   for _ in range(args.requests)]
        s_urls = [("/api/search", {"q": WORDS[i % len(WORDS)]}) for i in range(args.requests)]

        app = create_app(db)
        if args.uvicorn:
            import uvicorn
            port = free_port()
            server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
            th = threading.Thread(target=server.run, daemon=True)
            th.start()
            while not server.started:
                time.sleep(0.05)
            client = httpx.Client(base_url=f"http://127.0.0.1:{port}")
            get = lambda url, params: client.get(url, params=params)     # noqa: E731
            how = f"uvicorn on 127.0.0.1:{port}, one httpx client, sequential requests"
        else:
            import asyncio
            loop = asyncio.new_event_loop()
            client = httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://localhost")
            get = lambda url, params: loop.run_until_complete(client.get(url, params=params))  # noqa: E731
            how = "in-process: the ASGI app through httpx.ASGITransport, sequential requests"
        try:
            time_requests(get, ev_urls[:20] + s_urls[:20])       # warm: caches, pages of the file
            ev_ms, ev_res = time_requests(get, ev_urls)
            s_ms, s_res = time_requests(get, s_urls)
        finally:
            if args.uvicorn:
                client.close()
                server.should_exit = True
                th.join(5)
            else:
                loop.run_until_complete(client.aclose())
                loop.close()
        print(f"measured: {how}")
        totals = [r["total"] for r in ev_res]
        print(f"/api/events?type=...&bbox=...   {percentiles(ev_ms)}   "
              f"matches per query: median {statistics.median(totals):.0f}, max {max(totals)}")
        hits = [r["total"] for r in s_res]
        print(f"/api/search?q=...               {percentiles(s_ms)}   "
              f"articles per query: median {statistics.median(hits):.0f}, max {max(hits)}")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
