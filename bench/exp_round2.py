"""Does the second round of mention labels (labels/round2) help the models that are not
the decision? (The decision itself: bench/exp_decision.py, variants ``r2*``.)

* **types**: the type and sub-type models (``rasd train``'s ``fit_types`` / ``fit_subs``)
  fitted on round-1 train as shipped, or on round-1 + round-2 train; accuracy of the
  type, and of type + sub-type, on the real first tellings of the round-1 dev articles
  (dev1), the round-2 dev articles (dev2) and round-2 train (tr2: seen by the second fit);
* **fold**: the fold model (repeats of a happening in one article) fitted on round-1 train
  pairs or on both rounds' train pairs; pair F1 on the dev pairs of each round at each
  threshold, and the strict precision / recall / F1 of the shipped decision (at its
  threshold) followed by that fold on dev1 and dev2, with the events kept and the repeats
  among them.

Usage: PYTHONPATH=$PWD .venv/bin/python bench/exp_round2.py [types] [fold]
"""
from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import exp_decision as X

from rasd.events import train as T
from rasd.events.model import load_all, resubtype, retype


def type_accuracy(models, exs) -> tuple:
    """(first tellings, type right by the rules, by the models, type+sub by the rules, by the models)."""
    n = rules = model = rules_sub = model_sub = 0
    for e in exs:
        lab = e.label
        if not (lab.get("real") and lab.get("type")):
            continue
        n += 1
        ev = e.mention.event
        t = retype(models, e.mention.features, ev.type)
        st = resubtype(models, e.mention.features, t, ev.sub_type)
        want = (lab["type"], lab.get("sub_type"))
        rules += ev.type == want[0]
        model += t == want[0]
        rules_sub += (ev.type, ev.sub_type) == want
        model_sub += (t, st) == want
    return n, *(round(x / n, 3) for x in (rules, model, rules_sub, model_sub))


def types(d) -> None:
    for name, pool in (("round 1 (shipped)", d.tr), ("rounds 1 + 2", d.tr + d.tr2)):
        tm, ta = T.fit_types(pool, d.seeds, echo=lambda *a: None)
        sm, _ = T.fit_subs(pool, d.seeds, echo=lambda *a: None)
        print(f"types fitted on {name}: CV {ta}; sub-type models shipped for "
              f"{sorted({k.split(':')[1] for k in sm})}")
        for k, exs in (("dev1", d.dev), ("dev2", d.dev2), ("tr2", d.tr2)):
            print(f"  {k}: (n, type rules, type model, type+sub rules, type+sub model) "
                  f"{type_accuracy({**tm, **sm}, exs)}")


def fold(d) -> None:
    dec = load_all()["decision"]
    sets = {"dev1": (d.dev, d.m_dev), "dev2": (d.dev2, d.m_dev2)}
    probs = {k: [dec.probability(e.mention.features) for e in v[0]] for k, v in sets.items()}
    for name, pool in (("round 1 (shipped)", d.tr + d.seeds), ("rounds 1 + 2", d.tr + d.tr2 + d.seeds)):
        px, py, _ = T.pair_examples(pool, d.raws, d.sents)
        clf = T.fit([T._FeatEx(f, y) for f, y in zip(px, py)], 1.0)
        print(f"fold fitted on {name}: {len(px)} pairs ({sum(py)} same happening)")
        dev_pairs = {k: T.pair_examples(v[0], d.raws, d.sents)[:2] for k, v in sets.items()}
        dev_p = {k: T._predict(clf, [T._FeatEx(f, y) for f, y in zip(*dev_pairs[k])]) for k in sets}
        for t in [x / 20 for x in range(4, 15)]:
            row = []
            for k, (exs, missed) in sets.items():
                ys = dev_pairs[k][1]
                tp = sum(1 for p, y in zip(dev_p[k], ys) if p >= t and y)
                wrong = sum(1 for p, y in zip(dev_p[k], ys) if (p >= t) != bool(y))
                g: set = set()
                s = T.strict_scores(exs, T.simulate(exs, probs[k], dec.threshold, T.to_model(clf, t, {}),
                                                    d.raws, d.sents, g), missed, g)
                row.append(f"{k}: pair F1 {2 * tp / (2 * tp + wrong) if tp else 0:.3f}, strict "
                           f"{s['strict_precision']:.3f}/{s['recall']:.3f}/{s['strict_f1']:.3f} "
                           f"({s['kept']} kept, {s['repeats_kept']} repeats)")
            print(f"  t={t:.2f}  " + "  |  ".join(row))


def main() -> None:
    what = sys.argv[1:] or ["types", "fold"]
    d = X.Data()
    for e in d.tr2 + d.dev2:
        e.source = "ant"        # round 2's repeats are read like round 1's (train.roots)
    for w in what:
        {"types": types, "fold": fold}[w](d)


if __name__ == "__main__":
    main()
