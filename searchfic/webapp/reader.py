"""The story reader's data: highlighted paragraphs with match-to-match links."""

from __future__ import annotations

import re
from dataclasses import dataclass
from html import escape
from urllib.parse import urlsplit

from markupsafe import Markup

# The engine marks the k-th match as <mark class="hit" id="mk">…</mark>; its text is escaped,
# so a literal "<mark" can only come from the engine itself.
_MARK = re.compile(r'(<mark\b[^>]*\bid="m(\d+)"[^>]*>.*?</mark>)', re.S)


@dataclass(frozen=True)
class ReaderText:
    paragraphs: tuple[Markup, ...]
    matches: int


def plain_paragraphs(body: str) -> list[str]:
    """Split a body into escaped HTML paragraphs (blank-line separated)."""
    return [escape(p.strip()) for p in re.split(r"\n\s*\n", body) if p.strip()]


_P_WRAP = re.compile(r"^\s*<p\b[^>]*>(.*)</p>\s*$", re.S)


def _unwrap(paragraph: str) -> str:
    """Drop an outer <p> the engine may put around a paragraph (the template adds its own)."""
    m = _P_WRAP.match(paragraph)
    return m.group(1) if m and "<p" not in m.group(1) else paragraph


def with_match_links(paragraphs: list[str]) -> ReaderText:
    """Number the matches and follow each with a link to the next one (the last to the first).

    The links make match-to-match reading work without JavaScript; the script replaces
    them with a sticky "match k of n" bar and the n/p keys.
    """
    paragraphs = [_unwrap(p) for p in paragraphs]
    total = sum(len(_MARK.findall(p)) for p in paragraphs)

    def add_link(m: re.Match[str]) -> str:
        k = int(m.group(2))
        nxt = k + 1 if k < total else 1
        label = "Next match" if k < total else "Back to the first match"
        return (
            f'{m.group(1)}<a class="hitnav" href="#m{nxt}" aria-label="{label}" '
            f'title="{label}">{"↓" if k < total else "↺"}</a>'
        )

    out = tuple(Markup(_MARK.sub(add_link, p)) if total else Markup(p) for p in paragraphs)
    return ReaderText(out, total)


def safe_link(url: str | None) -> str | None:
    """Return ``url`` when it is a web address a page may link to, else None.

    Story metadata is hostile input: a ``javascript:`` or ``data:`` URL must never
    become a link.
    """
    if not url:
        return None
    url = url.strip()
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() in ("http", "https") and parts.netloc:
        return url
    return None
