"""The pages in a real browser: Debian's chromium driven by Playwright, over waitress."""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from web_support import LoopbackServer

from searchfic.engine.indexer import update_index
from searchfic.webapp import create_app

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
CORPUS = Path(__file__).parent / "data" / "web" / "corpus"


LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    root = tmp_path_factory.mktemp("browser")
    shutil.copytree(CORPUS, root / "corpus")
    update_index(root / "corpus", root / "index")
    app = create_app({"INDEX_DIR": str(root / "index")})
    server = LoopbackServer(app)
    yield server.url
    server.stop()
    app.extensions["searchfic"].close()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        if os.environ.get("CI"):
            pytest.fail(f"{CHROMIUM} is missing and CI is set: install chromium (make browser)")
        pytest.skip(f"{CHROMIUM} is missing: install Debian's chromium (make browser) to run")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=LAUNCH_ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1200, "height": 900})
    p = context.new_page()
    p.set_default_timeout(15_000)
    yield p
    context.close()


def total(page: Any) -> int:
    text = page.locator("#results-title").inner_text()
    m = re.match(r"([\d,]+) stor|1 story|No stories", text)
    assert m, text
    if text.startswith("No"):
        return 0
    return 1 if text.startswith("1 story") else int(m.group(1).replace(",", ""))


def test_search_include_and_exclude_a_facet(page: Any, base_url: str) -> None:
    page.goto(base_url + "/")
    page.get_by_label("Search stories").fill("keeper OR signal OR station")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/search\?q="))
    everything = total(page)
    assert everything >= 3

    page.get_by_label("Include fandom Deep Orbit").click()
    page.wait_for_url(re.compile(r"fandom=Deep\+Orbit"))
    included = total(page)
    assert 0 < included < everything
    assert page.locator(".chip").filter(has_text="Deep Orbit").count() == 1

    page.get_by_label("Remove filter Fandom: Deep Orbit").first.click()
    page.wait_for_load_state()
    assert total(page) == everything

    page.get_by_label("Exclude fandom Deep Orbit").click()
    page.wait_for_url(re.compile(r"exclude_fandom=Deep\+Orbit"))
    assert total(page) == everything - included
    assert page.locator(".chip-excluded").count() == 1


def test_change_sort_and_page(page: Any, base_url: str) -> None:
    page.goto(base_url + "/search?per_page=2")
    assert total(page) == 7
    with page.expect_navigation():
        page.get_by_label("Sort by").select_option("words")  # submits itself (JS)
    assert "sort=words" in page.url
    first_page = page.locator(".hit-title a").all_inner_texts()
    assert len(first_page) == 2
    page.get_by_role("link", name="Next →").click()
    page.wait_for_url(re.compile(r"page=2"))
    assert page.locator('.pagination [aria-current="page"]').inner_text() == "2"
    second_page = page.locator(".hit-title a").all_inner_texts()
    assert second_page and not set(second_page) & set(first_page)
    assert page.get_by_label("Sort by").input_value() == "words"


def test_open_a_story_and_jump_between_matches(page: Any, base_url: str) -> None:
    page.goto(base_url + "/search?q=lamp")
    page.locator(".hit-title a", has_text="The Lighthouse Keepers").click()
    page.wait_for_url(re.compile(r"/stories/"))
    marks = page.locator("#story-text mark.hit")
    n = marks.count()
    assert n >= 2
    status = page.locator("#match-status")
    assert "press n" in status.inner_text()
    assert page.locator(".hitnav").first.is_hidden()  # the JS bar replaces the inline links

    page.keyboard.press("n")
    assert status.inner_text() == f"Match 1 of {n}"
    assert page.url.endswith("#m1")
    page.keyboard.press("n")
    assert status.inner_text() == f"Match 2 of {n}"
    assert "current" in (marks.nth(1).get_attribute("class") or "")
    page.keyboard.press("p")
    assert status.inner_text() == f"Match 1 of {n}"
    page.keyboard.press("p")
    assert status.inner_text() == f"Match {n} of {n}"  # wraps around

    page.locator("#match-next").click()
    assert status.inner_text() == f"Match 1 of {n}"
    page.locator("#match-prev").click()
    assert status.inner_text() == f"Match {n} of {n}"

    page.keyboard.press("/")  # jumps to the search box
    assert page.evaluate("document.activeElement.type") == "search"
    page.keyboard.press("n")  # typing in the search box must not jump
    assert status.inner_text() == f"Match {n} of {n}"


def test_match_links_work_without_javascript(browser: Any, base_url: str) -> None:
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(base_url + "/search?q=lamp")
        page.locator(".hit-title a", has_text="The Lighthouse Keepers").click()
        page.wait_for_url(re.compile(r"/stories/"))
        page.locator("#match-next").click()
        assert page.url.endswith("#m1")
        page.locator('.hitnav[href="#m2"]').click()
        assert page.url.endswith("#m2")
    finally:
        context.close()


def test_hostile_story_runs_no_script(page: Any, base_url: str) -> None:
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(base_url + "/search?q=mischief")
    page.locator(".hit-title a").first.click()
    page.wait_for_url(re.compile(r"/stories/"))
    assert page.locator("h1#story-title").inner_text().startswith('<script>alert("title")')
    page.goto(base_url + '/search?q="><script>alert(1)</script>')
    assert dialogs == []


def test_narrow_screen_folds_the_filters(browser: Any, base_url: str) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 800})
    try:
        page = context.new_page()
        page.goto(base_url + "/search")
        assert page.locator(".facets-toggle").get_attribute("open") is None
        page.locator(".facets-toggle > summary").click()
        assert page.get_by_label("Include fandom Deep Orbit").is_visible()
    finally:
        context.close()
