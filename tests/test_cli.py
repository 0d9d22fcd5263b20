"""The rasd command: contract shapes, exit codes, summaries, help everywhere."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from rasd import __version__
from rasd.cli import main

from conftest import ROOT, SEEDS


def invoke(*args):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_version_from_the_installed_console_script():
    exe = Path(sys.executable).parent / "rasd"
    out = subprocess.run([str(exe), "--version"], capture_output=True, text=True, check=True)
    assert __version__ in out.stdout


@pytest.mark.parametrize("cmd", [[], ["process"], ["export"], ["export", "articles"], ["export", "events"],
                                 ["eval"], ["tag"], ["serve"], ["batch"], ["load"]])
def test_help_on_every_command(cmd):
    r = invoke(*cmd, "--help")
    assert r.exit_code == 0 and "Usage:" in r.output


def test_process_then_export_articles(tmp_path):
    db = str(tmp_path / "s.db")
    r = invoke("process", str(SEEDS), "--db", db)
    assert r.exit_code == 0
    assert "5 new" in r.output and "2 duplicates" in r.output
    out = tmp_path / "a.jsonl"
    r = invoke("export", "articles", "--db", db, "--format", "jsonl", "-o", str(out))
    assert r.exit_code == 0
    recs = [json.loads(x) for x in out.read_text("utf-8").splitlines()]
    assert len(recs) == 9
    assert set(recs[0]) >= {"id", "doc", "title", "paragraphs", "duplicate_of", "dedup_cluster", "story"}
    # second run: nothing new, still success
    r = invoke("process", str(SEEDS), "--db", db, "--json")
    assert json.loads(r.output)["run"]["unchanged"] == 5


def test_exit_code_is_non_zero_only_when_nothing_could_be_processed(tmp_path):
    (tmp_path / "bad").mkdir()
    (tmp_path / "bad" / "empty.txt").write_bytes(b"")
    (tmp_path / "bad" / "bin.dat").write_bytes(b"\x00\x9f" * 500)
    db = str(tmp_path / "s.db")
    r = invoke("process", str(tmp_path / "bad"), "--db", db)
    assert r.exit_code == 1 and "rejects:   2" in r.output
    r = invoke("process", str(tmp_path / "bad"), str(SEEDS / "004_dc33664b38d03477.txt"), "--db", db)
    assert r.exit_code == 0


def test_export_from_a_missing_store_is_a_clear_error(tmp_path):
    r = CliRunner().invoke(main, ["export", "articles", "--db", str(tmp_path / "none.db")])
    assert r.exit_code != 0 and "no store" in r.output


def test_eval_command_scores_a_store(tmp_path):
    db = str(tmp_path / "s.db")
    invoke("process", str(SEEDS), "--db", db)
    r = invoke("eval", "articles", "--db", db, "--gold", str(ROOT / "tests/gold/seeds.articles.jsonl"),
               "--raw", str(SEEDS), "--json")
    res = json.loads(r.output)
    assert res["articles_split_right"] == "9/9"


def test_readme_documents_every_command():
    readme = (ROOT / "README.md").read_text("utf-8")
    from rasd.cli import main as group
    for name, cmd in group.commands.items():
        assert f"rasd {name}" in readme, name
        for sub in getattr(cmd, "commands", {}):
            assert f"rasd {name} {sub}" in readme, (name, sub)
