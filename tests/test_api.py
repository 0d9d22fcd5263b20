"""The HTTP API, in-process over the processed seeds: every endpoint, filters, paging,
sorting, one error shape, Arabic-normalised search with raw-offset highlights, exports,
and that it never writes."""
from __future__ import annotations

import csv
import hashlib
import io
import re
import sqlite3
import warnings
from pathlib import Path
from urllib.parse import quote

import pytest

from rasd.export import CSV_COLUMNS
from rasd.lang.normalize import norm_key
from rasd.store import Store, StoreError

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

from rasd.api import create_app


@pytest.fixture(scope="module")
def store_db(seed_store):
    return seed_store[2]


@pytest.fixture(scope="module")
def client(store_db):
    with TestClient(create_app(store_db), base_url="http://localhost") as c:
        yield c


@pytest.fixture(scope="module")
def records(seed_store):
    return list(seed_store[0].event_records())


@pytest.fixture(scope="module")
def raws(seed_store):
    store = seed_store[0]
    return {d: store.get_document(d).raw for d in {e["doc"] for e in store.event_records()} |
            {a.doc for a in store.articles()}}


def enc(s: str) -> str:
    return quote(s, safe="")


def ids(resp) -> list[str]:
    assert resp.status_code == 200, resp.text
    return [e["id"] for e in resp.json()["items"]]


def all_ids(client, **params) -> list[str]:
    params = {**params, "limit": 500}
    return ids(client.get("/api/events", params=params))


def the_denial(records) -> dict:
    """The coalition's denial in seed 001: «التحالف الذي تقوده أميركا ... نفى ذلك»."""
    found = [e for e in records if e["doc"].startswith("001_") and e["stance"] == "deny"
             and any(s["name"].startswith("التحالف") and s["stance"] == "deny" for s in e["sources"])]
    assert found, "seed 001's coalition denial is not extracted"
    return found[0]


# ------------------------------------------------------------------ /api/events


def test_events_page_shape(client, records):
    r = client.get("/api/events")
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/json")
    body = r.json()
    assert set(body) == {"total", "limit", "offset", "items"}
    assert body["total"] == len(records) and body["limit"] == 50 and body["offset"] == 0
    assert len(body["items"]) == min(50, len(records))
    by_id = {e["id"]: e for e in records}
    for item in body["items"]:
        assert item == by_id[item["id"]]      # the exported dict, as stored
        for field in ("doc", "article", "type", "sub_type", "actor", "actor2", "places", "count", "fatalities",
                      "date", "date_precision", "sources", "claim_group", "evidence"):
            assert field in item


def test_pages_do_not_overlap_and_cover_everything(client, records):
    seen = []
    offset = 0
    while True:
        r = client.get("/api/events", params={"limit": 7, "offset": offset, "sort": "date"})
        page = r.json()
        assert page["limit"] == 7 and page["offset"] == offset and page["total"] == len(records)
        if not page["items"]:
            break
        seen += [e["id"] for e in page["items"]]
        offset += 7
    assert len(seen) == len(set(seen)) == len(records)
    assert client.get("/api/events", params={"offset": 10_000}).json()["items"] == []


def test_sorting(client, records):
    by_id = sorted(e["id"] for e in records)
    assert all_ids(client, sort="id") == by_id
    assert all_ids(client, sort="-id") == by_id[::-1]
    assert all_ids(client, sort="id", order="desc") == by_id[::-1]
    types = [e["type"] for e in client.get("/api/events", params={"sort": "type", "limit": 500}).json()["items"]]
    assert types == sorted(types)
    for sort in ("date", "-date"):         # undated events last, both ways
        dates = [e["date"] for e in client.get("/api/events", params={"sort": sort, "limit": 500}).json()["items"]]
        dated = [d for d in dates if d]
        assert dates[:len(dated)] == dated
        assert dated == sorted(dated, reverse=sort.startswith("-"))


def test_filter_by_type_sub_type_stance_and_group(client, records):
    for t in {e["type"] for e in records}:
        assert set(all_ids(client, type=t)) == {e["id"] for e in records if e["type"] == t}
    two = {"movement", "battles"}
    want = {e["id"] for e in records if e["type"] in two}
    assert set(all_ids(client, type="movement,battles")) == want
    assert set(ids(client.get("/api/events", params=[("type", "movement"), ("type", "battles"),
                                                       ("limit", 500)]))) == want
    sub = records[0]["sub_type"]
    assert set(all_ids(client, sub_type=sub)) == {e["id"] for e in records if e["sub_type"] == sub}
    assert set(all_ids(client, stance="deny")) == {e["id"] for e in records if e["stance"] == "deny"}
    g = the_denial(records)["claim_group"]
    assert set(all_ids(client, claim_group=g)) == {e["id"] for e in records if e["claim_group"] == g}


def test_actor_matches_either_side(client, records):
    want = {e["id"] for e in records if "isis" in (e["actor"], e["actor2"])}
    got = set(all_ids(client, actor="isis"))
    assert got == want
    assert any(e["actor2"] == "isis" for e in records if e["id"] in got)


def test_place_filter_is_normalised_and_takes_spelling_variants(client, records):
    def key(p):
        return p["gazetteer_id"] or p["name"]

    rawa = {key(p) for e in records for p in e["places"] if norm_key(p["name"]) in ("راوه", "رواه")}
    want = {e["id"] for e in records if any(key(p) in rawa for p in e["places"])}
    assert want
    for spelling in ("راوة", "راوه", "رَاوَة"):
        assert set(all_ids(client, place=spelling)) == want
    ramadi = {e["id"] for e in records if any(norm_key(p["name"]) == "الرمادي" for p in e["places"])}
    assert ramadi and ramadi <= set(all_ids(client, place="الرمادى"))
    assert set(all_ids(client, place="رمادي")) == set(all_ids(client, place="الرمادي"))   # without ال
    assert all_ids(client, place="لا مكان بهذا الاسم") == []


def test_bbox_filter(client, store_db):
    box = (40.0, 33.5, 44.0, 36.5)
    conn = sqlite3.connect(store_db)
    want = {r[0] for r in conn.execute("SELECT id FROM events WHERE lon BETWEEN ? AND ? AND lat BETWEEN ? AND ?",
                                       (box[0], box[2], box[1], box[3]))}
    conn.close()
    assert want
    assert set(all_ids(client, bbox=",".join(map(str, box)))) == want


def test_date_range(client, records):
    dated = sorted(e["date"] for e in records if e["date"])
    assert dated, "no dated event in the seeds"
    d = dated[0][:10]
    want = {e["id"] for e in records if e["date"] and e["date"][:10] == d}
    assert set(all_ids(client, date_from=d, date_to=d)) == want
    assert set(all_ids(client, date_from=d[:7], date_to=d[:7])) >= want          # a month
    assert set(all_ids(client, date_from=d[:4])) >= want                          # a year on
    assert all_ids(client, date_to="1900-01-01") == []
    with_undated = set(all_ids(client, date_from=d, date_to=d, undated="true"))
    assert with_undated == want | {e["id"] for e in records if not e["date"]}


def test_source_filter_is_a_normalised_substring(client, records):
    denial = the_denial(records)
    want = {e["id"] for e in records if any("التحالف" in norm_key(s["name"]) for s in e["sources"])}
    assert denial["id"] in want
    assert set(all_ids(client, source="التحالف")) == want
    assert set(all_ids(client, source="التَّحالُف")) == want                    # diacritics
    assert set(all_ids(client, source="تقوده أميركا")) >= {denial["id"]}
    assert all_ids(client, source="لا أحد") == []


def test_text_query_over_evidence(client, records):
    denial = the_denial(records)
    got = all_ids(client, q="نفى ذلك")
    assert denial["id"] in got
    for i in got:
        ev = next(e for e in records if e["id"] == i)["evidence"]["text"]
        assert "نفي ذلك" in norm_key(ev)
    ramadi = {e["id"] for e in records if "الرمادي" in norm_key(e["evidence"]["text"]).split()}
    assert ramadi and ramadi <= set(all_ids(client, q="الرمادى"))                 # ى/ي
    assert set(all_ids(client, q="الرمادي")) == set(all_ids(client, q="الرَّمادي"))
    # filters combine
    both = set(all_ids(client, q="الرمادي", type="battles"))
    assert both == set(all_ids(client, q="الرمادي")) & set(all_ids(client, type="battles"))


# ------------------------------------------------------------------ errors


@pytest.mark.parametrize("url, param, words", [
    ("/api/events?bbox=1,2,3", "bbox", "four numbers"),
    ("/api/events?bbox=a,b,c,d", "bbox", "four numbers"),
    ("/api/events?bbox=10,20,5,30", "bbox", "must not exceed"),
    ("/api/events?bbox=0,95,1,96", "bbox", "latitudes"),
    ("/api/events?date_from=2017-13-01", "date_from", "ISO date"),
    ("/api/events?date_to=yesterday", "date_to", "ISO date"),
    ("/api/events?date_from=2018-01-01&date_to=2017-01-01", "date_to", "before date_from"),
    ("/api/events?limit=501", "limit", "between 1 and 500"),
    ("/api/events?limit=0", "limit", "between 1 and 500"),
    ("/api/events?limit=ten", "limit", "integer"),
    ("/api/events?offset=-1", "offset", "between 0 and"),
    ("/api/events?sort=place", "sort", "unknown sort field"),
    ("/api/events?order=up", "order", "asc or desc"),
    ("/api/events?type=battle", "type", "unknown event type"),
    ("/api/events?stance=maybe", "stance", "assert or deny"),
    ("/api/events?typ=battles", "typ", "unknown parameter"),
    ("/api/events?q=", "q", "empty"),
    ("/api/events?q=%C2%AB%C2%BB", "q", "no words"),
    ("/api/events.csv?bbox=1,2", "bbox", "four numbers"),
    ("/api/events.geojson?date_from=x", "date_from", "ISO date"),
    ("/api/search", "q", "required"),
    ("/api/search?q=%20", "q", "empty"),
    ("/api/search?q=x&limit=101", "limit", "between 1 and 100"),
    ("/api/articles?limit=1000", "limit", "between 1 and 500"),
    ("/api/timeline?interval=week", "interval", "day, month, year"),
])
def test_bad_parameters_are_400_with_a_message(client, url, param, words):
    r = client.get(url)
    assert r.status_code == 400, r.text
    err = r.json()["error"]
    assert err["status"] == 400 and err["param"] == param
    assert err["message"].startswith(param) and words in err["message"], err["message"]


@pytest.mark.parametrize("url", ["/api/events/nope", "/api/articles/nope", "/api/claims/nope", "/api/nothing",
                                 "/nothing.html"])
def test_404s_have_the_same_shape(client, url):
    r = client.get(url)
    assert r.status_code == 404
    assert r.json() == {"error": {"status": 404, "message": r.json()["error"]["message"]}}
    assert r.json()["error"]["message"]


def test_the_api_does_not_take_writes(client):
    for method in ("post", "put", "delete"):
        r = getattr(client, method)("/api/events")
        assert r.status_code == 405 and r.json()["error"]["status"] == 405
        assert "read-only" in r.json()["error"]["message"]


# ------------------------------------------------------------------ one event, claims


def test_event_with_its_article_and_evidence(client, records, raws):
    for e in records[:12] + [the_denial(records)]:
        r = client.get(f"/api/events/{enc(e['id'])}")
        assert r.status_code == 200, r.text
        d = r.json()
        assert d["event"] == e
        art = d["article"]
        assert art["id"] == e["article"]
        raw = raws[e["doc"]]
        for p in art["paragraphs"]:
            assert raw[p["start"]:p["end"]] == p["text"]         # text documents: text is raw
        evid = [h for h in d["highlights"] if h["kind"] == "evidence"]
        assert "".join(h["text"] for h in evid) == e["evidence"]["text"]
        for h in d["highlights"]:
            block = art["paragraphs"][h["block"]]["text"] if h["block"] != "title" else art["title"]
            assert block[h["start"]:h["end"]] == h["text"] == raw[h["raw_start"]:h["raw_end"]]
        assert d["evidence"]["text"] == e["evidence"]["text"]
        assert art["paragraphs"][d["evidence"]["block"]]["text"][
            d["evidence"]["block_start"]:d["evidence"]["block_end"]] == e["evidence"]["text"]


def test_a_denial_marks_where_the_denying_source_is_named(client, records):
    e = the_denial(records)
    d = client.get(f"/api/events/{enc(e['id'])}").json()
    src = [h for h in d["highlights"] if h["kind"] == "source"]
    assert src and src[0]["stance"] == "deny" and src[0]["text"].startswith("التحالف")
    assert d["claim_group_size"] >= 2


def test_claims_side_by_side(client, records):
    e = the_denial(records)
    r = client.get(f"/api/claims/{enc(e['claim_group'])}")
    assert r.status_code == 200
    c = r.json()
    members = [x for x in records if x["claim_group"] == e["claim_group"]]
    assert c["claim_group"] == e["claim_group"] and c["total"] == len(members)
    assert {x["id"] for x in c["denials"]} == {x["id"] for x in members if x["stance"] == "deny"}
    assert {x["id"] for x in c["asserts"]} == {x["id"] for x in members if x["stance"] != "deny"}
    assert c["asserts"] and e["id"] in {x["id"] for x in c["denials"]}
    assert all(x["article_title"] for x in c["asserts"] + c["denials"])
    assert any(s["name"].startswith("التحالف") and s["stance"] == "deny" for s in c["sources"])


# ------------------------------------------------------------------ articles


def test_articles_paged(client, seed_store):
    arts = list(seed_store[0].articles())
    r = client.get("/api/articles", params={"limit": 4})
    body = r.json()
    assert body["total"] == len(arts) and len(body["items"]) == 4
    assert [a["id"] for a in body["items"]] == [a.id for a in arts[:4]]
    rest = client.get("/api/articles", params={"limit": 500, "offset": 4}).json()["items"]
    assert [a["id"] for a in rest] == [a.id for a in arts[4:]]
    originals = client.get("/api/articles", params={"duplicates": "false", "limit": 500}).json()
    assert originals["total"] == sum(1 for a in arts if a.duplicate_of is None)
    events = list(seed_store[0].event_records())
    for a in body["items"]:
        assert a["n_events"] == sum(1 for e in events if e["article"] == a["id"])


def test_article_with_paragraphs_copies_and_events(client, seed_store, raws, records):
    store = seed_store[0]
    arts = {a.id: a for a in store.articles()}
    copied = next(a for a in arts.values() if any(b.duplicate_of == a.id for b in arts.values()))
    d = client.get(f"/api/articles/{enc(copied.id)}").json()
    raw = raws[copied.doc]
    assert [(p["start"], p["end"]) for p in d["paragraphs"]] == [(p.start, p.end) for p in copied.paragraphs]
    assert all(p["text"] == raw[p["start"]:p["end"]] for p in d["paragraphs"])
    assert d["title"] == copied.title and d["kind"] == "text"
    assert {a["id"] for a in d["duplicates"]} == {b.id for b in arts.values() if b.duplicate_of == copied.id}
    assert {a["id"] for a in d["cluster"]} == {b.id for b in arts.values()
                                               if b.dedup_cluster == copied.dedup_cluster and b.id != copied.id}
    assert [e["id"] for e in d["events"]] == [e["id"] for e in sorted(
        (e for e in records if e["article"] == copied.id), key=lambda e: e["evidence"]["start"])]
    copy = client.get(f"/api/articles/{enc(d['duplicates'][0]['id'])}").json()
    assert copy["duplicate_of"] == copied.id


def test_places_with_counts(client, store_db):
    body = client.get("/api/places").json()
    conn = sqlite3.connect(store_db)
    want = dict(conn.execute("SELECT key, count(*) FROM event_places GROUP BY key"))
    conn.close()
    assert body["total"] == len(want) == len(body["items"])
    for p in body["items"]:
        assert p["count"] == want[p["key"]]
        assert {"name", "names", "lat", "lon", "country", "count"} <= set(p)
    counts = [p["count"] for p in body["items"]]
    assert counts == sorted(counts, reverse=True)
    iraq = next(p for p in body["items"] if p["name"] == "العراق")
    assert iraq["country"] == "IQ" and iraq["lat"] is not None
    assert len(client.get("/api/places", params={"limit": 3}).json()["items"]) == 3


def test_timeline(client, records):
    t = client.get("/api/timeline").json()
    assert t["dated"] == sum(1 for e in records if e["date"]) == sum(b["count"] for b in t["bins"])
    assert t["undated"] == sum(1 for e in records if not e["date"])
    assert all(sum(b["types"].values()) == b["count"] for b in t["bins"])
    assert client.get("/api/timeline", params={"type": "movement"}).json()["undated"] == \
        sum(1 for e in records if not e["date"] and e["type"] == "movement")
    assert client.get("/api/timeline", params={"interval": "year"}).json()["interval"] == "year"


# ------------------------------------------------------------------ search


def search(client, q, **params):
    r = client.get("/api/search", params={"q": q, **params})
    assert r.status_code == 200, r.text
    return r.json()


def test_search_finds_the_convoy_article(client):
    res = search(client, "راوة")
    found = [i["article"]["id"] for i in res["items"]]
    assert any(a.startswith("001_") for a in found)
    assert res["terms"] == ["راوه"] and res["total"] == len(found)


def test_search_is_normalised(client):
    base = search(client, "الرمادي")
    assert base["total"] >= 1
    for variant in ("الرمادى", "الرَّمادي", "الرمـادي", "ٱلرمادي"):
        assert [i["article"]["id"] for i in search(client, variant)["items"]] == \
            [i["article"]["id"] for i in base["items"]]
    # a word with a proclitic is found by the bare word (وراوه, «للرمادي» ...)
    hits = [h["text"] for i in search(client, "راوة")["items"] for h in i["highlights"]]
    assert any(norm_key(h).startswith("و") for h in hits)


def test_search_highlights_round_trip_to_raw_text(client, raws):
    for q, term in (("راوة", "راوه"), ("الرمادى", "الرمادي"), ('"قافلة الدواعش"', "قافله الدواعش"),
                    ("قافل*", "قافل")):
        res = search(client, q)
        assert res["items"], q
        for item in res["items"]:
            raw = raws[item["article"]["doc"]]
            paras = {p["index"]: p for p in item["paragraphs"]}
            assert item["highlights"] and item["n_hits"] >= len(item["highlights"])
            for h in item["highlights"]:
                assert raw[h["raw_start"]:h["raw_end"]] == h["text"]
                assert term in norm_key(h["text"])
                text = paras[h["block"]]["text"] if h["block"] != "title" else item["article"]["title"]
                assert text[h["start"]:h["end"]] == h["text"]


def test_search_leaves_copies_out_unless_asked(client):
    plain = search(client, "بلينكن")
    every = search(client, "بلينكن", duplicates="true")
    assert plain["total"] == 1 and every["total"] == 3
    assert plain["items"][0]["article"]["n_copies"] == 2


def test_search_paging_and_no_match(client):
    assert search(client, "كلمةلاتوجد")["items"] == []
    full = [i["article"]["id"] for i in search(client, "داعش", limit=100)["items"]]
    paged = [i["article"]["id"] for o in range(0, len(full), 2)
             for i in search(client, "داعش", limit=2, offset=o)["items"]]
    assert paged == full


def test_article_marks_a_query(client):
    art = search(client, "راوة")["items"][0]["article"]["id"]
    d = client.get(f"/api/articles/{enc(art)}", params={"q": "راوة"}).json()
    assert d["highlights"] and all(norm_key(h["text"]).endswith("راوه") for h in d["highlights"])


# ------------------------------------------------------------------ exports


def test_csv_export_honours_the_filters(client, records):
    r = client.get("/api/events.csv", params={"type": "movement"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    assert r.content.startswith(b"\xef\xbb\xbf")          # a BOM: spreadsheet programs read the Arabic
    rows = list(csv.DictReader(io.StringIO(r.content.decode("utf-8-sig"))))
    assert list(rows[0].keys()) == CSV_COLUMNS
    # the same numbering as `rasd export`: the country's ISO3 code and the event's row
    assert all(re.fullmatch(r"(IRQ|SYR|[A-Z]{3})\d+", row["event_id_cnty"]) for row in rows)
    assert {row["id"] for row in rows} == {e["id"] for e in records if e["type"] == "movement"}
    assert all(row["event_type"] == "Movement" for row in rows)
    every = list(csv.DictReader(io.StringIO(client.get("/api/events.csv").content.decode("utf-8-sig"))))
    assert len(every) == len(records)
    denial = the_denial(records)
    row = next(x for x in every if x["id"] == denial["id"])
    assert row["stance"] == "deny" and row["evidence"] == denial["evidence"]["text"]


def test_geojson_export(client, records):
    fc = client.get("/api/events.geojson").json()
    assert fc["type"] == "FeatureCollection"
    located = [e for e in records if any(p["lat"] is not None for p in e["places"])]
    assert len(fc["features"]) == len(located)
    lines = [f for f in fc["features"] if f["geometry"]["type"] == "LineString"]
    assert lines, "no movement drawn from origin to destination"
    for f in lines:
        e = next(x for x in records if x["id"] == f["id"])
        assert e["type"] == "movement"
        roles = {p["role"] for p in e["places"] if p["lat"] is not None}
        assert {"origin", "destination"} <= roles
        (x1, y1), (x2, y2) = f["geometry"]["coordinates"]
        orig = next(p for p in e["places"] if p["role"] == "origin" and p["lat"] is not None)
        dest = next(p for p in e["places"] if p["role"] == "destination" and p["lat"] is not None)
        assert (x1, y1, x2, y2) == (orig["lon"], orig["lat"], dest["lon"], dest["lat"])
    only = client.get("/api/events.geojson", params={"type": "battles"}).json()
    assert only["features"] and all(f["properties"]["type"] == "battles" for f in only["features"])
    assert len(client.get("/api/events.geojson", params={"limit": 3}).json()["features"]) <= 3


# ------------------------------------------------------------------ read-only, docs, page


def _fingerprint(db: Path) -> tuple:
    """The database file's content and what its write-ahead log holds (reading may create
    an empty log, which is not a change)."""
    wal = Path(f"{db}-wal")
    return hashlib.sha256(db.read_bytes()).hexdigest(), (wal.stat().st_size if wal.exists() else 0)


def test_read_only(tmp_path, seed_store):
    db = tmp_path / "ro.db"
    src = sqlite3.connect(seed_store[2])
    dst = sqlite3.connect(db)
    src.backup(dst)
    src.close()
    dst.close()
    before = _fingerprint(db)
    app = create_app(db)
    with TestClient(app, base_url="http://localhost") as c:
        for url in ("/api/events", "/api/search?q=داعش", "/api/places", "/api/articles", "/api/events.csv"):
            assert c.get(url).status_code == 200
        with app.state.db.connection() as conn:
            for sql in ("DELETE FROM events", "CREATE TABLE x (y)", "UPDATE articles SET title = 'x'"):
                with pytest.raises(sqlite3.OperationalError, match="readonly|read-only|query_only"):
                    conn.execute(sql)
    assert _fingerprint(db) == before


def test_a_missing_or_foreign_file_is_a_clear_error(tmp_path):
    with pytest.raises(StoreError, match="no store"):
        create_app(tmp_path / "missing.db")
    other = tmp_path / "other.db"
    sqlite3.connect(other).execute("CREATE TABLE t (x)").connection.commit()
    with pytest.raises(StoreError, match="schema version"):
        create_app(other)


def test_openapi_and_docs_work_offline(client):
    spec = client.get("/openapi.json").json()
    for path in ("/api/events", "/api/events/{event_id}", "/api/claims/{group}", "/api/articles",
                 "/api/articles/{article_id}", "/api/places", "/api/search", "/api/events.csv",
                 "/api/events.geojson", "/api/timeline"):
        assert path in spec["paths"], path
    docs = client.get("/docs").text
    assert "/vendor/swagger-ui/swagger-ui-bundle.js" in docs and "cdn." not in docs
    assert client.get("/vendor/swagger-ui/swagger-ui-bundle.js").status_code == 200


def test_the_page_and_its_vendored_files(client):
    r = client.get("/")
    assert r.status_code == 200 and 'dir="rtl"' in r.text
    assert "script-src 'self'" in r.headers["content-security-policy"]
    assert "http" not in "".join(line for line in r.text.splitlines() if "src=" in line or "href=" in line
                                 if "/docs" not in line)
    for path in ("/app.js", "/style.css", "/vendor/leaflet/leaflet.js", "/vendor/leaflet/leaflet.css",
                 "/vendor/topojson-client/topojson-client.min.js", "/vendor/world-atlas/countries-50m.json",
                 "/vendor/noto-naskh-arabic/noto-naskh-arabic-arabic-400-normal.woff2"):
        assert client.get(path).status_code == 200, path
    web = Path(__file__).resolve().parent.parent / "rasd" / "web" / "vendor"
    for lib in ("leaflet", "topojson-client", "world-atlas", "noto-naskh-arabic", "swagger-ui"):
        assert (web / lib / "LICENSE").is_file(), lib


def test_about(client, records):
    about = client.get("/api").json()
    assert about["counts"]["events"] == len(records)
    assert "/api/search" in about["endpoints"]


def test_an_old_store_is_migrated_by_process_and_then_served(tmp_path):
    """A store from before the search index (schema 2) is refused with a clear message
    until 'rasd process' migrates it; the migration fills the index."""
    from rasd import store as store_mod

    db = tmp_path / "old.db"
    conn = sqlite3.connect(db)
    for stmt in ";".join(store_mod.MIGRATIONS[:2]).split(";"):
        if stmt.strip():
            conn.execute(stmt)
    conn.execute("PRAGMA user_version = 2")
    conn.commit()
    conn.close()
    with pytest.raises(StoreError, match="schema version 2"):
        create_app(db)
    Store(db).close()                                   # what 'rasd process' does first
    with TestClient(create_app(db), base_url="http://localhost") as c:
        assert c.get("/api/search", params={"q": "داعش"}).json()["total"] == 0


def test_search_index_follows_changed_documents(tmp_path):
    """save_document keeps the full-text index in step when a document is replaced."""
    from rasd.pipeline import process

    page = tmp_path / "in" / "a.txt"
    page.parent.mkdir()
    body = "قال مصدر أمني إن القوات العراقية استعادت السيطرة على ثلاث قرى غرب الرمادي بعد اشتباكات عنيفة."
    page.write_text("عنوان\n\n" + body + "\n", encoding="utf-8")
    db = tmp_path / "s.db"
    store = Store(db)
    process([str(page.parent)], store)
    page.write_text("عنوان\n\n" + body.replace("الرمادي", "الفلوجة") + "\n", encoding="utf-8")
    process([str(page.parent)], store)
    store.conn.execute("INSERT INTO articles_fts (articles_fts) VALUES ('integrity-check')")
    store.close()
    with TestClient(create_app(db), base_url="http://localhost") as c:
        assert c.get("/api/search", params={"q": "الرمادي"}).json()["total"] == 0
        assert [i["article"]["id"] for i in c.get("/api/search", params={"q": "الفلوجة"}).json()["items"]] == ["a.txt#1"]


def test_facets_count_each_filter_under_all_the_others(client, records):
    """/api/facets (the map's counts): a facet ignores its own filter and obeys the rest."""
    def n(pred):
        return sum(1 for e in records if pred(e))

    def isis(e):
        return "isis" in (e.get("actor"), e.get("actor2"))

    f = client.get("/api/facets", params={"actor": "isis", "type": "movement"}).json()
    assert f["total"] == n(lambda e: isis(e) and e["type"] == "movement") > 0
    assert f["located"] == n(lambda e: isis(e) and e["type"] == "movement"
                             and any(p.get("lat") is not None for p in e["places"]))
    # types under the actor filter only; actors under the type filter only
    for t in {e["type"] for e in records}:
        assert f["types"].get(t, 0) == n(lambda e, t=t: isis(e) and e["type"] == t)
    for a in {e.get("actor") for e in records} - {None}:
        assert f["actors"].get(a, 0) == n(lambda e, a=a: e["type"] == "movement" and a in (e.get("actor"), e.get("actor2")))
    every = client.get("/api/facets").json()
    assert every["total"] == len(records)
    assert every["fatalities"] == sum(e.get("fatalities") or 0 for e in records)
    assert sum(every["stances"].values()) == len(records)
    scored = [e["confidence"] for e in records if e.get("confidence") is not None]
    assert sum(every["confidence"].values()) == len(scored) and every["unscored"] == len(records) - len(scored)
    names = dict(every["sources"])
    for name in {s["name"] for e in records for s in e.get("sources") or []}:
        assert names.get(name) == n(lambda e, name=name: any(s["name"] == name for s in e.get("sources") or []))
    assert client.get("/api/facets", params={"type": "war"}).status_code == 400


def test_geojson_features_say_how_exact_their_points_are(client, records):
    by_id = {e["id"]: e for e in records}
    for f in client.get("/api/events.geojson").json()["features"]:
        coords = f["geometry"]["coordinates"]
        pts = coords if f["geometry"]["type"] == "LineString" else [coords]
        places = by_id[f["id"]]["places"]
        assert len(f["properties"]["precision"]) == len(pts)
        for (x, y), prec in zip(pts, f["properties"]["precision"], strict=True):
            assert prec in {p["precision"] for p in places if (p.get("lon"), p.get("lat")) == (x, y)}


# ------------------------------------------------------------------ admin1 (governorates)

ROLE_ORDER = ("location", "destination", "origin", "via")


def governorate(e: dict) -> str | None:
    """The spec: the governorate of an event's main place, its first located place of role
    location, else destination, else origin, else via."""
    for role in ROLE_ORDER:
        for p in e["places"]:
            if p["role"] == role and p.get("lat") is not None:
                return p.get("admin1") or None
    return None


def test_admin1_filter_keeps_the_events_whose_main_place_lies_in_the_governorate(client, records):
    anbar = {e["id"] for e in records if governorate(e) == "Al Anbar"}
    got = set(all_ids(client, admin1="Al Anbar"))
    assert got == anbar
    # the seed pages' Anah/Rawa/Al-Qaim events are there; Mosul's are not
    names = {next(p["name"] for p in e["places"] if p.get("lat") is not None)
             for e in records if e["id"] in got}
    assert {"القائم", "راوة"} <= names and "الموصل" not in names
    # any listed spelling, Arabic too; several governorates: any of them
    assert set(all_ids(client, admin1="الأنبار")) == set(all_ids(client, admin1="anbar")) == anbar
    nineveh = {e["id"] for e in records if governorate(e) == "Nineveh"}
    assert nineveh and set(all_ids(client, admin1="Al Anbar,Nineveh")) == anbar | nineveh
    assert set(ids(client.get("/api/events?admin1=Al%20Anbar&admin1=Nineveh&limit=500"))) == anbar | nineveh
    # with the other filters (AND)
    assert set(all_ids(client, admin1="Al Anbar", type="battles")) == \
        {e["id"] for e in records if governorate(e) == "Al Anbar" and e["type"] == "battles"}
    # a governorate no event lies in: nothing, not an error
    r = client.get("/api/events", params={"admin1": "Atlantis"})
    assert r.status_code == 200 and r.json()["total"] == 0


def test_admin1_filter_applies_to_the_exports_and_the_timeline(client, records):
    anbar = [e for e in records if governorate(e) == "Al Anbar"]
    rows = list(csv.DictReader(io.StringIO(
        client.get("/api/events.csv", params={"admin1": "Al Anbar"}).content.decode("utf-8-sig"))))
    assert {row["id"] for row in rows} == {e["id"] for e in anbar}
    assert {row["admin1"] for row in rows} == {"Al Anbar"}        # the CSV's own admin1 column agrees
    # ... for every event: the filter's governorate is the CSV's
    every = csv.DictReader(io.StringIO(client.get("/api/events.csv").content.decode("utf-8-sig")))
    for row in every:
        if row["admin1"]:
            assert row["id"] in set(all_ids(client, admin1=row["admin1"]))
    geo = client.get("/api/events.geojson", params={"admin1": "Al Anbar"}).json()
    assert {f["properties"]["id"] for f in geo["features"]} == {e["id"] for e in anbar}
    tl = client.get("/api/timeline", params={"admin1": "Al Anbar"}).json()
    assert tl["dated"] + tl["undated"] == len(anbar)


def test_admin1_facet_counts_under_every_filter_but_its_own(client, records):
    def n(pred):
        return sum(1 for e in records if pred(e))

    every = client.get("/api/facets").json()
    counted = {governorate(e) for e in records} - {None}
    assert set(every["admin1"]) == counted and every["admin1"]["Al Anbar"] > 0
    assert every["admin1_ar"]["Al Anbar"] == "الأنبار" and set(every["admin1_ar"]) <= counted
    for g in counted:
        assert every["admin1"][g] == n(lambda e, g=g: governorate(e) == g)
    # the facet follows the other filters ...
    f = client.get("/api/facets", params={"type": "movement", "admin1": "Al Anbar"}).json()
    for g in counted:
        assert f["admin1"].get(g, 0) == n(lambda e, g=g: e["type"] == "movement" and governorate(e) == g)
    assert "Nineveh" in f["admin1"]                     # ... but not its own
    # ... and the others follow it
    assert f["total"] == n(lambda e: e["type"] == "movement" and governorate(e) == "Al Anbar") > 0
    for t in {e["type"] for e in records}:
        assert f["types"].get(t, 0) == n(lambda e, t=t: governorate(e) == "Al Anbar" and e["type"] == t)
    for a in {e.get("actor") for e in records} - {None}:
        assert f["actors"].get(a, 0) == n(lambda e, a=a: e["type"] == "movement" and governorate(e) == "Al Anbar"
                                          and a in (e.get("actor"), e.get("actor2")))


def test_admin1_parameter_is_bounded_and_documented(client):
    r = client.get("/api/events", params={"admin1": "x" * 1001})
    assert r.status_code == 400 and r.json()["error"]["param"] == "admin1"
    spec = client.get("/openapi.json").json()
    for path in ("/api/events", "/api/events.csv", "/api/events.geojson", "/api/facets", "/api/timeline"):
        params = {p["name"]: p for p in spec["paths"][path]["get"]["parameters"]}
        assert "admin1" in params and "Governorate" in params["admin1"]["description"], path
    r = client.get("/api/events", params={"admin_1": "Al Anbar"})   # misspelt: an error, not ignored
    assert r.status_code == 400 and "admin1" in r.json()["error"]["message"]


def test_admin1_of_an_older_store_is_filled_by_the_migration(tmp_path, store_db):
    """A schema-3 store (no admin1 column) migrated by Store() gets the same governorates
    as events stored by this version."""
    import shutil

    db = tmp_path / "old.db"
    src = sqlite3.connect(store_db)
    src.execute("PRAGMA wal_checkpoint(FULL)")
    src.close()
    shutil.copy(store_db, db)
    conn = sqlite3.connect(db)
    want = dict(conn.execute("SELECT id, admin1 FROM events"))
    assert "Al Anbar" in want.values()
    conn.execute("DROP INDEX events_admin1")
    conn.execute("ALTER TABLE events DROP COLUMN admin1")
    conn.execute("PRAGMA user_version = 3")
    conn.commit()
    conn.close()
    with pytest.raises(StoreError, match="schema version 3"):
        create_app(db)
    Store(db).close()
    conn = sqlite3.connect(db)
    assert dict(conn.execute("SELECT id, admin1 FROM events")) == want
    conn.close()


def test_changes_counts_the_stored_events(client, records):
    """/api/changes is what the map polls to show new events without a reload."""
    c = client.get("/api/changes").json()
    assert c["events"] == len(records) and c["last"] >= len(records)
    assert client.get("/api/changes").json() == c          # nothing stored in between: the same token
