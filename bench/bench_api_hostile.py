"""Worst cases of the HTTP API: how long the most expensive requests one can send take.

    python bench/bench_api_hostile.py [--events 100000] [--keep DB] [--words 6000] [--parallel 8]

Over the synthetic store of ``bench_api.py`` (≥ 100k events from the seeds; ``--keep``
reuses one), a real uvicorn on 127.0.0.1 is sent

* a quoted phrase of ``--words`` very common words (``"في من الى ان على في ..."``) as
  ``q`` on every endpoint that takes one, one at a time: wall seconds, the server's CPU
  seconds (the server runs in this process), status and bytes of each answer;
* with ``--allowed``, the most expensive queries still allowed: the longest phrase q
  may be, one-letter prefixes;
* ``--parallel`` of the first to /api/timeline at once: the slowest answer;
* offsets and limits of 2^63 on the paged endpoints and the exports.

Run it with PYTHONPATH pointing at another checkout to measure that code (the script
prints which ``rasd`` it imported): before/after figures come from the same store.
"""
from __future__ import annotations

import argparse
import http.client
import json
import shutil
import socket
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import quote, urlencode

ROOT = Path(__file__).resolve().parent
COMMON = ["في", "من", "إلى", "أن", "على", "التي", "بعد", "مع", "عن", "بين"]
HUGE = str(2**63)
MAX_WORDS = 32          # rasd.api.limits.MAX_QUERY_WORDS (not in the code before it)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--events", type=int, default=100_000, help="events in the synthetic store (at least)")
    ap.add_argument("--keep", type=Path, default=None, help="build (or reuse) the store at this path and keep it")
    ap.add_argument("--words", type=int, default=6000, help="words in the hostile phrase")
    ap.add_argument("--parallel", type=int, default=8, help="hostile requests sent at once (0: none)")
    ap.add_argument("--timeout", type=float, default=60, help="client timeout per request (s)")
    ap.add_argument("--allowed", action="store_true",
                    help="also the most expensive queries still allowed (the longest phrase, one-letter prefixes)")
    args = ap.parse_args()

    import uvicorn

    import rasd
    from rasd.api import create_app

    print(f"rasd from {Path(rasd.__file__).parent}")
    tmp = Path(tempfile.mkdtemp(prefix="rasd-bench-hostile-"))
    try:
        db = args.keep or tmp / "bench.db"
        if not db.exists():
            # (bench_api puts its own checkout first on sys.path: only when a store is built)
            sys.path.insert(0, str(ROOT))
            from bench_api import build_store
            counts = build_store(db, args.events)
            print(f"store: {counts['events']} events, {counts['articles']} articles (built in {counts['seconds']} s)")
        else:
            print(f"store: {db} (reused)")
        app = create_app(db)
        port = free_port()
        server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="critical"))
        th = threading.Thread(target=server.run, daemon=True)
        th.start()
        while not server.started:
            time.sleep(0.05)

        def request(url: str, params: dict) -> tuple[int, bytes]:
            # (http.client: httpx refuses a query string over 64 KB, a server need not)
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=args.timeout)
            try:
                conn.request("GET", url + ("?" + urlencode(params) if params else ""))
                r = conn.getresponse()
                return r.status, r.read()
            finally:
                conn.close()

        def get(url: str, params: dict) -> tuple[str, float, float, int]:
            cpu, t = time.process_time(), time.perf_counter()
            try:
                status, body = request(url, params)
                status, size = str(status), len(body)
            except (OSError, http.client.HTTPException) as e:       # a cut connection, a timeout
                status, size = type(e).__name__, 0
            return status, time.perf_counter() - t, time.process_time() - cpu, size

        try:
            get("/api/events", {})         # warm: the place index, pages of the file
            phrase = '"' + " ".join(COMMON[i % len(COMMON)] for i in range(args.words)) + '"'
            art = json.loads(request("/api/articles", {"limit": 1})[1])["items"][0]["id"]
            urls = ("/api/timeline", "/api/events", "/api/search", "/api/events.csv", "/api/events.geojson",
                    "/api/articles/" + quote(art, safe=""))
            size = len(urlencode({"q": phrase})) / 1024
            queries = [(f"a quoted phrase of {args.words} common words, {size:.0f} KB encoded", phrase)]
            if args.allowed:
                queries += [(f"a quoted phrase of {MAX_WORDS} common words (the most q may have now)",
                             '"' + " ".join(COMMON[i % len(COMMON)] for i in range(MAX_WORDS)) + '"'),
                            ("the shortest prefixes", "ا*"), ("", "ال*")]
            print(f"{'q':12} {'request':34} {'status':>18} {'wall s':>8} {'cpu s':>8} {'bytes':>9}")
            for what, q in queries:
                if what:
                    print(f"q = {what}:")
                worst = 0.0
                for url in urls:
                    status, wall, cpu, size = get(url, {"q": q})
                    worst = max(worst, wall)
                    print(f"{q[:12]:12} {url[:34]:34} {status:>18} {wall:8.2f} {cpu:8.2f} {size:9d}")
                print(f"  worst: {worst:.2f} s")
            if args.parallel:
                with ThreadPoolExecutor(args.parallel) as pool:
                    t = time.perf_counter()
                    res = list(pool.map(lambda _: get("/api/timeline", {"q": phrase}), range(args.parallel)))
                    total = time.perf_counter() - t
                print(f"{args.parallel} at once on /api/timeline: slowest {max(r[1] for r in res):.2f} s, "
                      f"all done in {total:.2f} s, statuses {sorted({r[0] for r in res})}")
            for url, params in (("/api/events", {"offset": HUGE}), ("/api/articles", {"offset": HUGE}),
                                ("/api/search", {"q": "داعش", "offset": HUGE}),
                                ("/api/events.csv", {"offset": HUGE}), ("/api/events.geojson", {"limit": HUGE})):
                status, wall, _, size = get(url, params)
                print(f"{url} {params}: {status}, {size} bytes, {wall:.2f} s")
        finally:
            server.should_exit = True
            th.join(10)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
