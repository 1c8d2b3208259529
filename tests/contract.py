"""The story record keys of docs/interfaces.md, written once for the tests that check them."""

from __future__ import annotations

RECORD_KEYS: frozenset[str] = frozenset(
    {
        "id",
        "source",
        "format",
        "title",
        "authors",
        "fandoms",
        "pairings",
        "characters",
        "rating",
        "rating_original",
        "warnings",
        "categories",
        "tags",
        "language",
        "summary",
        "notes",
        "published",
        "updated",
        "complete",
        "chapters",
        "words",
        "url",
    }
)
