"""The exports of ``rasd process`` over the seeds and the first N ANT documents, written to
a folder, so that two versions of rasd (or two states of its cache dir) can be compared
byte for byte with ``cmp``.

    .venv/bin/python bench/cache_outputs.py OUT_DIR [--limit 300] [--cache-dir DIR]

Each corpus is processed by ``rasd process`` in a subprocess into a fresh store under
OUT_DIR, then exported as JSONL: events, and articles with their text (the CSV and
GeoJSON exports carry the time of the export, so they are left out). The cache dir (``RASD_CACHE_DIR``) is ``--cache-dir`` when given (run twice on one
empty dir to compare a start that builds the caches with one that reads them), else a
fresh temporary one. Prints the files written, their sizes and sha256; asserts nothing.

    cmp -s A/ant.events.jsonl B/ant.events.jsonl   # and so on for each file
"""
from __future__ import annotations

import argparse
import hashlib
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))
ANT = ROOT.parent / "shared" / "corpora" / "ant-news-syria-iraq" / "ant_v2.1_middleEast_syria_iraq.jsonl"
SEEDS = ROOT / "samples" / "seeds"


def rasd(env: dict, *args: str) -> None:
    subprocess.run([sys.executable, "-m", "rasd.cli", *args], env=env, cwd=str(ROOT), check=True,
                   stdout=subprocess.DEVNULL)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("out", type=Path, help="folder to write the stores and exports into")
    ap.add_argument("--limit", type=int, default=300, help="first N documents of the ANT corpus")
    ap.add_argument("--jsonl", type=Path, default=ANT, help="ANT-format JSONL")
    ap.add_argument("--cache-dir", type=Path, default=None, help="RASD_CACHE_DIR (default: a fresh one)")
    a = ap.parse_args(argv)
    from bench_speed import ant_input

    a.out.mkdir(parents=True, exist_ok=True)
    tmp = tempfile.TemporaryDirectory(prefix="rasd-cache-out-")
    cache = a.cache_dir or Path(tmp.name) / "cache"
    env = {**os.environ, "RASD_CACHE_DIR": str(cache), "PYTHONPATH": str(ROOT)}
    env.pop("RASD_OCHA_DIR", None)
    ant = Path(tmp.name) / "ant.jsonl"
    n = ant_input(a.jsonl, ant, limit=a.limit)
    for name, src in (("seeds", SEEDS), ("ant", ant)):
        db = a.out / f"{name}.db"
        for p in (db, Path(f"{db}-wal"), Path(f"{db}-shm")):
            p.unlink(missing_ok=True)
        t = time.perf_counter()
        rasd(env, "process", "--db", str(db), "--no-progress", "--doc-seconds", "0", str(src))
        took = time.perf_counter() - t
        rasd(env, "export", "events", "--db", str(db), "-o", str(a.out / f"{name}.events.jsonl"))
        rasd(env, "export", "articles", "--db", str(db), "--text", "-o", str(a.out / f"{name}.articles.jsonl"))
        print(f"{name}: processed in {took:.1f} s" + (f" ({n} ANT documents)" if name == "ant" else ""))
    for p in sorted(a.out.glob("*.*")):
        if p.suffix == ".jsonl":
            print(f"  {p.name:28s} {p.stat().st_size:>10d}  {hashlib.sha256(p.read_bytes()).hexdigest()[:16]}")
    print("cache dir:", ", ".join(sorted(p.name for p in cache.iterdir())) if cache.is_dir() else "(none)")
    tmp.cleanup()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
