"""The place gazetteer index (rasd.places.gazetteer): build, cache, lookups."""
from __future__ import annotations

import os
import time

import pytest

import rasd.places.gazetteer as G
from rasd.lang.normalize import normalize


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """An index built into a fresh cache dir (the env var points there for this module)."""
    d = tmp_path_factory.mktemp("rasd-cache")
    old = os.environ.get("RASD_CACHE_DIR")
    old_ocha = os.environ.pop("RASD_OCHA_DIR", None)
    os.environ["RASD_CACHE_DIR"] = str(d)
    G.clear_cache()
    path = G.build_index(force=True)
    yield d, path
    G.clear_cache()
    if old is None:
        os.environ.pop("RASD_CACHE_DIR", None)
    else:
        os.environ["RASD_CACHE_DIR"] = old
    if old_ocha is not None:
        os.environ["RASD_OCHA_DIR"] = old_ocha


@pytest.fixture(scope="module")
def gz(built):
    return G.load_gazetteer()


def ids(entries):
    return {e.id for e in entries}


def test_index_file_in_cache_dir(built, gz):
    d, path = built
    assert path.parent == d and path.exists()
    assert f"v{G.FORMAT_VERSION}" in path.name
    assert gz.path == path
    assert len(gz) > 20_000 and len(gz.names) > 20_000


def test_load_uses_the_cached_file(built):
    d, path = built
    mtime = path.stat().st_mtime_ns
    G.clear_cache()
    g = G.load_gazetteer()
    assert g.path == path and path.stat().st_mtime_ns == mtime      # not rebuilt
    assert G.load_gazetteer() is g                                   # process-wide instance
    assert G.build_index() == path and path.stat().st_mtime_ns == mtime


def test_instance_follows_the_cache_dir_setting(built, tmp_path, monkeypatch):
    """The process-wide instance is looked up per call without touching the disk, but a
    changed setting (another cache dir) is still seen."""
    import shutil
    d, path = built
    g = G.load_gazetteer()
    other = tmp_path / "other-cache"
    other.mkdir()
    shutil.copy(path, other / path.name)
    monkeypatch.setenv("RASD_CACHE_DIR", str(other))
    g2 = G.load_gazetteer()
    assert g2 is not g and g2.path == other / path.name
    monkeypatch.setenv("RASD_CACHE_DIR", str(d))
    assert G.load_gazetteer() is g


def test_broken_cache_file_is_rebuilt(built):
    d, path = built
    path.write_bytes(b"not a pickle")
    G.clear_cache()
    g = G.load_gazetteer()
    assert g.lookup("الموصل")
    assert path.stat().st_size > 1_000_000


def test_geonames_records(gz):
    (mosul,) = [e for e in gz.lookup("الموصل") if e.id == "gn:99072"]
    assert mosul.country == "IQ" and mosul.population > 1_000_000
    assert abs(mosul.lat - 36.335) < 0.01 and abs(mosul.lon - 43.119) < 0.01
    assert mosul.admin1 and mosul.admin1.startswith("IQ.")
    assert mosul.feature == "city" and mosul.precision == "town"
    # world-wide, Arabic alternate names only
    assert any(e.country == "FR" for e in gz.lookup("باريس"))
    assert any(e.country == "JP" for e in gz.lookup("طوكيو"))
    assert gz.lookup("Mosul") == []


def test_lookup_folds_spelling_and_clitics(gz):
    assert ids(gz.lookup("راوة")) == ids(gz.lookup("راوه")) >= {"sup:rawa"}
    assert "sup:rawa" in ids(gz.lookup("رواة"))
    for v in ("البوكمال", "البو كمال", "أبو كمال"):
        assert "sup:albukamal" in ids(gz.lookup(v)), v
    assert "sup:anah" in ids(gz.lookup("عانة"))
    (alt,) = gz.lookup("عنة")          # folds like the pronoun form «عنه»: needs a cue word
    assert alt.id == "sup:anah_alt" and "cue" in alt.flags and alt.lat == gz.lookup("عانة")[0].lat
    assert "gn:99072" in ids(gz.lookup("وبالموصل"))
    assert "gn:172955" in ids(gz.lookup("الرَّقَّة"))
    assert gz.lookup("لا يوجد مكان بهذا الاسم") == []


def test_supplement_entries(gz):
    (badia,) = gz.lookup("البادية السورية")
    assert badia.id == "sup:syrian_badia" and badia.country == "SY"
    assert badia.precision == "region" and badia.feature == "desert" and badia.radius_km >= 100
    (walid,) = gz.lookup("منفذ الوليد")
    assert walid.feature == "crossing" and walid.precision == "town" and walid.country == "IQ"
    wd = gz.lookup("الصحراء الغربية")
    assert {e.country for e in wd} == {"IQ", "EH"}
    (kanous,) = gz.lookup("كنعوص")
    assert kanous.country == "IQ" and 35.5 < kanous.lat < 36.5
    assert "cue" in gz.lookup("الجزيرة")[0].flags or any("cue" in e.flags for e in gz.lookup("الجزيرة"))
    # a curated town replaces GeoNames' record of the same place
    assert [e.id for e in gz.lookup("القائم")] == ["sup:qaim"]


def test_country_names(gz):
    cases = {"سوريا": "SY", "سورية": "SY", "تركيا": "TR", "روسيا": "RU", "إيران": "IR", "ايران": "IR",
             "العراق": "IQ", "الأردن": "JO", "لبنان": "LB", "السعودية": "SA", "أميركا": "US",
             "أمريكا": "US", "الولايات المتحدة": "US", "مصر": "EG"}
    for name, cc in cases.items():
        es = [e for e in gz.lookup(name) if e.feature == "country"]
        assert es and es[0].country == cc and es[0].id == f"cc:{cc}", name
        assert es[0].lat is not None
    sy = gz.country("SY")
    assert abs(sy.lat - 35.0) < 1 and abs(sy.lon - 38.5) < 1
    assert gz.nisba("السوريه") == "SY" and gz.nisba("العراقيتين") == "IQ"
    assert gz.capital("IQ").name == "Baghdad"


def test_matcher_over_all_names(gz):
    raw = "انسحبوا من البادية السورية وبالموصل ثم إلى منفذ الوليد"
    hits = gz.find(normalize(raw))
    keys = [h.key for h in hits]
    assert [k for k in keys if k != "الي"] == ["الباديه السوريه", "الموصل", "منفذ الوليد"]
    assert hits[1].prefix == "وب" and hits[1].text == "الموصل"
    for h in hits:
        assert raw[h.start:h.end] == h.text


OCHA_ROWS = """OBJECTID,admin3Name_en,admin3Name_ar,admin3Pcode,admin3RefName,admin3AltName1_en,admin3AltName2_en,admin3AltName1_ar,admin3AltName2_ar,admin2Name_en,admin2Name_ar,admin2Pcode,admin1Name_en,admin1Name_ar,admin1Pcode,admin0Name_en,admin0Name_ar,admin0Pcode,date,validOn,validTo
1,Markaz Rawa,مركز راوه,XQ01Q05N02,NA,NA,NA,NA,NA,Rawa,راوه,XQ01Q05,Anbar,الانبار,XQ01,Iraq,العراق,IQ,0,0,NA
2,Testsub,ناحية قريةالاختبار,XQ01Q05N03,NA,NA,NA,NA,NA,Rawa,راوه,XQ01Q05,Anbar,الانبار,XQ01,Iraq,العراق,IQ,0,0,NA
3,Markaz Ana,مركز عنه,XQ01Q06N01,NA,NA,NA,NA,NA,Ana,  عنه,XQ01Q06,Anbar,الانبار,XQ01,Iraq,العراق,IQ,0,0,NA
"""


def test_ocha_import_and_key_of_inputs(built, tmp_path, monkeypatch):
    d, base_path = built
    ocha = tmp_path / "ocha"
    ocha.mkdir()
    (ocha / "TEST_admin3.csv").write_text(OCHA_ROWS, encoding="utf-8")
    sup = tmp_path / "supplement.tsv"
    sup.write_text(G.SUPPLEMENT.read_text(encoding="utf-8")
                   + "test_place\tمكان التجربة|مكان التجربه\tregion\tregion\t10.0\t20.0\tIQ\t5\t0\t\ttest\n",
                   encoding="utf-8")
    monkeypatch.setattr(G, "SUPPLEMENT", sup)
    monkeypatch.setenv("RASD_OCHA_DIR", str(ocha))
    p = G.index_path()
    assert p != base_path                      # the key follows the inputs
    G.clear_cache()
    t = time.time()
    g = G.load_gazetteer()                     # built on first use
    assert g.path == p and p.exists() and g.meta["ocha"] == str(ocha)
    assert time.time() - t < 60
    assert [e.id for e in g.lookup("مكان التجربة")] == ["sup:test_place"]
    # district and sub-district «مركز راوه»: the seat town's coordinates
    (dist,) = [e for e in g.lookup("راوه") if e.id == "ocha:XQ01Q05"]
    assert dist.feature == "admin2" and abs(dist.lat - 34.48) < 0.05 and abs(dist.lon - 41.92) < 0.05
    assert "ocha:XQ01Q05N02" in ids(g.lookup("راوه"))
    # leading blanks stripped, admin1 placed at its children
    assert "ocha:XQ01Q06" in ids(g.lookup("عنه"))
    (gov,) = [e for e in g.lookup("الانبار") if e.id == "ocha:XQ01"]
    assert gov.feature == "admin1" and gov.lat is not None
    # a unit with no seat town found: kept, without coordinates
    (sub,) = g.lookup("قريةالاختبار")
    assert sub.lat is None and sub.feature == "admin3"
    # districts (admin2): of the units below a governorate, and of the towns that seat them
    seat = next(e for e in g.lookup("راوه") if e.id.startswith(("gn:", "sup:")))
    rawa = ("Rawa", "راوه")
    assert g.admin2("ocha:XQ01Q05") == g.admin2("ocha:XQ01Q05N02") == g.admin2("ocha:XQ01Q05N03") == rawa
    assert g.admin2(seat.id) == rawa and g.admin2("ocha:XQ01") is None
    (mosul,) = [e for e in g.lookup("الموصل") if e.id.startswith("gn:")][:1]
    assert g.admin2(mosul.id) is None                  # no OCHA row names its district here
    # a place found in text carries it, into the event export and the CSV
    from rasd.places.recognize import find_places
    text = "وصلت القافلة إلى مدينة راوة قادمة من الموصل."
    places = {p.name: p for p in find_places(text, gazetteer=g)}
    assert (places["راوة"].admin2, places["راوة"].admin2_ar) == rawa and places["الموصل"].admin2 is None
    G.clear_cache()


def test_the_shown_arabic_name_is_no_typo(gz):
    # GeoNames gives Damascus «د مشق» first among its Arabic names
    assert G._shown_name(["د مشق", "دمشق"]) == "دمشق"
    assert G._shown_name(["دير الزور"]) == "دير الزور"
    damascus = [e for e in gz.lookup("دمشق") if e.id.startswith("gn:")]
    assert damascus and all(e.name_ar == "دمشق" for e in damascus)
