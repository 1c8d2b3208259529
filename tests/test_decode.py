"""Decoding: every encoding sample decodes to the reference text; byte-level traps are handled."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from searchfic.ingest.decode import decode_bytes, normalise_text

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
ENCODINGS = SHARED / "samples" / "encodings"


def _encoding_samples() -> list[Path]:
    if not ENCODINGS.is_dir():
        return []
    return sorted(p for p in ENCODINGS.glob("*.txt") if "__" in p.name)


def _reference(path: Path) -> str:
    return (ENCODINGS / (path.name.split("__")[0] + "__utf8_LF.txt")).read_text("utf-8")


@pytest.mark.skipif(
    not ENCODINGS.is_dir(), reason="../shared/samples/encodings (beside the checkout) is absent"
)
@pytest.mark.parametrize(
    "path",
    [p for p in _encoding_samples() if "hardwrapped" not in p.name],
    ids=lambda p: p.name,
)
def test_encoding_sample_decodes_to_reference_text(path: Path) -> None:
    decoded = decode_bytes(path.read_bytes())
    reference = _reference(path)
    if "latin1" in path.name:
        # Characters outside latin-1 were saved as "?": everything else must match.
        assert len(decoded.text) == len(reference)
        assert all(a == b or a == "?" for a, b in zip(decoded.text, reference, strict=True))
    else:
        assert decoded.text == reference


@pytest.mark.skipif(
    not ENCODINGS.is_dir(), reason="../shared/samples/encodings (beside the checkout) is absent"
)
def test_encoding_samples_report_the_encoding_used() -> None:
    names = {
        p.name.split("__")[1]: decode_bytes(p.read_bytes()).encoding
        for p in _encoding_samples()
        if p.name.startswith("en_")
    }
    assert names["utf8-BOM_CRLF.txt"] == "utf-8-sig"
    assert names["cp1252_CRLF.txt"] == "cp1252"
    assert names["mojibake_twice.txt"].endswith("mojibake-repaired-x2")
    assert names["mojibake_utf8-read-as-cp1252-resaved-utf8.txt"].endswith("repaired-x1")


def test_bom_is_stripped_so_first_label_reads_clean() -> None:
    data = codecs.BOM_UTF8 + "TITLE: Été\r\n".encode()
    assert decode_bytes(data).text == "TITLE: Été\n"


def test_utf16_with_and_without_bom() -> None:
    text = "Title: Привет\nThe quick brown fox jumps over the lazy dog.\n"
    assert decode_bytes(text.encode("utf-16")).text == text
    assert decode_bytes(text.encode("utf-16-le")).text == text
    assert decode_bytes(text.encode("utf-16-be")).text == text


@pytest.mark.parametrize("codec", ["koi8_r", "cp1251", "shift_jis", "euc_jp"])
def test_non_western_files_are_detected(codec: str) -> None:
    if codec in ("shift_jis", "euc_jp"):
        text = "タイトル：テスト\n作者：山田\n彼女は静かに窓の外を見ていた。雨が降り続けていた。彼は何も言わなかった。\n"
    else:
        text = (
            "Название: Тестовая история\nАвтор: Иван Петров\nОна посмотрела на него и "
            "улыбнулась. Это было давно, в другой жизни, когда всё было просто.\n"
        )
    assert decode_bytes(text.encode(codec)).text == text


def test_cp1252_declared_as_utf8_is_read_as_cp1252() -> None:
    data = b"He said \x93hello\x94 \x96 and left\x85"
    decoded = decode_bytes(data, declared="utf-8")
    assert decoded.text == "He said “hello” – and left…"
    assert decoded.encoding == "cp1252"


def test_utf8_declared_as_latin1_is_read_as_utf8() -> None:
    decoded = decode_bytes("Mädchen café".encode(), declared="ISO-8859-1")
    assert decoded.text == "Mädchen café"


def test_declared_charset_is_used_when_bytes_agree() -> None:
    data = "Привет, мир".encode("koi8_r")
    assert decode_bytes(data, declared="koi8-r").text == "Привет, мир"


def test_cp1252_ellipsis_does_not_become_a_line_break() -> None:
    # 0x85 is "…" in cp1252 but NEL in latin-1; reading it as NEL splits lines mid-sentence.
    assert decode_bytes(b"Wait\x85 what?\r\n").text == "Wait… what?\n"


def test_nul_bytes_are_removed() -> None:
    assert decode_bytes(b"Ti\x00tle: X\x00\n").text == "Title: X\n"


@pytest.mark.parametrize("sep", ["\r\n", "\r", "\u0085", "\u2028"])
def test_line_ends_are_normalised(sep: str) -> None:
    assert decode_bytes(f"one{sep}two{sep}".encode()).text == "one\ntwo\n"


def test_text_is_nfc() -> None:
    assert decode_bytes("Cafe\u0301".encode()).text == "Café"


def test_mojibake_with_replacement_character_is_repaired() -> None:
    # ” = E2 80 9D; 0x9D has no cp1252 character, so it became U+FFFD when damaged.
    damaged = "â€œQuoted,â€\ufffd she said."
    assert decode_bytes(damaged.encode()).text == "“Quoted,” she said."


def test_legitimate_latin_text_is_not_mistaken_for_mojibake() -> None:
    text = "»Das Schloß« sagte Ärger. Â la carte? Ça va, Ã©tienne"
    decoded = decode_bytes("»Das Schloß« sagte Ärger.".encode())
    assert decoded.text == "»Das Schloß« sagte Ärger."
    assert "Schloß«" in decode_bytes(text.encode()).text


def test_mixed_text_repairs_only_damaged_sequences() -> None:
    # An emoji cannot be cp1252-encoded, so the whole-text repair fails; the local one works.
    damaged = "It\u00e2\u20ac\u2122s fine \U0001f600 caf\u00c3\u00a9"
    assert decode_bytes(damaged.encode()).text == "It’s fine \U0001f600 café"


def test_normalise_text_cleans_a_str() -> None:
    assert normalise_text("a\x00b\r\nCafe\u0301 \u00e2\u20ac\u201c c") == "ab\nCafé – c"


def test_empty_and_ascii_input() -> None:
    assert decode_bytes(b"").text == ""
    assert decode_bytes(b"plain").encoding == "ascii"


def test_iso2022_jp_is_not_mistaken_for_ascii() -> None:
    text = "彼女は静かに窓の外を見ていた。雨が降り続けていた。"
    assert decode_bytes(text.encode("iso2022_jp")).text == text


@pytest.mark.parametrize("codec", ["shift_jis", "euc_jp", "gb18030", "euc_kr"])
def test_long_cjk_files_are_detected_from_a_sample(codec: str) -> None:
    # Longer than the detection sample, so the sample must not end mid-character.
    line = {
        "shift_jis": "彼女は静かに窓の外を見ていた。タイトル：テスト\n",
        "euc_jp": "彼女は静かに窓の外を見ていた。タイトル：テスト\n",
        "gb18030": "她静静地看着窗外。雨一直在下。他什么也没说。\n",
        "euc_kr": "그녀는 조용히 창밖을 바라보고 있었다. 비가 계속 내리고 있었다.\n",
    }[codec]
    text = line * 4000
    assert decode_bytes(text.encode(codec)).text == text


def test_stray_control_byte_does_not_defeat_detection() -> None:
    text = (
        "Название: Тестовая история\nОна посмотрела на него и улыбнулась. Это было давно, "
        "в другой жизни, когда всё было просто.\n"
    )
    assert decode_bytes(b"\x01" + text.encode("cp1251")).text == "\x01" + text


def _mojibake(text: str) -> bytes:
    return text.encode("utf-8").decode("cp1252", errors="replace").encode("utf-8")


def test_lost_second_byte_is_chosen_from_the_rest_of_the_text() -> None:
    # Í = C3 8D and Á = C3 81: 0x8D and 0x81 became U+FFFD, so the byte must be guessed.
    text = "CAPÍTULO PRIMERO\n\nEl capítulo empieza en Ávila, cerca de la muralla de Ávila.\n"
    assert decode_bytes(_mojibake(text)).text == text


def test_lost_hyphen_and_closing_quote_are_told_apart() -> None:
    # ‐ (E2 80 90) and ” (E2 80 9D) both end in an undefined cp1252 byte.
    text = "A tête‐à‐tête, and “so it goes” she said.\n"
    assert decode_bytes(_mojibake(text)).text == text


def test_double_mojibake_of_a_character_ending_in_0x94() -> None:
    text = "Ôte-toi de là, dit-il, et « va-t’en ».\n"
    once = _mojibake(text)
    twice = once.decode("utf-8").encode("utf-8").decode("cp1252", errors="replace").encode()
    assert decode_bytes(twice).text == text


def test_repair_stops_when_the_text_is_clean() -> None:
    # "í…»" reads like a three-byte sequence, but it is what the author wrote.
    text = "«Quiero verme así…» Y ahora se fue.\n"
    assert decode_bytes(_mojibake(text)).text == text
    assert decode_bytes(text.encode("utf-8")).text == text
