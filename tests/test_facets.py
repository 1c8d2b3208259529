"""Filters, exclusions and facets: whole values, aliases, ratings, pairings, counts."""

from __future__ import annotations

import pytest
from engine_support import build_index, load_stories

from searchfic.engine import search
from searchfic.engine.store import open_index
from searchfic.request import FACETS, request_from_params


@pytest.fixture(scope="module")
def index(tmp_path_factory):
    # meta.json's shape, as the indexer writes it: canonical -> [variants].
    aliases = {
        "fandom": {"Law & Order: SVU": ["SVU", "L&O: SVU"]},
        "character": {"Olivia Benson": ["Liv"]},
        "pairing": {"Alex Cabot/Olivia Benson": ["Cabenson"]},
    }
    path = build_index(tmp_path_factory.mktemp("fidx"), load_stories(), aliases=aliases)
    ix = open_index(path)
    yield ix
    ix.close()


def run(index, **params):
    return search.run(index, request_from_params(params))


def ids(resp):
    return sorted(h.id for h in resp.results)


def facet(resp, name):
    return {f.value: f.count for f in resp.facets[name]}


def test_every_facet_is_present(index):
    assert set(run(index, q="").facets) == set(FACETS)


def test_crossover_story_counts_in_both_fandom_facets(index):
    fandoms = facet(run(index, q=""), "fandom")
    assert fandoms["Doctor Who"] == 1
    assert fandoms["Sherlock Holmes"] == 2


def test_case_variants_of_a_fandom_are_one_facet_value(index):
    fandoms = facet(run(index, q=""), "fandom")
    assert fandoms["Law & Order: SVU"] == 4
    assert "law & order: svu" not in fandoms


def test_facet_counts_cover_the_whole_result_not_the_page(index):
    resp = run(index, q="", per_page=1)
    assert len(resp.results) == 1
    assert sum(facet(resp, "rating").values()) == 7


def test_facets_are_ordered_by_count_then_value(index):
    values = run(index, q="").facets["author"]
    counts = [(-f.count, f.value) for f in values]
    assert counts == sorted(counts)
    assert values[0].value == "Lantern" and values[0].count == 3


def test_every_facet_value_passed_back_selects_exactly_its_count(index):
    resp = run(index, q="")
    for name in FACETS:
        for fv in resp.facets[name]:
            picked = run(index, q="", **{name: fv.value})
            assert picked.total == fv.count, (name, fv.value)


def test_filter_matches_whole_values_case_and_accent_insensitively(index):
    assert ids(run(index, q="", fandom="LES MISERABLES")) == ["s06"]
    assert ids(run(index, q="", fandom="Sherlock")) == []
    assert ids(run(index, q="", author="zoe ashdown")) == ["s04"]


def test_filter_values_of_one_name_are_anded(index):
    assert ids(run(index, q="", fandom=["Sherlock Holmes", "Doctor Who"])) == ["s05"]


def test_exclusions_are_ored(index):
    resp = run(index, q="", exclude_fandom=["Sherlock Holmes", "Les Mis\u00e9rables"])
    assert ids(resp) == ["s01", "s02", "s03", "s04"]


def test_alias_from_meta_selects_the_canonical_fandom(index):
    assert run(index, q="", fandom="SVU").total == 4
    assert ids(run(index, q="", character="Liv")) == ["s01", "s02"]


def test_rating_accepts_original_notations(index):
    assert ids(run(index, q="", rating="PG-13")) == ["s01", "s06"]
    assert ids(run(index, q="", rating="nc17")) == ["s03"]
    assert ids(run(index, q="", rating="explicit")) == ["s03"]
    assert run(index, q="", rating="Tweenie").total == 0


def test_language_accepts_code_and_name(index):
    assert ids(run(index, q="", language="fr")) == ["s06"]
    assert ids(run(index, q="", language="German")) == ["s07"]


def test_unknown_filter_value_matches_nothing(index):
    assert run(index, q="", tag="No Such Tag").total == 0


def test_complete_and_incomplete(index):
    assert ids(run(index, q="", complete="false")) == ["s02"]
    assert len(run(index, q="", complete="true").results) == 4


def test_words_range_filter_strict_and_inclusive(index):
    all_words = sorted(h.words for h in run(index, q="").results)
    n = all_words[2]
    assert all(h.words > n for h in run(index, q="", words=f">{n}").results)
    assert all(h.words < n for h in run(index, q="", words=f"<{n}").results)
    assert all(h.words == n for h in run(index, q="", words=str(n)).results)
    assert run(index, q="", words=f"{n}-{n}").total == run(index, q="", words=str(n)).total


def test_reversed_pairing_finds_story(index):
    assert ids(run(index, q="", pairing="Olivia Benson/Alex Cabot")) == ["s01", "s02", "s07"]


def test_surname_and_first_name_pairing_filters(index):
    assert ids(run(index, q="", pairing="Benson/Cabot")) == ["s01", "s02", "s07"]
    assert ids(run(index, q="", pairing="Olivia/Alex")) == ["s01", "s02", "s07"]


def test_pairing_filter_tells_romantic_from_platonic(index):
    assert ids(run(index, q="", pairing="Benson & Cabot")) == ["s04"]


def test_pairing_filter_never_selects_the_threesome(index):
    assert "s03" not in ids(run(index, q="", pairing="Cabot/Benson"))
    assert ids(run(index, q="", pairing="Novak/Benson/Cabot")) == ["s03"]


def test_pairing_variants_are_one_facet_value_under_the_full_spelling(index):
    pairings = facet(run(index, q=""), "pairing")
    assert pairings["Alex Cabot/Olivia Benson"] == 3
    assert "Benson/Cabot" not in pairings and "Olivia/Alex" not in pairings
    assert pairings["Alex Cabot & Olivia Benson"] == 1


def test_exclude_pairing_removes_every_variant(index):
    resp = run(index, q="", exclude_pairing="Benson/Cabot")
    assert not {"s01", "s02", "s07"} & set(ids(resp))


def test_filters_combine_with_a_query(index):
    resp = run(index, q="rain", fandom="Law & Order: SVU", exclude_rating="Explicit")
    assert ids(resp) == ["s01"]
    assert facet(resp, "fandom") == {"Law & Order: SVU": 1}


def test_pairing_alias_name_selects_the_relationship(index):
    assert ids(run(index, q="", pairing="Cabenson")) == ["s01", "s02", "s07"]


def test_variant_to_canonical_alias_mapping_is_read_too():
    from searchfic.engine.facets import _aliases

    table = _aliases({"aliases": {"fandom": {"svu": "Law & Order: SVU"}}}, "fandom")
    assert table["svu"] == "Law & Order: SVU"
    assert table["law & order: svu"] == "Law & Order: SVU"


def test_facet_lists_the_top_fifty_by_count_then_value(tmp_path):
    from searchfic.model import Story

    stories = [
        Story(
            id=f"t{i:02d}",
            source=f"t{i:02d}.txt",
            format="text",
            title=f"T{i}",
            tags=(f"tag{i:02d}", "common") if i < 10 else (f"tag{i:02d}",),
            body="words here",
            words=2,
        )
        for i in range(60)
    ]
    ix = open_index(build_index(tmp_path, stories))
    try:
        tags = run(ix, q="").facets["tag"]
    finally:
        ix.close()
    assert len(tags) == 50
    assert (tags[0].value, tags[0].count) == ("common", 10)
    assert [t.value for t in tags[1:4]] == ["tag00", "tag01", "tag02"]
