"""strip_marks drops exactly the characters unicodedata calls combining."""

from __future__ import annotations

import random
import unicodedata

from searchfic.textfold import strip_marks


def _by_loop(text: str) -> str:
    return "".join(c for c in text if not unicodedata.combining(c))


def test_every_basic_plane_character_is_kept_or_dropped_as_unicodedata_says():
    chars = "".join(chr(c) for c in range(0x10000) if not 0xD800 <= c < 0xE000)
    assert strip_marks(chars) == _by_loop(chars)
    assert len(strip_marks(chars)) < len(chars)  # some were marks


def test_decomposed_names_lose_their_accents_and_keep_their_letters():
    for raw, want in [
        ("Andrés", "Andres"),
        ("Céran", "Ceran"),
        ("Häsli", "Hasli"),
        ("Łukasz", "Łukasz"),
        ("Ἀχιλλεύς", "Αχιλλευς"),
        ("plain", "plain"),
    ]:
        assert strip_marks(unicodedata.normalize("NFKD", raw)) == want


def test_mixed_random_text_folds_like_the_character_loop_again_and_again():
    rng = random.Random(4)
    pool = [chr(c) for c in (*range(0x20, 0x250), *range(0x300, 0x370), *range(0x1F00, 0x1F20))]
    pool += ["\U0001d165", "\U0001f600", "\u0951"]  # astral marks and symbols, a Devanagari mark
    for _ in range(300):
        text = unicodedata.normalize("NFKD", "".join(rng.choices(pool, k=rng.randint(0, 40))))
        assert strip_marks(text) == _by_loop(text)


def test_the_table_stops_learning_at_its_bound_and_still_strips_every_mark(monkeypatch):
    from searchfic import textfold

    table = textfold._MarkTable()
    monkeypatch.setattr(textfold, "_MARKS", table)
    monkeypatch.setattr(textfold, "MAX_LEARNED", 10)
    text = "".join(chr(c) for c in (*range(0x300, 0x340), *range(0xE0, 0x120)))
    for _ in range(2):
        assert strip_marks(text) == _by_loop(text)
        assert len(table) == 10
