"""Builds on every core: worker processes write their own segments, gathered in one commit."""

from __future__ import annotations

import importlib.util
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from indexing_support import copy_corpus, records

from searchfic.engine import layout
from searchfic.engine.indexer import update_index
from searchfic.engine.search import run
from searchfic.engine.store import open_index
from searchfic.request import SearchRequest

REPO = Path(__file__).resolve().parents[1]
_SPEC = importlib.util.spec_from_file_location("kill_loop", REPO / "bench" / "kill_loop.py")
assert _SPEC is not None and _SPEC.loader is not None
kill_loop = importlib.util.module_from_spec(_SPEC)
sys.modules.setdefault("kill_loop", kill_loop)
_SPEC.loader.exec_module(kill_loop)

STORIES = 40  # above indexer.POOL_THRESHOLD: the workers write the segments
QUERIES = [
    "",
    "the",
    "rain",
    '"story marker"',
    "kl00007",
    "court -rain",
    "fandom:*",
    "title:number",
]


def _answers(index: Path) -> dict[str, tuple[int, list[str], object]]:
    out = {}
    with open_index(index) as ix:
        for q in QUERIES:
            try:
                res = run(ix, SearchRequest(q=q, per_page=50))
            except Exception as exc:  # a query the contract refuses is refused either way
                out[q] = (-1, [type(exc).__name__], None)
                continue
            out[q] = (res.total, sorted(h.id for h in res.results), res.to_dict()["facets"])
    return out


def _segment_count(index: Path) -> int:
    from whoosh import index as windex

    gen = layout.current_dir(index)
    assert gen is not None
    ix = windex.open_dir(str(gen), indexname=layout.WHOOSH_INDEX_NAME)
    try:
        return len(ix._segments())
    finally:
        ix.close()


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    c = tmp_path_factory.mktemp("pool") / "corpus"
    kill_loop.make_corpus(c, STORIES, repeat=2)
    # the same story twice, in files the two workers may well split between them
    shutil.copy(c / "d0" / "story_00007.txt", c / "d1" / "copy_of_7.txt")
    return c


def test_workers_build_the_same_index_as_one_process(tmp_path: Path, corpus: Path) -> None:
    one = update_index(corpus, tmp_path / "one", workers=1)
    two = update_index(corpus, tmp_path / "two", workers=2)
    assert (one.added, one.stories, one.failed) == (two.added, two.stories, two.failed)
    assert two.stories == STORIES
    assert _segment_count(tmp_path / "two") >= 2  # one per worker at least, never merged
    assert _answers(tmp_path / "two") == _answers(tmp_path / "one")
    assert records(tmp_path / "two") == records(tmp_path / "one")


def test_duplicate_split_between_workers_is_one_document_with_its_copy(
    tmp_path: Path, corpus: Path
) -> None:
    update_index(corpus, tmp_path / "index", workers=2)
    recs = records(tmp_path / "index")
    seven = [
        r
        for r in recs.values()
        if "kl00007" in r.get("title", "") + r["source"]
        or r["source"].endswith(("story_00007.txt", "copy_of_7.txt"))
    ]
    assert len(seven) == 1
    assert sorted([seven[0]["source"], *seven[0]["copies"]]) == [
        "d0/story_00007.txt",
        "d1/copy_of_7.txt",
    ]


def test_update_after_a_worker_build_keeps_every_segment_readable(
    tmp_path: Path, corpus: Path
) -> None:
    c = tmp_path / "corpus"
    shutil.copytree(corpus, c)
    index = tmp_path / "index"
    update_index(c, index, workers=2)
    kill_loop.mutate(c, seed=3)
    s = update_index(c, index, workers=2)
    assert s.added and s.updated and s.removed
    rebuilt = tmp_path / "rebuilt"
    update_index(c, rebuilt, workers=1)
    assert _answers(index) == _answers(rebuilt)
    assert records(index).keys() == records(rebuilt).keys()


def test_large_incremental_batch_goes_to_the_workers_too(tmp_path: Path, corpus: Path) -> None:
    c = copy_corpus(tmp_path)  # the small corpus first, in one process
    index = tmp_path / "index"
    update_index(c, index, workers=2)
    before = _segment_count(index)
    shutil.copytree(corpus, c / "more")
    s = update_index(c, index, workers=2)
    assert s.added == STORIES + 1
    assert _segment_count(index) >= before + 1
    hits = _answers(index)
    assert hits["kl00007"][0] == 1


def test_a_script_whose_workers_cannot_start_still_builds_everything(
    tmp_path: Path, corpus: Path
) -> None:
    # Spawned workers re-import __main__; without the __main__ guard they fail at once.
    # The writer notices, and writes the whole generation in its own process.
    script = tmp_path / "unguarded.py"
    script.write_text(
        textwrap.dedent(
            f"""
            from pathlib import Path
            from searchfic.engine.indexer import update_index
            s = update_index(Path({str(corpus)!r}), Path({str(tmp_path / "index")!r}), workers=2)
            print("stories", s.stories)
            """
        ),
        encoding="utf-8",
    )
    proc = subprocess.run(
        [sys.executable, str(script)], capture_output=True, text=True, timeout=300
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert f"stories {STORIES}" in proc.stdout
    assert len(records(tmp_path / "index")) == STORIES


def test_rebuild_resolves_duplicates_without_a_whoosh_delete(
    tmp_path: Path, corpus: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A Whoosh delete opens a searcher, which reads every segment's term and postings
    # files into memory: a rebuild marks the workers' duplicate documents deleted instead.
    from searchfic.engine import indexer

    def refuse(self: object, story_id: str) -> None:
        raise AssertionError(f"Whoosh delete of {story_id} during a rebuild")

    monkeypatch.setattr(indexer._GenerationWriter, "delete", refuse)
    s = update_index(corpus, tmp_path / "index", workers=2)
    assert s.stories == STORIES
    recs = records(tmp_path / "index")
    assert len(recs) == STORIES
    assert sum("d1/copy_of_7.txt" in [r["source"], *r["copies"]] for r in recs.values()) == 1
