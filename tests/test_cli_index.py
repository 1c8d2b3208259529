"""`searchfic index`: the summary line, exit statuses, stderr lines, and the lock message."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner
from indexing_support import copy_corpus

from searchfic.cli import main
from searchfic.engine import layout


def _index(*args: str, env: dict[str, str] | None = None):
    return CliRunner().invoke(main, ["index", *args], env=env)


def test_json_summary_is_the_last_stdout_line_and_failures_exit_1(tmp_path: Path) -> None:
    corpus = copy_corpus(tmp_path)
    r = _index("--corpus", str(corpus), "--index-dir", str(tmp_path / "ix"), "--json")
    assert r.exit_code == 1, r.output
    summary = json.loads(r.stdout.strip().splitlines()[-1])
    assert summary["added"] == 6 and summary["updated"] == summary["removed"] == 0
    assert summary["unchanged"] == 0
    assert summary["failed"][0]["source"] == "broken.epub"
    err_lines = r.stderr.strip().splitlines()
    assert len(err_lines) == 1 and err_lines[0].startswith("searchfic index: broken.epub: ")


def test_clean_corpus_exits_0_with_a_readable_line(tmp_path: Path) -> None:
    corpus = copy_corpus(tmp_path)
    (corpus / "broken.epub").unlink()
    r = _index("--corpus", str(corpus), "--index-dir", str(tmp_path / "ix"))
    assert r.exit_code == 0, r.output
    assert "6 added" in r.stdout and "5 stories" in r.stdout
    assert r.stderr == ""
    again = _index("--corpus", str(corpus), "--index-dir", str(tmp_path / "ix"), "--json")
    assert again.exit_code == 0
    assert json.loads(again.stdout.splitlines()[-1])["unchanged"] == 6


def test_environment_variables_choose_corpus_and_index(tmp_path: Path) -> None:
    corpus = copy_corpus(tmp_path)
    env = {"SEARCHFIC_CORPUS": str(corpus), "SEARCHFIC_INDEX_DIR": str(tmp_path / "envix")}
    r = _index("--json", env=env)
    assert r.exit_code == 1
    assert layout.current_name(tmp_path / "envix") is not None


def test_missing_corpus_exits_2_naming_it(tmp_path: Path) -> None:
    r = _index("--corpus", str(tmp_path / "nowhere"), "--index-dir", str(tmp_path / "ix"))
    assert r.exit_code == 2
    assert str(tmp_path / "nowhere") in r.stderr and "Traceback" not in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1


def test_rebuild_flag_builds_a_new_generation(tmp_path: Path) -> None:
    corpus = copy_corpus(tmp_path)
    ix = tmp_path / "ix"
    _index("--corpus", str(corpus), "--index-dir", str(ix))
    first = layout.current_name(ix)
    r = _index("--corpus", str(corpus), "--index-dir", str(ix), "--rebuild", "--json")
    summary = json.loads(r.stdout.splitlines()[-1])
    assert summary["rebuilt"] is True and summary["unchanged"] == 6
    assert layout.current_name(ix) != first


def test_second_writer_is_refused_with_the_holders_pid(tmp_path: Path) -> None:
    corpus = copy_corpus(tmp_path)
    ix = tmp_path / "ix"
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time; from pathlib import Path;"
            "from searchfic.engine.layout import WriterLock;"
            "lock = WriterLock(Path(sys.argv[1])).acquire(); print('held', flush=True);"
            "time.sleep(60)",
            str(ix),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert holder.stdout is not None
    try:
        assert holder.stdout.readline().strip() == "held"
        r = _index("--corpus", str(corpus), "--index-dir", str(ix), "--json")
        assert r.exit_code == 2
        assert f"pid {holder.pid}" in r.stderr
        assert "another searchfic process" in r.stderr
        assert layout.generation_names(ix) == []
    finally:
        holder.kill()
        holder.wait()
        holder.stdout.close()
    r = _index("--corpus", str(corpus), "--index-dir", str(ix))
    assert r.exit_code == 1  # the broken fixture file; the run itself went through


def test_malformed_alias_file_exits_2_naming_file_and_line(tmp_path: Path) -> None:
    corpus = copy_corpus(tmp_path)
    (corpus / "searchfic-aliases.toml").write_text('[fandom]\n"SVU" = ["x",\n', "utf-8")
    r = _index("--corpus", str(corpus), "--index-dir", str(tmp_path / "ix"))
    assert r.exit_code == 2
    assert "searchfic-aliases.toml:" in r.stderr and "Traceback" not in r.stderr


def test_python_dash_m_runs_index(tmp_path: Path) -> None:
    corpus = copy_corpus(tmp_path)
    p = subprocess.run(
        [sys.executable, "-m", "searchfic", "index", "--json"],
        env={
            **os.environ,
            "SEARCHFIC_CORPUS": str(corpus),
            "SEARCHFIC_INDEX_DIR": str(tmp_path / "m"),
        },
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert p.returncode == 1, p.stderr
    assert json.loads(p.stdout.splitlines()[-1])["added"] == 6
    assert "\r" not in p.stderr  # no progress bar when stderr is not a terminal
