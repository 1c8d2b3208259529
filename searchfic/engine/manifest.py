"""The manifest: what each corpus file was when its generation was built.

``manifest.json`` maps each corpus-relative source to a :class:`FileEntry`. The indexer
compares it with the disk (size and mtime first, the content hash only when they changed)
to find what to re-parse; ``stats`` and ``check`` read it without opening Whoosh.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass, field, fields
from typing import Any

MANIFEST_VERSION = 1


@dataclass(frozen=True)
class FileEntry:
    """One corpus file as last seen: its stat, content hash and what it parsed into."""

    source: str
    size: int
    mtime_ns: int
    hash: str
    id: str | None = None  # None when the file failed to parse
    format: str = ""
    error: str | None = None
    # What duplicate resolution and `stats` need, so neither re-parses nor opens Whoosh.
    title: str = ""
    updated: str | None = None
    published: str | None = None
    words: int = 0
    language: str | None = None
    rating: str = ""
    fandoms: tuple[str, ...] = ()
    pairings: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return self.error is None and self.id is not None

    def to_json(self) -> dict[str, Any]:
        d = asdict(self)
        d.pop("source")
        d["fandoms"] = list(self.fandoms)
        d["pairings"] = list(self.pairings)
        return d

    @classmethod
    def from_json(cls, source: str, d: dict[str, Any]) -> FileEntry:
        names = {f.name for f in fields(cls)}
        kw = {k: v for k, v in d.items() if k in names and k != "source"}
        kw["fandoms"] = tuple(kw.get("fandoms") or ())
        kw["pairings"] = tuple(kw.get("pairings") or ())
        return cls(source=source, **kw)


def winner_key(e: FileEntry) -> tuple:
    """Sort key putting the copy that wins first: newest updated, published, mtime; then path."""
    return (
        _neg_date(e.updated),
        _neg_date(e.published),
        -e.mtime_ns,
        e.source,
    )


def _neg_date(d: str | None) -> tuple[int, str]:
    # Known dates before unknown ones, later dates first (YYYY-MM-DD compares as text).
    if not d:
        return (1, "")
    return (0, "".join(chr(0x10FFFF - ord(c)) for c in d))


@dataclass
class Manifest:
    """Every corpus file of a generation, by source."""

    entries: dict[str, FileEntry] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {
            "version": MANIFEST_VERSION,
            "files": {s: e.to_json() for s, e in sorted(self.entries.items())},
        }

    @classmethod
    def from_json(cls, data: dict[str, Any] | None) -> Manifest:
        if not data or data.get("version") != MANIFEST_VERSION:
            return cls()
        files = data.get("files") or {}
        return cls({s: FileEntry.from_json(s, d) for s, d in files.items()})

    def by_id(self) -> dict[str, list[FileEntry]]:
        """Group the files that parsed by story id, the winning copy first."""
        groups: dict[str, list[FileEntry]] = {}
        for e in self.entries.values():
            if e.ok and e.id:
                groups.setdefault(e.id, []).append(e)
        for g in groups.values():
            g.sort(key=winner_key)
        return groups

    def winners(self) -> Iterable[FileEntry]:
        """Yield the entry that stands for each story (the winning copy)."""
        for g in self.by_id().values():
            yield g[0]

    def failed(self) -> list[FileEntry]:
        return sorted((e for e in self.entries.values() if not e.ok), key=lambda e: e.source)
