"""Write Whoosh segments straight from ready token streams, without Whoosh's sorting pool.

Whoosh's ``SegmentWriter`` re-tokenises every field value with a regex, builds a ``Token``
per word, pickles every posting into an external sort and unpickles it again at commit:
measured on the bench corpus that was ~80% of a build. Our documents arrive already analysed
(:func:`searchfic.engine.schema.to_document`: space-joined tokens), so
:class:`SegmentBuilder` splits them with ``str.split``; the body fields come as the body's
raw words (:class:`searchfic.engine.analysis.WordForms`), which the builder numbers once per
segment, asking for a word's fold or stem only when the segment first meets it, so a
document's words become term numbers in two passes of C (a set difference and a dict lookup
each) and numpy gathers. It keeps each field's postings as flat arrays: per document, the
term numbers of its distinct words (numbered as first met), their frequencies and, for a
positions field, the positions grouped by word (one stable sort of the document's term
numbers gives both, :func:`_stable_order`). When a segment is finished, one stable sort of
each field's postings by the terms' sorted order gives every term's postings in document
order, and chunks of terms go to the codec as arrays
(:func:`searchfic.engine.codec.write_terms`): no Python step per word or per posting. Stored
fields, lengths and columns go through the codec's per-document writer exactly as
``SegmentWriter.add_document`` sends them, so the segment holds what Whoosh's own writer
would write (``tests/test_build_speed_segments.py`` checks that term by term).

A builder never takes the index lock and never writes a TOC: it only adds segment files to
a generation folder that is not published yet. The caller (the indexer's writer, which
holds the lock) lists the finished segments in its commit. A builder starts a new segment
when it holds ``max_postings`` postings and positions, which bounds its memory.

Only the 2.7 codec API is used (``codec.new_segment``, ``per_document_writer``,
``field_writer``).
"""

from __future__ import annotations

from array import array
from typing import Any

import numpy as np
from whoosh import formats
from whoosh.analysis import RegexTokenizer
from whoosh.system import pack_uint

from searchfic.engine.analysis import WordForms
from searchfic.engine.codec import RawPositions, SfCodec, bulk_terms_supported, ranges, write_terms

#: Postings plus positions a builder holds before it finishes its segment and starts
#: another: while documents are added a posting takes 6 bytes and a position 2, and the
#: largest field about as much again while the segment is written. Measured on the bench
#: corpus, a worker's half of 10,000 stories is ~36 M (11 M postings, 25 M positions):
#: one segment, 291 MB before it is written and 412 MB at the peak (the raw words' numbers,
#: ~35 MB, are dropped before writing: see ``finish_segment``). Fewer segments make every
#: term lookup of a query cheaper.
MAX_POSTINGS = 40_000_000

# Space-separated tokens, or VALUE_SEP-separated values: str.split does what the field's
# RegexTokenizer would (the patterns are checked when the plan is made).
_SPLIT_PATTERNS = {r"[^ ]+": " ", r"[^\x1f]+": "\x1f"}

#: Documents with fewer tokens than this are grouped in Python: numpy's per-call cost
#: is more than the work for a title or a tag list.
_SMALL = 48

#: Positions gathered at once when a field's postings are written (bounds the temporaries).
_CHUNK_POSITIONS = 250_000
#: Postings of a field without positions written at once.
_CHUNK_POSTINGS = 100_000
#: Postings sorted at once when a field is written (a pass per range of terms).
_PASS_POSTINGS = 1_500_000

_FREQ_BYTES = [pack_uint(i) for i in range(256)]

#: A word's term number not yet known, and a word that is no token (its form is "").
_UNKNOWN = -1
_NO_TOKEN = -2


def _freq_bytes(n: int) -> bytes:
    return _FREQ_BYTES[n] if n < 256 else pack_uint(n)


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
        # RawPositions format (positions only, no character offsets).
        if (
            self.indexed
            and type(ana) is RegexTokenizer
            and not ana.gaps
            and ana.expression.pattern in _SPLIT_PATTERNS
            and type(fmt) in (formats.Frequency, RawPositions)
            and field.scorable
            and not field.vector
            and not field.separate_spelling()
        ):
            self.sep = _SPLIT_PATTERNS[ana.expression.pattern]
            self.positions = type(fmt) is RawPositions
            self.boost = float(fmt.field_boost)


class _Postings:
    """One field's postings in a segment, in document order.

    ``vocab`` numbers the terms as first met; per posting the term number and frequency
    (``tids``, ``freqs``), per document its number and how many postings it has; for a
    positions field, each posting's positions follow each other: in ``short`` (16 bits)
    for a document of fewer than 65,536 tokens, in ``long`` for the rare longer one
    (``longdocs`` lists those). Frequencies take 16 bits until one does not fit.
    """

    __slots__ = ("vocab", "tids", "freqs", "docs", "counts", "short", "long", "longdocs")

    def __init__(self) -> None:
        self.vocab: dict[str, int] = {}
        self.tids = array("i")
        self.freqs = array("H")
        self.docs = array("i")
        self.counts = array("i")
        self.short = array("H")
        self.long = array("I")
        self.longdocs = array("i")

    def _add_freqs(self, freqs: np.ndarray) -> None:
        if self.freqs.typecode == "H" and int(freqs.max()) > 0xFFFF:
            self.freqs = array("I", self.freqs)
        self.freqs.frombytes(
            freqs.astype(np.uint16 if self.freqs.typecode == "H" else np.uint32).tobytes()
        )

    def add(self, docnum: int, tokens: list[str], positions: bool) -> int:
        """Add one document's tokens; return how many postings they made."""
        vocab = self.vocab
        new = set(tokens).difference(vocab)
        if new:
            vocab.update(zip(new, range(len(vocab), len(vocab) + len(new)), strict=True))
        n = len(tokens)
        if n >= _SMALL:
            ids = np.fromiter(map(vocab.__getitem__, tokens), dtype=np.int32, count=n)
            return self.add_ids(docnum, ids, positions)
        where: dict[int, list[int]] = {}
        for i, tid in enumerate(map(vocab.__getitem__, tokens)):
            p = where.get(tid)
            if p is None:
                where[tid] = [i]
            else:
                p.append(i)
        tids = list(where)
        self.tids.extend(tids)
        self.freqs.extend([len(where[t]) for t in tids])
        if positions:
            for t in tids:
                self.short.extend(where[t])
        self.docs.append(docnum)
        self.counts.append(len(tids))
        return len(tids)

    def add_ids(self, docnum: int, ids: np.ndarray, positions: bool) -> int:
        """Add one document's tokens given as term numbers (int32, at least one)."""
        n = int(ids.size)
        if positions:
            order, grouped = _stable_order(ids)
            starts = np.flatnonzero(np.r_[True, grouped[1:] != grouped[:-1]])
            self.tids.frombytes(grouped[starts].tobytes())
            self._add_freqs(np.diff(np.r_[starts, n]))
            if n <= 0x10000:
                self.short.frombytes(order.astype(np.uint16).tobytes())
            else:
                self.long.frombytes(order.astype(np.uint32).tobytes())
                self.longdocs.append(docnum)
            count = int(starts.size)
        else:
            uniq, freqs = np.unique(ids, return_counts=True)
            self.tids.frombytes(uniq.astype(np.int32).tobytes())
            self._add_freqs(freqs)
            count = int(uniq.size)
        self.docs.append(docnum)
        self.counts.append(count)
        return count


def _stable_order(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Return ``argsort(values, kind="stable")`` and ``values`` in that order.

    For non-negative 32-bit values: each is packed with its place into one 64-bit key and
    the keys are sorted in place, unstable but all different, so equal values keep their
    order; numpy's stable sort of 32-bit values is a timsort, several times slower.
    """
    keys = values.astype(np.int64) << 32
    keys |= np.arange(values.size, dtype=np.int64)
    keys.sort()
    return keys & 0xFFFFFFFF, (keys >> 32).astype(values.dtype)


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
        self.storage = storage
        self.schema = schema
        self.indexname = indexname
        self.codec = codec if codec is not None else SfCodec()
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
        # Fast path: field -> its postings as arrays
        self._posts: dict[str, _Postings] = {}
        # Other fields (ids, numbers): field -> term bytes -> flat [docnum, freq, value, ...]
        self._other: dict[str, dict[bytes, list[Any]]] = {}
        # field -> docnum -> length (only what the codec's block statistics need)
        self._lengths: dict[str, dict[int, int]] = {}
        # WordForms fields: each distinct raw word met gets a number (in _words), and per
        # (field, language, stems) an array of word number -> term number (_UNKNOWN: not
        # asked yet, _NO_TOKEN: no token); the last document's word numbers are kept for
        # its second field of the same words.
        self._wordnos: dict[str, int] = {}
        self._words: list[str] = []
        self._termmaps: dict[tuple[str, str, bool], np.ndarray] = {}
        self._numbered: tuple[list[str] | None, np.ndarray] = (None, np.empty(0, np.int32))

    def add_document(self, doc: dict[str, Any]) -> tuple[int, int]:
        """Add one document (``writer.add_document`` keyword arguments, no ``_boost`` keys).

        Return where it went: (index in :meth:`finish`'s list, document number there).
        """
        if self._segment is None:
            self._start()
        docnum = self._docnum
        where = (len(self.segments), docnum)
        self._numbered = (None, self._numbered[1][:0])  # a document's fields share it only
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
        if self._count >= self.max_postings or self._docnum >= 0xFFFFFF:
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
        if isinstance(value, WordForms):
            return self._index_forms(plan, value, docnum)
        if isinstance(value, str):
            tokens = value.split(plan.sep)
            if "" in tokens:
                tokens = [t for t in tokens if t]
        elif all(type(t) is str for t in value[:1]) and "" not in value:
            tokens = value  # ready tokens, as Whoosh accepts a list
        else:
            tokens = [str(t) for t in value if t]
        if not tokens:
            return 0
        posts = self._posts.get(plan.name)
        if posts is None:
            posts = self._posts[plan.name] = _Postings()
        self._count += posts.add(docnum, tokens, plan.positions)
        if plan.positions:
            self._count += len(tokens)
        self._lengths.setdefault(plan.name, {})[docnum] = len(tokens)
        return len(tokens)

    def _word_numbers(self, words: list[str]) -> np.ndarray:
        """Return the numbers of ``words`` (the same list twice: the same array)."""
        if words is self._numbered[0]:
            return self._numbered[1]
        nos = self._wordnos
        new = set(words).difference(nos)
        if new:
            self._words.extend(new)
            nos.update(zip(new, range(len(nos), len(nos) + len(new)), strict=True))
        got = np.fromiter(map(nos.__getitem__, words), dtype=np.int32, count=len(words))
        self._numbered = (words, got)
        return got

    def _index_forms(self, plan: _FieldPlan, value: WordForms, docnum: int) -> int:
        """Index raw words as their forms: the terms of the token stream ``value.tokens()``."""
        nos = self._word_numbers(value.words)
        key = (plan.name, value.language, value.stems)
        tmap = self._termmaps.get(key)
        if tmap is None or tmap.size < len(self._words):
            grown = np.full(
                max(len(self._words), 2 * (0 if tmap is None else tmap.size)), _UNKNOWN, np.int32
            )
            if tmap is not None:
                grown[: tmap.size] = tmap
            tmap = self._termmaps[key] = grown
        posts = self._posts.get(plan.name)
        if posts is None:
            posts = self._posts[plan.name] = _Postings()
        tids = tmap[nos]
        unknown = tids == _UNKNOWN
        if unknown.any():
            todo = np.unique(nos[unknown])
            vocab = posts.vocab
            tmap[todo] = [
                vocab.setdefault(form, len(vocab)) if form else _NO_TOKEN
                for form in value.forms([self._words[i] for i in todo.tolist()])
            ]
            tids = tmap[nos]
        if tids.size and int(tids.min()) < 0:
            tids = tids[tids >= 0]
        n = int(tids.size)
        if not n:
            return 0
        self._count += posts.add_ids(docnum, tids, plan.positions)
        if plan.positions:
            self._count += n
        self._lengths.setdefault(plan.name, {})[docnum] = n
        return n

    def finish_segment(self) -> None:
        """Write the postings of the current segment and close its files."""
        if self._segment is None:
            return
        # The raw words' numbers are not needed to write: freed before the writing's peak.
        self._wordnos = {}
        self._words = []
        self._termmaps = {}
        self._numbered = (None, np.empty(0, np.int32))
        self._perdoc.close()
        fw = self.codec.field_writer(self.storage, self._segment)
        try:
            for name in sorted(self._posts.keys() | self._other.keys()):
                plan = self.plans[name]
                field = plan.field
                boost = float(field.format.field_boost) if field.format else 1.0
                lengths = np.zeros(self._docnum, dtype=np.int64)
                got = self._lengths.get(name)
                if got:
                    lengths[np.fromiter(got.keys(), np.int64, len(got))] = np.fromiter(
                        got.values(), np.int64, len(got)
                    )
                fw.start_field(name, field)
                if name in self._posts:
                    posts = self._posts.pop(name)
                    if posts.docs:
                        self._write_postings(fw, posts, plan.positions, boost, lengths)
                else:
                    terms = self._other.pop(name)
                    self._write_other(fw, terms, boost, lengths)
                fw.finish_field()
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
    def _write_postings(
        fw: Any, posts: _Postings, positions: bool, boost: float, lengths: np.ndarray
    ) -> None:
        """Write one fast-path field's terms in order, each term's postings by document."""
        words = list(posts.vocab)  # in term-number order
        posts.vocab = {}
        order = sorted(range(len(words)), key=words.__getitem__)
        sorted_words = [words[i] for i in order]
        del words
        rank = np.empty(len(order), dtype=np.int32)
        rank[np.asarray(order, dtype=np.int64)] = np.arange(len(order), dtype=np.int32)
        del order
        keys = rank[np.frombuffer(posts.tids, dtype=np.int32)]
        del rank
        posts.tids = array("i")
        nterms = len(sorted_words)
        bounds = np.zeros(nterms + 1, dtype=np.int64)
        bounds[1:] = np.cumsum(np.bincount(keys, minlength=nterms))
        # the document of posting i is docnums[searchsorted(ends, i, "right")]
        docnums = np.frombuffer(posts.docs, dtype=np.int32)
        counts = np.frombuffer(posts.counts, dtype=np.int32)
        ends = np.cumsum(counts, dtype=np.int64)
        freqs_all = np.frombuffer(posts.freqs, dtype=np.dtype(posts.freqs.typecode))
        pstart_all = None
        source = None
        if positions:
            # where each posting's positions begin in its array (fewer than 2**31)
            longdocs = np.frombuffer(posts.longdocs, dtype=np.int32)
            is_long = np.repeat(np.isin(docnums, longdocs), counts) if longdocs.size else None
            if is_long is None:  # in place: no temporaries the size of the postings
                pstart_all = np.cumsum(freqs_all, dtype=np.int32)
                pstart_all -= freqs_all
            else:
                pstart_all = np.empty(freqs_all.size, dtype=np.int32)
                for part in (False, True):
                    f = freqs_all[is_long == part].astype(np.int32)
                    pstart_all[is_long == part] = np.cumsum(f, dtype=np.int32) - f
            source = _Positions(
                np.frombuffer(posts.short, dtype=np.uint16),
                np.frombuffer(posts.long, dtype=np.uint32),
                is_long,
            )
        # A range of terms at a time (by postings), so the sort's temporaries stay small:
        # postings are in document order, and a stable sort by term keeps it within a term.
        passes = max(1, -(-int(bounds[-1]) // _PASS_POSTINGS))
        cuts = np.searchsorted(bounds, np.linspace(0, bounds[-1], passes + 1)[1:-1], "left")
        edges = [0, *sorted(set(cuts.tolist()) - {0, nterms}), nterms]
        for lo, hi in zip(edges[:-1], edges[1:], strict=True):
            if lo == hi:
                continue
            if passes == 1:
                perm = _stable_order(keys)[0]
            else:
                idx = np.flatnonzero((keys >= lo) & (keys < hi))
                perm = idx[_stable_order(keys[idx])[0]]
                del idx
            SegmentBuilder._write_range(
                fw,
                sorted_words,
                bounds,
                lo,
                hi,
                docnums[np.searchsorted(ends, perm, "right")],
                freqs_all[perm],
                None if pstart_all is None else pstart_all[perm],
                source,
                perm,
                boost,
                lengths,
            )
            del perm

    @staticmethod
    def _write_range(
        fw: Any,
        sorted_words: list[str],
        bounds: np.ndarray,
        lo: int,
        hi: int,
        docs: np.ndarray,
        freqs: np.ndarray,
        pstart: np.ndarray | None,
        source: _Positions | None,
        perm: np.ndarray,
        boost: float,
        lengths: np.ndarray,
    ) -> None:
        """Write terms ``lo:hi`` (of ``sorted_words``), their postings given in term order
        (``bounds[lo]`` is the first's place among all the field's postings)."""
        positions = pstart is not None and source is not None
        bounds = bounds[lo : hi + 1] - bounds[lo]
        nterms = hi - lo
        bulk = bulk_terms_supported(fw)
        # terms a chunk at a time: a chunk's positions are gathered in term order at once
        per_term = np.add.reduceat(freqs, bounds[:-1], dtype=np.int64) if positions else None
        cum = np.cumsum(per_term) if per_term is not None else bounds[1:]
        budget = _CHUNK_POSITIONS if positions else _CHUNK_POSTINGS
        k = 0
        while k < nterms:
            used = int(cum[k - 1]) if k else 0
            k_end = int(np.searchsorted(cum, used + budget, "right"))
            k_end = max(k + 1, min(nterms, k_end))
            a, b = int(bounds[k]), int(bounds[k_end])
            ids_c, fr_c = docs[a:b], freqs[a:b].astype(np.int64)
            w_c = fr_c * boost
            len_c = lengths[ids_c]
            deltas = None
            if positions:
                offs = np.zeros(b - a + 1, dtype=np.int64)
                np.cumsum(fr_c, out=offs[1:])
                assert pstart is not None and source is not None
                pos_c = source.gather(pstart[a:b], fr_c, perm[a:b])
                deltas = pos_c.copy()
                deltas[1:] -= pos_c[:-1]
                deltas[offs[:-1]] = pos_c[offs[:-1]]
                del pos_c
            btexts = [w.encode("utf-8") for w in sorted_words[lo + k : lo + k_end]]
            tb = bounds[k : k_end + 1] - a
            if bulk:
                write_terms(
                    fw,
                    btexts,
                    tb,
                    ids_c,
                    w_c,
                    len_c,
                    counts=fr_c if positions else None,
                    deltas=deltas,
                    freqs=None if positions else fr_c,
                )
            else:  # another codec: a posting at a time, as Whoosh's writer sends them
                ids_l, w_l, len_l = ids_c.tolist(), w_c.tolist(), len_c.tolist()
                fr_l = fr_c.tolist()
                raw = deltas.astype("<u4").tobytes() if deltas is not None else b""
                offs_l = (offs * 4).tolist() if positions else []
                for t, btext in enumerate(btexts):
                    fw.start_term(btext)
                    for j in range(int(tb[t]), int(tb[t + 1])):
                        v = raw[offs_l[j] : offs_l[j + 1]] if positions else pack_uint(fr_l[j])
                        fw.add(ids_l[j], w_l[j], v, len_l[j])
                    fw.finish_term()
            k = k_end

    @staticmethod
    def _write_other(
        fw: Any, terms: dict[bytes, list[Any]], boost: float, lengths: np.ndarray
    ) -> None:
        """Write the terms of a field indexed through Whoosh's own ``field.index`` (ids,
        numbers: no values, so in bulk; a field with values a posting at a time)."""
        btexts = sorted(terms)
        flats = [terms[t] for t in btexts]
        if bulk_terms_supported(fw) and not any(v for f in flats for v in f[2::3]):
            ids = np.fromiter((d for f in flats for d in f[0::3]), dtype=np.int64)
            freqs = np.fromiter((n for f in flats for n in f[1::3]), dtype=np.int64)
            bounds = np.zeros(len(flats) + 1, dtype=np.int64)
            np.cumsum([len(f) // 3 for f in flats], out=bounds[1:])
            write_terms(fw, btexts, bounds, ids, freqs * boost, lengths[ids])
            return
        for btext, flat in zip(btexts, flats, strict=True):
            fw.start_term(btext)
            for d, f, v in zip(flat[0::3], flat[1::3], flat[2::3], strict=True):
                fw.add(d, f * boost, v, int(lengths[d]))
            fw.finish_term()

    def finish(self) -> list[Any]:
        """Finish the open segment and return every segment this builder wrote."""
        self.finish_segment()
        return list(self.segments)

    def doc_count(self) -> int:
        """Return how many documents the finished and open segments hold."""
        done = sum(s.doc_count_all() for s in self.segments)
        return done + (self._docnum if self._segment is not None else 0)


class _Positions:
    """A field's positions, in 16-bit and (for documents over 65,536 tokens) 32-bit parts."""

    __slots__ = ("short", "long", "is_long")

    def __init__(self, short: np.ndarray, long: np.ndarray, is_long: np.ndarray | None) -> None:
        self.short = short
        self.long = long
        self.is_long = is_long  # per posting in document order (None: no long document)

    def gather(self, starts: np.ndarray, counts: np.ndarray, postings: np.ndarray) -> np.ndarray:
        """Return the positions of postings (their ``starts``, ``counts`` and
        document-order numbers ``postings``), one after another."""
        idx = ranges(starts.astype(np.int64), counts)
        if self.is_long is None:
            return self.short[idx].astype(np.int64)
        wide = np.repeat(self.is_long[postings], counts)
        out = np.empty(idx.size, dtype=np.int64)
        out[~wide] = self.short[idx[~wide]]
        out[wide] = self.long[idx[wide]]
        return out
