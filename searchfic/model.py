"""Story records: the one normalised shape every input format becomes."""

from __future__ import annotations

import hashlib
import re
from dataclasses import asdict, dataclass
from typing import Any

RATINGS: tuple[str, ...] = (
    "General Audiences",
    "Teen And Up Audiences",
    "Mature",
    "Explicit",
    "Not Rated",
)


@dataclass(frozen=True)
class Story:
    """One story, normalised. Field meanings are those of docs/interfaces.md (story record)."""

    id: str
    source: str
    format: str
    title: str = ""
    authors: tuple[str, ...] = ()
    fandoms: tuple[str, ...] = ()
    pairings: tuple[str, ...] = ()
    characters: tuple[str, ...] = ()
    rating: str = "Not Rated"
    rating_original: str = ""
    warnings: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    language: str | None = None
    summary: str = ""
    notes: str = ""
    published: str | None = None
    updated: str | None = None
    complete: bool | None = None
    chapters: int | None = None
    words: int = 0
    url: str | None = None
    body: str = ""
    # Extras beyond the contract (also emitted in records).
    series: str | None = None
    encoding: str | None = None
    content_hash: str = ""
    site_key: str | None = None
    # Other files holding the same story (duplicates), filled in by the index.
    copies: tuple[str, ...] = ()

    def to_record(self, body: bool = False) -> dict[str, Any]:
        """Return the JSON story record; ``body`` only when asked for."""
        d = asdict(self)
        for key, value in list(d.items()):
            if isinstance(value, tuple):
                d[key] = list(value)
        if not body:
            d.pop("body", None)
        return d


def count_words(body: str) -> int:
    """Count whitespace-separated tokens, the contract's definition of ``words``."""
    return len(body.split())


def content_hash(data: bytes) -> str:
    """Hash a file's bytes (hex, 32 chars)."""
    return hashlib.blake2b(data, digest_size=16).hexdigest()


_AO3_WORK = re.compile(r"archiveofourown\.org/(?:collections/[^/]+/)?works/(\d+)", re.I)


def site_key_for(url: str | None, site_story_id: str | None = None) -> str | None:
    """Return a stable key for where a story was posted, or None when unknown.

    AO3 work URLs of any scheme or collection path collapse to ``ao3:<work id>``; other
    URLs lose scheme, ``www.`` and a trailing slash. ``site_story_id`` (e.g. FanFicFare's
    ``test1.com-s1``) is used when there is no URL.
    """
    if url:
        m = _AO3_WORK.search(url)
        if m:
            return f"ao3:{m.group(1)}"
        u = re.sub(r"^[a-z]+://", "", url.strip(), flags=re.I)
        u = re.sub(r"^www\.", "", u, flags=re.I).rstrip("/")
        if u:
            return f"url:{u.lower()}"
    if site_story_id:
        return f"site:{site_story_id.lower()}"
    return None


def story_id(content_digest: str, site_key: str | None) -> str:
    """Return the story id: from the site key when known, else from the content.

    ``content_digest`` is the fingerprint of the normalised story text (see
    ``searchfic.ingest.normalize``), or of the file's bytes when there is no text. A moved
    file keeps its id; the same story in two formats without a URL gets one id (a
    duplicate); an edited file keeps its id when its URL or site story id is known.
    """
    basis = f"site\0{site_key}" if site_key else f"content\0{content_digest}"
    return hashlib.blake2b(basis.encode("utf-8"), digest_size=8).hexdigest()
