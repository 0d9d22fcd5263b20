"""Dictionary matching of (multi-word) phrases over normalised Arabic text.

One matcher serves every lexicon (gazetteer names, actor aliases, trigger words): a
phrase is normalised with :func:`norm_key` and split into words; text is matched word by
word, the first word of a match may carry proclitics («وبالموصل» matches ``الموصل``),
and the longest phrase wins. Matches come back with raw offsets of the phrase *without*
its proclitics, so ``raw[start:end]`` is the name as the dictionary knows it.

    m = PhraseMatcher()
    m.add("دير الزور", payload)
    for hit in m.find(normalize(raw)):
        hit.start, hit.end, hit.payloads   # raw offsets, all payloads of that phrase
"""
from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Iterable

import os
import threading

from .normalize import NormText, norm_key
from .tokenize import stems, words


def lexicon_files(packaged, env: str, extra_path: str | os.PathLike | None = None) -> tuple[str, ...]:
    """The files of a user-extensible lexicon, in the order they apply: the packaged data
    file, then the files named in environment variable ``env`` (os.pathsep-separated),
    then ``extra_path``."""
    files = [str(packaged)]
    files += [p for p in os.environ.get(env, "").split(os.pathsep) if p.strip()]
    if extra_path:
        files.append(str(extra_path))
    return tuple(files)


def _start_of(w) -> int:
    return w.start


def _end_after(w) -> int:
    return w.end + 1


# pronoun suffixes, longest first (normalised: ة→ه, so «ها» and «هم» stand as written)
_SUFFIXES = ("هما", "هم", "هن", "ها", "كم", "نا", "ه")


@dataclass(slots=True)
class Match:
    start: int                 # raw offsets of the matched phrase (clitics excluded)
    end: int
    text: str                  # raw[start:end]
    key: str                   # normalised phrase as stored
    payloads: list[Any]
    prefix: str = ""           # the normalised proclitics that were taken off
    word_start: int = 0        # index of the first / one past the last word matched
    word_end: int = 0
    norm_start: int = 0        # offsets into the normalised text
    norm_end: int = 0


@dataclass(slots=True)
class _Node:
    children: dict[str, "_Node"] = field(default_factory=dict)
    payloads: list[Any] | None = None
    key: str | None = None


class PhraseMatcher:
    """A word trie of normalised phrases; see the module doc."""

    def __init__(self, *, clitics: bool = True, suffixes: bool = False, shared: bool = True) -> None:
        self._root = _Node()
        self.clitics = clitics
        self.suffixes = suffixes     # also match a word with a pronoun suffix («وصولهم», «اعتقاله»)
        self.size = 0
        # a shared (long-lived) lexicon puts its first words into the process-wide set of
        # forms that texts index; a matcher made for one text only (shared=False) scans
        # the text's words itself instead, so that it does not reset that index
        self.shared = shared
        self._registered = -1

    def add(self, phrase: str, payload: Any = None) -> None:
        key = norm_key(phrase)
        parts = words(key)
        if not parts:
            return
        node = self._root
        for w in parts:
            node = node.children.setdefault(w.text, _Node())
        if node.payloads is None:
            node.payloads = []
            node.key = " ".join(w.text for w in parts)
            self.size += 1
        if payload not in node.payloads:
            node.payloads.append(payload)

    def update(self, items: Iterable[tuple[str, Any]]) -> None:
        for phrase, payload in items:
            self.add(phrase, payload)

    def get(self, phrase: str) -> list[Any]:
        node = self._root
        for w in words(norm_key(phrase)):
            node = node.children.get(w.text)
            if node is None:
                return []
        return list(node.payloads or [])

    def __contains__(self, phrase: str) -> bool:
        return bool(self.get(phrase))

    def _starts(self, nt: NormText) -> tuple[list[int], dict[int, list[tuple[int, str]]]]:
        """The words of ``nt`` whose reading starts a phrase of this lexicon: (their sorted
        indices, index → [(clitic prefix length, form)]). Computed once per text and
        matcher, kept on the text, so that matching sentence by sentence costs no more
        than one pass over the document."""
        cache = nt.indexes
        got = cache.get(self)
        if got is not None:
            return got
        children = self._root.children
        # every first word of the lexicon, as a set (a lazily grown trie gives its own)
        firsts = children.all_keys() if hasattr(children, "all_keys") else children.keys()
        if self.shared:
            if len(firsts) != self._registered:
                _register(firsts)
                self._registered = len(firsts)
            indexes = [_reading_index(nt, self.clitics)]
            if self.suffixes and self.clitics:
                indexes.append(_suffix_index(nt))
        else:
            indexes = _scan(nt, firsts, self.clitics, self.suffixes)
        # readings as written or with proclitics off come before suffix readings (on a
        # tie of length the first wins: «نقلهم» the verb before «نقل» + هم the noun);
        # within each, a fixed order so that ties go the same way in every process
        starts: dict[int, list[tuple[int, str]]] = {}
        for index, pos in indexes:
            more: dict[int, list[tuple[int, str]]] = {}
            for form in index.keys() & firsts:
                for key, plen in index[form]:
                    for i in pos[key]:
                        lst = more.get(i)
                        if lst is None:
                            more[i] = [(plen, form)]
                        else:
                            lst.append((plen, form))
            for i, lst in more.items():
                lst.sort()
                starts.setdefault(i, []).extend(lst)
        got = cache[self] = (sorted(starts), starts)
        return got

    def find(self, nt: NormText, *, overlapping: bool = False, start: int = 0,
             end: int | None = None) -> list[Match]:
        """All matches in ``nt.text[start:end]``, leftmost-longest unless ``overlapping``."""
        order, starts = self._starts(nt)
        if not order:
            return []
        text = nt.text
        ws = words(nt)
        lo = bisect_left(ws, start, key=_start_of) if start else 0
        hi = bisect_left(ws, end, key=_end_after) if end is not None else len(ws)
        if end is not None:
            while hi > lo and ws[hi - 1].end > end:
                hi -= 1
        children = self._root.children
        plain = not nt._bp and nt._full is None       # raw offsets are the normalised ones
        out: list[Match] = []
        nxt_free = lo
        k0 = bisect_left(order, lo) if lo else 0
        k1 = bisect_left(order, hi, lo=k0)
        for i in order[k0:k1]:
            if i < nxt_free:
                continue
            best: Match | None = None
            first = ws[i]
            for plen, form in starts[i]:
                node = children[form]
                j = i
                last = (j, node) if node.payloads else None
                while j + 1 < hi and node.children:
                    nw = ws[j + 1]
                    # words of one phrase are separated by blanks only (no punctuation)
                    gap = text[ws[j].end:nw.start]
                    if gap.strip() or "\n" in gap:
                        break
                    node = node.children.get(nw.text)
                    if node is None:
                        break
                    j += 1
                    if node.payloads:
                        last = (j, node)
                if last is None:
                    continue
                j, node = last
                ns = first.start + plen
                ne = ws[j].end
                if best is None or ne - ns > best.norm_end - best.norm_start:
                    a, b = (ns, ne) if plain else nt.raw_span(ns, ne)
                    best = Match(a, b, nt.raw[a:b], node.key or "", list(node.payloads or []),
                                 first.text[:plen], i, j + 1, ns, ne)
            if best is not None:
                out.append(best)
                nxt_free = i + 1 if overlapping else best.word_end
        return out


# ---- the per-text reading indexes
#
# A text is indexed once (its words, each read with and without proclitics and pronoun
# suffixes), and every lexicon then takes the readings that start one of its phrases by
# one set intersection. Only readings that start a phrase of *some* shared lexicon are
# indexed (about a third of them in news): _KNOWN is that set of first words, and
# _RELEVANT caches per word which of its readings are in it. When a new lexicon adds
# first words, the version changes and both start afresh.

_KNOWN: set[str] = set()
_VERSION = 0
_RELEVANT: dict[str, tuple[tuple[int, str], ...]] = {}
_SUFFIX_RELEVANT: dict[str, bool] = {}     # word → whether a suffix reading of it is known
_LOCK = threading.Lock()
_RELEVANT_MAX = 300_000


def _register(firsts) -> None:
    global _VERSION, _RELEVANT, _SUFFIX_RELEVANT
    with _LOCK:
        new = set(firsts) - _KNOWN
        if new:
            _KNOWN.update(new)
            _VERSION += 1
            _RELEVANT = {}
            _SUFFIX_RELEVANT = {}


def word_positions(nt: NormText) -> dict[str, list[int]]:
    """word → its indices in ``nt`` (kept on the text)."""
    cache = nt.indexes
    pos = cache.get("pos")
    if pos is None:
        pos = cache["pos"] = {}
        for i, w in enumerate(words(nt)):
            lst = pos.get(w[0])
            if lst is None:
                pos[w[0]] = [i]
            else:
                lst.append(i)
    return pos


def _reading_index(nt: NormText, clitics: bool) -> tuple[dict[str, list[tuple[str, int]]], dict[str, list[int]]]:
    """(form → [(word, clitic prefix length)], word → [its indices in ``nt``]) for the
    readings of the distinct words of ``nt`` (with proclitics taken off, or as written)
    that start a phrase of some shared lexicon; built once per text, kept on it."""
    cache = nt.indexes
    version, known, relevant = _VERSION, _KNOWN, _RELEVANT
    ck = (clitics, version)
    got = cache.get(ck)
    if got is not None:
        return got
    pos = word_positions(nt)
    idx: dict[str, list[tuple[str, int]]] = {}
    for text in pos:
        if clitics:
            rs = relevant.get(text)
            if rs is None:
                rs = tuple(r for r in stems(text) if r[1] in known)
                if len(relevant) < _RELEVANT_MAX:
                    relevant[text] = rs
        else:
            rs = ((0, text),) if text in known else ()
        for plen, form in rs:
            lst = idx.get(form)
            if lst is None:
                idx[form] = [(text, plen)]
            else:
                lst.append((text, plen))
    got = cache[ck] = (idx, pos)
    return got


@lru_cache(maxsize=100_000)
def _suffix_readings(word: str, ta_marbuta: bool) -> tuple[tuple[str, int], ...]:
    """(stem, clitic prefix length) of the readings of ``word`` without a pronoun suffix."""
    out = []
    for plen, form in stems(word):
        for suf in _SUFFIXES:
            if form.endswith(suf) and len(form) - len(suf) >= 3 and not (suf == "ه" and ta_marbuta):
                stem = form[:-len(suf)]
                out.append((stem, plen))
                if stem.endswith("ت"):  # a feminine noun's ة shows as ت: «عودتهم» → «عوده»
                    out.append((stem[:-1] + "ه", plen))
    return tuple(out)


def _suffix_positions(nt: NormText, keep, memo: dict[str, bool] | None = None) -> dict[tuple[str, bool], list[int]]:
    """(word, whether its final ه is a folded ة) → indices, for the words that may carry
    a pronoun suffix whose stem is in ``keep`` (``memo``: that answer per word, kept by
    the caller)."""
    raw = nt.raw
    ws = words(nt)
    pos: dict[tuple[str, bool], list[int]] = {}
    for t, idxs in word_positions(nt).items():
        if t[-1] not in "همنا" or len(t) < 4:
            continue
        ok = memo.get(t) if memo is not None else None
        if ok is None:
            # the readings with a final ه as a pronoun include those without it
            ok = any(stem in keep for stem, _ in _suffix_readings(t, False))
            if memo is not None and len(memo) < _RELEVANT_MAX:
                memo[t] = ok
        if not ok:
            continue
        for i in idxs:
            # a final ه may be a folded ة (not a pronoun): ask the raw text
            key = (t, t[-1] == "ه" and raw[nt.raw_index(ws[i][2] - 1)] == "ة")
            lst = pos.get(key)
            if lst is None:
                pos[key] = [i]
            else:
                lst.append(i)
    return pos


def _suffix_index(nt: NormText) -> tuple[dict[str, list[tuple[tuple[str, bool], int]]], dict[tuple[str, bool], list[int]]]:
    """The extra readings of words that carry a pronoun suffix («وصولهم» → «وصول»), in the
    form of :func:`_reading_index`."""
    cache = nt.indexes
    known, ck, memo = _KNOWN, ("suffix", _VERSION), _SUFFIX_RELEVANT
    got = cache.get(ck)
    if got is not None:
        return got
    pos = _suffix_positions(nt, known, memo)
    got = cache[ck] = (_suffix_readings_in(pos, known), pos)
    return got


def _suffix_readings_in(pos: dict[tuple[str, bool], list[int]], keep) -> dict[str, list[tuple[tuple[str, bool], int]]]:
    """stem → [(word key, clitic prefix length)] for the suffix readings in ``keep``."""
    idx: dict[str, list[tuple[tuple[str, bool], int]]] = {}
    for key in pos:
        for stem, plen in _suffix_readings(*key):
            if stem in keep:
                idx.setdefault(stem, []).append((key, plen))
    return idx


def _scan(nt: NormText, firsts, clitics: bool, suffixes: bool) -> list[tuple[dict, dict]]:
    """The indexes of :func:`_reading_index` (and :func:`_suffix_index`) restricted to
    ``firsts``, by a scan of the distinct words: for a matcher of one text only."""
    pos = word_positions(nt)
    idx: dict[str, list[tuple[str, int]]] = {}
    # proclitics come off the front: a word can only be read as a first word it ends with
    # (or, for «لل» → «ال», ends with that word less its alef)
    tails = tuple({*firsts, *(f[1:] for f in firsts if f.startswith("ال"))})
    for text in pos:
        if not text.endswith(tails):
            continue
        for plen, form in (stems(text) if clitics else ((0, text),)):
            if form in firsts:
                idx.setdefault(form, []).append((text, plen))
    out = [(idx, pos)]
    if suffixes and clitics:
        spos = _suffix_positions(nt, firsts)
        out.append((_suffix_readings_in(spos, firsts), spos))
    return out
