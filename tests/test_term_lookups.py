"""Term lookups from one TermInfo probe per segment agree with Whoosh's own doc_frequency
and postings, on an index of several segments with deleted documents."""

from __future__ import annotations

import json
import random
from typing import Any

import numpy as np
import pytest
from engine_support import load_stories

from searchfic.engine import layout, search
from searchfic.engine.schema import SCHEMA_VERSION, build_schema, to_document
from searchfic.engine.scoring import (
    SMALL_FIELDS,
    TermCache,
    fetch_positions,
    positions_in,
    read_infos,
    read_postings,
)
from searchfic.engine.store import open_index
from searchfic.request import SearchRequest


@pytest.fixture(scope="module")
def index(tmp_path_factory):
    from whoosh import index as whoosh_index

    stories = load_stories()
    index_dir = tmp_path_factory.mktemp("segments")
    name = layout.next_name(index_dir)
    gen = layout.generations_dir(index_dir) / name
    gen.mkdir(parents=True)
    ix = whoosh_index.create_in(str(gen), build_schema(), indexname=layout.WHOOSH_INDEX_NAME)
    third = max(1, len(stories) // 3)
    for part in (stories[:third], stories[third : 2 * third], stories[2 * third :]):
        w = ix.writer()
        for story in part:
            w.add_document(**to_document(story))
        w.commit(merge=False)
    w = ix.writer()
    for story in stories[::4]:  # deletions in every segment
        w.delete_by_term("id", story.id)
    w.commit(merge=False)
    (gen / layout.META).write_text(
        json.dumps({"schema_version": SCHEMA_VERSION, "aliases": {}}), encoding="utf-8"
    )
    layout.publish(index_dir, name)
    opened = open_index(index_dir)
    yield opened
    opened.close()


def _terms(reader):
    fields = ["body", "body_stem", *sorted(SMALL_FIELDS)]
    out = []
    for f in fields:
        words = [b.decode("utf-8") for b in reader.lexicon(f)]
        out += [(f, w) for w in words[::2]]
    return out


def test_the_index_has_several_segments_and_deletions(index):
    with index.searcher() as s:
        r = s.reader()
        assert len(r.leaf_readers()) >= 3
        assert r.doc_count() < r.doc_count_all()


def test_df_and_postings_equal_whoosh_for_every_field(index):
    with index.searcher() as s:
        r = s.reader()
        cache = TermCache()
        checked = 0
        for fieldname, text in _terms(r):
            assert cache.df(r, fieldname, text) == r.doc_frequency(fieldname, text)
            ids, weights = cache.postings(r, fieldname, text)
            assert ids.size == r.doc_frequency(fieldname, text)  # deleted ones included
            want_ids, want_w = [], []
            if ids.size:
                m = r.postings(fieldname, text)  # Whoosh leaves deleted documents out
                while m.is_active():
                    want_ids.append(m.id())
                    want_w.append(m.weight())
                    m.next()
            live = np.array([not r.is_deleted(d) for d in ids.tolist()], dtype=bool)
            assert ids[live].tolist() == want_ids
            assert np.allclose(weights[live], want_w)
            checked += 1
        assert checked > 100


def test_absent_words_cost_no_probe_and_have_no_postings(index):
    with index.searcher() as s:
        r = s.reader()
        cache = TermCache()
        for fieldname in ("title", "t_tag", "f_pairing", "body"):
            assert cache.df(r, fieldname, "zzqxnotaword") == 0
            assert r.doc_frequency(fieldname, "zzqxnotaword") == 0
            ids, _w = cache.postings(r, fieldname, "zzqxnotaword")
            assert ids.size == 0
        assert cache.infos(r, "no_such_field", "x") == ()


def test_read_postings_without_infos_reads_the_same(index):
    with index.searcher() as s:
        r = s.reader()
        for fieldname, text in _terms(r)[:50]:
            a = read_postings(r, fieldname, text)
            b = read_postings(r, fieldname, text, read_infos(r, fieldname, text))
            assert a[0].tolist() == b[0].tolist() and a[1].tolist() == b[1].tolist()


def test_positions_from_cached_infos_equal_a_fresh_probe(index):
    with index.searcher() as s:
        r = s.reader()
        cache = TermCache()
        terms = [t for t in _terms(r) if r.schema[t[0]].format.supports("positions")]
        assert {"body", "title"} <= {f for f, _t in terms}
        for fieldname, text in terms[:: max(1, len(terms) // 60)]:
            infos = dict(cache.infos(r, fieldname, text))
            for si, (leaf, _base) in enumerate(r.leaf_readers()):
                docs = np.arange(leaf.doc_count_all(), dtype=np.int64)
                a = fetch_positions(leaf, fieldname, text, docs)
                b = fetch_positions(leaf, fieldname, text, docs, cache, infos.get(si))
                assert a.docs.tolist() == b.docs.tolist()
                assert a.positions.tolist() == b.positions.tolist()
                assert a.weights.tolist() == b.weights.tolist()
            every = np.arange(r.doc_count_all(), dtype=np.int64)
            assert positions_in(r, fieldname, text, every) == positions_in(
                r, fieldname, text, every, cache
            )


@pytest.fixture(scope="module")
def many_blocks(tmp_path_factory: Any) -> Any:
    """A plain Whoosh index of 3 segments, 40 short texts each, blocks of 5 postings."""
    from whoosh import fields
    from whoosh import index as whoosh_index
    from whoosh.codec.whoosh3 import W3Codec

    rng = random.Random(11)
    vocab = [f"w{i}" for i in range(30)]
    ix = whoosh_index.create_in(
        str(tmp_path_factory.mktemp("blocks")), fields.Schema(body=fields.TEXT(phrase=True))
    )
    for _seg in range(3):
        w = ix.writer(codec=W3Codec(blocklimit=5))
        for _d in range(40):
            w.add_document(body=" ".join(rng.choices(vocab, k=rng.randint(1, 40))))
        w.commit(merge=False)
    yield ix
    ix.close()


def test_positions_found_through_kept_block_directories_equal_a_walk(many_blocks: Any) -> None:
    rng = random.Random(7)
    with many_blocks.searcher() as s:
        r = s.reader()
        leaves = r.leaf_readers()
        assert len(leaves) == 3
        cache = TermCache()
        for n in range(30):
            text = f"w{n}"
            if n % 2:
                cache.postings(r, "body", text)  # reading postings keeps directories
            infos = dict(cache.infos(r, "body", text))
            for si, (leaf, _base) in enumerate(leaves):
                for _round in range(3):  # a walk, then the kept directory (if any)
                    k = rng.randint(1, 40)
                    docs = np.array(sorted(rng.sample(range(40), k)), dtype=np.int64)
                    a = fetch_positions(leaf, "body", text, docs)
                    b = fetch_positions(leaf, "body", text, docs, cache, infos.get(si))
                    assert a.docs.tolist() == b.docs.tolist()
                    assert a.positions.tolist() == b.positions.tolist()
                    assert a.offsets.tolist() == b.offsets.tolist()
                    assert a.weights.tolist() == b.weights.tolist()
        kept = cache._dirs.values()
        assert len(kept) > 45 and min(d.starts.size for d in kept) > 1


def test_a_cache_of_one_call_builds_no_vocabulary(index):
    with index.searcher() as s:
        cache = TermCache(shared=False)
        cache.df(s.reader(), "title", "zzqxnotaword")
        assert cache._vocab == {}


def test_search_skips_deleted_stories(index):
    deleted = {st.id for st in load_stories()[::4]}
    with index.searcher() as s:
        word = next(b.decode("utf-8") for b in s.reader().lexicon("body") if len(b) > 3)
    resp = search.run(index, SearchRequest(q=word, per_page=100))
    assert resp.total > 0
    assert not deleted & {h.id for h in resp.results}


def test_field_lengths_read_at_once_equal_whoosh_per_document(index):
    from searchfic.engine.scoring import read_lengths

    with index.searcher() as s:
        r = s.reader()
        for fieldname in ("body", "body_stem", "title", "t_tag", "f_pairing", "summary"):
            want = [r.doc_field_length(d, fieldname, 0) or 0 for d in range(r.doc_count_all())]
            assert read_lengths(r, fieldname).tolist() == [float(v) for v in want]


def test_kept_block_directories_stay_within_their_budget(monkeypatch: pytest.MonkeyPatch) -> None:
    from searchfic.engine import scoring

    monkeypatch.setattr(scoring, "MAX_CACHED_DIRECTORY_BYTES", 5_000)
    cache = TermCache()
    for n in range(50):
        blocks = np.arange(n % 7 + 1, dtype=np.int64)
        cache.keep_directory((1, "body", f"w{n}"), scoring.BlockDirectory(blocks, blocks, blocks))
    assert cache._dirs.held <= 5_000
    assert cache._dirs.held == sum(scoring._directory_bytes(d) for d in cache._dirs.values())
    assert cache.directory((1, "body", "w49")) is not None
    assert cache.directory((1, "body", "w0")) is None


def test_bounded_lru_drops_the_least_recently_used_first_and_keeps_the_newest() -> None:
    from searchfic.engine.scoring import BoundedLru

    lru = BoundedLru(10)
    lru.put("a", 1, 4)
    lru.put("b", 2, 4)
    assert lru.get("a") == 1  # "b" is now the least recently used
    lru.put("c", 3, 4)
    assert lru.get("b") is None and lru.get("a") == 1 and lru.get("c") == 3
    lru.put("c", 99, 4)  # a value kept first stays
    assert lru.get("c") == 3 and lru.held == 8
    lru.put("huge", 4, 50)  # over the budget alone: kept, everything else dropped
    assert lru.values() == [4] and lru.held == 50


def test_term_infos_from_the_mapped_term_tables_equal_whoosh_lookups(tmp_path) -> None:
    from whoosh import index as whoosh_index

    from searchfic.engine.codec import SfCodec
    from searchfic.engine.scoring import TermTable

    stories = load_stories()
    ix = whoosh_index.create_in(str(tmp_path), build_schema())
    for part in (stories[::2], stories[1::2]):  # loose files, two segments
        w = ix.writer(compound=False, codec=SfCodec())
        for story in part:
            w.add_document(**to_document(story))
        w.commit(merge=False)
    with ix.searcher() as s:
        r = s.reader()
        tables: dict = {}
        terms = _terms(r)
        absent = [(f, w + "qzx") for f, w in terms[::7]] + [("no_such_field", "x")]
        for fieldname, text in terms + absent:
            got = read_infos(r, fieldname, text, tables)
            want = read_infos(r, fieldname, text)
            assert [si for si, _ in got] == [si for si, _ in want], (fieldname, text)
            for (_, a), (_, b) in zip(got, want, strict=True):
                assert vars(a) == vars(b)
        assert len(tables) == 2 and all(isinstance(t, TermTable) for t in tables.values())
