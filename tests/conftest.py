"""Shared fixtures: paths to the bundled seeds and gold, and a processed seed store."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "samples" / "seeds"
GOLD = ROOT / "tests" / "gold"
PAGES = ROOT / "tests" / "data" / "pages"
SHARED = ROOT.parent / "shared"


def load_jsonl(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


@pytest.fixture(scope="session")
def seed_store(tmp_path_factory):
    """The five seed pages processed into a store (read-only use, please)."""
    from rasd.pipeline import process
    from rasd.store import Store

    db = tmp_path_factory.mktemp("seeds") / "seeds.db"
    store = Store(db)
    summary = process([str(SEEDS)], store)
    yield store, summary, db
    store.close()


@pytest.fixture(scope="session")
def seed_articles(seed_store):
    from rasd.export import article_records

    store, _, _ = seed_store
    return list(article_records(store, with_text=True))
