"""The map page in a real browser: Debian's chromium driven by Playwright (never a
downloaded browser) against the real server (``rasd serve`` in a subprocess on
127.0.0.1) over the five seed pages, one hostile page and three dated news items with
their web addresses; at 1400×900 and at phone size (390×844).

Screenshots go to a temporary folder, and also to ``$RASD_SCREENSHOTS`` when it is set
(``docs/screenshot.png`` in the README is ``map.png`` from such a run,
``docs/screenshot-phone.png`` is ``phone-event.png``).
"""
from __future__ import annotations

import csv
import json
import os
import re
import shutil
import urllib.request
from pathlib import Path
from urllib.parse import quote, urlencode

import pytest
from conftest import SEEDS, serving

sync_api = pytest.importorskip("playwright.sync_api")

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--no-first-run", "--disable-sync"]
pytestmark = pytest.mark.skipif(not Path(CHROMIUM).exists(), reason=f"no {CHROMIUM} (CI installs Debian's chromium)")
DESKTOP = {"width": 1400, "height": 900}
PHONE = {"width": 390, "height": 844}

HOSTILE = """\
قال مصدر أمني إن القوات العراقية استعادت السيطرة على ثلاث قرى غرب الرمادي بعد اشتباكات عنيفة مع عناصر داعش <img src=x onerror=alert(1)> يوم الأحد.

وأضاف المصدر أن <script>alert(1)</script> القوات تقدمت نحو مدينة هيت وأن عشرات من مسلحي التنظيم فروا إلى الصحراء.
"""
SKY_URL = ("https://www.skynewsarabia.com/middle-east/1046274-"
           "%D8%BA%D8%A7%D8%B1%D8%A7%D8%AA-%D8%B9%D9%84%D9%89-%D8%A7%D9%84%D8%B1%D9%82%D8%A9")
DATED = [  # three months apart, with the months between them empty
    {"id": "dated-1", "url": SKY_URL, "published": "2015-01-12", "title": "غارات على الرقة",
     "text": "غارات على الرقة\n\nقال المرصد السوري لحقوق الإنسان إن طائرات التحالف الدولي شنت غارات جوية على "
             "مدينة الرقة يوم الأحد أسفرت عن مقتل سبعة من عناصر داعش.\n\nوأضاف المرصد أن الغارات استهدفت مقرات "
             "التنظيم في المدينة."},
    {"id": "dated-2", "url": "https://arabic.cnn.com/middle-east/2015/03/20/iraq-tikrit", "published": "2015-03-20",
     "title": "اشتباكات في تكريت",
     "text": "اشتباكات في تكريت\n\nقال مصدر أمني إن القوات العراقية خاضت اشتباكات عنيفة مع مسلحي داعش في مدينة "
             "تكريت يوم الخميس وقتلت عشرة منهم.\n\nوأضاف المصدر أن القوات تقدمت نحو وسط المدينة."},
    {"id": "dated-3", "url": "http://www.france24.com/ar/20150615-syria-aleppo", "published": "2015-06-15",
     "title": "قصف في حلب",
     "text": "قصف في حلب\n\nأفاد ناشطون أن قوات النظام السوري قصفت بالبراميل المتفجرة أحياء في مدينة حلب يوم "
             "الأحد ما أدى إلى مقتل ثلاثة مدنيين.\n\nوأكد الناشطون أن القصف طال سوقا شعبيا."},
]

# one happening (IS fighters reaching Anah) told by two outlets: Sky News Arabia counts 331
# people on its own account and the coalition's denial, France 24 counts 400 on an Iraqi
# official's; a battle in Tikrit told by one outlet
STORY = [
    {"id": "story-a", "url": "https://www.skynewsarabia.com/middle-east/anah-convoy", "published": "2017-09-13",
     "title": "قافلة داعش في عنه",
     "text": "قافلة داعش في عنه\n\nعناصر داعش وعائلاتهم، وعددهم 331 شخصاً، وصلوا إلى مدينة عنه يوم الأربعاء "
             "قادمين من البادية السورية.\n\nلكن التحالف الدولي نفى ذلك، مؤكداً أن القافلة ما زالت متوقفة في "
             "البادية السورية."},
    {"id": "story-b", "url": "https://www.france24.com/ar/20170913-anah", "published": "2017-09-14",
     "title": "مسلحو داعش يصلون إلى عنه",
     "text": "مسلحو داعش يصلون إلى عنه\n\nأفاد مسؤول عراقي أن 400 من مسلحي داعش وصلوا إلى مدينة عنه يوم "
             "الأربعاء قادمين من البادية السورية."},
    {"id": "story-lone", "url": "https://arabic.cnn.com/middle-east/2017/09/20/tikrit", "published": "2017-09-20",
     "title": "اشتباكات في تكريت",
     "text": "اشتباكات في تكريت\n\nقال مصدر أمني إن القوات العراقية خاضت اشتباكات عنيفة مع مسلحي داعش في مدينة "
             "تكريت يوم الثلاثاء وقتلت عشرة منهم."},
]


def get_json(url: str):
    with urllib.request.urlopen(url, timeout=10) as r:
        return json.load(r)


def api(server: str, path: str, **params):
    return get_json(server + path + ("?" + urlencode(params) if params else ""))


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """`rasd serve` over a store of the seeds, the hostile page and the dated items; yields
    its base URL."""
    from rasd.pipeline import process
    from rasd.store import Store

    tmp = tmp_path_factory.mktemp("web")
    pages = tmp / "pages"
    shutil.copytree(SEEDS, pages)
    (pages / "hostile.txt").write_text(HOSTILE, encoding="utf-8")
    dated = tmp / "dated.jsonl"
    dated.write_text("".join(json.dumps(d, ensure_ascii=False) + "\n" for d in DATED), encoding="utf-8")
    db = tmp / "web.db"
    store = Store(db)
    process([str(pages), str(dated)], store)
    store.close()
    with serving(db, tmp / "serve.log") as base:
        yield base


@pytest.fixture(scope="module")
def story_server(tmp_path_factory):
    """`rasd serve` over the STORY items; yields its base URL."""
    from rasd.pipeline import process
    from rasd.store import Store

    tmp = tmp_path_factory.mktemp("story")
    src = tmp / "story.jsonl"
    src.write_text("".join(json.dumps(d, ensure_ascii=False) + "\n" for d in STORY), encoding="utf-8")
    store = Store(tmp / "story.db")
    process([str(src)], store)
    store.close()
    with serving(tmp / "story.db", tmp / "serve.log") as base:
        yield base


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture(scope="module")
def shots(tmp_path_factory):
    dirs = [tmp_path_factory.mktemp("screenshots")]
    if os.environ.get("RASD_SCREENSHOTS"):
        dirs.append(Path(os.environ["RASD_SCREENSHOTS"]))
        dirs[-1].mkdir(parents=True, exist_ok=True)

    def save(page, name: str) -> None:
        for d in dirs:
            page.screenshot(path=str(d / name))
    return save


class Watch:
    """What a page did that it should not: dialogs, script errors, requests elsewhere."""

    def __init__(self, page, base: str) -> None:
        self.dialogs: list[str] = []
        self.errors: list[str] = []
        self.outside: list[str] = []
        page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))
        page.on("pageerror", lambda e: self.errors.append(str(e)))
        page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        page.on("request", lambda r: None if r.url.startswith((base, "data:")) else self.outside.append(r.url))

    def clean(self) -> None:
        assert self.dialogs == [], f"a dialog opened: {self.dialogs}"
        assert self.errors == [], f"script errors: {self.errors}"
        assert self.outside == [], f"requests outside 127.0.0.1: {self.outside}"


def open_page(browser, url: str, base: str, viewport: dict, csp: bool = False):
    # by default the page's Content-Security-Policy is set aside: escaping alone must keep
    # hostile text inert (and Playwright's waits evaluate script)
    context = browser.new_context(viewport=viewport, locale="ar", bypass_csp=not csp, accept_downloads=True)
    pg = context.new_page()
    pg.set_default_timeout(15_000)
    pg.watch = Watch(pg, base)
    pg.goto(url)
    pg.wait_for_selector("#event-list li.event", state="attached")
    pg.wait_for_selector("#map[data-features]", state="attached")
    return pg


@pytest.fixture
def page(browser, server):
    pg = open_page(browser, server + "/", server, DESKTOP)
    yield pg
    pg.watch.clean()
    pg.context.close()


@pytest.fixture
def phone(browser, server):
    pg = open_page(browser, server + "/", server, PHONE)
    yield pg
    pg.watch.clean()
    pg.context.close()


def list_changed(page, seq: str) -> None:
    page.wait_for_function("s => document.querySelector('#event-list').dataset.seq !== s", arg=seq)


def total(page) -> int:
    return int(page.get_attribute("#event-list", "data-total"))


def map_shows(page, n: int) -> None:
    page.wait_for_function("n => document.querySelector('#map').dataset.features === String(n)", arg=n)


def box(page, selector: str) -> dict:
    return page.locator(selector).first.bounding_box()


def inside(b: dict, outer: dict, margin: float = 0) -> bool:
    cx, cy = b["x"] + b["width"] / 2, b["y"] + b["height"] / 2
    return (outer["x"] + margin <= cx <= outer["x"] + outer["width"] - margin
            and outer["y"] + margin <= cy <= outer["y"] + outer["height"] - margin)


def selected_in_view(page, n_rings: int = 1) -> None:
    """Wait until the selected event's rings stand inside the map (the flight is over)."""
    page.wait_for_function("""n => {
        const m = document.querySelector('#map').getBoundingClientRect();
        const rings = [...document.querySelectorAll('path.rasd-selected')];
        return rings.length === n && rings.every(r => {
            const b = r.getBoundingClientRect(), x = b.x + b.width / 2, y = b.y + b.height / 2;
            return x >= m.left + 5 && x <= m.right - 5 && y >= m.top + 5 && y <= m.bottom - 5
                && y <= innerHeight && x <= innerWidth;
        }) && !document.querySelector('.leaflet-zoom-anim');
    }""", arg=n_rings)


def coalition_denial(server: str) -> dict:
    events = get_json(server + "/api/events?stance=deny&source=" + quote("التحالف") + "&limit=500")["items"]
    found = [e for e in events if e["doc"].startswith("001_")]
    assert found, "seed 001's coalition denial is not in the store"
    return found[0]


def months_between(a: str, b: str) -> int:
    return (int(b[:4]) - int(a[:4])) * 12 + int(b[5:7]) - int(a[5:7]) + 1


# ------------------------------------------------------------------ tests


def test_map_shows_clusters_markers_and_arrows_by_precision(page, server, shots):
    fc = api(server, "/api/events.geojson", limit=3000)
    points = [f for f in fc["features"] if f["geometry"]["type"] == "Point"]
    lines = [f for f in fc["features"] if f["geometry"]["type"] == "LineString"]
    to_country = [f for f in lines if f["properties"]["precision"][1] in ("country", "region")]
    assert points and lines and to_country, "the seeds have points, arrows and a movement to a country"
    map_shows(page, len(fc["features"]))
    page.wait_for_function("document.querySelectorAll('.leaflet-basemap-pane path').length > 50")  # countries
    page.wait_for_selector(".city-label")
    # every point is drawn once: alone, or counted in a cluster
    markers = page.locator("path.rasd-marker").count()
    counts = [int(c) for c in page.eval_on_selector_all(".rasd-cluster", "els => els.map(e => e.dataset.count)")]
    assert markers + sum(counts) == len(points)
    assert counts and max(counts) > 1
    assert page.locator(".rasd-cluster").first.inner_text().strip().isdigit()
    # an arrowhead only where the movement ends at a place; a hollow ring at a country or region
    assert page.locator(".rasd-arrow").count() == len(lines) - len(to_country)
    assert page.locator("path.rasd-move-end.coarse").count() == len(to_country)
    assert page.locator("path.rasd-move").count() == len(lines)
    coarse_points = [f for f in points if f["properties"]["precision"][0] in ("country", "region")]
    assert page.locator("path.rasd-marker.coarse").count() <= len(coarse_points)
    assert page.locator(".map-legend .legend-body").is_hidden()          # the legend covers nothing until asked
    assert page.locator("#more").is_hidden()                              # the list is complete
    assert page.evaluate("document.documentElement.dir") == "rtl"
    assert page.evaluate("document.fonts.check('16px \"Noto Naskh Arabic\"', 'رصد')")
    shots(page, "map.png")
    # a cluster opens: it zooms in, or (all at one place) lists its events
    zoom = page.get_attribute("#map", "data-view").split(",")[2]
    page.locator(".rasd-cluster").first.click()
    page.wait_for_function("""z => document.querySelector('.popup-list li')
        || document.querySelector('#map').dataset.view.split(',')[2] !== z""", arg=zoom)


def test_filtering_by_type_changes_list_map_and_counts(page, server):
    def types():
        return page.eval_on_selector_all("#event-list li.event", "els => els.map(e => e.dataset.type)")

    before = types()
    assert "movement" in before and len(set(before)) > 1
    seq = page.get_attribute("#event-list", "data-seq")
    page.locator("#type-filter input[value=movement]").uncheck()
    list_changed(page, seq)
    after = types()
    assert after and "movement" not in after and len(after) < len(before)
    assert page.text_content("#events-total") == f"({len(after)})"
    page.wait_for_function("document.querySelectorAll('.rasd-arrow, path.rasd-move').length === 0")   # no movement drawn
    others = ",".join(t for t in ("battles", "explosions_remote_violence", "violence_against_civilians", "protests",
                                  "riots", "strategic_developments"))
    map_shows(page, len(api(server, "/api/events.geojson", type=others)["features"]))
    # the actor counts follow: isis is counted over the events left
    isis = sum(1 for e in api(server, "/api/events", type=others, limit=500)["items"] if "isis" in (e["actor"], e["actor2"]))
    page.wait_for_function("n => [...document.querySelectorAll('#f-actor option')].some(o => o.value === 'isis' "
                           "&& o.textContent.endsWith('(' + n + ')'))", arg=isis)
    seq = page.get_attribute("#event-list", "data-seq")
    page.locator("#type-filter input[value=movement]").check()
    list_changed(page, seq)
    assert sorted(types()) == sorted(before)


def test_a_confidence_floor_hides_less_certain_events_and_the_panel_shows_it(page, server):
    def count():
        return page.locator("#event-list li.event").count()

    before = count()
    confs = sorted(e["confidence"] for e in get_json(server + "/api/events?limit=500")["items"]
                   if e.get("confidence") is not None)
    cut = int(confs[len(confs) // 2] * 100) // 5 * 5 + 5          # a step above the median, in the slider's steps
    expected = sum(1 for c in confs if c >= cut / 100)
    seq = page.get_attribute("#event-list", "data-seq")
    page.eval_on_selector("#min-confidence", f"(el) => {{ el.value = '{cut}'; el.dispatchEvent(new Event('change')); }}")
    list_changed(page, seq)
    assert 0 < count() == expected < before
    assert page.text_content("#min-confidence-value") == f"{cut}٪"
    page.locator("#event-list li.event").first.click()
    page.wait_for_selector("#detail:not([hidden]) dl.facts")
    assert "الثقة" in page.text_content("#detail dl.facts")
    page.click("#detail-close")
    seq = page.get_attribute("#event-list", "data-seq")
    page.eval_on_selector("#min-confidence", "(el) => { el.value = '0'; el.dispatchEvent(new Event('change')); }")
    list_changed(page, seq)
    assert count() == before


def test_a_governorate_filters_list_map_and_counts_and_the_panel_names_it(page, browser, server):
    def listed():
        return page.eval_on_selector_all("#event-list li.event", "els => els.map(e => e.dataset.id)")

    every = api(server, "/api/facets")["admin1"]
    assert every["Al Anbar"] > 0 and len(every) > 1
    page.wait_for_function("n => [...document.querySelectorAll('#f-admin1 option')].some(o => o.value === 'Al Anbar' "
                           "&& o.textContent.endsWith('(' + n + ')'))", arg=every["Al Anbar"])
    before = listed()
    seq = page.get_attribute("#event-list", "data-seq")
    page.select_option("#f-admin1", "Al Anbar")
    list_changed(page, seq)
    want = api(server, "/api/events", admin1="Al Anbar", limit=500)["items"]
    assert sorted(listed()) == sorted(e["id"] for e in want) and 0 < len(want) < len(before)
    assert total(page) == len(want)
    map_shows(page, len(api(server, "/api/events.geojson", admin1="Al Anbar")["features"]))
    # the other counts follow the governorate; its own list still offers the others
    f = api(server, "/api/facets", admin1="Al Anbar")
    page.wait_for_function("n => document.querySelector('#summary').dataset.total === String(n)", arg=len(want))
    for t, n in f["types"].items():
        assert page.text_content(f"#type-filter label[data-type={t}] .count") == f"({n})"
    isis = f["actors"]["isis"]
    assert isis < api(server, "/api/facets")["actors"]["isis"]
    page.wait_for_function("n => [...document.querySelectorAll('#f-actor option')].some(o => o.value === 'isis' "
                           "&& o.textContent.endsWith('(' + n + ')'))", arg=isis)
    assert page.locator("#f-admin1 option[value=Nineveh]").count() == 1
    assert "الأنبار" in page.text_content("#f-admin1 option[value='Al Anbar']")     # its Arabic name too
    # kept in the permalink and the export links
    link = page.get_attribute("#permalink", "href")
    assert "admin1=Al+Anbar" in link
    other = open_page(browser, link, server, DESKTOP, csp=True)
    try:
        assert other.input_value("#f-admin1") == "Al Anbar"
        other.wait_for_function("n => document.querySelector('#event-list').dataset.total === String(n)", arg=len(want))
        other.watch.clean()
    finally:
        other.context.close()
    assert "admin1=Al+Anbar" in page.get_attribute("#export-csv", "href")
    assert "admin1=Al+Anbar" in page.get_attribute("#export-geojson", "href")
    # the panel names the governorate beside the place
    qaim = next(e for e in want if any(p["name"] == "القائم" and p.get("admin1") == "Al Anbar" for p in e["places"]))
    page.click(f"#event-list li.event[data-id={json.dumps(qaim['id'])}]")
    page.wait_for_selector("#detail:not([hidden]) dl.facts")
    page.wait_for_function("id => document.querySelector('#detail').dataset.event === id", arg=qaim["id"])
    facts = page.text_content("#detail dl.facts")
    assert "القائم — الأنبار" in facts          # the governorate's Arabic name (data/admin1.tsv)
    assert page.get_attribute("#detail dl.facts .admin1", "data-admin1") == "Al Anbar"
    assert not re.search("[A-Za-z]", facts), facts      # the date's precision in Arabic too
    page.click("#detail-close")
    seq = page.get_attribute("#event-list", "data-seq")
    page.select_option("#f-admin1", "")
    list_changed(page, seq)
    assert sorted(listed()) == sorted(before)


def test_search_finds_the_convoy_article_and_filters_the_map(page, server, shots):
    everything = total(page)
    seq = page.get_attribute("#event-list", "data-seq")
    page.fill("#search-input", "راوة")
    page.press("#search-input", "Enter")
    page.wait_for_selector("#search-results .result")
    found = page.eval_on_selector_all("#search-results .result", "els => els.map(e => e.dataset.id)")
    convoy = next(a for a in found if a.startswith("001_"))
    marks = page.eval_on_selector_all("#search-results mark.hit", "els => els.map(e => e.textContent)")
    assert marks and all(m.endswith(("راوة", "راوه")) for m in marks)
    # the events, the map and the counts now hold only what the search finds
    list_changed(page, seq)
    want = api(server, "/api/events", q="راوة", limit=500)
    assert 0 < total(page) == want["total"] < everything
    map_shows(page, len(api(server, "/api/events.geojson", q="راوة")["features"]))
    page.wait_for_function("n => document.querySelector('#summary').dataset.total === String(n)", arg=want["total"])
    assert page.locator("#active-query").is_visible()
    page.click(f"#search-results .result[data-id='{convoy}']")
    page.wait_for_selector(f"#detail[data-article='{convoy}'] mark.hit")
    assert "قافلة" in page.text_content("#detail .article-text")
    shots(page, "search.png")
    seq = page.get_attribute("#event-list", "data-seq")
    page.click("#clear-query")
    list_changed(page, seq)
    assert total(page) == everything


def test_the_coalitions_denial_beside_the_claim_it_denies(page, server, shots):
    denial = coalition_denial(server)
    item = page.locator(f"#event-list li.event[data-id='{denial['id']}']")
    assert "التحالف" in item.text_content()
    item.click()
    page.wait_for_selector(f"#detail[data-event='{denial['id']}'] #claims .denials .claim")
    asserts = page.locator("#claims .asserts .claim")
    denials = page.locator("#claims .denials .claim")
    assert asserts.count() >= 1 and denials.count() >= 1
    assert page.get_attribute("#claims .denials .claim.current", "data-id") == denial["id"]
    assert "التحالف" in page.text_content("#claims .denials")
    a, d = page.locator("#claims .asserts").bounding_box(), page.locator("#claims .denials").bounding_box()
    assert abs(a["y"] - d["y"]) < 5 and d["x"] + d["width"] <= a["x"] + 1      # side by side, right to left
    # the evidence highlighted in the article is exactly the event's evidence
    assert page.text_content("#detail mark.evidence") == denial["evidence"]["text"]
    assert page.locator("#detail mark.evidence").count() == 1
    assert page.text_content("#detail mark.source").startswith("التحالف")
    assert "ينفي" in page.text_content("#detail .sources-list")
    # who the source is, in Arabic like the rest of the panel (the export's role keys are English)
    assert not re.search("[A-Za-z]", page.text_content("#detail .sources-list"))
    shots(page, "denial.png")
    # the other side of the claim: clicking it shows its own evidence
    other = page.get_attribute("#claims .asserts .claim", "data-id")
    page.click("#claims .asserts .claim")
    page.wait_for_selector(f"#detail[data-event='{other}'] mark.evidence")
    want = get_json(server + "/api/events/" + quote(other, safe=""))["event"]["evidence"]["text"]
    assert page.text_content("#detail mark.evidence") == want


def test_article_text_is_shown_as_text_and_runs_nothing(page, server, shots):
    page.evaluate("location.hash = '#article=' + encodeURIComponent('hostile.txt#1')")
    page.wait_for_selector("#detail[data-article='hostile.txt#1'] .article-text p")
    text = page.text_content("#detail .article-text")
    assert "<img src=x onerror=alert(1)>" in text and "<script>alert(1)</script>" in text
    assert page.locator("#detail img, #detail script").count() == 0
    page.fill("#search-input", "هيت")
    page.press("#search-input", "Enter")
    page.wait_for_selector("#search-results .result[data-id='hostile.txt#1']")
    assert "<script>alert(1)</script>" in page.text_content("#search-results")
    assert page.locator("#search-results img, #search-results script").count() == 0
    # its events, from the list, with the article around the evidence
    ev = next(e for e in get_json(server + "/api/events?limit=500")["items"] if e["doc"] == "hostile.txt")
    page.click(".tabs button[data-tab=events]")
    page.click(f"#event-list li.event[data-id='{ev['id']}']")
    page.wait_for_selector(f"#detail[data-event='{ev['id']}'] mark.evidence")
    assert "onerror=alert(1)" in page.text_content("#detail .article-text")
    page.wait_for_timeout(300)                 # give anything that would run the time to run
    assert page.locator("img[src=x], body > script:not([src])").count() == 0
    shots(page, "hostile.png")


def test_the_outlet_is_named_and_the_address_is_a_readable_link(page):
    page.evaluate("location.hash = '#article=' + encodeURIComponent('dated-1#1')")
    page.wait_for_selector("#detail[data-article='dated-1#1'] .article-link a")
    assert page.text_content("#detail .article-meta .outlet") == "سكاي نيوز عربية"
    link = page.locator("#detail .article-link a")
    assert link.get_attribute("href") == SKY_URL
    assert link.text_content() == "https://www.skynewsarabia.com/middle-east/1046274-غارات-على-الرقة"
    assert link.get_attribute("rel") == "noopener noreferrer"


def test_a_linear_timeline_then_dates_and_an_actor_filter_list_map_and_counts(page, server):
    # every month from the first event's to the last's, empty ones too; the handles at the ends
    dates = sorted(e["date"] for e in api(server, "/api/events", limit=500)["items"] if e["date"])
    n = months_between(dates[0], dates[-1])
    assert n > 12
    page.wait_for_function("n => document.querySelectorAll('#histogram g.bin').length === n", arg=n)
    bins = page.eval_on_selector_all("#histogram g.bin", "gs => gs.map(g => [g.dataset.date, +g.dataset.count])")
    assert bins[0][0] == dates[0][:7] and bins[-1][0] == dates[-1][:7]
    assert [d for d, _ in bins] == sorted(d for d, _ in bins)
    assert ["2015-02", 0] in bins                      # an empty month has its place
    assert sum(c for _, c in bins) == len(dates)
    slots = page.locator("#histogram g.bin rect.slot")
    first, last = slots.first.bounding_box(), slots.last.bounding_box()
    hf, ht = box(page, "#h-from"), box(page, "#h-to")
    assert abs(hf["x"] + hf["width"] / 2 - first["x"]) < 1
    assert abs(ht["x"] + ht["width"] / 2 - (last["x"] + last["width"])) < 1
    # the handles are sliders for the keyboard too: one step left leaves the last month out
    seq = page.get_attribute("#event-list", "data-seq")
    page.focus("#h-to")
    page.keyboard.press("ArrowLeft")
    list_changed(page, seq)
    assert page.text_content("#t-range").endswith(bins[-2][0])
    assert total(page) == api(server, "/api/events", limit=1, date_to=bins[-2][0], undated="true")["total"]
    seq = page.get_attribute("#event-list", "data-seq")
    page.click("#t-reset")
    list_changed(page, seq)
    # drag the left handle onto the left edge of March 2015's bar
    march = page.locator("#histogram g.bin[data-date='2015-03'] rect.slot").bounding_box()
    hf = box(page, "#h-from")
    seq = page.get_attribute("#event-list", "data-seq")
    page.mouse.move(hf["x"] + hf["width"] / 2, hf["y"] + hf["height"] - 5)
    page.mouse.down()
    page.mouse.move(march["x"] + 1, hf["y"] + hf["height"] - 5, steps=8)
    page.mouse.up()
    list_changed(page, seq)
    assert page.text_content("#t-range").startswith("2015-03")
    hf = box(page, "#h-from")
    assert abs(hf["x"] + hf["width"] / 2 - march["x"]) < 1                 # the handle sits on the bar's edge
    params = {"date_from": "2015-03", "undated": "true"}
    want = api(server, "/api/events", limit=500, **params)
    assert total(page) == want["total"]
    listed = page.eval_on_selector_all("#event-list li.event", "els => els.map(e => e.dataset.date)")
    assert "2015-01-11" not in listed and "2015-03-19" in listed
    map_shows(page, len(api(server, "/api/events.geojson", **params)["features"]))
    # then one actor: the list, the map and the type counts follow both filters
    seq = page.get_attribute("#event-list", "data-seq")
    page.select_option("#f-actor", "iraq_forces")
    list_changed(page, seq)
    want = api(server, "/api/events", limit=500, actor="iraq_forces", **params)["items"]
    assert total(page) == len(want) > 0
    actors = page.eval_on_selector_all("#event-list li.event", "els => els.map(e => [e.dataset.actor, e.dataset.actor2])")
    assert all("iraq_forces" in a for a in actors)
    map_shows(page, len(api(server, "/api/events.geojson", actor="iraq_forces", **params)["features"]))
    by_type = {}
    for e in want:
        by_type[e["type"]] = by_type.get(e["type"], 0) + 1
    page.wait_for_function("n => document.querySelector('#summary').dataset.total === String(n)", arg=len(want))
    for t, n in by_type.items():
        assert page.text_content(f"#type-filter label[data-type={t}] .count") == f"({n})"
    assert page.text_content("#type-filter label[data-type=protests] .count") == "(0)"
    # the timeline's bars are those of the actor's events
    dated = api(server, "/api/timeline", actor="iraq_forces")["dated"]
    counts = page.eval_on_selector_all("#histogram g.bin", "gs => gs.map(g => +g.dataset.count)")
    assert sum(counts) == dated


def test_export_downloads_the_filtered_csv(page, server):
    seq = page.get_attribute("#event-list", "data-seq")
    page.select_option("#f-actor", "isis")
    list_changed(page, seq)
    n = total(page)
    assert 0 < n < api(server, "/api/events", limit=1)["total"]
    with page.expect_download() as d:
        page.click("#export-csv")
    with open(d.value.path(), encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) == n
    assert all(any(v == "isis" for v in r.values()) for r in rows)          # the actor's own rows
    with page.expect_download() as d:
        page.click("#export-geojson")
    assert len(json.loads(Path(d.value.path()).read_text(encoding="utf-8"))["features"]) == \
        len(api(server, "/api/events.geojson", actor="isis")["features"])


def test_a_permalink_reopens_the_same_filters_and_view(page, browser, server):
    seq = page.get_attribute("#event-list", "data-seq")
    page.select_option("#f-actor", "isis")
    list_changed(page, seq)
    seq = page.get_attribute("#event-list", "data-seq")
    page.locator("#type-filter input[value=battles]").uncheck()
    list_changed(page, seq)
    view = page.get_attribute("#map", "data-view")
    page.click(".leaflet-control-zoom-in")
    page.wait_for_function("v => document.querySelector('#map').dataset.view !== v", arg=view)
    page.wait_for_timeout(400)
    view = page.get_attribute("#map", "data-view")
    n, csv_link = total(page), page.get_attribute("#export-csv", "href")
    link = page.get_attribute("#permalink", "href")
    assert "actor=isis" in link and "map=" in link
    other = open_page(browser, link, server, DESKTOP, csp=True)           # the real CSP this time
    try:
        assert other.input_value("#f-actor") == "isis"
        assert not other.locator("#type-filter input[value=battles]").is_checked()
        assert other.locator("#type-filter input[value=movement]").is_checked()
        other.wait_for_function("n => document.querySelector('#event-list').dataset.total === String(n)", arg=n)
        assert other.get_attribute("#export-csv", "href") == csv_link
        lat, lon, zoom = map(float, view.split(","))
        lat2, lon2, zoom2 = map(float, other.get_attribute("#map", "data-view").split(","))
        assert zoom2 == zoom and abs(lat2 - lat) < 1e-3 and abs(lon2 - lon) < 1e-3
        other.watch.clean()
    finally:
        other.context.close()


def test_selecting_an_event_brings_it_into_the_map(page, server):
    fc = api(server, "/api/events.geojson", limit=3000)
    line = next(f for f in fc["features"] if f["geometry"]["type"] == "LineString")
    point = next(f for f in fc["features"] if f["geometry"]["type"] == "Point")
    for f, rings in ((line, 2), (point, 1)):
        page.evaluate("location.hash = '#map=5,-20,7'")                  # far away, off the Atlantic
        page.wait_for_function("(document.querySelector('#map').dataset.view || '').startsWith('5.0000,-20.0000')")
        page.click(f"#event-list li.event[data-id='{f['id']}']")
        page.wait_for_selector(f"#detail[data-event='{f['id']}']")
        selected_in_view(page, rings)
        assert box(page, "#map")["width"] > 350                           # the panel leaves the map room


def test_phone_layout_map_first_and_drawers(phone, server, shots):
    pg = phone
    width = pg.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"]
    assert box(pg, "#top")["height"] <= 60
    m = box(pg, "#map")
    assert m["height"] >= 300 and m["width"] >= PHONE["width"] - 2 and m["y"] < 60
    shots(pg, "phone.png")
    # the list drawer opens under the map, which keeps 300 px
    pg.click("#toggle-side")
    pg.wait_for_selector("#event-list li.event")
    assert box(pg, "#map")["height"] >= 300
    assert box(pg, "#side")["y"] >= box(pg, "#map")["y"] + 300
    assert pg.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    # an event chosen there: the panel replaces the list, and the event stands in the map
    fc = api(server, "/api/events.geojson", limit=3000)
    line = next(f for f in fc["features"] if f["geometry"]["type"] == "LineString")
    pg.click(f"#event-list li.event[data-id='{line['id']}']")
    pg.wait_for_selector(f"#detail[data-event='{line['id']}'] mark.evidence")
    selected_in_view(pg, 2)
    assert box(pg, "#map")["height"] >= 300
    assert pg.locator("#side").is_hidden() and box(pg, "#detail")["height"] > 250
    assert pg.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    # a page read from a file: its outlet is shown by the file's name, not its whole path
    event = api(server, "/api/events/" + quote(line["id"], safe=""))
    doc = event["event"]["doc"] if "event" in event else event["doc"]
    story_line = pg.text_content("#story-line")
    assert "/" not in story_line and Path(doc).name.split("#")[0] in story_line, story_line
    shots(pg, "phone-event.png")
    pg.click("#detail-close")
    pg.wait_for_function("document.querySelector('#map').getBoundingClientRect().height > 500")


def story_claims(pg) -> dict:
    """{outlet host: [(stance, stance label, source, count, evidence)]} of the story shown."""
    return pg.evaluate("""() => {
        const text = (c, sel) => { const n = c.querySelector(sel); return n ? n.textContent : null; };
        const out = {};
        for (const col of document.querySelectorAll('#detail .outlet-col')) {
            out[col.dataset.outlet] = [...col.querySelectorAll('.story-claim')].map((c) => [c.dataset.stance,
                text(c, '.stance'), text(c, '.source'), text(c, '.count'), text(c, '.evidence-text')]);
        }
        return out;
    }""")


def test_an_event_s_story_in_two_outlets_with_asserts_denials_and_the_count_range(browser, story_server, shots):
    events = api(story_server, "/api/events", limit=500)["items"]
    france24 = next(e for e in events if e["doc"] == "story-b")
    pg = open_page(browser, story_server + "/", story_server, DESKTOP, csp=True)       # the real CSP
    pg.click(f"#event-list li.event[data-id='{france24['id']}']")
    pg.wait_for_selector(f"#detail[data-event='{france24['id']}'] #story-line")
    # the story: the articles of both outlets (the earlier one names it)
    line = pg.text_content("#story-line")
    assert line.startswith("هذه القصة في منفذين: ") and "سكاي نيوز عربية" in line and "فرانس 24" in line
    assert pg.get_attribute("#story-line", "data-outlets") == "2"
    assert pg.get_attribute("#story-line", "data-story") == "story-a#1"
    # the claim group: two independent sources assert (Sky News on its own account, the Iraqi
    # official), one denies (the coalition); 331 and 400 people told
    assert pg.text_content("#claims .corroboration .asserting") == "2"
    assert pg.text_content("#claims .corroboration .denying") == "1"
    assert pg.text_content("#claims .corroboration .count-range") == "من 331 إلى 400"
    assert pg.locator("#claims .asserts .claim").count() == 2 and pg.locator("#claims .denials .claim").count() == 1
    shots(pg, "story-event.png")
    # the story: every claim of each outlet side by side, with its source and stance
    pg.click("#open-story")
    pg.wait_for_selector("#detail[data-story='story-a#1'] .story-group .outlet-col")
    assert "story=" in pg.evaluate("location.hash")
    assert pg.text_content("#detail h2") == "القصة: قافلة داعش في عنه"
    assert pg.locator("#detail .story-group").count() == 1
    claims = story_claims(pg)
    assert list(claims) == ["skynewsarabia.com", "france24.com"]
    (a_stance, a_label, a_source, a_count, a_evidence), (d_stance, d_label, d_source, _, d_evidence) = \
        claims["skynewsarabia.com"]
    assert (a_stance, a_label) == ("assert", "تأكيد") and a_source.startswith("الوسيلة نفسها")
    assert "331" in a_count and "وصلوا إلى مدينة عنه" in a_evidence
    assert (d_stance, d_label, d_source) == ("deny", "نفي", "التحالف الدولي") and "نفى ذلك" in d_evidence
    [(b_stance, b_label, b_source, b_count, b_evidence)] = claims["france24.com"]
    assert (b_stance, b_label, b_source) == ("assert", "تأكيد", "مسؤول عراقي") and "400" in b_count
    assert b_evidence.startswith("400 من مسلحي داعش")
    assert [pg.text_content(f"#detail .outlet-col[data-outlet='{h}'] h4") for h in claims] == \
        ["سكاي نيوز عربية", "فرانس 24"]
    cols = [box(pg, f"#detail .outlet-col[data-outlet='{h}']") for h in claims]
    assert abs(cols[0]["y"] - cols[1]["y"]) < 2 and cols[1]["x"] + cols[1]["width"] <= cols[0]["x"] + 1  # right to left
    assert pg.text_content("#detail .story-group .corroboration .asserting") == "2"
    assert pg.text_content("#detail .story-group .corroboration .denying") == "1"
    assert pg.text_content("#detail .story-group .corroboration .count-range") == "من 331 إلى 400"
    assert pg.get_attribute("#detail .story-claim.current", "data-id") == france24["id"]
    shots(pg, "story.png")
    # back to the event; a claim of the story opens as an event
    pg.click("#story-back")
    pg.wait_for_selector(f"#detail[data-event='{france24['id']}'] #story-line")
    pg.click("#open-story")
    pg.wait_for_selector("#detail[data-story='story-a#1'] .story-claim[data-stance=deny]")
    denial = pg.get_attribute("#detail .story-claim[data-stance=deny]", "data-id")
    pg.click("#detail .story-claim[data-stance=deny]")
    pg.wait_for_selector(f"#detail[data-event='{denial}'] #story-line")
    assert pg.get_attribute("#detail", "data-story") == ""
    pg.watch.clean()
    pg.context.close()


def test_a_story_of_one_outlet_and_a_story_on_a_phone(browser, story_server, shots):
    events = api(story_server, "/api/events", limit=500)["items"]
    lone = next(e for e in events if e["doc"] == "story-lone")
    france24 = next(e for e in events if e["doc"] == "story-b")
    pg = open_page(browser, story_server + "/", story_server, PHONE)
    try:
        pg.click("#toggle-side")
        pg.click(f"#event-list li.event[data-id='{lone['id']}']")
        pg.wait_for_selector(f"#detail[data-event='{lone['id']}'] #story-line")
        assert pg.text_content("#story-line").startswith("هذه القصة في منفذ واحد: سي إن إن بالعربية")
        assert pg.text_content("#claims .corroboration .asserting") == "1"
        assert pg.text_content("#claims .corroboration .denying") == "0"
        assert pg.locator("#claims .corroboration .count-range").count() == 0       # no count told
        # a permalink to the two outlets' story, on a phone: no sideways scrolling, the map keeps its room
        pg.evaluate("h => { location.hash = h; }", "#event=" + quote(france24["id"], safe="") + "&story=story-a%231")
        pg.wait_for_selector("#detail[data-story='story-a#1'] .outlet-col[data-outlet='france24.com'] .story-claim")
        assert pg.locator("#detail .story-claim").count() == 3
        assert pg.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        assert box(pg, "#map")["height"] >= 300
        for col in ("skynewsarabia.com", "france24.com"):
            b = box(pg, f"#detail .outlet-col[data-outlet='{col}']")
            assert b["x"] >= 0 and b["x"] + b["width"] <= PHONE["width"]
        shots(pg, "phone-story.png")
        pg.watch.clean()
    finally:
        pg.context.close()


def test_new_events_appear_without_a_reload(browser, tmp_path):
    """`rasd watch` (or another `rasd process`) adds documents to the store the map is
    showing: the page notices (it polls /api/changes; ?poll=1 makes that every second) and
    its list, map and counts follow without a reload."""
    from rasd.pipeline import process
    from rasd.store import Store

    pages = sorted(p for p in SEEDS.iterdir() if p.is_file())
    db = tmp_path / "live.db"
    store = Store(db)
    process([str(pages[0])], store)
    store.close()
    with serving(db, tmp_path / "serve.log") as base:
        pg = open_page(browser, base + "/?poll=1", base, DESKTOP)
        before = total(pg)
        assert before == api(base, "/api/events", limit=1)["total"]
        pg.evaluate("() => { window.__sameDocument = true; }")       # a reload would lose this
        store = Store(db)
        process([str(p) for p in pages[1:]], store)
        store.close()
        after = api(base, "/api/events", limit=1)["total"]
        assert after > before
        pg.wait_for_function("n => document.querySelector('#event-list').dataset.total === String(n)", arg=after,
                             timeout=20_000)
        assert pg.evaluate("() => window.__sameDocument === true")
        pg.watch.clean()
        pg.context.close()


OCHA_RAWA = """admin3Name_en,admin3Name_ar,admin3Pcode,admin2Name_en,admin2Name_ar,admin2Pcode,admin1Name_en,admin1Name_ar,admin1Pcode,admin0Name_en,admin0Name_ar,admin0Pcode
Rawa,راوه,XQ01Q05N02,Ana,عنه,XQ01Q05,Anbar,الانبار,XQ01,Iraq,العراق,IQ
"""


def test_the_panel_names_the_district_where_ocha_names_are_imported(browser, tmp_path, monkeypatch):
    """With OCHA's lists imported (RASD_OCHA_DIR) a town that seats a sub-district has its
    district (admin2): the event panel shows its Arabic name beside the place."""
    from rasd.pipeline import process
    from rasd.places import gazetteer as G
    from rasd.store import Store

    ocha = tmp_path / "ocha"
    ocha.mkdir()
    (ocha / "XQ_admin3.csv").write_text(OCHA_RAWA, encoding="utf-8")
    monkeypatch.setenv("RASD_OCHA_DIR", str(ocha))
    G.clear_cache()
    try:
        store = Store(tmp_path / "ocha.db")
        process([str(SEEDS)], store)
        events = list(store.event_records())
        store.close()
    finally:
        monkeypatch.delenv("RASD_OCHA_DIR")
        G.clear_cache()
    rawa = next(e for e in events if any(p["name"] == "راوة" and p.get("admin2") == "Ana" for p in e["places"]))
    with serving(tmp_path / "ocha.db", tmp_path / "serve.log") as base:
        pg = open_page(browser, base + "/", base, DESKTOP)
        try:
            pg.click(f"#event-list li.event[data-id={json.dumps(rawa['id'])}]")
            pg.wait_for_selector(f"#detail[data-event={json.dumps(rawa['id'])}] dl.facts")
            facts = pg.text_content("#detail dl.facts")
            assert "راوة — عنه — الأنبار" in facts, facts
            assert pg.get_attribute("#detail dl.facts .admin2", "data-admin2") == "Ana"
        finally:
            pg.watch.clean()
            pg.context.close()
