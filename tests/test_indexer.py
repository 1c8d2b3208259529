"""Incremental updates: new, changed, moved, deleted, touched and broken files."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from indexing_support import CORPUS_SMALL, bump_mtime, copy_corpus, manifest, records

from searchfic.engine import indexer, layout
from searchfic.engine.indexer import update_index
from searchfic.errors import CorpusError


@pytest.fixture()
def built(tmp_path: Path) -> tuple[Path, Path]:
    corpus = copy_corpus(tmp_path)
    index = tmp_path / "index"
    update_index(corpus, index)
    return corpus, index


def test_first_build_adds_every_story_and_reports_the_broken_file(tmp_path: Path) -> None:
    corpus = copy_corpus(tmp_path)
    s = update_index(corpus, tmp_path / "index")
    assert (s.added, s.updated, s.removed, s.unchanged) == (6, 0, 0, 0)
    assert [f.source for f in s.failed] == ["broken.epub"]
    assert "zip" in s.failed[0].error
    assert s.stories == 5  # two files of one story are one document
    d = s.to_dict()
    assert set(d) >= {"added", "updated", "removed", "unchanged", "failed"}
    assert d["failed"] == [{"source": "broken.epub", "error": s.failed[0].error}]


def test_a_file_over_the_size_limit_is_reported_and_never_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import searchfic.ingest as ingest

    corpus = copy_corpus(tmp_path)
    big = corpus / "big.txt"
    big.write_text("Title: Big\n\n" + "word " * 5000, encoding="utf-8")
    monkeypatch.setattr(ingest, "MAX_FILE_BYTES", 20_000)
    read = Path.read_bytes

    def guarded(self: Path) -> bytes:
        assert self.name != "big.txt", "the oversized file was read"
        return read(self)

    monkeypatch.setattr(Path, "read_bytes", guarded)
    s = update_index(corpus, tmp_path / "index", workers=1)
    failed = {f.source: f.error for f in s.failed}
    assert "too large" in failed["big.txt"]
    assert s.stories == 5


def test_readme_dotfiles_and_other_endings_are_not_read(built: tuple[Path, Path]) -> None:
    corpus, index = built
    assert set(manifest(index)) == {
        "broken.epub",
        "classics/lamplighter.txt",
        "classics/lamplighter_old_copy.txt",
        "classics/mill_days.txt",
        "fr/village.txt",
        "svu/courtroom_rain.txt",
        "svu/ward_cases.txt",
    }


def test_new_file_is_added(built: tuple[Path, Path]) -> None:
    corpus, index = built
    text = (corpus / "fr/village.txt").read_text(encoding="utf-8")
    (corpus / "fr/village2.txt").write_text(
        text.replace("TITLE: Le Village", "TITLE: Le Second Village").replace("soleil", "lune"),
        encoding="utf-8",
    )
    s = update_index(corpus, index)
    assert (s.added, s.updated, s.removed, s.unchanged) == (1, 0, 0, 6)
    assert records(index)["fr/village2.txt"]["title"] == "Le Second Village"


def test_changed_file_is_updated_and_its_new_text_indexed(built: tuple[Path, Path]) -> None:
    corpus, index = built
    p = corpus / "classics/mill_days.txt"
    p.write_text(p.read_text(encoding="utf-8").replace("Mill Days", "Mill Nights"), "utf-8")
    bump_mtime(p)
    s = update_index(corpus, index)
    assert (s.added, s.updated, s.removed, s.unchanged) == (0, 1, 0, 5)
    recs = records(index)
    assert recs["classics/mill_days.txt"]["title"] == "Mill Nights"
    assert len(recs) == 5


def test_deleted_file_is_removed(built: tuple[Path, Path]) -> None:
    corpus, index = built
    (corpus / "svu/ward_cases.txt").unlink()
    s = update_index(corpus, index)
    assert (s.added, s.updated, s.removed, s.unchanged) == (0, 0, 1, 5)
    assert "svu/ward_cases.txt" not in records(index)


def test_moved_file_keeps_its_id_and_counts_as_updated(built: tuple[Path, Path]) -> None:
    corpus, index = built
    old_id = records(index)["svu/ward_cases.txt"]["id"]
    (corpus / "archive").mkdir()
    shutil.move(corpus / "svu/ward_cases.txt", corpus / "archive/ward.txt")
    s = update_index(corpus, index)
    assert (s.added, s.updated, s.removed, s.unchanged) == (0, 1, 0, 5)
    recs = records(index)
    assert recs["archive/ward.txt"]["id"] == old_id
    assert "svu/ward_cases.txt" not in recs


def test_touched_file_is_unchanged(built: tuple[Path, Path]) -> None:
    corpus, index = built
    bump_mtime(corpus / "fr/village.txt", 60)
    s = update_index(corpus, index)
    assert (s.added, s.updated, s.removed, s.unchanged) == (0, 0, 0, 6)
    # the new stat is remembered, so the next run does not even hash it
    st = (corpus / "fr/village.txt").stat()
    assert manifest(index)["fr/village.txt"]["mtime_ns"] == st.st_mtime_ns


def test_file_with_same_size_and_mtime_is_not_reread(built: tuple[Path, Path]) -> None:
    corpus, index = built
    p = corpus / "classics/mill_days.txt"
    st = p.stat()
    text = p.read_text(encoding="utf-8")
    p.write_text(text.replace("Mill Days", "Mill Ways"), encoding="utf-8")  # same length
    os.utime(p, ns=(st.st_atime_ns, st.st_mtime_ns))
    s = update_index(corpus, index)
    assert s.unchanged == 6 and s.updated == 0
    assert records(index)["classics/mill_days.txt"]["title"] == "Mill Days"


def test_broken_file_is_listed_again_while_still_broken(built: tuple[Path, Path]) -> None:
    corpus, index = built
    p = corpus / "classics/mill_days.txt"
    p.write_text(p.read_text(encoding="utf-8") + "\nOne more line.\n", encoding="utf-8")
    bump_mtime(p)
    s = update_index(corpus, index)
    assert [f.source for f in s.failed] == ["broken.epub"]
    assert s.updated == 1


def test_file_that_breaks_leaves_the_index_and_the_rest_goes_on(
    built: tuple[Path, Path],
) -> None:
    corpus, index = built
    p = corpus / "fr/village.txt"
    p.write_bytes(b"%PDF-1.4 not a story any more")
    (corpus / "new.txt").write_text(
        (CORPUS_SMALL / "svu/ward_cases.txt")
        .read_text(encoding="utf-8")
        .replace("Ward Cases", "Night Shift")
        .replace("the", "a"),
        encoding="utf-8",
    )
    s = update_index(corpus, index)
    assert sorted(f.source for f in s.failed) == ["broken.epub", "fr/village.txt"]
    assert s.added == 1
    recs = records(index)
    assert "fr/village.txt" not in recs
    assert recs["new.txt"]["title"] == "Night Shift"
    # fixed again: the story is back, counted as added
    shutil.copy(CORPUS_SMALL / "fr/village.txt", p)
    bump_mtime(p, 30)
    s = update_index(corpus, index)
    assert s.added == 1 and "fr/village.txt" in records(index)


def test_missing_corpus_is_a_corpus_error(tmp_path: Path) -> None:
    with pytest.raises(CorpusError, match="no such corpus directory"):
        update_index(tmp_path / "nope", tmp_path / "index")
    assert layout.current_name(tmp_path / "index") is None


def test_many_files_parse_on_a_process_pool_with_the_same_result(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    template = (CORPUS_SMALL / "classics/mill_days.txt").read_text(encoding="utf-8")
    n = indexer.POOL_THRESHOLD + 6
    for i in range(n):
        (corpus / f"s{i:02d}.txt").write_text(
            template.replace("Mill Days", f"Mill Days {i}").replace("Cotton", f"Cotton {i}"),
            encoding="utf-8",
        )
    pooled = update_index(corpus, tmp_path / "pooled", workers=2)
    monkeypatch.setattr(indexer, "POOL_THRESHOLD", 10**9)
    inline = update_index(corpus, tmp_path / "inline")
    assert pooled.added == inline.added == n
    assert records(tmp_path / "pooled") == records(tmp_path / "inline")


def test_index_folder_inside_the_corpus_is_not_read(tmp_path: Path) -> None:
    from searchfic.engine.inventory import check_index, index_stats

    corpus = copy_corpus(tmp_path)
    index = corpus / "index"
    update_index(corpus, index)
    (corpus / "fr/village.txt").unlink()
    s = update_index(corpus, index)
    assert (s.removed, s.unchanged) == (1, 5)
    assert index_stats(index).skipped == {".png": 1}
    assert check_index(corpus, index).in_step


def test_failed_file_is_retried_by_a_new_searchfic_version(built: tuple[Path, Path]) -> None:
    import json

    corpus, index = built
    meta_path = layout.current_dir(index) / layout.META
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    meta["searchfic_version"] = "0.0.1"
    meta_path.write_text(json.dumps(meta), encoding="utf-8")
    s = update_index(corpus, index)
    assert [f.source for f in s.failed] == ["broken.epub"]  # parsed again, still broken
    assert s.unchanged == 6 and s.generation != meta["generation"]


def test_progress_reports_each_parsed_file(tmp_path: Path) -> None:
    corpus = copy_corpus(tmp_path)
    calls: list[tuple[int, int]] = []
    update_index(corpus, tmp_path / "index", progress=lambda d, t: calls.append((d, t)))
    assert calls[0] == (0, 7) and calls[-1] == (7, 7)
    assert [d for d, _ in calls] == list(range(8))
