"""``rasd train``: rebuild the decision model from the team's labels, reproducibly.

Data (texts are read from the shared corpora at train time; the repository holds ids,
offsets and labels only):

* ``labels/ant.mentions.jsonl`` (round 1) and ``labels/roundN/ant.mentions.jsonl`` (later
  rounds, articles never labelled before) — candidate mentions of whole ANT articles labelled by
  reading (docs/labelling-guidelines.md): ``real`` means a reported happening told for
  the first time in the article; ``reason`` says why not (``repeat`` with ``repeat_of``);
* ``ant.missed.jsonl`` beside each — real happenings the rules proposed no candidate for;
* the GSR ASSAULT sentences (``../shared/corpora/arabic-event-gsr-assault-dev``): a
  violent candidate of a "yes" sentence is a happening, of a "no" sentence is not
  (weighed ``GSR_WEIGHT``).

ANT articles are split by document (:func:`.dataset.split_of`): train / dev / test, in
every round. The model is fitted on the train articles of all rounds + GSR + the seeds;
the regularisation is chosen by cross-validation on that pool, the threshold on the dev
articles of all rounds together: the best strict F1, then — its F1 being as good within
the noise of a dev set this size — the highest threshold whose dev F1 lies within one
bootstrap standard error of the best (:func:`choose_threshold`: the "one standard error"
rule; precision first, since a stored event that never happened costs a reader more than
a missed one). The figures also show the threshold a precision-weighted rule (best strict
F0.5 on dev) would take; test is only read for the report.
Experiments on features, data and rules: bench/exp_decision.py (results in bench/exp_decision.md).
"""
from __future__ import annotations

import json
import math
import random
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from ..records import Event
from .dataset import REPO, Mention, ant_documents, doc_mentions, gsr_documents, labels_dir, split_of
from .model import SUB_MIN, TYPE_MIN, Model, feature_hashes, resubtype, retype

VIOLENT = frozenset(("battles", "explosions_remote_violence", "violence_against_civilians"))
BITS = 18
SEED = 20261207
GSR_WEIGHT = 2.0      # a GSR sentence's weight in the fit (an ANT mention 1, a seed candidate 4)
BOOTSTRAP = 300       # resamples of the dev articles for the threshold's standard error
PRUNE = 0.02      # weights smaller than this are left out of the shipped file (no measurable effect)


@dataclass
class Example:
    mention: Mention
    y: int
    group: str            # the document (ANT) or sentence (GSR): folds never split one
    source: str           # "ant" or "gsr"
    label: dict = field(default_factory=dict)


def happening(lab: dict) -> int:
    """What the decision learns: a reported happening told for the first time in the
    article. (Learning "a happening, first or retold" and leaving repeats to the fold
    alone was tried: cross-validated strict F1 on train 0.49 against 0.54, and on the
    GSR sentences 0.48 against 0.66.) Repeats the decision still keeps are folded by
    the grouping stage, which learns from ``repeat_of``."""
    return int(bool(lab["real"]))


def read_labels(path: Path | None = None) -> dict[str, dict]:
    path = path or labels_dir() / "ant.mentions.jsonl"
    out = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.strip():
                d = json.loads(line)
                out[d["id"]] = d
    return out


def read_missed(path: Path | None = None) -> list[dict]:
    path = path or labels_dir() / "ant.missed.jsonl"
    if not path.exists():
        return []
    return [json.loads(x) for x in open(path, encoding="utf-8") if x.strip()]


def label_rounds() -> list[tuple[Path, Path]]:
    """(mentions file, missed file) of each labelling round there is: round 1 in
    ``labels/``, later rounds in ``labels/roundN/``."""
    out = [(labels_dir() / "ant.mentions.jsonl", labels_dir() / "ant.missed.jsonl")]
    n = 2
    while (labels_dir() / f"round{n}" / "ant.mentions.jsonl").exists():
        out.append((labels_dir() / f"round{n}" / "ant.mentions.jsonl", labels_dir() / f"round{n}" / "ant.missed.jsonl"))
        n += 1
    return out


def ant_examples(labels: dict[str, dict]) -> tuple[list[Example], dict]:
    """The candidates proposed now in the labelled articles, with their labels. Labelled
    mentions the rules no longer propose are counted (candidate recall)."""
    docs = {d["doc"] for d in labels.values()}
    exs, seen = [], set()
    for doc in ant_documents(docs):
        for m in doc_mentions(doc):
            lab = labels.get(m.id)
            if lab is None:
                continue
            seen.add(m.id)
            exs.append(Example(m, happening(lab), doc.id, "ant", lab))
    lost = [k for k in labels if k not in seen]
    return exs, {"labelled": len(labels), "proposed_now": len(seen), "lost": lost}


def gsr_examples() -> list[Example]:
    exs = []
    for doc, label in gsr_documents():
        if label == "ambiguous":
            continue
        y = int(label == "yes")
        for m in doc_mentions(doc):
            if m.event.type in VIOLENT:
                exs.append(Example(m, y, doc.id, "gsr", {"label": label}))
    return exs


def _matrix(exs: list[Example], bits: int = BITS):
    import numpy as np
    from scipy.sparse import csr_matrix
    rows, cols = [], []
    mask = (1 << bits) - 1
    for i, e in enumerate(exs):
        idx = {h & mask for h in feature_hashes(e.mention.features)}
        rows.extend([i] * len(idx))
        cols.extend(idx)
    X = csr_matrix((np.ones(len(rows), dtype=np.float32), (rows, cols)), shape=(len(exs), 1 << bits))
    y = np.array([e.y for e in exs])
    return X, y


def fit(exs: list[Example], C: float, bits: int = BITS, weights=None):
    from sklearn.linear_model import LogisticRegression
    X, y = _matrix(exs, bits)
    clf = LogisticRegression(C=C, max_iter=2000, solver="liblinear", random_state=0)
    clf.fit(X, y, sample_weight=weights)
    return clf


def to_model(clf, threshold: float, meta: dict, bits: int = BITS) -> Model:
    import numpy as np
    coef = clf.coef_[0]
    nz = np.nonzero(np.abs(coef) >= PRUNE)[0]
    return Model({int(i): float(coef[i]) for i in nz}, float(clf.intercept_[0]), bits, threshold, meta)


def folds(groups: list[str], k: int, seed: int = SEED) -> list[int]:
    """Fold of each example, by group (a document or a sentence never straddles folds)."""
    uniq = sorted(set(groups))
    random.Random(seed).shuffle(uniq)
    f = {g: i % k for i, g in enumerate(uniq)}
    return [f[g] for g in groups]


# ------------------------------------------------------------------ scoring


def strict_scores(exs: list[Example], kept: list[bool], missed: int = 0, grouped: set | None = None) -> dict:
    """Happening-level precision/recall over labelled ANT mentions: a happening is a real
    mention with its repeats; a kept mention of a happening already kept, or of no
    happening, is an error (strict); ``missed`` happenings no candidate told count as
    not found."""
    root = {}
    for e in exs:
        lab = e.label
        if lab.get("real"):
            root[e.mention.id] = e.mention.id
    for e in exs:
        lab = e.label
        if not lab.get("real") and lab.get("reason") == "repeat" and lab.get("repeat_of") in root:
            root[e.mention.id] = lab["repeat_of"]
    happenings = {r for r in root.values()}
    found: Counter = Counter()
    fp = 0
    for e, k in zip(exs, kept):
        if not k:
            continue
        r = root.get(e.mention.id)
        if r is None:
            fp += 1
        else:
            found[r] += 1
    tp = len(found)
    extra = sum(v - 1 for v in found.values())
    n_pred = int(sum(bool(k) for k in kept))
    p = tp / n_pred if n_pred else 0.0
    r = tp / (len(happenings) + missed) if happenings or missed else 0.0
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    out = {"strict_precision": round(p, 3), "recall": round(r, 3), "strict_f1": round(f1, 3),
           "kept": n_pred, "happenings": len(happenings), "missed_by_rules": missed,
           "repeats_kept": extra, "non_events_kept": fp}
    if grouped is not None:
        # another source's claim of a happening already stored, in its claim group: a
        # corroborating claim (the export contract), not a second happening on the map
        corr = sum(1 for i in grouped if kept[i] and root.get(exs[i].mention.id) is not None)
        pg = tp / (n_pred - corr) if n_pred - corr else 0.0
        out["corroborating_claims"] = corr
        out["precision_by_claim_group"] = round(pg, 3)
    return out


def sentence_scores(exs: list[Example], probs, threshold: float, gold: dict[str, int]) -> dict:
    """GSR: a sentence is "yes" when one of its violent candidates is kept."""
    pred = defaultdict(int)
    for e, p in zip(exs, probs):
        if p >= threshold:
            pred[e.group] = 1
    tp = sum(1 for s, y in gold.items() if y and pred[s])
    fp = sum(1 for s, y in gold.items() if not y and pred[s])
    fn = sum(1 for s, y in gold.items() if y and not pred[s])
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return {"precision": round(p, 3), "recall": round(r, 3), "f1": round(2 * p * r / (p + r), 3) if p + r else 0.0,
            "sentences": len(gold)}


def f_beta(s: dict, beta: float) -> float:
    """F-beta of strict precision and recall (beta < 1 weighs precision more)."""
    p, r = s["strict_precision"], s["recall"]
    return (1 + beta * beta) * p * r / (beta * beta * p + r) if p + r else 0.0


def wilson(k: int, n: int, z: float = 1.96) -> tuple[float, float]:
    if n == 0:
        return 0.0, 0.0
    p = k / n
    d = 1 + z * z / n
    c = p + z * z / (2 * n)
    h = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    return round((c - h) / d, 3), round((c + h) / d, 3)


def _predict(clf, exs: list[Example]):
    if not exs:
        return []
    X, _ = _matrix(exs)
    return [float(p) for p in clf.predict_proba(X)[:, 1]]


def seed_examples() -> list[Example]:
    """The five seed pages (samples/seeds) against their gold (tests/gold): a candidate
    whose trigger lies in a gold claim's anchor tells that claim."""
    from ..ingest import read_inputs
    gold = [json.loads(x) for x in open(REPO / "tests" / "gold" / "seeds.events.jsonl", encoding="utf-8")]
    exs = []
    for doc in read_inputs([str(REPO / "samples" / "seeds")]):
        claims = [g for g in gold if g["file"] == doc.id]
        for m in doc_mentions(doc):
            t = m.event.trigger
            hit = next((g for g in claims if any(a["start"] <= t.start < a["end"] or t.start <= a["start"] < t.end
                                                 for a in g["anchors"])), None)
            lab = {"real": hit is not None, "root": hit["id"] if hit else None,
                   "reason": None if hit else "other"}
            exs.append(Example(m, int(hit is not None), doc.id, "seed", lab))
    return exs


def roots(exs: list[Example]) -> dict[str, str]:
    """Mention id → the id of the happening it tells (its first telling), for happenings."""
    out = {}
    for e in exs:
        lab = e.label
        if e.source == "seed":
            if lab.get("root"):
                out[e.mention.id] = lab["root"]
        elif lab.get("real"):
            out[e.mention.id] = e.mention.id
    for e in exs:
        lab = e.label
        if e.source == "ant" and not lab.get("real") and lab.get("reason") == "repeat":
            out[e.mention.id] = out.get(lab.get("repeat_of"), lab.get("repeat_of") or e.mention.id)
    return out


def _by_doc(exs: list[Example]) -> dict[str, list[int]]:
    d = defaultdict(list)
    for i, e in enumerate(exs):
        d[e.group].append(i)
    for v in d.values():
        v.sort(key=lambda i: exs[i].mention.event.trigger.start)
    return d


def _pair_allowed(a: Event, b: Event) -> bool:
    """Pairs the fold is asked about (a denial is never folded: it is a claim of its own)."""
    return a.stance != "deny" and b.stance != "deny"


def pair_examples(exs: list[Example], raws: dict[str, str], sents: dict[str, dict]) -> tuple[list, list, list]:
    """(features, same, group) for pairs of happenings of one article, the later against
    each earlier (as :func:`.grouping.fold_repeats` asks)."""
    from .grouping import pair_features
    root = roots(exs)
    X, y, g = [], [], []
    for doc, idx in _by_doc(exs).items():
        hap = [i for i in idx if exs[i].mention.id in root]
        for k, j in enumerate(hap):
            for i in hap[:k]:
                a, b = exs[i].mention.event, exs[j].mention.event
                if not _pair_allowed(a, b):
                    continue
                X.append(pair_features(a, b, raws[doc], sents[doc]))
                y.append(int(root[exs[i].mention.id] == root[exs[j].mention.id]))
                g.append(doc)
    return X, y, g


class _FeatEx:
    """Wraps a feature list so :func:`_matrix` reads pairs like mentions."""
    def __init__(self, feats, y):
        self.mention = type("M", (), {"features": feats})()
        self.y = y


def simulate(exs: list[Example], probs, threshold: float, fold, raws, sents, grouped: set | None = None) -> list[bool]:
    """Which mentions end up stored: kept by the decision, then not folded into an
    earlier kept one (the pipeline's order of stages, at mention level). A mention the
    fold finds the same as an earlier one but in another named source's words is stored
    as a claim of its own in the first one's claim group: its index goes to ``grouped``."""
    from .decision import decisive
    from .grouping import SURER_BY, pair_features, two_sources
    stored = [False] * len(exs)
    for doc, idx in _by_doc(exs).items():
        kept: list[int] = []
        for j in idx:
            if probs[j] < threshold or decisive(exs[j].mention.event):
                continue
            b = exs[j].mention.event
            best, best_p = None, fold.threshold if fold is not None else 2.0
            for i in kept if fold is not None else ():
                a = exs[i].mention.event
                if not _pair_allowed(a, b) or exs[i].mention.chemical != exs[j].mention.chemical:
                    continue          # (a chemical attack never folds into a strike of another kind)
                p = fold.probability(pair_features(a, b, raws[doc], sents[doc]))
                if p >= best_p:
                    best, best_p = i, p
            if best is None or two_sources(exs[best].mention.event, b):
                kept.append(j)
                stored[j] = True
                if best is not None and grouped is not None:
                    grouped.add(j)
            elif probs[j] > probs[best] + SURER_BY:      # the surer telling stands for it (grouping._surer)
                kept[kept.index(best)] = j
                stored[best], stored[j] = False, True
    return stored


def _missed_in(missed: list[dict], docs: set[str]) -> int:
    return sum(1 for m in missed if m["doc"] in docs)


def _context(exs: list[Example]) -> tuple[dict, dict]:
    """Raw texts and sentence indexes of the examples' documents."""
    raws, sents = {}, {}
    for e in exs:
        if e.group not in raws:
            raws[e.group] = e.mention.raw
            sents[e.group] = {s.start: i for i, s in enumerate(e.mention.sentences)}
    return raws, sents


THRESHOLDS = [x / 100 for x in range(10, 91, 2)]


def choose_threshold(dev: list[Example], probs, fold, raws, sents, missed: list[dict],
                     resamples: int = BOOTSTRAP, seed: int = SEED) -> dict:
    """The decision's threshold from the dev articles: the best strict F1 of the whole
    (decision + fold) over :data:`THRESHOLDS`, and its standard error by resampling the dev
    articles (``resamples`` times, a fixed seed); the threshold shipped is the highest whose
    F1 is within one standard error of the best (the one-standard-error rule: a dev set of a
    few hundred happenings cannot tell those thresholds apart, and among them the one
    storing fewest events that never happened is taken)."""
    groups = sorted({e.group for e in dev})
    per: dict[float, dict[str, tuple[int, int, int]]] = {}
    for t in THRESHOLDS:
        kept = simulate(dev, probs, t, fold, raws, sents)
        by: dict[str, tuple[list, list]] = defaultdict(lambda: ([], []))
        for e, k in zip(dev, kept):
            by[e.group][0].append(e)
            by[e.group][1].append(k)
        per[t] = {}
        for gname in groups:
            sc = strict_scores(by[gname][0], by[gname][1], _missed_in(missed, {gname}))
            tp = sc["kept"] - sc["non_events_kept"] - sc["repeats_kept"]
            per[t][gname] = (tp, sc["kept"], sc["happenings"] + sc["missed_by_rules"])
    return one_se_threshold(per, resamples, seed)


def one_se_threshold(per: dict[float, dict[str, tuple[int, int, int]]], resamples: int = BOOTSTRAP,
                     seed: int = SEED) -> dict:
    """The one-standard-error rule over per-article counts: ``per[threshold][article]`` =
    (happenings found, events stored, happenings told) of that article at that threshold.
    The best pooled strict F1, its standard error over ``resamples`` resamplings of the
    articles (a fixed seed), and the highest threshold whose F1 is within one error of it."""
    thresholds = sorted(per)
    groups = sorted(per[thresholds[0]])

    def f1(t: float, gs) -> float:
        tp = sum(per[t][x][0] for x in gs)
        n = sum(per[t][x][1] for x in gs)
        h = sum(per[t][x][2] for x in gs)
        p, r = (tp / n if n else 0.0), (tp / h if h else 0.0)
        return 2 * p * r / (p + r) if p + r else 0.0

    best = max(thresholds, key=lambda t: (f1(t, groups), -t))
    rng = random.Random(seed)
    boots = [f1(best, [rng.choice(groups) for _ in groups]) for _ in range(resamples)]
    mean = sum(boots) / len(boots)
    se = math.sqrt(sum((b - mean) ** 2 for b in boots) / len(boots))
    chosen = max(t for t in thresholds if f1(t, groups) >= f1(best, groups) - se)
    return {"rule": "highest threshold within one bootstrap standard error of the best dev strict F1",
            "best_threshold": best, "best_f1": round(f1(best, groups), 3), "se": round(se, 3),
            "threshold": chosen, "f1": round(f1(chosen, groups), 3), "articles": len(groups)}


def train(out: Path | None = None, *, report_test: bool = False, echo=print, Cs=(0.03, 0.1, 0.3, 1.0),
          seed_weight: float = 4.0, gsr_weight: float = GSR_WEIGHT) -> dict:
    """Fit, choose C (CV on train) and the thresholds (dev), write the models, return the figures."""
    from sklearn.metrics import log_loss
    labels: dict[str, dict] = {}
    missed: list[dict] = []
    round_of: dict[str, int] = {}           # document → its labelling round
    rounds = label_rounds()
    for n, (lp, mp) in enumerate(rounds, 1):
        lab = read_labels(lp)
        labels.update(lab)
        round_of.update({d["doc"]: n for d in lab.values()})
        missed += read_missed(mp)
    ant, cov = ant_examples(labels)
    gsr = gsr_examples()
    seeds = seed_examples()
    gsr_gold = {doc.id: int(label == "yes") for doc, label in gsr_documents() if label != "ambiguous"}
    parts = defaultdict(list)
    for e in ant:
        parts[split_of(e.group)].append(e)
    tr, dev, test = parts["train"], parts["dev"], parts["test"]
    docs = {s: {e.group for e in parts[s]} for s in ("train", "dev", "test")}
    echo(f"labelled mentions {cov['labelled']} ({len(rounds)} rounds), proposed now {cov['proposed_now']}; "
         f"ANT train {len(tr)} / dev {len(dev)} / test {len(test)} mentions; GSR violent candidates {len(gsr)}; "
         f"seed candidates {len(seeds)}")
    raws, sents = _context(ant + seeds)
    # --- the decision: C by 5-fold cross-validation over train (ANT train by document,
    # GSR by sentence, the seeds by page)
    pool = tr + gsr + seeds
    weights = [seed_weight if e.source == "seed" else gsr_weight if e.source == "gsr" else 1.0 for e in pool]
    fo = folds([e.group for e in pool], 5)
    best_c, best_ll, oof_best = None, float("inf"), None
    for C in Cs:
        oof = [0.0] * len(pool)
        for k in range(5):
            fit_idx = [i for i, f in enumerate(fo) if f != k]
            held = [i for i, f in enumerate(fo) if f == k]
            clf = fit([pool[i] for i in fit_idx], C, weights=[weights[i] for i in fit_idx])
            for i, p in zip(held, _predict(clf, [pool[i] for i in held])):
                oof[i] = p
        ll = log_loss([e.y for e in pool], oof)
        echo(f"  decision C={C}: cross-validated log loss {ll:.4f}")
        if ll < best_ll:
            best_c, best_ll, oof_best = C, ll, oof
    clf = fit(pool, best_c, weights=weights)
    # --- the fold: pairs of happenings of one article (ANT train + seeds), threshold on dev pairs
    px, py, _ = pair_examples(tr + seeds, raws, sents)
    fclf = fit([_FeatEx(f, y) for f, y in zip(px, py)], 1.0)
    dx, dy, _ = pair_examples(dev, raws, sents)
    dp = _predict(fclf, [_FeatEx(f, y) for f, y in zip(dx, dy)])
    fold_t, fold_f1 = 0.5, -1.0
    for t in [x / 20 for x in range(4, 19)]:
        tp = sum(1 for p, y in zip(dp, dy) if p >= t and y)
        fp = sum(1 for p, y in zip(dp, dy) if p >= t and not y)
        fn = sum(1 for p, y in zip(dp, dy) if p < t and y)
        f1 = 2 * tp / (2 * tp + fp + fn) if tp else 0.0
        if f1 > fold_f1:
            fold_t, fold_f1 = t, f1
    fold = to_model(fclf, fold_t, {"pairs": len(px), "dev_pair_f1": round(fold_f1, 3)})
    echo(f"  fold: {len(px)} training pairs ({sum(py)} same happening); dev pair F1 {fold_f1:.3f} at {fold_t}")
    # --- the decision's threshold: strict F1 of the whole (decision + fold) on dev, the
    # one-standard-error rule (choose_threshold)
    shipped = to_model(clf, 0.5, {})      # the pruned weights, as the pipeline reads them
    dev_p = [shipped.probability(e.mention.features) for e in dev]
    m_dev = _missed_in(missed, docs["dev"])
    rule = choose_threshold(dev, dev_p, fold, raws, sents, missed)
    threshold = rule["threshold"]
    echo(f"  threshold: best dev strict F1 {rule['best_f1']} at {rule['best_threshold']} (bootstrap SE "
         f"{rule['se']}); the highest within one SE: {threshold} (dev F1 {rule['f1']})")
    g: set = set()
    dev_s = strict_scores(dev, simulate(dev, dev_p, threshold, fold, raws, sents, g), m_dev, g)
    t_prec, dev_prec, best_f05 = 0.5, {}, -1.0     # the precision-weighted rule, reported beside
    for t in THRESHOLDS:
        g = set()
        sc = strict_scores(dev, simulate(dev, dev_p, t, fold, raws, sents, g), m_dev, g)
        if f_beta(sc, 0.5) > best_f05:
            t_prec, dev_prec, best_f05 = t, sc, f_beta(sc, 0.5)
    n_tr = len(tr)
    m_tr = _missed_in(missed, docs["train"])
    g = set()
    tr_cv = strict_scores(tr, simulate(tr, oof_best[:n_tr], threshold, fold, raws, sents, g), m_tr, g)
    gsr_cv = sentence_scores(gsr, oof_best[n_tr:n_tr + len(gsr)], threshold, gsr_gold)
    dev_no_fold = strict_scores(dev, [p >= threshold for p in dev_p], m_dev)
    tr_no_fold = strict_scores(tr, [p >= threshold for p in oof_best[:n_tr]], m_tr)
    rules_dev = strict_scores(dev, [not e.mention.event.cues for e in dev], m_dev)
    rules_gsr = sentence_scores(gsr, [0.0 if e.mention.event.cues else 1.0 for e in gsr], 0.5, gsr_gold)
    g = set()
    precision_rule = {
        "rule": "dev strict F0.5 (precision weighted; not the shipped threshold)", "threshold": t_prec,
        "dev": dev_prec,
        "train_cv": strict_scores(tr, simulate(tr, oof_best[:n_tr], t_prec, fold, raws, sents, g), m_tr, g),
        "gsr_cv": sentence_scores(gsr, oof_best[n_tr:n_tr + len(gsr)], t_prec, gsr_gold)}

    def by_round(exs: list[Example], probs) -> dict:
        out = {}
        for n in sorted({round_of[e.group] for e in exs}):
            idx = [i for i, e in enumerate(exs) if round_of[e.group] == n]
            sub = [exs[i] for i in idx]
            gr: set = set()
            out[str(n)] = strict_scores(sub, simulate(sub, [probs[i] for i in idx], threshold, fold, raws, sents, gr),
                                        _missed_in(missed, {e.group for e in sub}), gr)
        return out

    figures = {
        "C": best_c, "threshold": threshold, "fold_threshold": fold_t,
        "candidates": {"labelled": cov["labelled"], "proposed_now": cov["proposed_now"],
                       "missed_happenings": len(missed)},
        "train_cv": tr_cv, "dev": dev_s, "gsr_cv": gsr_cv,
        "train_cv_by_round": by_round(tr, oof_best[:n_tr]), "dev_by_round": by_round(dev, dev_p),
        "threshold_rule": rule,
        "without_fold": {"train_cv": tr_no_fold, "dev": dev_no_fold},
        "rules": {"dev": rules_dev, "gsr": rules_gsr},
        "precision_rule": precision_rule,
        "calibration_dev": calibration(dev, dev_p),
    }
    if report_test:
        test_p = [shipped.probability(e.mention.features) for e in test]
        m_test = _missed_in(missed, docs["test"])
        g = set()
        figures["test"] = strict_scores(test, simulate(test, test_p, threshold, fold, raws, sents, g), m_test, g)
        figures["test_by_round"] = by_round(test, test_p)
        figures["test_no_fold"] = strict_scores(test, [p >= threshold for p in test_p], m_test)
        figures["rules"]["test"] = strict_scores(test, [not e.mention.event.cues for e in test], m_test)
    meta = {"C": best_c, "bits": BITS, "labels": cov["labelled"], "gsr": len(gsr), "seeds": len(seeds),
            "gsr_weight": gsr_weight,
            "threshold_from": "dev strict F1 (decision + fold; the dev articles of all rounds): the highest "
                              "threshold within one bootstrap standard error of the best",
            "figures": {k: figures[k] for k in ("train_cv", "dev", "gsr_cv")}}
    types, type_acc = fit_types(tr, seeds, echo)
    subs, sub_acc = fit_subs(tr, seeds, echo)
    figures["type_accuracy_cv"] = type_acc
    figures["sub_type_accuracy_cv"] = sub_acc
    models = {"decision": to_model(clf, threshold, meta), "fold": fold, **types, **subs}
    if out is not None:
        from .model import save_models
        save_models(models, out)
    return figures


def _type_targets(exs: list[Example], seeds: list[Example]) -> list[tuple[Example, str]]:
    """(mention, its labelled type) for first tellings of ANT and the seeds' claims."""
    gold = {g["id"]: g for g in (json.loads(x) for x in open(REPO / "tests" / "gold" / "seeds.events.jsonl",
                                                              encoding="utf-8"))}
    out = [(e, e.label["type"]) for e in exs if e.label.get("real") and e.label.get("type")]
    out += [(e, gold[e.label["root"]]["type"]) for e in seeds if e.y and e.label.get("root") in gold]
    return out


def _fit_types(pairs, C: float = 1.0) -> dict[str, Model]:
    models = {}
    for t in sorted({t for _, t in pairs}):
        exs = [_FeatEx(e.mention.features, int(tt == t)) for e, tt in pairs]
        if 5 <= sum(x.y for x in exs) < len(exs):
            models["type:" + t] = to_model(fit(exs, C), TYPE_MIN, {"positives": sum(x.y for x in exs)})
    return models


def fit_types(tr: list[Example], seeds: list[Example], echo=print) -> tuple[dict[str, Model], dict]:
    """One-vs-rest type models on first tellings; accuracy by 5-fold CV against the trigger's type."""
    pairs = _type_targets(tr, seeds)
    fo = folds([e.group for e, _ in pairs], 5)
    right_rules = right_model = 0
    for k in range(5):
        ms = _fit_types([p for p, f in zip(pairs, fo) if f != k])
        for (e, t), f in zip(pairs, fo):
            if f == k:
                right_rules += e.mention.event.type == t
                right_model += retype(ms, e.mention.features, e.mention.event.type) == t
    acc = {"mentions": len(pairs), "trigger_type": round(right_rules / len(pairs), 3),
           "with_type_model": round(right_model / len(pairs), 3)}
    echo(f"  types: CV accuracy {acc['trigger_type']} (trigger's type) -> {acc['with_type_model']}")
    return _fit_types(pairs), acc


def _sub_targets(exs: list[Example], seeds: list[Example]) -> list[tuple[Example, str, str]]:
    """(mention, labelled type, labelled sub-type) for first tellings of ANT and the seeds' claims."""
    gold = {g["id"]: g for g in (json.loads(x) for x in open(REPO / "tests" / "gold" / "seeds.events.jsonl",
                                                              encoding="utf-8"))}
    out = [(e, e.label["type"], e.label["sub_type"]) for e in exs
           if e.label.get("real") and e.label.get("type") and e.label.get("sub_type")]
    out += [(e, gold[e.label["root"]]["type"], gold[e.label["root"]]["sub_type"]) for e in seeds
            if e.y and e.label.get("root") in gold and gold[e.label["root"]].get("sub_type")]
    return out


def _fit_subs(triples, typ: str, C: float = 1.0) -> dict[str, Model]:
    mine = [(e, st) for e, t, st in triples if t == typ]
    models = {}
    for st in sorted({st for _, st in mine}):
        exs = [_FeatEx(e.mention.features, int(x == st)) for e, x in mine]
        if 8 <= sum(x.y for x in exs) < len(exs):
            models[f"sub:{typ}:{st}"] = to_model(fit(exs, C), SUB_MIN, {"positives": sum(x.y for x in exs)})
    return models if len(models) >= 2 else {}


def fit_subs(tr: list[Example], seeds: list[Example], echo=print) -> tuple[dict[str, Model], dict]:
    """Per type, one-vs-rest sub-type models on its first tellings; shipped only for the
    types where they beat the rules' sub-type in 5-fold CV."""
    triples = _sub_targets(tr, seeds)
    shipped, report = {}, {}
    for typ in sorted({t for _, t, _ in triples}):
        mine = [x for x in triples if x[1] == typ]
        fo = folds([e.group for e, _, _ in mine], 5)
        rules = model = 0
        for k in range(5):
            ms = _fit_subs([x for x, f in zip(mine, fo) if f != k], typ)
            for (e, _, st), f in zip(mine, fo):
                if f == k:
                    rules += e.mention.event.sub_type == st
                    model += resubtype(ms, e.mention.features, typ, e.mention.event.sub_type) == st
        if not mine:
            continue
        report[typ] = {"mentions": len(mine), "rules": round(rules / len(mine), 3), "model": round(model / len(mine), 3)}
        if model > rules:
            shipped.update(_fit_subs(mine, typ))
    echo(f"  sub-types: CV accuracy per type (rules -> model): {report}")
    return shipped, report


def calibration(exs: list[Example], probs, bins: int = 5) -> dict:
    """Brier score and, per probability bin, the share really positive."""
    if not exs:
        return {}
    brier = sum((p - e.y) ** 2 for e, p in zip(exs, probs)) / len(exs)
    table = []
    for b in range(bins):
        lo, hi = b / bins, (b + 1) / bins
        sel = [e.y for e, p in zip(exs, probs) if lo <= p < hi or (b == bins - 1 and p == 1.0)]
        if sel:
            table.append({"bin": f"{lo:.1f}-{hi:.1f}", "n": len(sel), "positive": round(sum(sel) / len(sel), 3)})
    return {"brier": round(brier, 4), "bins": table}
