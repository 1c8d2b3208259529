"""Facets and filters over per-document numpy arrays, built once per generation.

For each facet the index holds the values as written (``f_<name>`` fields). A
:class:`FacetTable` folds them into groups (case, accents, aliases from meta.json; for
pairings also member order and name-part variants), and keeps (document, group) pairs as
two int arrays. Counting a facet over any result set is then one ``bincount``, and a
filter value resolves to its group's documents: the facet count and the filter always
agree, because both come from the same groups.
"""

from __future__ import annotations

import threading
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from searchfic import pairing as pairing_mod
from searchfic.engine import analysis
from searchfic.request import FACETS, FacetValue, SearchRequest

TOP_VALUES = 50
#: Up to this many documents, facets are counted from each document's own groups (a
#: Python loop over theirs); past it, in numpy over every (document, group) pair.
FEW_DOCS = 64


@dataclass
class DocArrays:
    """Per-document columns of one generation, indexed by Whoosh document number."""

    live: np.ndarray  # bool: not deleted
    ids: list[str]
    id_rank: np.ndarray  # int: position of the id in sorted order (the tie breaker)
    words: np.ndarray
    published: np.ndarray
    updated: np.ndarray
    complete: np.ndarray
    title_rank: np.ndarray  # int: the title sort key's place among the distinct keys
    # sort name -> each document's place in that order over all documents, built on first use
    _ranks: dict[str, np.ndarray] = field(default_factory=dict)
    _rank_lists: dict[str, list[int]] = field(default_factory=dict)

    @property
    def size(self) -> int:
        return int(self.live.shape[0])

    def order_rank(self, sort: str) -> np.ndarray:
        """Return each document's place in ``sort`` order over every document.

        ``title`` ascending, ``words``/``published``/``updated`` descending, ties in story
        id order: a selection sorted by these ranks is in the order a lexsort of its own
        keys gives, without sorting two keys per request (a race builds it twice, alike).
        """
        rank = self._ranks.get(sort)
        if rank is None:
            if sort == "title":
                order = np.lexsort((self.id_rank, self.title_rank))
            else:
                key = {"words": self.words, "published": self.published, "updated": self.updated}
                order = np.lexsort((self.id_rank, -key[sort]))
            rank = np.empty(self.size, dtype=np.int64)
            rank[order] = np.arange(self.size)
            self._ranks[sort] = rank
        return rank

    def order_rank_list(self, sort: str) -> list[int]:
        """Return ``order_rank(sort)`` as a list (a key for sorting a few documents)."""
        ranks = self._rank_lists.get(sort)
        if ranks is None:
            ranks = self._rank_lists[sort] = self.order_rank(sort).tolist()
        return ranks


def _column(reader: Any, name: str, size: int, default: Any) -> list[Any]:
    try:
        values = list(reader.column_reader(name))
    except Exception:  # a segment without the column: every document has the default
        values = []
    if len(values) < size:
        values.extend([default] * (size - len(values)))
    return values[:size]


def build_doc_arrays(reader: Any) -> DocArrays:
    """Read the sortable columns of every document into arrays."""
    size = reader.doc_count_all()
    live = np.zeros(size, dtype=bool)
    for d in reader.all_doc_ids():
        live[d] = True
    ids = [
        (v.decode("utf-8") if isinstance(v, bytes) else str(v))
        for v in _column(reader, "id", size, "")
    ]
    id_rank = np.empty(size, dtype=np.int64)
    id_rank[np.argsort(np.array(ids, dtype=object), kind="stable")] = np.arange(size)
    titles = [
        (v.decode("utf-8") if isinstance(v, bytes) else str(v))
        for v in _column(reader, "title_sort", size, "\uffff")
    ]
    # Equal title keys get one rank, so that the title order's ties go by story id (a
    # unique rank per document put them in document number order, which a build decides).
    title_rank = np.unique(np.array(titles, dtype=object), return_inverse=True)[1].astype(np.int64)
    return DocArrays(
        live=live,
        ids=ids,
        id_rank=id_rank,
        words=np.array(_column(reader, "words", size, 0), dtype=np.int64),
        published=np.array(_column(reader, "published", size, 0), dtype=np.int64),
        updated=np.array(_column(reader, "updated", size, 0), dtype=np.int64),
        complete=np.array(_column(reader, "complete", size, 2), dtype=np.int64),
        title_rank=title_rank,
    )


@dataclass
class FacetTable:
    """One facet's groups and (document, group) pairs."""

    name: str
    display: list[str]  # group id -> value shown
    key_to_group: dict[str, int]  # folded key (and every variant's key) -> group id
    raw_to_group: dict[str, int]  # value as written -> group id
    pair_docs: np.ndarray  # (document, group) pairs of the live documents
    pair_groups: np.ndarray
    # the documents of group g, ascending: docs_sorted[offsets[g]:offsets[g+1]]; live
    # ones only, as every pair here (a reader's postings leave deleted documents out)
    group_offsets: np.ndarray
    docs_sorted: np.ndarray
    pairings: list[tuple[pairing_mod.Pairing, int]] = field(default_factory=list)
    # name part -> indexes in ``pairings`` of the relationships having a member with it
    member_index: dict[str, frozenset[int]] = field(default_factory=dict)
    # the key of a two-name filter (``Lacoste/Villeroy``: one name part per member, as a
    # Pairing keys it) -> the groups it selects, sorted: what matching it against every
    # candidate relationship gives, worked out once for every such pair of name parts
    name_pairs: dict[str, tuple[int, ...]] = field(default_factory=dict)
    # folded variant -> canonical spelling (meta.json's aliases), as the table was built with
    aliases: dict[str, str] | None = None
    # pairing value as written, without an alias -> (its folded form, its parse): what
    # resolving it as a filter value would work out again (a browse link names one)
    raw_forms: dict[str, tuple[str, pairing_mod.Pairing | None]] = field(default_factory=dict)
    # a pairing value's spelling key (``pairing.spelling_key``) -> the group it selects, for
    # every relationship value of the index (none when aliases are set: they go by folded
    # form): a typed A/B, B/A or b / a found without a parse
    spellings: dict[str, tuple[int, ...]] = field(default_factory=dict)
    # each document's groups, ascending: doc_groups[doc_offsets[d] : doc_offsets[d + 1]]
    doc_offsets: np.ndarray = field(default_factory=lambda: np.zeros(1, dtype=np.int64))
    doc_groups: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    _resolved: dict[str, tuple[int, ...]] = field(default_factory=dict)
    # group_offsets as a list: slicing with Python ints makes no numpy scalar per bound
    _offsets: list[int] = field(default_factory=list)
    _display_rank: np.ndarray | None = None
    _rank_list: list[int] | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def __post_init__(self) -> None:
        self._offsets = self.group_offsets.tolist()

    def docs_of(self, groups: tuple[int, ...]) -> np.ndarray:
        """Return the live documents of ``groups``, sorted and unique."""
        offsets = self._offsets
        if len(groups) == 1:
            g = groups[0]
            return self.docs_sorted[offsets[g] : offsets[g + 1]]
        parts = [self.docs_sorted[offsets[g] : offsets[g + 1]] for g in groups]
        if not parts:
            return np.zeros(0, dtype=np.int64)
        return parts[0] if len(parts) == 1 else np.unique(np.concatenate(parts))

    def counts(self, mask: np.ndarray) -> np.ndarray:
        if self.pair_docs.size == 0:
            return np.zeros(len(self.display), dtype=np.int64)
        sel = self.pair_groups[mask[self.pair_docs]]
        return np.bincount(sel, minlength=len(self.display))

    def top(self, mask: np.ndarray, limit: int = TOP_VALUES) -> tuple[FacetValue, ...]:
        counts = self.counts(mask)
        nonzero = np.nonzero(counts)[0]
        # Ties by value as the contract says: plain string order, stable across runs.
        # Ranked in numpy (count, then the value's place in string order): a facet
        # with thousands of values costs no Python step per value.
        order = np.lexsort((self.display_rank[nonzero], -counts[nonzero]))[:limit]
        display = self.display
        return tuple(
            FacetValue(display[g], int(c))
            for g, c in zip(nonzero[order].tolist(), counts[nonzero[order]].tolist(), strict=True)
        )

    def top_of(self, docnums: np.ndarray, limit: int = TOP_VALUES) -> tuple[FacetValue, ...]:
        """Return ``top`` of the mask true at ``docnums``, counted on those documents alone.

        For a few documents (a pairing's stories): a mask over every document and a count
        over every (document, group) pair cost far more than reading those documents' own
        groups.
        """
        if docnums.size == 0:
            return ()
        offsets = self.doc_offsets
        last = int(docnums[-1])
        if last + 1 >= offsets.shape[0]:  # a table without them: count by mask
            size = max(last + 1, int(self.pair_docs.max()) + 1 if self.pair_docs.size else 0)
            return self.top(_members(docnums, size), limit)
        groups = self.doc_groups
        counts: dict[int, int] = {}
        for d in docnums.tolist():
            start, end = offsets[d : d + 2].tolist()
            if start != end:
                for g in groups[start:end].tolist():
                    counts[g] = counts.get(g, 0) + 1
        if not counts:
            return ()
        rank = self._rank_list
        if rank is None or len(rank) != len(self.display):
            rank = self._rank_list = self.display_rank.tolist()
        # The order of ``top``: count, then the value's place in string order (unique).
        order = sorted(counts, key=lambda g: (-counts[g], rank[g]))[:limit]
        display = self.display
        return tuple(FacetValue(display[g], counts[g]) for g in order)

    @property
    def display_rank(self) -> np.ndarray:
        """Return each group's position in plain string order of the shown values."""
        rank = self._display_rank
        if rank is None or rank.shape[0] != len(self.display):
            rank = np.empty(len(self.display), dtype=np.int64)
            rank[sorted(range(len(self.display)), key=self.display.__getitem__)] = np.arange(
                len(self.display)
            )
            self._display_rank = rank
        return rank


def _decode(b: Any) -> str:
    return b.decode("utf-8") if isinstance(b, bytes) else str(b)


def _postings(reader: Any, fieldname: str, term: bytes) -> np.ndarray:
    try:
        return np.fromiter(reader.postings(fieldname, term).all_ids(), dtype=np.int64)
    except Exception:
        return np.zeros(0, dtype=np.int64)


def _aliases(meta: dict[str, Any], name: str) -> dict[str, str]:
    """Return folded variant -> canonical spelling for facet ``name`` from meta.json.

    meta.json keeps the alias file's own shape, canonical -> [variants] (aliases.py);
    a plain variant -> canonical mapping is read too. Pairing variants are also keyed
    order-free, so ``Benson/Cabot`` finds an alias written ``Cabot/Benson``.
    """
    table = (meta.get("aliases") or {}).get(name) or {}
    if not isinstance(table, dict):
        return {}
    pairs: list[tuple[str, str]] = []
    for key, value in table.items():
        if isinstance(value, str):
            pairs.append((str(key), value))
            pairs.append((value, value))
        else:
            pairs.append((str(key), str(key)))
            for v in value if isinstance(value, list | tuple) else ():
                pairs.append((str(v), str(key)))
    out: dict[str, str] = {}
    for variant, canonical in pairs:
        out.setdefault(analysis.fold_value(variant), canonical)
        if name == "pairing":
            p = pairing_mod.parse_pairing(variant)
            if p is not None and p.kind:
                out.setdefault(p.key, canonical)
    return out


def build_facet_table(reader: Any, name: str, meta: dict[str, Any]) -> FacetTable:
    """Group facet ``name``'s values and collect its (document, group) pairs."""
    fieldname = f"f_{name}"
    aliases = _aliases(meta, name)
    raws: list[str] = []
    raw_docs: list[np.ndarray] = []
    try:
        lexicon = list(reader.lexicon(fieldname))
    except Exception:
        lexicon = []
    for term in lexicon:
        docs = _postings(reader, fieldname, term)
        if docs.size:
            raws.append(_decode(term))
            raw_docs.append(docs)
    # Each raw value -> (group key, display candidate).
    keys: list[str] = []
    alias_display: dict[str, str] = {}
    parsed: dict[str, pairing_mod.Pairing] = {}
    raw_forms: dict[str, tuple[str, pairing_mod.Pairing | None]] = {}
    for raw in raws:
        folded = analysis.fold_value(raw)
        canonical = aliases.get(folded)
        text = canonical if canonical else raw
        if name == "pairing":
            p = pairing_mod.parse_pairing(text)
            key = p.key if p else analysis.fold_value(text)
            if p:
                parsed[key] = p
            if not canonical:
                raw_forms[raw] = (folded, p)
        else:
            key = analysis.fold_value(text)
        if canonical:
            alias_display[key] = canonical
        keys.append(key)
    merge = pairing_mod.group_variants(parsed.values()) if name == "pairing" else {}
    group_key = [merge.get(k, k) for k in keys]
    # The shown spelling: an alias's canonical form, else the commonest spelling of the
    # group's own key (ties: the smallest), so it is stable for a generation.
    spellings: dict[str, Counter[str]] = {}
    for raw, key, gk, docs in zip(raws, keys, group_key, raw_docs, strict=True):
        c = spellings.setdefault(gk, Counter())
        weight = int(docs.size) * (2 if key == gk else 1)
        c[raw] += weight
    group_ids: dict[str, int] = {}
    display: list[str] = []
    for gk in sorted(set(group_key)):
        group_ids[gk] = len(display)
        if gk in alias_display:
            display.append(alias_display[gk])
        else:
            best = sorted(spellings[gk].items(), key=lambda kv: (-kv[1], kv[0]))[0][0]
            display.append(_tidy_display(name, best))
    key_to_group: dict[str, int] = {}
    raw_to_group: dict[str, int] = {}
    pair_d: list[np.ndarray] = []
    pair_g: list[np.ndarray] = []
    for raw, key, gk, docs in zip(raws, keys, group_key, raw_docs, strict=True):
        g = group_ids[gk]
        key_to_group[key] = g
        key_to_group.setdefault(analysis.fold_value(raw), g)
        raw_to_group[raw] = g
        pair_d.append(docs)
        pair_g.append(np.full(docs.size, g, dtype=np.int64))
    for gk, g in group_ids.items():
        key_to_group.setdefault(analysis.fold_value(display[g]), g)
        key_to_group.setdefault(gk, g)
    if pair_d:
        all_docs = np.concatenate(pair_d)
        all_groups = np.concatenate(pair_g)
        # One story with two spellings of one group counts once.
        width = int(all_docs.max()) + 1
        combo = np.unique(all_groups * width + all_docs)
        all_groups, all_docs = combo // width, combo % width
    else:
        all_docs = np.zeros(0, dtype=np.int64)
        all_groups = np.zeros(0, dtype=np.int64)
    order = np.argsort(all_groups, kind="stable")
    offsets = np.searchsorted(all_groups[order], np.arange(len(display) + 1))
    # By document (groups ascending within one: the pairs are sorted by group, then doc).
    by_doc = np.argsort(all_docs, kind="stable")
    doc_offsets = np.searchsorted(all_docs[by_doc], np.arange(reader.doc_count_all() + 1))
    pairings = [(p, group_ids[merge.get(k, k)]) for k, p in parsed.items()]
    member_index: dict[str, list[int]] = {}
    for i, (p, _g) in enumerate(pairings):
        for tok in {t for member in p.members for t in member}:
            member_index.setdefault(tok, []).append(i)
    name_pairs: dict[str, set[int]] = {}
    for p, g in pairings:
        if p.kind and len(p.members) == 2:
            for a in set(p.members[0]):
                for b in set(p.members[1]):
                    name_pairs.setdefault(p.kind.join(sorted((a, b))), set()).add(g)
    return FacetTable(
        name=name,
        display=display,
        key_to_group=key_to_group,
        raw_to_group=raw_to_group,
        pair_docs=all_docs,
        pair_groups=all_groups,
        group_offsets=offsets,
        docs_sorted=all_docs[order],
        pairings=pairings,
        member_index={tok: frozenset(ix) for tok, ix in member_index.items()},
        name_pairs={key: tuple(sorted(gs)) for key, gs in name_pairs.items()},
        aliases=aliases,
        raw_forms=raw_forms,
        spellings=_spellings(raw_forms, key_to_group) if not aliases else {},
        doc_offsets=doc_offsets,
        doc_groups=all_groups[by_doc],
    )


def _spellings(
    raw_forms: dict[str, tuple[str, pairing_mod.Pairing | None]], key_to_group: dict[str, int]
) -> dict[str, tuple[int, ...]]:
    """Map each relationship value's spelling key to its group: what resolving it gives
    (without aliases, a value's parse key names its group: ``_resolve_pairing``)."""
    out: dict[str, tuple[int, ...]] = {}
    for raw, (_folded, p) in raw_forms.items():
        if p is None or not p.kind:
            continue
        sk = pairing_mod.spelling_key(raw)
        g = key_to_group.get(p.key)
        if sk is not None and g is not None:
            out[sk] = (g,)
    return out


def _tidy_display(name: str, value: str) -> str:
    if name == "pairing":
        p = pairing_mod.parse_pairing(value)
        return str(p) if p else value
    return value


# --- resolving filter values ----------------------------------------------------------------


def resolve(table: FacetTable, value: str, meta: dict[str, Any]) -> tuple[int, ...]:
    """Return the groups a filter value selects (empty when it matches nothing)."""
    hit = table._resolved.get(value)  # one dict read is atomic; writers take the lock
    if hit is not None:
        return hit
    groups = _resolve(table, value, meta)
    table._lock.acquire()  # (not ``with``: no bound-method objects made per request)
    try:
        if len(table._resolved) > 4096:
            table._resolved.clear()
        table._resolved[value] = groups
    finally:
        table._lock.release()
    return groups


def _resolve(table: FacetTable, value: str, meta: dict[str, Any]) -> tuple[int, ...]:
    name = table.name
    spellings = table.spellings
    if spellings:  # (a pairing table without aliases)
        sk = pairing_mod.spelling_key(value)
        if sk is not None:
            hit = spellings.get(sk)
            if hit is not None:
                return hit
    # The table keeps the aliases it was built with (the same meta): rebuilding them
    # parses every variant, per filter value.
    aliases = table.aliases if table.aliases is not None else _aliases(meta, name)
    parsed: pairing_mod.Pairing | None = None
    known = table.raw_forms.get(value)
    if known is not None:  # a pairing value of the index, with no alias of its folded form
        folded: str | None = known[0]
        parsed = known[1]
        canonical = aliases.get(parsed.key) if parsed is not None and aliases else None
    else:
        # Without aliases, a pairing's folded form is only needed when its parse's key
        # names no group (most values typed as A/B or B/A do): fold it then.
        folded = analysis.fold_value(value) if aliases or name != "pairing" else None
        canonical = aliases.get(folded) if folded is not None else None
        if canonical is None and name == "pairing":
            parsed = pairing_mod.parse_pairing(value)
            canonical = aliases.get(parsed.key) if parsed is not None and aliases else None
    if canonical:
        folded = analysis.fold_value(canonical)
        value = canonical
        parsed = None
    if name == "pairing":
        return _resolve_pairing(table, value, folded, parsed)
    g = table.key_to_group.get(folded if folded is not None else analysis.fold_value(value))
    if g is not None:
        return (g,)
    if name == "rating":
        mapped = _rating(value)
        if mapped:
            g = table.key_to_group.get(analysis.fold_value(mapped))
            return (g,) if g is not None else ()
    if name == "language":
        from searchfic.ingest.headers import language_code

        code = language_code(value)
        if code:
            g = table.key_to_group.get(code)
            return (g,) if g is not None else ()
    return ()


def _rating(value: str) -> str | None:
    """Map an original rating notation (``PG-13``) to the AO3 rating, or None if unknown."""
    from searchfic.ingest.headers import map_rating

    mapped, _original = map_rating(value)
    if mapped != "Not Rated":
        return mapped
    if analysis.fold_value(value) in ("not rated", "unrated", "none", "notrated"):
        return "Not Rated"
    return None


def _resolve_pairing(
    table: FacetTable,
    value: str,
    folded: str | None,
    parsed: pairing_mod.Pairing | None = None,
) -> tuple[int, ...]:
    """Return the groups pairing ``value`` selects (``parsed``: its parse, ``folded``:
    its ``fold_value``, if at hand)."""
    p = parsed if parsed is not None else pairing_mod.parse_pairing(value)
    if p is None:
        return ()
    exact = table.key_to_group.get(p.key)
    if exact is not None:
        return (exact,)
    g = table.key_to_group.get(folded if folded is not None else analysis.fold_value(value))
    if g is not None:
        return (g,)
    if len(p.members) == 2 and len(p.members[0]) == 1 and len(p.members[1]) == 1:
        return table.name_pairs.get(p.key, ())  # two name parts: worked out at build
    cands = _pairing_candidates(table, p)
    pairings = table.pairings
    return tuple(sorted({pairings[i][1] for i in cands if pairing_mod.matches(p, pairings[i][0])}))


def _pairing_candidates(table: FacetTable, p: pairing_mod.Pairing) -> list[int]:
    """Return the relationships that can match ``p``: those holding every name part of it.

    A match puts each of the query's members' name parts in one member of the candidate,
    so a relationship missing any of them cannot match: the candidates are the
    intersection of the parts' relationship sets (in C), not a scan calling ``matches``.
    """
    sets: list[frozenset[int]] = []
    for token in {t for member in p.members for t in member}:
        holders = table.member_index.get(token)
        if not holders:
            return []
        sets.append(holders)
    return list(sets[0].intersection(*sets[1:])) if sets else []


def pairing_raws(table: FacetTable, value: str, meta: dict[str, Any]) -> list[str]:
    """Return the pairing values as written that a ``pairing:A/B`` query selects."""
    groups = set(resolve(table, value, meta))
    return [raw for raw, g in table.raw_to_group.items() if g in groups]


# --- the per-generation cache ---------------------------------------------------------------


class FacetCache:
    """Facet tables and document arrays of one generation, built on first use."""

    def __init__(self, reader: Any, meta: dict[str, Any]) -> None:
        self.reader = reader
        self.meta = meta
        self._tables: dict[str, FacetTable] = {}
        self._docs: DocArrays | None = None
        self._lock = threading.Lock()
        self._languages: tuple[str, ...] | None = None

    def bound(self, reader: Any) -> FacetCache:
        """Return a view sharing this cache's tables that builds with ``reader``.

        Every searcher of one generation numbers documents alike, so the arrays are
        shared; the view only keeps each thread on its own reader while building.
        """
        view = object.__new__(FacetCache)
        view.__dict__.update(self.__dict__)
        view.reader = reader
        view._shared = self  # type: ignore[attr-defined]
        return view

    @property
    def docs(self) -> DocArrays:
        owner = getattr(self, "_shared", self)
        docs = owner._docs  # built once: read without the lock after that
        if docs is not None:
            return docs
        with owner._lock:
            if owner._docs is None:
                owner._docs = build_doc_arrays(self.reader)
            return owner._docs

    def table(self, name: str) -> FacetTable:
        owner = getattr(self, "_shared", self)
        t = owner._tables.get(name)  # built once: read without the lock after that
        if t is not None:
            return t
        with owner._lock:
            t = owner._tables.get(name)
            if t is None:
                t = build_facet_table(self.reader, name, self.meta)
                owner._tables[name] = t
            return t

    def stem_languages(self) -> tuple[str, ...]:
        """Return the Snowball languages of the stories in this generation (English first)."""
        owner = getattr(self, "_shared", self)
        if owner._languages is None:
            langs = [analysis.DEFAULT_STEM_LANGUAGE]
            for code in self.table("language").key_to_group:
                lang = analysis.snowball_language(code)
                if lang not in langs:
                    langs.append(lang)
            owner._languages = tuple(langs)
        return owner._languages

    def filter_mask(self, req: SearchRequest) -> np.ndarray:
        """Return the documents passing the request's filters, exclusions and ranges."""
        docs = self.docs
        mask = docs.live.copy()
        for name in FACETS:
            values = req.filters.get(name, ())
            if values:
                table = self.table(name)
                for v in values:
                    sel = np.zeros(docs.size, dtype=bool)
                    sel[table.docs_of(resolve(table, v, self.meta))] = True
                    mask &= sel
            excluded = req.excludes.get(name, ())
            if excluded:
                table = self.table(name)
                for v in excluded:
                    mask[table.docs_of(resolve(table, v, self.meta))] = False
        if req.complete is not None:
            mask &= docs.complete == (1 if req.complete else 0)
        if req.words is not None:
            mask &= _range_mask(docs.words, req.words)
        return mask

    def filter_docs(self, req: SearchRequest) -> np.ndarray | None:
        """Return the documents passing the request's filters as sorted document numbers.

        The same documents as ``np.nonzero(self.filter_mask(req))[0]``, worked out on the
        few documents the filter values select instead of on masks over every document.
        None when the request has no facet filter value (nothing narrows it to a few).
        """
        docs = self.docs
        sel: np.ndarray | None = None
        filters = req.filters
        for name in filters:  # (not .items(): no pair made per filter)
            values = filters[name]
            if values and name in _FACET_NAMES:  # other names narrow nothing, as in filter_mask
                table = self.table(name)
                for v in values:
                    # Each group's documents are sorted and unique (docs_of keeps that);
                    # a second value keeps those of its documents already selected (a
                    # mask lookup: linear, where intersect1d sorts a large value).
                    d = table.docs_of(resolve(table, v, self.meta))
                    sel = d if sel is None else d[_members(sel, docs.size)[d]]
        if sel is None:
            return None  # (live documents only: the tables hold no deleted one)
        excludes = req.excludes
        for name in excludes if excludes else ():
            excluded = excludes[name]
            if excluded and sel.size and name in _FACET_NAMES:
                table = self.table(name)
                for v in excluded:
                    gone = table.docs_of(resolve(table, v, self.meta))
                    if gone.size:
                        sel = sel[~_members(gone, docs.size)[sel]]
        if req.complete is not None:
            sel = sel[docs.complete[sel] == (1 if req.complete else 0)]
        if req.words is not None:
            sel = sel[_range_mask(docs.words[sel], req.words)]
        return sel

    def facets(self, mask: np.ndarray) -> dict[str, tuple[FacetValue, ...]]:
        """Return the top values of every facet over the documents in ``mask``."""
        if int(np.count_nonzero(mask)) <= FEW_DOCS:
            return self.facets_of(np.flatnonzero(mask))
        return {name: self.table(name).top(mask) for name in FACETS}

    def facets_of(self, docnums: np.ndarray) -> dict[str, tuple[FacetValue, ...]]:
        """Return ``facets`` of the mask true at ``docnums`` (sorted, unique)."""
        if docnums.size > FEW_DOCS:
            return self.facets(_members(docnums, self.docs.size))
        return {name: self.table(name).top_of(docnums) for name in FACETS}


_FACET_NAMES = frozenset(FACETS)


def _members(docnums: np.ndarray, size: int) -> np.ndarray:
    """Return a mask over ``size`` documents, true at ``docnums``."""
    m = np.zeros(size, dtype=bool)
    m[docnums] = True
    return m


def _range_mask(values: np.ndarray, r: Any) -> np.ndarray:
    m = np.ones(values.shape[0], dtype=bool)
    if r.low is not None:
        m &= (values > r.low) if not r.low_inclusive else (values >= r.low)
    if r.high is not None:
        m &= (values < r.high) if not r.high_inclusive else (values <= r.high)
    return m


def facet_cache(index: Any, searcher: Any) -> FacetCache:
    """Return the generation's FacetCache, building it on first use."""
    store = getattr(searcher, "searchfic_cache", None)
    if store is None:
        store = index.cache
    meta = getattr(searcher, "searchfic_meta", None)
    if meta is None:
        meta = index.meta
    cache = store.get("facets")
    if cache is None:
        cache = store.setdefault("facets", FacetCache(searcher.reader(), meta))
    # A searcher serves one thread at a time and keeps its reader: its view is reused.
    view: FacetCache | None = getattr(searcher, "searchfic_facets", None)
    if view is None or view._shared is not cache:  # type: ignore[attr-defined]
        view = cache.bound(searcher.reader())
        searcher.searchfic_facets = view
    return view
