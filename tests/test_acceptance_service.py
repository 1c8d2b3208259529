"""Regressions found by the acceptance run of the CLI, index operations and web/API."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from web_support import serve_on_busy_port

from searchfic.cli import main
from searchfic.engine.indexer import update_index
from searchfic.errors import QueryError
from searchfic.request import request_from_params
from searchfic.webapp import create_app

DATA = Path(__file__).parent / "data" / "acceptance_service"


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("acc") / "data"
    shutil.copytree(DATA, root)
    # The same content at a second path: one story, two files.
    shutil.copy(root / "harbour-lights.txt", root / "copy-of-harbour-lights.txt")
    return root


@pytest.fixture(scope="module")
def index_dir(corpus: Path) -> Path:
    target = corpus.parent / "index"
    summary = update_index(corpus, target)
    assert summary.stories == 3 and summary.added == 4 and not summary.failed
    return target


@pytest.fixture(scope="module")
def client(index_dir: Path):
    return create_app({"INDEX_DIR": str(index_dir)}).test_client()


def _stderr_lines(result) -> list[str]:
    return [ln for ln in result.stderr.splitlines() if ln.strip()]


@pytest.mark.parametrize(
    ("args", "names"),
    [
        (["search", "x", "--sort", "nope"], ["searchfic search", "--sort", "'nope'"]),
        (["search", "x", "--page"], ["searchfic search", "--page"]),
        (["index", "--bogus"], ["searchfic index", "--bogus"]),
        (["--bogus"], ["searchfic", "--bogus"]),
        (["nosuchcommand"], ["searchfic", "nosuchcommand"]),
        (["parse"], ["searchfic parse", "FILES"]),
    ],
)
def test_usage_error_is_one_line_naming_command_and_option(args, names):
    result = CliRunner().invoke(main, args, prog_name="searchfic")
    assert result.exit_code == 2
    lines = _stderr_lines(result)
    assert len(lines) == 1, result.stderr
    assert all(n in lines[0] for n in names), lines[0]
    assert "--help" in lines[0] and "Traceback" not in result.stderr


def test_query_that_looks_like_an_option_gets_the_double_dash_hint(index_dir: Path):
    result = CliRunner().invoke(
        main, ["search", "-fluff", "--index-dir", str(index_dir)], prog_name="searchfic"
    )
    assert result.exit_code == 2
    (line,) = _stderr_lines(result)
    assert "No such option" in line and "--" in line and "'-fluff'" in line
    # ... and the hint works: after --, "-fluff" is the query (an exclusion).
    ok = CliRunner().invoke(
        main, ["search", "--index-dir", str(index_dir), "--json", "--", "-fluff"]
    )
    assert ok.exit_code == 0, ok.output


def test_bare_command_still_shows_the_help():
    result = CliRunner().invoke(main, [])
    assert "Usage:" in result.output and "search" in result.output


@pytest.mark.parametrize("page", ["10001", "123456789012", "9" * 40, "9" * 5000])
def test_page_far_past_the_end_is_an_empty_page_not_an_error(client, page):
    resp = client.get(f"/api/v1/search?q=lantern&page={page}")
    assert resp.status_code == 200
    data = resp.get_json()
    assert data["results"] == [] and data["total"] == 3
    html = client.get(f"/search?q=lantern&page={page}")
    assert html.status_code == 200


def test_cli_page_far_past_the_end_exits_0(index_dir: Path):
    result = CliRunner().invoke(
        main, ["search", "", "--page", "50000", "--json", "--index-dir", str(index_dir)]
    )
    assert result.exit_code == 0, result.output
    assert '"results": []' in result.stdout


@pytest.mark.parametrize("value", ["0", "00", "-1", "1.5", "1e3", "x", "\u0661", "1_0"])
def test_page_that_is_not_a_positive_whole_number_is_bad_parameter(client, value):
    with pytest.raises(QueryError) as info:
        request_from_params({"page": value})
    assert info.value.code == "bad_parameter" and info.value.param == "page"
    resp = client.get("/api/v1/search", query_string={"page": value})
    assert resp.status_code == 400
    assert resp.get_json()["error"]["code"] == "bad_parameter"


@pytest.mark.parametrize("value", ["0", "101", "9" * 40, "\u0665"])
def test_per_page_out_of_range_names_the_value_it_got(value):
    with pytest.raises(QueryError) as info:
        request_from_params({"per_page": value})
    assert info.value.code == "bad_parameter" and info.value.param == "per_page"
    if value.isascii():
        assert value.lstrip("0")[:20] in info.value.message or value == "0"


def test_openapi_sets_no_upper_bound_on_page(client):
    doc = client.get("/api/v1/openapi.json").get_json()
    params = {p["name"]: p for p in doc["paths"]["/api/v1/search"]["get"]["parameters"]}
    assert params["page"]["schema"]["minimum"] == 1
    assert "maximum" not in params["page"]["schema"]
    assert params["per_page"]["schema"]["maximum"] == 100


def test_serve_counts_stories_not_files_when_it_builds_the_index(corpus: Path, tmp_path: Path):
    work = tmp_path / "serve"
    shutil.copytree(corpus, work / "data")
    # A busy port stops serve right after it has built the index: no server to tear down.
    result, _port = serve_on_busy_port(work)
    assert result.returncode == 2
    assert "indexed 3 stories from 4 files" in result.stderr, result.stderr


@pytest.mark.parametrize("command", ["search", "stats", "index"])
def test_json_output_is_utf8_even_when_the_locale_is_ascii(index_dir: Path, command: str):
    args = {
        "search": ["search", "café", "--json"],
        "stats": ["stats", "--json"],
        "index": ["index", "--corpus", str(index_dir.parent / "data"), "--json"],
    }[command]
    env = {**os.environ, "PYTHONIOENCODING": "ascii", "LC_ALL": "C"}
    result = subprocess.run(
        [sys.executable, "-m", "searchfic", *args, "--index-dir", str(index_dir)],
        env=env,
        capture_output=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr.decode("utf-8", "replace")
    data = json.loads(result.stdout.decode("utf-8").strip().splitlines()[-1])
    if command == "search":
        assert data["total"] == 1 and "café" in data["results"][0]["summary"]
    else:
        assert isinstance(data, dict)


def test_parse_prints_json_for_a_file_name_that_is_not_utf8(tmp_path: Path):
    target = os.path.join(os.fsencode(tmp_path), b"bad\xffname.txt")
    try:
        shutil.copyfile(DATA / "three-lamps.txt", target)
    except (OSError, UnicodeError) as exc:
        pytest.skip(f"this file system refuses non-UTF-8 file names: {exc}")
    result = subprocess.run(
        [sys.executable, "-m", "searchfic", "parse", "--corpus", ".", os.fsdecode(target)],
        cwd=tmp_path,
        capture_output=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    record = json.loads(result.stdout.decode("utf-8"))
    # The odd byte is escaped, as `index` shows the same file (no surrogates in any JSON).
    assert record["source"] == "bad\\xffname.txt" and record["title"] == "Three Lamps Lit"


@pytest.mark.parametrize("name", ["fandom", "pairing", "tag", "exclude_author"])
def test_a_long_unknown_filter_value_matches_nothing_without_error(client, name):
    value = "Lamplighters " * 200  # 2,600 characters: unknown, not malformed
    resp = client.get("/api/v1/search", query_string={"q": "lantern", name: value})
    assert resp.status_code == 200
    expected = 3 if name.startswith("exclude_") else 0
    assert resp.get_json()["total"] == expected


def test_filter_values_are_bounded_by_count_not_by_length(client):
    many_same = [("exclude_tag", "Same")] * 20_000
    resp = client.get("/api/v1/search", query_string=[("q", "lantern"), *many_same])
    assert resp.status_code == 200 and resp.get_json()["total"] == 3
    distinct = [("exclude_tag", f"Tag {i}") for i in range(1001)]
    resp = client.get("/api/v1/search", query_string=distinct)
    assert resp.status_code == 400
    assert resp.get_json()["error"]["code"] == "bad_parameter"


@pytest.mark.parametrize("blank", ["   ", "\t\n", " \u3000 "])
def test_a_blank_query_is_the_empty_query(client, blank):
    data = client.get("/api/v1/search", query_string={"q": blank}).get_json()
    assert data["query"] == "" and data["total"] == 3
    assert all(r["score"] is None and r["snippets"] == [] for r in data["results"])


def test_text_output_does_not_pass_escape_sequences_to_the_terminal(tmp_path: Path):
    corpus = tmp_path / "data"
    corpus.mkdir()
    (corpus / "evil.txt").write_text(
        "TITLE: Evil \x1b]0;retitled\x07 \x1b[2JTitle\nAUTHOR: bad\x1b[31mguy\nFANDOM: F\n"
        "RATING: G\n\n*****\n\nA lantern and a \x1b[5mblinking\x1b[0m line of text.\n",
        encoding="utf-8",
    )
    update_index(corpus, tmp_path / "index")
    result = CliRunner().invoke(main, ["search", "lantern", "--index-dir", str(tmp_path / "index")])
    assert result.exit_code == 0, result.output
    assert "\x1b" not in result.output and "\x07" not in result.output
    assert "Evil" in result.output and "Title" in result.output and "[lantern]" in result.output


def test_terminal_snippets_keep_only_the_engines_marks():
    from searchfic.cli.search_cmd import _marks

    snippet = 'a &lt;mark&gt;fake&lt;/mark&gt; <mark class="hit" id="m1">real</mark> \x1b[2J'
    assert _marks(snippet, color=False) == "a <mark>fake</mark> [real]  [2J"
    colored = _marks(snippet, color=True)
    assert colored.count("\x1b") == 2 and "\x1b[1;33mreal\x1b[0m" in colored


def test_a_failed_file_with_control_characters_in_its_name_is_one_clean_line(tmp_path: Path):
    corpus = tmp_path / "data"
    corpus.mkdir()
    shutil.copy(DATA / "three-lamps.txt", corpus / "good.txt")
    try:
        (corpus / "bad\nname\x1b[2J.epub").write_bytes(b"\x00\x01not an epub" * 20)
    except OSError as exc:
        pytest.skip(f"this file system refuses control characters in names: {exc}")
    result = CliRunner().invoke(
        main, ["index", "--corpus", str(corpus), "--index-dir", str(tmp_path / "index")]
    )
    assert result.exit_code == 1
    lines = _stderr_lines(result)
    assert len(lines) == 1 and "bad name" in lines[0], result.stderr
    assert "\x1b" not in result.stderr
