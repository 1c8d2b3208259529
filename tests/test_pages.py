"""The HTML pages: home, search with facets and chips, the reader, errors, OpenSearch."""

from __future__ import annotations

import re
import shutil
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from searchfic.engine.indexer import update_index
from searchfic.webapp import create_app
from searchfic.webapp.assets import PACKAGED_NAME, assets_dir

CORPUS = Path(__file__).parent / "data" / "web" / "corpus"
ALL = 7


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Any:
    root = tmp_path_factory.mktemp("pages")
    corpus = root / "corpus"
    shutil.copytree(CORPUS, corpus)
    update_index(corpus, root / "index")
    app = create_app({"INDEX_DIR": str(root / "index"), "CORPUS": str(corpus), "TESTING": True})
    return app.test_client()


class Links(HTMLParser):
    """Collect the page's links with their classes and aria-labels, and its <mark>s."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[dict[str, str]] = []
        self.ids: set[str] = set()
        self.marks: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if "id" in a:
            self.ids.add(a["id"])
        if tag == "a" and "href" in a:
            self.links.append(a)
        if tag == "mark":
            self.marks.append(a.get("id", ""))


def page(client: Any, url: str, status: int = 200) -> tuple[str, Links]:
    resp = client.get(url)
    assert resp.status_code == status, resp.get_data(as_text=True)[:500]
    assert resp.mimetype == "text/html"
    html = resp.get_data(as_text=True)
    parser = Links()
    parser.feed(html)
    return html, parser


def link(parser: Links, cls: str, label_part: str) -> str:
    for a in parser.links:
        if cls in a.get("class", "").split() and label_part in a.get("aria-label", ""):
            return a["href"]
    raise AssertionError(f"no {cls} link labelled {label_part!r}")


def total_on(html: str) -> int:
    m = re.search(r'<h1 id="results-title"[^>]*>\s*(No stories|1 story|([\d,]+) stories)', html)
    assert m, "no result count on the page"
    if m.group(1) == "No stories":
        return 0
    return 1 if m.group(1) == "1 story" else int(m.group(2).replace(",", ""))


def test_home_has_a_labelled_search_form_and_syntax_help(client: Any) -> None:
    html, parser = page(client, "/")
    assert '<form class="hero-search" role="search" action="/search"' in html
    assert '<label for="q"' in html
    assert "exact phrase" in html and "pairing:" in html
    assert '<main id="main"' in html and 'role="banner"' in html
    assert 'rel="search" type="application/opensearchdescription+xml"' in html


def test_search_page_shows_total_results_and_facets(client: Any) -> None:
    html, parser = page(client, "/search?q=lighthouse")
    assert total_on(html) >= 2
    assert "The Lighthouse Keepers" in html
    story_links = [a["href"] for a in parser.links if a["href"].startswith("/stories/")]
    assert story_links and all("q=lighthouse" in h for h in story_links)
    assert 'aria-label="Filter results"' in html
    assert "Harbour Lights" in html
    assert "<mark" in html  # highlighted snippets


def test_include_link_round_trips_to_a_chip_and_the_facet_count(client: Any) -> None:
    html, parser = page(client, "/search")
    assert total_on(html) == ALL
    include = link(parser, "include", "fandom Deep Orbit")
    assert parse_qs(urlsplit(include).query) == {"fandom": ["Deep Orbit"]}
    html2, parser2 = page(client, include)
    assert total_on(html2) == 3
    assert 'class="chip"' in html2
    remove = link(parser2, "chip-remove", "Fandom: Deep Orbit")
    html3, _ = page(client, remove)
    assert total_on(html3) == ALL


def test_exclude_link_leaves_the_value_out_and_can_be_undone(client: Any) -> None:
    _, parser = page(client, "/search")
    exclude = link(parser, "exclude", "fandom Deep Orbit")
    assert parse_qs(urlsplit(exclude).query) == {"exclude_fandom": ["Deep Orbit"]}
    html, parser2 = page(client, exclude)
    assert total_on(html) == ALL - 3
    assert "chip-excluded" in html
    undo = next(
        a["href"] for a in parser2.links if "Stop excluding Deep Orbit" in a.get("aria-label", "")
    )
    html2, _ = page(client, undo)
    assert total_on(html2) == ALL


def test_including_an_excluded_value_swaps_it(client: Any) -> None:
    _, parser = page(client, "/search?exclude_fandom=Deep+Orbit")
    include = link(parser, "include", "fandom Deep Orbit")
    assert parse_qs(urlsplit(include).query) == {"fandom": ["Deep Orbit"]}


def test_toggle_links_keep_query_sort_and_reset_the_page(client: Any) -> None:
    _, parser = page(client, "/search?q=the&sort=title&per_page=2&page=2")
    include = link(parser, "include", "fandom")
    params = parse_qs(urlsplit(include).query)
    assert params["q"] == ["the"] and params["sort"] == ["title"]
    assert params["per_page"] == ["2"] and "page" not in params


def test_pagination_and_sort_controls(client: Any) -> None:
    html, parser = page(client, "/search?per_page=2&sort=words")
    assert '<option value="words" selected>' in html
    assert 'aria-label="Pages"' in html
    nxt = next(a["href"] for a in parser.links if a.get("rel") == "next")
    assert parse_qs(urlsplit(nxt).query)["page"] == ["2"]
    html2, _ = page(client, nxt)
    assert 'aria-current="page"' in html2 and "Showing 3–4 of 7" in html2


def test_page_past_the_end_explains_and_links_back(client: Any) -> None:
    html, _ = page(client, "/search?page=40&per_page=3&sort=title")
    assert "past the end" in html and "there are 3 pages" in html
    m = re.search(r'<a href="([^"]+)">Go to the last page</a>', html)
    assert m, "no link back to the last page"
    params = parse_qs(urlsplit(m.group(1).replace("&amp;", "&")).query)
    assert params == {"page": ["3"], "per_page": ["3"], "sort": ["title"]}


def test_word_boxes_become_one_range(client: Any) -> None:
    html, parser = page(client, "/search?words_min=95&words_max=200")
    assert 'value="95"' in html and 'value="200"' in html
    remove = link(parser, "chip-remove", "Words")
    assert "words" not in parse_qs(urlsplit(remove).query)
    include = link(parser, "include", "fandom")
    assert parse_qs(urlsplit(include).query)["words"] == ["95-200"]
    page(client, "/search?words_min=abc", status=400)


def test_empty_state_helps(client: Any) -> None:
    html, _ = page(client, "/search?q=zeppelin&fandom=Deep+Orbit")
    assert total_on(html) == 0
    assert "Nothing matches" in html and "clear them all" in html


def test_bad_parameter_is_a_400_page_that_names_it(client: Any) -> None:
    html, _ = page(client, "/search?per_page=1000", status=400)
    assert "per_page" in html and "1 to 100" in html
    html, _ = page(client, "/search?q=" + "x" * 1001, status=400)
    assert "limit is 1000" in html


def test_story_page_highlights_every_match_with_links_between_them(client: Any) -> None:
    _, parser = page(client, "/search?q=lamp")
    href = next(a["href"] for a in parser.links if a["href"].startswith("/stories/"))
    html, story = page(client, href)
    assert story.marks and story.marks == [f"m{i}" for i in range(1, len(story.marks) + 1)]
    hops = [a["href"] for a in story.links if "hitnav" in a.get("class", "")]
    assert hops == [f"#m{i}" for i in range(2, len(story.marks) + 1)] + ["#m1"]
    assert f"{len(story.marks)} match" in html
    assert 'id="match-next"' in html and 'id="match-prev"' in html


def test_story_page_shows_the_record(client: Any) -> None:
    data = client.get("/api/v1/search?q=%22I+trust+my+heart%22").get_json()
    html, _ = page(client, f"/stories/{data['results'][0]['id']}")
    for text in (
        "The Lighthouse Keepers",
        "Wren Calloway",
        "Harbour Lights",
        "Mara Quill/Tobias Fenn",
        "Slow Burn",
        "Teen And Up Audiences",
        "rated PG",
        "Two keepers, one lamp",
        "lighthouse_keepers.txt",
    ):
        assert text in html, text
    assert "match-bar" not in html  # no query, no match navigation


def test_unknown_story_is_an_html_404(client: Any) -> None:
    html, _ = page(client, "/stories/0000000000000000", status=404)
    assert "Not found" in html
    page(client, "/stories/%3Cscript%3E", status=404)


def test_unknown_page_is_an_html_404(client: Any) -> None:
    html, _ = page(client, "/no/such/page", status=404)
    assert "<!doctype html>" in html


def test_opensearch_description_is_valid_and_linked(client: Any) -> None:
    resp = client.get("/opensearch.xml")
    assert resp.status_code == 200
    assert resp.mimetype == "application/opensearchdescription+xml"
    root = ET.fromstring(resp.get_data())
    ns = {"os": "http://a9.com/-/spec/opensearch/1.1/"}
    templates = [u.get("template") for u in root.findall("os:Url", ns)]
    assert any(t and "/search?q={searchTerms}" in t for t in templates)
    for url in ("/", "/search?q=lamp", "/stories/0000000000000000"):
        assert "/opensearch.xml" in client.get(url).get_data(as_text=True)


def test_static_files_are_served(client: Any) -> None:
    for name in ("style.css", "app.js", "favicon.svg"):
        resp = client.get(f"/static/{name}")
        assert resp.status_code == 200, name
        resp.close()


def test_pages_have_etags_and_304(client: Any) -> None:
    first = client.get("/search?q=orchard")
    etag = first.headers["ETag"]
    assert client.get("/search?q=orchard", headers={"If-None-Match": etag}).status_code == 304


def test_assets_resolve_from_the_checkout() -> None:
    found = assets_dir()
    assert (found / "templates" / "base.html").is_file()
    assert (found / "static" / "style.css").is_file()


def test_assets_resolve_from_an_installed_wheel_layout(tmp_path: Path) -> None:
    # A wheel holds web/ as searchfic/web_assets (pyproject.toml force-include).
    package = tmp_path / "site-packages" / "searchfic"
    shutil.copytree(Path(__file__).parents[1] / "web", package / PACKAGED_NAME)
    assert assets_dir(package) == package / PACKAGED_NAME
    with pytest.raises(FileNotFoundError):
        assets_dir(tmp_path / "elsewhere" / "searchfic")


def test_wheel_maps_web_into_the_package() -> None:
    pyproject = (Path(__file__).parents[1] / "pyproject.toml").read_text(encoding="utf-8")
    assert f'"web" = "searchfic/{PACKAGED_NAME}"' in pyproject
