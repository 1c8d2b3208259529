"""Shared helpers of the engine tests: tiny indexes built from tests/data/engine."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from searchfic.model import Story, count_words

ENGINE_DATA = Path(__file__).resolve().parent / "data" / "engine"


def load_stories(name: str = "stories.json") -> list[Story]:
    """Return the Story objects of a fixture file (words counted from the body)."""
    out = []
    for raw in json.loads((ENGINE_DATA / name).read_text(encoding="utf-8")):
        fields = {k: tuple(v) if isinstance(v, list) else v for k, v in raw.items()}
        fields["words"] = count_words(fields.get("body", ""))
        out.append(Story(**fields))
    return out


def build_index(
    index_dir: Path, stories: list[Story], aliases: dict[str, Any] | None = None
) -> Path:
    """Write ``stories`` as one published generation in ``index_dir``."""
    from whoosh import index as whoosh_index

    from searchfic.engine import layout
    from searchfic.engine.schema import SCHEMA_VERSION, build_schema, to_document

    name = layout.next_name(index_dir)
    gen = layout.generations_dir(index_dir) / name
    gen.mkdir(parents=True)
    ix = whoosh_index.create_in(str(gen), build_schema(), indexname=layout.WHOOSH_INDEX_NAME)
    writer = ix.writer()
    for story in stories:
        writer.add_document(**to_document(story))
    writer.commit()
    meta = {"schema_version": SCHEMA_VERSION, "aliases": aliases or {}}
    (gen / layout.META).write_text(json.dumps(meta), encoding="utf-8")
    layout.publish(index_dir, name)
    return index_dir
