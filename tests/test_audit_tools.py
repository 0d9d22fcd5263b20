"""The paired audit's scoring (bench/audit_ab.py): two trees' events read by the same readers,
blind; each share real is counted from the key, never from the batch."""
from __future__ import annotations

import json
import sys

from conftest import ROOT

sys.path.insert(0, str(ROOT / "bench"))
import audit_ab  # noqa: E402


def _row(event: str, real: bool, reader: str, reason: str | None = None, only: bool | None = None) -> dict:
    return {"event": event, "id": f"doc#1:{event}", "reader": reader, "real": real, "reason": reason,
            "only_stored_telling": only}


def test_a_paired_audit_is_scored_per_store_from_its_key(tmp_path, capsys):
    key = {"E1": {"store": "A", "id": "doc#1:E1"}, "E2": {"store": "B", "id": "doc#1:E2"},
           "E3": {"store": "B", "id": "doc#1:E3"}, "E4": {"store": "A", "id": "doc#1:E4"}}
    (tmp_path / "key.json").write_text(json.dumps(key), "utf-8")
    rows = [_row("E1", True, "P"), _row("E2", True, "P"), _row("E3", False, "Q", "repeat", True),
            _row("E4", False, "Q", "plan")]
    (tmp_path / "out-1.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows), "utf-8")
    res = audit_ab.score(tmp_path)
    assert (res["A"]["real"], res["A"]["n"], res["B"]["real"], res["B"]["n"]) == (1, 2, 1, 2)
    assert res["B"]["map_share"] == 2 and res["A"]["map_share"] == 1     # a lone repeat counts for the map
    assert res["A"]["not_real"] == {"plan": 1} and res["A"]["by_reader"] == {"P": "1/1", "Q": "0/1"}
    assert res["difference_B_minus_A"] == 0.0
    # the merged file of labels/audits reads the same
    merged = tmp_path / "merged.jsonl"
    merged.write_text("".join(json.dumps({**r, "store": key[r["event"]]["store"]}) + "\n" for r in rows), "utf-8")
    assert audit_ab.score(merged) == res


def test_the_shipped_paired_audit_holds_both_stores_read_by_the_same_readers():
    rows = [json.loads(x) for x in (ROOT / "labels" / "audits" / "audit-ab-20261222.jsonl").read_text("utf-8").splitlines()
            if x.strip()]
    assert len(rows) == 100 and {r["store"] for r in rows} == {"A", "B"}
    readers = {s: {r["reader"] for r in rows if r["store"] == s} for s in ("A", "B")}
    assert readers["A"] == readers["B"] and len(readers["A"]) == 4
