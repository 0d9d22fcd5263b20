"""The CSV and GeoJSON exports as an ACLED user opens them: read back with the csv module,
every column checked on the seed pages (gold in tests/gold), and the outlet, dates and
actor names on pages with metadata."""
from __future__ import annotations

import copy
import csv
import io
import json
import re
import shutil
import time

import pytest
from click.testing import CliRunner
from conftest import GOLD, SEEDS, load_jsonl

from rasd.cli import main
from rasd.export import ExportContext, write_csv

# ACLED's columns, in ACLED's order (the codebook's; inter1/inter2/interaction and tags are
# not produced)
ACLED = ["event_id_cnty", "event_date", "year", "time_precision", "disorder_type", "event_type",
         "sub_event_type", "actor1", "assoc_actor_1", "actor2", "assoc_actor_2", "civilian_targeting", "iso",
         "region", "country", "admin1", "admin2", "admin3", "location", "latitude", "longitude",
         "geo_precision", "source", "source_scale", "notes", "fatalities", "timestamp"]
# the countries of the seed pages: English name, ISO 3166 alpha-3 and numeric
COUNTRIES = {"IQ": ("Iraq", "IRQ", "368"), "SY": ("Syria", "SYR", "760"), "JO": ("Jordan", "JOR", "400"),
             "PS": ("Palestine", "PSE", "275"), "LB": ("Lebanon", "LBN", "422")}
EVENT_TYPES = {"Battles", "Explosions/Remote violence", "Violence against civilians", "Protests", "Riots",
               "Strategic developments", "Movement"}
GEO = {"town": "1", "near": "2", "region": "3", "country": "3"}
ARABIC = re.compile(r"[\u0600-\u06FF]")


def _export(db, tmp_path, *args, name="e.csv"):
    out = tmp_path / name
    r = CliRunner().invoke(main, ["export", "events", "--db", str(db), "--format", "csv", "-o", str(out), *args])
    assert r.exit_code == 0, r.output
    return out.read_bytes()


def _rows(data: bytes) -> list[dict]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))


@pytest.fixture(scope="module")
def seed_csv(seed_store, tmp_path_factory):
    store, _, db = seed_store
    data = _export(db, tmp_path_factory.mktemp("csv"))
    return data, _rows(data), {e["id"]: e for e in store.event_records()}


def _main_place(e):
    located = [p for p in e["places"] if p["lat"] is not None]
    for role in ("location", "destination", "origin", "via"):
        for p in located:
            if p["role"] == role:
                return p
    return None


def test_bom_header_and_one_row_per_event(seed_csv):
    data, rows, events = seed_csv
    assert data.startswith(b"\xef\xbb\xbf")                  # Excel reads the Arabic as UTF-8
    header = next(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert header[:len(ACLED)] == ACLED
    assert {"id", "actor1_key", "actor2_key", "speaker", "evidence"} <= set(header)
    assert len(rows) == len(events) > 40
    assert all(None not in r and all(v is not None for v in r.values()) for r in rows)   # no ragged row


def test_every_column_on_the_seed_pages(seed_csv):
    _, rows, events = seed_csv
    now = time.time()
    for r in rows:
        e = events[r["id"]]
        p = _main_place(e)
        cc = p["country"] if p else None
        # ids: ISO3 + a number, unique
        m = re.fullmatch(r"([A-Z]{3})(\d+)", r["event_id_cnty"])
        assert m, r["event_id_cnty"]
        if cc in COUNTRIES:
            name, iso3, iso = COUNTRIES[cc]
            assert (m.group(1), r["country"], r["iso"], r["region"]) == (iso3, name, iso, "Middle East")
        assert r["country_code"] == (cc or "")
        # dates: none of the seed pages states when it was published
        assert (r["event_date"] == "") == (r["time_precision"] == "") == (r["year"] == "")
        if r["event_date"]:
            assert r["event_date"] == e["date"][:10] and r["year"] == e["date"][:4]
            assert r["time_precision"] == {"day": "1", "week": "2", "month": "3"}.get(e["date_precision"], "3")
        # types and actors
        assert r["event_type"] in EVENT_TYPES and r["sub_event_type"] and r["sub_event_type"][0].isupper()
        assert r["disorder_type"] in ({""} if e["type"] == "movement" else
                                      {"Political violence", "Demonstrations", "Strategic developments"})
        for col, key in (("actor1", e["actor"]), ("actor2", e["actor2"])):
            assert r[col + "_key"] == (key or "")
            assert bool(r[col]) == bool(key)
            assert not re.fullmatch(r"[a-z0-9_]+", r[col]), r[col]      # a name, never an internal key
        assert r["civilian_targeting"] == ("Civilian targeting" if e["actor2"] == "civilians" else "")
        # place
        if p:
            assert r["location"] == p["name"]
            assert float(r["latitude"]) == p["lat"] and float(r["longitude"]) == p["lon"]
            assert r["geo_precision"] == GEO[p["precision"]]
        else:
            assert r["location"] == r["latitude"] == r["geo_precision"] == ""
        assert r["admin1"] == ((p or {}).get("admin1") or "")
        # numbers
        assert int(r["fatalities"]) == (e["fatalities"] or 0)
        assert now - 86400 < int(r["timestamp"]) <= now + 1
        # plain files name no outlet; the speaker is ours
        assert r["source"] == r["source_scale"] == ""
        assert r["speaker"] == "; ".join(dict.fromkeys(s["name"] for s in e["sources"]))
        # the summary: one line of Arabic that names the place and who says so
        notes = r["notes"]
        assert "\n" not in notes and "\r" not in notes and ARABIC.search(notes) and notes.endswith(".")
        if p and p["role"] == "location":
            assert p["name"] in notes
        for s in e["sources"]:
            assert s["name"] in notes
        assert r["evidence"] == e["evidence"]["text"]
    ids = [r["event_id_cnty"] for r in rows]
    assert len(set(ids)) == len(ids)


def test_anah_and_rawa_are_in_iraq(seed_csv):
    """The gold puts the arrivals at Anah and Rawa in Iraq: the rows of those claims say
    Iraq, IRQ…, and ACLED's name of the Islamic State in Iraq."""
    _, rows, _ = seed_csv
    gold = [g for g in load_jsonl(GOLD / "seeds.events.jsonl")
            if {p["key"] for p in g["places"].get("destination", [])} & {"anah", "rawa"}]
    assert len(gold) >= 5 and all(p["country"] == "IQ" for g in gold for p in g["places"]["destination"])
    hits = []
    for g in gold:
        for r in rows:
            if r["doc"] == g["file"] and r["type"] == g["type"] and any(
                    int(r["evidence_start"]) < a["end"] and a["start"] < int(r["evidence_end"]) for a in g["anchors"]):
                hits.append(r)
    located = [r for r in hits if re.search(r"عان|راو|رواه", r["location"])]
    assert len(located) >= 3
    for r in located:
        assert r["country"] == "Iraq" and r["event_id_cnty"].startswith("IRQ") and r["iso"] == "368"
        assert r["actor1"] == "Islamic State (Iraq)"


def test_ids_are_stable_whatever_is_exported(seed_store, seed_csv):
    """A second export, and an export of a subset in another order, give each event the
    same event_id_cnty."""
    store, _, _ = seed_store
    _, rows, _ = seed_csv
    full = {r["id"]: r["event_id_cnty"] for r in rows}
    movements = [e for e in store.event_records() if e["type"] == "movement"][::-1]
    out = io.StringIO()
    write_csv(movements, out, context=ExportContext(store.conn))
    part = {r["id"]: r["event_id_cnty"] for r in _rows(out.getvalue().encode("utf-8"))}
    assert len(part) == len(movements) > 5 and all(full[i] == v for i, v in part.items())


def test_ids_survive_another_document_being_reprocessed(tmp_path):
    pages = tmp_path / "pages"
    shutil.copytree(SEEDS, pages)
    db = tmp_path / "s.db"
    assert CliRunner().invoke(main, ["process", str(pages), "--db", str(db)]).exit_code == 0
    before = {r["id"]: r["event_id_cnty"] for r in _rows(_export(db, tmp_path))}
    first = min(pages.iterdir())
    first.write_text(first.read_text("utf-8") + "\nخبر أضيف لاحقا.\n", encoding="utf-8")
    r = CliRunner().invoke(main, ["process", str(pages), "--db", str(db), "--json"])
    assert json.loads(r.stdout)["run"]["updated"] == 1
    after = {r["id"]: r["event_id_cnty"] for r in _rows(_export(db, tmp_path, name="again.csv"))}
    others = [i for i in before if not i.startswith(first.name)]
    assert len(others) > 20 and all(after[i] == before[i] for i in others)
    assert len(set(after.values())) == len(after)


def test_a_bare_cr_inside_a_field_is_quoted(seed_store):
    """Issue #14 item 8: a CR inside evidence was written unquoted and broke the row."""
    store, _, _ = seed_store
    recs = list(store.event_records())[:3]
    odd = copy.deepcopy(recs[1])
    odd["evidence"]["text"] = "سطر أول\rسطر ثان\nوثالث \"مقتبس\", و\r\nرابع"
    odd["sources"] = [{"name": "مصدر\rأمني", "stance": "assert"}]
    out = io.StringIO(newline="")
    write_csv([recs[0], odd, recs[2]], out, context=ExportContext(store.conn))
    back = _rows(out.getvalue().encode("utf-8"))
    assert [r["id"] for r in back] == [recs[0]["id"], odd["id"], recs[2]["id"]]
    assert back[1]["evidence"] == odd["evidence"]["text"] and back[1]["speaker"] == "مصدر\rأمني"
    assert "\r" not in back[1]["notes"]


def test_no_bom_on_request_and_bom_only_for_csv(seed_store, tmp_path):
    _, _, db = seed_store
    assert not _export(db, tmp_path, "--no-bom").startswith(b"\xef\xbb\xbf")
    r = CliRunner().invoke(main, ["export", "events", "--db", str(db), "--format", "jsonl", "--bom"])
    assert r.exit_code == 2 and "--bom is for --format csv" in r.output


def test_geojson_properties_carry_the_acled_fields(seed_store, seed_csv, tmp_path):
    _, rows, events = seed_csv
    _, _, db = seed_store
    out = tmp_path / "e.geojson"
    r = CliRunner().invoke(main, ["export", "events", "--db", str(db), "--format", "geojson", "-o", str(out)])
    assert r.exit_code == 0, r.output
    feats = json.loads(out.read_text("utf-8"))["features"]
    by_id = {r["id"]: r for r in rows}
    assert len(feats) > 30
    for f in feats:
        pr, row = f["properties"], by_id[f["id"]]
        for k in ("event_id_cnty", "country", "location", "actor1", "notes", "sub_event_type"):
            assert pr[k] == (row[k] or None), k
        assert pr["geo_precision"] == int(row["geo_precision"]) and pr["fatalities"] == int(row["fatalities"])
        assert "admin1" in pr and pr["actor"] == events[f["id"]]["actor"]


PAGES = [("قالت مصادر أمنية عراقية إن القوات العراقية استعادت السيطرة على مدينة عانة "
          "بعد معارك مع تنظيم داعش أسفرت عن مقتل 12 مسلحا."),
         ("أعلنت قيادة العمليات المشتركة أن القوات العراقية استعادت السيطرة على قضاء راوة "
          "غرب الأنبار بعد اشتباكات عنيفة مع مسلحي داعش."),
         ("ذكر ضابط في الجيش أن القوات العراقية استعادت السيطرة على مدينة القائم الحدودية "
          "بعد طرد عناصر تنظيم داعش منها.")]


def test_outlet_dates_and_names_from_page_metadata(tmp_path):
    """A page with an address and a publication date: the outlet (acled.tsv's name and
    scale), the event dated by its publication (time precision 2) and ACLED's name of
    the Iraqi forces of that date."""
    src = tmp_path / "pages.jsonl"
    lines = [{"id": "a1", "url": "https://www.aawsat.com/node/1", "published": "2017-11-03", "text": PAGES[0]},
             {"id": "a2", "url": "https://news.shafaq.com/x/2", "published": "2023-02-01", "text": PAGES[1]},
             {"id": "a3", "url": "https://unknown-outlet.example/p/3", "text": PAGES[2]}]
    src.write_text("\n".join(json.dumps(x, ensure_ascii=False) for x in lines) + "\n", encoding="utf-8")
    db = tmp_path / "p.db"
    r = CliRunner().invoke(main, ["process", str(src), "--db", str(db)])
    assert r.exit_code == 0, r.output
    rows = _rows(_export(db, tmp_path))
    by_doc = {}
    for row in rows:
        by_doc.setdefault(row["doc"], []).append(row)
    assert set(by_doc) == {"a1", "a2", "a3"}
    a1, a2, a3 = by_doc["a1"][0], by_doc["a2"][0], by_doc["a3"][0]
    assert (a1["source"], a1["source_scale"]) == ("Asharq Al-Awsat", "Regional")
    assert (a2["source"], a2["source_scale"]) == ("Shafaq News", "National")      # an Iraqi outlet, an Iraqi event
    assert (a3["source"], a3["source_scale"]) == ("unknown-outlet.example", "")
    assert (a1["event_date"], a1["date_source"], a1["time_precision"], a1["year"]) == \
        ("2017-11-03", "published", "2", "2017")
    row = next(x for x in by_doc["a1"] if x["actor1_key"] == "iraq_forces")
    assert row["actor1"] == "Military Forces of Iraq (2014-2018)"
    assert next(x for x in by_doc["a2"] if x["actor1_key"] == "iraq_forces")["actor1"] == \
        "Military Forces of Iraq (2022-)"
    assert next(x for x in by_doc["a3"] if x["actor1_key"] == "iraq_forces")["actor1"] == "Military Forces of Iraq"
    assert any(x["fatalities"] == "12" for x in by_doc["a1"])
    assert all(x["country"] == "Iraq" and x["event_id_cnty"].startswith("IRQ") for x in rows if x["location"])


def test_the_output_format_is_documented_in_the_repository():
    """docs/output-format.md names every CSV column; README and 'rasd export --help' link
    to it, and nothing points a cloner at the team's shared folder."""
    from rasd.export import CSV_COLUMNS
    root = GOLD.parent.parent
    doc = (root / "docs" / "output-format.md").read_text("utf-8")
    missing = [c for c in CSV_COLUMNS if f"`{c}`" not in doc]
    assert not missing, missing
    readme = (root / "README.md").read_text("utf-8")
    assert "docs/output-format.md" in readme and "../shared/docs" not in readme
    for args in (["export", "--help"], ["export", "events", "--help"]):
        out = CliRunner().invoke(main, args).output
        assert "docs/output-format.md" in out and "shared" not in out


def test_a_user_file_renames_an_actor_and_a_bad_row_is_named(seed_store, tmp_path, monkeypatch):
    store, _, _ = seed_store
    mine = tmp_path / "my-acled.tsv"
    mine.write_text("# mine\nactor\tisis\tIQ\t-\t-\tIS (Iraq branch)\n", encoding="utf-8")
    monkeypatch.setenv("RASD_ACLED", str(mine))
    out = io.StringIO()
    write_csv(store.event_records(), out, context=ExportContext(store.conn))
    rows = _rows(out.getvalue().encode("utf-8"))
    isis = [r for r in rows if r["actor1_key"] == "isis"]
    assert {r["actor1"] for r in isis if r["country_code"] == "IQ"} == {"IS (Iraq branch)"}
    assert {r["actor1"] for r in isis if r["country_code"] == "SY"} == {"Islamic State (Syria)"}
    # a mistake in the file: one line that names it, no traceback
    mine.write_text("actor\tisis\tIQ\tsoon\t-\tIS\n", encoding="utf-8")
    r = CliRunner().invoke(main, ["export", "events", "--db", str(seed_store[2]), "--format", "csv",
                                  "-o", str(tmp_path / "e.csv")])
    assert r.exit_code == 1 and isinstance(r.exception, SystemExit)
    assert r.stderr.startswith("Error: ") and "my-acled.tsv:1:" in r.stderr and len(r.stderr.splitlines()) == 1
    assert not (tmp_path / "e.csv").exists()


def test_the_district_is_exported_where_the_gazetteer_gives_one(seed_store):
    """admin2 (the district) comes from imported OCHA names (gazetteer.admin2): a place with
    one exports it in its dict and the CSV's admin2 column; one without has no such key."""
    from rasd.records import Event, Place, Span
    rawa = Place(0, 4, "راوة", "راوة", 34.48, 41.92, "IQ", "town", "sup:rawa", role="destination",
                 admin1="Al Anbar", feature="town", admin2="Rawa", admin2_ar="راوه")
    ev = Event(id="d:1", doc="d", article="d#1", type="movement", sub_type="relocation",
               evidence=Span(0, 4), evidence_text="راوة", places=[rawa])
    place = ev.as_export()["places"][0]
    assert (place["admin2"], place["admin2_ar"], place["admin1"]) == ("Rawa", "راوه", "Al Anbar")
    rawa.admin2 = None
    assert not {"admin2", "admin2_ar"} & set(ev.as_export()["places"][0])
    store, _, _ = seed_store
    rec = copy.deepcopy(next(iter(store.event_records())))
    rec["places"] = [dict(place, role="location")]
    out = io.StringIO(newline="")
    write_csv([rec], out, context=ExportContext(store.conn))
    (row,) = _rows(out.getvalue().encode("utf-8"))
    assert (row["admin1"], row["admin2"], row["location"]) == ("Al Anbar", "Rawa", "راوة")
