"""``rasd train --model doer``: rebuild ``doer.json`` (the learned doer, :mod:`.doer`) from
the team's arguments set ``labels/args/ant.args.jsonl``, reproducibly.

Rows: every labelled event of the train split (the fifth sample, ``"sample": 5``, left
out; dev and test never read) that rasd proposes with the decision off
(``ModelDecision(threshold=0.0)``, as ``bench/eval_args.py --candidates`` does), one row
per candidate doer, labelled 1 when the candidate is right the way ``bench/eval_args.py``
judges it (its :func:`who_right`, imported from there). A logistic regression (scikit-learn,
train time only) over the named features; ``C`` and the margin by which the best candidate
must beat the rules' answer are chosen by 5-fold cross-validation by article on train.
"""
from __future__ import annotations

import importlib.util
import json
from collections import defaultdict
from pathlib import Path

from . import doer as D
from .dataset import REPO, ant_documents, split_of
from .train import SEED, folds

LABELS = REPO / "labels" / "args" / "ant.args.jsonl"
CS = (0.03, 0.1, 0.3, 1.0, 3.0)
MARGINS = (0.0, 0.5, 1.0, 2.0, 3.0)
K = 5


def eval_args():
    """bench/eval_args.py as a module (its matching of a key against a label)."""
    spec = importlib.util.spec_from_file_location("rasd_eval_args", REPO / "bench" / "eval_args.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def train_labels(split: str = "train") -> dict[str, list[dict]]:
    out: dict[str, list[dict]] = defaultdict(list)
    for line in LABELS.read_text("utf-8").splitlines():
        if not line.strip():
            continue
        lab = json.loads(line)
        doc = lab["id"].split("@")[0]
        if lab.get("sample") == 5 or split_of(doc) != split:
            continue
        out[doc].append(lab)
    return out


def collect(split: str = "train") -> tuple[list[dict], int]:
    """One item per labelled event found: its candidates' features, which are right (doer,
    and target as the swap of :func:`.doer.set_doer` leaves it), and the rules' answers."""
    if split not in ("train", "dev"):
        raise ValueError("the doer model reads train (to fit) or dev (to check) only")
    from ..pipeline import prepare
    from . import extract_events
    from .decision import ModelDecision
    ev_mod = eval_args()
    by_doc = train_labels(split)
    dec = ModelDecision(threshold=0.0)
    items, labelled = [], 0
    for doc in ant_documents(set(by_doc)):
        rec: list = []
        D._RECORD = rec
        try:
            evs = [e for art in prepare(doc).articles for e in extract_events(doc, art, decision=dec)]
        finally:
            D._RECORD = None
        at_hook = {id(r[0]): r for r in rec}
        for lab in by_doc[doc.id]:
            labelled += 1
            s, t = map(int, lab["id"].split("@")[1].split("-"))
            e = next((e for e in evs if ev_mod.covers(e, s, t)), None)
            if e is None or id(e) not in at_hook:
                continue
            _, actor, actor2, cands = at_hook[id(e)]
            strict = {**lab, "note": ""}
            rows = []
            for key, feats in cands:
                doer = None if key == D.NONE else key
                # fitted on the labelled doer itself ("yfit"), judged as eval_args judges ("y":
                # a key named in the note as another doer counts too)
                rows.append({"key": key, "feats": feats,
                             "yfit": int(ev_mod.who_right("doer", doer, strict, e.type)),
                             "y": int(ev_mod.who_right("doer", doer, lab, e.type)),
                             "y2": int(ev_mod.who_right("target", actor if doer is not None and actor2 == doer
                                                        else actor2, lab, e.type))})
            # the rules' answer at the hook, and what is stored in the end (the stance may
            # change it after the hook)
            items.append({"id": lab["id"], "doc": doc.id, "type": e.type, "rules": actor or D.NONE,
                          "rules_ok": int(ev_mod.who_right("doer", e.actor, lab, e.type)),
                          "rules2_ok": int(ev_mod.who_right("target", e.actor2, lab, e.type)), "rows": rows})
    return items, labelled


def _fit(items: list[dict], C: float):
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression
    X = [{f: 1 for f in r["feats"]} for it in items for r in it["rows"]]
    y = [r["yfit"] for it in items for r in it["rows"]]
    vec = DictVectorizer(sparse=False)
    clf = LogisticRegression(C=C, max_iter=5000, solver="liblinear", random_state=0)
    clf.fit(vec.fit_transform(X), y)
    names = vec.get_feature_names_out()
    return D.DoerModel({str(n): float(w) for n, w in zip(names, clf.coef_[0])}, float(clf.intercept_[0]))


def _choice(it: dict, m: D.DoerModel, margin: float) -> dict:
    scores = [m.score(r["feats"]) for r in it["rows"]]
    best = max(range(len(scores)), key=lambda i: scores[i])
    rules = next((i for i, r in enumerate(it["rows"]) if r["key"] == it["rules"]), None)
    if rules is None or best == rules or scores[best] - scores[rules] <= margin:
        return {"doer": it["rules_ok"], "target": it["rules2_ok"], "changed": 0}
    r = it["rows"][best]
    return {"doer": r["y"], "target": r["y2"], "changed": 1}


def score(items: list[dict], chosen: list[dict]) -> dict:
    n = max(len(items), 1)
    return {"n": len(items), "doer_before": round(sum(it["rules_ok"] for it in items) / n, 4),
            "doer_after": round(sum(c["doer"] for c in chosen) / n, 4),
            "target_before": round(sum(it["rules2_ok"] for it in items) / n, 4),
            "target_after": round(sum(c["target"] for c in chosen) / n, 4),
            "changed": sum(c["changed"] for c in chosen)}


def cross_validate(items: list[dict], C: float, margins=MARGINS, k: int = K) -> dict[float, dict]:
    """Held-out choices by article (``k`` folds) for each margin."""
    fold = folds([it["doc"] for it in items], k, SEED)
    chosen: dict[float, list] = {mg: [None] * len(items) for mg in margins}
    for f in range(k):
        tr = [it for it, g in zip(items, fold) if g != f]
        m = _fit(tr, C)
        for i, (it, g) in enumerate(zip(items, fold)):
            if g == f:
                for mg in margins:
                    chosen[mg][i] = _choice(it, m, mg)
    return {mg: score(items, ch) for mg, ch in chosen.items()}


def train(out: Path | None = None, *, echo=print, enabled: bool | None = None) -> dict:
    """Fit on train, choose C and the margin by cross-validation by article, write the
    model (``enabled`` by the shipping rule: CV doer up by >= 3 points and target not down,
    unless given)."""
    out = out or D.WEIGHTS
    items, labelled = collect("train")
    echo(f"doer: {labelled} labelled train events, {len(items)} found with the decision off")
    grid = {}
    for C in CS:
        for mg, s in cross_validate(items, C).items():
            grid[(C, mg)] = s
            echo(f"  C={C} margin={mg}: {s}")
    (C, mg), best = max(grid.items(), key=lambda kv: (kv[1]["doer_after"], kv[1]["target_after"], -kv[0][1]))
    if enabled is None:
        enabled = best["doer_after"] - best["doer_before"] >= 0.03 and best["target_after"] >= best["target_before"]
    m = _fit(items, C)
    m.margin, m.enabled = mg, enabled
    m.meta = {"C": C, "cv": best, "train_events": len(items), "folds": K, "seed": SEED,
              "labels": "labels/args/ant.args.jsonl (train split, sample 5 left out)"}
    out.write_text(json.dumps(m.to_dict(), ensure_ascii=False, indent=0, sort_keys=True) + "\n", "utf-8")
    D._load.cache_clear()
    return {"C": C, "margin": mg, "enabled": enabled, "cv": best, "written": str(out)}
