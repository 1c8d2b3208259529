"""The app's hold on the index: one Index per app, refreshed per request, thread-safe."""

from __future__ import annotations

import logging
import threading
from pathlib import Path
from typing import TYPE_CHECKING

from flask import current_app, g

from searchfic.errors import SearchficError
from searchfic.request import SearchRequest, SearchResponse
from searchfic.webapp.cache import ResponseCache

if TYPE_CHECKING:
    from searchfic.engine.store import Index

EXTENSION = "searchfic"
CACHE = "searchfic.cache"
log = logging.getLogger("searchfic.web")


class IndexHolder:
    """Open the index lazily, then switch to newer generations as they are published.

    Each request leases the Index it started with. A newer generation gets a new Index
    while requests still reading the old one finish on it; the old one is closed when its
    last lease is returned, so a long request never loses its generation's files.
    """

    def __init__(self, index_dir: Path) -> None:
        self.index_dir = Path(index_dir)
        self._index: Index | None = None
        self._leases: dict[int, int] = {}
        self._retired: dict[int, Index] = {}
        # waitress serves from several threads; opening and switching must not interleave.
        self._lock = threading.Lock()

    def acquire(self) -> Index:
        """Lease the Index of the newest published generation (IndexMissingError if none)."""
        from searchfic.engine import layout

        with self._lock:
            name = layout.current_name(self.index_dir)
            if self._index is None or (name is not None and name != self._index.generation):
                self._switch()
            index = self._index
            assert index is not None
            self._leases[id(index)] = self._leases.get(id(index), 0) + 1
            return index

    def _switch(self) -> None:
        from searchfic.engine.store import open_index

        try:
            new = open_index(self.index_dir)
        except SearchficError:
            if self._index is None:
                raise
            # The new generation cannot be opened (yet): keep serving the one we have.
            log.warning(
                "cannot open the new generation in %s; serving %s",
                self.index_dir,
                self._index.generation,
                exc_info=True,
            )
            return
        try:
            from searchfic.engine.search import warm

            # Build the generation's caches once here, instead of in whichever searches
            # happen to arrive first (0.3 s per 1,000 stories).
            warm(new)
        except SearchficError:
            log.warning("could not warm the caches of %s", new.generation, exc_info=True)
        old, self._index = self._index, new
        if old is not None:
            if self._leases.get(id(old)):
                self._retired[id(old)] = old
            else:
                old.close()

    def release(self, index: Index) -> None:
        """Return a lease; close a superseded Index once nobody reads it."""
        with self._lock:
            key = id(index)
            left = self._leases.get(key, 0) - 1
            if left > 0:
                self._leases[key] = left
                return
            self._leases.pop(key, None)
            retired = self._retired.pop(key, None)
        if retired is not None:
            retired.close()

    def current(self) -> Index:
        """Return the newest Index without leasing it (for one-off, single-thread use)."""
        index = self.acquire()
        self.release(index)
        return index

    def close(self) -> None:
        with self._lock:
            indexes = [self._index, *self._retired.values()]
            self._index = None
            self._retired.clear()
            self._leases.clear()
        for index in indexes:
            if index is not None:
                index.close()


def holder() -> IndexHolder:
    return current_app.extensions[EXTENSION]


def request_index() -> Index:
    """Return this request's Index: refreshed once per request, then reused."""
    index = g.get("sf_index")
    if index is None:
        index = holder().acquire()
        g.sf_index = index
    return index


def release_request_index(_exc: BaseException | None = None) -> None:
    """Return the request's lease on its Index (teardown hook).

    The engine's searcher belongs to the Index (one per generation, shared by the worker
    threads); the lease is what keeps it open until this request is done with it.
    """
    index = g.pop("sf_index", None)
    if index is not None:
        holder().release(index)


def run_search(req: SearchRequest) -> SearchResponse:
    """Answer a search from the cache, or run it on this request's Index and keep it."""
    from searchfic.engine import search as engine_search

    index = request_index()
    cache: ResponseCache = current_app.extensions[CACHE]
    key = cache.key(str(index.generation), req)
    found = cache.get(key)
    if found is None:
        found = engine_search.run(index, req)
        cache.put(key, found)
    return found


def generation() -> str:
    """Return the generation name this request reads (part of every ETag)."""
    gen = getattr(request_index(), "generation", None)
    return str(gen) if gen is not None else ""
