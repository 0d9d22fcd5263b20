"""An article's readable blocks (title, paragraphs) with a map back to raw offsets.

The API shows each paragraph as plain text: for a text document that is
``raw[start:end]`` itself; for an HTML document it is the visible text of the markup
(as ``rasd.clean.article_lines`` gives it), with, for every character, the raw span it
was read from. Highlights (evidence, a speaker, search hits) are given both ways: offsets
into the block's text, which the page marks, and raw offsets into the document, which
round-trip (``raw[raw_start:raw_end]``).
"""
from __future__ import annotations

import json
from bisect import bisect_left
from dataclasses import dataclass

from ..clean import _html_view


@dataclass(slots=True)
class Block:
    """A title or a paragraph: its text and where each character stands in raw."""

    kind: str                       # "title" | "paragraph"
    index: int                      # paragraph number (0-based); -1 for the title
    start: int | None               # raw span of the block (None: not located in raw)
    end: int | None
    text: str
    starts: list[int] | None = None  # raw start of each character (HTML); None: identity
    ends: list[int] | None = None

    @property
    def key(self):
        return "title" if self.kind == "title" else self.index

    def raw_span(self, a: int, b: int) -> tuple[int, int] | None:
        """Raw span of the block's text ``[a, b)``."""
        if self.start is None or b <= a:
            return None
        if self.starts is None:
            return self.start + a, self.start + b
        return self.starts[a], self.ends[b - 1]

    def local_span(self, raw_start: int, raw_end: int) -> tuple[int, int] | None:
        """The part of the block's text read from raw ``[raw_start, raw_end)``, if any."""
        if self.start is None or raw_end <= self.start or raw_start >= self.end or raw_end <= raw_start:
            return None
        if self.starts is None:
            return max(raw_start, self.start) - self.start, min(raw_end, self.end) - self.start
        a = bisect_left(self.starts, raw_start)     # first character read at or after raw_start
        b = bisect_left(self.starts, raw_end)       # ... up to the last one read before raw_end
        return (a, b) if a < b else None

    def highlight(self, a: int, b: int, kind: str) -> dict:
        h = {"block": self.key, "start": a, "end": b, "text": self.text[a:b], "kind": kind}
        rs = self.raw_span(a, b)
        h["raw_start"], h["raw_end"] = rs if rs else (None, None)
        return h

    def as_dict(self) -> dict:
        return {"index": self.index, "start": self.start, "end": self.end, "text": self.text}


def _html_block(view, kind: str, index: int, start: int, end: int) -> Block:
    i = bisect_left(view.starts, start)
    j = bisect_left(view.starts, end)
    out: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    pending_space = None
    for k in range(i, j):
        ch = view.text[k]
        if ch.isspace():
            if out and pending_space is None:
                pending_space = k
            continue
        if pending_space is not None:
            out.append(" ")
            starts.append(view.starts[pending_space])
            ends.append(view.ends[pending_space])
            pending_space = None
        out.append(ch)
        starts.append(view.starts[k])
        ends.append(view.ends[k])
    return Block(kind, index, start, end, "".join(out), starts, ends)


def article_blocks(raw: str, kind: str, row) -> tuple[Block | None, list[Block]]:
    """(title block, paragraph blocks) of an ``articles`` row over its document's raw text."""
    paras = json.loads(row["paragraphs"])
    title = row["title"]
    ts, te = row["title_start"], row["title_end"]
    if kind == "html":
        view = _html_view(raw)
        blocks = [_html_block(view, "paragraph", i, s, e) for i, (s, e) in enumerate(paras)]
        tb = _html_block(view, "title", -1, ts, te) if ts is not None else None
    else:
        blocks = [Block("paragraph", i, s, e, raw[s:e]) for i, (s, e) in enumerate(paras)]
        tb = Block("title", -1, ts, te, raw[ts:te]) if ts is not None else None
    if title is not None and (tb is None or " ".join(tb.text.split()) != " ".join(title.split())):
        tb = Block("title", -1, None, None, title)     # a title from metadata: not in raw
    return tb, blocks


def highlights_for_span(blocks: list[Block], raw_start: int, raw_end: int, kind: str) -> list[dict]:
    """Where raw ``[raw_start, raw_end)`` shows in the blocks (one piece per block it touches)."""
    out = []
    for b in blocks:
        span = b.local_span(raw_start, raw_end)
        if span:
            out.append(b.highlight(*span, kind))
    return out
