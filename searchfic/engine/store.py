"""Open the published generation of an index, and follow newer ones cheaply."""

from __future__ import annotations

import json
import os
import threading
from bisect import bisect_right
from pathlib import Path
from typing import Any

from whoosh import columns
from whoosh import index as whoosh_index
from whoosh.searching import Searcher

from searchfic.engine import layout
from searchfic.engine.schema import SCHEMA_VERSION
from searchfic.errors import IndexMissingError, SchemaVersionError


class Index:
    """One open generation: its Whoosh index, its meta.json and per-generation caches."""

    def __init__(self, index_dir: Path) -> None:
        self.index_dir = Path(index_dir)
        self.generation: str = ""
        self.path: Path = self.index_dir
        self.meta: dict[str, Any] = {}
        self.cache: dict[str, Any] = {}
        self._ix: Any = None
        self._idle: list[Searcher] = []  # open searchers of this generation, not in use
        self._lock = threading.RLock()
        self._open(self._current_or_raise())

    def _current_or_raise(self) -> str:
        name = layout.current_name(self.index_dir)
        if name is None:
            raise IndexMissingError(f"no index in {self.index_dir}; run `searchfic index`")
        return name

    def _open(self, name: str) -> None:
        path = layout.generations_dir(self.index_dir) / name
        meta = _read_meta(path)
        version = meta.get("schema_version")
        if version != SCHEMA_VERSION:
            built = f"schema {version}" if version is not None else "an unknown schema"
            raise SchemaVersionError(
                f"{self.index_dir} was built with {built} (this searchfic reads schema "
                f"{SCHEMA_VERSION}); run `searchfic index --rebuild`"
            )
        try:
            ix = whoosh_index.open_dir(str(path), indexname=layout.WHOOSH_INDEX_NAME)
        except (whoosh_index.EmptyIndexError, OSError) as exc:
            raise IndexMissingError(
                f"no index in {self.index_dir} (generation {name} is unreadable: {exc}); "
                "run `searchfic index --rebuild`"
            ) from None
        with self._lock:
            idle, self._idle = self._idle, []
            self._ix = ix
            self.generation = name
            self.path = path
            self.meta = meta
            self.cache = {}
            self._idle.append(ix.searcher())  # open now: a broken generation fails here
        for old in idle:
            old.close()

    def searcher(self) -> SearcherLease:
        """Lend a searcher of the current generation to a ``with`` block (this thread's alone).

        Searchers are pooled: a Whoosh searcher is not safe to share between threads,
        and opening one per request would re-read every segment's metadata.
        """
        return SearcherLease(self)

    def _lend_to(self, lease: SearcherLease) -> None:
        """Give ``lease`` a pooled searcher and the generation it belongs to.

        The lock is taken by ``acquire``/``release``, not ``with``: every request passes
        here twice, and ``with`` makes two bound-method objects each time (garbage the
        collector counts towards its next pass).
        """
        self._lock.acquire()
        try:
            if self._ix is None:
                raise IndexMissingError(f"the index in {self.index_dir} is closed")
            ix = self._ix
            s: Any = self._idle.pop() if self._idle else ix.searcher()
            # A request that outlives a refresh() must keep using its own generation's
            # caches and meta, not the next generation's.
            s.searchfic_cache = self.cache
            s.searchfic_meta = self.meta
        finally:
            self._lock.release()
        lease._searcher = s
        lease._ix = ix

    def _give_back(self, s: Any, ix: Any) -> None:
        self._lock.acquire()
        try:
            keep = self._ix is ix and len(self._idle) < 16
            if keep:
                self._idle.append(s)
        finally:
            self._lock.release()
        if not keep:
            s.close()

    def refresh(self) -> bool:
        """Switch to a newer published generation, if any; return whether it switched."""
        name = layout.current_name(self.index_dir)
        if name is None or name == self.generation:
            return False
        with self._lock:
            if name == self.generation:
                return False
            self._open(name)
        return True

    def close(self) -> None:
        """Close the searcher and drop caches."""
        with self._lock:
            idle, self._idle = self._idle, []
            self._ix = None
            self.cache = {}
        for s in idle:
            s.close()

    def __enter__(self) -> Index:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class SearcherLease:
    """``with index.searcher() as s``: one pooled searcher, given back on leaving.

    A class rather than a ``@contextmanager`` generator: every request takes one, and the
    generator machinery cost more than the pool itself (~10 us of a ~100 us browse,
    interleaved with other queries).
    """

    __slots__ = ("_index", "_searcher", "_ix")
    _index: Index
    _searcher: Searcher
    _ix: Any

    def __init__(self, index: Index) -> None:
        self._index = index

    def __enter__(self) -> Searcher:
        self._index._lend_to(self)
        return self._searcher

    def __exit__(self, *exc: object) -> None:
        self._index._give_back(self._searcher, self._ix)


class _Column:
    """One column field over every segment of a reader, read by global document number.

    Whoosh's own multi-segment column reader would misplace the documents of a segment
    without the column file; each segment here gets its reader (an empty one if need be).
    """

    def __init__(self, reader: Any, fieldname: str) -> None:
        leaves = reader.leaf_readers()
        self._bases = [base for _leaf, base in leaves]
        self._readers = [leaf.column_reader(fieldname, translate=False) for leaf, _b in leaves]
        self._direct = [_direct_reads(r) for r in self._readers]

    def __getitem__(self, docnum: int) -> bytes:
        i = bisect_right(self._bases, docnum) - 1
        local = docnum - self._bases[i]
        direct = self._direct[i]
        if direct is None:
            return bytes(self._readers[i][local])
        fd, basepos, offsets, lengths = direct
        length = lengths[local]
        return os.pread(fd, length, basepos + offsets[local]) if length else b""


def _direct_reads(col: Any) -> tuple[int, int, Any, Any] | None:
    """Return what reading a var-bytes column's values with one ``pread`` each takes.

    Whoosh's reader seeks the shared buffered file and reads through two Python layers,
    ~13 us a value interleaved with other queries; a positional read needs neither the
    seek nor the file position. None for any other column or file (Whoosh reads it).
    """
    if not isinstance(col, columns.VarBytesColumn.Reader) or not hasattr(os, "pread"):
        return None
    try:
        dbfile = col._dbfile
        if not dbfile.is_real:
            return None
        return dbfile.file.fileno(), col._basepos, col._offsets, col._lengths
    except (AttributeError, OSError, ValueError):  # io.UnsupportedOperation is an OSError
        return None


def column_bytes(searcher: Searcher, fieldname: str, docnum: int) -> bytes:
    """Return a document's raw value of a column field (the record, the body).

    The column readers are kept on the searcher (a searcher serves one thread at a time),
    so a hit costs one read of its own bytes: no stored-fields dict is unpickled.
    """
    readers: dict[str, _Column] | None = getattr(searcher, "searchfic_columns", None)
    if readers is None:
        readers = {}
        searcher.searchfic_columns = readers  # type: ignore[attr-defined]
    col = readers.get(fieldname)
    if col is None:
        col = readers[fieldname] = _Column(searcher.reader(), fieldname)
    return col[docnum]


def _read_meta(path: Path) -> dict[str, Any]:
    try:
        meta = json.loads((path / layout.META).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, ValueError):
        return {}
    return meta if isinstance(meta, dict) else {}


def open_index(index_dir: Path) -> Index:
    """Open the published generation in ``index_dir``.

    Raises IndexMissingError when nothing is published, SchemaVersionError when the
    generation was built with another schema version.
    """
    return Index(Path(index_dir))
