"""Which labels the decision learns from (stop 28; bench/exp_decision.md, "All rounds' labels").

Each variant is fitted as `rasd train` fits the decision (hashed features, logistic
regression, C by 5-fold cross-validated log loss by document / sentence / page) on round-1
train + GSR + seeds ×4, plus (``rounds=12`` / ``123``) the train articles of rounds 2 and 3
(weighed ``rw``), with GSR weighed ``gsr_w`` and (``ad=1``) one-sentence documents' features
copied apart (exp_decision.adapt). Scored through train.simulate (decision + the shipped
fold) on the dev articles of each round and all together (devP), on each round's train
articles held out (out of fold where they are in the fit, else never seen: trP), and on GSR
out of fold, at the threshold of the best pooled-dev strict F1, at the one-standard-error
threshold (bootstrap over the dev articles), and at fixed thresholds. The test split is
never read.

Usage: .venv/bin/python bench/exp_rounds.py base:rounds=1 r123:rounds=123 r123adg2:rounds=123:ad=1:gsr_w=2 ...
"""
import sys, time
from pathlib import Path
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT)); sys.path.insert(0, str(ROOT / "bench"))
import numpy as np
from exp_decision import GRID, Data, _lr, _matrix, adapt
from rasd.events import train as T
from rasd.events.dataset import labels_dir, split_of

d = Data()
a3, _ = T.ant_examples(T.read_labels(labels_dir() / "round3" / "ant.mentions.jsonl"))
for e in a3:
    e.source = "ant3"
d.tr3 = [e for e in a3 if split_of(e.group) == "train"]
d.dev3 = [e for e in a3 if split_of(e.group) == "dev"]
m3 = T.read_missed(labels_dir() / "round3" / "ant.missed.jsonl")
m2 = T.read_missed(labels_dir() / "round2" / "ant.missed.jsonl")
d.m_dev3 = T._missed_in(m3, {e.group for e in d.dev3})
d.m_tr3 = T._missed_in(m3, {e.group for e in d.tr3})
d.m_tr2 = T._missed_in(m2, {e.group for e in d.tr2})

def run(name, rounds=(1,), gsr_w=1.0, seed_w=4.0, C=None, rw=1.0, ad=0.0):
    F = (lambda e: e.mention.features + adapt(e.mention)) if ad else (lambda e: e.mention.features)
    t0 = time.perf_counter()
    extra = (d.tr2 if 2 in rounds else []) + (d.tr3 if 3 in rounds else [])
    pool = d.tr + d.gsr + d.seeds + extra
    X = _matrix([F(e) for e in pool]); y = np.array([e.y for e in pool])
    w = np.array([{"seed": seed_w, "gsr": gsr_w, "ant2": rw, "ant3": rw}.get(e.source, 1.0) for e in pool])
    fo = np.array(T.folds([e.group for e in pool], 5))
    best = None
    from sklearn.metrics import log_loss
    for c in ([C] if C else (0.03, 0.1, 0.3)):
        oof = np.zeros(len(pool))
        for k in range(5):
            m = fo != k
            oof[~m] = _lr(c).fit(X[m], y[m], sample_weight=w[m]).predict_proba(X[~m])[:, 1]
        ll = log_loss(y, np.clip(oof, 1e-6, 1 - 1e-6))
        if best is None or ll < best[1]: best = (c, ll, oof)
    c, ll, oof = best
    clf = _lr(c).fit(X, y, sample_weight=w)
    probs = lambda exs: clf.predict_proba(_matrix([F(e) for e in exs]))[:, 1]
    def curve(exs, p, missed):
        return {t: T.strict_scores(exs, T.simulate(exs, p, t, d.fold, d.raws, d.sents, set()), missed, set()) for t in GRID}
    devs = {"dev1": curve(d.dev, probs(d.dev), d.m_dev), "dev2": curve(d.dev2, probs(d.dev2), d.m_dev2),
            "dev3": curve(d.dev3, probs(d.dev3), d.m_dev3)}
    # held-out (out-of-fold when in the pool, else model's) for each round's train
    pos = {id(e): i for i, e in enumerate(pool)}
    def trc(exs, missed):
        p = np.array([oof[pos[id(e)]] if id(e) in pos else None for e in exs], dtype=object)
        if any(v is None for v in p): p = probs(exs)
        return curve(exs, np.array(p, dtype=float), missed)
    trs = {"tr1": trc(d.tr, d.m_tr), "tr2": trc(d.tr2, d.m_tr2), "tr3": trc(d.tr3, d.m_tr3)}
    def pooled(curves, t):
        kept = sum(cv[t]["kept"] for cv in curves); tp = kept - sum(cv[t]["non_events_kept"] + cv[t]["repeats_kept"] for cv in curves)
        hap = sum(cv[t]["happenings"] + cv[t]["missed_by_rules"] for cv in curves)
        p, r = tp / kept if kept else 0, tp / hap
        return (round(p, 3), round(r, 3), round(2*p*r/(p+r), 3) if p + r else 0)
    ntr = len(d.tr)
    gc = {t: T.sentence_scores(d.gsr, oof[ntr:ntr + len(d.gsr)], t, d.gold) for t in GRID}
    t = max(GRID, key=lambda t: (pooled(list(devs.values()), t)[2], -t))
    p3 = lambda s: (s["strict_precision"], s["recall"], s["strict_f1"])
    print(f"{name}: C {c} t {t} | devP {pooled(list(devs.values()), t)} | " + " ".join(f"{k} {p3(v[t])}" for k, v in devs.items())
          + " | " + " ".join(f"{k} {p3(v[t])}" for k, v in trs.items()) + f" | trP {pooled(list(trs.values()), t)}"
          + f" | gsr {gc[t]['precision']}/{gc[t]['recall']}/{gc[t]['f1']} best {max(gc[x]['f1'] for x in GRID)}"
          + f" | best devP F1 {max(pooled(list(devs.values()), x)[2] for x in GRID)} ({time.perf_counter()-t0:.0f}s)", flush=True)
    # the one-standard-error threshold over the dev articles of all rounds (as rasd train reads it)
    dexs = d.dev + d.dev2 + d.dev3
    dp = np.concatenate([probs(d.dev), probs(d.dev2), probs(d.dev3)])
    missed_all = T.read_missed() + m2 + m3
    rule = T.choose_threshold(dexs, dp, d.fold, d.raws, d.sents, missed_all, 300, 0)
    one_se = rule["threshold"]
    print(f"   best t {rule['best_threshold']} F1 {rule['best_f1']:.3f} SE {rule['se']:.3f} -> 1-SE t {one_se} "
          f"F1 {rule['f1']:.3f}; pooled dev at 1-SE {pooled(list(devs.values()), one_se)} "
          f"trP {pooled(list(trs.values()), one_se)} gsr {gc[one_se]['precision']}/{gc[one_se]['recall']}/{gc[one_se]['f1']}")
    for tt in (0.18, 0.2, 0.22, 0.24, 0.26, 0.28, 0.3):
        print(f"   at {tt}: devP {pooled(list(devs.values()), tt)} trP {pooled(list(trs.values()), tt)} gsr {gc[tt]['precision']}/{gc[tt]['recall']}/{gc[tt]['f1']}")

for spec in sys.argv[1:]:
    name, *kv = spec.split(':')
    kw = {}
    for x in kv:
        k, v = x.split('=')
        kw[k] = tuple(int(c) for c in v) if k == 'rounds' else float(v)
    run(spec, **kw)
