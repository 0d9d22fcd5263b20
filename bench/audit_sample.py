"""Draw a precision audit (issue #11): a uniform random sample of the events of a store of
all ANT articles, written as two readers' batches (docs/labelling-guidelines.md,
"Precision audits").

Every event in store order; ``random.Random(SEED).sample(events, N)``. Each batch line holds
what rasd stored (type, doer, acted-on, places, date, sources, the trigger and sentence, the
tellings folded into it), the article's other stored events and the whole article (read from
../shared at run time: nothing of the corpus enters the repo). Reader A gets the first half
and the first five of the second half, reader B the second half and the first five of the
first: ten events read blind by both. Build the store first, e.g.
``bench/eval_pairs.py --db FILE``.

Usage: .venv/bin/python bench/audit_sample.py DB SEED OUTDIR [--n 100]
"""
from __future__ import annotations

import argparse
import json
import random
import sqlite3
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from rasd.events.dataset import ant_documents  # noqa: E402


def _shown(e: dict, text: str) -> dict:
    t, s = e.get("trigger"), e.get("sentence")
    return {k: e.get(k) for k in ("id", "type", "sub_type", "actor", "actor2", "stance", "date", "date_precision",
                                  "fatalities", "count", "claim_group")} | {
        "places": [{k: p.get(k) for k in ("role", "name", "country", "precision", "admin1")} for p in e.get("places") or []],
        "sources": [{"name": x["name"], "stance": x["stance"]} for x in e.get("sources") or []],
        "evidence": e["evidence"]["text"],
        "trigger": text[t["start"]:t["end"]] if t else None,
        "sentence": text[s["start"]:s["end"]] if s else e["evidence"]["text"],
        "more_tellings": [m["text"] for m in e.get("mentions") or []]}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("db")
    ap.add_argument("seed", type=int)
    ap.add_argument("out", type=Path)
    ap.add_argument("--n", type=int, default=100)
    a = ap.parse_args()
    con = sqlite3.connect(a.db)
    events = [json.loads(r[0]) for r in con.execute("SELECT data FROM events ORDER BY rowid")]
    docs = {d.id: d for d in ant_documents({e["doc"] for e in events})}
    by_article: dict[str, list[dict]] = {}
    for e in events:
        by_article.setdefault(e["article"], []).append(e)
    items = []
    for k, e in enumerate(random.Random(a.seed).sample(events, a.n), 1):
        d = docs[e["doc"]]
        others = [{"id": o["id"], "type": o["type"], "sub_type": o["sub_type"], "evidence": o["evidence"]["text"],
                   "sources": [x["name"] for x in o.get("sources") or []], "claim_group": o.get("claim_group"),
                   "stance": o.get("stance")} for o in by_article[e["article"]] if o["id"] != e["id"]]
        items.append({"event": f"E{k}", "rasd_event": _shown(e, d.raw), "other_stored_events_of_this_article": others,
                      "article": {"id": d.id, "published": d.published, "title": d.title, "text": d.raw}})
    half = a.n // 2
    a.out.mkdir(parents=True, exist_ok=True)
    for name, part in (("A", items[:half] + items[half:half + 5]), ("B", items[half:] + items[:5])):
        with open(a.out / f"batch-{name}.jsonl", "w", encoding="utf-8") as f:
            for it in part:
                f.write(json.dumps(it, ensure_ascii=False) + "\n")
    print(f"{len(events)} events in the store; {a.n} drawn with seed {a.seed}; batches A and B in {a.out}")


if __name__ == "__main__":
    main()
