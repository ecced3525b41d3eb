"""The web UI in a real browser: Debian's chromium driven by Playwright (never `playwright install`).

One uvicorn server on 127.0.0.1 over a copy of the sample ledger, one browser
for the module.  A person's path: the board, the map, the timeline, an
article; a review made in the page survives a reload.  The sample holds an
article whose title, outlet, speaker and place are markup attacks: any dialog
opening fails the test.  Screenshots go to the test's tmp dir.
"""

from __future__ import annotations

import shutil
import socket
import threading
import time
from pathlib import Path
from urllib.parse import unquote

import pytest

CHROMIUM = Path("/usr/bin/chromium")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync"]
TOKEN = "browser-token-1"

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason=f"needs Debian's chromium at {CHROMIUM} "
                                                              "(apt-get install chromium)")


@pytest.fixture(scope="module")
def server(sample_db, tmp_path_factory):
    import uvicorn

    from counterclaim.api.ledger import Ledger
    from counterclaim.web import create_app

    path = tmp_path_factory.mktemp("web") / "ledger.sqlite"
    shutil.copy(sample_db, path)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    ledger = Ledger(path)
    config = uvicorn.Config(create_app(ledger, token=TOKEN), host="127.0.0.1", port=port, log_level="error")
    srv = uvicorn.Server(config)
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not srv.started and time.monotonic() < deadline:
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    srv.should_exit = True
    thread.join(10)
    ledger.close()


@pytest.fixture(scope="module")
def page(server):
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS, headless=True)
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        page = context.new_page()
        page.dialogs = []
        page.on("dialog", lambda d: (page.dialogs.append(d.message), d.dismiss()))
        page.errors = []
        page.on("pageerror", lambda e: page.errors.append(str(e)))
        outside = []
        page.on("request", lambda r: None if r.url.startswith(server) or r.url.startswith("data:")
                else outside.append(r.url))
        page.outside = outside
        yield page
        browser.close()


def shot(page, tmp_path, name):
    page.screenshot(path=str(tmp_path / f"{name}.png"), full_page=True)


def test_views_render_inert_and_offline(page, server, tmp_path):
    page.goto(f"{server}/#/board")
    page.wait_for_selector(".cluster .side")
    assert page.locator(".cluster").first.locator(".side").count() >= 2
    shot(page, tmp_path, "board")
    page.goto(f"{server}/#/map")
    page.wait_for_selector("#map[data-points]")
    page.wait_for_selector(".leaflet-overlay-pane path")  # country shapes drawn
    assert int(page.locator("#map").get_attribute("data-points")) >= 2
    shot(page, tmp_path, "map")
    page.goto(f"{server}/#/timeline")
    page.wait_for_selector(".tl-event")
    shot(page, tmp_path, "timeline")
    page.goto(f"{server}/#/articles")
    page.wait_for_selector("table.list tbody tr")
    rows = page.locator("table.list tbody tr")
    assert rows.count() == 4
    assert "<script>alert(1)</script>" in page.locator("table.list").inner_text()  # shown as text
    links = [page.locator("table.list tbody tr a").nth(i).get_attribute("href") for i in range(rows.count())]
    page.locator("table.list tbody tr a").first.click()  # as a person goes; the others by their links
    for i, link in enumerate(links):
        if i:
            page.goto(f"{server}/{link}")
        page.locator(".meta code", has_text=unquote(link.rsplit("/", 1)[1])).wait_for()  # this article, drawn
        page.locator(".article-text span").first.click()
        shot(page, tmp_path, f"article-{i}")
    page.goto(f"{server}/#/search?q=killed")
    page.wait_for_selector(".records li")
    assert page.dialogs == [] and page.errors == []
    assert page.locator("img[src='x'], body script:not([src])").count() == 0
    assert page.outside == []  # no CDN, no tile server


def test_review_survives_reload(page, server):
    page.goto(f"{server}/#/board")
    page.wait_for_selector(".cluster .claim")
    page.locator("#reviewer-box summary").click()
    page.fill("#reviewer-name", "Reviewer One")
    page.fill("#reviewer-token", TOKEN)
    card = page.locator(".cluster .claim").first
    claim_id = card.get_attribute("data-id")
    card.locator("select.review-field").select_option("act")
    card.locator("input.review-value").fill("accuse")
    card.locator("button.review-correct").click()
    page.wait_for_selector(f".claim[data-id='{claim_id}'] .review-corrected")
    page.reload()
    page.wait_for_selector(f".claim[data-id='{claim_id}'] .review-corrected")
    card = page.locator(f".claim[data-id='{claim_id}']")
    assert "accuse" in card.locator(".act").inner_text()
    assert page.dialogs == [] and page.errors == []
