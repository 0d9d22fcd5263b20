"""Dedup: exact and near-duplicate articles across everything in the store.

* Exact: the sha1 of the normalised body (``Article.text_hash``).
* Near: MinHash (datasketch, 128 permutations) over word 3-gram shingles of the
  normalised body, candidates from MinHash LSH, each candidate then verified on the real
  shingle sets.

Thresholds, and why. A re-publication differs from its original by a headline (not part
of the body), an edited or added sentence, a dropped closing paragraph. On word 3-grams
one changed sentence in a 200-word article costs about 10-15 % of the shingles, so such
copies keep a Jaccard similarity of 0.75-0.9; two different outlets writing up the same
happening share names and phrases but few 3-word sequences (below 0.2 on the ANT corpus:
see bench/bench_process.py, which prints the distribution). We call a pair duplicates when
Jaccard ≥ ``JACCARD`` (0.6) — between the two with room for heavier edits — or when one
article is mostly contained in the other (containment ≥ ``CONTAINMENT``, 0.8, for a
truncated re-publication), with at least ``MIN_SHINGLES`` shingles so that two one-line
briefs do not collapse. LSH runs at 0.5 so that pairs near the threshold are still
candidates (false candidates cost only a verification).
"""
from __future__ import annotations

import re
import zlib
from dataclasses import dataclass
from typing import Iterable

import numpy as np
from datasketch import MinHash, MinHashLSH

NUM_PERM = 128
LSH_THRESHOLD = 0.5
JACCARD = 0.6
CONTAINMENT = 0.8
MIN_SHINGLES = 20
SHINGLE = 3
# datasketch 2 permutation scheme; signatures in a store are only comparable within one scheme
SCHEME = "affine32"

_WORD = re.compile(r"[^\W_]+")


def shingles(norm_text: str, k: int = SHINGLE) -> set[str]:
    """Word k-grams of normalised text; short texts give their whole word sequence."""
    ws = _WORD.findall(norm_text)
    if len(ws) < k:
        return {" ".join(ws)} if ws else set()
    return {" ".join(ws[i:i + k]) for i in range(len(ws) - k + 1)}


# Shingles are hashed with CRC-32 (fast, in C, and stable across processes, unlike
# Python's hash()); the permutations are made once per process, not once per article.
_PERMUTATIONS = MinHash(num_perm=NUM_PERM, scheme=SCHEME).permutations


def signature(sh: Iterable[str]) -> np.ndarray:
    m = MinHash(num_perm=NUM_PERM, scheme=SCHEME, hashfunc=zlib.crc32, permutations=_PERMUTATIONS)
    m.update_batch([s.encode("utf-8") for s in sh])
    return m.hashvalues


def to_minhash(hv: np.ndarray) -> MinHash:
    return MinHash(num_perm=NUM_PERM, hashvalues=hv, scheme=SCHEME, permutations=_PERMUTATIONS)


def similar(a: set[str], b: set[str]) -> tuple[float, float]:
    """(Jaccard, containment of the smaller in the larger)."""
    if not a or not b:
        return 0.0, 0.0
    inter = len(a & b)
    return inter / len(a | b), inter / min(len(a), len(b))


def is_duplicate(a: set[str], b: set[str]) -> bool:
    if min(len(a), len(b)) < MIN_SHINGLES:
        return a == b and bool(a)
    j, c = similar(a, b)
    return j >= JACCARD or c >= CONTAINMENT


@dataclass(slots=True)
class Known:
    """What the index remembers of an article it has seen."""

    id: str
    cluster: str


class DedupIndex:
    """Exact-hash map and MinHash LSH over every article seen, in the order seen.

    ``text_of`` gives the normalised body of a known article (for verification); the
    store passes a function that reads it, so nothing is held twice in memory.
    """

    def __init__(self, text_of) -> None:
        self.lsh = MinHashLSH(threshold=LSH_THRESHOLD, num_perm=NUM_PERM)
        self.by_hash: dict[str, Known] = {}
        self.known: dict[str, Known] = {}
        self.text_of = text_of

    def add(self, art_id: str, cluster: str, text_hash: str, hv: np.ndarray | None) -> None:
        k = Known(art_id, cluster)
        self.known[art_id] = k
        self.by_hash.setdefault(text_hash, k)
        if hv is not None and art_id not in self.lsh:
            self.lsh.insert(art_id, to_minhash(hv))

    def find(self, text_hash: str, norm_text: str, hv: np.ndarray | None,
             sh: set[str] | None = None) -> Known | None:
        """The first-seen article this one duplicates, if any."""
        if text_hash in self.by_hash:
            return self.by_hash[text_hash]
        if hv is None:
            return None
        sh = sh if sh is not None else shingles(norm_text)
        best: tuple[float, str] | None = None
        for cand in self.lsh.query(to_minhash(hv)):
            other = self.text_of(cand)
            if other is None:
                continue
            osh = shingles(other)
            if is_duplicate(sh, osh):
                j, _ = similar(sh, osh)
                if best is None or j > best[0]:
                    best = (j, cand)
        if best is None:
            return None
        k = self.known[best[1]]
        return self.known.get(k.cluster, k)
