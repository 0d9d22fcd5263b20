"""Evaluate: score exports against gold annotations (``rasd eval``).

Articles gold (one line per gold article): ``file``, ``key``, ``body`` (1-based line
numbers of body paragraphs), ``boilerplate`` (lines that must not be kept),
``headings`` (crossheads: may be kept or not), ``duplicate_of`` (key of the gold
article this one copies).

Measures:

* ``body_recall``: share of gold body lines covered by some exported paragraph;
* ``boilerplate_leak``: share of gold boilerplate lines covered by some paragraph;
* ``articles_split_right``: gold articles whose whole body is in one exported article
  (crossheads aside) that holds no body line of another gold article;
* ``duplicates_linked``: gold duplicate pairs whose exported articles are linked by
  ``duplicate_of`` or share a ``dedup_cluster``.
"""
from __future__ import annotations

import json
from bisect import bisect_right
from pathlib import Path


def load_jsonl(path: str | Path) -> list[dict]:
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


class _LineIndex:
    """Which 1-based lines of a text a character span touches."""

    def __init__(self, text: str) -> None:
        self.starts = [0] + [i + 1 for i, c in enumerate(text) if c == "\n"]
        self.n = len(text)

    def lines(self, start: int, end: int) -> set[int]:
        if end <= start:
            return set()
        first = bisect_right(self.starts, start)
        last = bisect_right(self.starts, end - 1)
        return set(range(first, last + 1))


def score_articles(gold: list[dict], preds: list[dict], raw_dir: str | Path) -> dict:
    files = {g["file"] for g in gold}
    index = {f: _LineIndex(Path(raw_dir, f).read_text(encoding="utf-8")) for f in files}
    pred_lines: dict[str, set[int]] = {}
    by_doc: dict[str, list[dict]] = {}
    for p in preds:
        if p.get("doc") not in index:
            continue
        ls: set[int] = set()
        for par in p.get("paragraphs") or []:
            ls |= index[p["doc"]].lines(par["start"], par["end"])
        pred_lines[p["id"]] = ls
        by_doc.setdefault(p["doc"], []).append(p)

    kept: dict[str, set[int]] = {}
    for doc, ps in by_doc.items():
        kept[doc] = set().union(*(pred_lines[p["id"]] for p in ps))
    body = sum(len(g["body"]) for g in gold)
    body_hit = sum(len(set(g["body"]) & kept.get(g["file"], set())) for g in gold)
    boiler = sum(len(g["boilerplate"]) for g in gold)
    leak = sum(len(set(g["boilerplate"]) & kept.get(g["file"], set())) for g in gold)

    def owner(g: dict) -> dict | None:
        """The exported article holding most of this gold article's body."""
        best, best_n = None, 0
        for p in by_doc.get(g["file"], []):
            n = len(set(g["body"]) & pred_lines[p["id"]])
            if n > best_n:
                best, best_n = p, n
        return best

    owners = {g["key"]: owner(g) for g in gold}
    split_ok = 0
    for g in gold:
        o = owners[g["key"]]
        if o is None:
            continue
        mine = pred_lines[o["id"]]
        whole = set(g["body"]) <= mine | set(g.get("headings") or [])
        foreign = any(set(k["body"]) & mine for k in gold if k["file"] == g["file"] and k is not g)
        split_ok += whole and not foreign

    dup_total = dup_ok = 0
    for g in gold:
        if not g.get("duplicate_of"):
            continue
        dup_total += 1
        a, b = owners[g["key"]], owners.get(g["duplicate_of"])
        if a and b and (a.get("duplicate_of") == b["id"] or
                        (a.get("dedup_cluster") and a.get("dedup_cluster") == b.get("dedup_cluster"))):
            dup_ok += 1
    return {
        "body_recall": round(body_hit / body, 3) if body else None,
        "boilerplate_leak": round(leak / boiler, 3) if boiler else None,
        "articles_split_right": f"{split_ok}/{len(gold)}",
        "duplicates_linked": f"{dup_ok}/{dup_total}",
    }
