"""Figures of the event decision, through the whole pipeline (extract_events, as
`rasd process` runs it), for the rules and for the shipped model at its threshold (and
other thresholds with --thresholds):

* labelled ANT articles (labels/ant.mentions.jsonl) of one split (dev by default; the
  test split only with --split test, for the final report): strict precision / recall /
  F1 of happenings (a stored event on a repeat or on a non-event is an error; a labelled
  happening with no stored event, or a missed happening the rules never proposed, is
  not found), events per article, type accuracy; ``of_which_other_source_claims``: the
  stored repeats that are another named source's claim in the first stored telling's
  claim group (the export contract keeps them; the labels count them as repeats), and
  ``claims_precision``, the precision that counts them as claims rather than errors;
* the GSR ASSAULT sentences as their SOURCE.md says (one document per sentence; "yes"
  when an event of type battles / explosions / violence against civilians is stored);
  the model was trained on them, so for a held-out figure read `rasd train`'s gsr_cv;
* the seeds (samples/seeds against tests/gold) and the 207 ANT lines (tests/gold).

With ``--round 2`` the labelled articles are those of the second round (labels/round2: never
trained on; its dev part was read by the bench/exp_* experiments, no shipped choice was made
on it; its test part is read only for a final report); ``--round 3`` those of the third
(labels/round3, likewise).

Usage: .venv/bin/python bench/eval_decision.py [--split dev|test|train] [--round 1|2|3] [--thresholds 0.5,0.6]
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from rasd.events import extract_events  # noqa: E402
from rasd.events.dataset import (  # noqa: E402
    ant_documents,
    ant_path,
    gsr_documents,
    labels_dir,
    split_of,
)
from rasd.events.decision import ModelDecision, RuleDecision  # noqa: E402
from rasd.events.grouping import two_sources  # noqa: E402
from rasd.events.train import Example, read_labels, read_missed, roots  # noqa: E402
from rasd.pipeline import prepare  # noqa: E402

VIOLENT = {"battles", "explosions_remote_violence", "violence_against_civilians"}


def labelled_split(split: str, decision, rnd: int = 1) -> dict:
    if rnd >= 2:        # labels/roundN: never trained on (round 2's dev part read by bench/exp_*)
        labels = read_labels(labels_dir() / f"round{rnd}" / "ant.mentions.jsonl")
        missed = read_missed(labels_dir() / f"round{rnd}" / "ant.missed.jsonl")
    else:
        labels = read_labels()
        missed = read_missed()
    docs = {d["doc"] for d in labels.values() if split_of(d["doc"]) == split}
    by_doc = defaultdict(list)
    for k, d in labels.items():
        if d["doc"] in docs:
            by_doc[d["doc"]].append(d)
    root = roots([Example(mention=type("M", (), {"id": k})(), y=0, group=d["doc"], source="ant", label=d)
                  for k, d in labels.items() if d["doc"] in docs])
    happenings = set(root.values())
    found, tp_types = Counter(), [0, 0]
    fp = unlabelled = n_events = claims = 0
    for doc in ant_documents(docs):
        for art in prepare(doc).articles:
            first: dict[str, object] = {}
            for e in extract_events(doc, art, decision=decision):
                n_events += 1
                mid = f"{doc.id}@{e.trigger.start}-{e.trigger.end}" if e.trigger else None
                r = root.get(mid)
                if r is None:
                    fp += 1
                    unlabelled += mid not in labels
                    continue
                if r in first and two_sources(first[r], e) and (e.same_as or e.id) == (first[r].same_as or first[r].id):
                    claims += 1      # another named source's claim, in the first telling's group
                first.setdefault(r, e)
                found[r] += 1
                if found[r] == 1 and labels.get(r, {}).get("type"):
                    tp_types[1] += 1
                    tp_types[0] += e.type == labels[r]["type"]
    n_missed = sum(1 for m in missed if m["doc"] in docs)
    tp = len(found)
    extra = sum(v - 1 for v in found.values())
    p = tp / n_events if n_events else 0.0
    r = tp / (len(happenings) + n_missed) if happenings else 0.0
    return {"articles": len(docs), "events": n_events, "events_per_article": round(n_events / len(docs), 2),
            "happenings": len(happenings) + n_missed, "found": tp, "repeats_stored": extra,
            "of_which_other_source_claims": claims,
            "non_events_stored": fp, "of_which_unlabelled_mentions": unlabelled,
            "strict_precision": round(p, 3),
            # the export contract's reading (issue #11, "one event per happening, per source, per
            # article"): another named source's claim in the telling's group is a claim, no error
            "claims_precision": round((tp + claims) / n_events, 3) if n_events else 0.0,
            "recall": round(r, 3),
            "strict_f1": round(2 * p * r / (p + r), 3) if p + r else 0.0,
            "type_accuracy": round(tp_types[0] / tp_types[1], 3) if tp_types[1] else None}


def gsr(decision) -> dict:
    tp = fp = fn = 0
    for doc, label in gsr_documents():
        if label == "ambiguous":
            continue
        yes = any(e.type in VIOLENT for art in prepare(doc).articles
                  for e in extract_events(doc, art, decision=decision))
        gold = label == "yes"
        tp += yes and gold
        fp += yes and not gold
        fn += gold and not yes
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return {"precision": round(p, 3), "recall": round(r, 3), "f1": round(2 * p * r / (p + r), 3) if p + r else 0.0}


def gold_sets(decision) -> dict:
    """Seeds and the 207 ANT lines, scored by rasd's evaluator (= ../shared/eval/score.py)."""
    import os
    import tempfile

    from rasd.evaluate import score_events
    from rasd.ingest import read_inputs
    sys.path.insert(0, str(ROOT / "tests" / "gold"))
    import ant_gold
    out = {}
    gold = [json.loads(x) for x in open(ROOT / "tests" / "gold" / "seeds.events.jsonl", encoding="utf-8")]
    preds = [e.as_export() for doc in read_inputs([str(ROOT / "samples" / "seeds")])
             for art in prepare(doc).articles for e in extract_events(doc, art, decision=decision)]
    s = score_events(gold, preds)
    out["seeds"] = {k: s[k] for k in ("precision", "recall", "f1", "strict_precision", "strict_f1")}
    with tempfile.TemporaryDirectory() as tmp:
        corpus = str(ant_path())
        ant_gold.write_score_inputs(corpus, tmp)
        gold = [json.loads(x) for x in open(os.path.join(tmp, "ant.gold.events.jsonl"), encoding="utf-8")]
        preds = [e.as_export() for doc in read_inputs([os.path.join(tmp, "ant.input.jsonl")])
                 for art in prepare(doc).articles for e in extract_events(doc, art, decision=decision)]
    s = score_events(gold, preds)
    out["ant_lines"] = {k: s[k] for k in ("precision", "recall", "f1", "strict_precision", "strict_f1")}
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--split", default="dev", choices=["train", "dev", "test"])
    ap.add_argument("--thresholds", default="", help="extra model thresholds, comma-separated")
    ap.add_argument("--round", type=int, default=1, choices=[1, 2, 3],
                    help="which round of mention labels: 1 (the model's; default), 2 or 3 (labels/roundN, never "
                         "trained on)")
    ap.add_argument("--no-gsr", action="store_true")
    a = ap.parse_args()
    decisions = [("rules", RuleDecision())]
    model = ModelDecision()
    decisions.append((f"model@{model.threshold}", model))
    for t in filter(None, a.thresholds.split(",")):
        decisions.append((f"model@{t}", ModelDecision(threshold=float(t))))
    for name, dec in decisions:
        t0 = time.perf_counter()
        row = {"decision": name, f"ant_{a.split}" + (f"_round{a.round}" if a.round > 1 else ""):
               labelled_split(a.split, dec, a.round)}
        if not a.no_gsr:
            row["gsr"] = gsr(dec)
        row.update(gold_sets(dec))
        row["seconds"] = round(time.perf_counter() - t0, 1)
        print(json.dumps(row, ensure_ascii=False), flush=True)


if __name__ == "__main__":
    main()
