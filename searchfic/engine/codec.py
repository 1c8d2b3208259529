"""searchfic's postings codec: Whoosh's W3 files, with posting blocks numpy reads at once.

Whoosh's W3 codec writes each block of up to 128 postings as one pickle of (ids, weights,
values), zlib-compressed as a whole, and the Positions format pickles each posting's
positions again inside it. Reading a common word's positions was a zlib inflate and two
unpickles per block (most of a quote's time); writing them, a pickle per posting and per
block (a third of a build). :class:`SfCodec` keeps everything else of W3 (term tables,
term infos, per-document files, columns, the pickled block header Whoosh skips blocks by)
and writes each block's data as little-endian arrays:

``<BBBBI`` header (ids code, weights code, values code, flags, stored values size), the
docnum deltas (uint16, or uint32 when one is over 65535), the weights (none when all are
1.0, one float32 when all are equal, uint16 when all are whole numbers below 65536, else
float32 each), then the values section (zlib-compressed, flag 1, only with a compression
level above 0 and when it shrinks; searchfic writes level 0): for :class:`RawPositions`
fields the position counts (uint32) and every posting's position deltas (uint16, or uint32
when one is over 65535); for other formats their fixed-size values laid end to end, or the
values' lengths and the values. The block header W3 reads before the data is a pickle as
before, written with fixed-width opcodes (:func:`block_info`) so that readers here find it
with one ``struct`` call.

:class:`RawPositions` (the format of every phrase field) encodes one posting's positions
as uint32 deltas, which is also how a block keeps them: a block's positions are one
``numpy.frombuffer`` and one running sum. Whoosh's own matchers, searchers, highlighter
and merges read these segments through :class:`SfLeafMatcher`, which presents the usual
Matcher interface; segments written by a stock W3 codec (with either positions format)
stay readable beside them, each through its own codec.
"""

from __future__ import annotations

import io
import pickle
import struct
import sys
import zlib
from array import array
from hashlib import md5
from itertools import accumulate
from operator import sub
from pickle import dumps
from typing import Any

import numpy as np
from whoosh import formats
from whoosh.codec.whoosh3 import (
    WHOOSH3_HEADER_MAGIC,
    W3Codec,
    W3LeafMatcher,
    W3PostingsWriter,
    W3TermInfo,
)
from whoosh.filedb import filetables
from whoosh.system import pack_uint, pack_ushort
from whoosh.util.numeric import byte_to_length, length_to_byte

__all__ = [
    "RawPositions",
    "SfCodec",
    "SfLeafMatcher",
    "SfPostingsWriter",
    "Block",
    "TermBlocks",
    "read_heads",
    "select_positions",
    "INLINE_LIMIT",
]

#: Terms with at most this many postings keep them in their term info (no block).
INLINE_LIMIT = 4
#: Values sections shorter than this are stored as they are (zlib would not pay).
COMPRESS_MIN = 80
#: zlib level of values sections (positions), 0 for none: 16-bit position deltas shrink
#: little (the 1,000-story bench index: 92 MB without, 86 MB at level 1), and stored as
#: they are a block gives the wanted postings' positions without inflating the rest;
#: writing skips zlib altogether.
COMPRESSION = 0

_HEAD = struct.Struct("<BBBBI")
_LITTLE = sys.byteorder == "little"

# ids codes
_IDS16, _IDS32 = 2, 4
# weights codes
_W_ONES, _W_CONST, _W_U16, _W_F32 = 0, 1, 2, 4
# values codes
_V_NONE, _V_FIXED, _V_VAR, _V_POS16, _V_POS32 = 0, 1, 2, 3, 4
_COMPRESSED = 1
_FIXED4 = struct.pack("<I", 4)  # a fixed-size values section of 4-byte values (frequencies)

_U16 = np.dtype("<u2")
_U32 = np.dtype("<u4")
_F32 = np.dtype("<f4")


class RawPositions(formats.Positions):
    """Positions stored as little-endian uint32 deltas (the first is the first position).

    Same information as Whoosh's ``Positions`` (frequency = number of positions, weight =
    frequency times the field boost), without a pickle: a block of them decodes in bulk.
    """

    def encode(self, poslist: Any) -> bytes:
        a = array("I", [poslist[0], *map(sub, poslist[1:], poslist)]) if poslist else array("I")
        if not _LITTLE:
            a.byteswap()
        return a.tobytes()

    def decode_positions(self, valuestring: bytes) -> list[int]:
        a = array("I")
        a.frombytes(valuestring)
        if not _LITTLE:
            a.byteswap()
        return list(accumulate(a))

    def decode_frequency(self, valuestring: bytes) -> int:
        return len(valuestring) // 4

    def decode_weight(self, valuestring: bytes) -> float:
        return (len(valuestring) // 4) * self.field_boost


# --- block data ------------------------------------------------------------------------------


def encode_block(
    ids: np.ndarray,
    weights: np.ndarray,
    vcode: int,
    payload: bytes,
    level: int,
) -> bytes:
    """Return one block's data: ``ids`` ascending docnums, ``weights`` their weights,
    ``payload`` the values section (see the module docstring) of code ``vcode``."""
    deltas = np.diff(ids, prepend=0)
    if int(deltas.max(initial=0)) < 65536:
        icode, ib = _IDS16, deltas.astype(_U16).tobytes()
    else:
        icode, ib = _IDS32, deltas.astype(_U32).tobytes()
    w32 = np.asarray(weights, dtype=_F32)
    first = w32[0]
    if (w32 == first).all():
        if first == 1.0:
            wcode, wb = _W_ONES, b""
        else:
            wcode, wb = _W_CONST, w32[:1].tobytes()
    elif (w32 >= 0).all() and (w32 < 65536).all() and (w32 == np.floor(w32)).all():
        wcode, wb = _W_U16, w32.astype(_U16).tobytes()
    else:
        wcode, wb = _W_F32, w32.tobytes()
    flags = 0
    if level and len(payload) >= COMPRESS_MIN:
        packed = zlib.compress(payload, level)
        if len(packed) < len(payload):
            payload, flags = packed, _COMPRESSED
    return b"".join((_HEAD.pack(icode, wcode, vcode, flags, len(payload)), ib, wb, payload))


# A block's header as W3 reads it (``postfile.read_pickle()``): the pickle of (postings,
# last id, max weight, compression, min length byte, max length byte), written here with
# fixed-width opcodes (BININT, BINFLOAT) so that it is always 39 bytes and a reader finds
# the numbers, and the block's data, at fixed offsets without unpickling.
_INFO = struct.Struct("<3sBiBiB8sBiBiBi2s")
_J, _G = ord("J"), ord("G")
_DOUBLE = struct.Struct(">d")


def block_info(n: int, lastid: int, maxweight: float, minlen_b: int, maxlen_b: int) -> bytes:
    """Return a block's header pickle, 39 bytes."""
    return _INFO.pack(
        b"\x80\x02(",
        _J,
        n,
        _J,
        lastid,
        _G,
        _DOUBLE.pack(maxweight),
        _J,
        0,
        _J,
        minlen_b,
        _J,
        maxlen_b,
        b"t.",
    )


def read_info(data: Any, at: int) -> tuple[int, int, int] | None:
    """Return (postings, last id, data offset) of the block header pickle at ``at``, if
    written by :func:`block_info` (None: unpickle it)."""
    if len(data) - at < _INFO.size:
        return None
    f = _INFO.unpack_from(data, at)
    if f[0] != b"\x80\x02(" or f[13] != b"t." or f[1] != _J or f[3] != _J or f[5] != _G:
        return None
    return f[2], f[4], at + _INFO.size


class Block:
    """One block's postings read from its data: ``ids`` (int64 docnums, segment-local) and
    ``weights`` (float64); the values section decoded only when asked for."""

    __slots__ = ("ids", "weights", "_vcode", "_flags", "_payload", "_positions", "_raw")

    def __init__(self, data: bytes, n: int, start: int = 0) -> None:
        icode, wcode, vcode, flags, vlen = _HEAD.unpack_from(data, start)
        at = start + _HEAD.size
        idt = _U16 if icode == _IDS16 else _U32
        self.ids = np.cumsum(np.frombuffer(data, idt, n, at), dtype=np.int64)
        at += n * idt.itemsize
        if wcode == _W_ONES:
            self.weights = np.ones(n, dtype=np.float64)
        elif wcode == _W_CONST:
            self.weights = np.full(n, np.frombuffer(data, _F32, 1, at)[0], dtype=np.float64)
            at += 4
        elif wcode == _W_U16:
            self.weights = np.frombuffer(data, _U16, n, at).astype(np.float64)
            at += 2 * n
        else:
            self.weights = np.frombuffer(data, _F32, n, at).astype(np.float64)
            at += 4 * n
        self._vcode = vcode
        self._flags = flags
        self._payload = data[at : at + vlen]
        self._positions: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None
        self._raw: tuple[np.ndarray, np.ndarray] | None = None

    def _section(self) -> bytes:
        p = self._payload
        return zlib.decompress(p) if self._flags & _COMPRESSED else p

    @property
    def has_positions(self) -> bool:
        """Whether the values are :class:`RawPositions` positions."""
        return self._vcode in (_V_POS16, _V_POS32)

    def _decode(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        if self._positions is None:
            n = self.ids.size
            section = self._section()
            counts = np.frombuffer(section, _U32, n).astype(np.int64)
            dt = _U16 if self._vcode == _V_POS16 else _U32
            deltas = np.frombuffer(section, dt, offset=4 * n).astype(np.int64)
            offsets = np.zeros(n + 1, dtype=np.int64)
            np.cumsum(counts, out=offsets[1:])
            self._positions = (offsets, deltas, restart_cumsum(deltas, offsets))
        return self._positions

    def positions(self) -> tuple[np.ndarray, np.ndarray]:
        """Return (offsets, positions): posting ``k``'s positions are
        ``positions[offsets[k]:offsets[k + 1]]`` (int64, absolute)."""
        offsets, _deltas, positions = self._decode()
        return offsets, positions

    def raw_positions(self) -> tuple[np.ndarray, np.ndarray]:
        """Return (offsets, deltas) without decoding (deltas a view of the block)."""
        if self._raw is not None:
            return self._raw
        n = self.ids.size
        section = self._section()
        counts = np.frombuffer(section, _U32, n)
        offsets = np.zeros(n + 1, dtype=np.int64)
        np.cumsum(counts, out=offsets[1:])
        dt = _U16 if self._vcode == _V_POS16 else _U32
        self._raw = (offsets, np.frombuffer(section, dt, offset=4 * n))
        return self._raw

    def values(self, n: int, fixedsize: int | None) -> tuple[Any, ...]:
        """Return the block's values one per posting, as the format encodes them."""
        vcode = self._vcode
        if vcode == _V_NONE:
            return (None,) * n if fixedsize == 0 else (b"",) * n
        section = self._section()
        if vcode == _V_FIXED:
            (size,) = struct.unpack_from("<I", section)
            return tuple(section[4 + i * size : 4 + (i + 1) * size] for i in range(n))
        if vcode == _V_VAR:
            (count,) = struct.unpack_from("<I", section)
            lengths = np.frombuffer(section, _U32, count, 4)
            ends = (np.cumsum(lengths, dtype=np.int64) + 4 + 4 * count).tolist()
            starts = [4 + 4 * count, *ends[:-1]]
            return tuple(section[s:e] for s, e in zip(starts, ends, strict=True))
        offsets, deltas, _positions = self._decode()
        raw = deltas.astype(_U32).tobytes()
        bounds = (offsets * 4).tolist()
        return tuple(raw[bounds[k] : bounds[k + 1]] for k in range(n))


def restart_cumsum(deltas: np.ndarray, offsets: np.ndarray) -> np.ndarray:
    """Running sums of ``deltas`` (non-negative) restarted at each of ``offsets[:-1]``.

    One running sum over all lists, less what the lists before each one added up to,
    repeated over its own entries (no pass to carry the restarts forward).
    """
    if deltas.size == 0:
        return deltas.astype(np.int64)
    running = np.cumsum(deltas, dtype=np.int64)
    firsts = offsets[:-1]
    before = np.zeros(firsts.size, dtype=np.int64)
    inner = firsts > 0
    before[inner] = running[firsts[inner] - 1]
    running -= np.repeat(before, np.diff(offsets))
    return running


def ranges(starts: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """Indexes ``starts[k] .. starts[k] + counts[k] - 1`` of every k, in order."""
    total = int(counts.sum())
    return np.repeat(starts - (np.cumsum(counts) - counts), counts) + np.arange(total)


def select_positions(
    offsets: np.ndarray, deltas: np.ndarray, idx: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Return (counts, positions) of postings ``idx`` (ascending), decoding only theirs:
    ``offsets`` bound each posting's ``deltas`` (first delta = its first position)."""
    starts = offsets[idx]
    counts = offsets[idx + 1] - starts
    picked = deltas[ranges(starts, counts)]
    sub = np.zeros(counts.size + 1, dtype=np.int64)
    np.cumsum(counts, out=sub[1:])
    return counts, restart_cumsum(picked, sub)


def positions_payload(counts: np.ndarray, deltas: np.ndarray) -> tuple[int, bytes]:
    """Return (values code, section) of a block's position counts and deltas."""
    head = np.asarray(counts, dtype=_U32).tobytes()
    if deltas.size == 0 or int(deltas.max()) < 65536:
        return _V_POS16, head + np.asarray(deltas, dtype=_U16).tobytes()
    return _V_POS32, head + np.asarray(deltas, dtype=_U32).tobytes()


def values_payload(values: list[bytes], fixedsize: int | None) -> tuple[int, bytes]:
    """Return (values code, section) of per-posting value bytes of any other format."""
    if not values:
        return _V_NONE, b""
    if fixedsize is not None and fixedsize > 0 and all(len(v) == fixedsize for v in values):
        return _V_FIXED, struct.pack("<I", fixedsize) + b"".join(values)
    lengths = np.fromiter(map(len, values), dtype=_U32, count=len(values))
    return _V_VAR, struct.pack("<I", len(values)) + lengths.tobytes() + b"".join(values)


# --- writing -----------------------------------------------------------------------------------


class TermBlocks:
    """All blocks of a term in one segment, read with one file read.

    ``ids`` (segment docnums) and ``weights`` of every posting; ``starts``, ``maxids``
    and ``sizes`` locate each block (as a matcher's ``_goto`` and the block cache know
    them); :meth:`raw_positions` gives every posting's position deltas. The blocks'
    arrays are cut out of the bytes and decoded together, not a block at a time.
    """

    __slots__ = ("data", "ids", "weights", "starts", "maxids", "sizes", "_values", "_positions")

    def __init__(self, data: bytes, offset: int) -> None:
        if data[:4] != WHOOSH3_HEADER_MAGIC:
            raise ValueError("not the start of a term's postings")
        bio = io.BytesIO(data)
        pos = 4
        starts: list[int] = []
        maxids: list[int] = []
        sizes: list[int] = []
        counts: list[int] = []
        id_parts: list[bytes] = []
        id_sizes: list[int] = []
        wide_ids = False
        weights: list[tuple[int, Any]] = []  # (code, bytes or value) per block
        values: list[tuple[int, int, int, int]] = []  # (code, flags, start, length)
        unpack_int = _INT.unpack_from
        unpack_head = _HEAD.unpack_from
        load = pickle.load
        while True:
            (length,) = unpack_int(data, pos)
            end = pos + 4 + abs(length)
            fixed = read_info(data, pos + 4)
            if fixed is None:
                bio.seek(pos + 4)
                info = load(bio)
                n, maxid, here = info[0], info[1], bio.tell()
            else:
                n, maxid, here = fixed
            icode, wcode, vcode, flags, vlen = unpack_head(data, here)
            at = here + _HEAD.size
            isize = 2 if icode == _IDS16 else 4
            wide_ids = wide_ids or icode != _IDS16
            id_parts.append(data[at : at + isize * n])
            id_sizes.append(isize)
            at += isize * n
            if wcode == _W_ONES:
                weights.append((wcode, None))
            elif wcode == _W_CONST:
                weights.append((wcode, data[at : at + 4]))
                at += 4
            elif wcode == _W_U16:
                weights.append((wcode, data[at : at + 2 * n]))
                at += 2 * n
            else:
                weights.append((wcode, data[at : at + 4 * n]))
                at += 4 * n
            values.append((vcode, flags, at, vlen))
            counts.append(n)
            starts.append(offset + pos)
            maxids.append(maxid)
            sizes.append(end - here)
            pos = end
            if length < 0 or pos >= len(data):
                break
        self.data = data
        total = sum(counts)
        if len(counts) == 1:
            self.ids = np.cumsum(
                np.frombuffer(id_parts[0], _U16 if id_sizes[0] == 2 else _U32), dtype=np.int64
            )
        else:
            if wide_ids:  # a block of uint32 deltas
                d = np.concatenate(
                    [
                        np.frombuffer(b, _U32 if size == 4 else _U16).astype(np.int64)
                        for b, size in zip(id_parts, id_sizes, strict=True)
                    ]
                )
            else:
                d = np.frombuffer(b"".join(id_parts), _U16).astype(np.int64)
            # each block's first delta is from 0: make it from the block before's last id
            firsts = np.cumsum(counts[:-1])
            d[firsts] -= np.asarray(maxids[:-1], dtype=np.int64)
            self.ids = np.cumsum(d)
        codes = {code for code, _raw in weights}
        if codes == {_W_ONES}:
            self.weights = np.ones(total, dtype=np.float64)
        elif codes == {_W_U16}:
            self.weights = np.frombuffer(b"".join([r for _c, r in weights]), _U16).astype(
                np.float64
            )
        else:
            w = np.empty(total, dtype=np.float64)
            lo = 0
            for (code, raw), n in zip(weights, counts, strict=True):
                hi = lo + n
                if code == _W_ONES:
                    w[lo:hi] = 1.0
                elif code == _W_CONST:
                    w[lo:hi] = np.frombuffer(raw, _F32, 1)[0]
                elif code == _W_U16:
                    w[lo:hi] = np.frombuffer(raw, _U16)
                else:
                    w[lo:hi] = np.frombuffer(raw, _F32)
                lo = hi
            self.weights = w
        self.starts = np.asarray(starts, dtype=np.int64)
        self.maxids = np.asarray(maxids, dtype=np.int64)
        self.sizes = np.asarray(sizes, dtype=np.int64)
        self._values = (values, counts)
        self._positions: tuple[np.ndarray, np.ndarray] | None = None

    @property
    def has_positions(self) -> bool:
        return all(v[0] in (_V_POS16, _V_POS32) for v in self._values[0])

    def raw_positions(self) -> tuple[np.ndarray, np.ndarray]:
        """Return (offsets, deltas) of every posting of the term, not decoded."""
        if self._positions is None:
            values, counts = self._values
            data = self.data
            count_parts: list[bytes] = []
            delta_parts: list[bytes] = []
            narrow = True
            for (vcode, flags, at, vlen), n in zip(values, counts, strict=True):
                section = data[at : at + vlen]
                if flags & _COMPRESSED:
                    section = zlib.decompress(section)
                count_parts.append(section[: 4 * n])
                delta_parts.append(section[4 * n :])
                narrow = narrow and vcode == _V_POS16
            c = np.frombuffer(b"".join(count_parts), _U32)
            offsets = np.zeros(c.size + 1, dtype=np.int64)
            np.cumsum(c, out=offsets[1:])
            if narrow:
                deltas = np.frombuffer(b"".join(delta_parts), _U16)
            else:
                deltas = np.concatenate(
                    [
                        np.frombuffer(d, _U16 if v[0] == _V_POS16 else _U32).astype(np.int64)
                        for d, v in zip(delta_parts, values, strict=True)
                    ]
                )
            self._positions = (offsets, deltas)
            self.data = b""  # the blocks' bytes are not needed any more
        return self._positions

    def nbytes(self) -> int:
        """About what the term keeps in memory."""
        offsets, deltas = self.raw_positions()
        return int(self.ids.nbytes + self.weights.nbytes + offsets.nbytes + deltas.nbytes)


def read_heads(
    postfile: Any, offset: int, length: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Return a term's (ids, weights, block starts, block max ids, block data sizes),
    reading each block's header, ids and weights only: for a common word of a positions
    field, its positions are most of its bytes and are not needed to score it."""
    get = postfile.get
    end = offset + length
    pos = offset + 4  # after the header magic
    id_parts: list[np.ndarray] = []
    w_parts: list[np.ndarray] = []
    starts: list[int] = []
    maxids: list[int] = []
    sizes: list[int] = []
    while pos < end:
        head = get(pos, min(_HEAD_READ, end - pos))
        (blen,) = _INT.unpack_from(head)
        fixed = read_info(head, 4)
        if fixed is None:
            bio = io.BytesIO(head)
            bio.seek(4)
            info = pickle.load(bio)
            n, maxid, here = info[0], info[1], bio.tell()
        else:
            n, maxid, here = fixed
        icode, wcode, _vcode, _flags, _vlen = _HEAD.unpack_from(head, here)
        isize = 2 if icode == _IDS16 else 4
        wsize = {_W_ONES: 0, _W_CONST: 4, _W_U16: 2 * n}.get(wcode, 4 * n)
        at = pos + here + _HEAD.size
        raw = get(at, isize * n + wsize)
        id_parts.append(
            np.cumsum(np.frombuffer(raw, _U16 if isize == 2 else _U32, n), dtype=np.int64)
        )
        if wcode == _W_ONES:
            w_parts.append(np.ones(n, dtype=np.float64))
        elif wcode == _W_CONST:
            w_parts.append(np.full(n, np.frombuffer(raw, _F32, 1, isize * n)[0], dtype=np.float64))
        elif wcode == _W_U16:
            w_parts.append(np.frombuffer(raw, _U16, n, isize * n).astype(np.float64))
        else:
            w_parts.append(np.frombuffer(raw, _F32, n, isize * n).astype(np.float64))
        nxt = pos + 4 + abs(blen)
        starts.append(pos)
        maxids.append(maxid)
        sizes.append(nxt - (pos + here))
        pos = nxt
        if blen < 0:
            break
    return (
        np.concatenate(id_parts),
        np.concatenate(w_parts),
        np.asarray(starts, dtype=np.int64),
        np.asarray(maxids, dtype=np.int64),
        np.asarray(sizes, dtype=np.int64),
    )


#: Bytes read for a block's length, header pickle and data header (the pickle of six
#: numbers is at most 46 bytes).
_HEAD_READ = 4 + 48 + 8


class SfPostingsWriter(W3PostingsWriter):
    """W3's postings writer with array blocks and rare terms inlined.

    Postings arrive one by one (``add_posting``, from Whoosh's own writer and merges; the
    segment builder writes whole fields with :func:`write_terms` instead). Terms with at
    most :data:`INLINE_LIMIT` postings that carry values are kept in their term info; the
    stock W3 writer never inlines (it calls a ``set_inline`` its term info does not have).
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._positions_fmt = False

    def start_postings(self, format_: Any, terminfo: Any) -> None:
        super().start_postings(format_, terminfo)
        self._positions_fmt = isinstance(format_, RawPositions)

    def _fixed(self) -> int | None:
        return self._format.fixed_value_size() if self._format is not None else None

    def _write_block(self, last: bool = False) -> None:
        if self._byteids:
            super()._write_block(last)
            return
        ids = np.asarray(self._ids, dtype=np.int64)
        weights = np.asarray(self._weights, dtype=np.float64)
        if self._positions_fmt and len(self._values) == len(self._ids):
            counts = np.fromiter(map(len, self._values), dtype=np.int64, count=len(self._values))
            raw = np.frombuffer(b"".join(self._values), dtype=_U32)
            vcode, payload = positions_payload(counts // 4, raw)
        else:
            vcode, payload = values_payload(self._values, self._fixed())
        self._emit(
            ids, weights, self._minlength, self._maxlength, vcode, payload, last, self._maxweight
        )

    def _emit(
        self,
        ids: np.ndarray,
        weights: np.ndarray,
        minlength: int | None,
        maxlength: int,
        vcode: int,
        payload: bytes,
        last: bool,
        maxweight: float | None = None,
    ) -> None:
        if not self._blockcount:
            self._postfile.write(WHOOSH3_HEADER_MAGIC)
        n = int(ids.size)
        first, lastid = int(ids[0]), int(ids[-1])
        w32 = np.asarray(weights, dtype=_F32)
        if maxweight is None:
            maxweight = max(0.0, float(np.max(weights)))
        # W3TermInfo.add_block, from the arrays
        ti = self._terminfo
        ti._weight += float(w32.sum(dtype=np.float64))
        ti._df += n
        if ti._minlength is None:
            ti._minlength = minlength
        elif minlength is not None:
            ti._minlength = min(ti._minlength, minlength)
        ti._maxlength = max(ti._maxlength, maxlength)
        ti._maxweight = max(ti._maxweight, maxweight)
        if ti._minid is None:
            ti._minid = first
        ti._maxid = lastid
        data = encode_block(ids, w32, vcode, payload, self._compression)
        info = block_info(
            n, lastid, maxweight, length_to_byte(minlength), length_to_byte(maxlength)
        )
        length = len(info) + len(data)
        postfile = self._postfile
        postfile.write_int(-length if last else length)
        postfile.write(info)
        postfile.write(data)
        self._blockcount += 1
        self._new_block()

    def finish_postings(self) -> Any:
        terminfo = self._terminfo
        if not self.written() and 0 < len(self._ids) <= INLINE_LIMIT and self._values:
            terminfo.add_block(self)
            terminfo.set_inlined(self._ids, self._weights, self._values)
            self._terminfo = None
            return terminfo
        elif self._ids:
            self._write_block(last=True)
        terminfo.set_extent(self._startoffset, self._postfile.tell() - self._startoffset)
        self._terminfo = None
        return terminfo


# --- reading -----------------------------------------------------------------------------------


class SfLeafMatcher(W3LeafMatcher):
    """W3's block matcher over :class:`SfCodec` blocks (vectors keep W3's own blocks)."""

    def _read_data(self) -> None:
        if self._byteids:
            super()._read_data()
            return
        b = self._postfile.get(self._dataoffset, self._nextoffset - self._dataoffset)
        self._data = Block(b, self._blocklength)

    def block(self) -> Block:
        """Return the current block's data (read once)."""
        if self._data is None:
            self._read_data()
        return self._data

    def _read_ids(self) -> None:
        if self._byteids:
            super()._read_ids()
            return
        self._ids = self.block().ids.tolist()

    def _read_weights(self) -> None:
        if self._byteids:
            super()._read_weights()
            return
        self._weights = self.block().weights.tolist()

    def _read_values(self) -> None:
        if self._byteids:
            super()._read_values()
            return
        self._values = self.block().values(self._blocklength, self._fixedsize)


class SfCodec(W3Codec):
    """W3 with array posting blocks (see the module docstring)."""

    def __init__(
        self, blocklimit: int = 128, compression: int = COMPRESSION, inlinelimit: int = 1
    ) -> None:
        super().__init__(blocklimit, compression, inlinelimit)

    def postings_writer(self, dbfile: Any, byteids: bool = False) -> Any:
        if byteids:  # term vectors: the stock layout
            return super().postings_writer(dbfile, byteids)
        return SfPostingsWriter(
            dbfile,
            blocklimit=self._blocklimit,
            byteids=False,
            compression=self._compression,
            inlinelimit=self._inlinelimit,
        )

    def postings_reader(
        self, dbfile: Any, terminfo: Any, format_: Any, term: Any = None, scorer: Any = None
    ) -> Any:
        if terminfo.is_inlined():
            return super().postings_reader(dbfile, terminfo, format_, term, scorer)
        offset, length = terminfo.extent()
        # (mypy counts Matcher.copy as abstract; W3Codec makes W3LeafMatcher just so)
        return SfLeafMatcher(  # type: ignore[abstract]
            dbfile, offset, length, format_, term=term, scorer=scorer
        )


# --- a field's terms in bulk (the segment builder) ---------------------------------------------

_TERMINFO = struct.Struct("!BfIBBfII")  # W3TermInfo._struct: flags, weight, df, lengths, ids
_EXTENT = struct.Struct("!qi")  # a block term's postings: offset (pack_long), length (pack_int)
KV_LENGTHS = struct.Struct("!ii")  # filetables._lengths: key and value length
HASH_SLOT = struct.Struct("!Iq")  # filetables._pointer: key hash, item position
_INT = struct.Struct("!i")  # a block's length (postfile.write_int)
_LENGTH_BYTES = np.asarray([byte_to_length(b) for b in range(256)], dtype=np.int64)


def lengths_to_bytes(lengths: np.ndarray) -> np.ndarray:
    """``length_to_byte`` of every length (a length of 0 or less is byte 0)."""
    out = np.searchsorted(_LENGTH_BYTES, lengths, "left")
    out[lengths >= 106374] = 255
    return out


def bulk_terms_supported(fw: Any) -> bool:
    """Whether :func:`write_terms` can write to this field writer (W3's layout, our codec)."""
    return (
        isinstance(getattr(fw, "_codec", None), SfCodec)
        and getattr(W3TermInfo, "_struct", None) is not None
        and W3TermInfo._struct.format == _TERMINFO.format
        and hasattr(fw, "_tindex")
        and hasattr(fw, "_postfile")
    )


def write_terms(
    fw: Any,
    btexts: list[bytes],
    bounds: np.ndarray,
    ids: np.ndarray,
    weights: np.ndarray,
    lengths: np.ndarray,
    counts: np.ndarray | None = None,
    deltas: np.ndarray | None = None,
    freqs: np.ndarray | None = None,
) -> None:
    """Write terms of the current field, in order, straight to the term table and postings.

    Term ``k`` is ``btexts[k]``; its postings are ``bounds[k]:bounds[k + 1]`` of ``ids``
    (ascending segment docnums within a term), ``weights`` and ``lengths`` (the field's
    length in each document). A RawPositions field gives every posting's position
    ``counts`` and the flat position ``deltas`` (each posting's first is its position);
    a Frequency field its ``freqs``. What is written is what ``start_term``, ``add``
    and ``finish_term`` of :class:`SfPostingsWriter` would write, computed per block in
    numpy: rare terms inlined in their term info, the others in blocks of ``blocklimit``.
    """
    codec: SfCodec = fw._codec
    limit = codec._blocklimit
    level = codec._compression
    nterms = len(btexts)
    if nterms == 0:
        return
    df = np.diff(bounds)
    n_all = int(bounds[-1])
    w32 = weights.astype(_F32)
    w64 = w32.astype(np.float64)  # what W3TermInfo sums: the stored float32 weights
    pos_off: np.ndarray | None = None
    if counts is not None:
        pos_off = np.zeros(n_all + 1, dtype=np.int64)
        np.cumsum(counts, out=pos_off[1:])
    # per-term statistics (all terms)
    starts = bounds[:-1]
    t_weight = np.add.reduceat(w64, starts) if n_all else np.zeros(nterms)
    big = np.where(lengths > 0, lengths, np.iinfo(np.int64).max)
    t_minlen = np.minimum.reduceat(big, starts)
    t_maxlen = np.maximum.reduceat(lengths, starts)
    t_maxw = np.maximum.reduceat(weights, starts)
    t_minlen_b = np.where(t_minlen == np.iinfo(np.int64).max, 0, lengths_to_bytes(t_minlen))
    t_maxlen_b = lengths_to_bytes(t_maxlen)
    t_first = ids[starts]
    t_last = ids[bounds[1:] - 1]
    # blocks of the terms not inlined
    # rare terms are inlined in their term info, if their postings carry values (as
    # SfPostingsWriter.finish_postings decides)
    inline_limit = INLINE_LIMIT if counts is not None or freqs is not None else 0
    blocked = df > inline_limit
    nb = np.where(blocked, (df + limit - 1) // limit, 0)
    b_term = np.repeat(np.arange(nterms), nb)
    b_start = np.repeat(starts, nb) + limit * (
        np.arange(int(nb.sum())) - np.repeat(np.cumsum(nb) - nb, nb)
    )
    b_end = np.minimum(b_start + limit, bounds[1:][b_term])
    if b_start.size:
        # docnum deltas, the first of each block from 0
        dl = np.diff(ids, prepend=0)
        dl[b_start] = ids[b_start]
        # reduceat runs from each start to the next: blocks are contiguous within a term,
        # and anything between two terms' blocks is inlined postings (never the max of a
        # block, since b_end bounds it below): reduce over each block exactly instead
        edges = np.empty(2 * b_start.size, dtype=np.int64)
        edges[0::2] = b_start
        edges[1::2] = b_end
        ok_edges = edges[:-1] if edges[-1] >= n_all else edges

        def per_block(op: Any, values: np.ndarray) -> np.ndarray:
            return np.asarray(op.reduceat(values, ok_edges)[0::2])

        b_idmax = per_block(np.maximum, dl)
        b_wmin = per_block(np.minimum, w32)
        b_wmax = per_block(np.maximum, w32)
        frac = (w32 != np.floor(w32)).astype(np.int8)
        b_frac = per_block(np.maximum, frac)
        b_maxw = per_block(np.maximum, weights)
        b_minlen = per_block(np.minimum, big)
        b_maxlen = per_block(np.maximum, lengths)
        ids16 = dl.astype(_U16).tobytes() if bool((b_idmax < 65536).any()) else b""
        ids32 = dl.astype(_U32).tobytes() if bool((b_idmax >= 65536).any()) else b""
        w16 = w32.astype(_U16).tobytes()
        wf = w32.tobytes()
        if pos_off is not None:
            assert counts is not None and deltas is not None
            cnt32 = np.asarray(counts, dtype=_U32).tobytes()
            p_start, p_end = pos_off[b_start], pos_off[b_end]
            pedges = np.empty(2 * b_start.size, dtype=np.int64)
            pedges[0::2] = p_start
            pedges[1::2] = p_end
            pok = pedges[:-1] if pedges[-1] >= deltas.size else pedges
            b_posmax = np.maximum.reduceat(deltas, pok)[0::2]
            pos16 = deltas.astype(_U16).tobytes() if bool((b_posmax < 65536).any()) else b""
            pos32 = deltas.astype(_U32).tobytes() if bool((b_posmax >= 65536).any()) else b""
            p_start_l, p_end_l, b_posmax_l = p_start.tolist(), p_end.tolist(), b_posmax.tolist()
        elif freqs is not None:
            fbe = np.asarray(freqs, dtype=">u4").tobytes()
        b_start_l, b_end_l = b_start.tolist(), b_end.tolist()
        b_idmax_l = b_idmax.tolist()
        b_wmin_l, b_wmax_l, b_frac_l = b_wmin.tolist(), b_wmax.tolist(), b_frac.tolist()
        b_maxw_l = b_maxw.tolist()
        b_minlen_l = b_minlen.tolist()
        b_maxlen_l = b_maxlen.tolist()
        b_lastid_l = ids[b_end - 1].tolist()
        big_l = int(np.iinfo(np.int64).max)
    # rare terms: lists for their inlined postings
    ids_l = ids.tolist()
    w_l = w64.tolist()
    tindex = fw._tindex
    key_prefix = pack_ushort(fw._fieldid)
    postfile = fw._postfile
    offset = postfile.tell()
    pack_ti = _TERMINFO.pack
    pack_head = _HEAD.pack
    pack_int = _INT.pack
    pack_extent = _EXTENT.pack
    compress = zlib.compress
    items: list[tuple[bytes, bytes]] = []
    out: list[bytes] = []
    bounds_l = bounds.tolist()
    df_l = df.tolist()
    tw, tminb, tmaxb, tmaxw = (
        t_weight.tolist(),
        t_minlen_b.tolist(),
        t_maxlen_b.tolist(),
        t_maxw.tolist(),
    )
    tfirst, tlast = t_first.tolist(), t_last.tolist()
    nb_l = nb.tolist()
    pos_off_l = pos_off.tolist() if pos_off is not None and b_start.size == 0 else None
    raw_pos = None
    blk = 0
    for k in range(nterms):
        s, e = bounds_l[k], bounds_l[k + 1]
        n = df_l[k]
        head = pack_ti(
            n <= inline_limit, tw[k], n, tminb[k], tmaxb[k], max(0.0, tmaxw[k]), tfirst[k], tlast[k]
        )
        if n <= inline_limit:
            if counts is not None:
                if raw_pos is None:
                    assert deltas is not None and pos_off is not None
                    raw_pos = deltas.astype(_U32).tobytes()
                    pos_off_l = (pos_off * 4).tolist()
                assert pos_off_l is not None
                values = tuple([raw_pos[pos_off_l[j] : pos_off_l[j + 1]] for j in range(s, e)])
            else:
                assert freqs is not None
                values = tuple([pack_uint(int(f)) for f in freqs[s:e].tolist()])
            posts = dumps((tuple(ids_l[s:e]), tuple(w_l[s:e]), values), 2)
            items.append((key_prefix + btexts[k], head + posts))
            continue
        start_offset = offset
        first_block = True
        for _ in range(nb_l[k]):
            bs, be = b_start_l[blk], b_end_l[blk]
            m = be - bs
            if b_idmax_l[blk] < 65536:
                icode, ib = _IDS16, ids16[2 * bs : 2 * be]
            else:
                icode, ib = _IDS32, ids32[4 * bs : 4 * be]
            wmin, wmax = b_wmin_l[blk], b_wmax_l[blk]
            if wmin == wmax:
                if wmin == 1.0:
                    wcode, wb = _W_ONES, b""
                else:
                    wcode, wb = _W_CONST, wf[4 * bs : 4 * bs + 4]
            elif wmin >= 0 and wmax < 65536 and not b_frac_l[blk]:
                wcode, wb = _W_U16, w16[2 * bs : 2 * be]
            else:
                wcode, wb = _W_F32, wf[4 * bs : 4 * be]
            if pos_off is not None:
                ps, pe = p_start_l[blk], p_end_l[blk]
                if b_posmax_l[blk] < 65536:
                    vcode, payload = _V_POS16, cnt32[4 * bs : 4 * be] + pos16[2 * ps : 2 * pe]
                else:
                    vcode, payload = _V_POS32, cnt32[4 * bs : 4 * be] + pos32[4 * ps : 4 * pe]
            elif freqs is not None:
                vcode, payload = _V_FIXED, _FIXED4 + fbe[4 * bs : 4 * be]
            else:
                vcode, payload = _V_NONE, b""
            flags = 0
            if level and len(payload) >= COMPRESS_MIN:
                packed = compress(payload, level)
                if len(packed) < len(payload):
                    payload, flags = packed, _COMPRESSED
            minlen = b_minlen_l[blk]
            minlen_b = 0 if minlen == big_l else length_to_byte(minlen)
            info = block_info(
                m, b_lastid_l[blk], b_maxw_l[blk], minlen_b, length_to_byte(b_maxlen_l[blk])
            )
            is_last = _ == nb_l[k] - 1
            size = len(info) + _HEAD.size + len(ib) + len(wb) + len(payload)
            if first_block:
                out.append(WHOOSH3_HEADER_MAGIC)
                offset += len(WHOOSH3_HEADER_MAGIC)
                first_block = False
            out += (
                pack_int(-size if is_last else size),
                info,
                pack_head(icode, wcode, vcode, flags, len(payload)),
                ib,
                wb,
                payload,
            )
            offset += 4 + size
            blk += 1
        items.append(
            (key_prefix + btexts[k], head + pack_extent(start_offset, offset - start_offset))
        )
    postfile.write(b"".join(out))
    add_terms(tindex, items)


def md5_hash32(key: bytes) -> int:
    """``filetables.md5_hash`` (the low 32 bits of the digest), without the hex round trip."""
    return int.from_bytes(md5(key, usedforsecurity=False).digest()[-4:], "big")


def add_terms(tindex: Any, items: list[tuple[bytes, bytes]]) -> None:
    """``OrderedHashWriter.add`` for each (key, value) of ``items`` (keys in order), in
    one write: the same bytes, positions, hash buckets and key index."""
    if not items:
        return
    if tindex.hashfn is not filetables.md5_hash or items[0][0] <= tindex.lastkey:
        for key, value in items:
            tindex.add(key, value)
        return
    dbfile = tindex.dbfile
    pos = dbfile.tell()
    buckets = tindex.buckets
    lengths = KV_LENGTHS.pack
    chunks: list[bytes] = []
    offsets: list[int] = []
    for key, value in items:
        offsets.append(pos)
        h = md5_hash32(key)
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
