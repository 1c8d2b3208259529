"""Pairing keys and matching: order-free, kinds apart, name parts, variants grouped."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from searchfic.pairing import group_variants, matches, member_tokens, parse_pairing


def p(text):
    parsed = parse_pairing(text)
    assert parsed is not None
    return parsed


def test_reversed_pairing_has_the_same_key():
    assert p("Olivia Benson/Alex Cabot").key == p("Alex Cabot/Olivia Benson").key


def test_spacing_and_case_do_not_change_the_key():
    assert p("alex cabot / OLIVIA BENSON").key == p("Alex Cabot/Olivia Benson").key


def test_romantic_and_platonic_keys_differ():
    assert p("Alex Cabot & Olivia Benson").key != p("Alex Cabot/Olivia Benson").key


def test_x_between_names_is_a_romantic_separator_but_not_inside_alex():
    assert p("Syme x Gregory").key == p("Gregory/Syme").key
    assert p("Alex").kind == ""


def test_surname_filter_matches_full_names():
    assert matches(p("Benson/Cabot"), p("Alex Cabot/Olivia Benson"))


def test_first_name_filter_matches_full_names_in_any_order():
    assert matches(p("Olivia/Alex"), p("Alex Cabot/Olivia Benson"))


def test_pair_filter_never_matches_a_threesome():
    assert not matches(p("Benson/Cabot"), p("Alex Cabot/Olivia Benson/Casey Novak"))


def test_romantic_filter_does_not_match_platonic_relationship():
    assert not matches(p("Benson/Cabot"), p("Alex Cabot & Olivia Benson"))
    assert matches(p("Benson & Cabot"), p("Alex Cabot & Olivia Benson"))


def test_wrong_member_does_not_match():
    assert not matches(p("Benson/Novak"), p("Alex Cabot/Olivia Benson"))


def test_lone_name_matches_any_relationship_with_that_member():
    assert matches(p("Cabot"), p("Alex Cabot/Olivia Benson/Casey Novak"))


def test_disambiguator_in_parentheses_is_ignored_for_matching():
    assert matches(
        p("Heathcliff/Catherine"), p("Catherine Earnshaw/Heathcliff (Wuthering Heights)")
    )


def test_short_variants_join_the_one_full_relationship():
    full = p("Alex Cabot/Olivia Benson")
    groups = group_variants([full, p("Benson/Cabot"), p("Olivia/Alex"), p("Cabot/Benson")])
    assert set(groups.values()) == {full.key}


def test_ambiguous_short_variant_stays_on_its_own():
    a = p("Olivia Benson/Alex Cabot")
    b = p("Olivia Benson/Alex Novak")
    short = p("Olivia/Alex")
    groups = group_variants([a, b, short])
    assert groups[short.key] == short.key
    assert groups[a.key] == a.key and groups[b.key] == b.key


def test_threesome_is_not_merged_into_a_pair():
    pair = p("Alex Cabot/Olivia Benson")
    trio = p("Alex Cabot/Olivia Benson/Casey Novak")
    groups = group_variants([pair, trio])
    assert groups[trio.key] == trio.key


def test_display_keeps_written_members_and_tidies_separators():
    assert str(p("Alex Cabot / Olivia Benson")) == "Alex Cabot/Olivia Benson"
    assert str(p("Alex Cabot&Olivia Benson")) == "Alex Cabot & Olivia Benson"


def _member_tokens_unicode_only(name):
    """member_tokens as it was before its ASCII shortcut: the oracle."""
    import unicodedata

    from searchfic.pairing import _PAREN, _WORD

    def fold(text):
        text = unicodedata.normalize("NFKD", text.casefold())
        return "".join(c for c in text if not unicodedata.combining(c))

    bare = _PAREN.sub(" ", name)
    tokens = tuple(_WORD.findall(fold(bare)))
    return tokens or tuple(_WORD.findall(fold(name)))


NAME_CHARS = "abcXYZ019 _-.'()[]/&\t\u00e9\u00df\u0301\u00a0"


@given(st.text(alphabet=NAME_CHARS, max_size=30) | st.text(max_size=20))
@settings(max_examples=400, deadline=None)
def test_member_tokens_of_any_text_equal_the_unicode_scan(name):
    assert member_tokens(name) == _member_tokens_unicode_only(name)


def test_member_tokens_of_ascii_names_with_disambiguators_equal_the_unicode_scan():
    for name in ["Alex Cabot", "Kara (Supergirl)", "[Lena] Luthor", "(Original)", "O'Neil-Smith"]:
        assert member_tokens(name) == _member_tokens_unicode_only(name)
