"""`searchfic stats` and `searchfic check`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from indexing_support import bump_mtime, copy_corpus, records

from searchfic.cli import main
from searchfic.engine import layout
from searchfic.engine.indexer import update_index


@pytest.fixture()
def built(tmp_path: Path) -> tuple[Path, Path]:
    corpus = copy_corpus(tmp_path)
    (corpus / "searchfic-aliases.toml").write_text(
        '[fandom]\n"Law & Order: SVU" = ["Law and Order SVU", "SVU"]\n', encoding="utf-8"
    )
    index = tmp_path / "index"
    update_index(corpus, index)
    return corpus, index


def _run(*args: str):
    return CliRunner().invoke(main, list(args))


def test_stats_json_counts_stories_files_and_facets(built: tuple[Path, Path]) -> None:
    corpus, index = built
    r = _run("stats", "--index-dir", str(index), "--json")
    assert r.exit_code == 0, r.output
    st = json.loads(r.stdout)
    assert st["stories"] == 5
    assert st["files"] == 6 and st["duplicate_files"] == 1
    assert st["formats"] == {"text": 6}
    assert st["languages"] == {"en": 4, "fr": 1}
    assert st["ratings"]["General Audiences"] == 2
    assert st["top_fandoms"][0] == {"value": "Law & Order: SVU", "count": 2}
    assert {"value": "Alex Cabot/Olivia Benson", "count": 1} in st["top_pairings"]
    assert [f["source"] for f in st["failed"]] == ["broken.epub"]
    assert st["skipped"] == {".png": 1}
    assert st["generation"] == layout.current_name(index)
    assert st["index_bytes"] > 0 and st["disk_bytes"] >= st["index_bytes"]
    assert st["aliases"] == 1
    # words are summed once per story (the winning copy), as the index holds them
    assert st["words"] == sum(r["words"] for r in records(index).values())


def test_stats_text_output_is_readable(built: tuple[Path, Path]) -> None:
    _, index = built
    r = _run("stats", "--index-dir", str(index))
    assert r.exit_code == 0
    assert "stories" in r.stdout and "Law & Order: SVU (2)" in r.stdout
    assert "failed: broken.epub" in r.stdout


def test_stats_without_index_exits_2_with_one_line(tmp_path: Path) -> None:
    r = _run("stats", "--index-dir", str(tmp_path / "none"))
    assert r.exit_code == 2
    assert "run `searchfic index`" in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1


def test_check_in_step_exits_0(built: tuple[Path, Path]) -> None:
    corpus, index = built
    r = _run("check", "--corpus", str(corpus), "--index-dir", str(index), "--json")
    assert r.exit_code == 0, r.output
    report = json.loads(r.stdout)
    assert report["in_step"] is True
    assert report["failed"] == ["broken.epub"]


def test_check_reports_missing_stale_and_orphaned_files(built: tuple[Path, Path]) -> None:
    corpus, index = built
    (corpus / "svu/ward_cases.txt").unlink()
    p = corpus / "fr/village.txt"
    p.write_text(p.read_text(encoding="utf-8") + "\nEncore.\n", encoding="utf-8")
    bump_mtime(p)
    (corpus / "extra.txt").write_text("TITLE: Extra\n\nSome words here.\n", encoding="utf-8")
    bump_mtime(corpus / "classics/mill_days.txt")  # touched only: still in step
    r = _run("check", "--corpus", str(corpus), "--index-dir", str(index), "--json")
    assert r.exit_code == 1
    report = json.loads(r.stdout)
    assert report["missing"] == ["extra.txt"]
    assert report["stale"] == ["fr/village.txt"]
    assert report["orphaned"] == ["svu/ward_cases.txt"]
    text = _run("check", "--corpus", str(corpus), "--index-dir", str(index))
    assert text.exit_code == 1
    assert "missing: extra.txt" in text.stdout and "run `searchfic index`" in text.stdout
    update_index(corpus, index)
    assert _run("check", "--corpus", str(corpus), "--index-dir", str(index)).exit_code == 0


def test_check_finds_index_entries_the_manifest_does_not_explain(
    built: tuple[Path, Path],
) -> None:
    corpus, index = built
    gen = layout.current_dir(index)
    data = json.loads((gen / layout.MANIFEST).read_text(encoding="utf-8"))
    sid = data["files"].pop("fr/village.txt")["id"]
    (gen / layout.MANIFEST).write_text(json.dumps(data), encoding="utf-8")
    r = _run("check", "--corpus", str(corpus), "--index-dir", str(index), "--json")
    assert r.exit_code == 1
    report = json.loads(r.stdout)
    assert report["index_orphans"] == [sid]
    assert report["missing"] == ["fr/village.txt"]
