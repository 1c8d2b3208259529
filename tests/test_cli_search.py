"""`searchfic search`: the API's search on the command line, same validation."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from engine_support import build_index, load_stories

from searchfic.cli import main


@pytest.fixture(scope="module")
def index_dir(tmp_path_factory):
    return build_index(tmp_path_factory.mktemp("cidx"), load_stories())


def invoke(index_dir, *args):
    return CliRunner().invoke(main, ["search", *args, "--index-dir", str(index_dir)])


def test_json_output_is_the_api_response(index_dir):
    res = invoke(index_dir, '"I trust my heart"', "--json")
    assert res.exit_code == 0, res.output
    data = json.loads(res.output.strip().splitlines()[-1])
    assert data["query"] == '"I trust my heart"'
    assert data["total"] == 1 and data["results"][0]["id"] == "s01"
    assert set(data) >= {"page", "per_page", "results", "facets", "approximate", "suggestion"}


def test_empty_query_lists_what_the_filters_select(index_dir):
    res = invoke(index_dir, "", "--pairing", "Benson/Cabot", "--json")
    assert res.exit_code == 0
    data = json.loads(res.output)
    assert sorted(r["id"] for r in data["results"]) == ["s01", "s02", "s07"]
    assert all(r["score"] is None and r["snippets"] == [] for r in data["results"])


def test_repeatable_filters_exclusions_complete_and_words(index_dir):
    res = invoke(
        index_dir,
        "",
        "--fandom",
        "Sherlock Holmes",
        "--fandom",
        "Doctor Who",
        "--exclude-rating",
        "Explicit",
        "--words",
        ">5",
        "--json",
    )
    assert res.exit_code == 0
    assert [r["id"] for r in json.loads(res.output)["results"]] == ["s05"]
    res = invoke(index_dir, "", "--incomplete", "--json")
    assert [r["id"] for r in json.loads(res.output)["results"]] == ["s02"]


def test_sort_page_and_per_page(index_dir):
    res = invoke(index_dir, "", "--sort", "title", "--per-page", "2", "--page", "2", "--json")
    data = json.loads(res.output)
    assert data["page"] == 2 and data["per_page"] == 2 and len(data["results"]) == 2


def test_text_output_shows_title_metadata_and_marked_snippet(index_dir):
    res = invoke(index_dir, "docket")
    assert res.exit_code == 0
    assert "A Quiet Docket" in res.output
    assert "by Lantern" in res.output
    assert "[docket]" in res.output  # matches emphasised without a terminal


def test_explain_prints_the_parsed_query(index_dir):
    res = invoke(index_dir, "rain -umbrella", "--explain")
    assert res.exit_code == 0
    assert "query: rain AND NOT umbrella" in res.output


def test_bad_option_is_one_line_and_exit_2(index_dir):
    for args in (["--words", "lots"], ["--per-page", "500"], ["--page", "0"]):
        res = invoke(index_dir, "x", *args)
        assert res.exit_code == 2, args
        lines = [ln for ln in res.output.splitlines() if ln.strip()]
        assert len(lines) == 1 and "Traceback" not in res.output


def test_too_long_query_is_exit_2(index_dir):
    res = invoke(index_dir, "a" * 1200)
    assert res.exit_code == 2 and "1000" in res.output


def test_missing_index_names_the_command_and_exits_2(tmp_path):
    res = CliRunner().invoke(main, ["search", "x", "--index-dir", str(tmp_path / "none")])
    assert res.exit_code == 2
    assert "searchfic index" in res.output


def test_no_results_suggests_a_spelling(index_dir):
    res = invoke(index_dir, "wether")
    assert res.exit_code == 0
    assert "No stories found." in res.output and "Did you mean: weather" in res.output
