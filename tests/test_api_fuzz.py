"""No query string of any content makes the API or the pages answer 500."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any
from urllib.parse import quote_from_bytes

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from searchfic.engine.indexer import update_index
from searchfic.request import FACETS
from searchfic.webapp import create_app

CORPUS = Path(__file__).parent / "data" / "web" / "corpus"

NAMES = [
    "q",
    "sort",
    "page",
    "per_page",
    "words",
    "complete",
    "body",
    "words_min",
    "words_max",
    *FACETS,
    *(f"exclude_{f}" for f in FACETS),
]
# Pieces of the query language, so generated queries reach the parser's corners.
QUERY_BITS = [
    '"',
    "(",
    ")",
    "OR",
    "AND",
    "NOT",
    "-",
    "*",
    "?",
    "~",
    "~2",
    "^",
    ":",
    "/",
    "&",
    "\\",
    "title:",
    "author:",
    "pairing:",
    "fandom:",
    "tag:",
    "summary:",
    "character:",
    "bogus:",
    "words:>5000",
    "words:<",
    "words:1-",
    "lamp",
    "Mara",
    "Quill/Fenn",
    "a & b",
    "’",
    "“",
    "—",
    "TO",
    "[",
    "]",
    "{",
    "}",
    "'",
    "self-pity",
    "<script>",
    "\x00",
    " ",
    "  ",
    "\t",
    "\n",
]

text = st.text(st.characters(blacklist_categories=("Cs",)), max_size=60)
huge = st.builds(
    lambda c, n: c * n, st.sampled_from(["a", "9", '"', "(", "é", "-", "*"]), st.integers(900, 5000)
)
query = st.lists(st.sampled_from(QUERY_BITS) | text, max_size=12).map("".join)
values = st.one_of(
    text,
    huge,
    query,
    st.integers(-(10**12), 10**12).map(str),
    st.sampled_from(["", " ", "true", "1,000", ">5", "<", "5-", "1e9", "0x10"]),
)
names = st.one_of(st.sampled_from(NAMES), text)
pairs = st.lists(st.tuples(names, values), max_size=12)


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Any:
    root = tmp_path_factory.mktemp("fuzz")
    corpus = root / "corpus"
    shutil.copytree(CORPUS, corpus)
    update_index(corpus, root / "index")
    app = create_app({"INDEX_DIR": str(root / "index"), "TESTING": True})
    return app.test_client()


@pytest.fixture(scope="module")
def story_id(client: Any) -> str:
    return client.get("/api/v1/search").get_json()["results"][0]["id"]


FUZZ = settings(
    max_examples=120,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def check(client: Any, path: str, query_string: Any, allowed: tuple[int, ...]) -> None:
    resp = client.get(path, query_string=query_string)
    assert resp.status_code in allowed, (path, query_string, resp.get_data(as_text=True)[:300])
    if path.startswith("/api/"):
        data = resp.get_json()
        if resp.status_code >= 400:
            assert set(data["error"]) >= {"code", "message"}


@FUZZ
@given(params=pairs)
def test_any_parameters_never_give_a_500_from_the_api(client: Any, params: list) -> None:
    check(client, "/api/v1/search", params, (200, 400))


@FUZZ
@given(params=pairs)
def test_any_parameters_never_give_a_500_from_the_search_page(client: Any, params: list) -> None:
    check(client, "/search", params, (200, 400))


@FUZZ
@given(q=query)
def test_any_query_text_is_answered(client: Any, q: str) -> None:
    check(client, "/api/v1/search", {"q": q}, (200, 400))
    check(client, "/search", {"q": q, "sort": "words", "per_page": "3"}, (200, 400))


@FUZZ
@given(params=pairs)
def test_any_parameters_never_give_a_500_from_the_story_views(
    client: Any, story_id: str, params: list
) -> None:
    check(client, f"/stories/{story_id}", params, (200, 400))
    check(client, f"/api/v1/stories/{story_id}", params, (200, 400))


@FUZZ
@given(raw=st.binary(max_size=200))
def test_raw_bytes_in_the_query_string_are_survived(client: Any, raw: bytes) -> None:
    encoded = quote_from_bytes(raw, safe="=&+%;")
    for path in ("/api/v1/search", "/search"):
        check(client, path, encoded, (200, 400))


@FUZZ
@given(story=st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=300))
def test_any_story_id_is_a_404_or_a_story(client: Any, story: str) -> None:
    path = quote_from_bytes(story.encode("utf-8"), safe="")
    for prefix in ("/api/v1/stories/", "/stories/"):
        resp = client.get(prefix + path)
        # 308: Werkzeug merges doubled slashes ("/stories//x") by redirecting.
        assert resp.status_code in (200, 404, 308), (story, resp.status_code)


def test_thousands_of_repeated_keys_are_a_clear_400(client: Any) -> None:
    params = [("fandom", f"f{i}") for i in range(5000)]
    resp = client.get("/api/v1/search", query_string=params)
    assert resp.status_code == 400
    assert resp.get_json()["error"]["param"] == "fandom"
    same = [("tag", "Romance")] * 5000
    assert client.get("/api/v1/search", query_string=same).status_code == 200
