"""The app's hold on the index: one Index per app, refreshed per request, thread-safe."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any

from flask import current_app, g

if TYPE_CHECKING:
    from searchfic.engine.store import Index

EXTENSION = "searchfic"


class IndexHolder:
    """Open the index lazily, then switch to newer generations as they are published."""

    def __init__(self, index_dir: Path) -> None:
        self.index_dir = Path(index_dir)
        self._index: Index | None = None
        # waitress serves from several threads; opening and refreshing must not interleave.
        self._lock = threading.Lock()

    def current(self) -> Index:
        """Return the Index of the newest published generation (IndexMissingError if none)."""
        with self._lock:
            if self._index is None:
                from searchfic.engine.store import open_index

                self._index = open_index(self.index_dir)
            else:
                self._index.refresh()
            return self._index

    def close(self) -> None:
        with self._lock:
            if self._index is not None:
                self._index.close()
                self._index = None


def holder() -> IndexHolder:
    return current_app.extensions[EXTENSION]


def request_index() -> Index:
    """Return this request's Index: refreshed once per request, then reused."""
    index = g.get("sf_index")
    if index is None:
        index = holder().current()
        g.sf_index = index
    return index


def request_searcher() -> Any:
    """Return a Searcher for this request, closed when the request ends."""
    searcher = g.get("sf_searcher")
    if searcher is None:
        cm = request_index().searcher()
        searcher = cm.__enter__()
        g.sf_searcher_cm = cm
        g.sf_searcher = searcher
    return searcher


def close_request_searcher(_exc: BaseException | None = None) -> None:
    """Close the request's Searcher, if one was opened (teardown hook)."""
    cm = g.pop("sf_searcher_cm", None)
    g.pop("sf_searcher", None)
    g.pop("sf_index", None)
    if cm is not None:
        cm.__exit__(None, None, None)


def generation() -> str:
    """Return the generation name this request reads (part of every ETag)."""
    gen = getattr(request_index(), "generation", None)
    return str(gen) if gen is not None else ""
