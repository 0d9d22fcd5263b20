"""A stacked decision, measured (not shipped): the logistic regression's out-of-fold
probability plus the structural features of a candidate (every non-word feature seen at
least 10 times in the pool: cues, trigger form, arguments, date distance, position ...) fed
to scikit-learn's HistGradientBoostingClassifier, to learn interactions the linear model
cannot. Same pool, folds and fold model as bench/exp_decision.py; prints, per threshold,
strict P / R / F1 on both rounds' dev parts (dev12), on round-1 train out of fold, and
GSR out of fold, for the plain LR and the stack.

Usage: PYTHONPATH=$PWD .venv/bin/python bench/exp_stack_gbm.py [ITERATIONS]   (150 by default)
"""
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT)); sys.path.insert(0, str(ROOT / 'bench'))
import exp_decision as X
import numpy as np

from rasd.events import train as T

d = X.Data()
fold = d.fold
WORDY = re.compile(r'^(sw|sb|pb|nb|p\d|n\d|tc|tw|p1_tw|tw_type|actor_key)=')
pool = d.tr + d.gsr + d.seeds
allex = pool + d.dev + d.dev2
vocab = {}
from collections import Counter

cnt = Counter(f for e in pool for f in set(e.mention.features) if not WORDY.match(f))
for f, c in cnt.items():
    if c >= 10:
        vocab[f] = len(vocab)
print('dense feats', len(vocab), file=sys.stderr)
def dense(exs):
    M = np.zeros((len(exs), len(vocab) + 1), dtype='float32')
    for i, e in enumerate(exs):
        for f in e.mention.features:
            j = vocab.get(f)
            if j is not None:
                M[i, j] = 1
    return M
y = np.array([e.y for e in pool]); w = np.array([{"seed": 4.0}.get(e.source, 1.0) for e in pool])
fo = np.array(T.folds([e.group for e in pool], 5))
Xs = X._matrix([e.mention.features for e in pool])
C = 0.1
oof = np.zeros(len(pool))
for k in range(5):
    m = fo != k
    oof[~m] = X._lr(C).fit(Xs[m], y[m], sample_weight=w[m]).predict_proba(Xs[~m])[:, 1]
lr_all = X._lr(C).fit(Xs, y, sample_weight=w)
def lr_p(exs): return lr_all.predict_proba(X._matrix([e.mention.features for e in exs]))[:, 1]
from sklearn.ensemble import HistGradientBoostingClassifier

D = dense(pool); D[:, -1] = oof
# second-level OOF for train CV / GSR
oof2 = np.zeros(len(pool))
params = {"max_iter": int(sys.argv[1]) if len(sys.argv) > 1 else 150, "learning_rate": 0.05, "max_leaf_nodes": 15,
          "min_samples_leaf": 20, "l2_regularization": 1.0, "random_state": 0}
for k in range(5):
    m = fo != k
    oof2[~m] = HistGradientBoostingClassifier(**params).fit(D[m], y[m], sample_weight=w[m]).predict_proba(D[~m])[:, 1]
gbm = HistGradientBoostingClassifier(**params).fit(D, y, sample_weight=w)
def gbm_p(exs):
    Dx = dense(exs); Dx[:, -1] = lr_p(exs); return gbm.predict_proba(Dx)[:, 1]
ntr = len(d.tr)
gold = d.gold
def curve(name, p1, p2, ptr, pg):
    for t in [x / 100 for x in range(10, 60, 2)]:
        tot = [0, 0, 0]
        for exs, p, mi in ((d.dev, p1, d.m_dev), (d.dev2, p2, d.m_dev2)):
            g = set()
            s = T.strict_scores(exs, T.simulate(exs, p, t, fold, d.raws, d.sents, g), mi, g)
            tot[0] += s['kept']; tot[1] += s['kept'] - s['non_events_kept'] - s['repeats_kept']; tot[2] += s['happenings'] + s['missed_by_rules']
        P, R = tot[1] / tot[0], tot[1] / tot[2]; F = 2 * P * R / (P + R)
        g = set()
        tr = T.strict_scores(d.tr, T.simulate(d.tr, ptr, t, fold, d.raws, d.sents, g), d.m_tr, g)
        gs = T.sentence_scores(d.gsr, pg, t, gold)
        print(f"{name} t={t:.2f} dev12 {P:.3f}/{R:.3f}/{F:.3f} trcv {tr['strict_precision']:.3f}/{tr['recall']:.3f}/{tr['strict_f1']:.3f} gsr {gs['precision']:.3f}/{gs['recall']:.3f}/{gs['f1']:.3f}")
curve('LR ', lr_p(d.dev), lr_p(d.dev2), oof[:ntr], oof[ntr:ntr + len(d.gsr)])
curve('GBM', gbm_p(d.dev), gbm_p(d.dev2), oof2[:ntr], oof2[ntr:ntr + len(d.gsr)])
