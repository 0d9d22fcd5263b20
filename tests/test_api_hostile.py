"""Hostile input to the HTTP API: nothing crashes, nothing hangs, nothing leaks.

Oversized integers are 400s on every endpoint that takes them (the exports too, before
their stream starts); a text query is bounded in length and words, and a request's time
in the store by a deadline (503); a foreign ``Host`` header is a 400 (DNS rebinding); no
response holds a filesystem path. And what held before still does: SQL injection and FTS5
syntax in every parameter, path traversal and writes are refused, and the store is never
changed. The slow-request tests prove only that an answer comes within a generous bound;
how long it takes is measured by ``bench/bench_api_hostile.py``."""
from __future__ import annotations

import hashlib
import http.client
import json
import sqlite3
import subprocess
import sys
import time
import warnings
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import quote, urlencode

import pytest
from conftest import free_port, serving

from rasd.api import create_app
from rasd.api import limits as L
from rasd.api.db import Database, TooCostly

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

HUGE = [str(2**63), str(2**64), str(-(2**63) - 1), "9" * 5000]
INT_PARAMS = [  # (url, parameter): every endpoint that takes an integer
    ("/api/events", "limit"), ("/api/events", "offset"),
    ("/api/events.csv", "limit"), ("/api/events.csv", "offset"),
    ("/api/events.geojson", "limit"), ("/api/events.geojson", "offset"),
    ("/api/articles", "limit"), ("/api/articles", "offset"),
    ("/api/search?q=داعش", "limit"), ("/api/search?q=داعش", "offset"),
    ("/api/places", "limit"),
]
Q_URLS = ["/api/events", "/api/events.csv", "/api/events.geojson", "/api/timeline", "/api/search"]
COMMON = ["في", "من", "إلى", "أن", "على", "التي", "بعد", "مع", "عن", "بين"]
GENEROUS = 30.0     # seconds: "it answers", not "it is fast"


def phrase(n: int) -> str:
    return '"' + " ".join(COMMON[i % len(COMMON)] for i in range(n)) + '"'


@pytest.fixture(scope="module")
def db(seed_store):
    return seed_store[2]


@pytest.fixture(scope="module")
def client(db):
    with TestClient(create_app(db), base_url="http://localhost") as c:
        yield c


@pytest.fixture(scope="module")
def article_id(client):
    """An article's id, quoted for a path (ids hold '#')."""
    return quote(client.get("/api/articles?limit=1").json()["items"][0]["id"], safe="")


def is_error(r, status: int, param: str | None = None) -> dict:
    assert r.status_code == status, (r.status_code, r.text[:300])
    assert r.headers["content-type"].startswith("application/json")
    err = r.json()["error"]
    assert err["status"] == status and err["message"]
    if param is not None:
        assert err.get("param") == param, err
    return err


# ------------------------------------------------------------------ 10: integers


@pytest.mark.parametrize(("url", "param"), INT_PARAMS)
@pytest.mark.parametrize("value", HUGE)
def test_an_oversized_integer_is_a_400_everywhere(client, url, param, value):
    sep = "&" if "?" in url else "?"
    err = is_error(client.get(f"{url}{sep}{param}={value}"), 400, param)
    assert err["message"].startswith(param + ":")
    assert len(err["message"]) < 300           # the value is not echoed in full


@pytest.mark.parametrize(("url", "param", "words"), [
    ("/api/events", "limit", "between 1 and 500"), ("/api/events", "offset", f"between 0 and {L.MAX_OFFSET}"),
    ("/api/search?q=x", "limit", "between 1 and 100"), ("/api/places", "limit", "between 1 and"),
    ("/api/events.csv", "limit", "between 1 and"),
])
def test_the_message_gives_the_bounds(client, url, param, words):
    sep = "&" if "?" in url else "?"
    assert words in is_error(client.get(f"{url}{sep}{param}={2**63}"), 400, param)["message"]


def test_the_largest_offset_is_an_empty_page(client, records_total):
    big = L.MAX_OFFSET
    body = client.get(f"/api/events?offset={big}").json()
    assert body["items"] == [] and body["total"] == records_total and body["offset"] == big
    assert client.get(f"/api/articles?offset={big}").json()["items"] == []
    assert client.get(f"/api/search?q=داعش&offset={big}").json()["items"] == []
    r = client.get(f"/api/events.csv?offset={big}")
    assert r.status_code == 200 and r.text.count("\n") == 1          # the header only
    r = client.get(f"/api/events.geojson?offset={big}")
    assert r.status_code == 200 and r.json() == {"type": "FeatureCollection", "features": []}


@pytest.fixture(scope="module")
def records_total(seed_store):
    return len(list(seed_store[0].event_records()))


@pytest.mark.parametrize("value", ["nan", "inf", "-inf", "1e309"])
def test_min_confidence_outside_0_1_is_a_400(client, value):
    is_error(client.get(f"/api/events?min_confidence={value}"), 400, "min_confidence")


# ------------------------------------------------------------------ 11: bounded work


@pytest.mark.parametrize("url", Q_URLS + ["/api/articles/{art}"])
def test_a_huge_query_is_refused_before_any_work(client, url, article_id):
    """(The 6,000 words of the issue go to a real server below: httpx refuses to send a
    query string over 64 KB; this one is ~30 KB.)"""
    t = time.monotonic()
    r = client.get(url.format(art=article_id), params={"q": phrase(2000)})
    assert time.monotonic() - t < GENEROUS
    err = is_error(r, 400)
    assert "query string" in err["message"] and str(L.MAX_QUERY_STRING) in err["message"]


@pytest.mark.parametrize("url", Q_URLS)
def test_q_is_bounded_in_words_and_characters(client, url):
    n = L.MAX_QUERY_WORDS + 1
    err = is_error(client.get(url, params={"q": phrase(n)}), 400, "q")
    assert f"{n} words" in err["message"] and str(L.MAX_QUERY_WORDS) in err["message"]
    long_word = "ب" * (L.MAX_QUERY_CHARS + 1)
    err = is_error(client.get(url, params={"q": long_word}), 400, "q")
    assert "characters" in err["message"] and str(L.MAX_QUERY_CHARS) in err["message"]


@pytest.mark.parametrize("url", Q_URLS)
def test_the_longest_allowed_phrase_of_common_words_answers_in_time(client, url):
    t = time.monotonic()
    r = client.get(url, params={"q": phrase(L.MAX_QUERY_WORDS)})
    assert time.monotonic() - t < GENEROUS
    assert r.status_code in (200, 503), r.text[:300]
    if r.status_code == 503:
        is_error(r, 503)


def test_hostile_requests_at_once_all_answer(client):
    urls = [(u, {"q": phrase(L.MAX_QUERY_WORDS)}) for u in Q_URLS] + [(u, {"q": phrase(2000)}) for u in Q_URLS]
    t = time.monotonic()
    with ThreadPoolExecutor(8) as pool:
        statuses = list(pool.map(lambda a: client.get(a[0], params=a[1]).status_code, urls * 2))
    assert time.monotonic() - t < 2 * GENEROUS
    assert set(statuses) <= {200, 400, 503}
    assert client.get("/api/events").status_code == 200          # and the server still serves


@pytest.mark.parametrize(("query", "param", "words"), [
    ("place=" + "ا" * (L.MAX_VALUE_CHARS + 1), "place", "characters long"),
    ("source=" + "x" * (L.MAX_VALUE_CHARS + 1), "source", "characters long"),
    ("&".join(["type=battles"] * (L.MAX_PARAMS + 1)), None, "query parameters"),
    ("sub_type=" + "x" * (L.MAX_QUERY_STRING + 1), None, "query string"),
])
def test_oversized_requests_are_400(client, query, param, words):
    err = is_error(client.get("/api/events?" + query), 400, param)
    assert words in err["message"]


def test_a_long_path_is_400(client):
    assert "path" in is_error(client.get("/api/events/" + "x" * (L.MAX_PATH_CHARS + 1)), 400)["message"]


def test_past_its_deadline_a_statement_stops_and_the_connection_serves_again(db):
    database = Database(db, pool_size=1, max_seconds=0.05)
    slow = "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < ?) SELECT count(*) FROM c"
    try:
        t = time.monotonic()
        with pytest.raises(TooCostly) as exc, database.connection() as conn:
            conn.execute(slow, (10**9,)).fetchone()
        assert time.monotonic() - t < GENEROUS
        assert exc.value.status == 503 and "0.05 s" in exc.value.message
        with database.connection() as again:           # a connection with its whole time
            assert again.execute(slow, (1000,)).fetchone()[0] == 1000
        with database.connection(None) as conn:         # no limit (the caches' builds)
            assert conn.execute(slow, (10**6,)).fetchone()[0] == 10**6
    finally:
        database.close()


def test_a_request_past_its_time_is_a_503_and_an_export_says_so_before_streaming(db, monkeypatch):
    """(The seed store is small: a look at the clock at every step, and almost no time.)"""
    monkeypatch.setattr("rasd.api.db.PROGRESS_STEPS", 1)
    with TestClient(create_app(db, max_request_seconds=1e-9), base_url="http://localhost") as c:
        for url in ("/api/events?q=داعش", "/api/timeline?q=داعش", "/api/events.csv?q=داعش",
                    "/api/events.geojson?q=داعش"):
            err = is_error(c.get(url), 503)
            assert "more than" in err["message"], err
    with TestClient(create_app(db, max_request_seconds=None), base_url="http://localhost") as c:
        for url in ("/api/events?q=داعش", "/api/timeline?q=داعش", "/api/events.csv?q=داعش"):
            assert c.get(url).status_code == 200


# ------------------------------------------------------------------ 12: Host, paths


@pytest.mark.parametrize("host", ["localhost", "localhost:8000", "LOCALHOST:1", "127.0.0.1", "127.0.0.1:8000",
                                  "[::1]", "[::1]:8000"])
def test_loopback_hosts_are_served(client, host):
    for url in ("/api", "/", "/api/events?limit=1"):
        assert client.get(url, headers={"host": host}).status_code == 200, (host, url)


@pytest.mark.parametrize("host", ["evil.example", "evil.example:8000", "localhost.evil.example", "evil.localhost",
                                  "127.0.0.1.nip.io", "localhost:80:80", "localhost:http", "[::1", "[::2]:80",
                                  "127.0.0.2", "", "localhost@evil.example", "0.0.0.0"])
def test_a_foreign_host_is_a_400_everywhere(client, host):
    for url in ("/api", "/api/events", "/api/events.csv", "/", "/app.js", "/docs", "/openapi.json", "/nothing"):
        err = is_error(client.get(url, headers={"host": host}), 400)
        assert "Host" in err["message"] and "--allow-host" in err["message"]


def test_refusals_carry_the_security_headers(client):
    r = client.get("/api", headers={"host": "evil.example"})
    assert r.headers["x-content-type-options"] == "nosniff" and "default-src 'self'" in r.headers[
        "content-security-policy"]


def test_allowed_hosts_are_loopback_the_bound_name_and_the_extra_ones():
    assert L.allowed_hosts() == ("127.0.0.1", "localhost", "::1")
    for wildcard in ("0.0.0.0", "::", ""):
        assert L.allowed_hosts(wildcard) == L.allowed_hosts()
    assert L.allowed_hosts("rasd.lan", ["Map.Example.org", "[fe80::1]"]) == (
        "127.0.0.1", "localhost", "::1", "rasd.lan", "map.example.org", "fe80::1")
    assert L.host_name("[FE80::1]:80") == "fe80::1" and L.host_name("a:1:2") is None


def test_the_guard_refuses_a_request_without_host(db):
    guard = L.RequestGuard(None, L.allowed_hosts())
    assert "no Host" in guard.refusal({"type": "http", "headers": [], "path": "/api"})[0]
    assert guard.refusal({"type": "http", "headers": [(b"host", b"localhost")], "path": "/api"}) is None


def test_an_allowed_name_is_served(db):
    with TestClient(create_app(db, allow_hosts=["rasd.lan"]), base_url="http://rasd.lan:8000") as c:
        assert c.get("/api").status_code == 200
        assert c.get("/api", headers={"host": "localhost"}).status_code == 200
        is_error(c.get("/api", headers={"host": "other.lan"}), 400)


def test_no_filesystem_path_in_any_answer(client, db, article_id):
    about = client.get("/api").json()
    assert about["store"] == Path(db).name
    folder = str(Path(db).resolve().parent)
    urls = ["/api", "/api/events", "/api/places", "/api/timeline", "/api/articles", f"/api/articles/{article_id}",
            "/api/search?q=داعش", "/api/events.csv", "/api/events.geojson", "/openapi.json", "/api/events/nope",
            "/api/nothing", "/api/events?limit=x", "/api/events?offset=" + str(2**63)]
    for url in urls:
        body = client.get(url).text
        assert folder not in body and str(Path.home()) + "/" not in body, url


# ------------------------------------------------------------------ what held before still holds


INJECTIONS = ["' OR '1'='1", "x' OR 1=1 --", "1; DROP TABLE events; --", "\") OR (\"1\"=\"1",
              "' UNION SELECT data FROM events --", "%' OR 1=1 --", "x\x00y", "');ATTACH DATABASE '/tmp/x' AS x;--"]
FTS = ['NEAR(داعش التحالف)', "داعش OR التحالف", '"unterminated', "*", "داعش AND NOT التحالف", "^داعش",
       "norm_text:داعش", "{norm_text}: داعش", "(((", ")", "داعش + التحالف", "-داعش", "داعش NOT", '""""',
       "rowid:1", "articles_fts MATCH 'x'"]


def _fingerprint(path) -> tuple:
    wal = Path(str(path) + "-wal")
    return hashlib.sha256(Path(path).read_bytes()).hexdigest(), (wal.stat().st_size if wal.exists() else 0)


@pytest.fixture(scope="module")
def copy_client(tmp_path_factory, db):
    path = tmp_path_factory.mktemp("hostile") / "copy.db"
    src, dst = sqlite3.connect(db), sqlite3.connect(path)
    src.backup(dst)
    src.close()
    dst.close()
    before = _fingerprint(path)
    with TestClient(create_app(path), base_url="http://localhost") as c:
        yield c
    assert _fingerprint(path) == before


@pytest.mark.parametrize("s", INJECTIONS)
def test_sql_injection_in_every_parameter_is_inert(copy_client, s, records_total):
    c = copy_client
    empty_filters = ["sub_type", "actor", "place", "source", "claim_group"]
    for p in empty_filters:
        r = c.get("/api/events", params={p: s})
        assert r.status_code == 200 and r.json()["total"] == 0, (p, r.text[:200])
    for p in ("type", "stance", "sort", "order", "bbox", "date_from", "date_to", "min_confidence", "limit",
              "offset", "interval"):
        url = "/api/timeline" if p == "interval" else "/api/events"
        assert c.get(url, params={p: s}).status_code == 400, p
    for url, params in (("/api/events", {"q": s}), ("/api/timeline", {"q": s}), ("/api/search", {"q": s}),
                        ("/api/events.csv", {"q": s}), ("/api/articles", {"doc": s}),
                        ("/api/articles", {"story": s})):
        r = c.get(url, params=params)
        assert r.status_code in (200, 400), (url, params, r.text[:200])
        if url in ("/api/events", "/api/articles", "/api/search") and r.status_code == 200:
            assert r.json()["total"] < records_total, (url, params)
    for prefix in ("/api/events/", "/api/articles/", "/api/claims/"):
        assert c.get(prefix + quote(s, safe="")).status_code == 404, prefix
    assert c.get("/api").json()["counts"]["events"] == records_total


@pytest.mark.parametrize("s", FTS)
def test_fts5_syntax_is_read_as_words(client, s, article_id):
    for url in Q_URLS + [f"/api/articles/{article_id}"]:
        r = client.get(url, params={"q": s})
        assert r.status_code in (200, 400), (url, s, r.text[:200])
        if r.status_code == 400:
            assert r.json()["error"]["param"] == "q"


@pytest.mark.parametrize("path", ["/../../../etc/passwd", "/%2e%2e/%2e%2e/etc/passwd", "/vendor/../../api/db.py",
                                  "/..%2f..%2frasd%2fcli.py", "/vendor/%2e%2e/%2e%2e/api/app.py",
                                  "/vendor/leaflet/..%5c..%5c..%5capi%5capp.py"])
def test_path_traversal_finds_nothing(client, path):
    r = client.get(path)
    assert r.status_code in (400, 404), (path, r.status_code)
    assert "root:" not in r.text and "import " not in r.text


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_writes_are_refused(client, method):
    for url in ("/api/events", "/api/articles", "/api", "/"):
        r = getattr(client, method)(url)
        assert r.status_code == 405, (method, url)


# ------------------------------------------------------------------ a real server


def _get(port: int, path: str, host: str) -> tuple[int, dict, bytes]:
    """A GET with this Host header; reading the whole body (a cut stream raises)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=GENEROUS)
    try:
        conn.putrequest("GET", path, skip_host=True, skip_accept_encoding=True)
        conn.putheader("Host", host)
        conn.endheaders()
        r = conn.getresponse()
        return r.status, dict(r.getheaders()), r.read()
    finally:
        conn.close()


@pytest.fixture(scope="module")
def served(db, tmp_path_factory):
    """`rasd serve --allow-host rasd.test` on 127.0.0.1; yields the port."""
    log = tmp_path_factory.mktemp("serve") / "serve.log"
    port = free_port()
    with serving(db, log, "--allow-host", "rasd.test", port=port, timeout=GENEROUS):
        yield port


def test_the_server_checks_the_host_header(served):
    port = served
    for host in (f"127.0.0.1:{port}", f"localhost:{port}", "rasd.test", f"rasd.test:{port}"):
        assert _get(port, "/api", host)[0] == 200, host
    for host in ("evil.example", f"evil.example:{port}", "rasd.test.evil.example"):
        status, _, body = _get(port, "/api", host)
        assert status == 400 and json.loads(body)["error"]["status"] == 400, host


@pytest.mark.parametrize("url", Q_URLS + ["/api/articles/{art}"])
def test_the_pathological_query_of_the_issue_answers_in_time(served, url, article_id):
    """A quoted phrase of 6,000 common words (~97 KB): 5-16 s of CPU per request before."""
    t = time.monotonic()
    status, _, body = _get(served, url.format(art=article_id) + "?" + urlencode({"q": phrase(6000)}),
                           "localhost")
    assert time.monotonic() - t < GENEROUS
    assert status in (200, 400, 503), status
    if status != 200:
        assert json.loads(body)["error"]["status"] == status


def test_eight_pathological_queries_at_once_answer_in_time(served):
    path = "/api/timeline?" + urlencode({"q": phrase(6000)})
    t = time.monotonic()
    with ThreadPoolExecutor(8) as pool:
        statuses = list(pool.map(lambda _: _get(served, path, "localhost")[0], range(8)))
    assert time.monotonic() - t < GENEROUS
    assert set(statuses) <= {200, 400, 503}


@pytest.mark.parametrize("path", ["/api/events.csv?offset=", "/api/events.geojson?offset=",
                                  "/api/events.csv?limit=", "/api/events.geojson?limit=",
                                  "/api/articles?offset=", "/api/events?offset="])
def test_the_server_answers_oversized_integers_with_a_whole_400(served, path):
    status, headers, body = _get(served, path + str(2**63), "localhost")
    assert status == 400 and headers["content-type"].startswith("application/json")
    assert json.loads(body)["error"]["param"] in ("offset", "limit")


def test_the_server_exports_whole_streams(served, records_total):
    status, _, body = _get(served, "/api/events.csv", "localhost")
    assert status == 200 and body.decode("utf-8").count("\n") >= records_total + 1
    status, _, body = _get(served, "/api/events.geojson", "localhost")
    assert status == 200 and json.loads(body)["type"] == "FeatureCollection"


def test_serve_refuses_a_deadline_of_zero(db):
    r = subprocess.run([sys.executable, "-m", "rasd.cli", "serve", "--db", str(db), "--max-request-seconds", "0"],
                       capture_output=True, text=True, timeout=GENEROUS, check=False)
    assert r.returncode != 0 and "max-request-seconds" in r.stderr and "Traceback" not in r.stderr
