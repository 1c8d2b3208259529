"""The Whoosh schema and the mapping of a Story onto one Whoosh document.

Design (see docs/engine-notes.md):

- Text is analysed in :mod:`searchfic.engine.analysis` and handed to Whoosh as
  space-joined tokens; every field uses a stock ``RegexTokenizer``. Phrase fields keep
  their positions in :class:`searchfic.engine.codec.RawPositions` (arrays, not pickles),
  and segments are written by :class:`searchfic.engine.codec.SfCodec`: the index is read
  with searchfic installed (the pickled schema and TOC name those two classes).
- ``body`` holds the folded, unstemmed, stop-word-free tokens with positions: exact
  phrases and quotes, whatever the typography. ``body_stem`` holds, without positions,
  the Snowball stems (in the story's language) of the words whose stem differs from the
  word itself: a word query asks both fields for the stem, so every form is found while
  Whoosh writes ~15% fewer terms (its commit cost is per term).
- ``f_<facet>`` fields hold each multi-valued metadata value as written (one token per
  value, ``VALUE_SEP``-separated); facet counts and filters are computed from their
  postings into per-document numpy arrays, cached per generation.
- Numeric columns (``words``, ``published``, ``updated``, ``complete``) and ``title_sort``
  are sortable columns, read once per generation into arrays.
- The record (without body) and the body are stored separately, in two column fields
  (``record``, ``body_z``): a hit reads its record alone, and the body is read (and
  decompressed) once, only for snippets and ``get_story``, which needs no corpus access.
  The record is a pickled tuple of its values in ``RECORD_FIELDS`` order, uncompressed: it
  decodes in ~1 us where zlib + JSON took ~9 (a shown hit decodes one), for ~2.5 MB more
  at 10,000 stories. Whoosh's stored fields (one pickled, compressed dict per document,
  read whole) keep only the id.
"""

from __future__ import annotations

import pickle
import zlib
from collections.abc import Sequence
from dataclasses import fields as dataclass_fields
from typing import Any, cast

from whoosh import columns, fields
from whoosh.analysis import RegexTokenizer

from searchfic.engine import analysis
from searchfic.engine.codec import RawPositions
from searchfic.model import Story

#: Bump when the schema or the analysis changes in a way old indexes cannot serve.
SCHEMA_VERSION: int = 4

#: Facet name -> the Story attribute it comes from.
FACET_ATTRS: dict[str, str] = {
    "fandom": "fandoms",
    "pairing": "pairings",
    "character": "characters",
    "rating": "rating",
    "tag": "tags",
    "author": "authors",
    "language": "language",
    "warning": "warnings",
    "category": "categories",
}

#: Text fields a query word searches, with the Whoosh field holding them.
TEXT_FIELDS: dict[str, str] = {
    "title": "title",
    "summary": "summary",
    "author": "t_author",
    "fandom": "t_fandom",
    "pairing": "t_pairing",
    "character": "t_character",
    "tag": "t_tag",
}
#: Fields whose tokens are stems (the rest hold exact folded tokens).
STEMMED_FIELDS = frozenset({"body_stem", "title", "summary"})


def _space_tokens() -> Any:
    return RegexTokenizer(r"[^ ]+")


def _values() -> Any:
    return RegexTokenizer(r"[^\x1f]+")


def _phrase_text(field_boost: float = 1.0) -> fields.TEXT:
    """A text field with positions (for phrases), kept as RawPositions."""
    field = fields.TEXT(analyzer=_space_tokens(), phrase=True, field_boost=field_boost)
    field.format = RawPositions(field_boost=field_boost)
    return field


def build_schema() -> fields.Schema:
    """Return the Whoosh schema of schema version SCHEMA_VERSION."""
    text_meta = {
        name: _phrase_text(boost)
        for name, boost in (
            ("t_author", 2.0),
            ("t_fandom", 1.5),
            ("t_pairing", 1.5),
            ("t_character", 1.5),
            ("t_tag", 1.5),
        )
    }
    facet_fields = {
        f"f_{name}": fields.TEXT(analyzer=_values(), phrase=False) for name in FACET_ATTRS
    }
    return fields.Schema(
        id=fields.ID(stored=True, unique=True, sortable=True),
        source=fields.ID(),
        content_hash=fields.ID(),
        site_key=fields.ID(),
        # Raw bytes, already compressed: Whoosh's stored column would compress them again.
        record=fields.COLUMN(columns.VarBytesColumn()),
        body_z=fields.COLUMN(columns.VarBytesColumn()),
        body=_phrase_text(),
        body_stem=fields.TEXT(analyzer=_space_tokens(), phrase=False),
        title=_phrase_text(3.0),
        summary=_phrase_text(1.5),
        title_sort=fields.ID(sortable=True),
        words=fields.NUMERIC(int, bits=64, sortable=True, default=0),
        published=fields.NUMERIC(int, sortable=True, default=0),
        updated=fields.NUMERIC(int, sortable=True, default=0),
        complete=fields.NUMERIC(int, sortable=True, default=2),
        **text_meta,
        **facet_fields,
    )


def date_number(value: str | None) -> int:
    """Return ``YYYY-MM-DD`` as the integer YYYYMMDD (0 when unknown)."""
    if not value:
        return 0
    digits = value.replace("-", "")
    return int(digits) if digits.isdigit() and len(digits) == 8 else 0


def complete_number(value: bool | None) -> int:
    """Encode ``complete``: 1 true, 0 false, 2 unknown."""
    return 2 if value is None else int(bool(value))


def facet_values(story: Story, name: str) -> list[str]:
    """Return a story's values for facet ``name``, as written, without blanks."""
    raw = getattr(story, FACET_ATTRS[name])
    if raw is None:
        return []
    items = [raw] if isinstance(raw, str) else list(raw)
    out: list[str] = []
    for v in items:
        v = " ".join(str(v).replace(analysis.VALUE_SEP, " ").split())
        if v and v not in out:
            out.append(v)
    return out


#: The stored record's values, in order: every Story field but the body.
RECORD_FIELDS: tuple[str, ...] = tuple(f.name for f in dataclass_fields(Story) if f.name != "body")


def pack_record(story: Story, copies: Sequence[str] = ()) -> bytes:
    """Return the stored form of the story record (without body).

    Pickle, like Whoosh's own stored fields and TOC: the index is this program's output,
    and the record holds only strings, numbers, None and tuples of strings.
    """
    values = tuple(
        tuple(copies)
        if name == "copies"
        else (tuple(v) if isinstance(v := getattr(story, name), list) else v)
        for name in RECORD_FIELDS
    )
    return pickle.dumps(values, protocol=5)


def unpack_record_values(blob: bytes) -> tuple[Any, ...]:
    """Return the stored record's values, in ``RECORD_FIELDS`` order (lists as tuples)."""
    return cast("tuple[Any, ...]", pickle.loads(blob))


def unpack_record(blob: bytes) -> dict[str, Any]:
    """Return the stored record as its JSON story record (lists, not tuples)."""
    return {
        name: list(v) if isinstance(v, tuple) else v
        for name, v in zip(RECORD_FIELDS, pickle.loads(blob), strict=True)
    }


#: zlib level of stored bodies: level 1 compresses ~3.5x faster than 6 (112 vs 32 MB/s on
#: the ELTeC text), decompresses as fast, and takes ~13% more room; a build compresses
#: every body once, a search decompresses only the shown hits'.
BODY_ZLIB_LEVEL = 1


def pack_body(body: str) -> bytes:
    return zlib.compress(body.encode("utf-8"), BODY_ZLIB_LEVEL)


def unpack_body(blob: bytes | None) -> str:
    return zlib.decompress(blob).decode("utf-8") if blob else ""


def _title_sort_key(title: str) -> str:
    # Case, accents and leading punctuation ("'Tis", "...and then") do not decide a
    # title's place; articles do (a reader scanning an A-Z list expects "The X" under T).
    key = analysis.fold_value(title).lstrip(" \"'([{*_-.~#")
    return key or "\uffff"


def _meta_text(values: list[str]) -> str:
    # A position gap between values keeps a phrase from spanning two of them.
    tokens: list[str] = []
    for v in values:
        if tokens:
            tokens.append("\u2063")
        tokens.extend(analysis.exact_tokens(v))
    return analysis.join_tokens(tokens)


def to_document(
    story: Story, copies: Sequence[str] = (), for_builder: bool = False
) -> dict[str, Any]:
    """Return the ``writer.add_document`` keyword arguments for ``story``.

    With ``for_builder`` the body fields are
    :class:`~searchfic.engine.analysis.WordForms` of the body's raw words, not token
    strings: the segment builder turns each distinct raw word into its term once per
    segment (no token lists, no join, no split), where Whoosh's own writer wants strings.
    """
    lang = analysis.snowball_language(story.language)
    raw_words = analysis.body_words(story.body)  # the fingerprint's scan
    body: Any
    body_stem: Any
    if for_builder:
        body = analysis.WordForms(raw_words, lang, stems=False)
        body_stem = analysis.WordForms(raw_words, lang, stems=True)
    else:
        exact, changed_stems = analysis.fold_and_changed_stems(raw_words, lang)
        body, body_stem = analysis.join_tokens(exact), analysis.join_tokens(changed_stems)
    doc: dict[str, Any] = {
        "id": story.id,
        "source": story.source,
        "content_hash": story.content_hash or "",
        "site_key": story.site_key or "",
        "record": pack_record(story, copies),
        "body_z": pack_body(story.body),
        "body": body,
        "body_stem": body_stem,
        "title": analysis.join_tokens(analysis.stem_tokens(story.title, lang)),
        "summary": analysis.join_tokens(analysis.stem_tokens(story.summary, lang)),
        "title_sort": _title_sort_key(story.title),
        "words": int(story.words),
        "published": date_number(story.published),
        "updated": date_number(story.updated),
        "complete": complete_number(story.complete),
        "t_author": _meta_text(list(story.authors)),
        "t_fandom": _meta_text(list(story.fandoms)),
        "t_pairing": _meta_text(_pairing_names(story.pairings)),
        "t_character": _meta_text(list(story.characters)),
        "t_tag": _meta_text(list(story.tags) + list(story.categories)),
    }
    for name in FACET_ATTRS:
        doc[f"f_{name}"] = analysis.VALUE_SEP.join(facet_values(story, name))
    return doc


def _pairing_names(pairings: Sequence[str]) -> list[str]:
    from searchfic.pairing import parse_pairing

    out: list[str] = []
    for p in pairings:
        parsed = parse_pairing(p)
        out.extend(parsed.display_members if parsed else [p])
    return out
