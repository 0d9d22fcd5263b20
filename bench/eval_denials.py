"""Denials linked to what they deny (issue #13, "claim groups that hold").

Every denial the team labelled — a mention labelled a real happening with ``stance:
deny`` in ``labels/ant.mentions.jsonl`` or ``labels/round2/ant.mentions.jsonl`` (a party
denying a specific happening, within an article; round 2 was never read for a denial
rule), and every ``same`` pair of ``labels/pairs/ant.pairs.jsonl`` with a denial side
(across outlets) — is looked up in a store of all 1,779 ANT articles (made as
``rasd process`` does, or reused with ``--db``):

* *stored as a denial*: a stored event with stance ``deny`` covers the labelled trigger;
* *linked*: its claim group also holds an asserting claim (the claim it answers). For
  the pairs, linked means both sides share a claim group.

Prints found/total per split of the mention labels (dev, train; test only with
``--split test``: never choose on it) and for the pairs; ``--show`` prints each denial
with the asserting claims of its group (to read whether the link is right).

Usage: .venv/bin/python bench/eval_denials.py [--db FILE] [--split dev|train|test|all] [--show]
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
sys.path.insert(0, str(ROOT / "bench"))

from eval_pairs import ant_store, find_side, load_pairs, pair_split

from rasd.events.dataset import split_of

MENTIONS = ROOT / "labels" / "ant.mentions.jsonl"
ROUNDS = {"round 1": MENTIONS, "round 2": ROOT / "labels" / "round2" / "ant.mentions.jsonl",
          "round 3": ROOT / "labels" / "round3" / "ant.mentions.jsonl"}


def labelled_denials(path: Path = MENTIONS) -> list[dict]:
    out = []
    for line in path.read_text("utf-8").splitlines():
        if line.strip():
            m = json.loads(line)
            if m.get("real") and m.get("stance") == "deny":
                out.append(m)
    return out


def mention_denials(by_doc: dict[str, list[dict]], by_group: dict[str, list[dict]], split: str,
                    *, show: bool = False, path: Path = MENTIONS) -> Counter:
    """Over the labelled denials of one split: how many (``denials``), stored as a denial
    (``stored_as_denial``), in a group with an asserting claim (``linked``), one of another
    document (``linked_other_outlet``). ``by_doc``/``by_group``: the stored claims by
    document and by claim group."""
    c: Counter = Counter()
    for m in labelled_denials(path):
        if split_of(m["doc"]) != split:
            continue
        c["denials"] += 1
        side = {"doc": m["doc"], "trigger": [m["start"], m["end"]], "sentence": None}
        e = find_side({m["doc"]: [x for x in by_doc.get(m["doc"], []) if x.get("stance") == "deny"]}, side)
        if e is None:
            continue
        c["stored_as_denial"] += 1
        asserts = [x for x in by_group[e.get("claim_group") or e["id"]] if x.get("stance") != "deny"]
        c["linked"] += bool(asserts)
        c["linked_other_outlet"] += any(x["doc"] != e["doc"] for x in asserts)
        if show:
            print(f"\n[{split}] DENIAL {e['doc']}: {e['evidence']['text'][:200]}")
            for x in asserts[:3]:
                print(f"   ASSERT {x['doc']}: {x['evidence']['text'][:160]}")
    return c


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--db", help="a store of the ANT articles (made when empty or missing)")
    ap.add_argument("--split", choices=("dev", "train", "test", "all"), default="dev")
    ap.add_argument("--show", action="store_true")
    a = ap.parse_args()
    db = Path(a.db) if a.db else Path(tempfile.mkdtemp()) / "ant.db"
    store = ant_store(db)
    by_doc: dict[str, list[dict]] = {}
    by_group: dict[str, list[dict]] = {}
    for e in store.event_records():
        by_doc.setdefault(e["doc"], []).append(e)
        by_group.setdefault(e.get("claim_group") or e["id"], []).append(e)
    splits = ("train", "dev") if a.split == "all" else (a.split,)
    for name, path in ROUNDS.items():
        for split in splits:
            c = mention_denials(by_doc, by_group, split, show=a.show, path=path)
            print(f"mention labels {name}, {split}: {c['denials']} labelled denials; stored as a denial "
                  f"{c['stored_as_denial']}; linked to an asserting claim {c['linked']} "
                  f"({c['linked_other_outlet']} across outlets)")
    c = Counter()
    for p in load_pairs():
        if p["label"] != "same":
            continue
        ea, eb = find_side(by_doc, p["a"]), find_side(by_doc, p["b"])
        if ea is None or eb is None or "deny" not in (ea.get("stance"), eb.get("stance")):
            continue
        c[pair_split(p)] += 1
        c[pair_split(p) + "_linked"] += ea.get("claim_group") == eb.get("claim_group")
    for split in ("train", "test"):
        print(f"cross-outlet pairs, {split}: denials linked to the claim they answer {c[split + '_linked']}/{c[split]}")
    store.close()


if __name__ == "__main__":
    main()
