"""Pairing keys and matching: order-free, ``/`` vs ``&``, full names or name parts.

A relationship ``Alex Cabot/Olivia Benson`` has a kind (``/`` romantic, ``&`` platonic)
and members; its key is the kind plus the sorted, folded member names, so ``B/A``,
``A / B`` and ``a/b`` are one key. A member written as part of a name (``Benson``,
``Olivia``) matches the full name token by token. No whoosh here: the engine resolves
filters and groups facet variants with these functions over the index's pairing lexicon.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import permutations

from searchfic.textfold import strip_marks

ROMANTIC = "/"
PLATONIC = "&"
MAX_MEMBERS = 8

_PAREN = re.compile(r"\s*[(\[][^()\[\]]*[)\]]")
_WORD = re.compile(r"[^\W_]+")
_WORD_ASCII = re.compile(r"[^\W_]+", re.ASCII)


def _fold(text: str) -> str:
    return strip_marks(unicodedata.normalize("NFKD", text.casefold()))


def member_tokens(name: str) -> tuple[str, ...]:
    """Return the folded name parts of one member, disambiguators dropped."""
    if name.isascii():
        # Most names: no accent to fold (casefold is the whole fold), word characters
        # alike in both regex modes, and no bracket means no disambiguator to drop;
        # skipping the Unicode work makes resolving a filter value ~2x faster.
        bare = _PAREN.sub(" ", name) if "(" in name or "[" in name else name
        tokens = tuple(_WORD_ASCII.findall(bare.casefold()))
        return tokens or tuple(_WORD_ASCII.findall(name.casefold()))
    bare = _PAREN.sub(" ", name)
    tokens = tuple(_WORD.findall(_fold(bare)))
    return tokens or tuple(_WORD.findall(_fold(name)))


@dataclass(frozen=True)
class Pairing:
    """One relationship: kind (``/``, ``&``, or ``""`` for a lone name) and its members."""

    kind: str
    members: tuple[tuple[str, ...], ...]  # folded name parts per member, sorted
    display_members: tuple[str, ...]  # members as written, in written order

    # The canonical key: sorted folded members joined by the kind. Worked out once, when
    # made: resolving a filter value asks for it twice, the table for each of its parses
    # (a ``cached_property`` takes a lock on every first read).
    key: str = field(init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        sep = self.kind or "|"
        object.__setattr__(self, "key", sep.join(" ".join(m) for m in self.members))

    def __str__(self) -> str:
        joiner = " & " if self.kind == PLATONIC else "/"
        return joiner.join(self.display_members)


def _split(text: str) -> tuple[str, list[str]]:
    s = text.replace("\u00a0", " ").strip()
    if s.startswith("[") and s.endswith("]"):
        s = s[1:-1]
    if "/" in s:
        return ROMANTIC, s.split("/")
    if "&" in s:
        return PLATONIC, s.split("&")
    if "\u00d7" in s:
        return ROMANTIC, s.split("\u00d7")
    if re.search(r"\s[xX]\s", s):
        return ROMANTIC, re.split(r"\s+[xX]\s+", s)
    if "+" in s:
        return ROMANTIC, s.split("+")
    return "", [s]


def spelling_key(text: str) -> str | None:
    """Return ``text``'s members as written, case-folded, spaced alike and sorted, joined by
    its ``/`` or ``&``; None for any other form (``×``, ``x``, ``+``, brackets, a lone name).

    Two values with one spelling key parse alike (a member's name parts depend only on its
    case-folded name), so a table can answer a typed ``B/A`` from its ``A/B`` without
    parsing it. Cheaper than :func:`parse_pairing`: no per-member word split or accent fold.
    """
    if "/" in text:
        kind = ROMANTIC
    elif "&" in text:
        kind = PLATONIC
    else:
        return None
    if "[" in text:  # _split drops a bracket pair around the whole value
        return None
    names: list[str] = []
    for part in text.split(kind):
        name = " ".join(part.split()).casefold()
        if name:
            names.append(name)
    if len(names) < 2:
        return None
    names.sort()
    return kind.join(names)


def parse_pairing(text: str) -> Pairing | None:
    """Parse a relationship (``A/B``, ``A & B``, ``A x B``, a lone name); None if empty."""
    kind, parts = _split(text)
    shown: list[str] = []
    members: list[tuple[str, ...]] = []
    for part in parts:  # loops, not comprehensions: a filter value is parsed per request
        if part.strip():
            name = " ".join(part.split())
            shown.append(name)
            tokens = member_tokens(name)
            if tokens:
                members.append(tokens)
    display = tuple(shown)
    if not members or len(members) > MAX_MEMBERS:
        return None
    if len(members) == 1 and kind:
        kind = ""  # "Kasumi/" is a lone name, not a relationship
    return Pairing(kind, tuple(sorted(members)), display)


def _member_matches(part: tuple[str, ...], full: tuple[str, ...]) -> bool:
    """True when every name part of ``part`` occurs in ``full``."""
    return set(part) <= set(full)


def _assignable(short: tuple[tuple[str, ...], ...], full: tuple[tuple[str, ...], ...]) -> bool:
    if len(short) != len(full):
        return False
    if len(short) == 2:  # the common case, without permutations
        a, b = short
        c, d = full
        return (_member_matches(a, c) and _member_matches(b, d)) or (
            _member_matches(a, d) and _member_matches(b, c)
        )
    return any(
        all(_member_matches(s, f) for s, f in zip(short, perm, strict=True))
        for perm in permutations(full)
    )


def matches(query: Pairing, candidate: Pairing) -> bool:
    """Return whether a filter ``query`` selects relationship ``candidate``.

    ``A/B`` selects relationships of exactly two members of the same kind, one matching A
    and one B by full name or name part; a lone name selects any relationship with a
    member matching it.
    """
    if not query.kind:
        return any(_member_matches(query.members[0], m) for m in candidate.members)
    if query.kind != candidate.kind:
        return False
    return _assignable(query.members, candidate.members)


def dominates(full: Pairing, short: Pairing) -> bool:
    """Return whether ``short`` is a shortened spelling of ``full`` (and not the same key)."""
    return (
        full.kind == short.kind
        and bool(full.kind)
        and full.key != short.key
        and _assignable(short.members, full.members)
    )


def group_variants(pairings: Iterable[Pairing]) -> dict[str, str]:
    """Map each key to the key of the relationship it is a variant of.

    A surname-only or first-name-only form (``Benson/Cabot``) joins the one fuller key
    that it shortens (``alex cabot/olivia benson``); when two fuller keys could claim it,
    it stays on its own rather than guess.
    """
    by_key: dict[str, Pairing] = {}
    for p in pairings:
        by_key.setdefault(p.key, p)
    # Index keys by (kind, size, token) so each short key only meets plausible fuller ones.
    buckets: dict[tuple[str, int, str], list[Pairing]] = {}
    for p in by_key.values():
        if not p.kind:
            continue
        for member in p.members:
            for tok in member:
                buckets.setdefault((p.kind, len(p.members), tok), []).append(p)
    dominators: dict[str, list[Pairing]] = {}
    for p in by_key.values():
        if not p.kind:
            continue
        first = p.members[0]
        pool = buckets.get((p.kind, len(p.members), first[0]), [])
        dominators[p.key] = [q for q in pool if dominates(q, p)]
    maximal = {k for k, doms in dominators.items() if not doms}
    out: dict[str, str] = {}
    for key in by_key:
        doms = dominators.get(key, [])
        if not doms:
            out[key] = key
            continue
        tops = {q.key for q in doms if q.key in maximal}
        if not tops:
            # Dominated only by keys that are themselves shortened: follow the chain up.
            for q in doms:
                tops |= {r.key for r in dominators.get(q.key, []) if r.key in maximal}
        out[key] = next(iter(tops)) if len(tops) == 1 else key
    return out
