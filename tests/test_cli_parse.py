"""`searchfic parse FILE... [--body] [--corpus DIR]`: JSON Lines out, one stderr line per failure."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner
from contract import RECORD_KEYS

from searchfic.cli import main

DATA = Path(__file__).parent / "data" / "ingest"


def run(*args: str):
    return CliRunner().invoke(main, ["parse", *args])


def test_parse_prints_one_record_per_file_without_body() -> None:
    result = run(str(DATA / "reflowed_header.txt"), str(DATA / "mixed_separators.txt"))
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert len(lines) == 2
    records = [json.loads(line) for line in lines]
    assert records[0]["title"] == "Salt on the Sill"
    assert records[1]["title"] == "The Lantern Keeper's Daughter"
    for rec in records:
        assert set(rec) >= RECORD_KEYS
        assert "body" not in rec


def test_parse_body_flag_adds_the_story_text() -> None:
    result = run("--body", str(DATA / "reflowed_header.txt"))
    assert result.exit_code == 0
    rec = json.loads(result.stdout)
    assert rec["body"].startswith("In the morning the sea was flat and grey")
    assert rec["words"] == len(rec["body"].split())


def test_failed_files_are_named_on_stderr_and_exit_1(tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    broken = tmp_path / "broken.epub"
    broken.write_bytes(b"PK\x03\x04 this is not really a zip")
    missing = tmp_path / "missing.txt"
    result = run(str(DATA / "no_header.txt"), str(missing), str(empty), str(broken), str(tmp_path))
    assert result.exit_code == 1
    assert len(result.stdout.splitlines()) == 1
    errors = result.stderr.splitlines()
    assert len(errors) == 4
    assert str(missing) in errors[0] and "no such file" in errors[0]
    assert str(empty) in errors[1] and "empty" in errors[1]
    assert str(broken) in errors[2] and "zip" in errors[2]
    assert str(tmp_path) in errors[3] and "directory" in errors[3]
    assert "Traceback" not in result.stderr


def test_source_is_relative_to_the_corpus(tmp_path: Path) -> None:
    sub = tmp_path / "corpus" / "lighthouse"
    sub.mkdir(parents=True)
    target = sub / "salt.txt"
    target.write_bytes((DATA / "reflowed_header.txt").read_bytes())
    inside = json.loads(run("--corpus", str(tmp_path / "corpus"), str(target)).stdout)
    assert inside["source"] == "lighthouse/salt.txt"
    outside = json.loads(
        run("--corpus", str(tmp_path / "corpus"), str(DATA / "reflowed_header.txt")).stdout
    )
    assert outside["source"] == str(DATA / "reflowed_header.txt")
    assert inside["id"] == outside["id"]  # same content, same id


def test_usage_error_without_files_exits_2() -> None:
    result = run()
    assert result.exit_code == 2


def test_python_dash_m_searchfic_parse(tmp_path: Path) -> None:
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "searchfic",
            "parse",
            "--body",
            str(DATA / "russian_cp1251.txt"),
            str(tmp_path / "nope.txt"),
        ],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
    )
    assert proc.returncode == 1
    rec = json.loads(proc.stdout)
    assert rec["title"] == "Маяк"  # UTF-8 on stdout, not \u escapes
    assert "Маяк" in proc.stdout
    assert proc.stderr.count("\n") == 1 and "nope.txt" in proc.stderr
