"""The archivist's alias file: variant spellings mapped to one canonical value.

The file is TOML (read with the standard library's ``tomllib``). Each table names a
field; each key is the canonical spelling and its value the variants (a list of strings,
or one string)::

    # searchfic-aliases.toml, next to the stories (or wherever SEARCHFIC_ALIASES points)
    [fandom]
    "Law & Order: SVU" = ["Law and Order SVU", "SVU"]

    [pairing]
    "Alex Cabot/Olivia Benson" = ["Cabenson"]

    [character]
    "Olivia Benson" = ["Liv"]

Tables: ``fandom``, ``pairing``, ``character``, ``tag``, ``author``. Matching ignores case,
accents, typographic quotes/dashes and repeated spaces; a pairing variant also matches with
its members in any order (``Olivia Benson/Alex Cabot``), and a pairing that no pairing alias
names has each member mapped through the ``character`` table (``Liv/Alex Cabot`` becomes
``Olivia Benson/Alex Cabot``). A pairing variant without ``/`` or ``&`` is a ship name
(``Cabenson``): a story that lists it among its characters or tags gets the pairing.
``searchfic index`` applies the file at index time and
re-normalises the whole index when the file changes; the mapping is also stored in the
generation's ``meta.json`` for query time (:meth:`AliasTable.from_meta`).
"""

from __future__ import annotations

import hashlib
import re
import tomllib
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from searchfic.errors import SearchficError
from searchfic.textfold import strip_marks

#: alias table name -> Story field it rewrites
KINDS: dict[str, str] = {
    "fandom": "fandoms",
    "pairing": "pairings",
    "character": "characters",
    "tag": "tags",
    "author": "authors",
}

_TYPO = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u2010": "-",
        "\u2011": "-",
        "\u2013": "-",
        "\u2014": "-",
        "\u00a0": " ",
    }
)
_SPACE = re.compile(r"\s+")
_PAIR_SPLIT = re.compile(r"\s*(/|&)\s*")


class AliasFileError(SearchficError):
    """The alias file cannot be used; the message names the file and line."""


def fold(value: str) -> str:
    """Return the matching key of a value: case, accents, typography and spacing ignored."""
    text = unicodedata.normalize("NFKD", value.translate(_TYPO))
    text = strip_marks(text)
    return _SPACE.sub(" ", text).strip().casefold()


def _pairing_key(value: str) -> str:
    """Return an order-free key of a relationship: kind plus sorted folded members."""
    parts = _PAIR_SPLIT.split(value.strip())
    members = [fold(p) for p in parts[::2] if p.strip()]
    seps = set(parts[1::2])
    if len(members) < 2:
        return fold(value)
    kind = "&" if seps == {"&"} else "/"
    return kind + "\0" + "\0".join(sorted(members))


@dataclass(frozen=True)
class AliasTable:
    """Variant -> canonical maps per table, built from the alias file."""

    tables: Mapping[str, Mapping[str, list[str]]] = field(default_factory=dict)
    digest: str = ""
    path: str = ""

    def __post_init__(self) -> None:
        lookup: dict[str, dict[str, str]] = {}
        for kind, entries in self.tables.items():
            key = _pairing_key if kind == "pairing" else fold
            m: dict[str, str] = {}
            for canonical, variants in entries.items():
                m[key(canonical)] = canonical
                for v in variants:
                    m.setdefault(key(v), canonical)
            lookup[kind] = m
        # Ship names without a separator ("Cabenson"): a parser may have filed them as a
        # character or a tag; the archivist's pairing table says what they are.
        ships = {
            fold(v): canonical
            for canonical, variants in self.tables.get("pairing", {}).items()
            for v in variants
            if not _PAIR_SPLIT.search(v)
        }
        lookup["ship_name"] = ships
        object.__setattr__(self, "_lookup", lookup)

    def __bool__(self) -> bool:
        return any(self.tables.values())

    def canonical(self, kind: str, value: str) -> str:
        """Return the canonical spelling of ``value`` in table ``kind`` (itself if none)."""
        lookup: dict[str, dict[str, str]] = self._lookup  # type: ignore[attr-defined]
        if kind == "pairing":
            hit = lookup.get("pairing", {}).get(_pairing_key(value))
            if hit is not None:
                return hit
            chars = lookup.get("character")
            if not chars:
                return value
            parts = _PAIR_SPLIT.split(value.strip())
            if len(parts) < 3:
                return value
            out = []
            for i, part in enumerate(parts):
                if i % 2:
                    out.append(part if part == "/" else " & ")
                else:
                    out.append(chars.get(fold(part), part.strip()))
            return "".join(out)
        return lookup.get(kind, {}).get(fold(value), value)

    def ship_name(self, value: str) -> str | None:
        """Return the pairing a ship name like ``Cabenson`` stands for, or None."""
        lookup: dict[str, dict[str, str]] = self._lookup  # type: ignore[attr-defined]
        return lookup["ship_name"].get(fold(value))

    def apply(self, values: Iterable[str], kind: str) -> tuple[str, ...]:
        """Map each value to its canonical spelling, dropping repeats, keeping order."""
        seen: set[str] = set()
        out: list[str] = []
        for v in values:
            c = self.canonical(kind, v)
            k = fold(c)
            if k not in seen:
                seen.add(k)
                out.append(c)
        return tuple(out)

    def to_meta(self) -> dict[str, Any]:
        """Return the JSON form stored in meta.json."""
        return {kind: dict(entries) for kind, entries in self.tables.items() if entries}

    @classmethod
    def from_meta(cls, data: Mapping[str, Any] | None, digest: str = "") -> AliasTable:
        """Rebuild a table from its meta.json form."""
        tables = {
            k: {str(c): [str(v) for v in vs] for c, vs in entries.items()}
            for k, entries in (data or {}).items()
            if k in KINDS and isinstance(entries, Mapping)
        }
        return cls(tables=tables, digest=digest)


EMPTY = AliasTable()


def alias_path(corpus: Path, setting: str | None = None) -> Path:
    """Return where the alias file is: the setting (relative to the corpus unless absolute)."""
    from searchfic.settings import resolve

    p = Path(resolve("aliases", setting))
    return p if p.is_absolute() else corpus / p


def _line_of(text: str, needle: str) -> int:
    for n, line in enumerate(text.splitlines(), 1):
        if needle in line:
            return n
    return 1


def load_aliases(path: Path) -> AliasTable:
    """Read and check the alias file; a missing file is an empty table.

    Raise AliasFileError naming the file and line when it is not valid TOML or not of the
    documented shape.
    """
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return EMPTY
    except OSError as exc:
        raise AliasFileError(f"{path}: cannot read the alias file: {exc.strerror}") from exc
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise AliasFileError(f"{path}:{line}: the alias file is not UTF-8") from exc
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        msg = str(exc)
        m = re.search(r"\(at line (\d+), column \d+\)", msg)
        # "(at end of document)": the problem shows at the last line.
        line = int(m.group(1)) if m else max(1, len(text.rstrip("\n").splitlines()))
        reason = re.sub(r"\s*\(at (?:line \d+, column \d+|end of document)\)", "", msg)
        raise AliasFileError(f"{path}:{line}: {reason or 'invalid TOML'}") from exc
    tables: dict[str, dict[str, list[str]]] = {}
    for kind, entries in data.items():
        if kind not in KINDS:
            raise AliasFileError(
                f"{path}:{_line_of(text, kind)}: unknown table [{kind}]; "
                f"use one of {', '.join('[' + k + ']' for k in KINDS)}"
            )
        if not isinstance(entries, dict):
            raise AliasFileError(
                f"{path}:{_line_of(text, kind)}: {kind} must be a table, like "
                f'[{kind}] then "Canonical" = ["variant", ...]'
            )
        table: dict[str, list[str]] = {}
        for canonical, variants in entries.items():
            where = f"{path}:{_line_of(text, canonical)}"
            if isinstance(variants, str):
                variants = [variants]
            if not isinstance(variants, list) or not all(isinstance(v, str) for v in variants):
                raise AliasFileError(
                    f'{where}: the variants of "{canonical}" must be a list of strings'
                )
            if not canonical.strip():
                raise AliasFileError(f"{where}: an empty canonical name in [{kind}]")
            table[canonical] = [v for v in variants if v.strip()]
        tables[kind] = table
    digest = hashlib.blake2b(raw, digest_size=16).hexdigest()
    return AliasTable(tables=tables, digest=digest, path=str(path))


def apply_to_story(story: Any, table: AliasTable) -> Any:
    """Return ``story`` with its fandoms, pairings, characters, tags, authors canonicalised."""
    if not table:
        return story
    from dataclasses import replace

    values = {attr: list(getattr(story, attr)) for attr in KINDS.values()}
    for attr in ("characters", "tags"):
        kept = []
        for v in values[attr]:
            ship = table.ship_name(v)
            if ship is not None and fold(table.canonical("character", v)) == fold(v):
                values["pairings"].append(ship)
            else:
                kept.append(v)
        values[attr] = kept
    changes = {attr: table.apply(values[attr], kind) for kind, attr in KINDS.items()}
    changes = {k: v for k, v in changes.items() if v != tuple(getattr(story, k))}
    return replace(story, **changes) if changes else story
