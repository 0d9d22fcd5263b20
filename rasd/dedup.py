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

import numpy as np
from datasketch import MinHash, MinHashLSH

NUM_PERM = 128
LSH_THRESHOLD = 0.5
JACCARD = 0.6
CONTAINMENT = 0.8
MIN_SHINGLES = 20
SHINGLE = 3
# datasketch 2 permutation scheme; signatures in a store are only comparable within one
# scheme and one shingle hashing: change either and PIPELINE_VERSION must change too
SCHEME = "affine32"

_WORD = re.compile(r"[^\W_]+")


_EMPTY = np.zeros(0, dtype=np.uint64)
_MASK = np.uint64(0xFFFFFFFF)
_P1, _P2 = np.uint64(0x9E3779B1), np.uint64(0x85EBCA77)


def shingles(norm_text: str, k: int = SHINGLE) -> np.ndarray:
    """Hashes of the word k-grams (k = 3) of normalised text: a sorted array of unique
    32-bit values. Each word is hashed once (CRC-32: fast, in C, and stable across
    processes, unlike Python's ``hash()``); k-gram hashes combine the word hashes with
    numpy. A text shorter than k words gives one hash of its whole word sequence."""
    ws = _WORD.findall(norm_text)
    if not ws:
        return _EMPTY
    h = np.fromiter((zlib.crc32(w.encode("utf-8")) for w in ws), dtype=np.uint64, count=len(ws))
    if len(ws) < k:
        acc = np.uint64(0)
        for x in h:
            acc = (acc * _P1 + x) & _MASK
        return np.array([acc], dtype=np.uint64)
    acc = h[: len(h) - k + 1].copy()
    for i in range(1, k):
        acc = (acc * (_P1 if i == 1 else _P2) + h[i: len(h) - k + 1 + i]) & _MASK
    return np.unique(acc)


# The permutations are made once per process, not once per article.
_PERMUTATIONS = MinHash(num_perm=NUM_PERM, scheme=SCHEME).permutations


def signature(sh: np.ndarray) -> np.ndarray:
    """MinHash signature (``NUM_PERM`` values) of a shingle-hash array."""
    m = MinHash(num_perm=NUM_PERM, scheme=SCHEME, hashfunc=int, permutations=_PERMUTATIONS)
    m.update_batch(sh.tolist())
    return m.hashvalues


def to_minhash(hv: np.ndarray) -> MinHash:
    return MinHash(num_perm=NUM_PERM, hashvalues=hv, scheme=SCHEME, permutations=_PERMUTATIONS)


def similar(a: np.ndarray, b: np.ndarray) -> tuple[float, float]:
    """(Jaccard, containment of the smaller in the larger) of two shingle-hash arrays."""
    if not len(a) or not len(b):
        return 0.0, 0.0
    inter = len(np.intersect1d(a, b, assume_unique=True))
    return inter / (len(a) + len(b) - inter), inter / min(len(a), len(b))


def is_duplicate(a: np.ndarray, b: np.ndarray) -> bool:
    if min(len(a), len(b)) < MIN_SHINGLES:
        return len(a) > 0 and np.array_equal(a, b)
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
             sh: np.ndarray | None = None) -> Known | None:
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
