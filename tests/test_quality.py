"""Quality gate: seed scores against the gold, with floors that only go up."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest

from rasd.evaluate import score_articles

from conftest import GOLD, ROOT, SEEDS, SHARED, load_jsonl

FLOOR = json.loads((ROOT / "tests" / "quality_floor.json").read_text("utf-8"))


def test_seed_articles_meet_the_floor(seed_articles):
    res = score_articles(load_jsonl(GOLD / "seeds.articles.jsonl"), seed_articles, SEEDS)
    f = FLOOR["articles"]
    assert res["body_recall"] >= f["body_recall"]
    assert res["boilerplate_leak"] <= f["boilerplate_leak_max"]
    assert int(res["articles_split_right"].split("/")[0]) >= f["articles_split_right"]
    assert int(res["duplicates_linked"].split("/")[0]) >= f["duplicates_linked"]


def test_our_scorer_agrees_with_the_shared_scorer(seed_articles, tmp_path):
    """The team's measuring tool (../shared/eval/score.py, present in CI) gives the same figures."""
    score_py = SHARED / "eval" / "score.py"
    if not score_py.exists():
        pytest.skip("../shared/eval/score.py is not beside this checkout")
    pred = tmp_path / "articles.jsonl"
    pred.write_text("".join(json.dumps(a, ensure_ascii=False) + "\n" for a in seed_articles), "utf-8")
    out = subprocess.run([sys.executable, str(score_py), "articles", str(GOLD / "seeds.articles.jsonl"),
                          str(pred), str(SEEDS), "--json"], capture_output=True, text=True, check=True)
    theirs = json.loads(out.stdout)
    ours = score_articles(load_jsonl(GOLD / "seeds.articles.jsonl"), seed_articles, SEEDS)
    assert ours == theirs


def test_scorer_catches_a_bad_export(seed_articles):
    """The gate can fail: dropping half the paragraphs and the links lowers every figure."""
    broken = [dict(a, paragraphs=a["paragraphs"][::2], duplicate_of=None, dedup_cluster=a["id"])
              for a in seed_articles]
    res = score_articles(load_jsonl(GOLD / "seeds.articles.jsonl"), broken, SEEDS)
    assert res["body_recall"] < 0.7
    assert res["duplicates_linked"] == "0/2"
