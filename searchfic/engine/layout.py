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
