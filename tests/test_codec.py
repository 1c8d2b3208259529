"""searchfic's postings codec: array blocks that read back exactly what was written, by
our bulk writer and through Whoosh's own per-posting writer alike, and that Whoosh's own
matchers, phrase queries and merges read as they read their own."""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from whoosh import fields, index, query
from whoosh.analysis import RegexTokenizer
from whoosh.codec.whoosh3 import W3Codec
from whoosh.filedb.filestore import RamStorage

from searchfic.engine.codec import (
    Block,
    RawPositions,
    SfCodec,
    SfLeafMatcher,
    TermBlocks,
    encode_block,
    positions_payload,
    read_heads,
    select_positions,
    write_terms,
)

FMT = RawPositions()


def _positions_lists(rng: random.Random, n: int, wide: bool) -> list[list[int]]:
    out = []
    for _ in range(n):
        p = rng.randrange(0, 300_000 if wide else 500)
        ps = [p]
        for _ in range(rng.choice([0, 0, 0, 1, 2, 7, 40])):
            p += rng.randrange(1, 90_000 if wide and rng.random() < 0.2 else 30)
            ps.append(p)
        out.append(ps)
    return out


@pytest.mark.parametrize("wide", [False, True])
@pytest.mark.parametrize(
    "weights_kind", ["ones", "constant", "whole", "fractional"], ids=lambda k: k
)
def test_a_block_reads_back_its_ids_weights_and_positions(wide: bool, weights_kind: str) -> None:
    rng = random.Random(hash((wide, weights_kind)) & 0xFFFF)
    n = 128
    gaps = [rng.randrange(1, 100_000 if wide else 40) for _ in range(n)]
    ids = np.cumsum(gaps).astype(np.int64)
    weights = {
        "ones": np.ones(n),
        "constant": np.full(n, 1.5),
        "whole": np.array([float(rng.randrange(1, 900)) for _ in range(n)]),
        "fractional": np.array([rng.randrange(1, 90) * 1.5 for _ in range(n)]),
    }[weights_kind]
    lists = _positions_lists(rng, n, wide)
    counts = np.array([len(x) for x in lists])
    deltas = np.array([d for x in lists for d in np.diff(x, prepend=0)])
    vcode, payload = positions_payload(counts, deltas)
    blk = Block(encode_block(ids, weights, vcode, payload, 1), n)
    assert blk.ids.tolist() == ids.tolist()
    assert blk.weights.tolist() == weights.astype(np.float32).astype(np.float64).tolist()
    offsets, positions = blk.positions()
    assert [positions[offsets[k] : offsets[k + 1]].tolist() for k in range(n)] == lists
    assert [FMT.decode_positions(v) for v in blk.values(n, None)] == lists


def _segment(storage: Any, schema: Any) -> Any:
    codec = SfCodec()
    return codec, codec.new_segment(storage, "t")


def _read_back(storage: Any, codec: Any, segment: Any, schema: Any) -> dict[Any, Any]:
    terms = codec.terms_reader(storage, segment)
    out = {}
    for fieldname, btext in terms.terms():
        info = terms.term_info(fieldname, btext)
        m = terms.matcher(fieldname, btext, schema[fieldname].format)
        rows = []
        while m.is_active():
            rows.append((m.id(), m.weight(), m.value()))
            m.next()
        out[(fieldname, btext)] = (
            rows,
            (info.weight(), info.doc_frequency(), info.min_length(), info.max_length()),
            (info.max_weight(), info.min_id(), info.max_id(), info.is_inlined()),
        )
    terms.close()
    return out


def test_bulk_written_terms_equal_terms_written_a_posting_at_a_time() -> None:
    rng = random.Random(5)
    schema = fields.Schema(
        body=fields.TEXT(analyzer=RegexTokenizer(r"[^ ]+"), phrase=True, field_boost=1.5)
    )
    schema["body"].format = RawPositions(field_boost=1.5)
    ndocs = 300_000
    lengths = np.array([rng.randrange(0, 5000) for _ in range(ndocs)], dtype=np.int64)
    terms: list[tuple[bytes, np.ndarray, list[list[int]]]] = []
    for k, df in enumerate([1, 3, 4, 5, 127, 128, 129, 300, 2, 1000]):
        ids = np.array(sorted(rng.sample(range(ndocs), df)), dtype=np.int64)
        terms.append((b"t%03d" % k, ids, _positions_lists(rng, df, wide=k % 2 == 1)))
    results = []
    for bulk in (True, False):
        storage = RamStorage()
        codec, segment = _segment(storage, schema)
        fw = codec.field_writer(storage, segment)
        fw.start_field("body", schema["body"])
        if bulk:
            all_ids = np.concatenate([t[1] for t in terms])
            lists = [x for t in terms for x in t[2]]
            counts = np.array([len(x) for x in lists], dtype=np.int64)
            bounds = np.cumsum([0] + [t[1].size for t in terms])
            deltas = np.array([d for x in lists for d in np.diff(x, prepend=0)], dtype=np.int64)
            write_terms(
                fw,
                [t[0] for t in terms],
                bounds,
                all_ids,
                counts * 1.5,
                lengths[all_ids],
                counts=counts,
                deltas=deltas,
            )
        else:
            for btext, ids, lists in terms:
                fw.start_term(btext)
                for d, ps in zip(ids.tolist(), lists, strict=True):
                    fw.add(d, len(ps) * 1.5, FMT.encode(ps), int(lengths[d]))
                fw.finish_term()
        fw.finish_field()
        fw.close()
        posts = storage.open_file(segment.make_filename(codec.POSTS_EXT)).read()
        results.append((posts, _read_back(storage, codec, segment, schema)))
    (bulk_bytes, bulk_terms), (one_bytes, one_terms) = results
    assert bulk_terms == one_terms
    assert bulk_bytes == one_bytes
    for btext, ids, lists in terms:
        rows = bulk_terms[("body", btext)][0]
        assert [r[0] for r in rows] == ids.tolist()
        assert [FMT.decode_positions(r[2]) for r in rows] == lists


def _small_index(folder: Path, codec: Any, texts: list[str]) -> Any:
    schema = fields.Schema(
        n=fields.ID(stored=True),
        body=fields.TEXT(analyzer=RegexTokenizer(r"[^ ]+"), phrase=True),
    )
    schema["body"].format = RawPositions()
    folder.mkdir()
    ix = index.create_in(str(folder), schema)
    for start in range(0, len(texts), 40):  # several segments
        w = ix.writer(codec=codec)
        for i in range(start, min(len(texts), start + 40)):
            w.add_document(n=str(i), body=texts[i])
        w.commit(merge=False)
    return ix


def _texts() -> list[str]:
    rng = random.Random(9)
    words = ["alpha", "beta", "gamma", "delta", "echo", "fox"]
    return [" ".join(rng.choice(words) for _ in range(rng.randrange(5, 400))) for _ in range(200)]


def _phrase_hits(ix: Any, words: list[str]) -> list[str]:
    with ix.searcher() as s:
        return sorted(h["n"] for h in s.search(query.Phrase("body", words), limit=None))


def test_whoosh_phrase_queries_and_merges_read_our_segments_as_their_own(tmp_path: Path) -> None:
    texts = _texts()
    ours = _small_index(tmp_path / "sf", SfCodec(), texts)
    theirs = _small_index(tmp_path / "w3", W3Codec(), texts)
    with ours.searcher() as s:
        m = s.reader().leaf_readers()[0][0].postings("body", "alpha")
        assert isinstance(m, SfLeafMatcher)
    expected = sorted(str(i) for i, t in enumerate(texts) if " beta gamma delta " in f" {t} ")
    assert _phrase_hits(ours, ["beta", "gamma", "delta"]) == expected
    assert _phrase_hits(theirs, ["beta", "gamma", "delta"]) == expected
    # Whoosh's merge reads our blocks through the matcher and writes them again
    w = ours.writer(codec=SfCodec())
    w.commit(optimize=True)
    merged = index.open_dir(str(tmp_path / "sf"))
    assert len(merged._segments()) == 1
    assert _phrase_hits(merged, ["beta", "gamma", "delta"]) == expected
    assert _phrase_hits(merged, ["fox", "fox", "fox"]) == _phrase_hits(theirs, ["fox"] * 3)


def test_selected_postings_decode_to_the_same_positions_as_the_whole_block() -> None:
    rng = random.Random(11)
    lists = _positions_lists(rng, 300, wide=True)
    counts = np.array([len(x) for x in lists])
    deltas = np.array([d for x in lists for d in np.diff(x, prepend=0)], dtype=np.int64)
    offsets = np.zeros(counts.size + 1, dtype=np.int64)
    np.cumsum(counts, out=offsets[1:])
    for picked in ([0], [299], [3, 4, 5, 200], sorted(rng.sample(range(300), 77))):
        idx = np.array(picked)
        got_counts, got = select_positions(offsets, deltas, idx)
        assert got_counts.tolist() == [len(lists[i]) for i in picked]
        assert got.tolist() == [p for i in picked for p in lists[i]]


def test_a_term_read_whole_equals_its_blocks_read_by_the_matcher(tmp_path: Path) -> None:
    texts = _texts()
    ix = _small_index(tmp_path / "sf", SfCodec(blocklimit=8), texts)
    with ix.searcher() as s:
        leaf = s.reader().leaf_readers()[0][0]
        for word in ("alpha", "fox"):
            info = leaf.term_info("body", word)
            offset, length = info.extent()
            length = length[0] if isinstance(length, tuple) else length
            tb = TermBlocks(leaf._terms._postfile.get(offset, length), offset)
            m = leaf.postings("body", word)
            ids, weights, positions = [], [], []
            while m.is_active():
                ids.append(m.id())
                weights.append(m.weight())
                positions.append(FMT.decode_positions(m.value()))
                m.next()
            assert len(tb.maxids) > 1  # several blocks
            assert tb.ids.tolist() == ids
            assert tb.weights.tolist() == weights
            offsets, deltas = tb.raw_positions()
            _counts, flat = select_positions(offsets, deltas, np.arange(len(ids)))
            assert flat.tolist() == [p for ps in positions for p in ps]


def test_reading_only_block_heads_gives_the_same_postings_as_reading_whole_blocks(
    tmp_path: Path,
) -> None:
    ix = _small_index(tmp_path / "sf", SfCodec(blocklimit=8), _texts())
    with ix.searcher() as s:
        leaf = s.reader().leaf_readers()[0][0]
        for word in ("alpha", "delta", "fox"):
            info = leaf.term_info("body", word)
            offset, length = info.extent()
            length = length[0] if isinstance(length, tuple) else length
            postfile = leaf._terms._postfile
            tb = TermBlocks(postfile.get(offset, length), offset)
            ids, weights, starts, maxids, sizes = read_heads(postfile, offset, length)
            assert ids.tolist() == tb.ids.tolist()
            assert weights.tolist() == tb.weights.tolist()
            assert starts.tolist() == tb.starts.tolist()
            assert maxids.tolist() == tb.maxids.tolist()
            assert sizes.tolist() == tb.sizes.tolist()
