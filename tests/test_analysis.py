"""Analysis: typography, case and accent folding, word tokens, stems."""

from __future__ import annotations

from typing import Any

from searchfic.engine import analysis


def test_curly_and_straight_typography_fold_to_the_same_text():
    assert (
        analysis.fold_typography("\u201cDon\u2019t\u201d \u2014 wait\u2026") == '"Don\'t" - wait...'
    )


def test_asterisk_emphasis_does_not_hide_the_word():
    assert analysis.exact_tokens("she was *really* tired") == ["she", "was", "really", "tired"]


def test_apostrophes_of_any_shape_split_the_same_way():
    assert analysis.exact_tokens("don\u2019t") == analysis.exact_tokens("don't") == ["don", "t"]


def test_hyphenated_word_is_two_tokens_in_order():
    assert analysis.exact_tokens("self-pity") == ["self", "pity"]
    assert analysis.exact_tokens("self\u2011pity") == ["self", "pity"]


def test_case_and_accents_fold_for_matching():
    assert analysis.exact_tokens("Caf\u00e9 \u00c9COLE Stra\u00dfe \u00d8re") == [
        "cafe",
        "ecole",
        "strasse",
        "ore",
    ]


def test_underscores_from_markdown_italics_do_not_stick_to_words():
    assert analysis.exact_tokens("_italics_ **bold**") == ["italics", "bold"]


def test_english_stemming_undoubles_consonants():
    assert analysis.stem_word("running", "english") == analysis.stem_word("runs", "english")


def test_stemming_uses_the_story_language_and_folds_accents_after():
    assert analysis.stem_word("\u00e9tudiants", "french") == analysis.stem_word(
        "\u00e9tudiant", "french"
    )
    assert analysis.stem_word("\u00e9tudiants", "french").isascii()


def test_unknown_language_code_stems_as_english():
    assert analysis.snowball_language("xx") == "english"
    assert analysis.snowball_language(None) == "english"
    assert analysis.snowball_language("de") == "german"
    assert analysis.snowball_language("pt-BR") == "portuguese"


def test_fold_value_ignores_case_accents_spacing_and_typography():
    assert analysis.fold_value("  Les  Mis\u00e9rables ") == analysis.fold_value("les miserables")
    assert analysis.fold_value("Hurt\u2013Comfort") == "hurt-comfort"


def test_non_latin_words_are_tokens():
    assert analysis.exact_tokens("\u041f\u0440\u0438\u0432\u0435\u0442, \u043c\u0438\u0440") == [
        "\u043f\u0440\u0438\u0432\u0435\u0442",
        "\u043c\u0438\u0440",
    ]


def test_fold_and_stem_gives_each_words_fold_and_stem_even_when_its_cache_starts_over(
    monkeypatch: Any,
) -> None:
    text = "The THE the Étudiants étudiants Running runs naïve Ørsted über Über the"
    raw = analysis.words(text)
    expected = (
        [analysis.fold_word(w) for w in raw],
        [analysis.stem_word(w, "french") for w in raw],
    )
    assert analysis.fold_and_stem(raw, "french") == expected
    monkeypatch.setattr(analysis, "FOLD_STEM_CACHE", 3)
    assert analysis.fold_and_stem(raw, "french") == expected
    assert analysis.fold_and_stem(raw[::-1], "french") == tuple(x[::-1] for x in expected)


#: Words whose stems differ from their folds, accents, case, a number and repeats.
MIXED_FRENCH = "The running Étudiants étudiants runs naïve Ørsted über Running the 1999 étudiants"


def test_changed_stems_are_the_stems_that_differ_from_their_words_fold_in_word_order(
    monkeypatch: Any,
) -> None:
    raw = analysis.words(MIXED_FRENCH)
    folds, stems = analysis.fold_and_stem(raw, "french")
    expected = (folds, [st for ex, st in zip(folds, stems, strict=True) if st != ex])
    assert expected[1]  # the text has words whose stem is not their fold
    assert analysis.fold_and_changed_stems(raw, "french") == expected
    monkeypatch.setattr(analysis, "FOLD_STEM_CACHE", 3)
    assert analysis.fold_and_changed_stems(raw, "french") == expected
    assert analysis.fold_and_stem(raw, "french") == (folds, stems)


def test_word_forms_stand_for_the_fold_and_changed_stem_streams_whatever_words_are_asked(
    monkeypatch: Any,
) -> None:
    raw = analysis.words(MIXED_FRENCH)
    folds, changed = analysis.fold_and_changed_stems(raw, "french")
    as_folds = analysis.WordForms(raw, "french", stems=False)
    as_stems = analysis.WordForms(raw, "french", stems=True)
    assert as_folds.tokens() == folds
    assert as_stems.tokens() == changed
    monkeypatch.setattr(analysis, "FOLD_STEM_CACHE", 3)  # the cache starts over between asks
    some = raw[3:6]
    assert as_stems.forms(some) == [
        st if st != ex else ""
        for ex, st in zip(*analysis.fold_and_stem(some, "french"), strict=True)
    ]
    assert as_folds.forms(some) == analysis.fold_and_stem(some, "french")[0]


def test_word_pattern_matches_what_a_choice_per_character_matches() -> None:
    import re

    plain = re.compile(r"[^\W_](?:[^\W_]|[\u0300-\u036f])*")
    text = (
        "e\u0301te\u0301 \u0301lone mark_under*score* don\u2019t a\u0308\u0301b\u0327c "
        "\u0300\u0301 x\u0300 9\u0300 \u4e2d\u6587 \u0627\u0644 \u03b1\u0301\u03b2"
    )
    assert analysis.WORD_RE.findall(text) == plain.findall(text)
    assert [m.span() for m in analysis.iter_words(text)] == [m.span() for m in plain.finditer(text)]


def test_a_word_of_the_previous_cache_generation_is_carried_over_not_stemmed_again(
    monkeypatch: Any,
) -> None:
    common = analysis.words("running cats")
    batches = [common + analysis.words(b) for b in ("jumped over", "lazy dogs", "ran far")]
    expected = [
        ([analysis.fold_word(w) for w in ws], [analysis.stem_word(w, "english") for w in ws])
        for ws in batches
    ]
    calls: list[str] = []
    stem_lower = analysis._stem_lower

    def counting(lower: str, language: str) -> str:
        calls.append(lower)
        return stem_lower(lower, language)

    monkeypatch.setattr(analysis, "_stem_lower", counting)
    monkeypatch.setattr(analysis, "_FOLD_STEM", {})
    monkeypatch.setattr(analysis, "_FOLD_STEM_OLD", {})
    monkeypatch.setattr(analysis, "FOLD_STEM_CACHE", 5)  # a new generation every batch
    for words, want in zip(batches, expected, strict=True):
        assert analysis.fold_and_stem(words, "english") == want
    # a new generation began with each batch; "running" and "cats" were stemmed once
    assert sorted(calls) == sorted(
        w.casefold() for w in analysis.words("running cats jumped over lazy dogs ran far")
    )
