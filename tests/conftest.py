"""Shared fixtures: paths to the bundled seeds and gold, and a processed seed store."""
from __future__ import annotations

import contextlib
import json
import socket
import subprocess
import sys
import time
import urllib.request
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


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def serving(db, log_path, *args: str, port: int | None = None, timeout: float = 30):
    """`rasd serve --db DB ARGS...` on 127.0.0.1 (a free port unless given) for the time of
    the block; yields its base URL once it answers /api and has said where it is."""
    port = port or free_port()
    with open(log_path, "w") as log:
        proc = subprocess.Popen([sys.executable, "-m", "rasd.cli", "serve", "--db", str(db), "--port", str(port),
                                 *args], stdout=log, stderr=subprocess.STDOUT)
        base = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + timeout
            while True:
                try:
                    with urllib.request.urlopen(base + "/api", timeout=10):
                        break
                except OSError:
                    if proc.poll() is not None or time.monotonic() > deadline:
                        raise RuntimeError("rasd serve did not start: " + log_path.read_text()) from None
                    time.sleep(0.1)
            log.flush()
            assert f"{base}/" in log_path.read_text(encoding="utf-8")      # it says where it is
            yield base
        finally:
            proc.terminate()
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                proc.kill()
