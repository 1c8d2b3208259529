"""The query language: parsing, repairs, and that no text makes anything but QueryError."""

from __future__ import annotations

import pytest
from engine_support import build_index, load_stories
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from searchfic.engine import search
from searchfic.engine.query import And, Not, Or, Phrase, Prefix, Range, Word, parse_query
from searchfic.engine.store import open_index
from searchfic.errors import QueryError
from searchfic.request import SearchRequest


def test_words_are_anded():
    root = parse_query("olivia benson").root
    assert isinstance(root, And)
    assert [str(c) for c in root.children] == ["olivia", "benson"]


def test_quoted_text_is_a_phrase_with_curly_quotes_too():
    for q in ['"I trust my heart"', "\u201cI trust my heart\u201d"]:
        root = parse_query(q).root
        assert isinstance(root, Phrase)
        assert root.tokens == ("i", "trust", "my", "heart")


def test_typographic_quotes_inside_a_straight_quoted_phrase_are_part_of_it():
    root = parse_query('"Oh yes,\u201c said Will, \u201dand migrations of races"').root
    assert isinstance(root, Phrase)
    assert root.tokens == ("oh", "yes", "said", "will", "and", "migrations", "of", "races")
    root = parse_query('"fehlt dir?\u00ab jammerte sie. \u00bbSags"').root
    assert isinstance(root, Phrase) and root.tokens[-1] == "sags"


def test_typographic_quotes_still_delimit_phrases_outside_straight_quotes():
    root = parse_query("\u201clamp\u201d \u201cold kettle\u201d").root
    assert isinstance(root, And)
    assert all(isinstance(c, Phrase) for c in root.children)
    root = parse_query('\u201clamp light\u201d "old kettle"').root
    assert isinstance(root, And) and [str(c) for c in root.children] == [
        '"lamp light"',
        '"old kettle"',
    ]


def test_or_and_not_are_operators_only_in_capitals():
    assert isinstance(parse_query("cats OR dogs").root, Or)
    root = parse_query("cats or dogs").root
    assert isinstance(root, And) and len(root.children) == 3
    assert isinstance(parse_query("NOT angst").root, Not)
    assert str(parse_query("not angst")) == "not AND angst"


def test_minus_excludes_only_at_the_start_of_a_word():
    root = parse_query("fluff -angst").root
    assert isinstance(root, And) and isinstance(root.children[1], Not)
    hyphenated = parse_query("self-pity").root
    assert isinstance(hyphenated, Phrase) and hyphenated.tokens == ("self", "pity")


def test_parentheses_group_and_unbalanced_ones_are_repaired():
    root = parse_query("(cats OR dogs) rain").root
    assert isinstance(root, And) and isinstance(root.children[0], Or)
    assert str(parse_query("(cats OR dogs")) == "cats OR dogs"
    assert str(parse_query("cats) dogs")) == "cats AND dogs"


def test_unbalanced_quote_runs_to_the_end():
    root = parse_query('rain "I trust my').root
    assert isinstance(root, And) and isinstance(root.children[1], Phrase)


def test_whitelisted_field_applies_and_unknown_field_is_text():
    assert str(parse_query("title:evenings")) == "title:evenings"
    assert str(parse_query("Author:Lantern")) == "author:lantern"
    unknown = parse_query("colour:blue").root
    assert isinstance(unknown, Phrase) and unknown.field is None
    assert unknown.tokens == ("colour", "blue")


def test_field_applies_to_a_parenthesised_group_and_a_phrase():
    assert str(parse_query("title:(long night)")) == "title:long AND title:night"
    assert str(parse_query('summary:"blue box"')) == 'summary:"blue box"'


def test_words_range_in_query():
    root = parse_query("words:>5000").root
    assert isinstance(root, Range)
    assert root.range.low == 5000 and not root.range.low_inclusive
    assert str(parse_query("words:1,000-2,000")) == "words:1000-2000"


def test_bad_range_is_searched_as_text():
    assert isinstance(parse_query("words:lots").root, Phrase)


def test_trailing_star_is_a_bounded_prefix():
    assert isinstance(parse_query("trav*").root, Prefix)
    assert isinstance(parse_query("*really*").root, Word)


def test_pairing_field_with_separator_matches_like_the_filter():
    assert str(parse_query("pairing:Benson/Cabot")) == "pairing:[Benson/Cabot]"


def test_punctuation_only_query_is_empty():
    assert parse_query("!!! ... ---").empty


def test_too_long_query_is_a_bad_query():
    with pytest.raises(QueryError) as err:
        parse_query("a" * 1001)
    assert err.value.code == "bad_query"


def test_deep_parentheses_and_negations_do_not_overflow():
    q = "(" * 400 + "rain" + ")" * 400
    assert str(parse_query(q)) == "rain"
    assert str(parse_query("NOT " * 200 + "rain")) == "rain"


@pytest.fixture(scope="module")
def index(tmp_path_factory):
    path = build_index(tmp_path_factory.mktemp("qidx"), load_stories())
    ix = open_index(path)
    yield ix
    ix.close()


_ALPHABET = st.sampled_from(
    list('abc xyz"()-*:/&~?!\\^[]{}+')
    + ["AND", "OR", "NOT", "title:", "words:", "pairing:", "\u201c", "\u2019", "\x00", "\u00e9"]
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_ALPHABET, max_size=40).map("".join))
def test_no_query_text_raises_anything_but_query_error(index, text):
    try:
        search.run(index, SearchRequest(q=text, per_page=5))
    except QueryError as exc:
        assert exc.code == "bad_query"


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=120))
def test_any_unicode_parses_or_raises_query_error(text):
    try:
        parsed = parse_query(text)
        str(parsed)
    except QueryError:
        pass


@pytest.mark.parametrize(
    "text", ['"the running dogs"', '"Harry ran"', 'title:"the silent towers"', '"zzq the"']
)
def test_phrase_terms_given_up_at_a_missing_word_are_those_that_could_match(text: str) -> None:
    from searchfic.engine.query import QueryContext, phrase_terms

    node = parse_query(text).root
    assert isinstance(node, Phrase)
    ctx = QueryContext(reader=None, languages=("english", "german", "french"))
    present_words = {"the", "run", "dog", "harri", "ran", "silent", "tower"}
    asked: list[tuple[str, str]] = []

    def present(field: str, word: str) -> bool:
        asked.append((field, word))
        return field == "body" or word in present_words

    every = phrase_terms(node, ctx)
    kept = phrase_terms(node, ctx, present)
    assert kept == [
        (f, seq) for f, seq in every if f not in ("title", "summary") or set(seq) <= present_words
    ]
    if text.startswith('"zzq'):
        # the first word settles each language's sequence: nothing after it is asked
        assert {w for _f, w in asked} == {"zzq"}
