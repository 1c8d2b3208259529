"""Search: phrases whatever the typography, near quotes, snippets, sort, paging, stories."""

from __future__ import annotations

import pytest
from engine_support import build_index, load_stories

from searchfic.engine import search
from searchfic.engine.store import open_index
from searchfic.errors import IndexMissingError, NotFoundError, SchemaVersionError
from searchfic.request import request_from_params


@pytest.fixture(scope="module")
def index(tmp_path_factory):
    path = build_index(tmp_path_factory.mktemp("sidx"), load_stories())
    ix = open_index(path)
    yield ix
    ix.close()


def run(index, **params):
    return search.run(index, request_from_params(params))


def ids(resp):
    return [h.id for h in resp.results]


def test_straight_quoted_phrase_finds_curly_text_at_rank_one(index):
    resp = run(index, q='"I trust my heart, she said, even when it lies"')
    assert ids(resp)[:1] == ["s01"] and not resp.approximate


def test_curly_quoted_phrase_with_curly_apostrophe_finds_straight_and_curly(index):
    resp = run(index, q="\u201cAlex didn\u2019t answer\u201d")
    assert ids(resp) == ["s01"]
    assert run(index, q='"alex didn\'t answer"').total == 1


def test_phrase_across_a_line_break_and_case(index):
    assert ids(run(index, q='"THE WEATHER.\n Alex"')) == ["s01"]


def test_hyphenated_word_matches_with_any_dash(index):
    assert ids(run(index, q="self\u2014pity")) == ["s01"]


def test_asterisk_emphasis_is_found_by_the_plain_word(index):
    assert ids(run(index, q="really")) == ["s01"]


def test_stemmed_word_finds_inflected_forms(index):
    assert "s01" in ids(run(index, q="run"))


def test_accent_folded_word_matches(index):
    assert ids(run(index, q="cafe")) == ["s05"]
    assert ids(run(index, q="strasse")) == ["s07"]


def test_or_not_minus_and_parentheses(index):
    assert set(ids(run(index, q="umbrella OR docket"))) == {"s02", "s03"}
    assert ids(run(index, q="rain -umbrella")) == ["s01"]
    assert ids(run(index, q="rain NOT umbrella")) == ["s01"]
    assert set(ids(run(index, q="(umbrella OR docket) rain"))) == {"s03"}


def test_field_queries_search_their_field_only(index):
    assert ids(run(index, q="title:evenings")) == ["s01"]
    assert set(ids(run(index, q="author:lantern"))) == {"s02", "s03", "s05"}
    assert ids(run(index, q='summary:"blue box"')) == ["s05"]
    assert set(ids(run(index, q="character:novak"))) == {"s03"}
    assert ids(run(index, q="tag:polyamory")) == ["s03"]


def test_unknown_field_is_plain_text(index):
    assert ids(run(index, q="precinct:friends")) == []
    assert ids(run(index, q="baker:street")) == ["s05"]


def test_words_range_in_query(index):
    resp = run(index, q="words:>20", sort="words")
    assert resp.total >= 1 and all(h.words > 20 for h in resp.results)


def test_pairing_field_in_query_matches_like_filter(index):
    assert set(ids(run(index, q="pairing:Cabot/Benson"))) == {"s01", "s02", "s07"}


def test_prefix_expands(index):
    assert "s05" in ids(run(index, q="trav*"))


def test_empty_query_lists_everything_by_updated_without_scores_or_snippets(index):
    resp = run(index, q="")
    assert resp.total == 7
    assert ids(resp)[:2] == ["s05", "s03"]
    assert all(h.score is None and h.snippets == () for h in resp.results)
    assert resp.to_dict()["query"] == ""


def test_sort_orders_and_ties_by_id(index):
    titles = [h.title for h in run(index, q="", sort="title").results]
    assert titles[:3] == ["A Quiet Docket", "Friends at the Precinct", "La Nuit Longue"]
    words = [h.words for h in run(index, q="", sort="words").results]
    assert words == sorted(words, reverse=True)
    pub = ids(run(index, q="", sort="published"))
    assert pub[0] == "s05" and pub[-1] == "s07"  # no date goes last


def test_stories_of_one_title_sort_by_id_whatever_their_order_in_the_index(tmp_path):
    from dataclasses import replace

    base = load_stories()[0]
    same = [
        replace(base, id=i, source=f"{i}.txt", title=t)
        for i, t in (("c-3", "Rain"), ("a-1", "rain"), ("b-2", "Rain!"), ("d-0", "Dawn"))
    ]
    for n, order in enumerate((same, same[::-1])):
        ix = open_index(build_index(tmp_path / f"i{n}", order))
        try:
            assert ids(run(ix, q="", sort="title")) == ["d-0", "a-1", "c-3", "b-2"]
            assert ids(run(ix, q="", sort="title", per_page="2", page="2")) == ["c-3", "b-2"]
        finally:
            ix.close()


def test_paging_and_page_past_the_end(index):
    first = ids(run(index, q="", per_page=3, page=1))
    second = ids(run(index, q="", per_page=3, page=2))
    assert len(first) == 3 and not set(first) & set(second)
    past = run(index, q="", per_page=3, page=9)
    assert past.total == 7 and past.results == ()


def test_hit_carries_url_source_and_score(index):
    hit = run(index, q="docket").results[0]
    assert hit.url == "/stories/s02"
    assert hit.source == "svu/short-names.txt"
    assert hit.score is not None and hit.score > 0


def test_snippets_escape_hostile_text_and_mark_matches(index):
    snippets = run(index, q="script").results[0].snippets
    assert snippets
    joined = " ".join(snippets)
    assert "<script>" not in joined
    assert "&lt;<mark>script</mark>&gt;" in joined
    assert "&amp;" in joined


def test_snippet_marks_the_phrase_whatever_the_typography(index):
    snip = run(index, q='"i trust my heart"').results[0].snippets[0]
    assert "<mark>I trust my heart</mark>" in snip


def test_misquoted_phrase_returns_approximate_match(index):
    resp = run(index, q='"I trust my soul, she said, even when it lies to me"')
    assert resp.approximate
    assert ids(resp)[:1] == ["s01"]
    assert resp.results[0].approximate


def test_quote_with_a_dropped_word_is_found_approximately(index):
    resp = run(index, q='"Olivia poured coffee for and waited for the verdict"')
    assert ids(resp)[:1] == ["s02"] and resp.approximate


def test_exact_match_is_not_approximate(index):
    resp = run(index, q='"waited for the verdict"')
    assert not resp.approximate and not resp.results[0].approximate


def test_suggestion_when_nothing_is_found(index):
    resp = run(index, q="wether")
    assert resp.total == 0 and resp.suggestion == "weather"
    assert run(index, q="weather").suggestion is None


def test_get_story_returns_the_record_with_body(index):
    story = search.get_story(index, "s05")
    assert story.title == "The Baker Street Caf\u00e9"
    assert story.fandoms == ("Sherlock Holmes", "Doctor Who")
    assert "Baker Street served tea" in story.body


def test_get_story_unknown_id_is_not_found(index):
    with pytest.raises(NotFoundError):
        search.get_story(index, "nope")


def test_highlight_story_marks_every_match_with_numbered_ids(index):
    story = search.get_story(index, "s01")
    paras = search.highlight_story(index, story, "rain OR weather")
    assert len(paras) == 4
    joined = "".join(paras)
    assert '<mark class="hit" id="m1">rain</mark>' in paras[0]
    assert '<mark class="hit" id="m2">weather</mark>' in paras[1]
    assert "m3" not in joined
    assert "&lt;script&gt;" in paras[3]


def test_highlight_story_without_query_escapes_only(index):
    story = search.get_story(index, "s01")
    paras = search.highlight_story(index, story, "")
    assert "<mark" not in "".join(paras) and "&lt;script&gt;" in paras[3]


def test_missing_index_names_the_command(tmp_path):
    with pytest.raises(IndexMissingError, match="run `searchfic index`"):
        open_index(tmp_path / "none")


def test_other_schema_version_names_the_rebuild(tmp_path):
    import json

    from searchfic.engine import layout

    build_index(tmp_path, load_stories()[:1])
    meta = layout.current_dir(tmp_path) / layout.META
    meta.write_text(json.dumps({"schema_version": 0}))
    with pytest.raises(SchemaVersionError, match="rebuild"):
        open_index(tmp_path)


def test_refresh_follows_a_newly_published_generation(tmp_path):
    stories = load_stories()
    build_index(tmp_path, stories[:2])
    ix = open_index(tmp_path)
    try:
        assert run(ix, q="").total == 2
        assert ix.refresh() is False
        build_index(tmp_path, stories)
        assert ix.refresh() is True
        assert run(ix, q="").total == 7
    finally:
        ix.close()


def test_several_snippets_per_hit_for_matches_far_apart(tmp_path):
    from searchfic.model import Story

    filler = " ".join(["plain"] * 120)
    body = (
        f"Lanterns at dawn. {filler}\n\n{filler} lanterns at dusk. {filler}\n\nLanterns at night."
    )
    story = Story(id="far", source="far.txt", format="text", title="Far", body=body, words=1)
    ix = open_index(build_index(tmp_path, [story]))
    try:
        snippets = run(ix, q="lanterns").results[0].snippets
    finally:
        ix.close()
    assert len(snippets) == 3
    assert all("<mark>" in s for s in snippets)


def test_unquoted_misremembered_quote_falls_back_to_near_matches(index):
    resp = run(index, q="Olivia poured tea for two and waited")
    assert resp.approximate and ids(resp)[:1] == ["s02"]


def test_concurrent_searches_on_one_index_agree(index):
    from concurrent.futures import ThreadPoolExecutor

    queries = ["rain", '"I trust my heart"', "umbrella OR docket", "", "cafe", "wether"]
    expected = {q: (run(index, q=q).total, ids(run(index, q=q))) for q in queries}

    def one(i: int):
        q = queries[i % len(queries)]
        resp = run(index, q=q, sort="relevance")
        return q, (resp.total, ids(resp))

    with ThreadPoolExecutor(max_workers=4) as pool:
        for q, got in pool.map(one, range(48)):
            assert got == expected[q]


def test_relationship_typed_as_a_word_finds_the_pairing(index):
    assert set(ids(run(index, q="Benson/Cabot"))) == {"s01", "s02", "s07"}
    assert str(search.parse_query("Benson/Cabot")) == '"benson cabot" OR pairing:[Benson/Cabot]'


def test_near_quote_needs_the_words_that_matter_not_just_common_ones(index):
    resp = run(index, q='"the zebra had the giraffe"')
    assert resp.total == 0 and not resp.approximate


def test_inflected_query_finds_a_word_that_is_its_own_stem(index):
    # "rain" is its own stem, so it is only in the exact body field; "rains" stems to it.
    assert "s01" in ids(run(index, q="rains"))
    assert "s01" in ids(run(index, q="stopping"))  # "stopped" and "stopping" share a stem


_Q_ALPHABET = list('abcdefghijklmnoprstuvwy "()-*:/&<>') + [
    "script",
    "OR",
    "NOT",
    "\u201c",
    "\u2019",
]


@pytest.mark.parametrize("seed", range(3))
def test_highlight_story_output_is_always_escaped(index, seed):
    import random
    import re as _re

    from searchfic.errors import QueryError

    rng = random.Random(seed)
    story = search.get_story(index, "s01")
    for _ in range(60):
        q = "".join(rng.choice(_Q_ALPHABET) for _ in range(rng.randint(0, 25)))
        try:
            paras = search.highlight_story(index, story, q)
        except QueryError:
            continue
        bare = _re.sub(r'<mark class="hit" id="m\d+">|</mark>', "", "".join(paras))
        assert "<" not in bare and ">" not in bare, q
        marks = _re.findall(r'id="m(\d+)"', "".join(paras))
        assert [int(m) for m in marks] == list(range(1, len(marks) + 1)), q


def test_quoted_single_word_is_exact_not_stemmed(index):
    assert "s01" in ids(run(index, q="runs"))
    assert ids(run(index, q='"runs"')) == []
    assert ids(run(index, q='"running"')) == ["s01"]


def test_near_quote_respects_exclusions(index):
    q = '"I trust my soul, she said, even when it lies to me"'
    assert ids(run(index, q=q))[:1] == ["s01"]
    assert "s01" not in ids(run(index, q=q + " -weather"))


def test_warm_builds_the_generation_caches(tmp_path):
    ix = open_index(build_index(tmp_path, load_stories()))
    try:
        assert "facets" not in ix.cache
        search.warm(ix)
        assert "facets" in ix.cache
        assert run(ix, q="").total == 7
    finally:
        ix.close()


def test_warm_keeps_every_record_and_hits_read_from_it_are_unchanged(tmp_path):
    ix = open_index(build_index(tmp_path, load_stories()))
    try:
        params = [{"q": ""}, {"q": "rain"}, {"q": "", "rating": "Teen And Up Audiences"}]
        before = [[h.to_dict() for h in run(ix, **p).results] for p in params]
        search.warm(ix)
        kept = ix.cache["records"]
        assert sorted(kept) == list(range(7))
        after = [[h.to_dict() for h in run(ix, **p).results] for p in params]
        assert after == before and all(after)
        assert ix.cache["records"] is kept  # nothing missed, nothing cleared
    finally:
        ix.close()


def test_warm_leaves_records_of_a_generation_over_the_limit_to_be_read_when_shown(
    tmp_path, monkeypatch
):
    monkeypatch.setattr(search, "RECORDS_KEPT", 6)
    ix = open_index(build_index(tmp_path, load_stories()))
    try:
        search.warm(ix)
        assert len(ix.cache.get("records", {})) == 0
        shown = run(ix, q="", per_page="2").results
        assert len(shown) == 2 and len(ix.cache["records"]) == 2
    finally:
        ix.close()


def test_near_matches_follow_the_requested_sort(index):
    q = '"three people shared an umbrella in the rain"'
    by_words = run(index, q=q, sort="words")
    assert by_words.approximate
    words = [h.words for h in by_words.results]
    assert words == sorted(words, reverse=True)


def test_a_search_begun_before_refresh_finishes_on_its_own_generation(tmp_path):
    stories = load_stories()
    build_index(tmp_path, stories[:2])
    ix = open_index(tmp_path)
    try:
        with ix.searcher() as old_searcher:
            build_index(tmp_path, stories)
            assert ix.refresh() is True
            from searchfic.engine.facets import facet_cache

            assert facet_cache(ix, old_searcher).docs.size == 2
        assert run(ix, q="").total == 7
    finally:
        ix.close()


def test_near_quote_candidates_that_tie_are_taken_in_story_id_order(tmp_path, monkeypatch):
    # Two stories hold the same near quote; only one candidate is verified. Whichever
    # document number a build gives them, the story with the smaller id is the one found.
    from dataclasses import replace

    base = next(s for s in load_stories() if s.id == "s01")
    twins = [
        replace(base, id="a-first", source="a.txt"),
        replace(base, id="b-second", source="b.txt"),
    ]
    monkeypatch.setattr(search, "APPROX_CANDIDATES", 1)
    found = []
    for n, order in enumerate((twins, twins[::-1])):
        ix = open_index(build_index(tmp_path / f"i{n}", order))
        try:
            resp = run(ix, q='"I trust my soul, she said, even when it lies to me"')
        finally:
            ix.close()
        assert resp.approximate
        found.append(ids(resp))
    assert found == [["a-first"], ["a-first"]]


def test_a_misspelt_quote_of_common_words_is_found_past_the_candidates_verified(
    tmp_path, monkeypatch
):
    # Every story holds every word of the quote, so its rarest words select them all and
    # only APPROX_CANDIDATES are verified, in story id order: the story that holds the
    # quote, last by id, is reached through the run of words it holds as typed.
    from dataclasses import replace

    from searchfic.engine.facets import facet_cache
    from searchfic.model import count_words

    base = load_stories()[0]
    quote = "it was not the time for that and she knew it"
    words = quote.split()
    scattered = " ".join(f"{w} rain and snow" for w in reversed(words))
    stories = [
        replace(base, id=f"a-decoy-{i}", source=f"d{i}.txt", body=f"{scattered} {i}.")
        for i in range(4)
    ]
    gold_body = f"Morning came. {quote.capitalize()}. Then the rain."
    stories.append(replace(base, id="z-holds-it", source="z.txt", body=gold_body))
    stories = [replace(s, words=count_words(s.body)) for s in stories]
    monkeypatch.setattr(search, "APPROX_CANDIDATES", 2)
    ix = open_index(build_index(tmp_path, stories))
    try:
        typed = '"it was not the tiem for that and she knew it"'
        resp = run(ix, q=typed)
        assert resp.approximate and ids(resp)[:1] == ["z-holds-it"]
        with ix.searcher() as s:  # the anchors alone verify the two decoys first by id
            docs = facet_cache(ix, s).docs
            found = search.find_near_quotes(
                s, tuple(typed.strip('"').split()), docs.live, docs.id_rank
            )
            assert found == {}
    finally:
        ix.close()


@pytest.mark.parametrize(
    "params", [{"q": "the"}, {"pairing": "Benson"}, {"q": "", "rating": "Mature"}]
)
def test_every_hit_is_a_whole_search_hit_equal_to_one_built_from_its_story(index, params):
    import dataclasses

    from searchfic.request import SearchHit

    resp = search.run(index, request_from_params(params))
    assert resp.results
    names = {f.name for f in dataclasses.fields(SearchHit)}
    for hit in resp.results:
        assert set(vars(hit)) == names  # from_fields filled every field, nothing else
        story = search.get_story(index, hit.id)
        built = SearchHit(
            id=story.id,
            source=story.source,
            title=story.title,
            authors=tuple(story.authors),
            fandoms=tuple(story.fandoms),
            pairings=tuple(story.pairings),
            rating=story.rating,
            summary=story.summary,
            words=story.words,
            score=hit.score,
            snippets=hit.snippets,
            url=f"/stories/{story.id}",
            characters=tuple(story.characters),
            tags=tuple(story.tags),
            language=story.language,
            complete=story.complete,
            published=story.published,
            updated=story.updated,
            approximate=hit.approximate,
            copies=hit.copies,
        )
        assert hit == built
        assert hit.to_dict() == built.to_dict()
