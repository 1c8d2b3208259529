"""What the HTML search page shows, built as plain data that carries its own links.

Facet values know their count, whether they are included or excluded, and the URLs that
toggle them (datasette's ``toggle_url`` habit); active filters become removable chips.
Templates only lay this data out.
"""

from __future__ import annotations

import dataclasses
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlencode

from searchfic.request import FACETS, SearchRequest, SearchResponse, iter_filter_items
from searchfic.textfold import strip_marks

FACET_LABELS: dict[str, tuple[str, str]] = {
    "fandom": ("Fandom", "Fandoms"),
    "pairing": ("Pairing", "Pairings"),
    "character": ("Character", "Characters"),
    "rating": ("Rating", "Ratings"),
    "tag": ("Tag", "Tags"),
    "author": ("Author", "Authors"),
    "language": ("Language", "Languages"),
    "warning": ("Warning", "Warnings"),
    "category": ("Category", "Categories"),
}
SORT_LABELS: dict[str, str] = {
    "relevance": "Best match",
    "updated": "Recently updated",
    "published": "Recently published",
    "words": "Longest first",
    "title": "Title A–Z",
}
#: facet values shown before the "more" disclosure
FACET_SHOWN = 8


def fold(text: str) -> str:
    """Compare filter values the way the engine does: case- and accent-insensitively."""
    return strip_marks(unicodedata.normalize("NFKD", text.casefold())).strip()


@dataclass(frozen=True)
class FacetOption:
    value: str
    count: int | None  # None for an excluded value, which has no hits left to count
    state: str  # "included", "excluded" or ""
    include_url: str
    exclude_url: str


@dataclass(frozen=True)
class FacetGroup:
    name: str
    label: str  # plural, the group's heading
    noun: str  # singular, for "Include fandom X"
    options: tuple[FacetOption, ...]

    @property
    def shown(self) -> tuple[FacetOption, ...]:
        return self.options[:FACET_SHOWN]

    @property
    def more(self) -> tuple[FacetOption, ...]:
        return self.options[FACET_SHOWN:]


@dataclass(frozen=True)
class Chip:
    """An active filter, with the URL that removes it."""

    label: str
    value: str
    excluded: bool
    remove_url: str


@dataclass(frozen=True)
class PageLink:
    number: int | None  # None marks a gap ("…")
    url: str | None
    current: bool = False


@dataclass(frozen=True)
class Pagination:
    first_shown: int
    last_shown: int
    prev_url: str | None
    next_url: str | None
    links: tuple[PageLink, ...]


UrlFor = Callable[[SearchRequest], str]


def make_url_for(base: str) -> UrlFor:
    """Return a function giving the search page URL of a request."""

    def url_for(req: SearchRequest) -> str:
        params = req.to_params()
        return f"{base}?{urlencode(params)}" if params else base

    return url_for


def _has(values: tuple[str, ...], value: str) -> bool:
    key = fold(value)
    return any(fold(v) == key for v in values)


def _without(values: tuple[str, ...], value: str) -> tuple[str, ...]:
    key = fold(value)
    return tuple(v for v in values if fold(v) != key)


def toggled(req: SearchRequest, name: str, value: str, exclude: bool) -> SearchRequest:
    """Return ``req`` with ``value`` added to (or, when present, removed from) a filter.

    Including a value drops its exclusion and the other way round; the page goes back to 1.
    """
    filters = {k: tuple(v) for k, v in req.filters.items()}
    excludes = {k: tuple(v) for k, v in req.excludes.items()}
    target, other = (excludes, filters) if exclude else (filters, excludes)
    current = target.get(name, ())
    if _has(current, value):
        target[name] = _without(current, value)
    else:
        target[name] = (*current, value)
        other[name] = _without(other.get(name, ()), value)
    return dataclasses.replace(
        req,
        filters={k: v for k, v in filters.items() if v},
        excludes={k: v for k, v in excludes.items() if v},
        page=1,
    )


def facet_groups(resp: SearchResponse, url_for: UrlFor) -> tuple[FacetGroup, ...]:
    """Build the sidebar: every facet value with its count, state and toggle URLs."""
    req = resp.request
    groups = []
    for name in FACETS:
        included = req.filters.get(name, ())
        excluded = req.excludes.get(name, ())
        options = []
        seen: set[str] = set()
        for fv in resp.facets.get(name, ()):
            state = "included" if _has(included, fv.value) else ""
            seen.add(fold(fv.value))
            options.append(
                FacetOption(
                    value=fv.value,
                    count=fv.count,
                    state=state,
                    include_url=url_for(toggled(req, name, fv.value, exclude=False)),
                    exclude_url=url_for(toggled(req, name, fv.value, exclude=True)),
                )
            )
        # Excluded values have no hits left, so the engine cannot list them: keep them in
        # view so they can be switched back on where they were switched off.
        for value in excluded:
            if fold(value) in seen:
                continue
            options.insert(
                0,
                FacetOption(
                    value=value,
                    count=None,
                    state="excluded",
                    include_url=url_for(toggled(req, name, value, exclude=False)),
                    exclude_url=url_for(toggled(req, name, value, exclude=True)),
                ),
            )
        if options:
            groups.append(
                FacetGroup(name, FACET_LABELS[name][1], FACET_LABELS[name][0], tuple(options))
            )
    return tuple(groups)


def chips(req: SearchRequest, url_for: UrlFor) -> tuple[Chip, ...]:
    """Return one removable chip per active filter, range and completeness choice."""
    out = [
        Chip(
            label=FACET_LABELS[name][0],
            value=value,
            excluded=excluded,
            remove_url=url_for(toggled(req, name, value, exclude=excluded)),
        )
        for name, value, excluded in iter_filter_items(req)
    ]
    if req.complete is not None:
        out.append(
            Chip(
                "Status",
                "Complete" if req.complete else "Work in progress",
                False,
                url_for(dataclasses.replace(req, complete=None, page=1)),
            )
        )
    if req.words is not None:
        out.append(
            Chip(
                "Words",
                describe_words(req),
                False,
                url_for(dataclasses.replace(req, words=None, page=1)),
            )
        )
    return tuple(out)


def describe_words(req: SearchRequest) -> str:
    w = req.words
    if w is None:
        return ""
    if w.low is not None and w.high is not None:
        if w.low == w.high:
            return f"exactly {w.low:,}"
        return f"{w.low:,}–{w.high:,}"
    if w.low is not None:
        return f"more than {w.low:,}" if not w.low_inclusive else f"at least {w.low:,}"
    if w.high is not None:
        return f"fewer than {w.high:,}" if not w.high_inclusive else f"at most {w.high:,}"
    return ""


def word_bounds(req: SearchRequest) -> tuple[int | None, int | None]:
    """Return the inclusive (min, max) the form's word boxes should show."""
    w = req.words
    if w is None:
        return None, None
    low = w.low if w.low is None or w.low_inclusive else w.low + 1
    high = w.high if w.high is None or w.high_inclusive else w.high - 1
    return low, high


def pagination(resp: SearchResponse, url_for: UrlFor, window: int = 2) -> Pagination:
    """Return prev/next and a window of numbered page links (with gaps)."""
    req = resp.request
    page, last = req.page, resp.pages

    def link(n: int) -> str:
        return url_for(dataclasses.replace(req, page=n))

    numbers = sorted({1, last, *range(max(1, page - window), min(last, page + window) + 1)})
    links: list[PageLink] = []
    previous = 0
    for n in numbers:
        if n - previous > 1:
            links.append(PageLink(None, None))
        links.append(PageLink(n, link(n), current=n == page))
        previous = n
    first_shown = (page - 1) * req.per_page + 1
    last_shown = min(resp.total, first_shown + len(resp.results) - 1)
    return Pagination(
        first_shown=first_shown,
        last_shown=last_shown,
        prev_url=link(min(page - 1, last)) if page > 1 else None,
        next_url=link(page + 1) if page < last else None,
        links=tuple(links) if last > 1 else (),
    )
