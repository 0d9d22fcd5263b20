"""Generalisation: events on 207 annotated lines of real 2018 news (never the seeds).

The annotation (tests/gold/ant.*.jsonl, see tests/gold/ANT_GOLD.md) stores only document
ids, offsets, hashes and labels; the text is read from the ANT corpus in ../shared at test
time (its licence forbids copying it here), and every line is checked against its hash.
"""
from __future__ import annotations

import json
import sys

import pytest

from rasd.evaluate import score_events
from rasd.pipeline import process
from rasd.store import Store

from conftest import GOLD, ROOT, SHARED

CORPUS = SHARED / "corpora" / "ant-news-syria-iraq" / "ant_v2.1_middleEast_syria_iraq.jsonl"
FLOOR = json.loads((ROOT / "tests" / "quality_floor.json").read_text("utf-8"))["events_ant"]


@pytest.fixture(scope="module")
def ant(tmp_path_factory):
    if not CORPUS.exists():
        pytest.skip("the ANT corpus is not in ../shared beside this checkout")
    sys.path.insert(0, str(GOLD))
    import ant_gold
    out = tmp_path_factory.mktemp("ant")
    ant_gold.write_score_inputs(str(CORPUS), str(out))
    store = Store(out / "ant.db")
    process([str(out / "ant.input.jsonl")], store)
    preds = list(store.event_records())
    gold = [json.loads(x) for x in (out / "ant.gold.events.jsonl").read_text("utf-8").splitlines() if x.strip()]
    lines = [json.loads(x) for x in (GOLD / "ant.lines.jsonl").read_text("utf-8").splitlines() if x.strip()]
    return gold, preds, lines


def test_ant_events_meet_the_floor(ant):
    gold, preds, _ = ant
    res = score_events(gold, preds)
    print(json.dumps({k: res[k] for k in ("tp", "fp", "fn", "precision", "recall", "f1")}))
    print({k: v["acc"] for k, v in res["fields"].items()})
    assert res["f1"] >= FLOOR["f1"] and res["recall"] >= FLOOR["recall"] and res["precision"] >= FLOOR["precision"]
    for name, floor in FLOOR["fields"].items():
        assert res["fields"][name]["acc"] >= floor, (name, res["fields"][name])


def test_most_non_event_lines_stay_silent(ant):
    """The tricky half: lines with violent words but no event."""
    _, preds, lines = ant
    quiet = {x["file"] for x in lines if x["class"] == "non_event"}
    noisy = {p["doc"] for p in preds if p["doc"] in quiet}
    assert len(noisy) / len(quiet) <= 0.25, sorted(noisy)
