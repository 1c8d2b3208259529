"""The JSON API v1 through Flask's test client, on a small index built once per module."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from contract import RECORD_KEYS

from searchfic.engine.indexer import update_index
from searchfic.request import FACETS, SORTS
from searchfic.webapp import create_app
from searchfic.webapp.openapi import openapi_document

CORPUS = Path(__file__).parent / "data" / "web" / "corpus"
ALL = 7


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("api")
    corpus = root / "corpus"
    shutil.copytree(CORPUS, corpus)
    update_index(corpus, root / "index")
    return corpus, root / "index"


@pytest.fixture(scope="module")
def client(built: tuple[Path, Path]) -> Any:
    corpus, index = built
    app = create_app({"INDEX_DIR": str(index), "CORPUS": str(corpus), "TESTING": True})
    return app.test_client()


def get(client: Any, path: str = "/api/v1/search", **params: Any) -> Any:
    resp = client.get(path, query_string=params)
    assert resp.status_code != 500, resp.get_data(as_text=True)
    return resp


def ids(resp: Any) -> set[str]:
    return {r["id"] for r in resp.get_json()["results"]}


def titles(resp: Any) -> list[str]:
    return [r["title"] for r in resp.get_json()["results"]]


# --- the response shape --------------------------------------------------------------------


def test_empty_query_lists_every_story_without_scores_or_snippets(client: Any) -> None:
    resp = get(client)
    assert resp.status_code == 200
    assert resp.mimetype == "application/json"
    data = resp.get_json()
    assert data["query"] == ""
    assert data["total"] == ALL
    assert data["page"] == 1 and data["per_page"] == 20
    assert data["approximate"] is False
    assert data["suggestion"] is None
    for hit in data["results"]:
        assert hit["score"] is None
        assert hit["snippets"] == []
        assert hit["url"] == f"/stories/{hit['id']}"
    assert set(data["facets"]) == set(FACETS)


def test_result_fields_match_the_contract(client: Any) -> None:
    hit = get(client, q="lighthouse").get_json()["results"][0]
    for key in (
        "id",
        "source",
        "title",
        "authors",
        "fandoms",
        "pairings",
        "rating",
        "summary",
        "words",
        "score",
        "snippets",
        "url",
    ):
        assert key in hit
    assert isinstance(hit["score"], float)
    assert not hit["source"].startswith("/"), "no absolute server paths leave the API"


def test_phrase_query_finds_the_story_with_a_marked_snippet(client: Any) -> None:
    data = get(client, q='"I trust my heart"').get_json()
    assert [r["title"] for r in data["results"]] == ["The Lighthouse Keepers"]
    snippet = " ".join(data["results"][0]["snippets"])
    assert "<mark" in snippet and "trust" in snippet


def test_phrase_matches_whatever_the_typography(client: Any) -> None:
    assert titles(get(client, q="\u201ci trust my heart\u201d")) == ["The Lighthouse Keepers"]


def test_words_are_anded(client: Any) -> None:
    assert titles(get(client, q="apples frost")) == ["A Quiet Orchard"]
    assert get(client, q="apples engine").get_json()["total"] == 0


# --- filters -------------------------------------------------------------------------------


def test_fandom_filter_counts_a_crossover_in_both_fandoms(client: Any) -> None:
    assert get(client, fandom="Deep Orbit").get_json()["total"] == 3
    assert get(client, fandom="harbour lights").get_json()["total"] == 3
    both = get(client, fandom=["Deep Orbit", "Harbour Lights"])
    assert titles(both) == ["The Keeper and the Commander"]


def test_reversed_pairing_finds_story(client: Any) -> None:
    forward = ids(get(client, pairing="Mara Quill/Tobias Fenn"))
    reverse = ids(get(client, pairing="Tobias Fenn/Mara Quill"))
    parts = ids(get(client, pairing="Fenn/Quill"))
    assert len(forward) == 2
    assert forward == reverse == parts


def test_platonic_and_romantic_pairings_are_told_apart(client: Any) -> None:
    assert titles(get(client, pairing="Rook & Ilse Varga")) == ["Signals from Station Eleven"]
    assert get(client, pairing="Rook/Ilse Varga").get_json()["total"] == 0


def test_rating_filter_accepts_original_notation(client: Any) -> None:
    assert ids(get(client, rating="PG-13")) == ids(get(client, rating="Teen And Up Audiences"))
    assert titles(get(client, rating="NC-17")) == ["A Quiet Orchard"]


def test_exclusions_leave_out_any_story_with_one_of_the_values(client: Any) -> None:
    data = get(client, exclude_fandom=["Deep Orbit", "Orchard Days"]).get_json()
    assert data["total"] == 3  # the two lighthouse stories and the hostile one
    assert "Deep Orbit" not in {f["value"] for f in data["facets"]["fandom"]}


def test_complete_and_word_range_filters(client: Any) -> None:
    assert titles(get(client, complete="false")) == ["After the Lamp Went Dark"]
    assert get(client, complete="true").get_json()["total"] == ALL - 1
    every = get(client, per_page=100).get_json()["results"]
    words = sorted(r["words"] for r in every)
    low, high = words[1], words[-2]
    inside = get(client, words=f"{low}-{high}").get_json()
    assert inside["total"] == sum(1 for w in words if low <= w <= high)
    assert get(client, words=f">{words[-1]}").get_json()["total"] == 0
    assert get(client, words=f"<{words[0]}").get_json()["total"] == 0
    assert get(client, words=str(words[0])).get_json()["total"] >= 1


def test_unknown_filter_value_matches_nothing(client: Any) -> None:
    resp = get(client, fandom="No Such Fandom")
    assert resp.status_code == 200 and resp.get_json()["total"] == 0


# --- facets --------------------------------------------------------------------------------


def test_facet_counts_cover_the_whole_filtered_set_not_the_page(client: Any) -> None:
    data = get(client, per_page=1).get_json()
    assert len(data["results"]) == 1
    fandoms = {f["value"]: f["count"] for f in data["facets"]["fandom"]}
    assert fandoms["Deep Orbit"] == 3 and fandoms["Harbour Lights"] == 3
    assert fandoms["Orchard Days"] == 1


def test_every_facet_value_selects_exactly_its_count(client: Any) -> None:
    facets = get(client).get_json()["facets"]
    checked = 0
    for name in FACETS:
        for fv in facets[name]:
            total = get(client, **{name: fv["value"]}).get_json()["total"]
            assert total == fv["count"], (name, fv)
            excluded = get(client, **{f"exclude_{name}": fv["value"]}).get_json()["total"]
            assert excluded == ALL - fv["count"], (name, fv)
            checked += 1
    assert checked > 20


def test_facet_values_are_sorted_by_count_then_value(client: Any) -> None:
    for values in get(client).get_json()["facets"].values():
        keys = [(-v["count"], v["value"]) for v in values]
        assert keys == sorted(keys)


# --- paging and sorting --------------------------------------------------------------------


def test_pages_partition_the_results(client: Any) -> None:
    seen: list[str] = []
    for page in (1, 2, 3, 4):
        data = get(client, per_page=2, page=page).get_json()
        assert data["page"] == page and data["per_page"] == 2 and data["total"] == ALL
        seen += [r["id"] for r in data["results"]]
    assert len(seen) == ALL == len(set(seen))


def test_page_past_the_end_is_empty_not_an_error(client: Any) -> None:
    resp = get(client, page=50)
    assert resp.status_code == 200
    assert resp.get_json()["results"] == [] and resp.get_json()["total"] == ALL


def test_sort_orders(client: Any) -> None:
    by_title = titles(get(client, sort="title"))
    assert len(by_title) == ALL
    # Ascending (the engine may skip leading articles and punctuation when it compares).
    assert by_title.index("After the Lamp Went Dark") < by_title.index(
        "Signals from Station Eleven"
    )
    assert by_title.index("The Keeper and the Commander") < by_title.index("The Long Voyage Home")
    by_words = [r["words"] for r in get(client, sort="words").get_json()["results"]]
    assert by_words == sorted(by_words, reverse=True)
    for sort in SORTS:
        assert get(client, sort=sort, q="lighthouse").status_code == 200


# --- errors --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("params", "code", "param"),
    [
        ({"page": "0"}, "bad_parameter", "page"),
        ({"page": "two"}, "bad_parameter", "page"),
        ({"per_page": "101"}, "bad_parameter", "per_page"),
        ({"per_page": "0"}, "bad_parameter", "per_page"),
        ({"words": "lots"}, "bad_parameter", "words"),
        ({"words": "500-100"}, "bad_parameter", "words"),
        ({"sort": "kudos"}, "bad_parameter", "sort"),
        ({"complete": "maybe"}, "bad_parameter", "complete"),
        ({"q": "x" * 1001}, "bad_query", "q"),
    ],
)
def test_bad_parameters_are_400_with_a_code_and_message(
    client: Any, params: dict[str, str], code: str, param: str
) -> None:
    resp = get(client, **params)
    assert resp.status_code == 400
    error = resp.get_json()["error"]
    assert error["code"] == code
    assert error["param"] == param
    assert param in error["message"]


def test_unknown_api_path_is_a_json_404(client: Any) -> None:
    resp = client.get("/api/v1/nothing-here")
    assert resp.status_code == 404
    assert resp.get_json()["error"]["code"] == "not_found"


def test_wrong_method_is_a_json_405(client: Any) -> None:
    resp = client.post("/api/v1/search")
    assert resp.status_code == 405
    assert resp.get_json()["error"]["code"] == "method_not_allowed"
    assert "GET" in resp.headers["Allow"]


def test_missing_index_is_a_503_that_says_how_to_build_it(tmp_path: Path) -> None:
    app = create_app({"INDEX_DIR": str(tmp_path / "none"), "TESTING": True})
    resp = app.test_client().get("/api/v1/search")
    assert resp.status_code == 503
    error = resp.get_json()["error"]
    assert error["code"] == "index_unavailable"
    assert "searchfic index" in error["message"]


# --- stories -------------------------------------------------------------------------------


def test_story_record_has_every_contract_key_and_body_only_on_request(client: Any) -> None:
    hit = get(client, q='"I trust my heart"').get_json()["results"][0]
    record = get(client, f"/api/v1/stories/{hit['id']}").get_json()
    assert set(record) >= RECORD_KEYS, RECORD_KEYS - set(record)
    assert "body" not in record
    assert record["title"] == "The Lighthouse Keepers"
    assert record["rating_original"] == "PG"
    with_body = get(client, f"/api/v1/stories/{hit['id']}", body="1").get_json()
    assert "I trust my heart" in with_body["body"]
    assert len(with_body["body"].split()) == with_body["words"]


def test_unknown_story_is_a_json_404(client: Any) -> None:
    for story_id in ("0000000000000000", "<script>", "x" * 500, "a/b/c"):
        resp = client.get(f"/api/v1/stories/{story_id}")
        assert resp.status_code == 404, story_id
        assert resp.get_json()["error"]["code"] == "not_found"


def test_bad_body_flag_is_a_400(client: Any) -> None:
    story_id = get(client).get_json()["results"][0]["id"]
    resp = get(client, f"/api/v1/stories/{story_id}", body="please")
    assert resp.status_code == 400
    assert resp.get_json()["error"] == {
        "code": "bad_parameter",
        "message": resp.get_json()["error"]["message"],
        "param": "body",
    }


# --- CORS and caching ----------------------------------------------------------------------


def test_cors_allows_any_origin_by_default(client: Any) -> None:
    resp = client.get("/api/v1/search", headers={"Origin": "https://example.org"})
    assert resp.headers["Access-Control-Allow-Origin"] == "*"
    assert "ETag" in resp.headers["Access-Control-Expose-Headers"]
    assert "Access-Control-Allow-Origin" not in client.get("/").headers


def test_cors_preflight_answers_options(client: Any) -> None:
    resp = client.options(
        "/api/v1/search",
        headers={
            "Origin": "https://example.org",
            "Access-Control-Request-Method": "GET",
            "Access-Control-Request-Headers": "If-None-Match, X-Evil",
        },
    )
    assert resp.status_code in (200, 204)
    assert resp.headers["Access-Control-Allow-Origin"] == "*"
    assert "GET" in resp.headers["Access-Control-Allow-Methods"]
    assert resp.headers["Access-Control-Allow-Headers"] == "If-None-Match"


def test_cors_origin_list_is_honoured(built: tuple[Path, Path]) -> None:
    corpus, index = built
    app = create_app(
        {"INDEX_DIR": str(index), "CORS_ORIGINS": "https://a.example, https://b.example"}
    )
    c = app.test_client()
    ok = c.get("/api/v1/search", headers={"Origin": "https://b.example"})
    assert ok.headers["Access-Control-Allow-Origin"] == "https://b.example"
    assert "Origin" in ok.headers["Vary"]
    other = c.get("/api/v1/search", headers={"Origin": "https://evil.example"})
    assert "Access-Control-Allow-Origin" not in other.headers


def test_etag_gives_304_for_the_same_request_and_generation(client: Any) -> None:
    first = get(client, q="lighthouse")
    etag = first.headers["ETag"]
    again = client.get("/api/v1/search?q=lighthouse", headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.get_data() == b""
    other = client.get("/api/v1/search?q=orchard", headers={"If-None-Match": etag})
    assert other.status_code == 200 and other.headers["ETag"] != etag


def test_new_generation_changes_etags_and_answers(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    shutil.copytree(CORPUS, corpus)
    update_index(corpus, tmp_path / "index")
    app = create_app({"INDEX_DIR": str(tmp_path / "index"), "TESTING": True})
    c = app.test_client()
    before = c.get("/api/v1/search?q=submarine")
    assert before.get_json()["total"] == 0
    (corpus / "new.txt").write_text(
        "TITLE: Down Below\nAUTHOR: Ada Lane\nFANDOM: Deep Orbit\nRATING: G\n*****\n\n"
        "The submarine surfaced beside the station's landing pad at dawn.\n",
        encoding="utf-8",
    )
    update_index(corpus, tmp_path / "index")
    after = c.get("/api/v1/search?q=submarine", headers={"If-None-Match": before.headers["ETag"]})
    assert after.status_code == 200
    assert after.get_json()["total"] == 1
    assert after.headers["ETag"] != before.headers["ETag"]


# --- OpenAPI -------------------------------------------------------------------------------


def _check(schema: dict[str, Any], value: Any, doc: dict[str, Any], where: str) -> None:
    """Check ``value`` against the subset of JSON Schema the OpenAPI document uses."""
    if "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[1]
        _check(doc["components"]["schemas"][name], value, doc, where)
        return
    kinds = schema.get("type")
    if kinds is not None:
        kinds = [kinds] if isinstance(kinds, str) else kinds
        python = {
            "string": str,
            "integer": int,
            "number": (int, float),
            "boolean": bool,
            "array": list,
            "object": dict,
            "null": type(None),
        }
        ok = any(
            isinstance(value, python[k])
            and not (k in ("integer", "number") and isinstance(value, bool))
            for k in kinds
        )
        assert ok, f"{where}: {value!r} is not {kinds}"
    if "enum" in schema:
        assert value in schema["enum"], f"{where}: {value!r} not in {schema['enum']}"
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        assert value >= schema.get("minimum", value), where
        assert value <= schema.get("maximum", value), where
    if isinstance(value, dict):
        for key in schema.get("required", []):
            assert key in value, f"{where}: missing {key}"
        for key, sub in schema.get("properties", {}).items():
            if key in value:
                _check(sub, value[key], doc, f"{where}.{key}")
    if isinstance(value, list):
        assert len(value) <= schema.get("maxItems", len(value)), where
        for i, item in enumerate(value):
            _check(schema.get("items", {}), item, doc, f"{where}[{i}]")


def _schema_of(doc: dict[str, Any], path: str, status: str) -> dict[str, Any]:
    return doc["paths"][path]["get"]["responses"][status]["content"]["application/json"]["schema"]


def test_openapi_document_lists_every_parameter_the_api_takes(client: Any) -> None:
    doc = get(client, "/api/v1/openapi.json").get_json()
    assert doc["openapi"].startswith("3.")
    params = {p["name"] for p in doc["paths"]["/api/v1/search"]["get"]["parameters"]}
    expected = {"q", "complete", "words", "sort", "page", "per_page"}
    expected |= set(FACETS) | {f"exclude_{f}" for f in FACETS}
    assert params == expected
    sort = next(
        p for p in doc["paths"]["/api/v1/search"]["get"]["parameters"] if p["name"] == "sort"
    )
    assert sort["schema"]["enum"] == list(SORTS)
    for path, op in doc["paths"].items():
        assert "get" in op and op["get"]["responses"], path


def test_openapi_references_all_resolve(client: Any) -> None:
    doc = openapi_document()
    schemas = doc["components"]["schemas"]

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if "$ref" in node:
                assert node["$ref"].startswith("#/components/schemas/")
                assert node["$ref"].rsplit("/", 1)[1] in schemas
            for v in node.values():
                walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)

    walk(doc)


def test_real_responses_match_the_openapi_schemas(client: Any) -> None:
    doc = openapi_document()
    search_schema = _schema_of(doc, "/api/v1/search", "200")
    error_schema = _schema_of(doc, "/api/v1/search", "400")
    story_schema = _schema_of(doc, "/api/v1/stories/{id}", "200")
    for params in (
        {},
        {"q": "lighthouse"},
        {"q": '"the lamp"', "per_page": 2},
        {"fandom": "Deep Orbit"},
    ):
        _check(search_schema, get(client, **params).get_json(), doc, "search")
    _check(error_schema, get(client, page="x").get_json(), doc, "error")
    _check(error_schema, client.get("/api/v1/stories/nope").get_json(), doc, "404")
    for hit in get(client).get_json()["results"]:
        record = get(client, f"/api/v1/stories/{hit['id']}", body=1).get_json()
        _check(story_schema, record, doc, f"story {hit['id']}")


def test_repeated_searches_are_answered_from_the_cache_until_a_new_generation(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from searchfic.engine import search as engine_search

    calls: list[str] = []
    real_run = engine_search.run

    def counting_run(index: Any, req: Any) -> Any:
        calls.append(req.q)
        return real_run(index, req)

    monkeypatch.setattr(engine_search, "run", counting_run)
    corpus = tmp_path / "corpus"
    shutil.copytree(CORPUS, corpus)
    update_index(corpus, tmp_path / "index")
    c = create_app({"INDEX_DIR": str(tmp_path / "index")}).test_client()
    first = c.get("/api/v1/search?q=lamp&fandom=Harbour+Lights").get_json()
    # The same search, spelled differently, from the page and from the API.
    assert c.get("/api/v1/search?fandom=harbour+lights&q=lamp&page=1").status_code == 200
    assert c.get("/search?q=lamp&fandom=Harbour+Lights").status_code == 200
    assert c.get("/api/v1/search?q=lamp&fandom=Harbour+Lights").get_json() == first
    assert len(calls) == 2  # "harbour lights" is its own key: values are kept as given
    (corpus / "lighthouse_sequel.txt").unlink()
    update_index(corpus, tmp_path / "index")
    after = c.get("/api/v1/search?q=lamp&fandom=Harbour+Lights").get_json()
    assert after["total"] == first["total"] - 1
    assert len(calls) == 3

    off = create_app({"INDEX_DIR": str(tmp_path / "index"), "RESPONSE_CACHE_SIZE": 0})
    for _ in range(2):
        off.test_client().get("/api/v1/search?q=lamp")
    assert len(calls) == 5
