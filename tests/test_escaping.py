"""Hostile story text, metadata and queries never reach a page unescaped."""

from __future__ import annotations

import re
import shutil
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest

from searchfic.engine.indexer import update_index
from searchfic.webapp import create_app

CORPUS = Path(__file__).parent / "data" / "web" / "corpus"

# Markup the hostile fixture (tests/data/web/corpus/hostile.txt) carries in its title,
# author, fandom, pairing, characters, tags, summary and body.
RAW = (
    "<script>alert",
    "<img src=x",
    "<svg onload",
    "<iframe",
    "<b>Bold",
    "<h1>injected",
    '<a href="javascript',
    "Eve<script>",
)
HOSTILE_QUERY = '"><script>alert("q")</script><img src=x onerror=alert(9)>'


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Any:
    root = tmp_path_factory.mktemp("escaping")
    corpus = root / "corpus"
    shutil.copytree(CORPUS, corpus)
    update_index(corpus, root / "index")
    app = create_app({"INDEX_DIR": str(root / "index"), "TESTING": True})
    return app.test_client()


@pytest.fixture(scope="module")
def hostile_id(client: Any) -> str:
    data = client.get("/api/v1/search?q=mischief").get_json()
    assert data["total"] == 1
    return data["results"][0]["id"]


class Elements(HTMLParser):
    """Collect what a browser would treat as markup: tags, attributes, script sources."""

    def __init__(self) -> None:
        super().__init__()
        self.problems: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: (v or "") for k, v in attrs}
        ours = tag == "script" and a.get("src", "").startswith("/static/app.js")
        if tag in ("script", "iframe", "img", "svg", "object", "embed") and not ours:
            self.problems.append(f"<{tag}> {a}")
        for name, value in a.items():
            if name.startswith("on"):
                self.problems.append(f"event handler {name}={value!r} on <{tag}>")
            if name in ("href", "src", "action", "formaction") and (
                value.strip().lower().startswith(("javascript:", "data:", "vbscript:"))
            ):
                self.problems.append(f"{name}={value!r} on <{tag}>")


def assert_clean(html: str) -> None:
    for raw in RAW:
        assert raw not in html, f"unescaped {raw!r}"
    parser = Elements()
    parser.feed(html)
    assert not parser.problems, parser.problems


def hostile_urls(hostile_id: str) -> list[str]:
    q = quote(HOSTILE_QUERY)
    return [
        "/search",
        "/search?q=mischief",
        f"/search?q={q}",
        "/search?q=" + quote('"trick" mischief'),
        f"/search?fandom={quote('<b>Bold Fandom</b>')}",
        f"/search?tag={quote('<iframe src=javascript:alert(3)>')}&pairing={q}",
        f"/search?exclude_character={q}&author={q}",
        f"/stories/{hostile_id}",
        f"/stories/{hostile_id}?q=mischief",
        f"/stories/{hostile_id}?q=script+alert",
        f"/stories/{hostile_id}?q={q}",
        f"/search?page={q}",
        f"/search?words={q}",
        f"/stories/{q}",
        f"/{q}",
    ]


def test_hostile_input_is_escaped_on_every_page(client: Any, hostile_id: str) -> None:
    for url in hostile_urls(hostile_id):
        resp = client.get(url)
        assert resp.status_code in (200, 400, 404), url
        assert_clean(resp.get_data(as_text=True))


def test_hostile_metadata_is_shown_as_text(client: Any, hostile_id: str) -> None:
    html = client.get(f"/stories/{hostile_id}").get_data(as_text=True)
    assert "&lt;script&gt;alert(" in html
    assert "&lt;b&gt;Bold Fandom&lt;/b&gt;" in html
    assert "&lt;h1&gt;injected heading&lt;/h1&gt;" in html


def test_hostile_facet_values_survive_the_toggle_round_trip(client: Any) -> None:
    html = client.get("/search?q=mischief").get_data(as_text=True)
    m = re.search(r'href="(/search\?[^"]*fandom=[^"]*Bold[^"]*)"', html)
    assert m, "no toggle link for the hostile fandom"
    url = m.group(1).replace("&amp;", "&")
    resp = client.get(url)
    assert resp.status_code == 200
    page = resp.get_data(as_text=True)
    assert_clean(page)
    assert "1 story" in page


def test_api_snippets_are_escaped_html(client: Any) -> None:
    for q in ("mischief", "script alert", "injected heading", "evil link"):
        for hit in client.get("/api/v1/search", query_string={"q": q}).get_json()["results"]:
            for snippet in hit["snippets"]:
                without_marks = re.sub(r"</?mark\b[^>]*>", "", snippet)
                assert "<" not in without_marks, snippet


def test_javascript_url_in_metadata_is_never_a_link() -> None:
    from searchfic.webapp.reader import safe_link

    assert safe_link("javascript:alert(1)") is None
    assert safe_link(" JavaScript:alert(1)") is None
    assert safe_link("data:text/html,<script>") is None
    assert safe_link("//evil.example/x") is None
    assert safe_link("https://archiveofourown.org/works/1") == "https://archiveofourown.org/works/1"
