"""Hostile input (issue #14): every bad case mixed with two good documents, in each form
it applies to (a file argument, a folder, a JSONL line, an HTML page, a feed entry).

Each case runs `rasd process` in a subprocess under a timeout (nothing may hang) and
checks that the run exits 0 without a traceback, that the good documents are stored
intact (the same events as when they are processed alone, in the same form), that the
bad one is rejected with the named reason or stored sanitised, and that nothing stored
holds a lone surrogate or a span that does not match its raw text.
"""
from __future__ import annotations

import http.server
import json
import os
import random
import signal
import socketserver
import sqlite3
import subprocess
import sys
import threading
import time
from collections import defaultdict
from html import escape
from pathlib import Path

import pytest
from conftest import ROOT

from rasd.store import Store

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="FIFOs, symlinks and signals are POSIX")

STRIKE = ("غارات للتحالف على البوكمال\n\n"
          "قصفت طائرات التحالف الدولي مواقع لتنظيم داعش في مدينة البوكمال شرق دير الزور فجر الثلاثاء، ما "
          "أسفر عن مقتل 12 عنصراً من التنظيم وتدمير آليات عسكرية، بحسب المرصد السوري لحقوق الإنسان.\n\n"
          "وقال المرصد إن الغارات استهدفت مقرات للتنظيم في حي الجمعيات وعلى الطريق الواصل إلى الحدود "
          "العراقية، وإن أصوات الانفجارات سمعت في أرجاء المدينة حتى ساعات الصباح الأولى.\n\n"
          "وأضاف أن عشرات العائلات نزحت من الأحياء الشرقية للمدينة باتجاه الريف خوفاً من تجدد القصف.\n")
ARREST = ("اعتقال خلية في الموصل\n\n"
          "اعتقلت القوات الأمنية العراقية خمسة مطلوبين بتهم إرهابية في عملية دهم نفذتها في حي الزنجيلي غرب "
          "مدينة الموصل مساء الأحد، وفق بيان لقيادة العمليات المشتركة.\n\n"
          "وذكر البيان أن المعتقلين كانوا ينتمون إلى خلية تابعة لتنظيم داعش مسؤولة عن تفجيرات استهدفت "
          "الأسواق الشعبية في المدينة خلال الأشهر الماضية.\n")
GOOD = {"good-1": STRIKE, "good-2": ARREST}
BAD_TEXT = ("قال مصدر أمني إن اشتباكات عنيفة اندلعت بين القوات الحكومية ومسلحين في ريف حلب الشمالي "
            "صباح اليوم وأسفرت عن مقتل ثلاثة عناصر.\n")
TIMEOUT = 90          # seconds for one run: far above what a run takes, far below "hangs"


def cli(*args: str, timeout: float = TIMEOUT, env: dict | None = None) -> subprocess.CompletedProcess:
    e = {**os.environ, "PYTHONPATH": str(ROOT), **(env or {})}
    return subprocess.run([sys.executable, "-m", "rasd.cli", *args], capture_output=True, text=True,
                          timeout=timeout, env=e, cwd=ROOT, check=False)


# ------------------------------------------------------------------ the forms

def html_page(title: str, text: str) -> str:
    paras = "".join(f"<p>{escape(p)}</p>" for p in text.split("\n\n")[1:])
    return (f"<!doctype html><html lang='ar'><head><meta charset='utf-8'><title>{escape(title)}</title></head>"
            f"<body><article><h1>{escape(title)}</h1>{paras}</article></body></html>")


def rss(items: list[bytes]) -> bytes:
    return (b'<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"><channel><title>news</title>'
            b"<link>https://news.example.org/</link>" + b"".join(items) + b"</channel></rss>\n")


def rss_item(guid: str, body: bytes) -> bytes:
    return (b"<item><guid>" + guid.encode() + b"</guid><title>t</title><description>" + body
            + b"</description></item>")


def jsonl_line(doc_id, text) -> bytes:
    return json.dumps({"id": doc_id, "text": text}, ensure_ascii=False).encode()


def build(form: str, tmp: Path, bad) -> tuple[list[str], dict[str, str]]:
    """The inputs of one run (good documents around ``bad``; ``bad`` None: good only) and
    the ids of the good documents in this form."""
    d = tmp / "in"
    d.mkdir()
    if form == "jsonl":
        lines = [jsonl_line("good-1", STRIKE)] + (bad if bad is not None else []) + [jsonl_line("good-2", ARREST)]
        (d / "news.jsonl").write_bytes(b"\n".join(lines) + b"\n")
        return [str(d / "news.jsonl")], {"good-1": "good-1", "good-2": "good-2"}
    if form == "feed":
        items = [rss_item("good-1", escape(STRIKE).encode())] + (bad if bad is not None else []) + \
            [rss_item("good-2", escape(ARREST).encode())]
        (d / "feed.xml").write_bytes(rss(items))
        return [str(d / "feed.xml")], {"good-1": "good-1", "good-2": "good-2"}
    if form == "html":
        (d / "a_good.html").write_text(html_page("غارات", STRIKE), encoding="utf-8")
        (d / "z_good.html").write_text(html_page("اعتقال", ARREST), encoding="utf-8")
        if bad is not None:
            bad(d)
        return [str(d)], {"good-1": "a_good.html", "good-2": "z_good.html"}
    (d / "a_good.txt").write_text(STRIKE, encoding="utf-8")
    (d / "z_good.txt").write_text(ARREST, encoding="utf-8")
    if form == "folder":
        if bad is not None:
            bad(d)
        return [str(d)], {"good-1": "a_good.txt", "good-2": "z_good.txt"}
    assert form == "file"   # each file an argument of its own
    args = [str(d / "a_good.txt")]
    if bad is not None:
        bd = tmp / "bad"
        bd.mkdir()
        bad(bd)
        args += [str(p) for p in sorted(bd.iterdir())]
    return args + [str(d / "z_good.txt")], {"good-1": "a_good.txt", "good-2": "z_good.txt"}


def _event_key(e: dict) -> str:
    return json.dumps({k: v for k, v in e.items() if k not in ("id", "doc", "article", "claim_group")},
                      sort_keys=True, ensure_ascii=False)


def read_store(db: Path) -> dict:
    store = Store(db, readonly=True)
    try:
        docs = {r["id"]: r["raw"] for r in store.conn.execute("SELECT id, raw FROM documents")}
        events = defaultdict(list)
        for e in store.event_records():
            events[e["doc"]].append(e)
        rejects = [(r.source, r.reason, r.detail, r.doc) for r in store.rejects()]
    finally:
        store.close()
    return {"docs": docs, "events": events, "rejects": rejects}


def check_store_sound(st: dict) -> None:
    """No lone surrogate anywhere; every span of every event is its raw text."""
    for doc_id, raw in st["docs"].items():
        for s in (doc_id, raw):
            s.encode("utf-8")           # raises on a lone surrogate
    for r in st["rejects"]:
        for s in r:
            if s is not None:
                s.encode("utf-8")
    for doc_id, evs in st["events"].items():
        raw = st["docs"][doc_id]
        for e in evs:
            assert raw[e["evidence"]["start"]:e["evidence"]["end"]] == e["evidence"]["text"]
            for p in e["places"]:
                assert raw[p["start"]:p["end"]] == p["text"]


_BASELINES: dict[str, dict] = {}


def baseline(form: str, tmp_path_factory) -> dict:
    """Events of the good documents processed alone, in ``form``, by good-N name."""
    if form not in _BASELINES:
        tmp = tmp_path_factory.mktemp(f"base-{form}")
        args, ids = build(form, tmp, None)
        r = cli("process", *args, "--db", str(tmp / "s.db"))
        assert r.returncode == 0, r.stderr
        st = read_store(tmp / "s.db")
        _BASELINES[form] = {g: sorted(map(_event_key, st["events"][i])) for g, i in ids.items()}
        assert all(_BASELINES[form].values()), "the good documents must give events"
    return _BASELINES[form]


# ------------------------------------------------------------------ the cases

AR_UTF8 = BAD_TEXT.encode("utf-8")
FF_TEXT = AR_UTF8[:40] + b"\xff" + AR_UTF8[40:]          # one invalid byte in UTF-8 Arabic


def _file(name: str, data: bytes):
    return lambda d: (d / name).write_bytes(data)


def _link(name: str, target: str):
    return lambda d: os.symlink(target, d / name)


def _fifo(name: str):
    return lambda d: os.mkfifo(d / name)


LONG_LINE = jsonl_line("bad", "قصف " * 30_000)            # ~240 KB, over --max-doc-bytes 65536
REPLACEMENT = "\ufffd" * 40 + BAD_TEXT                    # 40 U+FFFD in one line: > 0.1 %

# (form, case, bad input, extra arguments, expected: set of reasons | "sanitised")
CASES = [
    # 1. one invalid byte: the document holding it is rejected, never re-read as Windows-1256
    ("jsonl", "ff_byte", [b'{"id": "bad", "text": "' + FF_TEXT.replace(b"\n", b" ") + b'"}'], [], {"encoding"}),
    ("feed", "ff_byte", [rss_item("bad", FF_TEXT)], [], {"encoding"}),
    ("folder", "ff_byte", _file("m_bad.txt", FF_TEXT), [], {"encoding"}),
    ("file", "ff_byte", _file("bad.txt", FF_TEXT), [], {"encoding"}),
    ("html", "ff_byte", _file("m_bad.html", html_page("x", "x\n\n" + BAD_TEXT).encode().replace(
        "مصدر".encode(), "مصدر".encode() + b"\xff")), [], {"encoding"}),
    # 2. one bad line never rejects the file
    ("jsonl", "control_bytes", [b'{"id": "bad", "text": "\x01\x02\x03\x04 ' + AR_UTF8.strip() + b'"}'], [],
     {"binary", "json"}),
    ("jsonl", "nul_in_head", [b'{"id": "bad", "text": "\x00\x00\x00 ' + AR_UTF8.strip() + b'"}'], [],
     {"binary", "json"}),
    ("jsonl", "replacement_chars", [jsonl_line("bad", REPLACEMENT.strip())], [], {"encoding"}),
    ("jsonl", "utf16_line", [json.dumps({"id": "bad", "text": BAD_TEXT.strip()}).encode("utf-16-le")], [],
     {"binary", "json", "encoding"}),
    ("jsonl", "line_over_limit", [LONG_LINE], ["--max-doc-bytes", "65536"], {"too_large"}),
    # 3. what used to crash the run
    ("jsonl", "surrogate_id", [b'{"id": "bad\\ud800", "text": "' + AR_UTF8.strip() + b'"}'], [], {"bad_id"}),
    ("jsonl", "surrogate_text", [b'{"id": "bad", "text": "\\udc00' + AR_UTF8.strip() + b'\\ud800"}'], [],
     "sanitised"),
    ("feed", "surrogate_charref", [rss_item("bad", b"&#xD800; " + AR_UTF8 + b" &#55296;")], [],
     "sanitised"),
    ("folder", "dev_zero_link", _link("m_zero.txt", "/dev/zero"), [], {"link"}),
    ("folder", "dev_zero_followed", _link("m_zero.txt", "/dev/zero"), ["--follow-links"], {"not_file"}),
    # 4. what used to hang
    ("folder", "fifo", _fifo("m_pipe.txt"), [], {"not_file"}),
    ("file", "fifo", _fifo("pipe.txt"), [], {"not_file"}),
    # 5. budgets: size and time per document
    ("folder", "too_large", _file("m_big.txt", ("قصف " * 30_000).encode()), ["--max-doc-bytes", "65536"],
     {"too_large"}),
    ("html", "too_large", _file("m_big.html", html_page("x", "x\n\n" + "قصف " * 30_000).encode()),
     ["--max-doc-bytes", "65536"], {"too_large"}),
    ("jsonl", "doc_seconds", [jsonl_line("bad", ("قصفت الطائرات مواقع في مدينة الرقة و" * 40_000))],
     ["--doc-seconds", "1"], {"budget"}),
    ("folder", "doc_seconds", _file("m_long.txt", ("قصفت الطائرات مواقع في مدينة الرقة و" * 40_000).encode()),
     ["--doc-seconds", "1"], {"budget"}),
    # 6. links out of the root, ids that are not strings
    ("folder", "link_out_of_root", _link("m_passwd.txt", "/etc/passwd"), [], {"link"}),
    ("html", "link_out_of_root", _link("m_passwd.html", "/etc/passwd"), [], {"link"}),
    ("jsonl", "non_string_ids", [b'{"id": true, "text": "x"}', b'{"id": {"a": 1}, "text": "x"}',
                                 b'{"id": 7, "text": "x"}'], [], {"bad_id"}),
]


@pytest.mark.parametrize("form,case,bad,extra,expected", CASES, ids=[f"{c[0]}-{c[1]}" for c in CASES])
def test_hostile_input_leaves_the_good_documents_intact(form, case, bad, extra, expected, tmp_path,
                                                         tmp_path_factory):
    base = baseline(form, tmp_path_factory)
    args, ids = build(form, tmp_path, bad)
    db = tmp_path / "s.db"
    t0 = time.monotonic()
    r = cli("process", *args, "--db", str(db), "--json", *extra)
    assert r.returncode == 0, r.stderr
    assert "Traceback" not in r.stderr
    st = read_store(db)
    check_store_sound(st)
    for good, doc_id in ids.items():      # intact: the same events as alone
        assert sorted(map(_event_key, st["events"][doc_id])) == base[good], (good, case)
    bad_docs = set(st["docs"]) - set(ids.values())
    if expected == "sanitised":
        assert st["rejects"] == [] and len(bad_docs) == 1
        raw = st["docs"][bad_docs.pop()]
        assert "\ufffd" in raw and "قال مصدر أمني" in raw
    else:
        assert bad_docs == set(), f"stored what should be rejected: {bad_docs}"
        reasons = {x[1] for x in st["rejects"]}
        assert reasons and reasons <= expected, st["rejects"]
        assert all(x[2] for x in st["rejects"])                # every reject says why
    summary = json.loads(r.stdout)
    assert summary["run"]["new"] == 2 + (expected == "sanitised")
    if case == "doc_seconds":
        assert time.monotonic() - t0 < 60


def test_mojibake_never_comes_back(tmp_path):
    """The whole JSONL file of issue #14: one 0xFF byte made every line Windows-1256."""
    lines = [jsonl_line(f"d{i}", STRIKE) for i in range(3)]
    lines.insert(1, b'{"id": "bad", "text": "' + FF_TEXT.strip() + b'"}')
    (tmp_path / "x.jsonl").write_bytes(b"\n".join(lines))
    r = cli("process", str(tmp_path / "x.jsonl"), "--db", str(tmp_path / "s.db"))
    assert r.returncode == 0
    st = read_store(tmp_path / "s.db")
    assert sorted(st["docs"]) == ["d0", "d1", "d2"] and all(raw == STRIKE for raw in st["docs"].values())
    assert [x[1] for x in st["rejects"]] == ["encoding"] and st["rejects"][0][0].endswith("x.jsonl:2")


def test_a_file_in_windows_1256_is_still_read_as_arabic(tmp_path):
    (tmp_path / "x.jsonl").write_bytes(jsonl_line("a", STRIKE).decode().encode("cp1256") + b"\n")
    r = cli("process", str(tmp_path / "x.jsonl"), "--db", str(tmp_path / "s.db"))
    assert r.returncode == 0, r.stderr
    assert read_store(tmp_path / "s.db")["docs"] == {"a": STRIKE}


def test_a_repeated_id_is_reported(tmp_path):
    later = STRIKE.replace("12 عنصراً", "15 عنصراً")
    lines = [jsonl_line("a", STRIKE), jsonl_line("b", ARREST), jsonl_line("a", later)]
    (tmp_path / "x.jsonl").write_bytes(b"\n".join(lines))
    r = cli("process", str(tmp_path / "x.jsonl"), "--db", str(tmp_path / "s.db"))
    assert r.returncode == 0
    assert "repeated:  1" in r.stdout and "appears again" in r.stderr
    st = read_store(tmp_path / "s.db")
    assert st["docs"] == {"a": later, "b": ARREST}      # the later version, as across runs
    r = cli("process", str(tmp_path / "x.jsonl"), "--db", str(tmp_path / "s2.db"), "--json")
    assert json.loads(r.stdout)["run"]["repeated_ids"] == 1


# ------------------------------------------------------------------ a server that trickles

class _Trickle(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        if self.path == "/page.html":
            body = html_page("غارات", STRIKE).encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", "100000")
        self.end_headers()
        try:
            for _ in range(600):          # one byte every 0.2 s: each read succeeds, the whole never ends
                self.wfile.write(b"<")
                self.wfile.flush()
                time.sleep(0.2)
        except OSError:
            pass

    def log_message(self, *a):
        pass


@pytest.fixture
def trickle_server():
    srv = socketserver.ThreadingTCPServer(("127.0.0.1", 0), _Trickle)
    srv.daemon_threads = True
    t = threading.Thread(target=srv.serve_forever, daemon=True)
    t.start()
    yield f"http://127.0.0.1:{srv.server_address[1]}"
    srv.shutdown()
    srv.server_close()


def test_a_server_that_trickles_bytes_is_given_up(tmp_path, trickle_server):
    (tmp_path / "good.txt").write_text(ARREST, encoding="utf-8")
    t0 = time.monotonic()
    r = cli("process", str(tmp_path / "good.txt"), trickle_server + "/slow.html", trickle_server + "/page.html",
            "--db", str(tmp_path / "s.db"), "--read-seconds", "2", timeout=60)
    took = time.monotonic() - t0
    assert r.returncode == 0, r.stderr
    st = read_store(tmp_path / "s.db")
    assert sorted(st["docs"]) == sorted(["good.txt", trickle_server + "/page.html"])
    assert [(x[0], x[1]) for x in st["rejects"]] == [(trickle_server + "/slow.html", "timeout")]
    assert took < 40    # the deadline, not the server, ended the read


# ------------------------------------------------------------------ batch mode

def test_batch_with_a_lone_surrogate_completes(tmp_path):
    import pyarrow.parquet as pq

    from rasd.batch import run_batch

    lines = [jsonl_line("good-1", STRIKE), b'{"id": "s\\ud800", "text": "x"}',
             b'{"id": "t", "text": "\\ud800' + AR_UTF8.strip() + b'", "title": "\\udfff"}',
             b'{"id": "f", "text": "' + FF_TEXT.strip() + b'"}', jsonl_line("good-2", ARREST)]
    (tmp_path / "x.jsonl").write_bytes(b"\n".join(lines) + b"\n")
    s = run_batch([str(tmp_path / "x.jsonl")], tmp_path / "out", scheduler="local", workers=1)
    assert json.loads((tmp_path / "out" / "_batch.json").read_text())["complete"] is True
    assert s["reject_reasons"] == {"bad_id": 1, "encoding": 1}
    docs = {r["id"]: r for r in pq.read_table(tmp_path / "out" / "documents").to_pylist()}
    assert sorted(docs) == ["good-1", "good-2", "t"]
    assert docs["t"]["raw"].startswith("\ufffd") and docs["t"]["title"] == "\ufffd"
    assert docs["good-1"]["raw"] == STRIKE


# ------------------------------------------------------------------ writers

def _corpus(d: Path, n: int, tag: str) -> None:
    d.mkdir(parents=True, exist_ok=True)
    towns = ["البوكمال", "الرقة", "الموصل", "حلب", "إدلب", "دير الزور", "تكريت", "الفلوجة", "الرمادي", "درعا"]
    for i in range(n):
        town = towns[i % len(towns)]
        text = (STRIKE.replace("البوكمال", town).replace("12 عنصراً", f"{i + 3} عنصراً")
                + "\n" + ARREST.replace("خمسة", f"{i + 6}").replace("الموصل", towns[(i + 3) % len(towns)]))
        (d / f"{tag}-{i:03d}.txt").write_text(text, encoding="utf-8")


def _export(db: Path) -> list[dict]:
    store = Store(db, readonly=True)
    try:
        return list(store.event_records())
    finally:
        store.close()


def _doc_count(db: Path) -> int:
    try:
        c = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1)
        try:
            return c.execute("SELECT count(*) FROM documents").fetchone()[0]
        finally:
            c.close()
    except sqlite3.Error:
        return 0


def _wait_for_documents(db: Path, proc: subprocess.Popen, timeout: float = 60) -> None:
    t0 = time.monotonic()
    while _doc_count(db) == 0:
        assert proc.poll() is None, "the writer finished before anything was seen"
        assert time.monotonic() - t0 < timeout
        time.sleep(0.05)


def _popen(*args: str, env: dict | None = None) -> subprocess.Popen:
    e = {**os.environ, "PYTHONPATH": str(ROOT), **(env or {})}
    return subprocess.Popen([sys.executable, "-m", "rasd.cli", *args], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=e, cwd=ROOT)


def test_kill_9_during_ingest_then_rerun_equals_the_uninterrupted_run(tmp_path):
    _corpus(tmp_path / "in", 120, "doc")
    whole = tmp_path / "whole.db"
    t0 = time.monotonic()
    assert cli("process", str(tmp_path / "in"), "--db", str(whole)).returncode == 0
    took = time.monotonic() - t0
    db = tmp_path / "killed.db"
    p = _popen("process", str(tmp_path / "in"), "--db", str(db))
    try:
        # a random moment of the run, before its last tenth: a run of 120 small documents
        # stores them in its last moments, and a second run may go a little faster
        time.sleep(random.uniform(0.3, 0.7) * took)
        p.send_signal(signal.SIGKILL)
    finally:
        p.wait(timeout=30)
    assert p.returncode == -signal.SIGKILL, "the run must be killed while it runs"
    assert _doc_count(db) < 120
    r = cli("process", str(tmp_path / "in"), "--db", str(db))
    assert r.returncode == 0, r.stderr
    assert _export(db) == _export(whole)


def test_two_writers_on_one_store_both_finish(tmp_path):
    """The first writes for longer than SQLite's default 5 s wait; the second gets its
    turns between the first's commits (it ends first) instead of dying on 'database is
    locked'."""
    _corpus(tmp_path / "a", 400, "a")
    _corpus(tmp_path / "b", 20, "b")
    db = tmp_path / "s.db"
    first = _popen("process", str(tmp_path / "a"), "--db", str(db))
    _wait_for_documents(db, first)          # the first has committed and goes on writing
    second = _popen("process", str(tmp_path / "b"), "--db", str(db))
    assert first.poll() is None, "the second writer must start while the first writes"
    _, err2 = second.communicate(timeout=TIMEOUT)
    first_running = first.poll() is None
    _, err1 = first.communicate(timeout=TIMEOUT)
    assert first.returncode == 0 and second.returncode == 0, (err1, err2)
    assert first_running, "the second writer waited for the whole of the first"
    assert "Traceback" not in err1 + err2
    st = read_store(db)
    assert sorted(st["docs"]) == sorted([f"a-{i:03d}.txt" for i in range(400)] + [f"b-{i:03d}.txt" for i in range(20)])
    check_store_sound(st)
    c = sqlite3.connect(db)
    try:    # every document whole: its articles (and events, for those that are no copies)
        assert c.execute("SELECT count(*) FROM documents d WHERE NOT EXISTS "
                         "(SELECT 1 FROM articles a WHERE a.doc = d.id)").fetchone()[0] == 0
        assert c.execute("SELECT count(*) FROM events").fetchone()[0] > 0
    finally:
        c.close()


def test_a_writer_kept_out_too_long_stops_with_one_line(tmp_path):
    db = tmp_path / "s.db"
    (tmp_path / "good.txt").write_text(ARREST, encoding="utf-8")
    assert cli("process", str(tmp_path / "good.txt"), "--db", str(db)).returncode == 0
    (tmp_path / "other.txt").write_text(STRIKE, encoding="utf-8")
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")       # another writer that does not let go
    try:
        r = cli("process", str(tmp_path / "other.txt"), "--db", str(db), env={"RASD_BUSY_TIMEOUT": "1"})
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert r.returncode == 1
    assert "Traceback" not in r.stderr
    lines = [x for x in r.stderr.splitlines() if x.startswith("Error:")]
    assert len(lines) == 1 and "locked by another writer" in lines[0]
    assert sorted(read_store(db)["docs"]) == ["good.txt"]        # what was there is intact
