"""The fast segment builder writes what Whoosh's own writer writes, term by term."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from engine_support import load_stories

from searchfic.engine import layout
from searchfic.engine.analysis import WordForms
from searchfic.engine.schema import build_schema, to_document
from searchfic.engine.segwriter import MAX_POSTINGS, SegmentBuilder


def _whoosh_index(folder: Path, docs: list[dict[str, Any]]) -> Any:
    from whoosh import index as windex

    folder.mkdir()
    ix = windex.create_in(str(folder), build_schema(), indexname=layout.WHOOSH_INDEX_NAME)
    w = ix.writer()
    for d in docs:
        w.add_document(**d)
    w.commit()
    return ix


def _built_index(folder: Path, docs: list[dict[str, Any]], **kwargs: Any) -> Any:
    from whoosh import index as windex

    folder.mkdir()
    ix = windex.create_in(str(folder), build_schema(), indexname=layout.WHOOSH_INDEX_NAME)
    b = SegmentBuilder.for_folder(str(folder), layout.WHOOSH_INDEX_NAME, **kwargs)
    for d in docs:
        b.add_document(d)
    segments = b.finish()
    w = ix.writer()
    w.commit(mergetype=lambda writer, segs: list(segs) + segments)
    return windex.open_dir(str(folder), indexname=layout.WHOOSH_INDEX_NAME)


def _dump(ix: Any) -> dict[str, Any]:
    """Every term's postings (doc, weight, value), lengths, stored fields and columns."""
    out: dict[str, Any] = {}
    with ix.searcher() as s:
        r = s.reader()
        postings = []  # in lexicon order: prefix and range queries walk it
        for fieldname, text in r.all_terms():
            m = r.postings(fieldname, text)
            rows = []
            while m.is_active():
                rows.append((m.id(), m.weight(), m.value()))
                m.next()
            ti = r.term_info(fieldname, text)
            postings.append(
                (
                    (fieldname, text),
                    rows,
                    (ti.min_length(), ti.max_length(), ti.weight(), ti.max_weight()),
                    (ti.doc_frequency(), ti.min_id(), ti.max_id()),
                )
            )
        out["postings"] = postings
        out["stored"] = [dict(r.stored_fields(n)) for n in range(r.doc_count_all())]
        out["lengths"] = {
            name: [r.doc_field_length(n, name) for n in range(r.doc_count_all())]
            for name in ix.schema.scorable_names()
        }
        out["field_lengths"] = {n: r.field_length(n) for n in ix.schema.scorable_names()}
        cols = {}
        for name in ix.schema.names():
            if ix.schema[name].column_type and r.has_column(name):
                cr = r.column_reader(name)
                cols[name] = [cr[n] for n in range(r.doc_count_all())]
        out["columns"] = cols
    return out


@pytest.fixture(scope="module")
def docs() -> list[dict[str, Any]]:
    return [to_document(s) for s in load_stories()]


def test_builder_segments_hold_exactly_what_whoosh_writes(
    tmp_path: Path, docs: list[dict[str, Any]]
) -> None:
    expected = _dump(_whoosh_index(tmp_path / "whoosh", docs))
    got = _dump(_built_index(tmp_path / "built", docs))
    assert got["stored"] == expected["stored"]
    assert got["columns"] == expected["columns"]
    assert got["lengths"] == expected["lengths"]
    assert got["field_lengths"] == expected["field_lengths"]
    assert [p[0] for p in got["postings"]] == [p[0] for p in expected["postings"]]
    assert got["postings"] == expected["postings"]


def test_builder_splits_segments_at_its_posting_limit_and_loses_nothing(
    tmp_path: Path, docs: list[dict[str, Any]]
) -> None:
    ix = _built_index(tmp_path / "built", docs, max_postings=50)
    toc_segments = ix._segments()
    assert len(toc_segments) == len(docs)  # every document overflows 50 postings
    expected = _dump(_whoosh_index(tmp_path / "whoosh", docs))
    got = _dump(ix)
    assert got["stored"] == expected["stored"]
    assert got["postings"] == expected["postings"]


def test_builder_writes_positions_and_frequencies_over_65535_as_whoosh_does(
    tmp_path: Path, docs: list[dict[str, Any]]
) -> None:
    # Blocks keep positions as 16-bit deltas until one does not fit: a term seen before
    # (in the first document) must keep its earlier postings when its block widens.
    long_docs = [dict(d) for d in docs[:3]]
    long_docs[0]["body"] += " alpha"
    long_docs[0]["body_stem"] += " runn"
    long_docs[1]["body"] += " " + " ".join(["alpha"] * 70_000) + " omega"
    long_docs[1]["body_stem"] += " " + " ".join(["runn"] * 70_000)
    expected = _dump(_whoosh_index(tmp_path / "whoosh", long_docs))
    got = _dump(_built_index(tmp_path / "built", long_docs))
    assert got["lengths"] == expected["lengths"]
    assert got["postings"] == expected["postings"]


def test_builder_writes_the_same_in_small_sort_passes_and_chunks(
    tmp_path: Path, docs: list[dict[str, Any]], monkeypatch: pytest.MonkeyPatch
) -> None:
    # A big segment is written a range of terms (and a chunk of positions) at a time:
    # the cuts between them must lose, repeat or reorder nothing.
    from searchfic.engine import segwriter

    monkeypatch.setattr(segwriter, "_PASS_POSTINGS", 7)
    monkeypatch.setattr(segwriter, "_CHUNK_POSITIONS", 5)
    monkeypatch.setattr(segwriter, "_CHUNK_POSTINGS", 3)
    expected = _dump(_whoosh_index(tmp_path / "whoosh", docs))
    got = _dump(_built_index(tmp_path / "built", docs))
    assert got["postings"] == expected["postings"]
    assert got["lengths"] == expected["lengths"]


@pytest.mark.parametrize("max_postings", [MAX_POSTINGS, 50])  # 50: a segment per document
def test_builder_takes_the_body_as_raw_words_and_writes_the_same(
    tmp_path: Path, docs: list[dict[str, Any]], max_postings: int
) -> None:
    as_forms = [to_document(s, for_builder=True) for s in load_stories()]
    assert isinstance(as_forms[0]["body"], WordForms)
    assert len({d["body"].language for d in as_forms}) > 1  # words stem by language
    expected = _dump(_whoosh_index(tmp_path / "whoosh", docs))
    got = _dump(_built_index(tmp_path / "built", as_forms, max_postings=max_postings))
    assert got["postings"] == expected["postings"]
    assert got["stored"] == expected["stored"]
    if max_postings == MAX_POSTINGS:  # (one segment per document lacks some fields' lengths)
        assert got["lengths"] == expected["lengths"]


def test_stable_order_is_numpys_stable_argsort_with_the_sorted_values() -> None:
    import numpy as np

    from searchfic.engine.segwriter import _stable_order

    rng = np.random.default_rng(6)
    for size, top in ((0, 1), (1, 1), (5_000, 40), (5_000, 2**31 - 1), (70_000, 3)):
        values = rng.integers(0, top, size, dtype=np.int32)
        order, ordered = _stable_order(values)
        assert order.tolist() == np.argsort(values, kind="stable").tolist()
        assert ordered.dtype == values.dtype
        assert ordered.tolist() == values[order].tolist()
