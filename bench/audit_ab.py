"""Draw a paired precision audit of two pipelines (issue #11): a uniform random sample of the
stored events of each of two stores of all ANT articles (``A``: e.g. the tree before a change,
``B``: after it), shuffled together and cut into readers' batches, so that the same readers
judge both blind and the difference between the two shares real is not the difference
between readers (an audit's readers differ by up to 15 points: bench/audit_score.py).

Each batch line has the layout of bench/audit_sample.py (what rasd stored, the article's other
stored events in the same store, the whole article); nothing in it tells which store an event
comes from. The key (event → store, id) is written to ``key.json`` in OUTDIR: readers are
given their batch only. Score with ``--score OUTDIR`` once the readers' ``out-*.jsonl`` are
there: share real per store with its Wilson interval, and the difference.

Usage: .venv/bin/python bench/audit_ab.py DB_A DB_B SEED OUTDIR [--n 50] [--readers 4]
       .venv/bin/python bench/audit_ab.py --score OUTDIR|MERGED.jsonl
"""
from __future__ import annotations

import argparse
import json
import random
import sqlite3
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from audit_sample import _shown  # noqa: E402

from rasd.events.dataset import ant_documents  # noqa: E402
from rasd.events.train import wilson  # noqa: E402


def _items(db: str, seed: int, n: int) -> list[dict]:
    con = sqlite3.connect(db)
    events = [json.loads(r[0]) for r in con.execute("SELECT data FROM events ORDER BY rowid")]
    by_article: dict[str, list[dict]] = {}
    for e in events:
        by_article.setdefault(e["article"], []).append(e)
    sample = random.Random(seed).sample(events, n)
    docs = {d.id: d for d in ant_documents({e["doc"] for e in sample})}
    out = []
    for e in sample:
        d = docs[e["doc"]]
        others = [{"id": o["id"], "type": o["type"], "sub_type": o["sub_type"], "evidence": o["evidence"]["text"],
                   "sources": [x["name"] for x in o.get("sources") or []], "claim_group": o.get("claim_group"),
                   "stance": o.get("stance")} for o in by_article[e["article"]] if o["id"] != e["id"]]
        out.append({"rasd_event": _shown(e, d.raw), "other_stored_events_of_this_article": others,
                    "article": {"id": d.id, "published": d.published, "title": d.title, "text": d.raw}})
    return out


def draw(db_a: str, db_b: str, seed: int, out: Path, n: int, readers: int) -> None:
    items = [("A", it) for it in _items(db_a, seed, n)] + [("B", it) for it in _items(db_b, seed + 1, n)]
    random.Random(seed + 2).shuffle(items)
    out.mkdir(parents=True, exist_ok=True)
    key = {}
    for k, (store, it) in enumerate(items, 1):
        it["event"] = f"E{k}"
        key[f"E{k}"] = {"store": store, "id": it["rasd_event"]["id"]}
    size = -(-len(items) // readers)
    for r in range(readers):
        with open(out / f"batch-{r + 1}.jsonl", "w", encoding="utf-8") as f:
            for _, it in items[r * size:(r + 1) * size]:
                f.write(json.dumps({"event": it["event"], **{k: v for k, v in it.items() if k != "event"}},
                                   ensure_ascii=False) + "\n")
    (out / "key.json").write_text(json.dumps(key, indent=1), "utf-8")
    print(f"{n} events from each store ({db_a}, {db_b}), seeds {seed}/{seed + 1}, shuffled into {readers} batches "
          f"in {out}; the key in {out / 'key.json'}")


def score(out: Path) -> dict:
    """``out``: the folder of the draw (``key.json`` and the readers' ``out-*.jsonl``), or a
    merged file whose lines carry their ``store`` (labels/audits/audit-ab-*.jsonl)."""
    if out.is_file():
        rows = [json.loads(x) for x in out.read_text("utf-8").splitlines() if x.strip()]
        key = {r["event"]: {"store": r["store"]} for r in rows}
    else:
        key = json.loads((out / "key.json").read_text("utf-8"))
        rows = [json.loads(x) for f in sorted(out.glob("out-*.jsonl")) for x in f.read_text("utf-8").splitlines()
                if x.strip()]
    res = {}
    for store in ("A", "B"):
        mine = [r for r in rows if key[r["event"]]["store"] == store]
        real = sum(bool(r["real"]) for r in mine)
        res[store] = {"n": len(mine), "real": real, "share": round(real / len(mine), 3) if mine else None,
                      "wilson": wilson(real, len(mine)),
                      "not_real": dict(Counter(r["reason"] for r in mine if not r["real"]).most_common()),
                      "map_share": real + sum(1 for r in mine if not r["real"] and r.get("only_stored_telling")),
                      "by_reader": {rd: f"{sum(bool(r['real']) for r in mine if r['reader'] == rd)}/"
                                        f"{sum(1 for r in mine if r['reader'] == rd)}"
                                    for rd in sorted({r['reader'] for r in mine})}}
    if res["A"]["n"] and res["B"]["n"]:
        res["difference_B_minus_A"] = round(res["B"]["share"] - res["A"]["share"], 3)
    print(json.dumps(res, ensure_ascii=False, indent=1))
    return res


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("args", nargs="*")
    ap.add_argument("--n", type=int, default=50)
    ap.add_argument("--readers", type=int, default=4)
    ap.add_argument("--score", type=Path)
    a = ap.parse_args()
    if a.score:
        score(a.score)
        return
    if len(a.args) != 4:
        ap.error("DB_A DB_B SEED OUTDIR")
    draw(a.args[0], a.args[1], int(a.args[2]), Path(a.args[3]), a.n, a.readers)


if __name__ == "__main__":
    main()
