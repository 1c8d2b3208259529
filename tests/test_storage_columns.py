"""Records and bodies live in column fields (schema 4): they round-trip, and a v2 index
is refused with the rebuild message."""

from __future__ import annotations

import dataclasses
import json

import pytest
from engine_support import build_index, load_stories

from searchfic.engine import layout, search
from searchfic.engine.schema import SCHEMA_VERSION, build_schema, unpack_body, unpack_record
from searchfic.engine.store import column_bytes, open_index
from searchfic.errors import SchemaVersionError
from searchfic.request import SearchHit, SearchRequest


@pytest.fixture(scope="module")
def stories():
    return load_stories()


@pytest.fixture(scope="module")
def index(tmp_path_factory, stories):
    ix = open_index(build_index(tmp_path_factory.mktemp("columns"), stories))
    yield ix
    ix.close()


def test_record_and_body_are_column_fields_not_stored_fields():
    schema = build_schema()
    for name in ("record", "body_z"):
        assert schema[name].column_type is not None
        assert not schema[name].stored
    assert [n for n in schema.names() if schema[n].stored] == ["id"]


def test_every_record_and_body_round_trips_through_the_columns(index, stories):
    by_id = {s.id: s for s in stories}
    with index.searcher() as s:
        reader = s.reader()
        assert reader.has_column("record") and reader.has_column("body_z")
        for docnum, stored in reader.iter_docs():
            assert set(stored) == {"id"}
            story = by_id[stored["id"]]
            rec = unpack_record(column_bytes(s, "record", docnum))
            assert rec["id"] == story.id and rec["title"] == story.title
            assert "body" not in rec
            assert unpack_body(column_bytes(s, "body_z", docnum)) == story.body


def test_get_story_returns_the_record_and_the_whole_body(index, stories):
    for story in stories:
        got = search.get_story(index, story.id)
        assert got.body == story.body
        assert got.title == story.title and got.authors == story.authors
        assert got == dataclasses.replace(story, copies=got.copies)


def test_the_stored_record_reads_back_as_the_json_story_record(index, stories):
    by_id = {s.id: s for s in stories}
    with index.searcher() as s:
        for docnum, stored in s.reader().iter_docs():
            rec = unpack_record(column_bytes(s, "record", docnum))
            expected = by_id[stored["id"]].to_record(body=False)
            assert rec == {**expected, "copies": rec["copies"]}
            assert json.loads(json.dumps(rec)) == rec


def test_a_hit_built_from_its_fields_equals_one_built_field_by_field(index, stories):
    resp = search.run(index, SearchRequest(q="", per_page=100, with_facets=False))
    assert resp.results
    for hit in resp.results:
        values = {f.name: getattr(hit, f.name) for f in dataclasses.fields(SearchHit)}
        built = SearchHit(**values)
        assert hit == built and hash(hit) == hash(built) and repr(hit) == repr(built)
        assert hit.to_dict() == built.to_dict()
        with pytest.raises(dataclasses.FrozenInstanceError):
            hit.title = "changed"  # type: ignore[misc]
        story = next(s for s in stories if s.id == hit.id)
        assert (hit.title, hit.authors, hit.tags, hit.words) == (
            story.title,
            story.authors,
            story.tags,
            story.words,
        )


def test_hits_and_snippets_come_from_the_columns(index, stories):
    story = next(s for s in stories if len(s.body.split()) > 20)
    word = max(story.body.split()[:20], key=len).strip(".,;:!?\"'")
    resp = search.run(index, SearchRequest(q=word, with_snippets=True, per_page=50))
    hit = next(h for h in resp.results if h.id == story.id)
    assert hit.title == story.title and hit.snippets
    assert any("<mark>" in snip for snip in hit.snippets)


def test_an_older_schema_index_is_refused_with_the_rebuild_message(tmp_path, stories):
    assert SCHEMA_VERSION == 4
    build_index(tmp_path, stories[:2])
    gen = layout.current_dir(tmp_path)
    assert gen is not None
    meta_path = gen / layout.META
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    meta["schema_version"] = 3
    meta_path.write_text(json.dumps(meta), encoding="utf-8")
    with pytest.raises(SchemaVersionError, match=r"schema 3 .*searchfic index --rebuild"):
        open_index(tmp_path)


def _same_as_whoosh(ix) -> list[bool]:
    from searchfic.engine.store import _Column

    direct: list[bool] = []
    with ix.searcher() as s:
        reader = s.reader()
        for fieldname in ("record", "body_z"):
            col = _Column(reader, fieldname)
            direct.extend(d is not None for d in col._direct)
            whoosh_col = reader.column_reader(fieldname, translate=False)
            for docnum in range(reader.doc_count_all()):
                assert col[docnum] == bytes(whoosh_col[docnum])
    return direct


def test_column_values_read_by_position_equal_whoosh_reads(tmp_path):
    from indexing_support import copy_corpus

    from searchfic.engine.indexer import update_index

    corpus = copy_corpus(tmp_path)
    update_index(corpus, tmp_path / "index")
    with open_index(tmp_path / "index") as ix:
        assert all(_same_as_whoosh(ix))  # loose column files: one pread a value


def test_columns_of_a_compound_segment_are_read_by_whoosh(index):
    assert not any(_same_as_whoosh(index))  # in-memory buffers: no file to pread


def test_a_searcher_goes_back_to_the_pool_after_an_error(index):
    with pytest.raises(RuntimeError), index.searcher() as s:
        first = s
        raise RuntimeError("request failed")
    with index.searcher() as s:
        assert s is first
