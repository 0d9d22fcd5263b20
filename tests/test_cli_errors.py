"""A user's mistake ends in one 'Error: ...' line on standard error and a non-zero exit,
with no traceback, and creates nothing (no store for a missing input, no ./rasd.db)."""
from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import SEEDS

from rasd.cli import main


def run(*args, input=None):
    """(exit code, stdout, stderr) of the rasd command, run in-process."""
    r = CliRunner().invoke(main, [str(a) for a in args], input=input)
    # an exception the command did not turn into a message is a failure of the test
    assert r.exception is None or isinstance(r.exception, SystemExit), repr(r.exception)
    return r.exit_code, r.stdout, r.stderr


def one_error(code, err, *words):
    assert code != 0
    assert "Traceback" not in err
    errors = [line for line in err.splitlines() if line.startswith("Error:")]
    assert len(errors) == 1, err
    assert err.rstrip("\n").splitlines()[-1] == errors[0]
    for w in words:
        assert w in errors[0], (w, errors[0])
    return errors[0]


@pytest.fixture
def in_tmp(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_export_into_a_missing_folder(seed_store, in_tmp):
    db = seed_store[2]
    code, _, err = run("export", "events", "--db", db, "--format", "csv", "-o", in_tmp / "nodir" / "e.csv")
    one_error(code, err, "nodir")
    assert not (in_tmp / "nodir").exists()


def test_export_onto_a_folder_leaves_it_alone(seed_store, in_tmp):
    code, _, err = run("export", "articles", "--db", seed_store[2], "-o", in_tmp)
    one_error(code, err, "folder")


def test_export_of_a_file_that_is_not_a_store(in_tmp):
    (in_tmp / "notes.txt").write_text("hello", encoding="utf-8")
    code, _, err = run("export", "events", "--db", in_tmp / "notes.txt")
    one_error(code, err, "not a rasd database")


def test_tag_on_a_missing_file(in_tmp):
    code, _, err = run("tag", in_tmp / "none.txt")
    one_error(code, err, "none.txt")


def test_eval_with_a_missing_gold_file(seed_store, in_tmp):
    code, _, err = run("eval", "events", "--db", seed_store[2], "--gold", in_tmp / "none.jsonl")
    one_error(code, err, "none.jsonl")


def test_load_on_a_missing_folder_creates_no_store(in_tmp):
    code, _, err = run("load", in_tmp / "nodir", "--db", in_tmp / "l.db")
    one_error(code, err, "nodir")
    assert list(in_tmp.iterdir()) == []


def test_load_on_a_folder_that_is_no_batch_result(in_tmp):
    (in_tmp / "empty").mkdir()
    code, _, err = run("load", in_tmp / "empty", "--db", in_tmp / "l.db")
    one_error(code, err, "no rasd batch result")
    assert not (in_tmp / "l.db").exists()


def test_serve_on_a_file_that_is_not_a_database(in_tmp):
    (in_tmp / "page.html").write_text("<html>not a store</html>", encoding="utf-8")
    code, out, err = run("serve", "--db", in_tmp / "page.html")
    one_error(code, err, "not a rasd database")
    assert "serving" not in out + err


def test_serve_on_a_missing_store(in_tmp):
    code, _, err = run("serve", "--db", in_tmp / "none.db")
    one_error(code, err, "no store")
    assert not (in_tmp / "none.db").exists()


def test_serve_on_a_busy_port_says_so_before_serving(seed_store):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen()
        port = s.getsockname()[1]
        code, out, err = run("serve", "--db", seed_store[2], "--port", port)
    one_error(code, err, f"127.0.0.1:{port}")
    assert "serving" not in out + err


@pytest.mark.parametrize("args", [
    ["process", str(SEEDS / "004_dc33664b38d03477.txt")],
    ["export", "events"], ["export", "articles"], ["serve"], ["load", "somewhere"],
    ["watch", "http://127.0.0.1:9/feed.xml", "--once"],
])
def test_db_is_required(args, in_tmp):
    code, _, err = run(*args)
    one_error(code, err, "--db")
    assert list(in_tmp.iterdir()) == []       # no ./rasd.db


def test_process_on_a_missing_path_creates_no_store(in_tmp):
    code, _, err = run("process", in_tmp / "nothere", "--db", in_tmp / "p.db")
    one_error(code, err, "nothere")
    assert list(in_tmp.iterdir()) == []
    # with a good input beside it: still refused, still nothing created
    code, _, err = run("process", SEEDS, in_tmp / "nothere", "--db", in_tmp / "p.db")
    one_error(code, err, "nothere")
    assert list(in_tmp.iterdir()) == []


def test_watch_of_a_folder_is_refused(in_tmp):
    code, _, err = run("watch", SEEDS, "--db", in_tmp / "w.db", "--once")
    one_error(code, err, "folder")
    assert list(in_tmp.iterdir()) == []


def test_watch_with_a_bad_interval(in_tmp):
    code, _, err = run("watch", "http://127.0.0.1:9/f.xml", "--db", in_tmp / "w.db", "--every", "soon")
    one_error(code, err, "--every")
    assert list(in_tmp.iterdir()) == []


def test_the_installed_command_prints_no_traceback(in_tmp):
    """The same through the console script, as a user runs it."""
    exe = Path(sys.executable).parent / "rasd"
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent)}
    p = subprocess.run([str(exe), "tag", "missing.txt"], capture_output=True, text=True, env=env,
                       timeout=60, check=False)
    assert p.returncode == 1 and p.stderr == "Error: missing.txt: no such file\n"


# ------------------------------------------------------------------ rasd tag --format jsonl (issue #14 item 9)

def test_tag_jsonl_keeps_lines_with_unicode_separators_inside_strings(in_tmp):
    texts = ["قال مصدر أمني\u2028إن الاشتباكات مستمرة في الموصل.",
             "وصل نحو 700 مقاتل\u2029إلى عانة.",
             "قصفت الطائرات\u0085مواقع في الرقة.",
             "خبر عادي عن بغداد."]
    src = in_tmp / "in.jsonl"
    src.write_text("".join(json.dumps({"id": f"t{i}", "text": t}, ensure_ascii=False) + "\n"
                           for i, t in enumerate(texts)), encoding="utf-8")
    code, out, err = run("tag", src, "--format", "jsonl")
    assert code == 0 and err == ""
    recs = [json.loads(line) for line in out.split("\n") if line]
    assert [r["id"] for r in recs] == ["t0", "t1", "t2", "t3"]
    for r, t in zip(recs, texts):
        for kind in ("places", "quantities"):
            for x in r[kind]:
                assert t[x["start"]:x["end"]] == x["text"]
    assert any(p["text"] == "عانة" for p in recs[1]["places"])


def test_tag_jsonl_reports_a_bad_line_and_goes_on(in_tmp):
    lines = [json.dumps({"id": "a", "text": "اشتباكات في الموصل.", "published": 20171020}),
             "{not json",
             json.dumps({"id": "b", "text": 5}),
             json.dumps(["a", "list"]),
             json.dumps({"id": "c", "text": "وصلوا أمس إلى عانة.", "published": "2017-10-20"}),
             json.dumps({"text": "no id"})]
    src = in_tmp / "in.jsonl"
    src.write_text("\n".join(lines) + "\n", encoding="utf-8")
    code, out, err = run("tag", src, "--format", "jsonl")
    assert code == 1 and "Traceback" not in err
    recs = [json.loads(line) for line in out.splitlines()]
    assert [r["id"] for r in recs] == ["a", "c"]
    assert recs[1]["dates"][0]["date"] == "2017-10-19"
    msgs = err.splitlines()
    assert msgs[0].startswith("line 1: 'published' is a int")
    assert [m.split(":")[0] for m in msgs[1:-1]] == ["line 2", "line 3", "line 4", "line 6"]
    assert msgs[-1] == "4 lines skipped"
