"""What every format parser produces: a StoryDraft of values as the file wrote them.

Parsers only locate values; ``searchfic.ingest.normalize.finish`` turns a draft into a
Story (rating map, pairing parser, list splitting, dates, language, word count, id), so
every format is normalised by the same code.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class RawFile:
    """A story file's bytes and where they came from."""

    data: bytes
    source: str  # corpus-relative path when the file is inside the corpus, else as given
    path: str  # the path as given on the command line / found on disk


@dataclass
class StoryDraft:
    """Values as found in the file, before normalisation.

    List fields hold one entry per value when the format already separates them (AO3 tag
    links), or the raw label text when it does not (``"Harry Potter, Naruto"``); ``finish``
    splits the latter when ``*_split`` is true.
    """

    title: str = ""
    authors: list[str] = field(default_factory=list)
    fandoms: list[str] = field(default_factory=list)
    pairings: list[str] = field(default_factory=list)  # relationship strings as written
    characters: list[str] = field(default_factory=list)
    rating: str = ""  # as written, possibly with trailing prose
    warnings: list[str] = field(default_factory=list)
    categories: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    language: str = ""  # a name ("English", "Français") or a code ("en"), as written
    summary: str = ""
    notes: list[str] = field(default_factory=list)
    published: str = ""  # as written; finish() makes YYYY-MM-DD or None
    updated: str = ""
    complete: bool | None = None
    chapters: int | None = None
    url: str = ""
    site_story_id: str = ""  # e.g. FanFicFare's "test1.com-u98765-s1" when no URL
    series: str = ""
    body: str = ""  # story text only; paragraphs separated by one blank line
    encoding: str = ""
    # True when the list fields above hold unsplit label text that finish() must split.
    split_lists: bool = False
