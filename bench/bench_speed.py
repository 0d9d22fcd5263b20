"""Speed of the whole pipeline on one core: throughput, peak RSS, cold start, profile.

    .venv/bin/python bench/bench_speed.py [--jsonl FILE] [--cores 0] [--repeat 3] [--profile-docs 300] [--top 25]
                                          [--no-bytecode]

Prints (figures only; nothing is asserted):

* **bytecode**: the package's modules are compiled to ``__pycache__`` first (``compileall``),
  as Python does on a first run and pip at install; where ``PYTHONDONTWRITEBYTECODE`` is
  set (as on the machine this was written on) every run would otherwise compile rasd's
  modules anew (about 0.2 s of each start). ``--no-bytecode`` measures without: the
  ``__pycache__`` folders of rasd are removed first.

* **cold start**: wall time of ``rasd process`` on one seed page in a fresh store, as a
  subprocess (interpreter start, imports, lexicons and gazetteer load, the page, the
  write); run twice, the second run with warm OS caches. With ``--cold-gazetteer`` a
  third run uses an empty cache dir, so the gazetteer index is built first.
* **throughput**: ``taskset -c CORES rasd process`` over the ANT Syria/Iraq corpus converted
  to rasd JSONL ``{id: docno, text, title, url, published: time}``: articles/s end to end
  (the subprocess's wall time) and inside ``process()``; peak RSS of that subprocess
  (``os.wait4`` rusage of the child).
* **profile**: cProfile over ``process()`` on the first ``--profile-docs`` documents of the
  corpus, in this process pinned to the same core: the top functions by cumulative time
  and by own time.

Targets of issue 6: >= 100 articles/s on one core, RSS <= 400 MB, cold start <= 2 s; of
issue 11 (speed line): >= 150 articles/s end to end, RSS <= 300 MB, cold start <= 1 s.
"""
from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import pstats
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ANT = ROOT.parent / "shared" / "corpora" / "ant-news-syria-iraq" / "ant_v2.1_middleEast_syria_iraq.jsonl"
SEED = ROOT / "samples" / "seeds" / "004_dc33664b38d03477.txt"
RASD = str(Path(sys.executable).parent / "rasd")


def ant_input(src: Path, dst: Path, limit: int | None = None) -> int:
    """The ANT corpus as rasd JSONL: {id: docno, text, title, url, published: time}."""
    n = 0
    with open(src, encoding="utf-8") as f, open(dst, "w", encoding="utf-8") as out:
        for line in f:
            if not line.strip():
                continue
            d = json.loads(line)
            out.write(json.dumps({"id": d.get("docno") or d.get("id"), "text": d["text"],
                                  "title": d.get("title"), "url": d.get("url"),
                                  "published": d.get("time")}, ensure_ascii=False) + "\n")
            n += 1
            if limit and n >= limit:
                break
    return n


def bytecode(compiled: bool) -> None:
    """rasd's modules compiled to ``__pycache__`` (as a first run without
    PYTHONDONTWRITEBYTECODE leaves them), or their ``__pycache__`` folders removed."""
    if compiled:
        subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "rasd")], check=True)
        print("bytecode: rasd compiled to __pycache__ first (compileall; --no-bytecode: without)")
    else:
        for d in (ROOT / "rasd").rglob("__pycache__"):
            shutil.rmtree(d, ignore_errors=True)
        print("bytecode: none for rasd (each start compiles its modules"
              + (", PYTHONDONTWRITEBYTECODE is set)" if os.environ.get("PYTHONDONTWRITEBYTECODE") else ")"))


def pinned(cmd: list[str], cores: str) -> list[str]:
    if cores and shutil.which("taskset"):
        return ["taskset", "-c", cores] + cmd
    return cmd


def measure(cmd: list[str], env: dict | None = None) -> tuple[float, int, str, float]:
    """(wall seconds, peak RSS in bytes, stdout, CPU seconds) of one subprocess. The child
    is reaped with ``os.wait4`` so that the RSS and CPU time are that child's own
    (RUSAGE_CHILDREN would give the largest of every child so far)."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        t0 = time.perf_counter()
        p = subprocess.Popen(cmd, stdout=out, stderr=err, env=env)
        _, status, ru = os.wait4(p.pid, 0)
        dt = time.perf_counter() - t0
        p.returncode = code = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        if code:
            sys.exit(f"{' '.join(cmd)} failed ({code}):\n{err.read().decode()[-2000:]}")
        return dt, ru.ru_maxrss * 1024, out.read().decode(), ru.ru_utime + ru.ru_stime


def cold_start(tmp: Path, cores: str, cold_gazetteer: bool) -> None:
    print(f"cold start: rasd process {SEED.relative_to(ROOT)} --db NEW.db (one page, fresh store each run)")
    runs = [("first run", None), ("second run (warm OS cache)", None)]
    if cold_gazetteer:
        runs.append(("empty RASD_CACHE_DIR (gazetteer built)", {**os.environ, "RASD_CACHE_DIR": str(tmp / "cache")}))
    for i, (label, env) in enumerate(runs):
        db = tmp / f"cold{i}.db"
        dt, rss, out, _ = measure(pinned([RASD, "process", str(SEED), "--db", str(db), "--json", "--no-progress"],
                                         cores), env)
        inner = json.loads(out)["run"]["seconds"]
        print(f"  {label:<40} {dt:5.2f} s wall ({inner:.2f} s inside process(), peak RSS {rss / 2**20:.0f} MB)")
    t0 = time.perf_counter()
    subprocess.run([sys.executable, "-c", "pass"], check=True)
    base = time.perf_counter() - t0
    t0 = time.perf_counter()
    subprocess.run([sys.executable, "-c", "import rasd.pipeline"], check=True)
    imp = time.perf_counter() - t0
    print(f"  of which: bare interpreter {base:.2f} s; 'import rasd.pipeline' {imp:.2f} s (interpreter included)")


def throughput(inp: Path, n_docs: int, tmp: Path, cores: str, repeat: int) -> None:
    """``repeat`` runs, each into a fresh store. The machine this was written on is a VM
    whose wall times vary by up to 20 % from run to run (CPU steal from neighbours), so
    every run is printed, then the best and the median; CPU time (user + system of the
    child) is printed too, as it varies less."""
    cmd = None
    runs = []
    for k in range(repeat):
        db = tmp / f"bench{k}.db"
        cmd = pinned([RASD, "process", str(inp), "--db", str(db), "--json", "--no-progress"], cores)
        dt, rss, out, cpu = measure(cmd)
        res = json.loads(out)["run"]
        runs.append((dt, res["seconds"], cpu, rss, res))
    print(f"throughput: {' '.join(cmd[:3]) if cmd[0] == 'taskset' else ''} rasd process ANT "
          f"({n_docs} documents), {repeat} run(s), each into a fresh store")
    arts = runs[0][4]["articles"]
    for k, (dt, inner, cpu, rss, _) in enumerate(runs, 1):
        print(f"  run {k}: {dt:6.2f} s wall = {arts / dt:5.1f} articles/s end to end; "
              f"{arts / inner:5.1f} inside process(); CPU {cpu:.2f} s = {arts / cpu:5.1f} articles per CPU-s; "
              f"peak RSS {rss / 2**20:.0f} MB")
    walls = sorted(r[0] for r in runs)
    best, med = walls[0], walls[len(walls) // 2]
    print(f"  articles/s end to end (interpreter start and imports included): best {arts / best:.1f}, "
          f"median {arts / med:.1f}  ({arts} articles)")
    print(f"  peak RSS        {max(r[3] for r in runs) / 2**20:.0f} MB")
    res = runs[0][4]
    print(f"  duplicates      {res['duplicates']}; rejects {res['rejects']}")
    from rasd.store import Store
    s = Store(tmp / "bench0.db", readonly=True)
    print(f"  events          {s.counts()['events']}")
    s.close()


def profile(inp: Path, n_docs: int, tmp: Path, cores: str, top: int) -> None:
    sub = tmp / "slice.jsonl"
    with open(inp, encoding="utf-8") as f, open(sub, "w", encoding="utf-8") as out:
        for i, line in enumerate(f):
            if i >= n_docs:
                break
            out.write(line)
    if cores and hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {int(c) for c in cores.split(",")})
    from rasd.pipeline import process
    from rasd.store import Store
    # warm: imports, lexicons and gazetteer are not what a profile of the steady state is about
    warm = Store(tmp / "warm.db")
    process([str(SEED)], warm)
    warm.close()
    store = Store(tmp / "profile.db")
    pr = cProfile.Profile()
    t0 = time.perf_counter()
    pr.enable()
    s = process([str(sub)], store)
    pr.disable()
    dt = time.perf_counter() - t0
    store.close()
    print(f"profile: cProfile over process() on the first {n_docs} ANT documents "
          f"({s.articles} articles, {dt:.1f} s under the profiler, {s.articles / dt:.1f} articles/s)")
    for key, label in (("cumulative", "cumulative time"), ("tottime", "own time")):
        buf = io.StringIO()
        st = pstats.Stats(pr, stream=buf)
        st.sort_stats(key).print_stats(top)
        lines = buf.getvalue().splitlines()
        start = next(i for i, x in enumerate(lines) if x.lstrip().startswith("ncalls"))
        print(f"  top {top} by {label}:")
        for x in lines[start:start + top + 1]:
            print("   " + x.replace(str(ROOT) + "/", "").replace(sys.prefix + "/", "")[:150])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--jsonl", type=Path, default=ANT, help="ANT-format JSONL (docno, text, title, url, time)")
    ap.add_argument("--cores", default="0", help="taskset core list (empty: no pinning)")
    ap.add_argument("--profile-docs", type=int, default=300)
    ap.add_argument("--top", type=int, default=25)
    ap.add_argument("--repeat", type=int, default=3, help="throughput runs (best and median are printed)")
    ap.add_argument("--cold-gazetteer", action="store_true", help="also time a start with an empty cache dir")
    ap.add_argument("--no-bytecode", action="store_true",
                    help="do not compile rasd to __pycache__ first (remove what is there)")
    ap.add_argument("--skip", default="", help="comma list of parts to skip: cold,throughput,profile")
    args = ap.parse_args()
    if not args.jsonl.exists():
        sys.exit(f"no corpus at {args.jsonl}")
    skip = set(filter(None, args.skip.split(",")))
    sys.path.insert(0, str(ROOT))
    tmp = Path(tempfile.mkdtemp(prefix="rasd-speed-"))
    try:
        inp = tmp / "ant.jsonl"
        n = ant_input(args.jsonl, inp)
        print(f"corpus: {args.jsonl.name} → {n} rasd JSONL documents; cores: {args.cores or 'all'}; "
              f"CPUs here: {os.cpu_count()}")
        bytecode(not args.no_bytecode)
        if "cold" not in skip:
            cold_start(tmp, args.cores, args.cold_gazetteer)
        if "throughput" not in skip:
            throughput(inp, n, tmp, args.cores, args.repeat)
        if "profile" not in skip:
            profile(inp, args.profile_docs, tmp, args.cores, args.top)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
