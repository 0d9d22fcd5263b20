"""Cross-outlet grouping against the team's pair set (issue #13, "the same happening across
outlets"): ``labels/pairs/ant.pairs.jsonl`` — 300 pairs of events from different outlets of
the ANT corpus (same type, dates within 3 days, places near), each labelled ``same`` /
``different`` / ``unsure`` by reading both sentences.

All 1,779 ANT articles are processed into a temporary store as `rasd process` does; each
labelled side is the stored event whose trigger overlaps the labelled trigger (a pair with
a side not stored is counted apart). Two events are grouped when they share a
``claim_group``. Prints grouping precision and recall over the pairs whose both sides are
stored (``unsure`` left out).

Usage: .venv/bin/python bench/eval_pairs.py [--db FILE (reuse a store of the ANT articles)]
"""
from __future__ import annotations

import argparse
import json
import sys
import tempfile
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from rasd.events.dataset import ant_path  # noqa: E402
from rasd.pipeline import process  # noqa: E402
from rasd.store import Store  # noqa: E402

PAIRS = ROOT / "labels" / "pairs" / "ant.pairs.jsonl"


def ant_store(db: Path) -> Store:
    store = Store(db)
    if store.conn.execute("SELECT COUNT(*) FROM documents").fetchone()[0] == 0:
        src = db.with_suffix(".input.jsonl")
        with open(ant_path(), encoding="utf-8") as f, open(src, "w", encoding="utf-8") as out:
            for line in f:
                if line.strip():
                    d = json.loads(line)
                    out.write(json.dumps({"id": d["docno"], "text": d["text"], "title": d.get("title"),
                                          "url": d.get("url"), "published": d.get("time")}, ensure_ascii=False) + "\n")
        process([str(src)], store)
    return store


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--db", help="a store of the ANT articles (made when empty or missing)")
    a = ap.parse_args()
    db = Path(a.db) if a.db else Path(tempfile.mkdtemp()) / "ant.db"
    store = ant_store(db)
    by_doc: dict[str, list[dict]] = {}
    for e in store.event_records():
        by_doc.setdefault(e["doc"], []).append(e)

    def find(side):
        s, t = side["trigger"] or side["sentence"]
        for e in by_doc.get(side["doc"], []):
            spans = [(e["trigger"]["start"], e["trigger"]["end"])] if e.get("trigger") else []
            spans += [(m["start"], m["end"]) for m in e.get("mentions") or []]
            if any(x < t and s < y for x, y in spans):
                return e
        return None

    c: Counter = Counter()
    for line in PAIRS.read_text("utf-8").splitlines():
        if not line.strip():
            continue
        p = json.loads(line)
        c["pairs"] += 1
        if p["label"] == "unsure":
            c["unsure"] += 1
            continue
        ea, eb = find(p["a"]), find(p["b"])
        if ea is None or eb is None:
            c["side_not_stored_" + p["label"]] += 1
            continue
        grouped = bool(ea.get("claim_group")) and ea.get("claim_group") == eb.get("claim_group")
        same = p["label"] == "same"
        c[("tp" if same else "fp") if grouped else ("fn" if same else "tn")] += 1
    prec = c["tp"] / max(c["tp"] + c["fp"], 1)
    rec = c["tp"] / max(c["tp"] + c["fn"], 1)
    print(json.dumps(dict(c), sort_keys=True))
    print(f"grouping over pairs with both sides stored: precision {prec:.3f}  recall {rec:.3f}  "
          f"(same {c['tp'] + c['fn']}, different {c['fp'] + c['tn']})")


if __name__ == "__main__":
    main()
