"""`searchfic serve`: builds a missing index, reports a busy port, survives rebuilds."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import urllib.request
from pathlib import Path
from typing import Any

import pytest
from web_support import LoopbackServer, serve_on_busy_port

from searchfic.engine.indexer import update_index
from searchfic.errors import IndexMissingError
from searchfic.webapp import create_app

CORPUS = Path(__file__).parent / "data" / "web" / "corpus"
ENV = {**os.environ, "PYTHONUNBUFFERED": "1"}


def fetch(url: str, timeout: float = 10) -> tuple[int, Any]:
    with urllib.request.urlopen(url, timeout=timeout) as resp:
        return resp.status, json.loads(resp.read())


def start_serve(args: list[str], cwd: Path) -> tuple[subprocess.Popen[str], str]:
    proc = subprocess.Popen(
        [sys.executable, "-m", "searchfic", "serve", "--port", "0", *args],
        cwd=cwd,
        env=ENV,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None
    line = proc.stdout.readline()  # blocks until the URL is printed (or the process ends)
    if "serving http://" not in line:
        proc.kill()
        raise AssertionError(f"serve did not start: {line!r} {proc.stderr.read()}")  # type: ignore[union-attr]
    url = line.split("serving ", 1)[1].split()[0]
    return proc, url


def stop(proc: subprocess.Popen[str]) -> str:
    proc.terminate()
    try:
        _, err = proc.communicate(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        _, err = proc.communicate()
    return err


def test_serve_builds_a_missing_index_then_answers(tmp_path: Path) -> None:
    shutil.copytree(CORPUS, tmp_path / "data")
    proc, url = start_serve([], cwd=tmp_path)  # the defaults: data/ and index/
    try:
        assert url.startswith("http://127.0.0.1:")
        status, data = fetch(url + "api/v1/search?q=lamp")
        assert status == 200 and data["total"] >= 2
        with urllib.request.urlopen(url, timeout=10) as resp:
            assert b"searchfic" in resp.read()
    finally:
        err = stop(proc)
    assert "building it from data/" in err
    assert "indexing 7/7 files" in err
    assert (tmp_path / "index" / "CURRENT").is_file()


def test_busy_port_is_one_clear_line_and_exit_2(tmp_path: Path) -> None:
    shutil.copytree(CORPUS, tmp_path / "data")
    result, port = serve_on_busy_port(tmp_path)
    assert result.returncode == 2
    lines = [ln for ln in result.stderr.splitlines() if ln.startswith("searchfic serve: error")]
    assert len(lines) == 1, result.stderr
    assert f"127.0.0.1:{port}" in lines[0] and "--port" in lines[0]
    assert "Traceback" not in result.stderr


def test_no_index_and_no_corpus_is_exit_2(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "searchfic", "serve", "--corpus", "missing"],
        cwd=tmp_path,
        env=ENV,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "--corpus" in result.stderr


def _grow(corpus: Path, n: int) -> None:
    """Add ``n`` distinct stories, so that a rebuild takes a noticeable while."""
    template = (CORPUS / "lighthouse_keepers.txt").read_text(encoding="utf-8")
    for i in range(n):
        text = template.replace("The Lighthouse Keepers", f"Keepers, volume {i}")
        text += f"\nThe log for night {i} recorded {i * 7} ships and {i % 5} storms.\n"
        (corpus / f"volume_{i:03d}.txt").write_text(text, encoding="utf-8")


def test_server_keeps_answering_during_a_rebuild_and_then_serves_the_new_generation(
    tmp_path: Path,
) -> None:
    corpus, index = tmp_path / "corpus", tmp_path / "index"
    shutil.copytree(CORPUS, corpus)
    _grow(corpus, 120)
    update_index(corpus, index)
    app = create_app({"INDEX_DIR": str(index)})
    server = LoopbackServer(app)
    base = server.url
    try:
        _, before = fetch(base + "/api/v1/search?q=submarine")
        assert before["total"] == 0
        (corpus / "new.txt").write_text(
            "TITLE: Down Below\nAUTHOR: Ada Lane\nFANDOM: Deep Orbit\nRATING: G\n*****\n\n"
            "The submarine surfaced beside the lighthouse at dawn.\n",
            encoding="utf-8",
        )
        rebuild = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "searchfic",
                "index",
                "--rebuild",
                "--json",
                "--corpus",
                str(corpus),
                "--index-dir",
                str(index),
            ],
            env=ENV,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        answered, totals = 0, set()
        while rebuild.poll() is None:
            status, data = fetch(base + "/api/v1/search?q=lamp&per_page=1")
            assert status == 200
            totals.add(data["total"])
            answered += 1
        _, err = rebuild.communicate()
        assert rebuild.returncode == 0, err
        assert answered >= 3, "the rebuild finished before the server was asked anything"
        assert len(totals) == 1, totals  # the new story has no "lamp": every answer agrees
        _, after = fetch(base + "/api/v1/search?q=submarine")
        assert after["total"] == 1
        assert after["results"][0]["title"] == "Down Below"
        status, _ = fetch(base + "/api/v1/search?q=lamp")
        assert status == 200
    finally:
        server.stop()
        app.extensions["searchfic"].close()


def test_an_old_generation_stays_open_until_its_requests_finish(tmp_path: Path) -> None:
    from searchfic.engine import search
    from searchfic.request import SearchRequest
    from searchfic.webapp.state import IndexHolder

    corpus, index = tmp_path / "corpus", tmp_path / "index"
    shutil.copytree(CORPUS, corpus)
    update_index(corpus, index)
    holder = IndexHolder(index)
    old = holder.acquire()  # a request that started on the first generation
    (corpus / "lighthouse_keepers.txt").unlink()
    update_index(corpus, index)
    new = holder.acquire()
    assert new is not old and new.generation != old.generation
    # The slow request still reads its own generation, whole.
    assert search.run(old, SearchRequest()).total == 7
    assert search.run(new, SearchRequest()).total == 6
    holder.release(new)
    assert holder.acquire() is new  # no newer generation: the same Index is reused
    holder.release(new)
    holder.release(old)
    with pytest.raises(IndexMissingError):  # closed once its last lease came back
        search.run(old, SearchRequest())
    holder.close()


def test_serve_rebuilds_an_index_of_an_older_schema_from_its_corpus(tmp_path: Path) -> None:
    from searchfic.engine import layout
    from searchfic.engine.schema import SCHEMA_VERSION

    shutil.copytree(CORPUS, tmp_path / "data")
    update_index(tmp_path / "data", tmp_path / "index")
    meta_path = layout.current_dir(tmp_path / "index") / layout.META  # type: ignore[operator]
    meta = json.loads(meta_path.read_text())
    meta["schema_version"] = SCHEMA_VERSION - 1  # as an earlier searchfic left it
    meta_path.write_text(json.dumps(meta))
    proc, url = start_serve([], cwd=tmp_path)
    try:
        status, data = fetch(url + "api/v1/search?q=lamp")
        assert status == 200 and data["total"] >= 2
    finally:
        err = stop(proc)
    assert f"built with schema {SCHEMA_VERSION - 1}" in err
    assert "rebuilding it from data/" in err
    new_meta = layout.read_json(layout.current_dir(tmp_path / "index") / layout.META)  # type: ignore[operator]
    assert new_meta is not None and new_meta["schema_version"] == SCHEMA_VERSION
