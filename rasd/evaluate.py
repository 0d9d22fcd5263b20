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


# ------------------------------------------------------------------ events

def _haversine_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    import math
    la1, lo1, la2, lo2 = map(math.radians, (a[0], a[1], b[0], b[1]))
    h = math.sin((la2 - la1) / 2) ** 2 + math.cos(la1) * math.cos(la2) * math.sin((lo2 - lo1) / 2) ** 2
    return 6371 * 2 * math.asin(math.sqrt(h))


def _fold(s: str | None) -> str:
    from .lang.normalize import norm_key
    return norm_key(s or "")


# which predicted roles may answer a gold role
_ROLES = {"origin": {"origin"}, "destination": {"destination"},
          "location": {"location", "origin", "destination"}}


def score_events(gold: list[dict], preds: list[dict]) -> dict:
    """Event claims against gold (see ../shared/docs/export-format.md and the gold README).

    A prediction matches a gold claim of the same document when its evidence overlaps one
    of the gold anchors and its type is the gold type (or an accepted alternative). Each
    gold claim is matched once: required claims first; a prediction that matches only an
    optional or an already-matched claim is neither right nor wrong; the rest are false
    positives. Fields are scored on matched required claims.
    """
    from .lang.actors import load_actors
    actors = load_actors()
    by_doc: dict[str, list[dict]] = {}
    for g in gold:
        by_doc.setdefault(g["file"], []).append(g)
    matched: dict[str, dict] = {}
    tp = fp = dup = wrong_type = 0
    false_pos = []
    for p in preds:
        ev = p.get("evidence") or {}
        s, e = ev.get("start"), ev.get("end")
        over = [g for g in by_doc.get(p.get("doc"), [])
                if s is not None and any(s < a["end"] and a["start"] < e for a in g["anchors"])]
        typed = [g for g in over if p.get("type") == g["type"] or p.get("type") in (g.get("alt_types") or [])]
        req = [g for g in typed if not g["optional"] and g["id"] not in matched]
        opt = [g for g in typed if g["optional"] and g["id"] not in matched]
        if req:
            matched[req[0]["id"]] = p
            tp += 1
        elif opt:
            matched[opt[0]["id"]] = p
        elif typed:
            dup += 1
        else:
            fp += 1
            wrong_type += bool(over)
            false_pos.append({"type": p.get("type"), "text": ev.get("text", "")[:120]})
    required = [g for g in gold if not g["optional"]]
    missed = [g for g in required if g["id"] not in matched]
    prec = tp / (tp + fp) if tp + fp else 0.0
    rec = tp / (tp + len(missed)) if required else 0.0
    f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
    # strict: a second prediction for a claim already matched is an error too (a map or an
    # event count shows it as another happening)
    sprec = tp / (tp + fp + dup) if tp + fp + dup else 0.0
    sf1 = 2 * sprec * rec / (sprec + rec) if sprec + rec else 0.0

    fields: dict[str, list[int]] = {}

    def tally(name: str, ok: bool) -> None:
        c = fields.setdefault(name, [0, 0])
        c[0] += bool(ok)
        c[1] += 1

    for g in required:
        p = matched.get(g["id"])
        if p is None:
            continue
        for f in ("sub_type", "actor", "actor2"):
            if g.get(f):
                # a faction counts for the wider actor the gold names (actors.tsv part_of=)
                tally(f, p.get(f) == g[f] or (f != "sub_type" and actors.within(p.get(f), g[f])))
        for role, alts in (g.get("places") or {}).items():
            pts = [(float(x["lat"]), float(x["lon"])) for x in p.get("places") or []
                   if x.get("role") in _ROLES[role] and x.get("lat") is not None]
            hits = [any(_haversine_km((a["lat"], a["lon"]), q) <= a["radius_km"] for q in pts) for a in alts]
            tally("place_" + role, any(hits))
            tally("place_" + role + "_finest", bool(hits and hits[0]))
        c = g.get("count")
        if c:
            pc = p.get("count") or {}
            if c.get("value") is not None:
                tally("count", pc.get("value") in [c["value"], *c.get("alt", [])])
            else:
                tally("count", bool(pc) and bool(pc.get("approx")))
        if g.get("fatalities") is not None:
            tally("fatalities", p.get("fatalities") == g["fatalities"])
        names = [_fold(x.get("name")) for x in p.get("sources") or []]
        if g.get("source"):
            gs = _fold(g["source"])
            tally("source", any(n and (gs in n or n in gs) for n in names))
        stance = "deny" if any(x.get("stance") == "deny" for x in p.get("sources") or []) else "assert"
        tally("stance", stance == g["stance"])
    contra = [0, 0]
    for g in gold:
        if g.get("contradicts"):
            contra[1] += 1
            a, b = matched.get(g["id"]), matched.get(g["contradicts"])
            contra[0] += bool(a and b and a.get("claim_group") and a.get("claim_group") == b.get("claim_group"))
    return {
        "gold_required": len(required), "predicted": len(preds), "tp": tp, "fp": fp, "fn": len(missed),
        "duplicates": dup, "wrong_type": wrong_type,
        "precision": round(prec, 3), "recall": round(rec, 3), "f1": round(f1, 3),
        "strict_precision": round(sprec, 3), "strict_f1": round(sf1, 3),
        "fields": {k: {"correct": v[0], "total": v[1], "acc": round(v[0] / v[1], 3)} for k, v in sorted(fields.items())},
        "contradictions": {"found": contra[0], "total": contra[1]},
        "missed": [{"id": g["id"], "type": g["type"], "anchor": g["anchors"][0].get("text", "")} for g in missed],
        "false_positives": false_pos,
    }
