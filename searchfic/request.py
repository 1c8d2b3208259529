"""SearchRequest and SearchResponse: the data every interface (HTML, JSON, CLI) shares.

Validation of public parameters lives here, once: the API, the pages and the CLI all build
a SearchRequest with :func:`request_from_params` and render the same SearchResponse.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field
from typing import Any

from searchfic.errors import QueryError

#: facet / filter names, in display order. Each is a story-record list (or value) field.
FACETS: tuple[str, ...] = (
    "fandom",
    "pairing",
    "character",
    "rating",
    "tag",
    "author",
    "language",
    "warning",
    "category",
)
SORTS: tuple[str, ...] = ("relevance", "title", "words", "published", "updated")
MAX_QUERY_CHARS = 1000
MAX_PER_PAGE = 100
DEFAULT_PER_PAGE = 20
#: pages beyond this are served as this one (past the end of any index: empty), so that the
#: engine never does arithmetic on absurd numbers; the contract has no upper bound on `page`
MAX_PAGE = 10**12
MAX_FILTER_VALUES = 1000
MAX_VALUE_CHARS = 300


@dataclass(frozen=True)
class WordRange:
    """A word-count range: ``low``/``high`` bounds, each inclusive or not."""

    low: int | None = None
    high: int | None = None
    low_inclusive: bool = True
    high_inclusive: bool = True

    def contains(self, n: int) -> bool:
        if self.low is not None and (n < self.low or (n == self.low and not self.low_inclusive)):
            return False
        return not (
            self.high is not None
            and (n > self.high or (n == self.high and not self.high_inclusive))
        )

    def to_text(self) -> str:
        if self.low is not None and self.high is not None:
            if self.low == self.high and self.low_inclusive and self.high_inclusive:
                return str(self.low)
            return f"{self.low}-{self.high}"
        if self.low is not None:
            return f">{self.low}" if not self.low_inclusive else f">{self.low - 1}"
        if self.high is not None:
            return f"<{self.high}" if not self.high_inclusive else f"<{self.high + 1}"
        return ""


_NUM = r"\d[\d,]*"
_RANGE_RE = re.compile(
    rf"^\s*(?:(?P<exact>{_NUM})|(?P<op>[<>])\s*(?P<bound>{_NUM})|(?P<lo>{_NUM})\s*-\s*(?P<hi>{_NUM}))\s*$"
)


def _int(text: str) -> int:
    digits = text.replace(",", "")
    if not digits.isdigit() or len(digits) > 12:
        raise ValueError(text)
    return int(digits)


def parse_word_range(text: str) -> WordRange:
    """Parse ``N``, ``<N``, ``>N`` or ``N-M`` (``1,000`` = ``1000``); raise QueryError otherwise."""
    m = _RANGE_RE.match(text or "")
    if not m:
        raise QueryError(
            f"words: {text!r} is not a range; use N, <N, >N or N-M (e.g. 1000-5000)",
            code="bad_parameter",
            param="words",
        )
    try:
        if m.group("exact"):
            n = _int(m.group("exact"))
            return WordRange(n, n)
        if m.group("op"):
            n = _int(m.group("bound"))
            if m.group("op") == "<":
                return WordRange(high=n, high_inclusive=False)
            return WordRange(low=n, low_inclusive=False)
        lo, hi = _int(m.group("lo")), _int(m.group("hi"))
    except ValueError:
        raise QueryError(
            f"words: {text!r} has a number that is too large", code="bad_parameter", param="words"
        ) from None
    if lo > hi:
        raise QueryError(
            f"words: {text!r} has its low bound above its high bound",
            code="bad_parameter",
            param="words",
        )
    return WordRange(lo, hi)


@dataclass(frozen=True, slots=True)  # no instance dict: one object a request
class SearchRequest:
    """One search: query text, filters (AND), exclusions (OR), range, sort and page."""

    q: str = ""
    filters: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    excludes: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    complete: bool | None = None
    words: WordRange | None = None
    sort: str = "relevance"
    page: int = 1
    per_page: int = DEFAULT_PER_PAGE
    with_facets: bool = True
    with_snippets: bool = True

    def to_params(self) -> list[tuple[str, str]]:
        """Return the request as URL parameters (the inverse of request_from_params)."""
        out: list[tuple[str, str]] = []
        if self.q:
            out.append(("q", self.q))
        for name in FACETS:
            for v in self.filters.get(name, ()):
                out.append((name, v))
        for name in FACETS:
            for v in self.excludes.get(name, ()):
                out.append((f"exclude_{name}", v))
        if self.complete is not None:
            out.append(("complete", "true" if self.complete else "false"))
        if self.words is not None:
            out.append(("words", self.words.to_text()))
        if self.sort != "relevance":
            out.append(("sort", self.sort))
        if self.per_page != DEFAULT_PER_PAGE:
            out.append(("per_page", str(self.per_page)))
        if self.page != 1:
            out.append(("page", str(self.page)))
        return out


class _Params:
    """Adapter over a Werkzeug MultiDict, a plain dict of lists, or pairs."""

    def __init__(self, params: Any) -> None:
        self._pairs: list[tuple[str, str]] = []
        if hasattr(params, "items") and hasattr(params, "getlist"):
            for key in params:
                for v in params.getlist(key):
                    self._pairs.append((key, v))
        elif isinstance(params, Mapping):
            for key, v in params.items():
                if isinstance(v, (list, tuple)):
                    self._pairs.extend((key, str(x)) for x in v)
                elif v is not None:
                    self._pairs.append((key, str(v)))
        else:
            self._pairs.extend((str(k), str(v)) for k, v in params)

    def getlist(self, key: str) -> list[str]:
        return [v for k, v in self._pairs if k == key]

    def get(self, key: str) -> str | None:
        values = self.getlist(key)
        return values[-1] if values else None


def _positive_int(params: _Params, name: str, default: int, high: int, clamp: bool = False) -> int:
    """Read a whole number from 1 to ``high``; with ``clamp``, larger numbers become ``high``."""
    raw = params.get(name)
    if raw is None or raw.strip() == "":
        return default
    text = raw.strip()
    # ASCII digits only: int() would also take other scripts' digits and "1_000".
    if not re.fullmatch(r"\+?[0-9]+", text):
        raise QueryError(
            f"{name}: {raw[:50]!r} is not a whole number", code="bad_parameter", param=name
        )
    digits = text.lstrip("+").lstrip("0") or "0"
    # Compare lengths first: int() of thousands of digits is slow (and refused past 4,300).
    too_big = len(digits) > len(str(high)) or int(digits) > high
    if too_big and clamp:
        return high
    if digits == "0" and clamp:
        raise QueryError(f"{name}: must be 1 or more", code="bad_parameter", param=name)
    if digits == "0" or too_big:
        raise QueryError(
            f"{name}: {digits[:20]}{'…' if len(digits) > 20 else ''} is out of range (1 to {high})",
            code="bad_parameter",
            param=name,
        )
    return int(digits)


def _values(params: _Params, name: str) -> tuple[str, ...]:
    """Return the distinct non-blank values of a filter, in order.

    A value of any length is taken: an unknown value matches nothing, it is not an error.
    Only the number of distinct values is bounded (each is one more clause to match).
    """
    out: dict[str, None] = {}
    for v in params.getlist(name):
        v = v.strip()
        if not v:
            continue
        out[v] = None
        if len(out) > MAX_FILTER_VALUES:
            raise QueryError(
                f"{name}: at most {MAX_FILTER_VALUES} values", code="bad_parameter", param=name
            )
    return tuple(out)


_TRUE = {"true", "1", "yes", "on"}
_FALSE = {"false", "0", "no", "off"}


def request_from_params(params: Any) -> SearchRequest:
    """Build a validated SearchRequest from URL-style parameters; raise QueryError if bad."""
    p = _Params(params)
    q = p.get("q") or ""
    if "\x00" in q:
        q = q.replace("\x00", " ")
    if len(q) > MAX_QUERY_CHARS:
        raise QueryError(
            f"q: the query is {len(q)} characters long; the limit is {MAX_QUERY_CHARS}",
            code="bad_query",
            param="q",
        )
    if not q.strip():
        q = ""  # a blank query is the empty query: it echoes as ""
    filters = {name: vals for name in FACETS if (vals := _values(p, name))}
    excludes = {name: vals for name in FACETS if (vals := _values(p, f"exclude_{name}"))}
    complete: bool | None = None
    raw_complete = p.get("complete")
    if raw_complete is not None and raw_complete.strip() != "":
        c = raw_complete.strip().lower()
        if c in _TRUE:
            complete = True
        elif c in _FALSE:
            complete = False
        else:
            raise QueryError(
                f"complete: {raw_complete[:50]!r} is not true or false",
                code="bad_parameter",
                param="complete",
            )
    words = None
    raw_words = p.get("words")
    if raw_words is not None and raw_words.strip() != "":
        words = parse_word_range(raw_words)
    sort = (p.get("sort") or "relevance").strip().lower() or "relevance"
    if sort not in SORTS:
        raise QueryError(
            f"sort: {sort[:50]!r} is not one of {', '.join(SORTS)}",
            code="bad_parameter",
            param="sort",
        )
    page = _positive_int(p, "page", 1, MAX_PAGE, clamp=True)
    per_page = _positive_int(p, "per_page", DEFAULT_PER_PAGE, MAX_PER_PAGE)
    return SearchRequest(
        q=q,
        filters=filters,
        excludes=excludes,
        complete=complete,
        words=words,
        sort=sort,
        page=page,
        per_page=per_page,
    )


@dataclass(frozen=True)
class FacetValue:
    value: str
    count: int


@dataclass(frozen=True)
class SearchHit:
    """One result: the record fields a result list shows, with score and snippets."""

    id: str
    source: str
    title: str
    authors: tuple[str, ...]
    fandoms: tuple[str, ...]
    pairings: tuple[str, ...]
    rating: str
    summary: str
    words: int
    score: float | None
    snippets: tuple[str, ...]
    url: str
    characters: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    language: str | None = None
    complete: bool | None = None
    published: str | None = None
    updated: str | None = None
    approximate: bool = False
    copies: tuple[str, ...] = ()

    @classmethod
    def from_fields(
        cls,
        stored: dict[str, Any],
        score: float | None,
        snippets: tuple[str, ...],
        approximate: bool,
    ) -> SearchHit:
        """Return the hit of ``stored`` (every other field, each already of its type).

        The generated ``__init__`` of a frozen dataclass sets its 20 fields one
        ``object.__setattr__`` call at a time (~3 us, more than the rest of a browsed
        hit); the engine, which builds every shown hit, fills the instance dict at once.
        """
        hit = object.__new__(cls)
        d = hit.__dict__
        d.update(stored)
        d["score"] = score
        d["snippets"] = snippets
        d["approximate"] = approximate
        return hit

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        for key, value in list(d.items()):
            if isinstance(value, tuple):
                d[key] = list(value)
        return d


@dataclass(frozen=True, slots=True)  # no instance dict: one object a request
class SearchResponse:
    """The answer to a SearchRequest, rendered by the HTML pages, the JSON API and the CLI."""

    request: SearchRequest
    total: int
    results: tuple[SearchHit, ...]
    facets: Mapping[str, tuple[FacetValue, ...]]
    approximate: bool = False
    suggestion: str | None = None
    generation: str | None = None
    explain: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON object of docs/interfaces.md."""
        return {
            "query": self.request.q,
            "total": self.total,
            "page": self.request.page,
            "per_page": self.request.per_page,
            "approximate": self.approximate,
            "suggestion": self.suggestion,
            "results": [hit.to_dict() for hit in self.results],
            "facets": {
                name: [{"value": f.value, "count": f.count} for f in self.facets.get(name, ())]
                for name in FACETS
            },
        }

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.request.per_page))


def iter_filter_items(req: SearchRequest) -> Iterable[tuple[str, str, bool]]:
    """Yield (facet, value, excluded) for every active filter, in display order."""
    for name in FACETS:
        for v in req.filters.get(name, ()):
            yield name, v, False
        for v in req.excludes.get(name, ()):
            yield name, v, True
