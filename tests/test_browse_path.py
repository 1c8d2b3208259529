"""An empty q narrowed by filters is answered from the few documents the filters select.

That path must answer what the general one (masks over every document) answers: the
general path is forced here by hiding the selection, and both are compared field by field.
"""

from __future__ import annotations

import dataclasses
import random
from typing import Any

import numpy as np
import pytest
from engine_support import build_index, load_stories

from searchfic.engine import search
from searchfic.engine.facets import FacetCache, facet_cache
from searchfic.engine.store import open_index
from searchfic.model import Story, count_words
from searchfic.request import SearchRequest, WordRange

PAIRINGS = [
    "Alex Cabot/Olivia Benson",
    "Benson/Cabot",
    "Olivia Benson/Alex Cabot",
    "Alex Cabot & Olivia Benson",
    "John Watson/Sherlock Holmes",
    "Holmes/Watson",
    "Enjolras/Grantaire",
    "Grantaire & Enjolras",
    "Joaquín/Sánchez",
    "Casey Novak/Olivia Benson",
]
RATINGS = ["General Audiences", "Teen And Up Audiences", "Mature", "Explicit"]
DATES = ["2020-01-01", "2021-06-15", "2021-06-15", "2023-03-03", None]


def _stories() -> list[Story]:
    rng = random.Random(5)
    base = load_stories()
    out = list(base)
    for i in range(80):
        body = " ".join(rng.choices(["rain", "night", "letter", "window", "tea"], k=20 + i))
        out.append(
            dataclasses.replace(
                base[i % len(base)],
                id=f"b{(i * 37) % 80:03d}",  # ids out of insertion order: ties by id matter
                source=f"browse/{i:03d}.txt",
                title=rng.choice(["Rain", "Night", "Letters", "Tea", "rain"]),
                body=body,
                words=count_words(body),
                pairings=tuple(rng.sample(PAIRINGS, rng.randint(0, 2))),
                rating=rng.choice(RATINGS),
                complete=rng.choice([True, False, None]),
                updated=rng.choice(DATES),
                published=rng.choice(DATES),
            )
        )
    return out


@pytest.fixture(scope="module")
def index(tmp_path_factory):
    """Three segments, deletions in each: document numbers with holes."""
    from whoosh import index as whoosh_index

    from searchfic.engine import layout
    from searchfic.engine.schema import to_document

    stories = _stories()
    path = build_index(tmp_path_factory.mktemp("browse"), stories[:30])
    gen = layout.generations_dir(path) / layout.current_name(path)
    wix = whoosh_index.open_dir(str(gen), indexname=layout.WHOOSH_INDEX_NAME)
    for part in (stories[30:60], stories[60:]):
        writer = wix.writer()
        for story in part:
            writer.add_document(**to_document(story))
        writer.commit(merge=False)
    writer = wix.writer()
    for story in stories[3::7]:
        writer.delete_by_term("id", story.id)
    writer.commit(merge=False)
    ix = open_index(path)
    yield ix
    ix.close()


def _deleted_ids() -> set[str]:
    return {s.id for s in _stories()[3::7]}


REQUESTS = [
    SearchRequest(filters={"pairing": ("Alex Cabot/Olivia Benson",)}),
    SearchRequest(filters={"pairing": ("Cabot/Benson",)}, per_page=3, page=2),
    SearchRequest(filters={"pairing": ("Benson",)}),  # a lone name: several groups
    SearchRequest(filters={"pairing": ("Olivia/Alex",)}),
    SearchRequest(filters={"pairing": ("Enjolras & Grantaire",)}),
    SearchRequest(filters={"pairing": ("Sanchez/Joaquin",)}),
    SearchRequest(filters={"pairing": ("Nobody/Noone",)}),
    SearchRequest(filters={"pairing": ("Benson", "Holmes/Watson")}),  # two values: AND
    SearchRequest(filters={"pairing": ("Benson",), "rating": ("Mature", "Explicit")}),
    SearchRequest(filters={"pairing": ("Benson",)}, excludes={"pairing": ("Cabot/Benson",)}),
    SearchRequest(
        filters={"rating": ("Teen And Up Audiences",)},
        excludes={"pairing": ("Holmes/Watson", "Benson"), "rating": ("Mature",)},
    ),
    SearchRequest(filters={"rating": ("Explicit",)}, complete=True),
    SearchRequest(filters={"rating": ("General Audiences",)}, complete=False),
    SearchRequest(filters={"pairing": ("Benson",)}, words=WordRange(low=40, high=80)),
    SearchRequest(filters={"rating": ("Mature",)}, words=WordRange(low=40, low_inclusive=False)),
    SearchRequest(filters={"pairing": ("Benson",)}, page=50),  # past the end
    SearchRequest(filters={"pairing": ("Benson",)}, per_page=1, page=4),
    SearchRequest(filters={"rating": ("PG-13",)}),  # an original rating notation
    SearchRequest(filters={"fandom": ("law & order: svu",)}, with_facets=False),
    *[
        SearchRequest(filters={"pairing": ("Benson",)}, sort=sort, per_page=4, page=page)
        for sort in ("relevance", "title", "words", "published", "updated")
        for page in (1, 2, 3)
    ],
    *[
        SearchRequest(filters={"rating": (r,)}, sort=sort)
        for r in RATINGS
        for sort in ("title", "updated")
    ],
]


def _general(ix: Any, req: SearchRequest, monkeypatch: pytest.MonkeyPatch) -> Any:
    with monkeypatch.context() as m:
        m.setattr(FacetCache, "filter_docs", lambda self, req: None)
        return search.run(ix, req)


@pytest.mark.parametrize("req", REQUESTS, ids=lambda r: str(r.to_params()))
def test_filtered_browse_answers_what_the_general_path_answers(index, req, monkeypatch):
    fast = search.run(index, req)
    slow = _general(index, req, monkeypatch)
    assert fast.to_dict() == slow.to_dict()
    assert fast == slow
    assert not _deleted_ids() & {h.id for h in fast.results}


@pytest.mark.parametrize("req", REQUESTS, ids=lambda r: str(r.to_params()))
def test_filter_selection_equals_the_filter_mask(index, req):
    with index.searcher() as s:
        fc = facet_cache(index, s)
        selected = fc.filter_docs(req)
        assert selected is not None
        assert selected.tolist() == np.nonzero(fc.filter_mask(req))[0].tolist()


def test_some_filtered_browse_finds_stories_in_every_segment(index):
    resp = search.run(index, SearchRequest(filters={"pairing": ("Benson",)}, per_page=100))
    sources = {h.source for h in resp.results}
    assert resp.total == len(resp.results) > 10
    assert any(s.startswith("browse/0") for s in sources)
    assert any(s.startswith("browse/07") for s in sources)


def test_a_request_without_filter_values_takes_the_general_path(index):
    with index.searcher() as s:
        fc = facet_cache(index, s)
        assert fc.filter_docs(SearchRequest()) is None
        assert fc.filter_docs(SearchRequest(excludes={"rating": ("Mature",)})) is None
        assert fc.filter_docs(SearchRequest(complete=True)) is None
    resp = search.run(index, SearchRequest(excludes={"pairing": ("Benson",)}, per_page=100))
    assert resp.total == len(resp.results) > 0
    assert all("Benson" not in " ".join(h.pairings) for h in resp.results)


def test_facets_of_a_few_documents_equal_the_counts_over_every_pair(index):
    from searchfic.engine.facets import FEW_DOCS
    from searchfic.request import FACETS

    rng = random.Random(9)
    with index.searcher() as s:
        fc = facet_cache(index, s)
        live = np.flatnonzero(fc.docs.live)
        for k in [0, 1, 2, 3, 5, 8, 13, 30, FEW_DOCS, FEW_DOCS + 1, live.size]:
            sel = np.array(sorted(rng.sample(live.tolist(), min(k, live.size))), dtype=np.int64)
            mask = np.zeros(fc.docs.size, dtype=bool)
            mask[sel] = True
            by_pairs = {name: fc.table(name).top(mask) for name in FACETS}
            by_docs = {name: fc.table(name).top_of(sel) for name in FACETS}
            assert by_docs == by_pairs
            assert fc.facets_of(sel) == fc.facets(mask) == by_pairs
            assert fc.table("pairing").top_of(sel, limit=2) == fc.table("pairing").top(mask, 2)


def _lexsorted(sel: np.ndarray, sort: str, docs: Any) -> list[int]:
    """The order a sort asks for, from the keys themselves: key, then story id."""
    if sort == "title":
        keys = [(int(docs.title_rank[d]), docs.ids[d]) for d in sel]
    else:
        column = {"words": docs.words, "published": docs.published, "updated": docs.updated}
        keys = [(-int(column[sort][d]), docs.ids[d]) for d in sel]
    return [int(d) for _, d in sorted(zip(keys, sel.tolist(), strict=True))]


@pytest.mark.parametrize("sort", ["title", "words", "published", "updated"])
def test_documents_sorted_by_their_precomputed_ranks_follow_the_keys_then_the_id(index, sort):
    from searchfic.engine.search import FEW_TO_SORT

    rng = random.Random(3)
    with index.searcher() as s:
        docs = facet_cache(index, s).docs
        live = np.flatnonzero(docs.live).tolist()
        assert len(live) > FEW_TO_SORT  # both the Python sort and the numpy one run
        ties = 0
        for k in [2, 3, 7, FEW_TO_SORT, FEW_TO_SORT + 1, len(live)]:
            sel = np.array(sorted(rng.sample(live, k)), dtype=np.int64)
            want = _lexsorted(sel, sort, docs)
            assert search._ordered(sel, sort, docs) == want
            keys = [docs.published[d] if sort == "published" else docs.updated[d] for d in sel]
            ties += len(keys) - len(set(keys))
        assert search._ordered(sel, "relevance", docs) == _lexsorted(sel, "updated", docs)
    assert ties > 0  # equal dates: the story id decides


def test_a_filter_on_a_name_that_is_no_facet_narrows_nothing(index):
    req = SearchRequest(filters={"pairing": ("Benson",), "nonsense": ("x",)})
    with index.searcher() as s:
        fc = facet_cache(index, s)
        want = np.nonzero(fc.filter_mask(req))[0].tolist()
        assert fc.filter_docs(req).tolist() == want
        assert len(want) == len(fc.filter_docs(SearchRequest(filters={"pairing": ("Benson",)})))
        assert fc.filter_docs(SearchRequest(filters={"nonsense": ("x",)})) is None


def test_a_facet_table_holds_live_documents_only(index):
    """Filters take a group's documents as they are: no deleted story may be among them."""
    from searchfic.engine.facets import FACETS

    with index.searcher() as s:
        fc = facet_cache(index, s)
        docs = fc.docs
        assert not docs.live.all()  # the fixture deleted stories in every segment
        for name in FACETS:
            table = fc.table(name)
            assert all(docs.live[d] for d in table.pair_docs.tolist()), name
            for g in range(len(table.display)):
                group = table.docs_of((g,)).tolist()
                assert group == sorted(set(table.pair_docs[table.pair_groups == g].tolist()))
        deleted = _deleted_ids()
        shown = {h.id for r in REQUESTS for h in search.run(index, r).results}
        assert shown and not shown & deleted
