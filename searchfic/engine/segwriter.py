"""Write Whoosh segments straight from ready token streams, without Whoosh's sorting pool.

Whoosh's ``SegmentWriter`` re-tokenises every field value with a regex, builds a ``Token``
per word, pickles every posting into an external sort and unpickles it again at commit:
measured on the bench corpus that was ~80% of a build. Our documents arrive already
analysed (:func:`searchfic.engine.schema.to_document`: space-joined tokens), so
:class:`SegmentBuilder` splits them with ``str.split``, keeps each field's postings in a
dict in memory (term -> flat ``[docnum, freq, value, ...]``, in document order) and, when
a segment is finished, writes terms in sorted order straight into the codec's field writer.
Stored fields, lengths and columns go through the codec's per-document writer exactly as
``SegmentWriter.add_document`` sends them, so the files are those Whoosh itself would write
(``tests/test_build_speed_segments.py`` checks that term by term).

A builder never takes the index lock and never writes a TOC: it only adds segment files to
a generation folder that is not published yet. The caller (the indexer's writer, which
holds the lock) lists the finished segments in its commit. A builder starts a new segment
when it holds ``max_postings`` postings, which bounds its memory.

Only the 2.7 codec API is used (``codec.new_segment``, ``per_document_writer``,
``field_writer``), so the module works with whoosh3 and Whoosh 2.7.4 alike.
"""

from __future__ import annotations

import struct
from array import array
from collections import Counter
from hashlib import md5
from operator import sub
from pickle import dumps
from typing import Any

from whoosh import formats
from whoosh.analysis import RegexTokenizer
from whoosh.codec.whoosh3 import W3Codec, W3PostingsWriter, W3TermInfo
from whoosh.filedb import filetables
from whoosh.system import pack_uint, pack_ushort
from whoosh.util.numeric import length_to_byte

#: Postings a builder holds before it finishes its segment and starts another. A posting
#: takes 4 bytes plus 2 per position (``array('H')`` per term), a term ~170 bytes more:
#: measured on the bench corpus, 16 M postings are ~400 MB, and the 11.5 M postings of
#: 5,000 stories (a worker's half of 10,000) fit in one segment.
MAX_POSTINGS = 16_000_000

# Space-separated tokens, or VALUE_SEP-separated values: str.split does what the field's
# RegexTokenizer would (the patterns are checked when the plan is made).
#: Terms with at most this many postings keep them in their term info (no block).
INLINE_LIMIT = 4

_SPLIT_PATTERNS = {r"[^ ]+": " ", r"[^\x1f]+": "\x1f"}

_FREQ_BYTES = [pack_uint(i) for i in range(256)]


def _freq_bytes(n: int) -> bytes:
    return _FREQ_BYTES[n] if n < 256 else pack_uint(n)


_ONE_POSITION: dict[int, bytes] = {}


def _encode_positions(poslist: list[int]) -> bytes:
    """Encode positions as ``formats.Positions.encode`` does: the count, the pickled deltas."""
    if len(poslist) == 1:
        # most terms of a story occur once: their encodings repeat across documents
        pos = poslist[0]
        enc = _ONE_POSITION.get(pos)
        if enc is None:
            enc = pack_uint(1) + dumps(poslist, 2)
            if pos < 65536:
                _ONE_POSITION[pos] = enc
        return enc
    deltas = [b - a for a, b in zip([0, *poslist], poslist)]  # noqa: B905 (one shorter)
    return pack_uint(len(deltas)) + dumps(deltas, 2)


def _unpack_freqs(a: array[int]) -> tuple[array[int], array[int], list[bytes]]:
    """Split a frequency field's [docnum, freq, ...] into docnums, freqs and values."""
    freqs = a[1::2]
    fb = _FREQ_BYTES
    return a[0::2], freqs, [fb[f] if f < 256 else pack_uint(f) for f in freqs]


def _unpack_positions(a: array[int]) -> tuple[Any, list[int], list[bytes]]:
    """Split [docnum, freq, positions..., ...] into docnums, freqs and encoded positions."""
    n = len(a)
    one = _ONE_POSITION.get
    if n % 3 == 0 and a[1::3].count(1) == n // 3:
        # every posting has one position (then each is three numbers): most terms
        return (
            a[0::3],
            [1] * (n // 3),
            [one(p) or _encode_positions([p]) for p in a[2::3]],
        )
    ids: list[int] = []
    freqs: list[int] = []
    values: list[bytes] = []
    i = 0
    while i < n:
        f = a[i + 1]
        ids.append(a[i])
        freqs.append(f)
        if f == 1:
            pos = a[i + 2]
            values.append(one(pos) or _encode_positions([pos]))
        else:
            # formats.Positions.encode: the count, the pickled list of deltas
            ps = a[i + 2 : i + 2 + f]
            values.append(pack_uint(f) + dumps([ps[0], *map(sub, ps[1:], ps)], 2))
        i += 2 + f
    return ids, freqs, values


class _InliningPostingsWriter(W3PostingsWriter):
    """Keep a rare term's postings inside its term info instead of writing a block.

    Most of a story collection's terms occur in a handful of documents; a block costs
    two pickles, a compression and a header for each. The W3 format reads inlined postings (its reader checks
    ``is_inlined``), but the stock writer never produces them: its ``finish_postings``
    calls a ``set_inline`` that ``W3TermInfo`` does not have (it is ``set_inlined``), so
    Whoosh ships with ``inlinelimit=1``, which never inlines.
    """

    def add_postings(
        self, ids: list[int], weights: list[float], values: list[bytes], lengths: list[int]
    ) -> None:
        """Add a term's postings a block at a time (``add_posting`` per posting, in bulk)."""
        limit = self._blocklimit
        for start in range(0, len(ids), limit):
            if self._ids:
                self._write_block()
            end = start + limit
            self._ids = array("I", ids[start:end])
            ws = weights[start:end]
            self._weights = array("f", ws)
            self._values = [v for v in values[start:end] if v]
            self._maxweight = max(0, max(ws))
            lens = [n for n in lengths[start:end] if n]
            self._minlength = min(lens) if lens else None
            self._maxlength = max(lens) if lens else 0

    # W3PostingsWriter's block minifiers, giving the same tuples without a Python
    # generator step per posting (a block holds up to 128)

    def _mini_ids(self) -> Any:
        ids = self._ids
        if self._byteids or not ids:
            return tuple(ids)
        return (ids[0], *map(sub, ids[1:], ids))

    def _mini_weights(self) -> Any:
        weights = self._weights
        n = len(weights)
        if weights.count(1.0) == n:
            return None
        if weights.count(weights[0]) == n:
            return weights[0]
        return tuple(weights)

    def finish_postings(self) -> Any:
        if not self.written() and len(self._ids) <= INLINE_LIMIT and self._values:
            terminfo = self._terminfo
            terminfo.add_block(self)
            terminfo.set_inlined(self._ids, self._weights, self._values)
            self._terminfo = None
            return terminfo
        return super().finish_postings()


_TERMINFO = struct.Struct("!BfIBBfII")  # W3TermInfo._struct: flags, weight, df, lengths...


def _inliner(fw: Any) -> Any:
    """Return functions writing rare terms with their postings inlined, straight to the
    term table: what start_term, add_postings and finish_term would write, without the
    per-term objects (most terms of a segment take this path).

    ``inline`` queues a term, ``flush`` writes the queue (call it before any other term
    goes to the table, and at the end of the field): see :func:`_add_terms`.
    """
    if getattr(W3TermInfo, "_struct", None) is None or W3TermInfo._struct.format != (
        _TERMINFO.format
    ):
        return None
    tindex = fw._tindex
    key_prefix = pack_ushort(fw._fieldid)
    pack = _TERMINFO.pack
    queue: list[tuple[bytes, bytes]] = []
    add = queue.append

    def inline(
        btext: bytes, ids: Any, weights: list[float], values: list[bytes], lens: list[int]
    ) -> None:
        ws = array("f", weights)
        present = [n for n in lens if n]
        minlen = min(present) if present else None
        maxlen = max(present) if present else 0
        head = pack(
            1,
            sum(ws),
            len(ids),
            0 if minlen is None else length_to_byte(minlen),
            length_to_byte(maxlen),
            max(0, max(ws)),
            ids[0],
            ids[-1],
        )
        posts = dumps((tuple(ids), tuple(ws), tuple(values)), 2)
        add((key_prefix + btext, head + posts))

    def flush() -> None:
        if queue:
            _add_terms(tindex, queue)
            queue.clear()

    return inline, flush


_KV_LENGTHS = struct.Struct("!ii")  # filetables._lengths: key and value length


def _md5_hash(key: bytes) -> int:
    # filetables.md5_hash (the low 32 bits of the digest), without the hex round trip
    return int.from_bytes(md5(key, usedforsecurity=False).digest()[-4:], "big")


def _add_terms(tindex: Any, items: list[tuple[bytes, bytes]]) -> None:
    """``OrderedHashWriter.add`` for each (key, value) of ``items`` (keys in order), in
    one write: the same bytes, positions, hash buckets and key index."""
    if tindex.hashfn is not filetables.md5_hash or items[0][0] <= tindex.lastkey:
        for key, value in items:
            tindex.add(key, value)
        return
    dbfile = tindex.dbfile
    pos = dbfile.tell()
    buckets = tindex.buckets
    lengths = _KV_LENGTHS.pack
    chunks: list[bytes] = []
    offsets: list[int] = []
    for key, value in items:
        offsets.append(pos)
        h = _md5_hash(key)
        buckets[h & 255].append((h, pos))
        chunks += (lengths(len(key), len(value)), key, value)
        pos += 8 + len(key) + len(value)
    index = tindex.index
    try:
        index.array.fromlist(offsets)  # all or nothing
    except (OverflowError, TypeError, AttributeError):
        for off in offsets:
            index.append(off)  # GrowableArray takes a wider type
    dbfile.write(b"".join(chunks))
    tindex.lastkey = items[-1][0]


class _InliningCodec(W3Codec):
    """W3 with inlined one-posting terms; used to write only (segments keep a plain W3)."""

    def postings_writer(self, dbfile: Any, byteids: bool = False) -> Any:
        return _InliningPostingsWriter(
            dbfile,
            blocklimit=self._blocklimit,
            byteids=byteids,
            compression=self._compression,
            inlinelimit=self._inlinelimit,
        )


class _FieldPlan:
    """How one schema field is indexed, stored and columned."""

    __slots__ = ("name", "field", "sep", "positions", "boost", "column", "stored", "indexed")

    def __init__(self, name: str, field: Any) -> None:
        self.name = name
        self.field = field
        self.indexed = bool(field.indexed)
        self.stored = bool(field.stored)
        self.column = field.column_type
        fmt = field.format
        ana = getattr(field, "analyzer", None)
        self.sep: str | None = None
        self.positions = False
        self.boost = 1.0
        # The fast path: a bare RegexTokenizer over separators, and a plain Frequency or
        # Positions format (not Characters, which subclasses Positions and stores offsets).
        if (
            self.indexed
            and type(ana) is RegexTokenizer
            and not ana.gaps
            and ana.expression.pattern in _SPLIT_PATTERNS
            and type(fmt) in (formats.Frequency, formats.Positions)
            and field.scorable
            and not field.vector
            and not field.separate_spelling()
        ):
            self.sep = _SPLIT_PATTERNS[ana.expression.pattern]
            self.positions = type(fmt) is formats.Positions
            self.boost = float(fmt.field_boost)


class SegmentBuilder:
    """Build new segments of one Whoosh index folder from ``to_document`` dicts."""

    def __init__(
        self,
        storage: Any,
        schema: Any,
        indexname: str,
        codec: Any = None,
        max_postings: int = MAX_POSTINGS,
    ) -> None:
        if codec is None:
            from whoosh.codec import default_codec

            codec = default_codec()
        self.storage = storage
        self.schema = schema
        self.indexname = indexname
        self.codec = codec
        # The field writer's codec: the same settings, plus inlining. Segments are made by
        # ``codec`` itself, so the TOC pickles a stock codec and any Whoosh reads them.
        self._write_codec = (
            _InliningCodec(codec._blocklimit, codec._compression, codec._inlinelimit)
            if type(codec) is W3Codec
            else codec
        )
        self.max_postings = max_postings
        self.plans = {name: _FieldPlan(name, schema[name]) for name in schema.names()}
        self.segments: list[Any] = []
        self._segment: Any = None

    @classmethod
    def for_folder(cls, folder: str, indexname: str, **kwargs: Any) -> SegmentBuilder:
        """Open a builder on the (existing, unpublished) index in ``folder``."""
        from whoosh.filedb.filestore import FileStorage

        storage = FileStorage(folder)
        ix = storage.open_index(indexname)
        return cls(storage, ix.schema, indexname, **kwargs)

    # --- one segment --------------------------------------------------------------------

    def _start(self) -> None:
        self._segment = self.codec.new_segment(self.storage, self.indexname)
        self._perdoc = self.codec.per_document_writer(self.storage, self._segment)
        self._docnum = 0
        self._count = 0
        # Fast path: field -> term (str) -> array of [docnum, freq, positions...] per
        # posting, in document order (no positions in a frequency field): 2 bytes a number
        # ('H'; a term's array becomes 'I' when one is over 65535), so a segment holds
        # several times the postings of a list of objects.
        self._posts: dict[str, dict[str, array[int]]] = {}
        # Other fields (ids, numbers): field -> term bytes -> flat [docnum, freq, value, ...]
        self._other: dict[str, dict[bytes, list[Any]]] = {}
        # field -> docnum -> length (only what the codec's block statistics need)
        self._lengths: dict[str, dict[int, int]] = {}

    def add_document(self, doc: dict[str, Any]) -> tuple[int, int]:
        """Add one document (``writer.add_document`` keyword arguments, no ``_boost`` keys).

        Return where it went: (index in :meth:`finish`'s list, document number there).
        """
        if self._segment is None:
            self._start()
        docnum = self._docnum
        where = (len(self.segments), docnum)
        perdoc = self._perdoc
        perdoc.start_doc(docnum)
        try:
            for name in sorted(doc):
                value = doc[name]
                if value is None:
                    continue
                plan = self.plans.get(name)
                if plan is None:
                    from whoosh.fields import UnknownFieldError

                    raise UnknownFieldError(f"No field named {name!r} in the schema")
                length = self._index(plan, value, docnum) if plan.indexed else 0
                perdoc.add_field(name, plan.field, value if plan.stored else None, length)
                if plan.column is not None:
                    perdoc.add_column_value(name, plan.column, plan.field.to_column_value(value))
        except ValueError:
            perdoc.cancel_doc()
            raise
        perdoc.finish_doc()
        self._docnum += 1
        if self._count >= self.max_postings:
            self.finish_segment()
        return where

    def _index(self, plan: _FieldPlan, value: Any, docnum: int) -> int:
        if plan.sep is None:
            # Anything else (ids, numbers) goes through the field itself, as Whoosh does.
            other = self._other.get(plan.name)
            if other is None:
                other = self._other[plan.name] = {}
            length = 0
            scorable = plan.field.scorable
            for tbytes, freq, _weight, vbytes in plan.field.index(value):
                lst = other.get(tbytes)
                if lst is None:
                    other[tbytes] = [docnum, freq, vbytes]
                else:
                    lst += (docnum, freq, vbytes)
                self._count += 1
                if scorable:
                    length += freq
            if length:
                self._lengths.setdefault(plan.name, {})[docnum] = length
            return length
        if isinstance(value, str):
            tokens = value.split(plan.sep)
            if "" in tokens:
                tokens = [t for t in tokens if t]
        else:  # a list of ready tokens, as Whoosh accepts
            tokens = [str(t) for t in value if t]
        if not tokens:
            return 0
        posts = self._posts.get(plan.name)
        if posts is None:
            posts = self._posts[plan.name] = {}
        if plan.positions:
            # term -> [docnum, freq, position, position, ...]: the posting as stored
            where: dict[str, list[int]] = {}
            get = where.get
            for i, t in enumerate(tokens):
                p = get(t)
                if p is None:
                    where[t] = [docnum, 1, i]
                else:
                    p.append(i)
            for t, p in where.items():
                n = len(p)
                if n > 3:
                    p[1] = n - 2
                a = posts.get(t)
                try:
                    if a is None:
                        posts[t] = array("H", p)
                    else:
                        a.fromlist(p)
                except OverflowError:  # a number over 65535: this term's array takes 'I'
                    a = posts[t] = array("I", () if a is None else a)
                    a.fromlist(p)
            self._count += len(where)
        else:
            freqs = Counter(tokens)
            for t, f in freqs.items():
                a = posts.get(t)
                try:
                    if a is None:
                        posts[t] = array("H", (docnum, f))
                    else:
                        a.fromlist([docnum, f])
                except OverflowError:
                    a = posts[t] = array("I", () if a is None else a)
                    a.fromlist([docnum, f])
            self._count += len(freqs)
        self._lengths.setdefault(plan.name, {})[docnum] = len(tokens)
        return len(tokens)

    def finish_segment(self) -> None:
        """Write the postings of the current segment and close its files."""
        if self._segment is None:
            return
        self._perdoc.close()
        fw = self._write_codec.field_writer(self.storage, self._segment)
        try:
            for name in sorted(self._posts.keys() | self._other.keys()):
                terms: Any = self._posts.get(name) or self._other.get(name)
                if not terms:
                    continue
                plan = self.plans[name]
                field = plan.field
                boost = float(field.format.field_boost) if field.format else 1.0
                # docnum -> length, as a list (0 where the field is empty)
                lengths = [0] * self._docnum
                for d, n in self._lengths.get(name, {}).items():
                    lengths[d] = n
                fw.start_field(name, field)
                bulk = getattr(fw._postwriter, "add_postings", None)
                inline = _inliner(fw) if bulk is not None else None
                if name in self._posts:
                    unpack = _unpack_positions if plan.positions else _unpack_freqs
                    rows = ((t.encode("utf-8"), *unpack(terms[t])) for t in sorted(terms))
                else:
                    rows = ((t, (f := terms[t])[0::3], f[1::3], f[2::3]) for t in sorted(terms))
                self._write_field(fw, rows, boost, lengths, bulk, inline)
                fw.finish_field()
                # free each field's postings as soon as they are written
                terms.clear()
        finally:
            fw.close()
        self._segment.set_doc_count(self._docnum)
        # Loose files, not one compound file per segment: Whoosh copies a compound file's
        # terms and postings into a private buffer for every reader it opens (BufferFile
        # over BytesIO), so each searcher of a server thread would hold the whole index in
        # memory; loose files are read through the OS page cache that all readers share.
        self._segment.compound = False
        self.segments.append(self._segment)
        self._segment = None
        self._posts = {}
        self._other = {}
        self._lengths = {}

    @staticmethod
    def _write_field(
        fw: Any, rows: Any, boost: float, lengths: list[int], bulk: Any, inliner: Any
    ) -> None:
        """Write one field's terms: (term bytes, docnums, freqs, values) in term order."""
        get_len = lengths.__getitem__
        weigh = float(boost).__mul__
        start_term, finish_term = fw.start_term, fw.finish_term
        inline, flush = inliner if inliner is not None else (None, None)
        for btext, ids, freqs, values in rows:
            weights = list(map(weigh, freqs))
            lens = list(map(get_len, ids))
            if inline is not None and len(ids) <= INLINE_LIMIT and all(values):
                inline(btext, ids, weights, values, lens)
                continue
            if flush is not None:
                flush()
            start_term(btext)
            if bulk is not None:
                bulk(ids, weights, values, lens)
            else:
                for d, w, v, n in zip(ids, weights, values, lens, strict=True):
                    fw.add(d, w, v, n)
            finish_term()
        if flush is not None:
            flush()

    def finish(self) -> list[Any]:
        """Finish the open segment and return every segment this builder wrote."""
        self.finish_segment()
        return list(self.segments)

    def doc_count(self) -> int:
        """Return how many documents the finished and open segments hold."""
        done = sum(s.doc_count_all() for s in self.segments)
        return done + (self._docnum if self._segment is not None else 0)
