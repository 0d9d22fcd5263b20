"""rasd watch: conditional GET against a local server whose feed changes between polls,
only new or changed entries processed, a source that is down retried with back-off, and
Ctrl-C stops it cleanly."""
from __future__ import annotations

import http.server
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from rasd.store import Store
from rasd.watch import Watcher, format_duration, parse_duration

ENTRIES = [
    ("https://news.example.org/1", "وصول مقاتلين إلى عانة",
     "قال مصدر أمني عراقي إن نحو 700 من مقاتلي تنظيم داعش وصلوا إلى مدينة عانة غرب الأنبار."),
    ("https://news.example.org/2", "قصف على البوكمال",
     "شن طيران التحالف الدولي غارات جوية على مواقع لتنظيم داعش في مدينة البوكمال السورية."),
    ("https://news.example.org/3", "اشتباكات في الموصل",
     "اندلعت اشتباكات عنيفة بين القوات العراقية ومسلحي داعش في الجانب الأيمن من الموصل."),
]


def rss(entries) -> bytes:
    items = "".join(f"<item><guid>{link}</guid><link>{link}</link><title>{title}</title>"
                    f"<description>{body}</description></item>" for link, title, body in entries)
    return (f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>أخبار</title>'
            f"<link>https://news.example.org/</link>{items}</channel></rss>").encode()


class Feed:
    """What the server serves, and what it was asked."""

    def __init__(self):
        self.body = rss(ENTRIES[:2])
        self.version = 1
        self.validator = "etag"          # etag | last-modified | none
        self.down = False
        self.requests: list[dict] = []   # {path, if_none_match, if_modified_since, status}

    def change(self, entries):
        self.body = rss(entries)
        self.version += 1


@pytest.fixture
def server():
    feed = Feed()

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            rec = {"path": self.path, "if_none_match": self.headers.get("If-None-Match"),
                   "if_modified_since": self.headers.get("If-Modified-Since")}
            feed.requests.append(rec)
            if feed.down:
                rec["status"] = 503
                self.send_error(503, "down for maintenance")
                return
            etag = f'"v{feed.version}"'
            modified = time.strftime("%a, %d %b %Y %H:%M:%S GMT", time.gmtime(1_700_000_000 + feed.version * 60))
            fresh = (feed.validator == "etag" and rec["if_none_match"] == etag) or \
                    (feed.validator == "last-modified" and rec["if_modified_since"] == modified)
            if fresh:
                rec["status"] = 304
                self.send_response(304)
                self.end_headers()
                return
            rec["status"] = 200
            self.send_response(200)
            self.send_header("Content-Type", "application/rss+xml; charset=utf-8")
            self.send_header("Content-Length", str(len(feed.body)))
            if feed.validator == "etag":
                self.send_header("ETag", etag)
            elif feed.validator == "last-modified":
                self.send_header("Last-Modified", modified)
            self.end_headers()
            self.wfile.write(feed.body)

        def log_message(self, *a):
            pass

    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    feed.url = f"http://127.0.0.1:{srv.server_address[1]}/feed.xml"
    yield feed
    srv.shutdown()
    srv.server_close()


def docs(db) -> list[str]:
    s = Store(db, readonly=True)       # another connection, as the API reads the store
    try:
        return [r[0] for r in s.conn.execute("SELECT id FROM documents ORDER BY rowid")]
    finally:
        s.close()


def test_conditional_get_and_only_new_entries(server, tmp_path):
    db = tmp_path / "w.db"
    store = Store(db)
    w = Watcher([server.url], store, every=60)
    r1 = w.poll(server.url)
    assert r1.status == "changed" and (r1.summary.new, r1.summary.unchanged) == (2, 0)
    assert docs(db) == ["https://news.example.org/1", "https://news.example.org/2"]
    assert server.requests[-1] == {"path": "/feed.xml", "if_none_match": None, "if_modified_since": None,
                                   "status": 200}

    # nothing changed: the server answers 304 to the validator it gave, nothing is processed
    r2 = w.poll(server.url)
    assert r2.status == "not_modified" and r2.http_status == 304 and r2.summary.documents == 0
    assert server.requests[-1]["if_none_match"] == '"v1"' and server.requests[-1]["status"] == 304

    # a new entry, and an old one edited: only those two go through the pipeline
    edited = (ENTRIES[0][0], ENTRIES[0][1], ENTRIES[0][2].replace("700", "800"))
    server.change([edited, ENTRIES[1], ENTRIES[2]])
    r3 = w.poll(server.url)
    assert r3.status == "changed" and server.requests[-1]["status"] == 200
    assert (r3.summary.new, r3.summary.updated, r3.summary.unchanged) == (1, 1, 1)
    assert docs(db) == [e[0] for e in ENTRIES]
    raw = Store(db, readonly=True).get_document(ENTRIES[0][0]).raw
    assert "800" in raw
    store.close()

    # a restarted watcher keeps the validators (stored per URL in the store)
    store = Store(db)
    r4 = Watcher([server.url], store, every=60).poll(server.url)
    assert r4.status == "not_modified" and server.requests[-1]["if_none_match"] == '"v2"'
    store.close()


def test_last_modified_and_a_server_that_ignores_validators(server, tmp_path):
    store = Store(tmp_path / "w.db")
    server.validator = "last-modified"
    w = Watcher([server.url], store, every=60)
    assert w.poll(server.url).status == "changed"
    assert w.poll(server.url).status == "not_modified"
    assert server.requests[-1]["if_modified_since"] and server.requests[-1]["if_none_match"] is None
    # a server with no validators sends the same bytes again: not read again
    server.validator = "none"
    r = w.poll(server.url)
    assert server.requests[-1]["status"] == 200 and r.status == "same_body" and r.summary.documents == 0
    store.close()


def test_a_source_that_is_down_is_retried_with_back_off(server, tmp_path):
    store = Store(tmp_path / "w.db")
    w = Watcher([server.url], store, every=10, max_backoff=60)
    server.down = True
    waits = [w.poll(server.url) for _ in range(5)]
    assert all(r.status == "failed" and "503" in r.error for r in waits)
    assert [r.retry_in for r in waits] == [10, 20, 40, 60, 60]
    row = store.conn.execute("SELECT failures, error FROM watch_state").fetchone()
    assert row[0] == 5 and "503" in row[1]
    server.down = False
    r = w.poll(server.url)
    assert r.status == "changed" and r.summary.new == 2
    assert tuple(store.conn.execute("SELECT failures, error FROM watch_state").fetchone()) == (0, None)
    store.close()


def test_the_loop_waits_between_rounds_and_backs_off(server, tmp_path):
    """run(): one round per wake-up; a failing source comes back later than a good one."""
    store = Store(tmp_path / "w.db")
    now = [0.0]
    slept = []

    def sleep(s):
        slept.append(s)
        now[0] += s

    w = Watcher([server.url, "http://127.0.0.1:9/feed.xml"], store, every=30, timeout=2)   # port 9: nobody
    results = w.run(max_rounds=4, sleep=sleep, clock=lambda: now[0])
    good = [r for r in results if r.url == server.url]
    bad = [r for r in results if r.url != server.url]
    assert [r.status for r in good][:2] == ["changed", "not_modified"]
    assert bad and all(r.status == "failed" for r in bad)
    assert slept and all(s > 0 for s in slept)
    # the failing source is tried at 0, 30 (back-off 30), then 90 (back-off 60): fewer tries
    assert len(bad) < len(good)
    store.close()


def test_durations():
    assert [parse_duration(x) for x in ("30s", "10m", "1.5h", "1d", "90")] == [30, 600, 5400, 86400, 90]
    for bad in ("", "soon", "-5m", "0"):
        with pytest.raises(ValueError):
            parse_duration(bad)
    assert format_duration(600) == "10m" and format_duration(7200) == "2h" and format_duration(45) == "45s"


def test_the_command_polls_once_and_the_api_sees_the_rows(server, tmp_path):
    from click.testing import CliRunner

    from rasd.cli import main
    db = tmp_path / "w.db"
    r = CliRunner().invoke(main, ["watch", server.url, "--db", str(db), "--once"])
    assert r.exit_code == 0, r.output
    assert f"{server.url}: 2 new, 0 updated, 0 unchanged" in r.stderr

    import warnings
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from fastapi.testclient import TestClient
    from rasd.api import create_app
    with TestClient(create_app(db), base_url="http://localhost") as c:
        before = c.get("/api").json()
        server.change(ENTRIES)
        r = CliRunner().invoke(main, ["watch", server.url, "--db", str(db), "--once"])
        assert "1 new, 0 updated, 2 unchanged" in r.stderr
        after = c.get("/api").json()
    assert before != after
    assert docs(db)[-1] == ENTRIES[2][0]


def test_the_command_fails_when_every_source_is_down(tmp_path):
    from click.testing import CliRunner

    from rasd.cli import main
    r = CliRunner().invoke(main, ["watch", "http://127.0.0.1:9/feed.xml", "--db", str(tmp_path / "w.db"),
                                  "--once", "--timeout", "2"])
    assert r.exit_code == 1 and "failed" in r.stderr and "Traceback" not in r.stderr


@pytest.mark.skipif(sys.platform == "win32", reason="sends SIGINT")
def test_ctrl_c_stops_it_cleanly(server, tmp_path):
    db = tmp_path / "w.db"
    exe = Path(sys.executable).parent / "rasd"
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent)}
    p = subprocess.Popen([str(exe), "watch", server.url, "--db", str(db), "--every", "1s"],
                         stderr=subprocess.PIPE, text=True, env=env)
    try:
        lines = [p.stderr.readline(), p.stderr.readline()]   # two polls: changed, then not modified
        assert "2 new" in lines[0] and "not modified" in lines[1], lines
        p.send_signal(signal.SIGINT)
        rest = p.communicate(timeout=30)[1]
    finally:
        if p.poll() is None:
            p.kill()
    assert p.returncode == 0 and "Traceback" not in rest and "stopped" in rest
    assert docs(db) == [ENTRIES[0][0], ENTRIES[1][0]]


def test_a_local_feed_file_is_read_again_only_when_it_changes(tmp_path):
    feed = tmp_path / "feed.xml"
    feed.write_bytes(rss(ENTRIES[:1]))
    store = Store(tmp_path / "w.db")
    w = Watcher([str(feed)], store, every=60)
    assert w.poll(str(feed)).summary.new == 1
    assert w.poll(str(feed)).status == "not_modified"
    feed.write_bytes(rss(ENTRIES[:2]))
    os.utime(feed, ns=(time.time_ns(), time.time_ns() + 10**9))     # a later modification time
    r = w.poll(str(feed))
    assert r.status == "changed" and (r.summary.new, r.summary.unchanged) == (1, 1)
    feed.unlink()
    r = w.poll(str(feed))
    assert r.status == "failed" and "FileNotFoundError" in r.error
    store.close()
