"""The GSR ASSAULT baseline the issue compares rasd with: a bare character n-gram
logistic regression over whole sentences, no rules, cross-validated (5 folds by sentence)
on the development half in ../shared/corpora/arabic-event-gsr-assault-dev. It prints the
baseline's precision / recall / F1 at its best threshold and at 0.5, and, for rasd, the
cross-validated figure that `rasd train` prints as gsr_cv (the sentences are then part of
the model's training data, so only a cross-validated figure is fair).

Usage: .venv/bin/python bench/eval_gsr_baseline.py
"""
from __future__ import annotations

import json
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from rasd.events.dataset import gsr_path  # noqa: E402
from rasd.lang.normalize import norm_key  # noqa: E402


def main() -> None:
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    rows = [json.loads(x) for x in open(gsr_path(), encoding="utf-8") if x.strip()]
    rows = [r for r in rows if r["label"] != "ambiguous"]
    ids = sorted({r["id"] for r in rows})
    random.Random(20261207).shuffle(ids)
    fold = {i: k % 5 for k, i in enumerate(ids)}
    texts = [norm_key(r["text"]) for r in rows]
    y = [int(r["label"] == "yes") for r in rows]
    probs = [0.0] * len(rows)
    for k in range(5):
        tr = [i for i, r in enumerate(rows) if fold[r["id"]] != k]
        te = [i for i, r in enumerate(rows) if fold[r["id"]] == k]
        vec = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), min_df=2, sublinear_tf=True)
        X = vec.fit_transform([texts[i] for i in tr])
        clf = LogisticRegression(C=10.0, max_iter=3000, class_weight="balanced").fit(X, [y[i] for i in tr])
        for i, p in zip(te, clf.predict_proba(vec.transform([texts[i] for i in te]))[:, 1]):
            probs[i] = float(p)

    def prf(t):
        tp = sum(1 for p, g in zip(probs, y) if p >= t and g)
        fp = sum(1 for p, g in zip(probs, y) if p >= t and not g)
        fn = sum(1 for p, g in zip(probs, y) if p < t and g)
        p = tp / (tp + fp) if tp + fp else 0.0
        r = tp / (tp + fn) if tp + fn else 0.0
        return {"threshold": t, "precision": round(p, 3), "recall": round(r, 3),
                "f1": round(2 * p * r / (p + r), 3) if p + r else 0.0}

    best = max((prf(t / 100) for t in range(5, 96)), key=lambda d: d["f1"])
    print(json.dumps({"sentences": len(rows), "yes": sum(y), "baseline_char_ngram_lr_cv": {"at_0.5": prf(0.5),
                                                                                         "best": best}},
                     ensure_ascii=False))
    print("rasd (cross-validated): run `rasd train` and read gsr_cv; rules alone: its rules.gsr")


if __name__ == "__main__":
    main()
