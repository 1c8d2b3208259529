"""Engine and ingest discrepancies found by the acceptance run, now fixed: odd file names."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from searchfic.engine.indexer import update_index

DATA = Path(__file__).parent / "data" / "acceptance_service"


def _bytes_name(folder: Path, name: bytes) -> Path:
    """Create a copy of a fixture under a raw-bytes file name (skip where the OS refuses)."""
    target = os.path.join(os.fsencode(folder), name)
    try:
        shutil.copyfile(DATA / "three-lamps.txt", target)
    except (OSError, UnicodeError) as exc:
        pytest.skip(f"this file system refuses non-UTF-8 file names: {exc}")
    return Path(os.fsdecode(target))


def test_a_file_name_that_is_not_utf8_does_not_stop_the_index(tmp_path: Path) -> None:
    corpus = tmp_path / "data"
    corpus.mkdir()
    shutil.copy(DATA / "harbour-lights.txt", corpus / "harbour-lights.txt")
    _bytes_name(corpus, b"bad\xffname.txt")
    summary = update_index(corpus, tmp_path / "index")
    # The good file is indexed; the odd one is indexed or reported in `failed`, never fatal.
    assert summary.stories >= 1
    assert summary.added + len(summary.failed) == 2
    # The odd name is shown with its byte escaped, and it is the same file on the next run.
    from searchfic.engine import search as engine_search
    from searchfic.engine.store import open_index
    from searchfic.request import request_from_params

    index = open_index(tmp_path / "index")
    try:
        sources = {h.source for h in engine_search.run(index, request_from_params({})).results}
    finally:
        index.close()
    assert "bad\\xffname.txt" in sources
    again = update_index(corpus, tmp_path / "index")
    assert (again.added, again.updated, again.removed, again.unchanged) == (0, 0, 0, 2)


def test_a_symlinked_file_has_a_corpus_relative_source(tmp_path: Path) -> None:
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    shutil.copy(DATA / "three-lamps.txt", outside / "three-lamps.txt")
    corpus = tmp_path / "data"
    corpus.mkdir()
    try:
        (corpus / "link.txt").symlink_to(outside / "three-lamps.txt")
    except OSError as exc:
        pytest.skip(f"no symlinks here: {exc}")
    update_index(corpus.resolve(), tmp_path / "index")
    from searchfic.engine import search as engine_search
    from searchfic.engine.store import open_index
    from searchfic.request import request_from_params

    index = open_index(tmp_path / "index")
    try:
        response = engine_search.run(index, request_from_params({"q": ""}))
    finally:
        index.close()
    assert [hit.source for hit in response.results] == ["link.txt"]
