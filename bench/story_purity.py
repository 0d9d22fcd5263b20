"""Story purity and completeness from a read sample of stories (issue #13).

A sample file (``labels/audits/stories-SEED.jsonl``) holds, per story drawn with
``random.Random(SEED).sample`` from the stories of ≥ 2 articles built from all ANT
articles, the labeller's main happening, whether each shown article tells it
(``articles``), and whether each article *outside* the story offered beside it (same kind
of lead happening, within 60 km, reported in the same days) tells it (``outside``: a
miss). Prints mean and pooled purity, stories at ≥ 0.9, and pooled completeness; with
``--unseen OTHER.jsonl …``, also the figures over the stories not read in those files. A
census (``stories-census-*.jsonl``) marks with ``dev`` the stories that hold an article of
the samples the rule was chosen on (``stories-20261208``, ``-20261209``): the figures are
also printed for the held-out stories (``dev`` false) and the others.

Usage: .venv/bin/python bench/story_purity.py labels/audits/stories-20261210.jsonl
       [--unseen labels/audits/stories-20261208.jsonl labels/audits/stories-20261209.jsonl]
"""
from __future__ import annotations

import argparse
import json
from pathlib import Path


def figures(stories: list[dict]) -> dict:
    shown = sum(len(s["articles"]) for s in stories)
    true = sum(sum(s["articles"].values()) for s in stories)
    missed = sum(sum((s.get("outside") or {}).values()) for s in stories)
    return {"stories": len(stories),
            "mean_purity": round(sum(s["pure"] for s in stories) / max(1, len(stories)), 3),
            "pooled_purity": round(true / max(1, shown), 3), "articles_true": true, "articles_shown": shown,
            "stories_at_0.9": sum(s["pure"] >= 0.9 for s in stories),
            "completeness": round(true / max(1, true + missed), 3), "outside_true": missed}


def relabel(of_article: dict[str, str], readings: list[dict]) -> dict:
    """Purity of the stories a rule builds now (``of_article``), scored with earlier
    readings: each story of at least two articles is scored by the reading that labels
    most of its articles (two at least, one telling that reading's main happening). A
    check that a story rule still builds what the readers read, not a new reading."""
    members: dict[str, list[str]] = {}
    for art, story in of_article.items():
        members.setdefault(story, []).append(art)
    scored = []
    for arts in members.values():
        if len(arts) < 2:
            continue
        best: list[bool] | None = None
        for r in readings:
            lab = {**r["articles"], **(r.get("outside") or {})}
            got = [lab[a] for a in arts if a in lab]
            if len(got) >= 2 and (best is None or len(got) > len(best)):
                best = got
        if best and any(best):
            scored.append((sum(best), len(best)))
    return {"stories": len(scored),
            "mean_purity": round(sum(t / n for t, n in scored) / max(1, len(scored)), 3),
            "pooled_purity": round(sum(t for t, _ in scored) / max(1, sum(n for _, n in scored)), 3)}


def read(path: str) -> list[dict]:
    return [json.loads(line) for line in Path(path).read_text("utf-8").splitlines() if line.strip()]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("sample")
    ap.add_argument("--unseen", nargs="*", default=[], help="earlier samples: also score the stories not in them")
    a = ap.parse_args()
    stories = read(a.sample)
    print("all   ", json.dumps(figures(stories)))
    if any("dev" in s for s in stories):      # a census marks the stories holding an article read for a choice
        print("held-out", json.dumps(figures([s for s in stories if not s.get("dev")])))
        print("dev   ", json.dumps(figures([s for s in stories if s.get("dev")])))
    if a.unseen:
        seen = {s["id"] for f in a.unseen for s in read(f)}
        print("unseen", json.dumps(figures([s for s in stories if s["id"] not in seen])))


if __name__ == "__main__":
    main()
