"""Span precision / recall / F1 of place recognition on two Arabic NER gold corpora.

    .venv/bin/python bench/bench_places_ner.py [--anercorp PATH] [--newsfane PATH]
                                               [--window N] [--errors N]

* ANERcorp (CAMeL Lab test split): ``token TAG`` per line, blank line between sentences,
  gold = B-LOC/I-LOC; proclitics stay attached to tokens («بالعراق» is one LOC token).
* NewsFANE Gold: ``token<TAB>TAG``, CRLF, BOM, leading LRM marks, sentence break = a
  line with a lone TAB, clitics split off («و الموصل»); gold = Population-Center,
  Nation, State-or-Province, County-or-District, Land-Region-Natural, Water-Body (a
  second line also counts Continent and GPE-Cluster).

Sentences are rebuilt by joining tokens with spaces (token offsets kept); ``find_places``
runs on each sentence (``--window N`` runs on N sentences at once, one per line, to give
it some article context); a predicted span is mapped to the tokens it overlaps and
compared with the gold token spans: *exact* (same first and last token) and *overlap*
(any shared token, one-to-one).
"""
from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from rasd.lang.normalize import normalize  # noqa: E402
from rasd.places import find_places, load_gazetteer  # noqa: E402

SHARED = ROOT.parent / "shared" / "corpora"
ANER = SHARED / "anercorp-camellab-test" / "ANERCorp_CamelLab_test.txt"
FANE = SHARED / "newsfane-gold" / "NewsFANE_Gold_2014_170K.txt"
FANE_TYPES = {"Population-Center", "Nation", "State-or-Province", "County-or-District",
              "Land-Region-Natural", "Water-Body"}
FANE_TYPES_WIDE = FANE_TYPES | {"Continent", "GPE-Cluster"}


def read_anercorp(path: Path) -> list[list[tuple[str, str]]]:
    sents, cur = [], []
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split()
        if len(parts) != 2:
            if cur:
                sents.append(cur)
                cur = []
            continue
        cur.append((parts[0], parts[1]))
    if cur:
        sents.append(cur)
    return sents


def read_newsfane(path: Path) -> list[list[tuple[str, str]]]:
    sents, cur = [], []
    with open(path, encoding="utf-8-sig", newline="") as f:
        for line in f:
            line = line.rstrip("\r\n")
            tok, _, tag = line.partition("\t")
            tok = tok.replace("\u200e", "").replace("\u200f", "").replace("\ufeff", "").strip()
            if not tok:
                if cur:
                    sents.append(cur)
                    cur = []
                continue
            cur.append((tok, tag.strip() or "O"))
    if cur:
        sents.append(cur)
    return sents


def gold_spans(sent: list[tuple[str, str]], types) -> set[tuple[int, int]]:
    """Token spans [i, j) of the entities whose type is in ``types``."""
    out = set()
    i = 0
    n = len(sent)
    while i < n:
        tag = sent[i][1]
        if tag.startswith("B-") and tag[2:] in types:
            t = tag[2:]
            j = i + 1
            while j < n and sent[j][1] == "I-" + t:
                j += 1
            out.add((i, j))
            i = j
        elif tag.startswith("I-") and tag[2:] in types and (i == 0 or sent[i - 1][1][2:] != tag[2:]):
            j = i + 1  # an I- without B-: start a span anyway
            while j < n and sent[j][1] == tag:
                j += 1
            out.add((i, j))
            i = j
        else:
            i += 1
    return out


def predict(sents: list[list[tuple[str, str]]], window: int) -> tuple[list[set], float]:
    """Predicted token spans per sentence."""
    preds: list[set] = [set() for _ in sents]
    t0 = time.perf_counter()
    for s0 in range(0, len(sents), window):
        chunk = sents[s0:s0 + window]
        parts, offs = [], []  # offs[k] = list of (start, end, sent index, token index)
        pos = 0
        for k, sent in enumerate(chunk):
            for ti, (tok, _) in enumerate(sent):
                offs.append((pos, pos + len(tok), s0 + k, ti))
                pos += len(tok) + 1
            parts.append(" ".join(t for t, _ in sent))
        text = "\n".join(parts)
        for p in find_places(normalize(text)):
            toks = [(si, ti) for a, b, si, ti in offs if a < p.end and p.start < b]
            if not toks:
                continue
            si = toks[0][0]
            tis = [ti for s, ti in toks if s == si]
            preds[si].add((min(tis), max(tis) + 1))
    return preds, time.perf_counter() - t0


def score(golds: list[set], preds: list[set]) -> dict:
    tp = fp = fn = 0
    o_p = o_g = 0
    n_pred = n_gold = 0
    for g, p in zip(golds, preds):
        tp += len(g & p)
        fp += len(p - g)
        fn += len(g - p)
        n_pred += len(p)
        n_gold += len(g)
        used = set()
        for a in sorted(p):
            hit = next((b for b in sorted(g) if b not in used and a[0] < b[1] and b[0] < a[1]), None)
            if hit is not None:
                used.add(hit)
                o_p += 1
        o_g += len(used)

    def prf(tp_p, tp_g):
        P = tp_p / n_pred if n_pred else 0.0
        R = tp_g / n_gold if n_gold else 0.0
        F = 2 * P * R / (P + R) if P + R else 0.0
        return P, R, F

    return {"exact": prf(tp, tp), "overlap": prf(o_p, o_g), "n_gold": n_gold, "n_pred": n_pred}


def errors(sents, golds, preds, n: int) -> None:
    fps, fns = Counter(), Counter()
    for sent, g, p in zip(sents, golds, preds):
        for a, b in p - g:
            fps[" ".join(t for t, _ in sent[a:b])] += 1
        for a, b in g - p:
            fns[" ".join(t for t, _ in sent[a:b])] += 1
    print("  false positives:", ", ".join(f"{k}×{v}" for k, v in fps.most_common(n)))
    print("  false negatives:", ", ".join(f"{k}×{v}" for k, v in fns.most_common(n)))


def report(name: str, sents, types_list, window: int, n_err: int) -> None:
    preds, dt = predict(sents, window)
    n_tok = sum(len(s) for s in sents)
    for label, types in types_list:
        golds = [gold_spans(s, types) for s in sents]
        r = score(golds, preds)
        (ep, er, ef), (op, orr, of) = r["exact"], r["overlap"]
        print(f"{name:<10} {label:<26} gold {r['n_gold']:>5} pred {r['n_pred']:>5}  "
              f"exact P {ep:.3f} R {er:.3f} F1 {ef:.3f}   overlap P {op:.3f} R {orr:.3f} F1 {of:.3f}")
        if n_err:
            errors(sents, golds, preds, n_err)
    print(f"{name:<10} {len(sents)} sentences, {n_tok} tokens, {dt:.2f} s "
          f"({1000 * dt / max(1, len(sents)):.2f} ms/sentence)")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--anercorp", type=Path, default=ANER)
    ap.add_argument("--newsfane", type=Path, default=FANE)
    ap.add_argument("--window", type=int, default=1, help="sentences per find_places call")
    ap.add_argument("--errors", type=int, default=0, help="print the N most frequent FP/FN")
    a = ap.parse_args(argv)
    load_gazetteer()
    print(f"window: {a.window} sentence(s) per call")
    if a.anercorp.exists():
        report("ANERcorp", read_anercorp(a.anercorp), [("LOC", {"LOC"})], a.window, a.errors)
    else:
        print(f"ANERcorp: {a.anercorp} not found")
    if a.newsfane.exists():
        report("NewsFANE", read_newsfane(a.newsfane),
               [("GPE/LOC types", FANE_TYPES), ("+Continent,GPE-Cluster", FANE_TYPES_WIDE)],
               a.window, a.errors)
    else:
        print(f"NewsFANE: {a.newsfane} not found")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
