"""One scan of a story body's words serves both its fingerprint and its analysis."""

from __future__ import annotations

import hashlib
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from searchfic import words
from searchfic.engine import analysis
from searchfic.ingest.normalize import _fingerprint


def reference_fingerprint(body: str) -> str:
    """The fingerprint's definition: the ``[^\\W_]+`` runs of the casefolded body."""
    text = " ".join(re.findall(r"[^\W_]+", body.casefold()))
    return hashlib.blake2b(text.encode("utf-8"), digest_size=16).hexdigest()


@pytest.mark.parametrize(
    "body",
    [
        "",
        "  \n ",
        "Plain ASCII words, with punctuation: don't *stop*!",
        "İstanbul and İİ",  # İ casefolds to i + U+0307, which splits a run
        "a\u0345b and \u0345c",  # U+0345 is a mark that casefolds to a letter
        "Straße STRASSE ﬁne",
        "e\u0301te\u0301 Cafe\u0301",  # marks kept inside analysis words
        "snake_case under_scores",
        "ΣΑΣ ς ǅemal ǈ",
        "x\u0307y",
        "“Curly” — dashes… and\u00a0spaces",
    ],
)
def test_fingerprint_is_the_hash_of_the_casefolded_word_runs(body: str) -> None:
    assert _fingerprint(body) == reference_fingerprint(body)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from("aZ9 _-'.\nİıßﬁΣς\u0301\u0307\u0345\u0363éÉ\u2019😀")))
def test_fingerprint_matches_its_definition_on_any_mix_of_tricky_characters(body: str) -> None:
    assert _fingerprint(body) == reference_fingerprint(body)


def test_fingerprint_of_a_body_too_big_to_remember_matches_its_definition() -> None:
    body = "Word İx " * (words.REMEMBER_CHARS // 8 + 10)
    assert len(body) > words.REMEMBER_CHARS
    assert _fingerprint(body) == reference_fingerprint(body)


def test_body_words_scans_a_body_once_and_a_new_body_again() -> None:
    body = "".join(["One body, ", "two scans?"])
    first = words.body_words(body)
    assert first == ["One", "body", "two", "scans"]
    assert words.body_words(body) is first
    other = "".join(["Another ", "body"])
    assert words.body_words(other) == ["Another", "body"]
    assert analysis.words(body) == first  # the same words a fresh scan finds


def test_body_words_does_not_remember_a_huge_body() -> None:
    body = "w " * (words.REMEMBER_CHARS // 2 + 1)
    assert words.body_words(body) is not words.body_words(body)
