"""Match and score a parsed query over per-term numpy arrays (Whoosh's BM25F, in bulk).

Whoosh walks its matchers document by document in Python: a word query is an OR of a
dozen field terms, and matching, counting and ranking paid for every posting two or three
times. Here each term's postings are read once, block by block, into (docnums, weights)
arrays cached per generation; a query tree becomes a boolean mask and a score array over
all documents, with the same BM25F formula, idf and field lengths Whoosh uses, so ranks
do not change. Only phrases need positions: their candidates are the documents holding
every word (array intersections, rarest word first), and only those are checked.
"""

from __future__ import annotations

import contextlib
import math
import mmap
import struct
import threading
from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import chain
from typing import Any, cast

import numpy as np
from whoosh.codec.whoosh3 import W3TermInfo
from whoosh.filedb import filetables

from searchfic.engine.codec import (
    HASH_SLOT,
    KV_LENGTHS,
    Block,
    RawPositions,
    SfCodec,
    SfLeafMatcher,
    TermBlocks,
    md5_hash32,
    read_heads,
    restart_cumsum,
    select_positions,
)
from searchfic.engine.query import (
    And,
    Node,
    Not,
    Or,
    PairingMatch,
    Phrase,
    Prefix,
    QueryContext,
    Range,
    Word,
    expand_prefix,
    phrase_terms,
    word_terms,
)
from searchfic.engine.schema import FACET_ATTRS

K1 = 1.2
B = 0.75
RUN_BOOST = 2.0  # query.to_whoosh's boost of words typed together found together
MAX_CACHED_POSTINGS = 4_000_000  # docnums kept across all cached terms (~64 MB)
MAX_CACHED_BLOCK_BYTES = 16_000_000  # compressed bytes of decoded blocks kept (~2-4x in memory)
MAX_CACHED_INFOS = 100_000  # term lookups plus TermInfos kept (~30 MB at most)
MAX_CACHED_DIRECTORY_BYTES = 32_000_000  # block directories kept (see _directory_bytes)
MAX_CACHED_TERM_BYTES = 32_000_000  # terms read whole for their positions
#: A term's positions in a segment are read whole (one file read, one decoding) when the
#: documents wanted are at least this share of those holding it; else block by block.
WHOLE_TERM_SHARE = 0.25
#: Fields small enough to keep every term of in memory: a word missing from one of them
#: (most words, in most of them) costs no term-table probe at all.
SMALL_FIELDS = frozenset(
    {"title", "summary", "t_author", "t_fandom", "t_pairing", "t_character", "t_tag"}
    | {f"f_{name}" for name in FACET_ATTRS}
)
# Phrase candidates are the documents holding the rarest word; a next word is read whole
# (every posting) only while more than PHRASE_FEW are left and it is at most PHRASE_RATIO
# times as common as they are. Checking positions prunes far more than document sets do
# (two words side by side, not anywhere), and reads only the candidates' blocks: at 10k
# stories this took the p95 of quotes from 28 to 21 ms CPU (was 64 and 16).
PHRASE_FEW = 1000
PHRASE_RATIO = 2


#: (segment number, TermInfo) of each segment holding a term.
TermInfos = tuple[tuple[int, Any], ...]


class Unsupported(Exception):
    """A query part this evaluator does not handle (the caller falls back to Whoosh)."""


@dataclass(frozen=True)
class Matched:
    """Documents a query part matches, and their scores (0 where not matched)."""

    mask: np.ndarray
    score: np.ndarray


@dataclass(frozen=True)
class BlockDirectory:
    """Where each posting block of a term in one segment starts, its last document, and
    its data's size (what the block cache counts)."""

    starts: np.ndarray
    maxids: np.ndarray
    sizes: np.ndarray


def _directory_bytes(d: BlockDirectory) -> int:
    # three arrays of int64 a block, plus the arrays', the object's and the key's own
    return 24 * int(d.starts.size) + 600


class _Directory:
    """Collects a matcher's block headers as it walks them (W3 matchers only)."""

    def __init__(self) -> None:
        self.starts: list[int] = []
        self.maxids: list[int] = []
        self.sizes: list[int] = []
        self._next = 0

    def note(self, m: Any) -> None:
        """Record the block the matcher stands at (before its ``_next_block``)."""
        self.starts.append(m._baseoffset if not self.starts else self._next)
        self.maxids.append(m._maxid)
        self.sizes.append(m._nextoffset - m._dataoffset)
        self._next = m._nextoffset

    def done(self) -> BlockDirectory:
        return BlockDirectory(
            np.array(self.starts, dtype=np.int64),
            np.array(self.maxids, dtype=np.int64),
            np.array(self.sizes, dtype=np.int64),
        )


def _segment_id(leaf: Any) -> Any:
    segment = leaf.segment() if hasattr(leaf, "segment") else None
    return segment.segment_id() if segment is not None else None


class BoundedLru:
    """Entries kept, least recently used dropped first, while their summed cost stays
    within ``budget`` (the newest entry is always kept). Safe across threads."""

    def __init__(self, budget: int) -> None:
        self.budget = budget
        self.held = 0
        self._items: OrderedDict[Any, tuple[Any, int]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Any) -> Any:
        """Return the value kept for ``key`` (None when there is none)."""
        with self._lock:
            hit = self._items.get(key)
            if hit is None:
                return None
            self._items.move_to_end(key)
            return hit[0]

    def put(self, key: Any, value: Any, cost: int) -> None:
        """Keep ``value`` (a value another thread kept first for ``key`` stays)."""
        with self._lock:
            if key in self._items:
                return
            self._items[key] = (value, cost)
            self.held += cost
            while self.held > self.budget and len(self._items) > 1:
                _k, (_v, c) = self._items.popitem(last=False)
                self.held -= c

    def values(self) -> list[Any]:
        with self._lock:
            return [v for v, _c in self._items.values()]


class TermCache:
    """Per-generation arrays: each term's postings and each field's document lengths."""

    def __init__(self, shared: bool = True) -> None:
        # A cache of one call only (a bare searcher) does not build vocabularies.
        self.shared = shared
        self._postings = BoundedLru(MAX_CACHED_POSTINGS)  # cost: docnums
        self._infos = BoundedLru(MAX_CACHED_INFOS)  # cost: 1 + TermInfos
        self._blocks = BoundedLru(MAX_CACHED_BLOCK_BYTES)  # cost: compressed bytes
        self._dirs = BoundedLru(MAX_CACHED_DIRECTORY_BYTES)  # cost: _directory_bytes
        # terms read whole for their positions (see fetch_positions)
        self._terms = BoundedLru(MAX_CACHED_TERM_BYTES)  # cost: bytes
        self._vocab: dict[str, frozenset[str]] = {}
        self._tables: dict[Any, Any] = {}  # segment id -> TermTable (or None)
        self._lengths: dict[str, np.ndarray] = {}
        self._lock = threading.Lock()

    def directory(self, key: tuple[Any, ...]) -> BlockDirectory | None:
        """Return a term's block directory in a segment, if one was kept.

        A phrase's common words ("the", "said") have a block per ~128 stories; finding
        a candidate's block used to read every header before it, on every request.
        Reading a term's postings whole, or a phrase check walking to its last block,
        leaves its directory here.
        """
        return cast("BlockDirectory | None", self._dirs.get(key))

    def keep_directory(self, key: tuple[Any, ...], got: BlockDirectory) -> None:
        """Keep a term's block directory in a segment (key: segment id, field, text)."""
        self._dirs.put(key, got, _directory_bytes(got))

    def block(self, key: tuple[Any, ...], cost: int, read: Any) -> Any:
        """Return a decoded posting block (ids, weights, positions), reading it on a miss.

        Phrases and the run-of-words bonus come back to the same blocks of common words
        ("the", "said") request after request; decompressing and unpickling one costs
        far more than keeping it.
        """
        hit = self._blocks.get(key)
        if hit is not None:
            return hit
        data = read()
        self._blocks.put(key, data, cost)
        return data

    def whole_term(self, key: tuple[Any, ...], read: Any) -> TermBlocks | None:
        """Return a term's blocks in one segment (key: segment id, field, text), read
        whole by ``read()`` on a miss and kept with their positions undecoded (None:
        a term without positions).

        The words-together bonus of two common words checks most stories holding both:
        the term read once, in one go, beats a block at a time, and comes back.
        """
        hit = self._terms.get(key)
        if hit is not None:
            return cast(TermBlocks, hit)
        got = read()
        if got is None or not got.has_positions:
            return None
        self._terms.put(key, got, got.nbytes() + 200)
        return cast(TermBlocks, got)

    def infos(self, reader: Any, fieldname: str, text: str) -> TermInfos:
        """Return the term's TermInfo in each segment holding it: one probe per segment,
        none at all for a word missing from a small field's vocabulary."""
        key = (fieldname, text)
        hit = self._infos.get(key)
        if hit is not None:
            return cast(TermInfos, hit)
        small = self.shared and fieldname in SMALL_FIELDS
        vocab = self.vocabulary(reader, fieldname) if small else None
        found = (
            ()
            if vocab is not None and text not in vocab
            else read_infos(reader, fieldname, text, self._tables if self.shared else None)
        )
        self._infos.put(key, found, 1 + len(found))
        return found

    def df(self, reader: Any, fieldname: str, text: str) -> int:
        """Return how many documents hold the term, deleted ones included (as Whoosh)."""
        return sum(ti.doc_frequency() for _si, ti in self.infos(reader, fieldname, text))

    def vocabulary(self, reader: Any, fieldname: str) -> frozenset[str]:
        """Return every term of a small field (built once per generation)."""
        hit = self._vocab.get(fieldname)
        if hit is None:
            try:
                words = frozenset(_text(b) for b in reader.lexicon(fieldname))
            except Exception:  # a field no segment indexes
                words = frozenset()
            with self._lock:
                hit = self._vocab.setdefault(fieldname, words)
        return hit

    def postings(self, reader: Any, fieldname: str, text: str) -> tuple[np.ndarray, np.ndarray]:
        """Return (docnums, weights) of a term, deleted documents included."""
        key = (fieldname, text)
        hit = self._postings.get(key)
        if hit is not None:
            return cast("tuple[np.ndarray, np.ndarray]", hit)
        arrays = read_postings(reader, fieldname, text, self.infos(reader, fieldname, text), self)
        self._postings.put(key, arrays, int(arrays[0].size))
        return arrays

    def lengths(self, reader: Any, fieldname: str) -> np.ndarray:
        """Return every document's length of ``fieldname`` as Whoosh scores it."""
        with self._lock:
            hit = self._lengths.get(fieldname)
        if hit is not None:
            return hit
        arr = read_lengths(reader, fieldname)
        with self._lock:
            self._lengths.setdefault(fieldname, arr)
        return arr


def term_cache(searcher: Any, index: Any) -> TermCache:
    """Return the generation's TermCache (kept beside its facet cache).

    A bare searcher without an index gets a cache of its own, for this call only.
    """
    store = getattr(searcher, "searchfic_cache", None)
    if store is None:
        if index is None:
            return TermCache(shared=False)
        store = index.cache
    cache = store.get("terms")
    if cache is None:
        cache = store.setdefault("terms", TermCache())
    return cache


def _leaf_matcher(m: Any) -> Any:
    # A segment with deletions wraps its matcher in a filter; deleted documents are
    # dropped by the caller's live mask instead.
    while not hasattr(m, "_next_block") and hasattr(m, "child"):
        m = m.child
    return m


def _text(b: Any) -> str:
    return b.decode("utf-8") if isinstance(b, bytes) else str(b)


def read_infos(
    reader: Any, fieldname: str, text: str, tables: dict[Any, Any] | None = None
) -> TermInfos:
    """Return (segment number, TermInfo) of every segment holding the term.

    ``tables`` (segment id -> :class:`TermTable` or None, filled as segments are met)
    looks the term up in each segment's memory-mapped term table instead of through
    Whoosh's reader.
    """
    if fieldname not in reader.schema:
        return ()
    out: list[tuple[int, Any]] = []
    for si, leaf, table in _reader_tables(reader, tables):
        if table is not None:
            data = table.get(fieldname, text)
            if data is not None:
                out.append((si, W3TermInfo.from_bytes(data)))
            continue
        try:
            out.append((si, leaf.term_info(fieldname, text)))
        except Exception:  # TermNotFound in this segment
            continue
    return tuple(out)


class TermTable:
    """One segment's term table (W3's ordered hash file), memory-mapped: a lookup is an
    md5, a slot or two and a key compare, without Whoosh's reader layers (a seek and a
    read for each of them)."""

    def __init__(self, terms: Any) -> None:
        tindex = terms._tindex
        if tindex.hashfn is not filetables.md5_hash or tindex.startoffset != 0:
            raise ValueError("not a plain md5 term table")
        self._map = mmap.mmap(tindex.dbfile.file.fileno(), 0, access=mmap.ACCESS_READ)
        self._tables = list(tindex.tables)
        self._fieldmap = dict(terms._fieldmap)

    def get(self, fieldname: str, text: str) -> bytes | None:
        """Return the term's TermInfo bytes, or None when the segment lacks it."""
        fnum = self._fieldmap.get(fieldname)
        if fnum is None:
            return None
        key = _USHORT.pack(fnum) + text.encode("utf-8")
        keyhash = md5_hash32(key)
        tablestart, numslots = self._tables[keyhash & 255]
        if not numslots:
            return None
        buf = self._map
        slot = tablestart + ((keyhash >> 8) % numslots) * HASH_SLOT.size
        end = tablestart + numslots * HASH_SLOT.size
        for _ in range(numslots):
            slothash, itempos = HASH_SLOT.unpack_from(buf, slot)
            if not itempos:
                return None
            if slothash == keyhash:
                keylen, datalen = KV_LENGTHS.unpack_from(buf, itempos)
                start = itempos + KV_LENGTHS.size
                if keylen == len(key) and buf[start : start + keylen] == key:
                    return buf[start + keylen : start + keylen + datalen]
            slot += HASH_SLOT.size
            if slot == end:
                slot = tablestart
        return None


_USHORT = struct.Struct("!H")


def _reader_tables(
    reader: Any, tables: dict[Any, Any] | None
) -> list[tuple[int, Any, TermTable | None]]:
    """Return (segment number, leaf reader, its TermTable or None) of every segment.

    Kept on the reader (a pooled searcher keeps its reader for the generation), so a
    lookup does not work out each segment's id and table again (~35 term lookups a query).
    """
    if tables is None:
        return [(si, leaf, None) for si, (leaf, _base) in enumerate(reader.leaf_readers())]
    kept = getattr(reader, "searchfic_tables", None)
    if kept is not None and kept[0] is tables:
        return cast("list[tuple[int, Any, TermTable | None]]", kept[1])
    found = [
        (si, leaf, _term_table(leaf, tables))
        for si, (leaf, _base) in enumerate(reader.leaf_readers())
    ]
    with contextlib.suppress(AttributeError):  # a reader that takes no attributes
        reader.searchfic_tables = (tables, found)
    return found


def _term_table(leaf: Any, tables: dict[Any, Any]) -> TermTable | None:
    seg = _segment_id(leaf)
    if seg is None:
        return None
    if seg not in tables:
        try:
            tables[seg] = TermTable(leaf._terms)
        except Exception:  # a compound file, another codec or reader: Whoosh's own lookup
            tables[seg] = None
    return cast("TermTable | None", tables[seg])


def _matcher(leaf: Any, fieldname: str, text: str, info: Any) -> Any:
    """Return the segment's matcher of a term from its TermInfo, without a second probe
    (falling back to ``leaf.postings`` for a reader or codec of another shape)."""
    terms = getattr(leaf, "_terms", None)
    postfile = getattr(terms, "_postfile", None)
    codec = leaf.codec() if hasattr(leaf, "codec") else None
    if postfile is None or codec is None or not hasattr(codec, "postings_reader"):
        return _leaf_matcher(leaf.postings(fieldname, text))
    fieldobj = leaf.schema[fieldname]
    return codec.postings_reader(
        postfile, info, fieldobj.format, term=(fieldname, fieldobj.to_bytes(text))
    )


def _extent(leaf: Any, info: Any) -> tuple[Any, int, int] | None:
    """Return (postings file, offset, length) of a term's blocks in an SfCodec segment
    (None: another codec, an inlined term, or a reader of another shape)."""
    if info is None or info.is_inlined():
        return None
    codec = leaf.codec() if hasattr(leaf, "codec") else None
    postfile = getattr(getattr(leaf, "_terms", None), "_postfile", None)
    if not isinstance(codec, SfCodec) or postfile is None:
        return None
    offset, length = info.extent()
    if isinstance(length, tuple):  # W3TermInfo.from_bytes keeps unpack_int's tuple
        length = length[0]
    return postfile, offset, length


def _term_blocks(leaf: Any, info: Any) -> TermBlocks | None:
    """Read a term's blocks in an SfCodec segment with one file read (None: not one)."""
    where = _extent(leaf, info)
    if where is None:
        return None
    postfile, offset, length = where
    return TermBlocks(postfile.get(offset, length), offset)


#: A term whose blocks average more bytes a posting than this (its positions, mostly) is
#: read a block head at a time for its postings; a smaller one in one read.
HEADS_ONLY_BYTES = 48


def _heads(
    leaf: Any, info: Any
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray] | None:
    """Read a term's docnums and weights in an SfCodec segment (None: not one)."""
    where = _extent(leaf, info)
    if where is None:
        return None
    postfile, offset, length = where
    if length > HEADS_ONLY_BYTES * max(1, info.doc_frequency()) and length > 8192:
        return read_heads(postfile, offset, length)
    tb = TermBlocks(postfile.get(offset, length), offset)
    return tb.ids, tb.weights, tb.starts, tb.maxids, tb.sizes


def read_postings(
    reader: Any,
    fieldname: str,
    text: str,
    infos: TermInfos | None = None,
    cache: TermCache | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Read a term's postings into (global docnums, weights) arrays.

    ``infos`` (from :func:`read_infos`) saves probing each segment's term table again;
    ``cache`` keeps the block directories walked on the way.
    """
    ids_parts: list[np.ndarray] = []
    w_parts: list[np.ndarray] = []
    if infos is None:
        infos = read_infos(reader, fieldname, text)
    leaves = reader.leaf_readers()
    for si, info in infos:
        leaf, base = leaves[si]
        if getattr(
            info, "is_inlined", bool
        )():  # a rare term: its postings sit in the TermInfo itself
            ids_i, weights_i, _values = info.inlined_postings()
            ids_parts.append(np.asarray(ids_i, dtype=np.int64) + base)
            w_parts.append(np.asarray(weights_i, dtype=np.float64))
            continue
        heads = _heads(leaf, info)
        if heads is not None:
            ids, weights, starts, maxids, sizes = heads
            ids_parts.append(ids + base)
            w_parts.append(weights)
            seg = _segment_id(leaf)
            if cache is not None and seg is not None:
                cache.keep_directory((seg, fieldname, text), BlockDirectory(starts, maxids, sizes))
            continue
        m = _matcher(leaf, fieldname, text, info)
        if hasattr(m, "_next_block") and hasattr(m, "_data"):
            seg = _segment_id(leaf) if cache is not None and hasattr(m, "_baseoffset") else None
            walked = _Directory() if seg is not None else None
            while m.is_active():  # a block matcher of another codec (Whoosh's own W3)
                if walked is not None:
                    walked.note(m)
                if m._ids is None:
                    m._read_ids()
                if m._weights is None:
                    m._read_weights()
                ids_parts.append(np.asarray(m._ids, dtype=np.int64) + base)
                w_parts.append(np.asarray(m._weights, dtype=np.float64))
                m._next_block()
            if walked is not None and cache is not None:
                cache.keep_directory((seg, fieldname, text), walked.done())
        else:  # any other matcher: the slow, generic walk
            ids_l: list[int] = []
            ws: list[float] = []
            while m.is_active():
                ids_l.append(m.id() + base)
                ws.append(m.weight())
                m.next()
            ids_parts.append(np.array(ids_l, dtype=np.int64))
            w_parts.append(np.array(ws, dtype=np.float64))
    if not ids_parts:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float64)
    if len(ids_parts) == 1:
        return ids_parts[0], w_parts[0]
    return np.concatenate(ids_parts), np.concatenate(w_parts)


def _length_bytes(leaf: Any, fieldname: str, n: int) -> np.ndarray | None:
    """Return a segment's length bytes of ``fieldname`` read at once (None: no such
    column or a codec of another shape).

    Whoosh keeps each field's lengths as a one-byte column; asking it document by
    document costs ~4 us each, ~40 ms a field at 10,000 stories.
    """
    try:
        from whoosh.codec.whoosh3 import LENGTHS_COLUMN, _lenfield

        col = leaf._perdoc._cached_reader(_lenfield(fieldname), LENGTHS_COLUMN)
        if col is None:
            return np.zeros(n, dtype=np.uint8)
        if col._fixedlen != 1:
            return None
        count = min(int(col._count), n)
        raw = col._dbfile.get(col._basepos, count) if count else b""
    except Exception:
        return None
    out = np.full(n, col._default, dtype=np.uint8)
    out[:count] = np.frombuffer(raw, dtype=np.uint8)
    return out


def _byte_lengths() -> np.ndarray:
    from whoosh.util.numeric import byte_to_length

    table = np.array([byte_to_length(b) for b in range(256)], dtype=np.float64)
    table[0] = 0.0  # no length: Whoosh's doc_field_length gives the default, 0
    return table


_BYTE_LENGTHS: np.ndarray | None = None


def read_lengths(reader: Any, fieldname: str) -> np.ndarray:
    """Read every document's field length (Whoosh's byte-rounded one) into an array."""
    global _BYTE_LENGTHS
    out = np.zeros(reader.doc_count_all(), dtype=np.float64)
    for leaf, base in reader.leaf_readers():
        n = leaf.doc_count_all()
        raw = _length_bytes(leaf, fieldname, n)
        if raw is not None:
            if _BYTE_LENGTHS is None:
                _BYTE_LENGTHS = _byte_lengths()
            out[base : base + n] = _BYTE_LENGTHS[raw]
            continue
        getter = getattr(leaf, "doc_field_length_reader", None)
        if getter is not None:
            get = getter(fieldname, 0)
            vals = [get(d) for d in range(n)]
        else:
            vals = [leaf.doc_field_length(d, fieldname, 0) for d in range(n)]
        out[base : base + n] = [v or 0 for v in vals]
    return out


# --- the evaluator --------------------------------------------------------------------------


class Evaluator:
    """Turn a parsed query into a :class:`Matched` over the documents of one generation."""

    def __init__(
        self,
        searcher: Any,
        cache: TermCache,
        ctx: QueryContext,
        live: np.ndarray,
        words: np.ndarray,
    ) -> None:
        self.searcher = searcher
        self.reader = searcher.reader()
        self.cache = cache
        self.ctx = ctx
        self.live = live
        self.words = words
        self.size = int(live.shape[0])
        self._doc_count = self.reader.doc_count_all()
        self._schema = self.reader.schema
        self._term_scores: dict[tuple[str, str], tuple[np.ndarray, np.ndarray]] = {}
        self._dfs: dict[tuple[str, str], int] = {}
        self._scorable: dict[str, bool | None] = {}
        # And nodes whose run-of-words phrase bonus is left for the caller to settle
        # (only the root's, see lazy_root).
        self.deferred: Deferred | None = None

    # -- terms --

    def _field_scorable(self, fieldname: str) -> bool | None:
        """Return whether a field is scored by length (None: not in the schema)."""
        if fieldname not in self._scorable:
            self._scorable[fieldname] = (
                bool(self._schema[fieldname].scorable) if fieldname in self._schema else None
            )
        return self._scorable[fieldname]

    def _present(self, fieldname: str, text: str) -> bool:
        return self.df(fieldname, text) > 0

    def df(self, fieldname: str, text: str) -> int:
        """Return how many documents hold the term (deleted ones included, as Whoosh)."""
        key = (fieldname, text)
        n = self._dfs.get(key)
        if n is None:
            known = self._field_scorable(fieldname) is not None
            n = self.cache.df(self.reader, fieldname, text) if known else 0
            self._dfs[key] = n
        return n

    def bm25(self, fieldname: str, text: str, ids: np.ndarray, weights: np.ndarray) -> np.ndarray:
        """Return the BM25F scores of a term with ``weights`` in documents ``ids``."""
        if not self._field_scorable(fieldname):
            return weights
        lengths = self.cache.lengths(self.reader, fieldname)[ids]
        idf = math.log(self._doc_count / (self.df(fieldname, text) + 1)) + 1
        avgfl = self.searcher.avg_field_length(fieldname) or 1
        return idf * ((weights * (K1 + 1)) / (weights + K1 * ((1 - B) + B * lengths / avgfl)))

    def term(self, fieldname: str, text: str) -> tuple[np.ndarray, np.ndarray]:
        """Return (docnums, BM25F scores) of one term, live documents only."""
        key = (fieldname, text)
        hit = self._term_scores.get(key)
        if hit is not None:
            return hit
        if not self.df(fieldname, text):
            hit = (np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float64))
        else:
            ids, weights = self.cache.postings(self.reader, fieldname, text)
            keep = self.live[ids]
            if not keep.all():
                ids, weights = ids[keep], weights[keep]
            hit = (ids, self.bm25(fieldname, text, ids, weights))
        self._term_scores[key] = hit
        return hit

    def _union(self, terms: Iterable[tuple[str, str]]) -> Matched:
        parts = [p for p in (self.term(f, t) for f, t in terms) if p[0].size]
        if len(parts) > 1:
            # One pass over all the terms' postings: each document's score adds up its
            # terms' scores in the terms' order, as adding them term by term does.
            ids = np.concatenate([p[0] for p in parts])
            score = np.bincount(
                ids, weights=np.concatenate([p[1] for p in parts]), minlength=self.size
            )
            mask = np.bincount(ids, minlength=self.size) > 0
            return Matched(mask, score)
        mask = np.zeros(self.size, dtype=bool)
        score = np.zeros(self.size, dtype=np.float64)
        for ids, s in parts:
            mask[ids] = True
            score[ids] += s  # a term's docnums are unique and sorted
        return Matched(mask, score)

    # -- nodes --

    def evaluate(self, node: Node | None, within: np.ndarray | None = None) -> Matched:
        """Evaluate ``node``; documents outside ``within`` (when given) may be left out."""
        if node is None:
            return Matched(self.live.copy(), self.live.astype(np.float64))
        if isinstance(node, And):
            return self._and(node, lazy=False)
        if isinstance(node, Or):
            mask = np.zeros(self.size, dtype=bool)
            score = np.zeros(self.size, dtype=np.float64)
            for c in node.children:
                m = self.evaluate(c)
                mask |= m.mask
                score += m.score
            return Matched(mask, score)
        if isinstance(node, Not):
            inner = self.evaluate(node.child)
            mask = self.live & ~inner.mask
            return Matched(mask, mask.astype(np.float64))
        if isinstance(node, Range):
            r = node.range
            mask = self.live.copy()
            if r.low is not None:
                mask &= (self.words >= r.low) if r.low_inclusive else (self.words > r.low)
            if r.high is not None:
                mask &= (self.words <= r.high) if r.high_inclusive else (self.words < r.high)
            return Matched(mask, mask.astype(np.float64))
        if isinstance(node, PairingMatch):
            raws = self.ctx.pairing_raws(node.text) if self.ctx.pairing_raws else []
            return self._union(("f_pairing", r) for r in raws)
        if isinstance(node, Prefix):
            return self._union(prefix_terms(node, self.reader))
        if isinstance(node, Word):
            return self._union(word_terms(node, self.ctx))
        if isinstance(node, Phrase):
            mask = np.zeros(self.size, dtype=bool)
            score = np.zeros(self.size, dtype=np.float64)
            present = self._present
            for fieldname, tokens in phrase_terms(node, self.ctx, present):
                m = (
                    self._union([(fieldname, tokens[0])])
                    if len(tokens) == 1
                    else self.phrase(fieldname, tokens, within)
                )
                mask |= m.mask
                score += m.score
            return Matched(mask, score)
        raise Unsupported(type(node).__name__)

    def lazy_root(self, node: Node | None) -> Matched:
        """Evaluate the root; an And's run-of-words bonus is left in ``self.deferred``."""
        if isinstance(node, And):
            return self._and(node, lazy=True)
        return self.evaluate(node)

    def _and(self, node: And, lazy: bool) -> Matched:
        pos = [c for c in node.children if not isinstance(c, Not)]
        neg = [c.child for c in node.children if isinstance(c, Not)]
        if pos:
            mask = np.ones(self.size, dtype=bool)
            score = np.zeros(self.size, dtype=np.float64)
            # Phrases last, checked only in the stories the other parts left: "then I
            # said" alone is thousands of position checks, beside a rare word a few.
            pos.sort(key=lambda c: isinstance(c, Phrase))
            for c in pos:
                m = self.evaluate(c, mask if isinstance(c, Phrase) else None)
                mask &= m.mask
                if not mask.any():
                    return Matched(mask, np.zeros(self.size, dtype=np.float64))
                score += m.score
        else:
            mask = self.live.copy()
            score = mask.astype(np.float64)
        for c in neg:
            mask &= ~self.evaluate(c).mask
        score = np.where(mask, score, 0.0)
        run = [
            t for c in node.children if isinstance(c, Word) and c.field is None for t in c.tokens
        ]
        if len(run) >= 2 and mask.any():
            deferred = Deferred(self, tuple(run), mask, score)
            if lazy:
                self.deferred = deferred
            else:
                deferred.settle(np.nonzero(deferred.candidates)[0])
                score = deferred.score
        return Matched(mask, score)

    # -- phrases --

    def phrase(
        self, fieldname: str, tokens: tuple[str, ...], within: np.ndarray | None = None
    ) -> Matched:
        """Match the tokens next to each other in this order.

        Postings are read whole only for the rarest words, until few candidates are
        left; the common words ("the", "and") are then looked up in those documents
        only, positions and weights together.
        """
        mask = np.zeros(self.size, dtype=bool)
        score = np.zeros(self.size, dtype=np.float64)
        # A word missing from the field settles it (most title and tag fields hold
        # none of a quote's words): stop at the first one instead of looking up all.
        if any(self.df(fieldname, t) == 0 for t in dict.fromkeys(tokens)):
            return Matched(mask, score)
        distinct = sorted(set(tokens), key=lambda t: self.df(fieldname, t))
        cands: np.ndarray | None = None
        for t in distinct:
            if cands is not None and (
                cands.size <= PHRASE_FEW or self.df(fieldname, t) > PHRASE_RATIO * cands.size
            ):
                break
            ids = self.term(fieldname, t)[0]
            cands = ids if cands is None else np.intersect1d(cands, ids, assume_unique=True)
            if within is not None:
                cands = cands[within[cands]]
            if cands.size == 0:
                return Matched(mask, score)
        assert cands is not None
        order = sorted(range(len(tokens)), key=lambda i: self.df(fieldname, tokens[i]))
        found, weights = phrase_docs(self.reader, fieldname, tokens, cands, order, self.cache)
        if found.size:
            mask[found] = True
            for t, w in weights.items():
                # Whoosh scores a phrase as the sum over its words, repeats included.
                score[found] += self.bm25(fieldname, t, found, w) * tokens.count(t)
        return Matched(mask, score)

    def phrase_candidates(
        self, fieldname: str, tokens: tuple[str, ...], within: np.ndarray | None
    ) -> tuple[np.ndarray, list[tuple[np.ndarray, np.ndarray]]]:
        """Return the documents holding every token (sorted), and each token's scores."""
        per_token = [self.term(fieldname, t) for t in tokens]
        if any(ids.size == 0 for ids, _s in per_token):
            return np.zeros(0, dtype=np.int64), per_token
        order = sorted(range(len(tokens)), key=lambda i: per_token[i][0].size)
        sel = np.zeros(self.size, dtype=bool)
        sel[per_token[order[0]][0]] = True
        if within is not None:
            sel &= within
        for i in order[1:]:
            other = np.zeros(self.size, dtype=bool)
            other[per_token[i][0]] = True
            sel &= other
            if not sel.any():
                break
        return np.nonzero(sel)[0], per_token

    def _df_order(self, fieldname: str, tokens: tuple[str, ...]) -> list[int]:
        return sorted(range(len(tokens)), key=lambda i: self.df(fieldname, tokens[i]))


class Deferred:
    """The run-of-words phrase bonus of a root And, settled only for the docs that need it.

    A document gets ``RUN_BOOST`` times its body score of the run's words when the words
    stand together; its final score lies between ``score`` and ``score + bonus``.
    """

    def __init__(self, ev: Evaluator, run: tuple[str, ...], mask: np.ndarray, score: np.ndarray):
        self.ev = ev
        self.run = run
        self.score = score.copy()
        cands, per_token = ev.phrase_candidates("body", run, mask)
        self.candidates = np.zeros(ev.size, dtype=bool)
        self.candidates[cands] = True
        self.bonus = np.zeros(ev.size, dtype=np.float64)
        for ids, s in per_token:
            _add_at(self.bonus, ids, s, cands)
        self.bonus *= RUN_BOOST

    def upper(self) -> np.ndarray:
        """Return the best score each document can still reach."""
        return self.score + np.where(self.candidates, self.bonus, 0.0)

    def settle(self, docs: np.ndarray) -> None:
        """Check the run in ``docs`` (candidates still unsettled) and fix their scores."""
        docs = docs[self.candidates[docs]]
        if docs.size == 0:
            return
        docs = np.sort(docs)
        order = self.ev._df_order("body", self.run)
        found, _w = phrase_docs(self.ev.reader, "body", self.run, docs, order, self.ev.cache)
        self.score[found] += self.bonus[found]
        self.candidates[docs] = False


def top_docs(
    mask: np.ndarray,
    score: np.ndarray,
    id_rank: np.ndarray,
    limit: int,
    deferred: Deferred | None = None,
) -> list[int]:
    """Return the ``limit`` best documents of ``mask`` by (score rounded to 1e-6, id)."""
    sel = np.nonzero(mask)[0]
    if sel.size == 0 or limit <= 0:
        return []
    batch = 0
    while True:
        s = score if deferred is None else deferred.upper()
        best = _best(sel, s, id_rank, limit)
        if deferred is None:
            return best.tolist()
        pending = best[deferred.candidates[best]]
        if pending.size == 0:
            return best.tolist()
        if not batch:
            # Where the words often stand together ("said Harry"), the page's own
            # documents settle it.
            deferred.settle(pending)
            batch = 1
            continue
        # Then every document whose best case reaches the limit-th worst case: none
        # left out can make the page, and the words rarely stand together, so the
        # page's last score is about that worst case (few more are settled than must).
        open_ = sel[deferred.candidates[sel]]
        low = np.round(deferred.score[sel], 6)
        kth = np.partition(low, low.size - min(limit, low.size))[low.size - min(limit, low.size)]
        deferred.settle(open_[np.round(s[open_], 6) >= kth])


def _best(sel: np.ndarray, score: np.ndarray, id_rank: np.ndarray, limit: int) -> np.ndarray:
    keys = np.round(score[sel], 6)
    if sel.size > limit * 4:
        # Only documents scoring at least the limit-th best can make the page.
        kth = np.partition(keys, sel.size - limit)[sel.size - limit]
        part = sel[keys >= kth]
        pkeys = keys[keys >= kth]
    else:
        part, pkeys = sel, keys
    order = np.lexsort((id_rank[part], -pkeys))
    return part[order[:limit]]


# --- positions ------------------------------------------------------------------------------

# A phrase key packs (document, start of the phrase) into one int64: positions stay far
# below 2**36 (a story of 68 billion words), documents of a segment below 2**27.
_DOC_STRIDE = 1 << 36


def decode_positions_bulk(values: Any) -> tuple[np.ndarray, np.ndarray]:
    """Decode RawPositions values (uint32 deltas) into (counts, positions), at once."""
    n = len(values)
    counts = np.fromiter(map(len, values), dtype=np.int64, count=n) // 4
    deltas = np.frombuffer(b"".join(values), dtype="<u4").astype(np.int64)
    offsets = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(counts, out=offsets[1:])
    return counts, restart_cumsum(deltas, offsets)


@dataclass(frozen=True)
class TermPositions:
    """One term's postings in some documents of a segment, positions flattened.

    ``positions[offsets[k]:offsets[k + 1]]`` are the positions in ``docs[k]``.
    """

    docs: np.ndarray
    weights: np.ndarray
    offsets: np.ndarray
    positions: np.ndarray


def _no_positions() -> TermPositions:
    z = np.zeros(0, dtype=np.int64)
    return TermPositions(z, np.zeros(0, dtype=np.float64), np.zeros(1, dtype=np.int64), z)


def phrase_docs(
    reader: Any,
    fieldname: str,
    tokens: tuple[str, ...],
    cands: np.ndarray,
    order: list[int],
    cache: TermCache | None = None,
) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """Return the candidates (sorted docnums) where the tokens stand in sequence, and
    each distinct token's weight in those documents.

    Tokens are checked rarest first over all candidates, and a document leaves as soon
    as no start position survives, so few documents decode their common words'
    positions; postings are read block by block, only the blocks holding a candidate.
    The check works on sorted int64 keys (document, start of the phrase), in bulk.
    """
    distinct = list(dict.fromkeys(tokens[i] for i in order))
    empty = {t: np.zeros(0, dtype=np.float64) for t in distinct}
    if cands.size == 0:
        return cands, empty
    leaves = reader.leaf_readers()
    bases = np.array([b for _r, b in leaves], dtype=np.int64)
    seg_of = np.searchsorted(bases, cands, side="right") - 1
    shift = len(tokens)
    found_all: list[np.ndarray] = []
    weights_all: dict[str, list[np.ndarray]] = {t: [] for t in distinct}
    # The cached TermInfos name the segments holding each word: no term-table probe.
    seg_infos = {t: dict(cache.infos(reader, fieldname, t)) for t in distinct} if cache else None
    for si, (leaf, base) in enumerate(leaves):
        alive = np.sort(cands[seg_of == si] - base)
        if alive.size == 0:
            continue
        fetched: dict[str, TermPositions] = {}
        keys = np.zeros(0, dtype=np.int64)
        for n, i in enumerate(order):
            t = tokens[i]
            got = fetched.get(t)
            if got is None:
                if seg_infos is None:
                    got = fetch_positions(leaf, fieldname, t, alive, cache)
                elif si in seg_infos[t]:
                    got = fetch_positions(leaf, fieldname, t, alive, cache, seg_infos[t][si])
                else:
                    got = _no_positions()
                fetched[t] = got
            # Documents ascend, and positions within a document (deltas are >= 0).
            # (document, start of the phrase) of each position: each document's base
            # key repeated over its positions, the positions added in place.
            tkeys = np.repeat(got.docs * _DOC_STRIDE + (shift - i), np.diff(got.offsets))
            tkeys += got.positions
            if tkeys.size > 1 and (tkeys[1:] < tkeys[:-1]).any():
                tkeys = np.sort(tkeys)  # a hand-made index's odd order
            if n == 0 or tkeys.size == 0:
                keys = tkeys
            else:
                at = np.searchsorted(tkeys, keys)
                at[at >= tkeys.size] = tkeys.size - 1
                keys = keys[tkeys[at] == keys]
            if keys.size == 0:
                break
            alive = _distinct_sorted(keys // _DOC_STRIDE)
        if keys.size == 0:
            continue
        found_all.append(alive + base)
        for t in distinct:
            got = fetched[t]
            weights_all[t].append(got.weights[np.searchsorted(got.docs, alive)])
    if not found_all:
        return np.zeros(0, dtype=np.int64), empty
    return np.concatenate(found_all), {t: np.concatenate(w) for t, w in weights_all.items()}


def _distinct_sorted(values: np.ndarray) -> np.ndarray:
    """Return the distinct values of an ascending array (``np.unique`` without its sort)."""
    if values.size <= 1:
        return values
    keep = np.empty(values.size, dtype=bool)
    keep[0] = True
    np.not_equal(values[1:], values[:-1], out=keep[1:])
    return values[keep]


def positions_in(
    reader: Any, fieldname: str, text: str, docs: np.ndarray, cache: TermCache | None = None
) -> dict[int, list[int]]:
    """Return {doc: positions} of a term in the sorted (live) global ``docs`` holding it."""
    out: dict[int, list[int]] = {}
    if docs.size == 0:
        return out
    leaves = reader.leaf_readers()
    bases = np.array([b for _r, b in leaves], dtype=np.int64)
    seg_of = np.searchsorted(bases, docs, side="right") - 1
    infos = dict(cache.infos(reader, fieldname, text)) if cache is not None else None
    for si, (leaf, base) in enumerate(leaves):
        local = docs[seg_of == si] - base
        if local.size == 0:
            continue
        if infos is None:
            got = fetch_positions(leaf, fieldname, text, local, cache)
        elif si in infos:
            got = fetch_positions(leaf, fieldname, text, local, cache, infos[si])
        else:
            continue
        flat = got.positions.tolist()
        bounds = got.offsets.tolist()
        for k, d in enumerate((got.docs + base).tolist()):
            out[d] = flat[bounds[k] : bounds[k + 1]]
    return out


def _raw_matcher(leaf: Any, fieldname: str, text: str) -> Any:
    """Return a segment's matcher of a term without Whoosh's deletion filter.

    The filter reads (decompresses, unpickles) the first block as it is made, whether
    or not a wanted document is there; the callers ask for live documents only.
    """
    terms = getattr(leaf, "_terms", None)
    schema = getattr(leaf, "schema", None)
    if terms is None or schema is None or not hasattr(terms, "matcher"):
        return _leaf_matcher(leaf.postings(fieldname, text))
    if fieldname not in schema:
        raise KeyError(fieldname)
    field = schema[fieldname]
    return terms.matcher(fieldname, field.to_bytes(text), field.format)


def fetch_positions(
    leaf: Any,
    fieldname: str,
    text: str,
    docs: np.ndarray,
    cache: TermCache | None = None,
    info: Any = None,
) -> TermPositions:
    """Return the term's postings in the sorted segment ``docs`` that hold it.

    ``info`` (the term's TermInfo in this segment, see :meth:`TermCache.infos`) saves
    probing the segment's term table again.

    Blocks whose last document comes before the next wanted one are passed over on
    their header alone; only blocks holding a wanted document are read, and only the
    wanted postings' positions are decoded, a block's in one go.
    """
    seg = _segment_id(leaf)
    d = cache.directory((seg, fieldname, text)) if cache is not None and seg is not None else None
    if info is not None and _read_whole(d, docs, info):
        whole = _whole_term(leaf, fieldname, text, info, cache, seg)
        if whole is not None:
            return _select(whole, docs)
    m: Any = None
    if d is None:
        try:
            m = (
                _raw_matcher(leaf, fieldname, text)
                if info is None
                else _matcher(leaf, fieldname, text, info)
            )
        except Exception:  # TermNotFound (or a field this segment lacks)
            return _no_positions()
        if not (hasattr(m, "_next_block") and hasattr(m, "_data")):
            return _generic_positions(m, docs)
        fmt: Any = getattr(m, "format", None)
    else:
        # A directory is kept only for a W3 matcher of this segment's term; one is made
        # again only if a block must be read.
        fmt = leaf.schema[fieldname].format
    doc_parts: list[np.ndarray] = []
    w_parts: list[np.ndarray] = []
    picked: list[Any] = []  # value bytes of the wanted postings (W3 blocks)
    counts_parts: list[np.ndarray] = []  # or their positions, decoded (SfCodec blocks)
    pos_parts: list[np.ndarray] = []

    def take(block: tuple[np.ndarray, np.ndarray, Any], want: np.ndarray) -> None:
        ids, weights, values = block
        idx = np.searchsorted(ids, want)
        idx[idx >= ids.size] = ids.size - 1
        hit = ids[idx] == want
        if hit.any():
            idx = idx[hit]
            doc_parts.append(want[hit])
            w_parts.append(weights[idx])
            if isinstance(values, Block) and values.has_positions:
                cnt, pos = select_positions(*values.raw_positions(), idx)
                pos_parts.append(pos)
                counts_parts.append(cnt)
            elif isinstance(values, Block):
                vs = values.values(int(ids.size), None)
                picked.extend([vs[x] for x in idx.tolist()])
            else:
                picked.extend([values[x] for x in idx.tolist()])

    if d is not None:

        def matcher() -> Any:
            nonlocal m
            if m is None:
                m = (
                    _raw_matcher(leaf, fieldname, text)
                    if info is None
                    else _matcher(leaf, fieldname, text, info)
                )
            return m

        # The directory finds each wanted block at once; its data is read only on a
        # block cache miss, header and all.
        blocks = np.searchsorted(d.maxids, docs)  # the first block reaching each doc
        inside = blocks < d.maxids.size
        blocks, wanted = blocks[inside], docs[inside]
        if blocks.size:
            firsts = np.flatnonzero(np.r_[True, blocks[1:] != blocks[:-1]])
            bounds = [*firsts.tolist(), int(blocks.size)]
            for g, b in enumerate(blocks[firsts].tolist()):
                start = int(d.starts[b])
                take(
                    _cached_block(cache, (seg, fieldname, text, start), int(d.sizes[b]), matcher),
                    wanted[bounds[g] : bounds[g + 1]],
                )
    else:
        keep = cache is not None and seg is not None and hasattr(m, "_baseoffset")
        walked = _Directory() if keep else None
        k = 0
        n = docs.size
        while k < n and m.is_active():
            if walked is not None:
                walked.note(m)
            if m._maxid < docs[k]:
                m._next_block()
                continue
            j = int(np.searchsorted(docs, m._maxid, side="right"))
            start = walked.starts[-1] if walked is not None else m._dataoffset
            key = (seg, fieldname, text, start)
            size = m._nextoffset - m._dataoffset
            take(_cached_block(cache, key, size, lambda: m, here=True), docs[k:j])
            k = j
            m._next_block()
        if walked is not None and cache is not None and not m.is_active():
            cache.keep_directory((seg, fieldname, text), walked.done())
    if not doc_parts:
        return _no_positions()
    if counts_parts and not picked:
        counts = counts_parts[0] if len(counts_parts) == 1 else np.concatenate(counts_parts)
        positions = pos_parts[0] if len(pos_parts) == 1 else np.concatenate(pos_parts)
    elif isinstance(fmt, RawPositions):
        counts, positions = decode_positions_bulk(picked)
    else:
        lists = [list(fmt.decode_positions(v)) for v in picked]
        counts = np.fromiter(map(len, lists), dtype=np.int64, count=len(lists))
        positions = np.fromiter(chain.from_iterable(lists), dtype=np.int64)
    offsets = np.zeros(counts.size + 1, dtype=np.int64)
    np.cumsum(counts, out=offsets[1:])
    found = doc_parts[0] if len(doc_parts) == 1 else np.concatenate(doc_parts)
    found_w = w_parts[0] if len(w_parts) == 1 else np.concatenate(w_parts)
    return TermPositions(found, found_w, offsets, positions)


def _read_whole(d: BlockDirectory | None, docs: np.ndarray, info: Any) -> bool:
    """Whether reading a term's blocks whole beats reading those holding ``docs``."""
    if d is None:
        return bool(docs.size >= WHOLE_TERM_SHARE * info.doc_frequency())
    blocks = np.searchsorted(d.maxids, docs)
    touched = int(np.count_nonzero(np.diff(blocks))) + 1
    return touched >= WHOLE_TERM_SHARE * d.maxids.size


def _whole_term(
    leaf: Any, fieldname: str, text: str, info: Any, cache: TermCache | None, seg: Any
) -> TermBlocks | None:
    """Return a term's blocks in the whole segment, read at once (None: not an SfCodec
    segment's, or an inlined term)."""
    if cache is None or seg is None:
        tb = _term_blocks(leaf, info)
        return tb if tb is not None and tb.has_positions else None
    return cache.whole_term((seg, fieldname, text), lambda: _term_blocks(leaf, info))


def _select(whole: TermBlocks, docs: np.ndarray) -> TermPositions:
    """Return the postings of ``whole`` in the sorted ``docs`` (those it holds), only
    their positions decoded."""
    ids = whole.ids
    if ids.size == 0 or docs.size == 0:
        return _no_positions()
    idx = np.searchsorted(ids, docs)
    idx[idx >= ids.size] = ids.size - 1
    hit = ids[idx] == docs
    sel = idx[hit]
    if sel.size == 0:
        return _no_positions()
    cnt, positions = select_positions(*whole.raw_positions(), sel)
    offsets = np.zeros(sel.size + 1, dtype=np.int64)
    np.cumsum(cnt, out=offsets[1:])
    return TermPositions(docs[hit], whole.weights[sel], offsets, positions)


def _generic_positions(m: Any, docs: np.ndarray) -> TermPositions:
    """Walk any other matcher (inlined postings, for one) to the wanted documents."""
    found: list[int] = []
    weights: list[float] = []
    lists: list[list[int]] = []
    for d in docs.tolist():
        if not m.is_active():
            break
        if m.id() < d:
            m.skip_to(d)
            if not m.is_active():
                break
        if m.id() == d:
            found.append(d)
            weights.append(float(m.weight()))
            lists.append(read_positions(m))
    if not found:
        return _no_positions()
    counts = np.fromiter(map(len, lists), dtype=np.int64, count=len(lists))
    offsets = np.zeros(counts.size + 1, dtype=np.int64)
    np.cumsum(counts, out=offsets[1:])
    return TermPositions(
        np.array(found, dtype=np.int64),
        np.array(weights, dtype=np.float64),
        offsets,
        np.fromiter(chain.from_iterable(lists), dtype=np.int64),
    )


def _cached_block(
    cache: TermCache | None,
    key: tuple[Any, ...],
    size: int,
    matcher: Any,
    here: bool = False,
) -> tuple[np.ndarray, np.ndarray, Any]:
    """Return the block starting at ``key[-1]``, read by ``matcher()`` on a cache miss
    (which stands there already if ``here``)."""
    if cache is None or key[0] is None:
        return _read(matcher())

    def read() -> tuple[np.ndarray, np.ndarray, Any]:
        m = matcher()
        if not here:
            m._goto(key[-1])
        return _read(m)

    return cast(tuple[np.ndarray, np.ndarray, Any], cache.block(key, size, read))


def _read(m: Any) -> tuple[np.ndarray, np.ndarray, Any]:
    """Read the matcher's current block: (docnums, weights, values), the values as a
    :class:`Block` for an SfCodec block."""
    if isinstance(m, SfLeafMatcher) and not m._byteids:
        blk = m.block()
        return blk.ids, blk.weights, blk
    if m._data is None:
        m._read_data()
    if m._weights is None:
        m._read_weights()
    if m._values is None:
        m._read_values()
    raw = m._data[0]
    ids = np.asarray(raw, dtype=np.int64) if m._byteids else np.cumsum(np.asarray(raw, np.int64))
    return ids, np.asarray(m._weights, dtype=np.float64), m._values


def read_positions(m: Any) -> list[int]:
    """Return the positions at a matcher's current posting, as its format decodes them."""
    return list(m.value_as("positions"))


# --- helpers --------------------------------------------------------------------------------


def prefix_terms(node: Prefix, reader: Any) -> list[tuple[str, str]]:
    """Return the (field, word) terms a prefix expands to, as to_whoosh does."""
    from searchfic.engine.query import prefix_fields

    return [(f, t) for f in prefix_fields(node) for t in expand_prefix(reader, f, node.prefix)]


def _add_at(score: np.ndarray, ids: np.ndarray, s: np.ndarray, docs: np.ndarray) -> None:
    """Add the term scores ``s`` (of sorted ``ids``) to ``score`` for ``docs`` only."""
    if ids.size == 0 or docs.size == 0:
        return
    idx = np.searchsorted(ids, docs)
    idx[idx >= ids.size] = 0
    hit = ids[idx] == docs
    score[docs[hit]] += s[idx[hit]]
