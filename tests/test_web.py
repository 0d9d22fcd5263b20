"""The map page in a real browser: Debian's chromium driven by Playwright (never a
downloaded browser) against the real server (``rasd serve`` in a subprocess on
127.0.0.1) over the five seed pages plus one hostile page.

Screenshots go to a temporary folder, and also to ``$RASD_SCREENSHOTS`` when it is set
(``docs/screenshot.png`` in the README is ``map.png`` from such a run).
"""
from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import quote

import pytest

from conftest import SEEDS

sync_api = pytest.importorskip("playwright.sync_api")

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--no-first-run", "--disable-sync"]
pytestmark = pytest.mark.skipif(not Path(CHROMIUM).exists(), reason=f"no {CHROMIUM} (CI installs Debian's chromium)")

HOSTILE = """\
قال مصدر أمني إن القوات العراقية استعادت السيطرة على ثلاث قرى غرب الرمادي بعد اشتباكات عنيفة مع عناصر داعش <img src=x onerror=alert(1)> يوم الأحد.

وأضاف المصدر أن <script>alert(1)</script> القوات تقدمت نحو مدينة هيت وأن عشرات من مسلحي التنظيم فروا إلى الصحراء.
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get_json(url: str):
    with urllib.request.urlopen(url, timeout=10) as r:
        return json.load(r)


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """`rasd serve` over a store of the seeds and the hostile page; yields its base URL."""
    from rasd.pipeline import process
    from rasd.store import Store

    tmp = tmp_path_factory.mktemp("web")
    pages = tmp / "pages"
    shutil.copytree(SEEDS, pages)
    (pages / "hostile.txt").write_text(HOSTILE, encoding="utf-8")
    db = tmp / "web.db"
    store = Store(db)
    process([str(pages)], store)
    store.close()
    port = free_port()
    log = open(tmp / "serve.log", "w")
    proc = subprocess.Popen([sys.executable, "-m", "rasd.cli", "serve", "--db", str(db), "--port", str(port)],
                            stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                get_json(base + "/api")
                break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("rasd serve did not start: " + (tmp / "serve.log").read_text())
                time.sleep(0.1)
        log.flush()
        assert f"{base}/" in (tmp / "serve.log").read_text(encoding="utf-8")      # it says where it is
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


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
        page.on("request", lambda r: None if r.url.startswith((base, "data:")) else self.outside.append(r.url))

    def clean(self) -> None:
        assert self.dialogs == [], f"a dialog opened: {self.dialogs}"
        assert self.errors == [], f"script errors: {self.errors}"
        assert self.outside == [], f"requests outside 127.0.0.1: {self.outside}"


@pytest.fixture
def page(browser, server):
    # the page's Content-Security-Policy is set aside: escaping alone must keep hostile text
    # inert (and Playwright's waits evaluate script)
    context = browser.new_context(viewport={"width": 1440, "height": 860}, locale="ar", bypass_csp=True)
    pg = context.new_page()
    pg.set_default_timeout(15_000)
    pg.watch = Watch(pg, server)
    pg.goto(server + "/")
    pg.wait_for_selector("#event-list li.event")
    yield pg
    pg.watch.clean()
    context.close()


def list_changed(page, seq: str) -> None:
    page.wait_for_function("s => document.querySelector('#event-list').dataset.seq !== s", arg=seq)


def coalition_denial(server: str) -> dict:
    events = get_json(server + "/api/events?stance=deny&source=" + quote("التحالف") + "&limit=500")["items"]
    found = [e for e in events if e["doc"].startswith("001_")]
    assert found, "seed 001's coalition denial is not in the store"
    return found[0]


# ------------------------------------------------------------------ tests


def test_map_shows_markers_and_movement_arrows(page, shots):
    page.wait_for_selector("path.rasd-marker")
    page.wait_for_selector(".rasd-arrow")
    page.wait_for_function("document.querySelectorAll('.leaflet-basemap-pane path').length > 50")  # countries
    page.wait_for_timeout(300)
    assert page.locator("path.rasd-marker").count() > 5
    assert page.locator(".rasd-arrow").count() >= 1
    assert page.locator("path.rasd-move").count() == page.locator(".rasd-arrow").count()
    assert page.evaluate("document.documentElement.dir") == "rtl"
    assert page.evaluate("document.fonts.check('16px \"Noto Naskh Arabic\"', 'رصد')")
    shots(page, "map.png")


def test_filtering_by_type_changes_the_list(page):
    types = lambda: page.eval_on_selector_all("#event-list li.event", "els => els.map(e => e.dataset.type)")  # noqa: E731
    before = types()
    assert "movement" in before and len(set(before)) > 1
    seq = page.get_attribute("#event-list", "data-seq")
    page.locator("#type-filter input[value=movement]").uncheck()
    list_changed(page, seq)
    after = types()
    assert after and "movement" not in after and len(after) < len(before)
    assert page.text_content("#events-total") == f"({len(after)})"
    page.wait_for_function("document.querySelectorAll('.rasd-arrow').length === 0")   # no movement drawn
    seq = page.get_attribute("#event-list", "data-seq")
    page.locator("#type-filter input[value=movement]").check()
    list_changed(page, seq)
    assert sorted(types()) == sorted(before)


def test_a_confidence_floor_hides_less_certain_events_and_the_panel_shows_it(page, server):
    count = lambda: page.locator("#event-list li.event").count()  # noqa: E731
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


def test_search_finds_the_convoy_article(page, shots):
    page.fill("#search-input", "راوة")
    page.press("#search-input", "Enter")
    page.wait_for_selector("#search-results .result")
    found = page.eval_on_selector_all("#search-results .result", "els => els.map(e => e.dataset.id)")
    convoy = next(a for a in found if a.startswith("001_"))
    marks = page.eval_on_selector_all("#search-results mark.hit", "els => els.map(e => e.textContent)")
    assert marks and all(m.endswith(("راوة", "راوه")) for m in marks)
    page.click(f"#search-results .result[data-id='{convoy}']")
    page.wait_for_selector(f"#detail[data-article='{convoy}'] mark.hit")
    assert "القافلة" in page.text_content("#detail .article-text") or "قافلة" in page.text_content("#detail .article-text")
    shots(page, "search.png")


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
