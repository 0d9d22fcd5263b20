"""Benchmark `rasd process` on a JSONL corpus: articles/s and peak RSS (one core).

    python bench/bench_process.py [--jsonl FILE] [--cores 0]

Default corpus: the ANT Syria/Iraq news (../shared/corpora/ant-news-syria-iraq), converted
to rasd's JSONL input ({id, text, title, url, published}) in a temporary folder. The
store is written to a temporary file; the run is a subprocess pinned to one core
(taskset) so the figures are comparable between machines. Also prints how many articles
were linked as duplicates and the distribution of the best Jaccard similarity of each
article to any other (word 3-gram shingles), which is what the dedup threshold is set
against.
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ANT = ROOT.parent / "shared" / "corpora" / "ant-news-syria-iraq" / "ant_v2.1_middleEast_syria_iraq.jsonl"


def to_input(src: Path, dst: Path) -> int:
    from bench_speed import ant_input   # the one conversion of the corpus to rasd JSONL
    return ant_input(src, dst)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--jsonl", type=Path, default=ANT)
    ap.add_argument("--cores", default="0", help="taskset core list (empty: no pinning)")
    args = ap.parse_args()
    if not args.jsonl.exists():
        sys.exit(f"no corpus at {args.jsonl}")
    tmp = Path(tempfile.mkdtemp(prefix="rasd-bench-"))
    try:
        inp = tmp / "input.jsonl"
        n = to_input(args.jsonl, inp)
        db = tmp / "bench.db"
        rasd = str(Path(sys.executable).parent / "rasd")
        cmd = [rasd, "process", str(inp), "--db", str(db), "--json", "--no-progress"]
        if args.cores and shutil.which("taskset"):
            cmd = ["taskset", "-c", args.cores] + cmd
        t0 = time.perf_counter()
        out = subprocess.run(cmd, capture_output=True, text=True, check=True)
        dt = time.perf_counter() - t0
        rss_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        res = json.loads(out.stdout)
        arts = res["run"]["articles"]
        print(f"corpus:        {args.jsonl.name}: {n} documents")
        print(f"command:       {' '.join(cmd[:3] if cmd[0] == 'taskset' else cmd[:1])} rasd process ...")
        print(f"wall time:     {dt:.2f} s (includes interpreter start and imports)")
        inner = res["run"]["seconds"]
        print(f"documents/s:   {n / dt:.0f} end to end")
        print(f"articles/s:    {arts / dt:.0f} end to end, {arts / inner:.0f} in the pipeline "
              f"({arts} articles in {inner:.2f} s)")
        print(f"peak RSS:      {rss_mb:.0f} MB")
        print(f"duplicates:    {res['run']['duplicates']} linked; rejects: {res['run']['rejects']}")
        sys.path.insert(0, str(ROOT))
        from rasd.dedup import shingles, similar
        from rasd.store import Store
        s = Store(db, readonly=True)
        rows = [(r[0], shingles(r[1])) for r in s.conn.execute("SELECT id, norm_text FROM articles")]
        best = []
        index: dict[str, set[int]] = {}
        for i, (_, sh) in enumerate(rows):
            for x in sh:
                index.setdefault(x, set()).add(i)
        for i, (_, sh) in enumerate(rows):
            counts: dict[int, int] = {}
            for x in sh:
                for j in index[x]:
                    if j != i:
                        counts[j] = counts.get(j, 0) + 1
            top = max(counts, key=counts.get) if counts else None
            best.append(similar(sh, rows[top][1])[0] if top is not None else 0.0)
        bins = [0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.8, 1.01]
        hist = [sum(1 for b in best if lo <= b < hi) for lo, hi in zip(bins, bins[1:])]
        print("best Jaccard to any other article (word 3-grams):")
        for lo, hi, c in zip(bins, bins[1:], hist):
            print(f"   [{lo:.1f}, {min(hi, 1.0):.1f}{']' if hi > 1 else ')'}  {c}")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
