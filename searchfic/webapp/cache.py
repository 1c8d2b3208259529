"""A small in-memory cache of search answers, keyed by index generation and request.

Answers never go stale: a new generation changes every key. Popular searches (the front
page's browse-all, a fandom's facet link) then cost one engine run per generation.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Hashable

from searchfic.request import SearchRequest, SearchResponse


class ResponseCache:
    """A thread-safe LRU of SearchResponses; size 0 turns it off."""

    def __init__(self, size: int) -> None:
        self.size = max(0, int(size))
        self._items: OrderedDict[Hashable, SearchResponse] = OrderedDict()
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    @staticmethod
    def key(generation: str, req: SearchRequest) -> Hashable:
        return (generation, tuple(req.to_params()), req.with_facets, req.with_snippets)

    def get(self, key: Hashable) -> SearchResponse | None:
        if not self.size:
            return None
        with self._lock:
            found = self._items.get(key)
            if found is None:
                self.misses += 1
                return None
            self._items.move_to_end(key)
            self.hits += 1
            return found

    def put(self, key: Hashable, value: SearchResponse) -> None:
        if not self.size:
            return
        with self._lock:
            self._items[key] = value
            self._items.move_to_end(key)
            while len(self._items) > self.size:
                self._items.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
