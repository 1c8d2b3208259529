"""Several files of one story are one document: the newest copy wins, the others are copies."""

from __future__ import annotations

import os
from pathlib import Path

from indexing_support import bump_mtime, copy_corpus, records

from searchfic.engine.indexer import update_index
from searchfic.engine.inventory import check_index


def _by_id(index: Path) -> dict[str, dict]:
    return {r["id"]: r for r in records(index).values()}


def test_same_url_copies_are_one_document_newest_updated_wins(tmp_path: Path) -> None:
    corpus = copy_corpus(tmp_path)
    s = update_index(corpus, tmp_path / "index")
    assert s.added == 6 and s.stories == 5  # counted per file, stored per story
    recs = records(tmp_path / "index")
    assert "classics/lamplighter_old_copy.txt" not in recs
    win = recs["classics/lamplighter.txt"]
    assert win["updated"] == "2009-05-02"
    assert win["copies"] == ["classics/lamplighter_old_copy.txt"]


def test_deleting_the_winner_promotes_the_next_copy(tmp_path: Path) -> None:
    corpus = copy_corpus(tmp_path)
    index = tmp_path / "index"
    update_index(corpus, index)
    sid = records(index)["classics/lamplighter.txt"]["id"]
    (corpus / "classics/lamplighter.txt").unlink()
    s = update_index(corpus, index)
    assert (s.removed, s.unchanged, s.stories) == (1, 5, 5)
    rec = _by_id(index)[sid]
    assert rec["source"] == "classics/lamplighter_old_copy.txt"
    assert rec["updated"] == "2008-11-20"
    assert rec["copies"] == []
    assert check_index(corpus, index).in_step


def test_newer_copy_added_later_takes_over(tmp_path: Path) -> None:
    corpus = copy_corpus(tmp_path)
    index = tmp_path / "index"
    update_index(corpus, index)
    text = (corpus / "classics/lamplighter.txt").read_text(encoding="utf-8")
    (corpus / "lamplighter_2012.txt").write_text(
        text.replace("UPDATED: 2009-05-02", "UPDATED: 2012-01-15"), encoding="utf-8"
    )
    s = update_index(corpus, index)
    assert (s.added, s.stories) == (1, 5)
    recs = records(index)
    assert recs["lamplighter_2012.txt"]["copies"] == [
        "classics/lamplighter.txt",
        "classics/lamplighter_old_copy.txt",
    ]
    assert "classics/lamplighter.txt" not in recs
    assert check_index(corpus, index).in_step


def test_same_text_without_url_is_one_story_newest_mtime_wins(tmp_path: Path) -> None:
    corpus = copy_corpus(tmp_path)
    index = tmp_path / "index"
    src = corpus / "classics/mill_days.txt"
    copy = corpus / "mirror/mill_days_crlf.txt"
    copy.parent.mkdir()
    copy.write_bytes(src.read_bytes().replace(b"\n", b"\r\n"))
    st = src.stat()
    os.utime(copy, ns=(st.st_atime_ns, st.st_mtime_ns + 10**9))
    update_index(corpus, index)
    recs = records(index)
    assert "classics/mill_days.txt" not in recs
    assert recs["mirror/mill_days_crlf.txt"]["copies"] == ["classics/mill_days.txt"]
    # the other copy touched so that it becomes the newest file: it wins now
    bump_mtime(src, 100)
    s = update_index(corpus, index)
    assert s.unchanged == 7  # same bytes, only the mtime moved
    recs = records(index)
    assert recs["classics/mill_days.txt"]["copies"] == ["mirror/mill_days_crlf.txt"]
    assert "mirror/mill_days_crlf.txt" not in recs
    assert check_index(corpus, index).in_step


def test_copies_with_equal_dates_and_mtime_fall_back_to_path_order(tmp_path: Path) -> None:
    corpus = copy_corpus(tmp_path)
    index = tmp_path / "index"
    src = corpus / "fr/village.txt"
    for name in ("b_copy.txt", "a_copy.txt"):
        (corpus / name).write_bytes(src.read_bytes())
    st = src.stat()
    for name in ("b_copy.txt", "a_copy.txt", "fr/village.txt"):
        os.utime(corpus / name, ns=(st.st_atime_ns, st.st_mtime_ns))
    update_index(corpus, index)
    recs = records(index)
    assert recs["a_copy.txt"]["copies"] == ["b_copy.txt", "fr/village.txt"]
    assert "b_copy.txt" not in recs and "fr/village.txt" not in recs


def test_story_record_and_reader_page_list_the_other_copies(tmp_path: Path) -> None:
    from searchfic.webapp import create_app

    corpus = copy_corpus(tmp_path)
    index = tmp_path / "index"
    update_index(corpus, index)
    sid = records(index)["classics/lamplighter.txt"]["id"]
    app = create_app({"INDEX_DIR": str(index), "CORPUS": str(corpus)})
    with app.test_client() as client:
        record = client.get(f"/api/v1/stories/{sid}").get_json()
        page = client.get(f"/stories/{sid}").get_data(as_text=True)
    assert record["source"] == "classics/lamplighter.txt"
    assert record["copies"] == ["classics/lamplighter_old_copy.txt"]
    assert "Other copies" in page and "classics/lamplighter_old_copy.txt" in page
