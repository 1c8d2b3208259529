"""Dropping combining marks (accents) from decomposed text, with one C-level call.

``"".join(c for c in text if not unicodedata.combining(c))`` is a Python step per
character; :func:`strip_marks` is one ``str.translate`` over a table that learns each
character the first time it is met (a combining mark maps to deletion, any other
character to itself), so the cost per character is a dict lookup in C.
"""

from __future__ import annotations

import unicodedata

#: Code points the table learns at most: text is hostile input, and a query or story of
#: rare characters must not grow it towards all of Unicode (those past it are looked up
#: each time, as correct, only slower).
MAX_LEARNED = 50_000


class _MarkTable(dict[int, "int | None"]):
    """Code point -> None (a combining mark: delete it) or itself, filled on first sight."""

    def __missing__(self, code: int) -> int | None:
        kept = None if unicodedata.combining(chr(code)) else code
        if len(self) < MAX_LEARNED:
            self[code] = kept  # one dict store: threads that race store the same value
        return kept


_MARKS = _MarkTable()


def strip_marks(text: str) -> str:
    """Return ``text`` without its combining characters (decompose it first: NFKD/NFD)."""
    if text.isascii():
        return text
    return text.translate(_MARKS)
