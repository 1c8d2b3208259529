"""What the archivist asks of an index: what it holds (`stats`) and whether it is in step
with the corpus (`check`).

Both read the published generation's ``manifest.json`` and ``meta.json``; ``check`` also
reads the story ids of the Whoosh index, to catch documents the manifest does not explain.
"""

from __future__ import annotations

import os
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from searchfic.engine import layout
from searchfic.engine.manifest import Manifest
from searchfic.errors import IndexMissingError

TOP = 10


@dataclass(frozen=True)
class Published:
    """The published generation: its folder, meta.json and manifest."""

    name: str
    path: Path
    meta: dict[str, Any]
    manifest: Manifest


def published(index_dir: Path) -> Published:
    """Return the published generation; raise IndexMissingError when there is none."""
    index_dir = Path(index_dir)
    gen = layout.current_dir(index_dir)
    if gen is None:
        raise IndexMissingError(f"no index in {index_dir}; run `searchfic index`")
    meta = layout.read_json(gen / layout.META) or {}
    manifest = Manifest.from_json(layout.read_json(gen / layout.MANIFEST))
    return Published(gen.name, gen, meta, manifest)


@dataclass(frozen=True)
class IndexStats:
    """Counts over the published generation, per story (the winning copy) unless per file."""

    generation: str
    created: str
    schema_version: int | None
    corpus: str
    stories: int
    files: int
    duplicate_files: int
    words: int
    formats: dict[str, int]
    languages: dict[str, int]
    ratings: dict[str, int]
    top_fandoms: list[tuple[str, int]]
    top_pairings: list[tuple[str, int]]
    failed: list[dict[str, str]]
    skipped: dict[str, int]
    index_bytes: int
    disk_bytes: int
    generations: list[str] = field(default_factory=list)
    aliases: int = 0

    def to_dict(self) -> dict[str, Any]:
        d = dict(self.__dict__)
        d["top_fandoms"] = [{"value": v, "count": n} for v, n in self.top_fandoms]
        d["top_pairings"] = [{"value": v, "count": n} for v, n in self.top_pairings]
        return d


def _ranked(counter: Counter[str], limit: int | None = None) -> list[tuple[str, int]]:
    return sorted(counter.items(), key=lambda kv: (-kv[1], kv[0]))[:limit]


def _disk_bytes(index_dir: Path) -> int:
    # Hard-linked generations share inodes: count each inode once.
    seen: set[tuple[int, int]] = set()
    total = 0
    for root, _dirs, files in os.walk(index_dir):
        for name in files:
            try:
                st = os.stat(os.path.join(root, name))
            except OSError:
                continue
            key = (st.st_dev, st.st_ino)
            if key not in seen:
                seen.add(key)
                total += st.st_size
    return total


def index_stats(index_dir: Path) -> IndexStats:
    """Count what the published generation holds."""
    pub = published(index_dir)
    entries = pub.manifest.entries.values()
    winners = list(pub.manifest.winners())
    ok_files = [e for e in entries if e.ok]
    formats: Counter[str] = Counter(e.format or "unknown" for e in ok_files)
    languages: Counter[str] = Counter(e.language or "unknown" for e in winners)
    ratings: Counter[str] = Counter(e.rating or "Not Rated" for e in winners)
    fandoms: Counter[str] = Counter(f for e in winners for f in dict.fromkeys(e.fandoms))
    pairings: Counter[str] = Counter(p for e in winners for p in dict.fromkeys(e.pairings))
    counts = pub.meta.get("counts") or {}
    return IndexStats(
        generation=pub.name,
        created=str(pub.meta.get("created", "")),
        schema_version=pub.meta.get("schema_version"),
        corpus=str(pub.meta.get("corpus", "")),
        stories=len(winners),
        files=len(ok_files),
        duplicate_files=len(ok_files) - len(winners),
        words=sum(e.words for e in winners),
        formats=dict(_ranked(formats)),
        languages=dict(_ranked(languages)),
        ratings=dict(_ranked(ratings)),
        top_fandoms=_ranked(fandoms, TOP),
        top_pairings=_ranked(pairings, TOP),
        failed=[{"source": e.source, "error": e.error or ""} for e in pub.manifest.failed()],
        skipped=dict(counts.get("skipped") or {}),
        index_bytes=layout.folder_size(pub.path),
        disk_bytes=_disk_bytes(Path(index_dir)),
        generations=layout.generation_names(Path(index_dir)),
        aliases=sum(len(t) for t in (pub.meta.get("aliases") or {}).values()),
    )


@dataclass(frozen=True)
class CheckReport:
    """Where the index and the corpus disagree; empty lists mean in step."""

    generation: str
    missing: list[str]  # corpus files the index has never seen
    stale: list[str]  # corpus files changed since they were indexed
    orphaned: list[str]  # indexed files no longer in the corpus
    index_orphans: list[str]  # story ids in Whoosh that no manifest file explains
    index_missing: list[str]  # story ids of manifest files absent from Whoosh
    failed: list[str]  # files that did not parse (known; not out of step by themselves)

    @property
    def in_step(self) -> bool:
        return not (
            self.missing or self.stale or self.orphaned or self.index_orphans or self.index_missing
        )

    def to_dict(self) -> dict[str, Any]:
        d = dict(self.__dict__)
        d["in_step"] = self.in_step
        return d


def check_index(corpus: Path, index_dir: Path) -> CheckReport:
    """Compare the published generation with the corpus on disk and with its own Whoosh index."""
    from searchfic.engine.indexer import file_hash, index_ids, scan_corpus

    pub = published(index_dir)
    scan = scan_corpus(Path(corpus), Path(index_dir))
    old = pub.manifest.entries
    missing = sorted(s for s in scan.files if s not in old)
    orphaned = sorted(s for s in old if s not in scan.files)
    stale = []
    for source in sorted(set(scan.files) & set(old)):
        e = old[source]
        try:
            st = scan.files[source].stat()
            if (st.st_size, st.st_mtime_ns) == (e.size, e.mtime_ns):
                continue
            if file_hash(scan.files[source]) == e.hash:
                continue
        except OSError:
            pass
        stale.append(source)
    expected = {e.id for e in old.values() if e.ok}
    present = index_ids(pub.path)
    return CheckReport(
        generation=pub.name,
        missing=missing,
        stale=stale,
        orphaned=orphaned,
        index_orphans=sorted(str(i) for i in present - expected),
        index_missing=sorted(str(i) for i in expected - present),
        failed=[e.source for e in pub.manifest.failed()],
    )
