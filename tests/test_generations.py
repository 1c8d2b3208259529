"""Generations: hard-linked updates, the atomic switch, cleanup, the lock, schema versions."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from indexing_support import bump_mtime, copy_corpus, records, snapshot

from searchfic.engine import layout
from searchfic.engine.indexer import update_index
from searchfic.engine.store import open_index
from searchfic.errors import IndexLockedError, SchemaVersionError


def _edit(path: Path, old: str, new: str) -> None:
    path.write_text(path.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
    bump_mtime(path)


def test_update_shares_segment_files_by_hard_link(tmp_path: Path) -> None:
    corpus = copy_corpus(tmp_path)
    index = tmp_path / "index"
    update_index(corpus, index)
    first = layout.current_dir(index)
    _edit(corpus / "fr/village.txt", "Le Village", "Le Grand Village")
    update_index(corpus, index)
    second = layout.current_dir(index)
    assert first != second
    shared = [
        p.name
        for p in first.iterdir()
        if p.name.startswith("MAIN_")  # segment files, compound (.seg) or loose
        and (second / p.name).exists()
        and (second / p.name).stat().st_ino == p.stat().st_ino
    ]
    assert shared, "the new generation should reuse the old segment files (hard links)"


def test_old_generation_is_byte_identical_after_updates(tmp_path: Path) -> None:
    corpus = copy_corpus(tmp_path)
    index = tmp_path / "index"
    update_index(corpus, index)
    first = layout.current_dir(index)
    before = snapshot(first)
    _edit(corpus / "svu/ward_cases.txt", "Ward Cases", "Ward Cases Revisited")
    (corpus / "classics/mill_days.txt").unlink()
    update_index(corpus, index)
    assert first.is_dir(), "the previous generation is kept until the next update"
    assert snapshot(first) == before
    with open_index(index) as ix:
        assert ix.generation != first.name


def test_reader_on_previous_generation_keeps_answering(tmp_path: Path) -> None:
    corpus = copy_corpus(tmp_path)
    index = tmp_path / "index"
    update_index(corpus, index)
    with open_index(index) as reader:
        with reader.searcher() as s:
            before = s.doc_count()
        (corpus / "classics/mill_days.txt").unlink()
        update_index(corpus, index)
        with reader.searcher() as s:
            assert s.doc_count() == before  # still the old generation, still readable
            assert all(f["id"] for f in s.all_stored_fields())
        assert reader.refresh()
        with reader.searcher() as s:
            assert s.doc_count() == before - 1


def test_only_current_and_previous_generations_remain(tmp_path: Path) -> None:
    corpus = copy_corpus(tmp_path)
    index = tmp_path / "index"
    for i in range(4):
        _edit(corpus / "fr/village.txt", "Le Village", f"Le Village {i}")
        update_index(corpus, index)
    names = layout.generation_names(index)
    assert len(names) == 2
    assert names[-1] == layout.current_name(index)


def test_leftover_unpublished_generation_is_cleaned_by_next_writer(tmp_path: Path) -> None:
    corpus = copy_corpus(tmp_path)
    index = tmp_path / "index"
    update_index(corpus, index)
    leftover = layout.generations_dir(index) / "g000009"  # a crashed writer's half-build
    leftover.mkdir()
    (leftover / "_MAIN_1.toc").write_bytes(b"half-written")
    (index / ".CURRENT.999.tmp").write_text("g000009\n")
    assert layout.current_name(index) == "g000001"
    _edit(corpus / "fr/village.txt", "Le Village", "Un Village")
    update_index(corpus, index)
    assert not (index / ".CURRENT.999.tmp").exists()
    assert layout.generation_names(index) == ["g000001", "g000002"]
    assert layout.current_name(index) == "g000002"


def test_unchanged_corpus_publishes_no_new_generation(tmp_path: Path) -> None:
    corpus = copy_corpus(tmp_path)
    index = tmp_path / "index"
    first = update_index(corpus, index)
    second = update_index(corpus, index)
    assert second.generation == first.generation
    assert second.unchanged == 6 and len(second.failed) == 1


def test_second_writer_gets_locked_error_naming_the_pid(tmp_path: Path) -> None:
    corpus = copy_corpus(tmp_path)
    index = tmp_path / "index"
    update_index(corpus, index)
    before = snapshot(layout.current_dir(index))
    with (
        layout.WriterLock(index),
        pytest.raises(IndexLockedError, match=rf"pid {os.getpid()}\b"),
    ):
        update_index(corpus, index, rebuild=True)
    assert snapshot(layout.current_dir(index)) == before
    update_index(corpus, index, rebuild=True)  # the lock is free again


def test_other_schema_version_is_refused_unless_rebuild(tmp_path: Path) -> None:
    corpus = copy_corpus(tmp_path)
    index = tmp_path / "index"
    update_index(corpus, index)
    meta_path = layout.current_dir(index) / layout.META
    meta = json.loads(meta_path.read_text())
    meta["schema_version"] = -1
    meta_path.write_text(json.dumps(meta))
    with pytest.raises(SchemaVersionError, match=r"--rebuild"):
        update_index(corpus, index)
    summary = update_index(corpus, index, rebuild=True)
    assert summary.rebuilt
    with open_index(index) as ix:
        assert ix.meta["schema_version"] != -1


def test_meta_records_counts_corpus_and_schema(tmp_path: Path) -> None:
    from searchfic.engine.schema import SCHEMA_VERSION

    corpus = copy_corpus(tmp_path)
    index = tmp_path / "index"
    update_index(corpus, index)
    with open_index(index) as ix:
        meta = ix.meta
    assert meta["schema_version"] == SCHEMA_VERSION
    assert meta["corpus"] == str(corpus.resolve())
    assert meta["counts"]["stories"] == 5
    assert meta["counts"]["files"] == 7
    assert meta["counts"]["skipped"] == {".png": 1}
    assert meta["created"]


def test_rebuild_writes_a_fresh_generation_with_the_same_stories(tmp_path: Path) -> None:
    corpus = copy_corpus(tmp_path)
    index = tmp_path / "index"
    update_index(corpus, index)
    before = records(index)
    summary = update_index(corpus, index, rebuild=True)
    assert summary.rebuilt and summary.unchanged == 6
    assert records(index) == before


def test_generation_without_manifest_is_rebuilt_not_duplicated(tmp_path: Path) -> None:
    corpus = copy_corpus(tmp_path)
    index = tmp_path / "index"
    update_index(corpus, index)
    (layout.current_dir(index) / layout.MANIFEST).unlink()
    summary = update_index(corpus, index)
    assert summary.rebuilt
    assert len(records(index)) == 5
    with open_index(index) as ix, ix.searcher() as s:
        assert s.doc_count() == 5
