"""Start-up cost of the two caches in the cache dir: the gazetteer index
(``load_gazetteer()``) and the decision models (``events.model._models()``), each timed in
fresh processes, CPU and wall, with the RSS after both; and a whole cold start, ``rasd
process`` of one seed page into a fresh store (CPU: user + system time of the child).

    .venv/bin/python bench/bench_cache_load.py [--runs 15] [--root TREE ...]

``--root`` (repeatable) names rasd checkouts to compare, e.g. an export of an older commit
(``git archive COMMIT | tar -x -C /tmp/old``) and this one: their runs are interleaved so
that the load of a shared machine falls on both alike. Each root gets its own fresh cache
dir, filled by one untimed start first. numpy is imported before the clock starts (every
rasd start imports it for the models before the gazetteer loads). Prints figures only.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "samples" / "seeds" / "004_dc33664b38d03477.txt"

CHILD = r"""
import json, time
import numpy
import rasd.places.gazetteer as G
import rasd.events.model as M
c0, w0 = time.process_time(), time.perf_counter()
G.load_gazetteer()
c1, w1 = time.process_time(), time.perf_counter()
M._models()
c2, w2 = time.process_time(), time.perf_counter()
st = dict(l.split(":", 1) for l in open("/proc/self/status") if ":" in l)
files = sorted(p.name for p in G.cache_dir().iterdir())
print(json.dumps({"gaz_cpu": c1 - c0, "gaz_wall": w1 - w0, "mod_cpu": c2 - c1, "mod_wall": w2 - w1,
                  "rss_mb": int(st["VmRSS"].split()[0]) / 1024, "files": files}))
"""


def run(root: Path, cache: Path) -> dict:
    env = {**os.environ, "PYTHONPATH": str(root), "RASD_CACHE_DIR": str(cache)}
    env.pop("RASD_OCHA_DIR", None)
    out = subprocess.run([sys.executable, "-c", CHILD], env=env, cwd=str(root), capture_output=True, text=True,
                         check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def start(root: Path, cache: Path, db: Path) -> dict:
    """One ``rasd process SEED`` into a fresh store: wall and CPU seconds of the child."""
    env = {**os.environ, "PYTHONPATH": str(root), "RASD_CACHE_DIR": str(cache)}
    env.pop("RASD_OCHA_DIR", None)
    for p in (db, Path(f"{db}-wal"), Path(f"{db}-shm")):
        p.unlink(missing_ok=True)
    t = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "rasd.cli", "process", str(SEED), "--db", str(db), "--no-progress"],
                            env=env, cwd=str(root), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, ru = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode:
        raise SystemExit(f"rasd process failed in {root}")
    return {"start_cpu": ru.ru_utime + ru.ru_stime, "start_wall": wall, "start_rss_mb": ru.ru_maxrss / 1024}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=15, help="timed starts per root")
    ap.add_argument("--root", type=Path, action="append", help="rasd checkout (default: this one)")
    a = ap.parse_args(argv)
    roots = [r.resolve() for r in (a.root or [ROOT])]
    tmp = tempfile.TemporaryDirectory(prefix="rasd-cache-load-")
    caches = {r: Path(tmp.name) / f"cache{i}" for i, r in enumerate(roots)}
    res: dict[Path, list[dict]] = {r: [] for r in roots}
    for r in roots:
        first = run(r, caches[r])              # builds the caches (untimed)
        sizes = ", ".join(f"{f} {(caches[r] / f).stat().st_size / 1e6:.1f} MB" for f in first["files"])
        print(f"{r}: {sizes}")
    for _ in range(a.runs):
        for r in roots:
            res[r].append({**run(r, caches[r]), **start(r, caches[r], Path(tmp.name) / "s.db")})
    print(f"fresh processes, {a.runs} runs each (ms; min / median):")
    for r in roots:
        rs = res[r]

        def f(k: str, rs=rs) -> str:
            v = sorted(x[k] * 1000 for x in rs)
            return f"{v[0]:5.1f} / {statistics.median(v):5.1f}"

        print(f"  {str(r)[-40:]:>40}  gazetteer CPU {f('gaz_cpu')}  wall {f('gaz_wall')} | "
              f"models CPU {f('mod_cpu')}  wall {f('mod_wall')} | "
              f"RSS {statistics.median(x['rss_mb'] for x in rs):.0f} MB")
        print(f"  {'':>40}  whole start (rasd process, one page) CPU {f('start_cpu')}  wall {f('start_wall')} | "
              f"peak RSS {statistics.median(x['start_rss_mb'] for x in rs):.0f} MB")
    tmp.cleanup()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
