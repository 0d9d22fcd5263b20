"""Dedup: exact and near-duplicate articles across everything in the store.

* Exact: the sha1 of the normalised body (``Article.text_hash``).
* Near: MinHash (128 permutations) over word 3-gram shingles of the normalised body,
  candidates from MinHash LSH (25 bands of 5 rows), each candidate then verified on the
  real shingle sets.

The MinHash is datasketch's ``affine32`` scheme (2.0) bit for bit — the same permutations
from the same seed, the same MurmurHash3 pre-mix — so signatures stored by earlier
versions stay valid (tests/test_dedup.py compares the two). It is written out here
because importing datasketch imports scipy (0.8 s of a 1.1 s start-up) for a parameter
search that gives the same 25 × 5 bands every time.

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

NUM_PERM = 128
LSH_THRESHOLD = 0.5
JACCARD = 0.6
CONTAINMENT = 0.8
MIN_SHINGLES = 20
SHINGLE = 3
# datasketch 2's permutation scheme; signatures in a store are only comparable within one
# scheme and one shingle hashing: change either and PIPELINE_VERSION must change too
SCHEME = "affine32"
SEED = 1
# LSH bands × rows: the pair that datasketch's MinHashLSH(threshold=0.5, num_perm=128)
# chooses by minimising false positive + false negative probability (equal weights); a
# pair of Jaccard s becomes a candidate with probability 1 - (1 - s^5)^25 (0.55 at 0.5,
# 0.88 at 0.6, 0.999 at 0.8).
BANDS, ROWS = 25, 5

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
    h = np.array(list(map(zlib.crc32, map(str.encode, ws))), dtype=np.uint64)   # str.encode: UTF-8
    if len(ws) < k:
        acc = np.uint64(0)
        for x in h:
            acc = (acc * _P1 + x) & _MASK
        return np.array([acc], dtype=np.uint64)
    acc = h[: len(h) - k + 1].copy()
    for i in range(1, k):
        acc = (acc * (_P1 if i == 1 else _P2) + h[i: len(h) - k + 1 + i]) & _MASK
    return _sorted_unique(acc)


def _sorted_unique(a: np.ndarray) -> np.ndarray:
    """``np.unique(a)`` (sorted, each value once) by a sort and a mask: numpy 2's
    ``unique`` costs some 200 µs on a page's few hundred shingles, this 40."""
    a = np.sort(a)
    if len(a) > 1:
        a = a[np.concatenate(([True], a[1:] != a[:-1]))]
    return a


def _permutations(num_perm: int = NUM_PERM, seed: int = SEED) -> tuple[np.ndarray, np.ndarray]:
    """The affine permutations h → a·h + b (mod 2³², a odd) of datasketch's affine32."""
    gen = np.random.RandomState(seed)
    a = gen.randint(0, 1 << 31, num_perm, dtype=np.uint32) * np.uint32(2) + np.uint32(1)
    b = gen.randint(0, 1 << 32, num_perm, dtype=np.uint32)
    return a, b


# made once per process, not once per article
_A, _B = _permutations()
_EMPTY_SIG = np.full(NUM_PERM, 0xFFFFFFFF, dtype=np.uint32)
_CHUNK = 4096   # shingles per block: bounds the (block × NUM_PERM) temporary to 2 MB


def _fmix32(h: np.ndarray) -> np.ndarray:
    """MurmurHash3's 32-bit finalizer (a bijection that spreads structured inputs)."""
    h = h ^ (h >> np.uint32(16))
    h = h * np.uint32(0x85EBCA6B)
    h = h ^ (h >> np.uint32(13))
    h = h * np.uint32(0xC2B2AE35)
    return h ^ (h >> np.uint32(16))


def signature(sh: np.ndarray) -> np.ndarray:
    """MinHash signature (``NUM_PERM`` uint32 values) of a shingle-hash array."""
    if not len(sh):
        return _EMPTY_SIG.copy()
    hv = _fmix32(sh.astype(np.uint32))
    out = _EMPTY_SIG.copy()
    for i in range(0, len(hv), _CHUNK):
        block = hv[i:i + _CHUNK, None] * _A + _B      # uint32: wraps, i.e. mod 2^32
        np.minimum(out, block.min(axis=0), out=out)
    return out


class MinHashLSH:
    """Banded LSH over MinHash signatures: two signatures are candidates when they agree
    on all ``ROWS`` values of at least one of ``BANDS`` bands. Keys come back in the
    order they were inserted, so ties are broken the same way in every run."""

    def __init__(self) -> None:
        self.tables: list[dict[bytes, list[str]]] = [{} for _ in range(BANDS)]
        self.order: dict[str, int] = {}

    def __contains__(self, key: str) -> bool:
        return key in self.order

    def __len__(self) -> int:
        return len(self.order)

    @staticmethod
    def _bands(hv: np.ndarray) -> list[bytes]:
        hv = np.ascontiguousarray(hv, dtype="<u4")
        return [hv[i * ROWS:(i + 1) * ROWS].tobytes() for i in range(BANDS)]

    def insert(self, key: str, hv: np.ndarray) -> None:
        if key in self.order:
            return
        self.order[key] = len(self.order)
        for table, band in zip(self.tables, self._bands(hv)):
            table.setdefault(band, []).append(key)

    def query(self, hv: np.ndarray) -> list[str]:
        found: set[str] = set()
        for table, band in zip(self.tables, self._bands(hv)):
            keys = table.get(band)
            if keys:
                found.update(keys)
        return sorted(found, key=self.order.__getitem__)


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
        self.lsh = MinHashLSH()
        self.by_hash: dict[str, Known] = {}
        self.known: dict[str, Known] = {}
        self.text_of = text_of

    def add(self, art_id: str, cluster: str, text_hash: str, hv: np.ndarray | None) -> None:
        k = Known(art_id, cluster)
        self.known[art_id] = k
        self.by_hash.setdefault(text_hash, k)
        if hv is not None and art_id not in self.lsh:
            self.lsh.insert(art_id, hv)

    def find(self, text_hash: str, norm_text: str, hv: np.ndarray | None,
             sh: np.ndarray | None = None) -> Known | None:
        """The first-seen article this one duplicates, if any."""
        if text_hash in self.by_hash:
            return self.by_hash[text_hash]
        if hv is None:
            return None
        sh = sh if sh is not None else shingles(norm_text)
        best: tuple[float, str] | None = None
        for cand in self.lsh.query(hv):
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
