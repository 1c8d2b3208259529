"""Run a SearchRequest: query, filters, facets, sort, page, snippets, quotes, suggestions."""

from __future__ import annotations

import functools
import html
import math
import re
import threading
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

import numpy as np

from searchfic.engine import analysis
from searchfic.engine.facets import FacetCache, facet_cache, pairing_raws
from searchfic.engine.query import (
    And,
    Not,
    ParsedQuery,
    Phrase,
    Prefix,
    QueryContext,
    Word,
    parse_query,
    to_whoosh,
)
from searchfic.engine.schema import (
    RECORD_FIELDS,
    unpack_body,
    unpack_record_values,
)
from searchfic.engine.scoring import (
    SMALL_FIELDS,
    Deferred,
    Evaluator,
    Matched,
    Unsupported,
    positions_in,
    term_cache,
    top_docs,
)
from searchfic.engine.store import column_bytes
from searchfic.errors import NotFoundError
from searchfic.model import Story
from searchfic.request import FacetValue, SearchHit, SearchRequest, SearchResponse

__all__ = ["run", "get_story", "highlight_story", "parse_query", "warm"]

SNIPPETS_PER_HIT = 3
SNIPPET_BEFORE = 70
SNIPPET_AFTER = 190
APPROX_CANDIDATES = 300
APPROX_MIN_SHARE = 0.5
APPROX_MIN_WEIGHT = 0.6


# --- public entry points --------------------------------------------------------------------


def run(index: Any, request: SearchRequest) -> SearchResponse:
    """Answer one search request from the index's current generation."""
    parsed = _empty_query() if request.q == "" else parse_query(request.q)
    # The lease's methods called directly rather than by ``with``, which makes a
    # bound-method object of each on every request (garbage the collector counts).
    lease = index.searcher()
    searcher = lease.__enter__()
    try:
        return _answer(index, searcher, request, parsed)
    finally:
        lease.__exit__(None, None, None)


def _answer(
    index: Any, searcher: Any, request: SearchRequest, parsed: ParsedQuery
) -> SearchResponse:
    """``run`` with the searcher it leased."""
    fc = facet_cache(index, searcher)
    if parsed.empty:
        selected = fc.filter_docs(request)
        if selected is not None:
            return _browse(index, searcher, fc, request, parsed, selected)
    docs = fc.docs
    mask = fc.filter_mask(request)
    reader = searcher.reader()
    approximate = False
    approx_scores: dict[int, float] = {}
    approx_starts: dict[int, int] = {}
    scores: dict[int, float] = {}
    all_scored: dict[int, float] | None = None
    suggestion: str | None = None
    wq = None
    fast: Matched | None = None
    deferred: Deferred | None = None
    if parsed.empty:
        result = mask
    else:
        ctx = _context(index, fc, reader)
        evaluator = Evaluator(searcher, term_cache(searcher, index), ctx, docs.live, docs.words)
        try:
            fast = evaluator.lazy_root(parsed.root)
            deferred = evaluator.deferred
        except Unsupported:
            fast = None
    if fast is not None:
        result = fast.mask & mask
    elif not parsed.empty:
        wq = to_whoosh(parsed.root, ctx)
        result = np.zeros(docs.size, dtype=bool)
        if _has_phrase(parsed) and request.sort == "relevance":
            # Phrase matching dominates: match once, scoring every hit (phrase
            # results are small), instead of a count pass and a top-k pass.
            all_scored = _score_all(searcher, wq, mask, docs)
            if all_scored:
                result[list(all_scored)] = True
        else:
            matched = np.fromiter(searcher.docs_for_query(wq), dtype=np.int64)
            if matched.size:
                result[matched] = True
        result &= mask
    if not parsed.empty and not result.any():
        suggestion = _suggest(searcher, parsed)
        quote = parsed.quote()
        if quote:
            near_mask = _without_excluded(searcher, parsed, ctx, mask)
            near = find_near_quotes(
                searcher,
                quote,
                near_mask,
                docs.id_rank,
                # this query's evaluator: its term lookups are already cached
                lambda words, within: evaluator.phrase("body", words, within).mask,
            )
            approx_scores = {d: m.score for d, m in near.items()}
            approx_starts = {d: m.start for d, m in near.items()}
            if approx_scores:
                approximate = True
                result = np.zeros(docs.size, dtype=bool)
                result[list(approx_scores)] = True
    total = int(result.sum())
    facets: dict[str, tuple[FacetValue, ...]] = fc.facets(result) if request.with_facets else {}
    start = (request.page - 1) * request.per_page
    stop = start + request.per_page
    if start >= total:
        page_docs: list[int] = []
    elif approximate and request.sort == "relevance":
        ranked = sorted(approx_scores, key=lambda d: (-approx_scores[d], docs.id_rank[d]))
        page_docs = ranked[start:stop]
        scores = {d: approx_scores[d] for d in page_docs}
    elif approximate:
        page_docs = _sorted_docs(result, request, docs, empty_q=False)[start:stop]
        scores = {d: approx_scores[d] for d in page_docs}
    elif fast is not None and request.sort == "relevance":
        page_docs = top_docs(result, fast.score, docs.id_rank, stop, deferred)[start:stop]
        final = deferred.score if deferred is not None else fast.score
        scores = {d: float(final[d]) for d in page_docs}
    elif fast is not None:
        page_docs = _sorted_docs(result, request, docs, empty_q=False)[start:stop]
        if deferred is not None and page_docs:
            deferred.settle(np.array(page_docs, dtype=np.int64))
        final = deferred.score if deferred is not None else fast.score
        scores = {d: float(final[d]) for d in page_docs}
    elif all_scored is not None:
        ranked = sorted(all_scored, key=lambda d: (-round(all_scored[d], 6), docs.id_rank[d]))
        page_docs = ranked[start:stop]
        scores = {d: all_scored[d] for d in page_docs}
    elif wq is not None and request.sort == "relevance":
        page_docs, scores = _top_scored(searcher, wq, result, mask, stop, docs)
        page_docs = page_docs[start:stop]
    else:
        page_docs = _sorted_docs(result, request, docs, empty_q=parsed.empty)[start:stop]
        if wq is not None and page_docs:
            scores = _scores_for(searcher, wq, page_docs)
    hits = [
        _hit(
            searcher,
            d,
            parsed,
            score=None if parsed.empty else scores.get(d, 0.0),
            approximate=approximate,
            with_snippets=request.with_snippets and not parsed.empty,
            near_start=approx_starts.get(d),
        )
        for d in page_docs
    ]
    return SearchResponse(
        request=request,
        total=total,
        results=tuple(hits),
        facets=facets,
        approximate=approximate,
        suggestion=suggestion,
        generation=getattr(index, "generation", None),
        explain=str(parsed),
    )


#: The facets of a response that asked for none (one shared, read-only mapping).
_NO_FACETS: Mapping[str, tuple[FacetValue, ...]] = MappingProxyType({})


def _browse(
    index: Any,
    searcher: Any,
    fc: FacetCache,
    request: SearchRequest,
    parsed: ParsedQuery,
    selected: np.ndarray,
) -> SearchResponse:
    """Answer an empty q narrowed by filters from the documents they select.

    What the general path answers, without masks over every document: a filter value
    selects a few stories, so the sort and the page are worked out on those few.
    """
    docs = fc.docs
    total = int(selected.size)
    facets: Mapping[str, tuple[FacetValue, ...]] = _NO_FACETS
    if request.with_facets:
        facets = fc.facets_of(selected)
    start = (request.page - 1) * request.per_page
    page_docs: list[int] = []
    if start < total:
        page_docs = _ordered(selected, request.sort, docs)
        if start or total > request.per_page:  # (a first page holding all: no copy)
            page_docs = page_docs[start : start + request.per_page]
    records = _records(searcher)
    shown: list[SearchHit] = []  # a loop, not a generator: fewer objects for the collector
    for d in page_docs:
        shown.append(SearchHit.from_fields(_record(searcher, d, records), None, (), False))
    hits = tuple(shown)
    return SearchResponse(
        request=request,
        total=total,
        results=hits,
        facets=facets,
        generation=getattr(index, "generation", None),
        explain=str(parsed),
    )


def warm(index: Any) -> None:
    """Build the generation's caches (document arrays, facet tables, records) ahead of a
    request.

    The first search of a generation otherwise pays for them (about 0.4 s per 1,000
    stories), and each story the first time it is shown; a server can call this right
    after opening or switching generations.
    """
    from searchfic.request import FACETS

    with index.searcher() as searcher:
        fc = facet_cache(index, searcher)
        _ = fc.docs.order_rank("updated")  # the order of a browse without a query
        for name in FACETS:
            _ = fc.table(name).display_rank
        fc.stem_languages()
        # The document lengths BM25F needs for the fields every word query scores.
        terms = term_cache(searcher, index)
        for fieldname in (
            "body",
            "body_stem",
            "title",
            "summary",
            "t_author",
            "t_fandom",
            "t_pairing",
            "t_character",
            "t_tag",
        ):
            terms.lengths(searcher.reader(), fieldname)
        for fieldname in sorted(SMALL_FIELDS):
            terms.vocabulary(searcher.reader(), fieldname)
        _vocabulary(searcher)  # "did you mean" for a query that finds nothing
        _preload_records(searcher)


def get_story(index: Any, story_id: str) -> Story:
    """Return the stored story ``story_id``, body included; NotFoundError when unknown."""
    with index.searcher() as searcher:
        docnum = _docnum(searcher, story_id)
        return _story(searcher, docnum)


def highlight_story(index: Any, story: Story, q: str) -> list[str]:
    """Return the body's paragraphs as escaped HTML, every match of q marked in order.

    Each match is ``<mark class="hit" id="mN">…</mark>`` with N from 1 in reading order.
    A quote that does not occur exactly is highlighted where it nearly occurs.
    """
    parsed = parse_query(q)
    body = story.body
    paragraphs = [p for p in re.split(r"\n[ \t]*\n", body) if p.strip()] if body else []
    if parsed.empty or not body:
        return [html.escape(p) for p in paragraphs]
    spec = HighlightSpec.from_parsed(parsed, _languages(index))
    spans = spec.find(body, story.language, limit=None)
    if not spans and parsed.quote():
        spans = _near_quote_spans(body, parsed.quote() or ())
    out: list[str] = []
    counter = 0
    pos = 0
    for para in paragraphs:
        p_start = body.find(para, pos)
        p_end = p_start + len(para)
        pos = p_end
        local = [(s - p_start, e - p_start) for s, e in spans if s >= p_start and e <= p_end]
        pieces: list[str] = []
        cursor = 0
        for s, e in local:
            counter += 1
            pieces.append(html.escape(para[cursor:s]))
            pieces.append(f'<mark class="hit" id="m{counter}">{html.escape(para[s:e])}</mark>')
            cursor = e
        pieces.append(html.escape(para[cursor:]))
        out.append("".join(pieces))
    return out


# --- helpers for run ------------------------------------------------------------------------


@functools.cache
def _empty_query() -> ParsedQuery:
    """Return the parse of an empty q (immutable), parsed once: browsing asks for it a lot."""
    return parse_query("")


def _context(index: Any, fc: FacetCache, reader: Any) -> QueryContext:
    def raws(text: str) -> list[str]:
        return pairing_raws(fc.table("pairing"), text, fc.meta)

    return QueryContext(reader=reader, languages=fc.stem_languages(), pairing_raws=raws)


def _languages(index: Any) -> tuple[str, ...]:
    with index.searcher() as searcher:
        return facet_cache(index, searcher).stem_languages()


def _top_scored(
    searcher: Any, wq: Any, result: np.ndarray, mask: np.ndarray, limit: int, docs: Any
) -> tuple[list[int], dict[int, float]]:
    allowed = None if bool(mask[docs.live].all()) else set(np.nonzero(result)[0].tolist())
    hits = searcher.search(wq, limit=limit, filter=allowed)
    scored = [(h.docnum, float(h.score or 0.0)) for h in hits if result[h.docnum]]
    scored.sort(key=lambda x: (-round(x[1], 6), docs.id_rank[x[0]]))
    return [d for d, _ in scored], {d: s for d, s in scored}


def _without_excluded(
    searcher: Any, parsed: ParsedQuery, ctx: QueryContext, mask: np.ndarray
) -> np.ndarray:
    """Return ``mask`` less the stories a top-level NOT of the query excludes."""
    root = parsed.root
    negated = (
        [c.child for c in root.children if isinstance(c, Not)] if isinstance(root, And) else []
    )
    if not negated:
        return mask
    out = mask.copy()
    for node in negated:
        for d in searcher.docs_for_query(to_whoosh(node, ctx)):
            if d < out.shape[0]:
                out[d] = False
    return out


def _has_phrase(parsed: ParsedQuery) -> bool:
    return any(isinstance(n, Phrase) for n in parsed.positive_leaves())


def _score_all(searcher: Any, wq: Any, mask: np.ndarray, docs: Any) -> dict[int, float]:
    allowed = None if bool(mask[docs.live].all()) else set(np.nonzero(mask)[0].tolist())
    hits = searcher.search(wq, limit=None, filter=allowed)
    return {h.docnum: float(h.score or 0.0) for h in hits}


def _scores_for(searcher: Any, wq: Any, page_docs: list[int]) -> dict[int, float]:
    hits = searcher.search(wq, limit=len(page_docs), filter=set(page_docs))
    return {h.docnum: float(h.score or 0.0) for h in hits}


def _sorted_docs(result: np.ndarray, request: SearchRequest, docs: Any, empty_q: bool) -> list[int]:
    return _ordered(np.nonzero(result)[0], request.sort, docs)


#: Up to this many documents are put in order by a Python sort (a few numpy calls cost more).
FEW_TO_SORT = 64


def _ordered(sel: np.ndarray, sort: str, docs: Any) -> list[int]:
    """Return the documents ``sel`` in the order of ``sort``, ties in story id order."""
    if sel.size <= 1:
        return sel.tolist()
    if sort == "relevance":
        sort = "updated"  # only reached with an empty q
    if sel.size <= FEW_TO_SORT:
        few: list[int] = sel.tolist()
        few.sort(key=docs.order_rank_list(sort).__getitem__)  # in place: no second list
        return few
    return sel[np.argsort(docs.order_rank(sort)[sel])].tolist()


def _docnum(searcher: Any, story_id: str) -> int:
    if not isinstance(story_id, str) or not story_id or len(story_id) > 200:
        raise NotFoundError(f"no story with id {str(story_id)[:80]!r}")
    docnum = searcher.document_number(id=story_id)
    if docnum is None:
        raise NotFoundError(f"no story with id {story_id!r}")
    return int(docnum)


def _story(searcher: Any, docnum: int) -> Story:
    values = unpack_record_values(column_bytes(searcher, "record", docnum))
    body = unpack_body(column_bytes(searcher, "body_z", docnum))
    return Story(body=body, **dict(zip(RECORD_FIELDS, values, strict=True)))


#: Stored records kept per generation, as hit fields; past this many the cache starts afresh.
RECORDS_KEPT = 20_000

# The stored values a hit shows, by their place in a record (RECORD_FIELDS order).
_AT: dict[str, int] = {name: i for i, name in enumerate(RECORD_FIELDS)}
_LISTS = ("authors", "fandoms", "pairings", "characters", "tags", "copies")
_PLAIN: tuple[str, ...] = ("id", "source", "title", "rating", "summary", "language")
_PLAIN += ("complete", "published", "updated")


def _hit_fields(rec: tuple[Any, ...]) -> dict[str, Any]:
    """Return the fields of a hit that come from its stored record, each of its type."""
    out: dict[str, Any] = {}
    for name in _PLAIN:  # loops, not comprehensions: fewer objects for the collector
        out[name] = rec[_AT[name]]
    for name in _LISTS:
        out[name] = rec[_AT[name]] or ()
    out["words"] = int(rec[_AT["words"]] or 0)
    out["url"] = f"/stories/{out['id']}"
    return out


def _preload_records(searcher: Any) -> int:
    """Keep every record of the generation as hit fields, if it has RECORDS_KEPT or fewer.

    A record first shown costs a read and an unpickling (~5 us, three to four times that
    when other work has taken the CPU caches: the larger part of a filter browse showing
    a few stories). Decoding them all once, when a server opens a generation, takes
    ~5 ms and ~1.6 MB per 1,000 stories, and the cache then never misses. Larger
    generations keep filling the cache as hits are shown. Returns the records kept.
    """
    store = getattr(searcher, "searchfic_cache", None)
    if store is None:
        return 0
    size = searcher.reader().doc_count_all()
    if size > RECORDS_KEPT:
        return 0
    kept: dict[int, dict[str, Any]] = {}
    for docnum in range(size):  # deleted documents too: every docnum is there
        blob = column_bytes(searcher, "record", docnum)
        if blob:  # (a segment without the column: left to _record, as before)
            kept[docnum] = _hit_fields(unpack_record_values(blob))
    store["records"] = kept  # one assignment: a request reads the old dict or this one
    return len(kept)


def _records(searcher: Any) -> dict[int, dict[str, Any]] | None:
    """Return the generation's kept records (None for a bare Whoosh searcher: no cache)."""
    store = getattr(searcher, "searchfic_cache", None)
    if store is None:
        return None
    records: dict[int, dict[str, Any]] | None = store.get("records")
    if records is None:
        records = store.setdefault("records", {})
    return records


def _record(
    searcher: Any, docnum: int, records: dict[int, dict[str, Any]] | None = None
) -> dict[str, Any]:
    """Return a hit's stored fields, kept per generation (stories shown repeat).

    A plain dict, not an LRU: a record is read and unpickled in a few microseconds, and
    the LRU's lock and reordering cost more than its ~30% hits saved (bench queries,
    interleaved); a full cache is cleared, and a race at worst reads a record twice.
    Kept as the hit's field dict, so showing a record again copies one dict. ``records``:
    ``_records(searcher)``, when the caller shows several.
    """
    if records is None:
        records = _records(searcher)
        if records is None:
            return _hit_fields(unpack_record_values(column_bytes(searcher, "record", docnum)))
    rec = records.get(docnum)
    if rec is None:
        rec = _hit_fields(unpack_record_values(column_bytes(searcher, "record", docnum)))
        if len(records) >= RECORDS_KEPT:
            records.clear()
        records[docnum] = rec
    return rec


def _hit(
    searcher: Any,
    docnum: int,
    parsed: ParsedQuery,
    score: float | None,
    approximate: bool,
    with_snippets: bool,
    near_start: int | None = None,
) -> SearchHit:
    stored = _record(searcher, docnum)
    snippets: tuple[str, ...] = ()
    if with_snippets:
        body = unpack_body(column_bytes(searcher, "body_z", docnum))
        snippets = tuple(_snippets_for(body, parsed, stored["language"], near_start))
    return SearchHit.from_fields(
        stored,
        score=None if score is None else round(float(score), 4),
        snippets=snippets,
        approximate=approximate,
    )


# --- suggestions ----------------------------------------------------------------------------


def _suggest(searcher: Any, parsed: ParsedQuery) -> str | None:
    """Return the query with unknown words replaced by the commonest close indexed word."""
    reader = searcher.reader()
    text = parsed.text
    changed = False
    for leaf in parsed.positive_leaves():
        if not isinstance(leaf, Word | Phrase) or leaf.field not in (None, "title", "summary"):
            continue
        for raw in analysis.words(leaf.text):
            tok = analysis.fold_word(raw)
            if len(tok) < 3 or term_cache(searcher, None).df(reader, "body", tok) > 0:
                continue
            best = _closest(searcher, tok)
            if best and best != tok:
                text, n = re.subn(rf"(?<!\w){re.escape(raw)}(?!\w)", best, text, count=1)
                changed = changed or n > 0
    return text if changed else None


def _closest(searcher: Any, tok: str) -> str | None:
    """Return the commonest indexed word nearest to ``tok`` (same first letter)."""
    reader = searcher.reader()
    maxdist = 1 if len(tok) <= 4 else 2
    vocab = _vocabulary(searcher)
    if vocab is not None:
        cands = vocab.within(tok, maxdist)
    else:
        try:
            cands = [
                c.decode("utf-8") if isinstance(c, bytes) else c
                for c in reader.terms_within("body", tok, maxdist, prefix=1)
            ]
        except Exception:
            return None
    best: tuple[int, int, str] | None = None
    terms = term_cache(searcher, None)
    for word in cands[:200]:
        freq = terms.df(reader, "body", word)
        if not freq:
            continue
        key = (_distance(tok, word), -freq, word)
        if best is None or key < best:
            best = key
    return best[2] if best else None


class Vocabulary:
    """The body's indexed words, grouped by first letter and length, as code-unit arrays.

    Whoosh's Levenshtein automaton walks the on-disk term index in Python (~100 ms a word
    on 1,000 stories); here the words of the right first letter and nearby lengths are
    compared with the misspelt one all at once, one numpy step per letter pair.
    """

    MAX_LEN = 40

    def __init__(self, words: Iterable[str]) -> None:
        groups: dict[tuple[str, int], list[str]] = {}
        for w in words:
            if 0 < len(w) <= self.MAX_LEN and w.isprintable() and max(w) <= "\uffff":
                groups.setdefault((w[0], len(w)), []).append(w)
        self.groups: dict[tuple[str, int], tuple[list[str], np.ndarray]] = {}
        for (first, n), ws in groups.items():
            ws.sort()
            arr = np.frombuffer("".join(ws).encode("utf-16-le"), dtype=np.uint16)
            self.groups[(first, n)] = (ws, arr.reshape(len(ws), n))

    def within(self, tok: str, maxdist: int) -> list[str]:
        """Return the words within ``maxdist`` edits of ``tok`` sharing its first letter,
        in plain string order."""
        if not tok or max(tok) > "\uffff":
            return []
        q = np.frombuffer(tok.encode("utf-16-le"), dtype=np.uint16)
        m = len(tok)
        out: list[str] = []
        for n in range(max(1, m - maxdist), m + maxdist + 1):
            group = self.groups.get((tok[0], n))
            if group is None:
                continue
            ws, arr = group
            d = _levenshtein_rows(q, arr)
            out.extend(ws[i] for i in np.nonzero(d <= maxdist)[0].tolist())
        out.sort()
        return out


def _levenshtein_rows(q: np.ndarray, arr: np.ndarray) -> np.ndarray:
    """Return the edit distance from ``q`` to every row of ``arr`` (rows of equal length)."""
    rows, n = arr.shape
    prev = np.broadcast_to(np.arange(n + 1, dtype=np.int32), (rows, n + 1)).copy()
    cur = np.empty_like(prev)
    for i in range(1, len(q) + 1):
        cur[:, 0] = i
        cost = (arr != q[i - 1]).astype(np.int32)
        # Deletion and substitution first (vectorised), then insertion left to right.
        np.minimum(prev[:, 1:] + 1, prev[:, :-1] + cost, out=cur[:, 1:])
        for j in range(1, n + 1):
            np.minimum(cur[:, j], cur[:, j - 1] + 1, out=cur[:, j])
        prev, cur = cur, prev
    return prev[:, n]


def _vocabulary(searcher: Any) -> Vocabulary | None:
    """Return the generation's Vocabulary, building it on first use."""
    store = getattr(searcher, "searchfic_cache", None)
    if store is None:
        return None
    vocab = store.get("vocabulary")
    if vocab is None:
        with _VOCAB_LOCK:
            vocab = store.get("vocabulary")
            if vocab is None:
                words = (
                    b.decode("utf-8") if isinstance(b, bytes) else b
                    for b in searcher.reader().lexicon("body")
                )
                vocab = store.setdefault("vocabulary", Vocabulary(words))
    return vocab


_VOCAB_LOCK = threading.Lock()


def _distance(a: str, b: str) -> int:
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        prev = cur
    return prev[-1]


# --- near quotes ----------------------------------------------------------------------------


@dataclass(frozen=True)
class NearMatch:
    """Where a quote nearly occurs in one story: its score and its first word's position."""

    score: float
    start: int


def find_near_quotes(
    searcher: Any,
    quote: tuple[str, ...],
    mask: np.ndarray,
    id_rank: np.ndarray | None = None,
    phrase_mask: Callable[[tuple[str, ...], np.ndarray], np.ndarray] | None = None,
) -> dict[int, NearMatch]:
    """Return documents where ``quote`` nearly occurs (a word changed, dropped, added,
    misspelt), scored by how much of it lines up; only documents in ``mask``.

    Candidates are the documents holding several of the quote's rarest words; each is
    then verified from the positional postings: for every occurrence of an anchor word,
    count the quote words found at their expected offset (±1 for a dropped or added
    word). Word order and proximity decide, not bag-of-words relevance. Candidates that
    tie are taken in story id order (``id_rank``), not by where a build put them.

    A quote of common words only ("es ist zu spät. Aber sie kann das ...") has its rarest
    words in thousands of stories, more than are verified; then ``phrase_mask`` (the
    stories in a mask where some words stand next to each other in that order) puts
    first the stories holding an intact run of the quote: one changed, dropped or added
    word leaves a run of at least half its words as typed.
    """
    reader = searcher.reader()
    n = len(quote)
    distinct = list(dict.fromkeys(quote))
    # Anchor postings and frequencies come from the generation's cached lookups.
    terms = term_cache(searcher, None)
    df = {t: terms.df(reader, "body", t) for t in distinct}
    present = [t for t in distinct if df[t] > 0]
    if len(present) < 2:
        return {}
    total_docs = max(1, reader.doc_count())
    idf = {t: math.log(1 + total_docs / df[t]) for t in present}
    anchors = sorted(present, key=lambda t: df[t])[: min(5, len(present))]
    size = mask.shape[0]
    count_arr = np.zeros(size, dtype=np.float64)
    hit_arr = np.zeros(size, dtype=np.int64)
    for t in anchors:
        ids = terms.postings(reader, "body", t)[0]
        ids = ids[ids < size]
        ids = ids[mask[ids]]
        count_arr[ids] += idf[t]
        hit_arr[ids] += 1
    # A single changed, dropped or misspelt word costs at most one anchor.
    need = max(1, len(anchors) - 1) if len(anchors) >= 3 else 1
    sel = np.nonzero(hit_arr >= need)[0]
    tie = sel if id_rank is None else id_rank[sel]
    keys = [tie, -count_arr[sel], -hit_arr[sel]]  # the last decides first
    if phrase_mask is not None and sel.size > APPROX_CANDIDATES:
        keys.append(-_intact_runs(quote, df, sel, size, phrase_mask)[sel])
    order = np.lexsort(keys)[:APPROX_CANDIDATES]
    cands = sorted(sel[order].tolist())
    if not cands:
        return {}
    counts = {d: float(count_arr[d]) for d in cands}
    positions: dict[int, dict[str, list[int]]] = {d: {} for d in cands}
    cand_arr = np.array(cands, dtype=np.int64)
    for t in present:
        # Per segment, the blocks holding a candidate only, a block's positions at once.
        for d, pos in positions_in(reader, "body", t, cand_arr, terms).items():
            positions[d][t] = pos
    weight_all = sum(idf.get(t, 0.0) for t in quote) or 1.0
    out: dict[int, NearMatch] = {}
    for d in cands:
        matched, aligned, start = _align(quote, positions[d], idf)
        if matched < 2 or matched / n < APPROX_MIN_SHARE:
            continue
        # Lining up only the common words ("I ... my") is not a near quote.
        weight, heaviest_missing = _weight_at(quote, positions[d], start, idf)
        # One word may be wrong whatever its weight (the changed or misspelt one).
        if weight / max(weight_all - heaviest_missing, 1e-9) >= APPROX_MIN_WEIGHT:
            out[d] = NearMatch(round(matched + 0.1 * aligned + 0.001 * counts[d], 4), start)
    return out


def _intact_runs(
    quote: tuple[str, ...],
    df: dict[str, int],
    sel: np.ndarray,
    size: int,
    phrase_mask: Callable[[tuple[str, ...], np.ndarray], np.ndarray],
) -> np.ndarray:
    """Count, for every document of ``sel``, the runs of half the quote's words (three at
    least) that it holds as typed (an array over all ``size`` documents)."""
    n = len(quote)
    k = n // 2  # a word changed or added at i leaves quote[:i] and quote[i+1:] intact
    runs = np.zeros(size, dtype=np.int64)
    if k < 3:
        return runs
    within = np.zeros(size, dtype=bool)
    within[sel] = True
    for i in range(n - k + 1):
        window = quote[i : i + k]
        if all(df.get(t, 0) > 0 for t in window):  # a misspelt word: no story holds the run
            runs += phrase_mask(window, within)
    return runs


def _weight_at(
    quote: tuple[str, ...], pos: dict[str, list[int]], start: int, idf: dict[str, float]
) -> tuple[float, float]:
    """Return the idf mass of the quote words found within ±1 of their place at
    ``start``, and the largest idf of a word not found there."""
    total = 0.0
    heaviest = 0.0
    sets: dict[str, set[int]] = {}
    for j, q in enumerate(quote):
        p = sets.get(q)
        if p is None:
            p = sets[q] = set(pos.get(q, ()))
        if any(start + j + k in p for k in (0, -1, 1)):
            total += idf.get(q, 0.0)
        else:
            heaviest = max(heaviest, idf.get(q, 0.0))
    return total, heaviest


def _align(
    quote: tuple[str, ...], pos: dict[str, list[int]], idf: dict[str, float]
) -> tuple[int, int, int]:
    """Return (words lined up within ±1, words lined up exactly, start) at the best anchor."""
    sets = {t: set(p) for t, p in pos.items()}
    # Anchor on the rarest words present in this document (few occurrences each).
    present = sorted({t for t in quote if t in pos}, key=lambda t: (len(pos[t]), -idf.get(t, 0)))[
        :3
    ]
    best = (0, 0, 0)
    for t in present:
        idxs = [i for i, q in enumerate(quote) if q == t]
        for p in pos[t][:200]:
            for i in idxs:
                start = p - i
                matched = aligned = 0
                for j, q in enumerate(quote):
                    s = sets.get(q)
                    if not s:
                        continue
                    at = start + j
                    if at in s:
                        matched += 1
                        aligned += 1
                    elif (at - 1) in s or (at + 1) in s:
                        matched += 1
                if (matched, aligned) > best[:2]:
                    best = (matched, aligned, max(0, start))
    return best


# --- snippets and highlighting --------------------------------------------------------------


@dataclass
class HighlightSpec:
    """What to mark in a story text: words (exact or by stem), prefixes and phrases."""

    exact: set[str] = field(default_factory=set)
    stems: set[str] = field(default_factory=set)
    stem_heads: set[str] = field(default_factory=set)
    prefixes: tuple[str, ...] = ()
    phrases: list[tuple[str, ...]] = field(default_factory=list)
    languages: tuple[str, ...] = (analysis.DEFAULT_STEM_LANGUAGE,)

    @classmethod
    def from_parsed(cls, parsed: ParsedQuery, languages: Iterable[str]) -> HighlightSpec:
        spec = cls(languages=tuple(languages) or (analysis.DEFAULT_STEM_LANGUAGE,))
        prefixes: list[str] = []
        for leaf in parsed.positive_leaves():
            if getattr(leaf, "field", None) is not None:
                continue
            if isinstance(leaf, Word):
                spec.exact.add(leaf.tokens[0])
                for raw in analysis.words(leaf.text)[:1]:
                    for lang in spec.languages:
                        s = analysis.stem_word(raw, lang)
                        spec.stems.add(s)
                        spec.stem_heads.add(s[:2])
            elif isinstance(leaf, Phrase):
                spec.phrases.append(leaf.tokens)
            elif isinstance(leaf, Prefix):
                prefixes.append(leaf.prefix)
        spec.prefixes = tuple(prefixes)
        return spec

    @property
    def empty(self) -> bool:
        return not (self.exact or self.stems or self.prefixes or self.phrases)

    def find(
        self, text: str, language: str | None, limit: int | None = 60
    ) -> list[tuple[int, int]]:
        """Return the (start, end) spans of matches in ``text``, in order, non-overlapping."""
        if self.empty or not text:
            return []
        lang = analysis.snowball_language(language)
        # Regexes over the lower-cased text, each searched letter widened to the accented
        # letters of this text that fold to it, find candidates without a Python step per
        # word (or per character) of a long story; only candidates are stemmed.
        lowered = _lower_same_length(text)
        variants, longer = _text_variants(lowered)
        if longer and self._could_miss(longer):
            # A letter folding to several (Straße) where a searched word holds its fold:
            # only the word-by-word scan sees both spellings.
            return self._find_slow(text, lang, limit)
        return _merge(self._find_fast(text, lowered, lang, limit, variants))

    def _could_miss(self, longer: set[str]) -> bool:
        """Return whether a letter folding to several (``ß`` -> ``ss``) can hide a match.

        The fast scan keeps such a letter as it is, so it can only miss a searched word
        or phrase that holds that letter's fold.
        """
        texts = [*self.exact, *self.stems, *self.prefixes]
        texts += [" ".join(ph) for ph in self.phrases]
        return any(f in t for f in longer for t in texts)

    def _find_fast(
        self, text: str, lowered: str, lang: str, limit: int | None, variants: dict[str, str]
    ) -> list[tuple[int, int]]:
        spans = _phrase_spans(lowered, self.phrases, limit, variants) if self.phrases else []
        heads = {w[:4] for w in self.exact} | {w[:4] for w in self.stems}
        heads |= {w[:4] for w in self.prefixes}
        heads.discard("")
        if not heads:
            return spans
        alternation = "|".join(_widened(h, variants) for h in sorted(heads, key=len, reverse=True))
        # No look-behind in the pattern: it would defeat the regex engine's literal
        # prefix scan (10x slower); the word start is checked by hand instead.
        pattern = re.compile(r"(?:" + alternation + r")[^\W_]*")
        for m in pattern.finditer(lowered):
            if m.start() and _is_word_char(lowered[m.start() - 1]):
                continue
            raw = text[m.start() : m.end()]
            tok = analysis.fold_word(raw)
            hit = tok in self.exact or (bool(self.prefixes) and tok.startswith(self.prefixes))
            if not hit and self.stems:
                hit = analysis.stem_word(raw, lang) in self.stems
            if hit:
                spans.append((m.start(), m.end()))
                if limit is not None and len(spans) >= limit:
                    break
        return spans

    def _find_slow(self, text: str, lang: str, limit: int | None) -> list[tuple[int, int]]:
        spans: list[tuple[int, int]] = []
        longest = max((len(p) for p in self.phrases), default=0)
        window: list[tuple[int, int, str]] = []
        for m in analysis.iter_words(text):
            raw = m.group()
            tok = analysis.fold_word(raw)
            if longest:
                window.append((m.start(), m.end(), tok))
                if len(window) > longest:
                    del window[0]
                for ph in self.phrases:
                    k = len(ph)
                    if (
                        len(window) >= k
                        and ph[-1] == tok
                        and all(window[-k + i][2] == ph[i] for i in range(k))
                    ):
                        spans.append((window[-k][0], m.end()))
            hit = tok in self.exact or (bool(self.prefixes) and tok.startswith(self.prefixes))
            if not hit and self.stems and tok[:2] in self.stem_heads:
                hit = analysis.stem_word(raw, lang) in self.stems
            if hit:
                spans.append((m.start(), m.end()))
            if limit is not None and len(spans) >= limit:
                break
        return _merge(spans)


def _fold_char(c: str) -> str:
    f = analysis.fold_word(c)
    if len(f) == 1:
        return f
    low = c.lower()
    return low if len(low) == 1 else c


_NON_ASCII = re.compile(r"[^\x00-\x7f]")
_ASCII_RUNS = re.compile(r"[\x00-\x7f]+")


def _non_ascii_chars(text: str) -> set[str]:
    """Return the distinct non-ASCII characters of ``text``.

    The regex drops the ASCII runs in C, so only the few other characters are hashed
    (``set(text)`` hashes every character of a 30 KB story).
    """
    return set(_ASCII_RUNS.sub("", text))


# Per-character folds, shared by every request: (folded char, its full fold if longer).
_FOLD_CACHE: dict[str, tuple[str, str | None]] = {}


def _fold_entry(c: str) -> tuple[str, str | None]:
    hit = _FOLD_CACHE.get(c)
    if hit is None:
        full = analysis.fold_word(c) if c.isalpha() else c
        hit = (_fold_char(c), full if len(full) != 1 else None)
        if len(_FOLD_CACHE) < 100_000:
            _FOLD_CACHE[c] = hit
    return hit


def _lower_same_length(text: str) -> str:
    lowered = text.lower()
    if len(lowered) != len(text):  # a rare letter whose lower case is longer
        lowered = "".join(c if len(c.lower()) != 1 else c.lower() for c in text)
    return lowered


def _text_variants(lowered: str) -> tuple[dict[str, str], set[str]]:
    """Return, for this text, folded letter -> its other spellings found in the text,
    and the multi-letter folds of letters that fold to more than one (``ß``)."""
    if lowered.isascii():
        return {}, set()
    variants: dict[str, str] = {}
    longer: set[str] = set()
    for c in _non_ascii_chars(lowered):  # only distinct characters cost Python
        one, full = _fold_entry(c)
        if one != c:
            variants[one] = variants.get(one, "") + c
        if full is not None:
            longer.add(full)
    return variants, longer


def _widened(word: str, variants: dict[str, str]) -> str:
    """Return a regex matching ``word`` with each letter or one of its variants."""
    if not variants:
        return re.escape(word)
    out = []
    for ch in word:
        alt = variants.get(ch)
        out.append("[" + re.escape(ch + alt) + "]" if alt else re.escape(ch))
    return "".join(out)


def fold_same_length(text: str) -> tuple[str, bool]:
    """Fold case and accents character by character, keeping every offset valid.

    Also return whether some letter folds to more than one (``ß``, ``æ``): then a
    word-by-word scan is the only exact way to match.
    """
    lowered = _lower_same_length(text)
    if lowered.isascii():
        return lowered, False
    table: dict[int, str] = {}
    lossy = False
    for c in _non_ascii_chars(lowered):
        one, full = _fold_entry(c)
        table[ord(c)] = one
        lossy = lossy or full is not None
    return lowered.translate(table), lossy


def _phrase_spans(
    folded: str,
    phrases: list[tuple[str, ...]],
    limit: int | None,
    variants: dict[str, str] | None = None,
) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    for ph in phrases:
        pattern = r"[\W_]+".join(_widened(t, variants or {}) for t in ph) + r"(?![^\W_])"
        for m in re.finditer(pattern, folded):
            if m.start() and _is_word_char(folded[m.start() - 1]):
                continue
            spans.append((m.start(), m.end()))
            if limit is not None and len(spans) >= limit:
                return spans
    return spans


def _is_word_char(c: str) -> bool:
    return c.isalnum() or unicodedata.combining(c) > 0


def _merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    spans.sort()
    out: list[tuple[int, int]] = []
    for s, e in spans:
        if out and s <= out[-1][1]:
            if e > out[-1][1]:
                out[-1] = (out[-1][0], e)
        else:
            out.append((s, e))
    return out


def _near_quote_spans(body: str, quote: tuple[str, ...]) -> list[tuple[int, int]]:
    """Return spans of the quote's words in the stretch of body where most of them meet."""
    wanted = set(quote)
    hits = [
        (i, m.start(), m.end(), tok)
        for i, m in enumerate(analysis.iter_words(body))
        if (tok := analysis.fold_word(m.group())) in wanted
    ]
    n = len(quote) + 2
    best_j, best_score = -1, 0
    k = 0
    for j, (i, _s, _e, _t) in enumerate(hits):
        k = max(k, j)
        while k + 1 < len(hits) and hits[k + 1][0] < i + n:
            k += 1
        score = len({h[3] for h in hits[j : k + 1]})
        if score > best_score:
            best_j, best_score = j, score
    if best_j < 0 or best_score < 2:
        return []
    first = hits[best_j][0]
    return [(s, e) for i, s, e, _t in hits[best_j:] if i < first + n]


def _quote_spans_at(body: str, quote: tuple[str, ...], start: int) -> list[tuple[int, int]]:
    """Return spans of the quote's words around token position ``start`` of the body."""
    wanted = set(quote)
    lo, hi = start - 1, start + len(quote) + 1
    spans: list[tuple[int, int]] = []
    for i, m in enumerate(analysis.iter_words(body)):
        if i >= hi:
            break
        if i >= lo and analysis.fold_word(m.group()) in wanted:
            spans.append((m.start(), m.end()))
    return spans


def _snippets_for(
    body: str, parsed: ParsedQuery, language: str | None, near_start: int | None
) -> list[str]:
    if not body:
        return []
    quote = parsed.quote()
    if near_start is not None and quote:
        spans = _quote_spans_at(body, quote, near_start) or _near_quote_spans(body, quote)
    else:
        spec = HighlightSpec.from_parsed(parsed, (analysis.snowball_language(language),))
        spans = spec.find(body, language)
    if not spans:
        return [_render(body, 0, min(len(body), SNIPPET_BEFORE + SNIPPET_AFTER), [])]
    return make_snippets(body, spans)


def make_snippets(
    text: str, spans: list[tuple[int, int]], count: int = SNIPPETS_PER_HIT
) -> list[str]:
    """Return up to ``count`` escaped HTML excerpts around the densest groups of spans."""
    width = SNIPPET_BEFORE + SNIPPET_AFTER
    candidates = []
    for i, (s, _e) in enumerate(spans):
        inside = [sp for sp in spans[i:] if sp[0] < s + SNIPPET_AFTER]
        candidates.append((len(inside), -s, s))
    candidates.sort(reverse=True)
    chosen: list[tuple[int, int]] = []
    for _n, _neg, s in candidates:
        lo = max(0, s - SNIPPET_BEFORE)
        hi = min(len(text), lo + width)
        if any(not (hi <= a or lo >= b) for a, b in chosen):
            continue
        chosen.append((lo, hi))
        if len(chosen) >= count:
            break
    chosen.sort()
    out = []
    for lo, hi in chosen:
        lo, hi = _snap(text, lo, hi)
        inside = [(max(s, lo), min(e, hi)) for s, e in spans if s < hi and e > lo]
        out.append(_render(text, lo, hi, inside))
    return out


def _snap(text: str, lo: int, hi: int) -> tuple[int, int]:
    if lo > 0:
        sp = text.find(" ", lo, lo + 20)
        if sp != -1:
            lo = sp + 1
    if hi < len(text):
        sp = text.rfind(" ", hi - 20, hi)
        if sp != -1 and sp > lo:
            hi = sp
    return lo, hi


def _render(text: str, lo: int, hi: int, spans: list[tuple[int, int]]) -> str:
    pieces: list[str] = ["\u2026" if lo > 0 else ""]
    cursor = lo
    for s, e in spans:
        pieces.append(_flat(text[cursor:s]))
        pieces.append(f"<mark>{_flat(text[s:e])}</mark>")
        cursor = e
    pieces.append(_flat(text[cursor:hi]))
    if hi < len(text):
        pieces.append("\u2026")
    return "".join(pieces).strip()


def _flat(s: str) -> str:
    return html.escape(re.sub(r"\s+", " ", s))
