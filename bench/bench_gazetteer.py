"""Gazetteer index: build time, cold load time (fresh subprocess) and RSS after load.

    .venv/bin/python bench/bench_gazetteer.py [--ocha DIR] [--runs N] [--keep]

Builds into a temporary cache dir (``--keep`` uses the normal one instead), so the
numbers do not depend on what is cached already.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

CHILD = r"""
import json, sys, time
tn = time.perf_counter()
import numpy   # imported by every rasd start before the gazetteer loads (the models need it)
t0 = time.perf_counter()
import rasd.places.gazetteer as G
t1 = time.perf_counter()
g = G.load_gazetteer(ocha_dir=sys.argv[1] or None)
t2 = time.perf_counter()
from rasd.places import find_places
from rasd.lang.normalize import normalize
nt = normalize("وصل مقاتلو التنظيم من البادية السورية إلى مدينة القائم غربي الأنبار قرب الحدود مع سوريا")
t3 = time.perf_counter()
ps = find_places(nt)
t4 = time.perf_counter()
st = dict(l.split(":", 1) for l in open("/proc/self/status") if ":" in l)
rss = int(st["VmRSS"].split()[0]) / 1024
hwm = int(st["VmHWM"].split()[0]) / 1024
print(json.dumps({"numpy_s": t0 - tn, "import_s": t1 - t0, "load_s": t2 - t1, "first_find_s": t4 - t3,
                  "rss_mb": rss, "hwm_mb": hwm, "entries": len(g), "names": len(g.names), "places": len(ps)}))
"""


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--ocha", default="", help="OCHA COD directory to import (optional)")
    ap.add_argument("--runs", type=int, default=5, help="cold loads to time")
    ap.add_argument("--keep", action="store_true", help="use the normal cache dir")
    a = ap.parse_args(argv)
    env = dict(os.environ)
    tmp = None
    if not a.keep:
        tmp = tempfile.TemporaryDirectory(prefix="rasd-gaz-")
        env["RASD_CACHE_DIR"] = tmp.name
        os.environ["RASD_CACHE_DIR"] = tmp.name
    import rasd.places.gazetteer as G

    t = time.perf_counter()
    path = G.build_index(ocha_dir=a.ocha or None, force=True)
    build_s = time.perf_counter() - t
    print(f"index: {path}  ({path.stat().st_size / 1e6:.1f} MB)")
    print(f"build: {build_s:.2f} s")
    res = []
    for _ in range(a.runs):
        out = subprocess.run([sys.executable, "-c", CHILD, a.ocha], env=env, cwd=str(ROOT),
                             capture_output=True, text=True, check=True)
        res.append(json.loads(out.stdout.strip().splitlines()[-1]))
    loads = sorted(r["load_s"] for r in res)
    r0 = res[0]
    print(f"entries: {r0['entries']}, names: {r0['names']}")
    print(f"cold load (fresh process, {a.runs} runs): min {loads[0] * 1000:.0f} ms, "
          f"median {loads[len(loads) // 2] * 1000:.0f} ms, max {loads[-1] * 1000:.0f} ms")
    print(f"import numpy first: {min(r['numpy_s'] for r in res) * 1000:.0f} ms; "
          f"import rasd.places: {min(r['import_s'] for r in res) * 1000:.0f} ms; "
          f"first find_places after load: {min(r['first_find_s'] for r in res) * 1000:.1f} ms")
    print(f"RSS after load: {max(r['rss_mb'] for r in res):.0f} MB "
          f"(peak {max(r['hwm_mb'] for r in res):.0f} MB; python + rasd imports alone ≈ 30 MB)")
    if tmp is not None:
        tmp.cleanup()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
