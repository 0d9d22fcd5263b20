"""Learn the cross-document pair model (``rasd/events/pairs.json``, issue #13) from the
train split of ``labels/pairs/ant.pairs.jsonl`` (``bench/eval_pairs.py:pair_split``):
a logistic regression (scikit-learn, train time only) over
:func:`rasd.events.pairs.cross_features` of the two stored claims of each labelled pair.
Reproducible: fixed regularisation, the liblinear solver, features sorted. Prints the
pairwise precision/recall at the threshold on train and test (pairwise: the grouping in
the store chains decisions; ``bench/eval_pairs.py`` scores that).

Usage: .venv/bin/python bench/train_pairs.py --db FILE [--C 3] [--threshold 0.6] [--dry-run]
(the shipped weights: --C 3 --threshold 0.6, chosen on the train split)
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from eval_pairs import ant_store, find_side, load_pairs, pair_split

from rasd.events.pairs import WEIGHTS, cross_features


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--db", required=True, help="a store of the ANT articles (made when empty)")
    ap.add_argument("--threshold", type=float, default=0.6)
    ap.add_argument("--C", type=float, default=3.0)
    ap.add_argument("--dry-run", action="store_true", help="print figures, write nothing")
    a = ap.parse_args()
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression
    store = ant_store(Path(a.db))
    by_doc: dict[str, list[dict]] = {}
    for e in store.event_records():
        by_doc.setdefault(e["doc"], []).append(e)
    data: dict[str, tuple[list, list]] = {"train": ([], []), "test": ([], [])}
    for p in load_pairs():
        if p["label"] == "unsure":
            continue
        ea, eb = find_side(by_doc, p["a"]), find_side(by_doc, p["b"])
        if ea is None or eb is None or ea["type"] != eb["type"]:
            continue
        xs, ys = data[pair_split(p)]
        xs.append({f: 1 for f in cross_features(ea, eb)})
        ys.append(int(p["label"] == "same"))
    vec = DictVectorizer(sort=True, sparse=False)
    x = vec.fit_transform(data["train"][0])
    clf = LogisticRegression(C=a.C, solver="liblinear", fit_intercept=False, max_iter=1000)
    clf.fit(x, data["train"][1])
    for name, (xs, ys) in data.items():
        pr = clf.predict_proba(vec.transform(xs))[:, 1]
        tp = sum(1 for p, y in zip(pr, ys) if p >= a.threshold and y)
        fp = sum(1 for p, y in zip(pr, ys) if p >= a.threshold and not y)
        fn = sum(1 for p, y in zip(pr, ys) if p < a.threshold and y)
        print(f"{name}: pairwise precision {tp / max(1, tp + fp):.3f} recall {tp / max(1, tp + fn):.3f} "
              f"(n={len(ys)}, same={sum(ys)})")
    weights = {f: round(float(w), 4) for f, w in zip(vec.get_feature_names_out(), clf.coef_[0]) if abs(w) > 1e-6}
    if not a.dry_run:
        WEIGHTS.write_text(json.dumps({"_comment": "bench/train_pairs.py: logistic regression over "
                                       "rasd.events.pairs.cross_features, train split of labels/pairs",
                                       "C": a.C, "threshold": a.threshold, "weights": weights},
                                      ensure_ascii=False, indent=1, sort_keys=True) + "\n", "utf-8")
        print("wrote", WEIGHTS)


if __name__ == "__main__":
    main()
