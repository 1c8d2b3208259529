"""Shared helpers of the indexer tests: a throwaway copy of tests/data/corpus_small."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

from searchfic.engine import layout

CORPUS_SMALL = Path(__file__).resolve().parent / "data" / "corpus_small"


def copy_corpus(tmp_path: Path, name: str = "corpus") -> Path:
    """Copy the small corpus into ``tmp_path`` and return the copy."""
    dst = tmp_path / name
    shutil.copytree(CORPUS_SMALL, dst)
    return dst


def manifest(index_dir: Path) -> dict:
    """Return the published generation's manifest files mapping."""
    gen = layout.current_dir(index_dir)
    assert gen is not None
    return json.loads((gen / layout.MANIFEST).read_text(encoding="utf-8"))["files"]


def records(index_dir: Path) -> dict[str, dict]:
    """Return every live story record of the published generation, by source."""
    from searchfic.engine.schema import unpack_record
    from searchfic.engine.store import column_bytes, open_index

    with open_index(index_dir) as ix, ix.searcher() as s:
        return {
            rec["source"]: rec
            for rec in (
                unpack_record(column_bytes(s, "record", n)) for n in s.reader().all_doc_ids()
            )
        }


def bump_mtime(path: Path, seconds: int = 5) -> None:
    """Move a file's mtime forward, as an edit a few seconds later would."""
    st = path.stat()
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + seconds * 1_000_000_000))


def snapshot(folder: Path) -> dict[str, bytes]:
    """Return every file's bytes in ``folder``, by name."""
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}
