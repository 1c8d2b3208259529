"""Open the published generation of an index, and follow newer ones cheaply."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

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
        self._searcher: Searcher | None = None
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
            raise SchemaVersionError(
                f"{self.index_dir} was built with schema {version}; "
                "run `searchfic index --rebuild`"
            )
        try:
            ix = whoosh_index.open_dir(str(path), indexname=layout.WHOOSH_INDEX_NAME)
        except (whoosh_index.EmptyIndexError, OSError) as exc:
            raise IndexMissingError(
                f"no index in {self.index_dir} (generation {name} is unreadable: {exc}); "
                "run `searchfic index --rebuild`"
            ) from None
        old = self._searcher
        self._ix = ix
        self._searcher = ix.searcher()
        self.generation = name
        self.path = path
        self.meta = meta
        self.cache = {}
        if old is not None:
            old.close()

    @contextmanager
    def searcher(self) -> Iterator[Searcher]:
        """Yield the generation's searcher (shared; it is read-only and stays open)."""
        with self._lock:
            s = self._searcher
        if s is None:
            raise IndexMissingError(f"the index in {self.index_dir} is closed")
        yield s

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
            if self._searcher is not None:
                self._searcher.close()
            self._searcher = None
            self._ix = None
            self.cache = {}

    def __enter__(self) -> Index:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


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
