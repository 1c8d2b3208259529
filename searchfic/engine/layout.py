"""The index folder's layout: generations beside each other, one atomic pointer.

::

    index/
      CURRENT                 the name of the published generation (replaced atomically)
      LOCK                    held (flock) by the one writer
      generations/
        g000007/              a whole Whoosh index + manifest.json + meta.json
        g000008/              being built; invisible to readers until CURRENT names it

A reader resolves CURRENT once per open (and cheaply re-checks it per request); a writer
builds the next generation beside the current one and publishes it with ``os.replace``, so
a crash at any moment leaves the previous generation whole.

Write side (``searchfic.engine.indexer``): the writer takes LOCK (``flock``, its pid
written inside, released by the kernel however the writer dies), removes what a crashed
writer left (unpublished generations, CURRENT temp files), hard-links the current
generation's Whoosh files into the new folder (:func:`link_generation`: Whoosh never
rewrites a written segment or TOC, deletions go into the next TOC), writes its changes,
``manifest.json`` (each corpus file: size, mtime, hash, story id, format, error) and
``meta.json`` (schema version, counts, aliases, corpus), fsyncs and publishes. It then
keeps only the current and the previous generation: a reader still on the previous one
keeps working until the next update.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

CURRENT = "CURRENT"
LOCK = "LOCK"
GENERATIONS = "generations"
WHOOSH_INDEX_NAME = "MAIN"
MANIFEST = "manifest.json"
META = "meta.json"
_GEN_RE = re.compile(r"^g(\d{6,})$")


def generations_dir(index_dir: Path) -> Path:
    return index_dir / GENERATIONS


def current_name(index_dir: Path) -> str | None:
    """Return the published generation's name, or None when nothing is published."""
    try:
        name = (index_dir / CURRENT).read_text(encoding="ascii").strip()
    except (FileNotFoundError, NotADirectoryError, UnicodeDecodeError):
        return None
    if not _GEN_RE.match(name) or not (generations_dir(index_dir) / name).is_dir():
        return None
    return name


def current_dir(index_dir: Path) -> Path | None:
    """Return the published generation's folder, or None."""
    name = current_name(index_dir)
    return generations_dir(index_dir) / name if name else None


def next_name(index_dir: Path) -> str:
    """Return a generation name greater than every existing one."""
    highest = 0
    gdir = generations_dir(index_dir)
    if gdir.is_dir():
        for entry in gdir.iterdir():
            m = _GEN_RE.match(entry.name)
            if m:
                highest = max(highest, int(m.group(1)))
    return f"g{highest + 1:06d}"


def publish(index_dir: Path, name: str) -> None:
    """Make generation ``name`` the current one, atomically and durably."""
    gen = generations_dir(index_dir) / name
    _fsync_tree(gen)
    tmp = index_dir / f".{CURRENT}.{os.getpid()}.tmp"
    with open(tmp, "w", encoding="ascii") as fh:
        fh.write(name + "\n")
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, index_dir / CURRENT)
    _fsync_dir(index_dir)


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _fsync_tree(path: Path) -> None:
    for entry in path.iterdir():
        if entry.is_file():
            fd = os.open(entry, os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)
    _fsync_dir(path)
    _fsync_dir(path.parent)


# --- write side: the one-writer lock, cleanup, hard-linked generations, JSON files ---------

# Segment files: compound ``MAIN_<id>.seg``, or loose ``MAIN_<id>.trm``, ``.pst`` and
# column files with a field in the name (``MAIN_<id>._body_len.col``).
_WHOOSH_FILE_RE = re.compile(
    rf"^(?:_{WHOOSH_INDEX_NAME}_\d+\.toc|{WHOOSH_INDEX_NAME}_\w+(?:\.\w+)+)$"
)


class WriterLock:
    """The one-writer lock: ``flock`` on ``index/LOCK``, holding the writer's pid.

    The kernel drops the lock when the process dies, however it dies, so a crashed writer
    never leaves the index locked.
    """

    def __init__(self, index_dir: Path) -> None:
        self.path = index_dir / LOCK
        self._fd: int | None = None

    def acquire(self) -> WriterLock:
        """Take the lock without waiting; raise IndexLockedError naming the holder's pid."""
        import fcntl

        from searchfic.errors import IndexLockedError

        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            try:
                holder = os.pread(fd, 64, 0).decode("ascii", "replace").strip() or "unknown"
            finally:
                os.close(fd)
            raise IndexLockedError(
                f"{self.path.parent}: another searchfic process (pid {holder}) is updating "
                "this index; wait for it to finish and run the command again"
            ) from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode("ascii"), 0)
        self._fd = fd
        return self

    def release(self) -> None:
        """Release the lock (the LOCK file stays: removing it would race a new writer)."""
        if self._fd is not None:
            import fcntl

            try:
                os.ftruncate(self._fd, 0)
                fcntl.flock(self._fd, fcntl.LOCK_UN)
            finally:
                os.close(self._fd)
                self._fd = None

    def __enter__(self) -> WriterLock:
        return self.acquire()

    def __exit__(self, *exc: object) -> None:
        self.release()


def generation_names(index_dir: Path) -> list[str]:
    """Return every generation folder's name, oldest first."""
    gdir = generations_dir(index_dir)
    if not gdir.is_dir():
        return []
    names = [e.name for e in gdir.iterdir() if _GEN_RE.match(e.name) and e.is_dir()]
    return sorted(names, key=lambda n: int(n[1:]))


def previous_name(index_dir: Path) -> str | None:
    """Return the newest complete generation older than the current one, or None."""
    cur = current_name(index_dir)
    if cur is None:
        return None
    older = [
        n
        for n in generation_names(index_dir)
        if int(n[1:]) < int(cur[1:]) and (generations_dir(index_dir) / n / META).is_file()
    ]
    return older[-1] if older else None


def remove_stale(index_dir: Path) -> list[str]:
    """Remove every generation but the current and the previous one; return their names.

    Call only while holding the writer lock: unpublished generations are a crashed writer's
    leftovers, and anything older than the previous one has had a whole update's time for
    its readers to move on.
    """
    import shutil

    keep = {current_name(index_dir), previous_name(index_dir)} - {None}
    removed = []
    for name in generation_names(index_dir):
        if name not in keep:
            shutil.rmtree(generations_dir(index_dir) / name, ignore_errors=True)
            removed.append(name)
    for tmp in index_dir.glob(f".{CURRENT}.*.tmp"):
        tmp.unlink(missing_ok=True)
    return removed


def link_generation(src: Path, dst: Path) -> int:
    """Hard-link the Whoosh files of generation ``src`` into the new folder ``dst``.

    Whoosh never rewrites a segment file or a TOC once written (deletions live in the next
    TOC), so sharing inodes is safe and an update costs no copy. Where hard links are not
    possible (another file system), the files are copied instead. Return the bytes shared.
    """
    import shutil

    dst.mkdir(parents=True, exist_ok=False)
    shared = 0
    for entry in src.iterdir():
        if not entry.is_file() or not _WHOOSH_FILE_RE.match(entry.name):
            continue
        if entry.name.endswith("_LOCK") or "WRITELOCK" in entry.name:
            continue
        try:
            os.link(entry, dst / entry.name)
        except OSError:
            shutil.copy2(entry, dst / entry.name)
        shared += entry.stat().st_size
    return shared


def write_json(path: Path, data: object) -> None:
    """Write a JSON file durably (temp file, fsync, rename)."""
    import json

    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    with open(tmp, "w", encoding="utf-8") as fh:
        json.dump(data, fh, ensure_ascii=False, separators=(",", ":"))
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)


def read_json(path: Path) -> dict | None:
    """Read a JSON object file; None when missing or unreadable."""
    import json

    try:
        with open(path, encoding="utf-8") as fh:
            data = json.load(fh)
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def folder_size(path: Path) -> int:
    """Return the bytes of the files directly in ``path`` (a generation folder)."""
    return sum(e.stat().st_size for e in path.iterdir() if e.is_file())
