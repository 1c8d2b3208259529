"""Bring the index up to date with the corpus, one crash-safe generation at a time.

An update runs under the writer lock (``index/LOCK``) and never touches the published
generation: it hard-links that generation's immutable Whoosh files into a new folder
(:func:`layout.link_generation`), deletes and adds there only what changed, writes
``manifest.json`` and ``meta.json``, fsyncs, and publishes with the atomic CURRENT switch.
A crash at any moment leaves the published generation whole; the next writer removes the
leftovers. A rebuild (``rebuild=True``, a new schema version or a changed alias file) does
the same into an empty folder.

Files are compared with the previous manifest by size and mtime, and hashed only when those
changed, so unchanged files are neither read nor parsed. A batch of changed and new files
(``POOL_THRESHOLD`` or more) is spread over worker processes, one per core, that parse,
analyse and write their documents into segments of their own in the new generation
(:mod:`searchfic.engine.segwriter`); this process gathers the manifest entries and lists
the workers' segments in one commit, with no merge. A few files are parsed and written
here, through the same segment builder; deletions go through Whoosh's own writer.

Several files with one story id (the same URL or site story id, or the same normalised
text) are one document: the newest copy wins (``updated``, then ``published``, then file
mtime, then path) and the others are its ``copies``. Counting in the summary is per file.
"""

from __future__ import annotations

import contextlib
import gc
import os
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from searchfic import __version__
from searchfic.aliases import AliasTable, alias_path, apply_to_story, load_aliases
from searchfic.engine import layout
from searchfic.engine.manifest import FileEntry, Manifest
from searchfic.errors import CorpusError, SchemaVersionError
from searchfic.model import content_hash

#: below this many files to parse, a process pool costs more than it saves
POOL_THRESHOLD = 24
CHUNKSIZE = 8

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class FailedFile:
    source: str
    error: str


@dataclass(frozen=True)
class UpdateSummary:
    """What an update did, counted per file."""

    added: int = 0
    updated: int = 0
    removed: int = 0
    unchanged: int = 0
    failed: tuple[FailedFile, ...] = ()
    generation: str = ""
    rebuilt: bool = False
    stories: int = 0
    seconds: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        """Return the ``--json`` summary object of interfaces.md (and a few extras)."""
        return {
            "added": self.added,
            "updated": self.updated,
            "removed": self.removed,
            "unchanged": self.unchanged,
            "failed": [{"source": f.source, "error": f.error} for f in self.failed],
            "generation": self.generation,
            "rebuilt": self.rebuilt,
            "stories": self.stories,
            "seconds": round(self.seconds, 3),
        }


@dataclass(frozen=True)
class CorpusFiles:
    """The files ``index`` reads (corpus-relative source -> path) and the others it skipped."""

    files: dict[str, Path]
    skipped: dict[str, int] = field(default_factory=dict)  # ending -> count


def scan_corpus(corpus: Path, index_dir: Path | None = None) -> CorpusFiles:
    """List the corpus through ``searchfic.ingest.discover`` (the one rule of what is read).

    An index folder kept inside the corpus is left out: its files are not the archive's.
    """
    from searchfic.ingest import discover

    if not corpus.is_dir():
        raise CorpusError(f"{corpus}: no such corpus directory (give one with --corpus DIR)")
    found = discover(corpus)
    inside = None
    if index_dir is not None:
        try:
            inside = Path(index_dir).resolve().relative_to(corpus.resolve()).as_posix() + "/"
        except ValueError:
            inside = None
    files: dict[str, Path] = {}
    for p in found.files:
        p = Path(p)
        source = _source_of(p, corpus)
        if inside is None or not source.startswith(inside):
            files[source] = p
    skipped: dict[str, int] = {}
    for p in found.skipped:
        if inside is not None and _source_of(Path(p), corpus).startswith(inside):
            continue
        ending = Path(p).suffix.lower() or "(none)"
        skipped[ending] = skipped.get(ending, 0) + 1
    return CorpusFiles(files=files, skipped=dict(sorted(skipped.items())))


def _source_of(path: Path, corpus: Path) -> str:
    from searchfic.ingest import printable_source

    # discover() yields paths under ``corpus`` as given: no need to resolve each one.
    try:
        return printable_source(path.relative_to(corpus).as_posix())
    except ValueError:
        pass
    try:
        return printable_source(path.resolve().relative_to(corpus.resolve()).as_posix())
    except ValueError:
        return printable_source(path.as_posix())


def file_hash(path: Path) -> str:
    """Hash a file's bytes the way the manifest records them."""
    return content_hash(path.read_bytes())


# --- parsing, in worker processes ------------------------------------------------------------

_worker: dict[str, Any] = {}


def _init_worker(corpus: str, aliases: dict[str, Any], parent: int) -> None:
    _worker["corpus"] = Path(corpus)
    _worker["aliases"] = AliasTable.from_meta(aliases)
    if parent:
        # A writer killed with -9 must not leave its pool behind (nor anything it holds).
        def watch() -> None:
            while os.getppid() == parent:
                time.sleep(0.5)
            os._exit(1)

        threading.Thread(target=watch, daemon=True).start()


@dataclass(frozen=True)
class _Parsed:
    entry: FileEntry
    doc: dict[str, Any] | None  # the Whoosh document (no copies), None when failed or unwanted


def _parse(task: tuple[str, str, bool]) -> _Parsed:
    """Read, hash and parse one file; never raise (a failure is the entry's ``error``)."""
    from searchfic.errors import ParseError
    from searchfic.ingest import read_story_bytes

    source, path_text, want_doc = task
    path = Path(path_text)
    try:
        st = path.stat()
    except OSError as exc:
        entry = FileEntry(source, 0, 0, "", error=f"cannot read the file: {exc.strerror}")
        return _Parsed(entry, None)
    try:  # read once: the same bytes are hashed and parsed
        data = read_story_bytes(path)
    except ParseError as exc:  # too large, not a regular file, unreadable
        return _Parsed(FileEntry(source, st.st_size, st.st_mtime_ns, "", error=exc.reason), None)
    base = FileEntry(source, st.st_size, st.st_mtime_ns, content_hash(data))
    try:
        story = _parse_story(path, data)
    except Exception as exc:  # any parser bug is this file's failure, never the run's
        return _Parsed(_with(base, error=_reason(exc)), None)
    entry = _with(
        base,
        id=story.id,
        format=story.format,
        title=story.title,
        updated=story.updated,
        published=story.published,
        words=story.words,
        language=story.language,
        rating=story.rating,
        fandoms=tuple(story.fandoms),
        pairings=tuple(story.pairings),
    )
    doc = _document(story) if want_doc else None
    return _Parsed(entry, doc)


def _parse_story(path: Path, data: bytes) -> Any:
    from searchfic.ingest import RawFile, parse_raw, source_of

    raw = RawFile(data=data, source=source_of(path, _worker["corpus"]), path=str(path))
    return apply_to_story(parse_raw(raw), _worker["aliases"])


def _document(story: Any, copies: Iterable[str] = ()) -> dict[str, Any]:
    from searchfic.engine.schema import to_document

    return to_document(story, copies=tuple(copies), for_builder=True)


def _reason(exc: Exception) -> str:
    from searchfic.errors import ParseError

    if isinstance(exc, ParseError):
        return exc.reason
    return f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__


def _with(entry: FileEntry, **changes: Any) -> FileEntry:
    from dataclasses import replace

    return replace(entry, **changes)


class WorkersFailed(Exception):
    """A segment-writing worker died or failed: the run is redone in this process."""


def _segment_worker(
    wid: int,
    corpus: str,
    aliases: dict[str, Any],
    gen: str,
    parent: int,
    chunks: list[list[tuple[str, str, bool]]],
    bounds: Any,
    resultq: Any,
) -> None:
    """Parse, analyse and write files' documents into this worker's own segments."""
    try:
        _init_worker(corpus, aliases, parent)
        # Collect cyclic garbage (parse trees) every 50,000 new objects, not 700: a worker
        # allocates lists and parse trees by the million, and Python's default thresholds
        # spent ~1.3 of ~37 CPU s of a worker's loop over 5,000 stories in collections
        # (0.5 with these; the same peak memory).
        gc.set_threshold(50_000, 20, 100)
        builder = None
        while True:
            i = _next_chunk(bounds, wid)
            if i is None:
                break
            chunk = chunks[i]
            out = []
            for task in chunk:
                parsed = _parse(task)
                where = None
                if parsed.doc is not None:
                    if builder is None:
                        from searchfic.engine.segwriter import SegmentBuilder

                        builder = SegmentBuilder.for_folder(gen, layout.WHOOSH_INDEX_NAME)
                    where = (wid, *builder.add_document(parsed.doc))
                out.append((parsed.entry, where))
            resultq.put(("parsed", wid, out))
        resultq.put(("done", wid, builder.finish() if builder is not None else []))
    except BaseException as exc:  # reported to the parent, which redoes the run itself
        resultq.put(("error", wid, f"{type(exc).__name__}: {exc}"))


def _split(count: int, parts: int) -> list[int]:
    """Return ``[lo0, hi0, lo1, hi1, ...]``: ``count`` chunks cut into ``parts`` runs."""
    cuts = [count * k // parts for k in range(parts + 1)]
    return [b for k in range(parts) for b in (cuts[k], cuts[k + 1])]


def _next_chunk(bounds: Any, wid: int) -> int | None:
    """Take the next chunk of worker ``wid``'s own run, or the last of the longest other run.

    ``bounds`` is the shared ``[lo, hi, ...]`` of :func:`_split`. Each worker works through
    a contiguous run of the (sorted) files, so it meets the vocabulary of a part of the
    corpus (a language, in a corpus sorted by language) and stems it alone, not every
    worker every word; one that is done takes work from the far end of another's run.
    """
    with bounds.get_lock():
        lo, hi = bounds[2 * wid], bounds[2 * wid + 1]
        if lo < hi:
            bounds[2 * wid] = lo + 1
            return int(lo)
        left = [bounds[2 * k + 1] - bounds[2 * k] for k in range(len(bounds) // 2)]
        k = max(range(len(left)), key=left.__getitem__)
        if left[k] <= 0:
            return None
        bounds[2 * k + 1] -= 1
        return int(bounds[2 * k + 1])


class _SegmentPool:
    """Parse files and write their documents as new segments, on every core.

    Each worker process parses its share of the files (a contiguous run of them, see
    :func:`_next_chunk`) and writes the documents into its
    own segments in the (unpublished) generation folder ``gen``; the parent only gathers
    the manifest entries and, at the end, the segments, which its writer lists in one TOC
    commit: no document crosses a pipe, no final merge. Whoosh's ``MpWriter`` hands every
    document to its workers pickled and merges at commit; this skips both.
    """

    def __init__(self, corpus: Path, aliases: AliasTable, gen: Path, workers: int) -> None:
        self.corpus = corpus
        self.aliases = aliases
        self.gen = gen
        self.workers = workers
        self.segments: list[Any] = []
        self.by_worker: dict[int, list[Any]] = {}
        self._procs: list[Any] = []

    def run(
        self, tasks: list[tuple[str, str, bool]]
    ) -> Iterator[tuple[FileEntry, tuple[int, int, int] | None]]:
        """Yield (entry, where its document went) per file, in completion order.

        ``where`` is (worker, segment number, document number), for :meth:`delete`.
        """
        import multiprocessing
        import queue

        # spawn, not fork: a forked child would inherit the writer lock's descriptor.
        ctx = multiprocessing.get_context("spawn")
        resultq = ctx.Queue()
        chunks = [tasks[i : i + CHUNKSIZE] for i in range(0, len(tasks), CHUNKSIZE)]
        n = min(self.workers, max(1, len(chunks)))
        bounds = ctx.Array("q", _split(len(chunks), n))
        args = (str(self.corpus), self.aliases.to_meta(), str(self.gen), os.getpid())
        for wid in range(n):
            p = ctx.Process(
                target=_segment_worker, args=(wid, *args, chunks, bounds, resultq), daemon=True
            )
            p.start()
            self._procs.append(p)
        finished: set[int] = set()
        while len(finished) < n:
            try:
                kind, wid, payload = resultq.get(timeout=0.5)
            except queue.Empty:
                for i, p in enumerate(self._procs):
                    # exit code 0 means its last message is on its way
                    if i not in finished and not p.is_alive() and p.exitcode != 0:
                        raise WorkersFailed(f"worker {i} died (exit code {p.exitcode})") from None
                continue
            if kind == "parsed":
                yield from payload
            elif kind == "done":
                self.by_worker[wid] = list(payload)
                finished.add(wid)
            else:
                raise WorkersFailed(str(payload))
        for p in self._procs:
            p.join()
        self._procs = []
        self.segments = [seg for wid in sorted(self.by_worker) for seg in self.by_worker[wid]]

    def delete(self, where: tuple[int, int, int]) -> None:
        """Mark a document the workers wrote as deleted (recorded by the next TOC).

        No Whoosh searcher is needed, which would read every segment's term and postings
        files into memory (compound files are copied into buffers when opened).
        """
        wid, segno, docnum = where
        self.by_worker[wid][segno].delete_document(docnum)

    def close(self) -> None:
        for p in self._procs:
            if p.is_alive():
                p.kill()
            p.join()
        self._procs = []


class _Parser:
    """Parse files in this process (a few files, one core, or after workers failed)."""

    def __init__(self, corpus: Path, aliases: AliasTable, workers: int | None = None) -> None:
        self.corpus = corpus
        self.aliases = aliases
        #: how many segment-writing worker processes a big batch gets (1: none)
        self.workers = workers or max(1, min(4, os.cpu_count() or 1))

    def run(self, tasks: list[tuple[str, str, bool]]) -> Iterator[_Parsed]:
        _init_worker(str(self.corpus), self.aliases.to_meta(), 0)
        for t in tasks:
            yield _parse(t)

    def close(self) -> None:
        """Nothing to release: the worker processes belong to each run's _SegmentPool."""


# --- the update ---------------------------------------------------------------------------


def update_index(
    corpus: Path,
    index_dir: Path,
    rebuild: bool = False,
    progress: Progress | None = None,
    aliases_file: Path | None = None,
    workers: int | None = None,
) -> UpdateSummary:
    """Bring ``index_dir`` up to date with ``corpus`` (or build it anew) and publish it.

    Raise CorpusError when the corpus is missing, IndexLockedError when another writer
    holds the index, SchemaVersionError when the index has another schema version and
    ``rebuild`` is false, AliasFileError when the alias file is malformed.
    """
    corpus = Path(corpus)
    index_dir = Path(index_dir)
    if not corpus.is_dir():
        raise CorpusError(f"{corpus}: no such corpus directory (give one with --corpus DIR)")
    started = time.monotonic()
    index_dir.mkdir(parents=True, exist_ok=True)
    with layout.WriterLock(index_dir):
        layout.remove_stale(index_dir)
        return _Update(corpus, index_dir, rebuild, progress, aliases_file, workers).run(started)


class _Update:
    def __init__(
        self,
        corpus: Path,
        index_dir: Path,
        rebuild: bool,
        progress: Progress | None,
        aliases_file: Path | None,
        workers: int | None,
    ) -> None:
        from searchfic.engine.schema import SCHEMA_VERSION

        self.corpus = corpus
        self.index_dir = index_dir
        self.progress = progress
        self.schema_version = SCHEMA_VERSION
        self.aliases = load_aliases(aliases_file or alias_path(corpus))
        self.cur = layout.current_dir(index_dir)
        self.old_meta = (layout.read_json(self.cur / layout.META) if self.cur else None) or {}
        self.old = Manifest.from_json(
            layout.read_json(self.cur / layout.MANIFEST) if self.cur else None
        )
        if self.cur is not None and not rebuild:
            built = self.old_meta.get("schema_version")
            if built != SCHEMA_VERSION:
                raise SchemaVersionError(
                    f"{index_dir} was built with schema {built}, this searchfic uses schema "
                    f"{SCHEMA_VERSION}; run `searchfic index --rebuild`"
                )
        self.renormalise = (
            self.cur is not None and self.old_meta.get("aliases_hash", "") != self.aliases.digest
        )
        # Without its manifest (or its Whoosh files) a generation cannot be updated in
        # place: what it holds is unknown, so it is rebuilt.
        unreadable = self.cur is not None and (
            layout.read_json(self.cur / layout.MANIFEST) is None or not _has_index(self.cur)
        )
        self.rebuild = rebuild or self.cur is None or self.renormalise or unreadable
        self.parser = _Parser(corpus, self.aliases, workers)
        self.touched: set[str] = set()
        self.new_version = self.old_meta.get("searchfic_version") != __version__

    def run(self, started: float) -> UpdateSummary:
        try:
            return self._run(started)
        finally:
            self.parser.close()

    def _run(self, started: float) -> UpdateSummary:
        scan = scan_corpus(self.corpus, self.index_dir)
        old = self.old.entries
        new: dict[str, FileEntry] = {}
        to_parse: list[str] = []
        counts = {"added": 0, "updated": 0, "removed": 0, "unchanged": 0}
        # 1. Compare with the previous manifest: stat first, hash only when the stat moved.
        # (A rebuild parses everything; what did not change still counts as unchanged.)
        for source, path in [] if self.rebuild else sorted(scan.files.items()):
            prev = old.get(source)
            try:
                st = path.stat()
            except OSError:
                continue  # vanished since the scan: it is simply not in the corpus now
            if prev is not None and (prev.size, prev.mtime_ns) == (st.st_size, st.st_mtime_ns):
                if prev.ok or not self.new_version:
                    new[source] = prev
                    continue
                # a failed file gets another chance with a new searchfic (its parsers changed)
                to_parse.append(source)
                continue
            if prev is not None and prev.hash:
                try:
                    digest = file_hash(path)
                except OSError:
                    digest = ""
                if digest == prev.hash:
                    new[source] = _with(prev, size=st.st_size, mtime_ns=st.st_mtime_ns)
                    if prev.id:
                        # same story, but its mtime may now decide which copy wins
                        self.touched.add(prev.id)
                    continue
            to_parse.append(source)
        if self.rebuild:
            to_parse = sorted(scan.files)
        carried = new

        # 2. Ids whose documents must go: every old file that changed or vanished.
        stale_ids: set[str] = set()
        if not self.rebuild:
            for source, e in old.items():
                if e.ok and e.id and source not in carried:
                    stale_ids.add(e.id)

        if not self.rebuild and not to_parse and carried == old:
            return self._nothing_to_do(carried, started)

        # 3. Write: a new generation (hard-linked from the current one, or empty).
        name = layout.next_name(self.index_dir)
        gen = layout.generations_dir(self.index_dir) / name
        writer = _GenerationWriter(gen, None if self.rebuild else self.cur)
        try:
            try:
                summary = self._write(writer, scan, carried, to_parse, stale_ids, counts)
            except WorkersFailed:
                # A worker died (killed, out of memory, or it could not start: e.g. a
                # __main__ that cannot be re-imported): do the whole write here instead.
                writer.abandon()
                self.parser.workers = 1
                writer = _GenerationWriter(gen, None if self.rebuild else self.cur)
                summary = self._write(writer, scan, carried, to_parse, stale_ids, counts)
        except BaseException:
            writer.abandon()
            raise
        meta = {
            "schema_version": self.schema_version,
            "searchfic_version": __version__,
            "generation": name,
            "created": datetime.now(UTC).isoformat(timespec="seconds"),
            "corpus": str(self.corpus.resolve()),
            "counts": {
                "files": len(summary["manifest"].entries),
                "stories": summary["stories"],
                "failed": len(summary["manifest"].failed()),
                "skipped": scan.skipped,
            },
            "aliases": self.aliases.to_meta(),
            "aliases_hash": self.aliases.digest,
            "aliases_file": self.aliases.path,
            "previous": self.cur.name if self.cur else None,
            "summary": {k: counts[k] for k in counts},
        }
        layout.write_json(gen / layout.MANIFEST, summary["manifest"].to_json())
        layout.write_json(gen / layout.META, meta)
        layout.publish(self.index_dir, name)
        layout.remove_stale(self.index_dir)
        failed = tuple(FailedFile(e.source, e.error or "") for e in summary["manifest"].failed())
        return UpdateSummary(
            added=counts["added"],
            updated=counts["updated"],
            removed=counts["removed"],
            unchanged=counts["unchanged"],
            failed=failed,
            generation=name,
            rebuilt=self.rebuild,
            stories=summary["stories"],
            seconds=time.monotonic() - started,
        )

    def _nothing_to_do(self, entries: dict[str, FileEntry], started: float) -> UpdateSummary:
        # The corpus is as the published generation saw it: publish nothing new.
        manifest = Manifest(entries)
        return UpdateSummary(
            unchanged=sum(1 for e in entries.values() if e.ok),
            failed=tuple(FailedFile(e.source, e.error or "") for e in manifest.failed()),
            generation=self.cur.name if self.cur else "",
            stories=len({e.id for e in entries.values() if e.ok}),
            seconds=time.monotonic() - started,
        )

    def _write(
        self,
        writer: _GenerationWriter,
        scan: CorpusFiles,
        carried: dict[str, FileEntry],
        to_parse: list[str],
        stale_ids: set[str],
        counts: dict[str, int],
    ) -> dict[str, Any]:
        old = self.old.entries
        entries: dict[str, FileEntry] = dict(carried)
        # ids still standing for carried files: a parsed file with one of these is a copy
        standing: dict[str, int] = {}
        for e in carried.values():
            if e.ok and e.id:
                standing[e.id] = standing.get(e.id, 0) + 1
        for sid in stale_ids:
            writer.delete(sid)
        resolve: set[str] = {sid for sid in stale_ids if sid in standing}
        resolve |= {sid for sid in self.touched if standing.get(sid, 0) > 1}
        written: set[str] = set()
        total = len(to_parse)
        tasks = [(s, str(scan.files[s]), True) for s in to_parse]
        if self.progress:
            self.progress(0, total)
        if len(tasks) >= POOL_THRESHOLD and self.parser.workers >= 2:
            # Workers write their documents into their own segments; a file whose id is
            # already standing or written is resolved below like any duplicate (every
            # document with that id is deleted and the winning copy added again).
            pool = _SegmentPool(self.corpus, self.aliases, writer.gen, self.parser.workers)
            placed: dict[str, list[tuple[int, int, int]]] = {}
            try:
                for done, (e, where) in enumerate(pool.run(tasks), 1):
                    entries[e.source] = e
                    if e.ok and e.id:
                        if where is not None:
                            placed.setdefault(e.id, []).append(where)
                        if e.id in standing or e.id in written:
                            resolve.add(e.id)
                        elif where is not None:
                            written.add(e.id)
                    if self.progress:
                        self.progress(done, total)
            finally:
                pool.close()
            # The workers' copies of a duplicate are deleted in their segments directly;
            # only ids standing in the previous generation need Whoosh's delete below.
            for sid in resolve:
                for where in placed.get(sid, ()):
                    pool.delete(where)
            whoosh_deletes = {sid for sid in resolve if sid in standing}
            writer.add_segments(pool.segments)
        else:
            whoosh_deletes = None  # every id to resolve: the documents are committed first
            for done, parsed in enumerate(self.parser.run(tasks), 1):
                e = parsed.entry
                entries[e.source] = e
                if e.ok and e.id:
                    if e.id in standing or e.id in written:
                        resolve.add(e.id)
                    elif parsed.doc is not None:
                        writer.add(parsed.doc)
                        written.add(e.id)
                if self.progress:
                    self.progress(done, total)
        # Duplicates: one document per id, the newest copy with the others as copies.
        if resolve:
            groups = Manifest(entries).by_id()
            writer.commit()
            promote: list[tuple[str, list[FileEntry]]] = []
            for sid in sorted(resolve):
                if whoosh_deletes is None or sid in whoosh_deletes:
                    writer.delete(sid)
                if sid in groups:
                    promote.append((sid, groups[sid]))
            tasks = [(g[0].source, str(scan.files[g[0].source]), False) for _, g in promote]
            copies = {g[0].source: [c.source for c in g[1:]] for _, g in promote}
            for doc in self._parse_docs(tasks, copies):
                writer.add(doc)
        writer.commit()
        _count(old, entries, counts, self.rebuild)
        manifest = Manifest(entries)
        stories = len({e.id for e in entries.values() if e.ok})
        return {"manifest": manifest, "stories": stories}

    def _parse_docs(
        self, tasks: list[tuple[str, str, bool]], copies: dict[str, list[str]]
    ) -> Iterator[dict[str, Any]]:
        """Parse each winning copy again and build its document with its copies."""
        from searchfic.ingest import parse_file

        for source, path, _ in tasks:
            try:
                story = apply_to_story(parse_file(Path(path), corpus=self.corpus), self.aliases)
            except Exception:
                # It parsed a moment ago; a file edited since is picked up by the next run.
                continue
            yield _document(story, sorted(copies.get(source, ())))


def _count(
    old: dict[str, FileEntry], new: dict[str, FileEntry], counts: dict[str, int], rebuild: bool
) -> None:
    """Count per file: added, updated (a move with the same content too), removed, unchanged."""
    vanished = {s: e for s, e in old.items() if s not in new}
    by_hash: dict[str, list[str]] = {}
    for s, e in vanished.items():
        if e.hash:
            by_hash.setdefault(e.hash, []).append(s)
    for source, e in sorted(new.items()):
        if not e.ok:
            continue  # reported in failed
        prev = old.get(source)
        if prev is None:
            moved_from = by_hash.get(e.hash)
            if moved_from:
                vanished.pop(moved_from.pop(0), None)
                counts["updated"] += 1
            else:
                counts["added"] += 1
        elif not prev.ok:
            counts["added"] += 1  # it failed before: the story is new to the index
        elif prev.hash == e.hash:
            counts["unchanged"] += 1
        else:
            counts["updated"] += 1
    counts["removed"] += len(vanished)


def _has_index(gen: Path) -> bool:
    from whoosh import index as windex

    return bool(windex.exists_in(str(gen), indexname=layout.WHOOSH_INDEX_NAME))


class _GenerationWriter:
    """The Whoosh side of one new generation: delete by id, add documents, commit."""

    def __init__(self, gen: Path, base: Path | None) -> None:
        from whoosh import index as windex

        from searchfic.engine.schema import build_schema

        self.gen = gen
        self._w: Any = None
        self._extra: list[Any] = []
        self._builder: Any = None
        if base is not None:
            layout.link_generation(base, gen)
            self.ix = windex.open_dir(str(gen), indexname=layout.WHOOSH_INDEX_NAME)
        else:
            gen.mkdir(parents=True, exist_ok=False)
            self.ix = windex.create_in(str(gen), build_schema(), indexname=layout.WHOOSH_INDEX_NAME)

    def _writer(self) -> Any:
        if self._w is None:
            from searchfic.engine.codec import SfCodec

            # loose files (see segwriter), blocks in searchfic's codec
            self._w = self.ix.writer(limitmb=128, compound=False, codec=SfCodec())
        return self._w

    def delete(self, story_id: str) -> None:
        self._writer().delete_by_term("id", story_id)

    def add(self, doc: dict[str, Any]) -> None:
        # Added documents go through the same segment builder as the workers' (a few
        # times faster than Whoosh's writer); deletions go through Whoosh's writer.
        if self._builder is None:
            from searchfic.engine.segwriter import SegmentBuilder

            self._builder = SegmentBuilder.for_folder(str(self.gen), layout.WHOOSH_INDEX_NAME)
        self._builder.add_document(doc)

    def add_segments(self, segments: list[Any]) -> None:
        """List segments that workers wrote into this generation in the next commit."""
        self._extra.extend(segments)

    def commit(self) -> None:
        if self._builder is not None:
            self._extra.extend(self._builder.finish())
            self._builder = None
        if self._w is None and not self._extra:
            return
        w = self._writer()
        extra, self._extra = self._extra, []
        if extra:
            from whoosh.writing import MERGE_SMALL

            def policy(writer: Any, segments: list[Any]) -> list[Any]:
                # The workers' segments join the TOC as written: merging them would
                # redo in one process what both cores just did.
                return list(MERGE_SMALL(writer, segments)) + extra

            w.commit(mergetype=policy)
        else:
            # The default policy merges only small segments: big ones are never rewritten.
            w.commit()
        self._w = None

    def abandon(self) -> None:
        import shutil

        self._extra = []
        self._builder = None
        if self._w is not None:
            with contextlib.suppress(Exception):
                self._w.cancel()
            self._w = None
        shutil.rmtree(self.gen, ignore_errors=True)


def index_ids(gen: Path) -> set[str]:
    """Return the story ids of the live documents of generation folder ``gen``."""
    from whoosh import index as windex

    ix = windex.open_dir(str(gen), indexname=layout.WHOOSH_INDEX_NAME)
    try:
        with ix.searcher() as searcher:
            # The id lexicon still lists deleted documents' ids until a merge: ask for a
            # live document of each (no stored field, so no record or body, is read).
            ids = set()
            for term in searcher.reader().lexicon("id"):
                text = term.decode("utf-8") if isinstance(term, bytes) else str(term)
                if searcher.document_number(id=text) is not None:
                    ids.add(text)
            return ids
    finally:
        ix.close()
