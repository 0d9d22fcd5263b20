"""Fuzz `rasd process` and `rasd tag` with generated documents and print the figures.

    python bench/fuzz.py [--docs 10000] [--per-call 40] [--seed 0]

The documents are those of tests/test_fuzz.py (hypothesis strategies: Arabic words, digits
in every script, HTML fragments, control and bidi characters, lone surrogates in JSON
escapes), drawn in batches of ``--per-call`` (one hypothesis example each) through one ``process``
call each (``--seed`` fixes the draw). Every
property of the test is checked (no exception, every exported and tagged span is its raw
text, the CSV export parses back with one row per event); a failure stops the run with
hypothesis's report of the smallest failing batch. Prints documents, stored, rejects, events, spans checked,
seconds and documents per second.
"""
from __future__ import annotations

import argparse
import logging
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--docs", type=int, default=10_000)
    ap.add_argument("--per-call", type=int, default=40,
                    help="documents per example (hypothesis overruns its buffer on much larger lists)")
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()

    from hypothesis import HealthCheck, given, seed, settings
    from hypothesis import strategies as st
    from test_fuzz import check, document

    logging.disable(logging.WARNING)          # a reject logs a warning: thousands of them here
    totals: Counter = Counter()
    t0 = time.perf_counter()

    @seed(args.seed)
    @settings(max_examples=-(-args.docs // args.per_call), deadline=None, database=None,
              suppress_health_check=list(HealthCheck))
    @given(st.lists(document, min_size=args.per_call, max_size=args.per_call))
    def run(docs):
        totals.update(check(docs))
        print(f"  {totals['documents']:>6} documents  {time.perf_counter() - t0:7.1f} s", file=sys.stderr)

    run()
    secs = time.perf_counter() - t0
    print(f"documents   {totals['documents']}")
    print(f"stored      {totals['stored']}")
    print(f"rejects     {totals['rejects']}")
    print(f"events      {totals['events']}")
    print(f"tagged      {totals['tagged']}")
    print(f"spans ok    {totals['spans']}")
    print("failures    0")
    print(f"seconds     {secs:.1f}  ({totals['documents'] / secs:.0f} documents/s)")


if __name__ == "__main__":
    main()
