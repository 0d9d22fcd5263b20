"""Benchmark the exports over a store of ≥ 100k events (stories and corroboration included).

    python bench/bench_export.py [--events 100000] [--keep DB] [--baseline PATH] [--runs 1]

The store is bench_api.py's (the seed pages copied with shifted ids, dates and points).
Each figure is the wall time and the CPU time (user + system: steadier on a busy machine) of
a fresh process (``python -m rasd.cli ...``, imports included), best of ``--runs``, and its
peak memory, with the code of this checkout and, with ``--baseline``,
the code of another checkout (a folder holding a ``rasd`` package: e.g. an older commit
unpacked with ``git archive``), on the same store:

* ``rasd export events`` as JSONL, CSV and GeoJSON, and ``rasd export articles``, written
  to a file (its size is printed);
* ``/api/events.csv?limit=100`` in-process (FastAPI's TestClient): the first request (which
  builds the export index of the store, once per state of the store) and the next one;
* this checkout only: :func:`rasd.stories.export_index` alone (the one pass over the
  store's claims that gives every article's story and every claim group's corroboration).
"""
from __future__ import annotations

import argparse
import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

EXPORTS = [("events jsonl", ["export", "events", "--format", "jsonl"]),
           ("events csv", ["export", "events", "--format", "csv"]),
           ("events geojson", ["export", "events", "--format", "geojson"]),
           ("articles jsonl", ["export", "articles"])]

# (run first in each process: its peak memory on standard error when it exits)
PEAK = ("import atexit, resource, sys\n"
        "atexit.register(lambda: sys.stderr.write("
        "f'\\npeak {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}\\n'))\n")
CLI = "import runpy, sys\nsys.argv[0] = 'rasd'\nrunpy.run_module('rasd.cli', run_name='__main__', alter_sys=True)\n"

API = """
import sys, time
from fastapi.testclient import TestClient
from rasd.api import create_app
with TestClient(create_app(sys.argv[1]), base_url="http://localhost") as c:
    for label in ("first", "next"):
        t = time.perf_counter()
        r = c.get("/api/events.csv", params={"limit": 100})
        assert r.status_code == 200, r.text[:200]
        print(label, time.perf_counter() - t, len(r.text.splitlines()) - 1)
"""


def run(code: Path, args: list[str], runs: int, cwd: Path) -> tuple[float, float, float, str]:
    """``python ARGS`` with ``code``'s rasd, from ``cwd`` (a folder without one: ``-m`` and
    ``-c`` put the working folder first on the path): the best wall and CPU seconds, the peak
    memory (MB) of the last run, its standard output."""
    env = {**os.environ, "PYTHONPATH": str(code)}
    wall, cpu, out = float("inf"), float("inf"), ""
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        t = time.perf_counter()
        p = subprocess.run([sys.executable, "-c", PEAK + args[0], *args[1:]], check=False, env=env,
                           capture_output=True, text=True, cwd=cwd)
        wall = min(wall, time.perf_counter() - t)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = min(cpu, after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)
        if p.returncode != 0:
            raise SystemExit(f"{' '.join(args[1:])} with {code}: exit {p.returncode}\n{p.stderr[-2000:]}")
        out = p.stdout
        peak = int(re.findall(r"^peak (\d+)$", p.stderr, re.MULTILINE)[-1]) / 1024
    return wall, cpu, peak, out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--events", type=int, default=100_000)
    ap.add_argument("--keep", type=Path, default=None, help="build (or reuse) the store at this path and keep it")
    ap.add_argument("--baseline", type=Path, default=None, help="another checkout to time on the same store")
    ap.add_argument("--runs", type=int, default=1)
    args = ap.parse_args()

    from bench_api import bench_store

    tmp = Path(tempfile.mkdtemp(prefix="rasd-bench-export-"))
    try:
        db = bench_store(args.keep, tmp, args.events)
        codes = ([("baseline", args.baseline.resolve())] if args.baseline else []) + [("this", ROOT)]
        for name, code in codes:
            print(f"{name} ({code}):")
            for label, cmd in EXPORTS:
                out = tmp / "out"
                wall, cpu, peak, _ = run(code, [CLI, *cmd, "--db", str(db.resolve()), "-o", str(out)],
                                         args.runs, tmp)
                print(f"  rasd export {label:16s} wall {wall:6.1f} s  CPU {cpu:6.1f} s  peak {peak:5.0f} MB  "
                      f"({out.stat().st_size / 1e6:.1f} MB written)")
                out.unlink()
            _, _, _, text = run(code, [API, str(db.resolve())], 1, tmp)
            for line in text.split("\n"):
                if line:
                    label, secs, rows = line.split()
                    print(f"  /api/events.csv?limit=100, {label:5s} request {float(secs) * 1000:8.0f} ms  ({rows} rows)")

        import sqlite3

        from rasd.stories import export_index
        conn = sqlite3.connect(f"file:{db.resolve()}?mode=ro", uri=True)
        best = float("inf")
        for _ in range(max(args.runs, 1)):
            t = time.perf_counter()
            index = export_index(conn)
            best = min(best, time.perf_counter() - t)
        print(f"export_index alone: {best:.2f} s ({len(index['story'])} articles, "
              f"{len(index['corroboration'])} claim groups, {len(set(index['story'].values()))} stories)")
        conn.close()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
