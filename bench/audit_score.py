"""Figures of precision audits (issue #11; docs/labelling-guidelines.md, "Precision audits"):
for each ``labels/audits/audit-*.jsonl`` (100 stored events read against their articles),
the share real with its Wilson 95 % interval, the reasons of the rest, the fields of the real
ones, and — where the audit records them — the share a map user sees (a repeat that is its
happening's only stored telling counts) and the export contract's share (a claim of another
named source in the telling's claim group counts too); the agreement of the events read
twice (``audit-*.double.jsonl``); the pool of all audits. (A paired audit of two trees,
``audit-ab-*.jsonl``, is no audit of one tree: ``bench/audit_ab.py --score`` reads it.)

Usage: .venv/bin/python bench/audit_score.py [FILE ...]   (default: every audit in labels/audits)
"""
from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from rasd.events.train import wilson  # noqa: E402


def _rows(path: Path) -> list[dict]:
    return [json.loads(x) for x in path.read_text("utf-8").splitlines() if x.strip()]


def score(path: Path) -> dict:
    rows = _rows(path)
    n, real = len(rows), sum(1 for r in rows if r.get("real"))
    rep = [r for r in rows if not r.get("real") and r.get("reason") == "repeat"]
    only = sum(1 for r in rep if r.get("only_stored_telling"))
    other = sum(1 for r in rep if r.get("other_source") and not r.get("only_stored_telling"))
    out = {"file": path.name, "n": n, "real": real, "wilson": [round(x, 3) for x in wilson(real, n)],
           "not_real": dict(Counter(r.get("reason") for r in rows if not r.get("real")).most_common()),
           "fields_of_real": {f: sum(1 for r in rows if r.get("real") and r.get(f)) for f in
                              ("type_ok", "place_ok", "actor_ok", "date_ok")}}
    if any("only_stored_telling" in r for r in rows):
        out["map_share"] = real + only
        out["contract_share"] = real + only + (other if any("other_source" in r for r in rows) else 0)
    if any("stored_on_final_tree" in r for r in rows):
        kept = [r for r in rows if r["stored_on_final_tree"]]
        k = sum(1 for r in kept if r.get("real"))
        out["final_tree"] = {"n": len(kept), "real": k, "wilson": [round(x, 3) for x in wilson(k, len(kept))]}
    double = path.with_name(path.stem + ".double.jsonl")
    if double.exists():
        first = {r["event"]: r for r in rows}
        pairs = [(bool(first[r["event"]].get("real")), bool(r.get("real"))) for r in _rows(double) if r["event"] in first]
        po = sum(a == b for a, b in pairs) / len(pairs)
        pa, pb = sum(a for a, _ in pairs) / len(pairs), sum(b for _, b in pairs) / len(pairs)
        pe = pa * pb + (1 - pa) * (1 - pb)
        out["double_read"] = {"events": len(pairs), "agree": sum(a == b for a, b in pairs),
                              "kappa": round((po - pe) / (1 - pe), 3) if pe < 1 else None}
    return out


def main() -> None:
    files = [Path(x) for x in sys.argv[1:]] or sorted(
        p for p in (ROOT / "labels" / "audits").glob("audit-*.jsonl")
        if not p.name.endswith(".double.jsonl") and not p.name.startswith("audit-ab-"))
    tot = [0, 0]
    for f in files:
        s = score(f)
        tot[0] += s["real"]
        tot[1] += s["n"]
        print(json.dumps(s, ensure_ascii=False))
    lo, hi = wilson(*tot)
    print(f"pooled over {len(files)} audits: {tot[0]}/{tot[1]} = {tot[0] / tot[1]:.3f} (Wilson {lo:.3f}-{hi:.3f})")


if __name__ == "__main__":
    main()
