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

from dataclasses import dataclass, field
from typing import Any, Iterable

from .normalize import NormText, norm_key
from .tokenize import stems, words


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

    def __init__(self, *, clitics: bool = True) -> None:
        self._root = _Node()
        self.clitics = clitics
        self.size = 0

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

    def find(self, nt: NormText, *, overlapping: bool = False, start: int = 0,
             end: int | None = None) -> list[Match]:
        """All matches in ``nt.text[start:end]``, leftmost-longest unless ``overlapping``."""
        text = nt.text if end is None else nt.text[:end]
        ws = [w for w in words(text) if w.start >= start]
        out: list[Match] = []
        root = self._root
        i = 0
        n = len(ws)
        while i < n:
            best: Match | None = None
            first = ws[i]
            readings = stems(first.text) if self.clitics else [(0, first.text)]
            for plen, form in readings:
                node = root.children.get(form)
                if node is None:
                    continue
                j = i
                last = (j, node) if node.payloads else None
                while j + 1 < n and node.children:
                    nxt = ws[j + 1]
                    # words of one phrase are separated by blanks only (no punctuation)
                    gap = text[ws[j].end:nxt.start]
                    if gap.strip() or "\n" in gap:
                        break
                    node = node.children.get(nxt.text)
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
                    a, b = nt.raw_span(ns, ne)
                    best = Match(a, b, nt.raw[a:b], node.key or "", list(node.payloads or []),
                                 first.text[:plen], i, j + 1, ns, ne)
            if best is not None:
                out.append(best)
                i = i + 1 if overlapping else best.word_end
            else:
                i += 1
        return out
