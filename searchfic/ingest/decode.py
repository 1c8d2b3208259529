"""Bytes to clean text: BOM, declared charset, UTF-8 / cp1252 / detection, mojibake repair.

The order follows docs/formats.md §7. A declaration is a hint, never a fact: a file that
claims UTF-8 but is not, or claims latin-1 but is valid UTF-8, is decoded as what it is.
"""

from __future__ import annotations

import codecs
import contextlib
import re
import unicodedata
from dataclasses import dataclass


@dataclass(frozen=True)
class Decoded:
    """Decoded text (NUL-free, NFC, ``\\n`` line ends) and the encoding that produced it."""

    text: str
    encoding: str


_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

# cp1252 leaves these five bytes undefined; Python's codec refuses them, so they fall back
# to their latin-1 meaning (C1 controls), as browsers do.
_CP1252_UNDEFINED = (0x81, 0x8D, 0x8F, 0x90, 0x9D)
_CP1252_DECODE = "".join(
    chr(b) if b in _CP1252_UNDEFINED else bytes([b]).decode("cp1252") for b in range(256)
)
_CP1252_ENCODE: dict[str, int] = {ch: b for b, ch in enumerate(_CP1252_DECODE)}
# U+FFFD in mojibake most often stands for 0x9D (the last byte of ” = E2 80 9D).
_CP1252_ENCODE["\ufffd"] = 0x9D

_LATIN_ALIASES = {
    "latin-1",
    "latin1",
    "iso-8859-1",
    "iso8859-1",
    "ascii",
    "us-ascii",
    "cp1252",
    "windows-1252",
    "iso-8859-15",
    "iso8859-15",
}

# What a UTF-8 lead / continuation byte looks like once it has been decoded as cp1252.
_CONT = "".join(re.escape(_CP1252_DECODE[b]) for b in range(0x80, 0xC0)) + "\ufffd"
_LEAD2 = "".join(re.escape(_CP1252_DECODE[b]) for b in range(0xC2, 0xE0))
_LEAD3 = "".join(re.escape(_CP1252_DECODE[b]) for b in range(0xE0, 0xF0))
_LEAD4 = "".join(re.escape(_CP1252_DECODE[b]) for b in range(0xF0, 0xF5))
# Mojibake as it shows: UTF-8 lead bytes of the scripts fan fiction is written in, read as
# cp1252 ("Ã©" é, "â€™" ’, "Ð¿" п, "ðŸ˜€" an emoji), followed by continuation bytes. Other
# leads ("í…" is legitimate Spanish) are left alone: counting them let repairs run too far.
_MOJIBAKE = re.compile(
    f"[\u00c2\u00c3\u00c5\u00ce\u00cf\u00d0\u00d1][{_CONT}]|\u00e2[{_CONT}]{{2}}|"
    f"\u00f0[{_CONT}]{{3}}"
)

_LINE_ENDS = re.compile("\r\n|\r|\u0085|\u2028")


def decode_bytes(data: bytes, declared: str | None = None) -> Decoded:
    """Decode a file's bytes to clean text, trusting the bytes over any declaration."""
    text, encoding = _decode(data, declared)
    text, repairs = _repair_mojibake(text)
    if repairs:
        encoding = f"{encoding}+mojibake-repaired-x{repairs}"
    return Decoded(_finish(text), encoding)


def normalise_text(text: str) -> str:
    """Clean text that is already a str: NULs, line ends, mojibake, NFC."""
    text, _ = _repair_mojibake(text.replace("\x00", ""))
    return _finish(text)


def _finish(text: str) -> str:
    text = text.replace("\x00", "")
    text = _LINE_ENDS.sub("\n", text).replace("\u2029", "\n\n")
    return unicodedata.normalize("NFC", text)


def _decode(data: bytes, declared: str | None) -> tuple[str, str]:
    for bom, name in _BOMS:
        if data.startswith(bom):
            try:
                text = data[len(bom) :].decode(name.replace("-sig", ""))
                return text, name
            except UnicodeDecodeError:
                break  # a BOM followed by garbage: decide from the bytes instead
    utf16 = _sniff_utf16(data)
    if utf16:
        try:
            return data.decode(utf16), utf16
        except UnicodeDecodeError:
            pass
    data = data.replace(b"\x00", b"")
    is_ascii = data.isascii()
    if is_ascii and (b"\x1b$" in data[:65536] or b"\x1b(J" in data[:65536]):
        # 7-bit ISO-2022-JP: ASCII bytes with escape sequences switching to JIS X 0208.
        with contextlib.suppress(UnicodeDecodeError):
            return data.decode("iso2022_jp"), "iso2022_jp"
    utf8: str | None = None
    with contextlib.suppress(UnicodeDecodeError):
        utf8 = data.decode("utf-8")
    codec = _codec_name(declared)
    if utf8 is not None:
        # Valid UTF-8 is UTF-8 whatever the file claims (pure ASCII reads the same anyway).
        return utf8, "ascii" if is_ascii else "utf-8"
    if codec and codec not in _latin_codecs() and codec not in ("utf-8", "utf-16", "utf-32"):
        try:
            return data.decode(codec), codec
        except (UnicodeDecodeError, LookupError):
            pass
    if _looks_western(data):
        return data.decode("latin-1").translate(_CP1252_TABLE), "cp1252"
    detected = _detect(data)
    if detected:
        return detected
    return data.decode("latin-1").translate(_CP1252_TABLE), "cp1252"


_CP1252_TABLE = {b: _CP1252_DECODE[b] for b in range(0x80, 0xA0)}


def _latin_codecs() -> set[str]:
    return {"cp1252", "latin-1", "ascii", "iso8859-15"}


def _codec_name(declared: str | None) -> str | None:
    if not declared:
        return None
    name = declared.strip().strip("\"'").lower()
    if name in _LATIN_ALIASES and name not in ("iso-8859-15", "iso8859-15"):
        return (
            "cp1252"
            if name in ("cp1252", "windows-1252")
            else ("ascii" if "ascii" in name else "latin-1")
        )
    try:
        info = codecs.lookup(name)
    except LookupError:
        return None
    canon = info.name
    if canon.startswith("utf-8") or canon == "utf_8":
        return "utf-8"
    if canon.startswith("utf-16"):
        return "utf-16"
    if canon.startswith("utf-32"):
        return "utf-32"
    if canon in ("iso8859-1", "latin-1", "latin_1"):
        return "latin-1"
    return canon


def looks_utf16(data: bytes) -> bool:
    """True when the bytes look like BOM-less UTF-16 text."""
    return _sniff_utf16(data) is not None


def _sniff_utf16(data: bytes) -> str | None:
    """Recognise BOM-less UTF-16 by the NULs in every other byte of mostly-ASCII text."""
    sample = data[:4096]
    if len(sample) < 4:
        return None
    even = sample[0::2].count(0)
    odd = sample[1::2].count(0)
    half = len(sample) // 2
    # Spaces and newlines alone put a NUL in at least one code unit out of ten.
    if odd > half * 0.1 and even <= odd * 0.05:
        return "utf-16-le"
    if even > half * 0.1 and odd <= even * 0.05:
        return "utf-16-be"
    return None


_UNLIKELY_WESTERN = frozenset(
    "\u0192\u02c6\u2030\u2039\u203a\u2020\u2021\u02dc\u00a4\u00a6\u00a8\u00ac\u00af"
    "\u00b4\u00b8\u00b9\u00b3\u00b2\u00b6\u201a\u0081\u008d\u008f\u0090\u009d\u00a5"
    "\u00a2\u00b5\u00bc\u00bd\u00be\u00b1\u00d7\u00f7\u00aa\u00ba"
)


def _looks_western(data: bytes) -> bool:
    """Tell cp1252/latin-1 text from other 8-bit or multi-byte encodings.

    Western European text has its high bytes mostly one at a time between ASCII letters
    ("für", "été"); Cyrillic code pages and CJK encodings put them in long runs.
    """
    sample = data[:65536]
    high_chars = [c for c in sample.decode("latin-1").translate(_CP1252_TABLE) if c >= "\x80"]
    if high_chars:
        # Lead bytes of Shift-JIS, EUC and GBK decode to characters Western text hardly uses.
        odd = sum(1 for c in high_chars if c in _UNLIKELY_WESTERN)
        if odd > len(high_chars) * 0.1:
            return False
    high = 0
    in_runs = 0
    run = 0
    for b in data[:200_000]:
        if b >= 0x80:
            high += 1
            run += 1
        else:
            if run >= 3:
                in_runs += run
            run = 0
    if run >= 3:
        in_runs += run
    return high == 0 or in_runs / high < 0.3


_C0_CONTROLS = bytes(b for b in range(32) if b not in (9, 10, 13, 27))


def _detect(data: bytes) -> tuple[str, str] | None:
    from charset_normalizer import from_bytes

    # A sample is enough to tell the encoding; detection cost grows with the input.
    sample = data[:65536]
    if len(data) > len(sample) and b"\n" in sample:
        sample = sample[: sample.rindex(b"\n") + 1]  # never cut a multi-byte character
    # Stray control bytes make the detector give up; they say nothing about the encoding.
    best = from_bytes(sample.translate(None, _C0_CONTROLS)).best()
    if best is None or not best.encoding:
        return None
    try:
        return data.decode(best.encoding), best.encoding
    except UnicodeDecodeError:
        # The sample may end mid-character or the file may be damaged further on.
        return data.decode(best.encoding, errors="replace"), best.encoding
    except LookupError:
        return None


def _cp1252_bytes(text: str) -> bytes | None:
    out = bytearray()
    for ch in text:
        b = _CP1252_ENCODE.get(ch)
        if b is None:
            if ord(ch) < 0x100:
                b = ord(ch)
            elif ch == _PLACEHOLDER:
                out += ch.encode("utf-8")
                continue
            else:
                return None
        out.append(b)
    return bytes(out)


def _repair_mojibake(text: str) -> tuple[str, int]:
    """Undo UTF-8-read-as-cp1252 damage, once or several times, while it helps."""
    repairs = 0
    if text.isascii() or not _MOJIBAKE.search(text):
        return text, 0
    count = len(_MOJIBAKE.findall(text))
    while count:
        fixed = _repair_whole(text)
        if fixed is None:
            fixed = _MOJIBAKE.sub(_repair_sequence, text)
        new_count = len(_MOJIBAKE.findall(fixed))
        if fixed == text or new_count >= count:
            break
        text, count = fixed, new_count
        repairs += 1
    return text, repairs


def _repair_whole(text: str) -> str | None:
    """Repair the whole text at once; None when it does not round-trip."""
    # A two-byte character whose second byte was undefined in cp1252 (Á = C3 81, Í = C3 8D,
    # Ï, Ð, Ý) became lead + U+FFFD: which byte it was is decided from the other words.
    lost = [] if _PLACEHOLDER in text else [m.group(1) for m in _LOST_SECOND_BYTE.finditer(text)]
    if lost:
        text = _LOST_SECOND_BYTE.sub(_PLACEHOLDER, text)
    raw = _cp1252_bytes(text)
    if raw is None:
        return None
    try:
        fixed = raw.decode("utf-8")
    except UnicodeDecodeError:
        return None
    return _resolve_lost_bytes(fixed, lost) if lost else fixed


_PLACEHOLDER = "\ue000"  # a private-use character, encoded as its own UTF-8 bytes
_LOST_SECOND_BYTE = re.compile(f"([{_LEAD3}][{_CONT}]|[{_LEAD2}])\ufffd")
_UNDEFINED_ORDER = (0x9D, 0x81, 0x8D, 0x8F, 0x90)  # 0x9D first: the usual culprit
_RESIDUE = frozenset("\u0192\u0160\u0152\u017d\u0161\u0153\u017e\u0178\u00aa\u00ba")
_PRIOR = "\u00c1\u00cd\u00dd\u00cf\u00d0\u0141\u010d\u0410\u0441\u03c1"  # Á Í Ý Ï Ð Ł č А с ρ


def _resolve_lost_bytes(text: str, leads: list[str]) -> str:
    """Replace each placeholder by the candidate character the rest of the text supports.

    A word spelt the same elsewhere wins ("CAP?TULO" when "capítulo" occurs); otherwise
    the letters around it decide ("p?t": "pít" is common in Spanish, "pýt" is not).
    """
    vocabulary: dict[str, int] = {}
    for word in re.findall(r"[^\W\d_]+", text[:2_000_000]):
        if _PLACEHOLDER not in word:
            key = word.casefold()
            vocabulary[key] = vocabulary.get(key, 0) + 1
    folded = text[:2_000_000].casefold()
    ngrams: dict[str, int] = {}

    def count(gram: str) -> int:
        if gram not in ngrams:
            ngrams[gram] = folded.count(gram) if len(ngrams) < 5000 else 0
        return ngrams[gram]

    out: list[str] = []
    pos = 0
    last_close = -1
    for k, m in enumerate(re.finditer(_PLACEHOLDER, text)):
        lead = bytes(_CP1252_ENCODE.get(ch, ord(ch) & 0xFF) for ch in leads[k])
        candidates = [
            (lead + bytes([b])).decode("utf-8", errors="replace") for b in _UNDEFINED_ORDER
        ]
        before = re.search(r"[^\W\d_]*$", text[max(0, m.start() - 60) : m.start()])
        after = re.match(r"[^\W\d_]*", text[m.end() : m.end() + 60])
        left = before.group(0) if before else ""
        right = after.group(0) if after else ""
        l1 = left[-1:].casefold()
        r1 = right[:1].casefold()

        def score(
            c: str, left: str = left, right: str = right, l1: str = l1, r1: str = r1
        ) -> tuple[int, int]:
            word = vocabulary.get((left + c + right).casefold(), 0)
            c = c.casefold()
            letters = (
                count(l1 + c + r1) * 10
                + (count(l1 + c) if l1 else 0)
                + (count(c + r1) if r1 else 0)
            )
            return word, letters

        if len(lead) == 1:
            # Ties go to the letter most languages use: Á before Í before Ý (C3 xx), and
            # otherwise a letter before an unassigned code point or a control.
            candidates.sort(
                key=lambda c: (_PRIOR.index(c) if c in _PRIOR else len(_PRIOR), not c.isalpha())
            )
        best = max(candidates, key=score)  # ties keep the first
        if len(lead) == 2 and best == candidates[0]:
            # E2 80 9D (”) or E2 80 90 (‐)? Opening quotes (E2 80 9C) survive the damage:
            # a closing quote needs one still open; a hyphen follows a letter.
            quote_open = text.rfind("\u201c", 0, m.start()) > last_close
            # ƒ, Š, ª... are what continuation bytes look like: mojibake, not letters.
            # After "Ã" the character completes an older layer of mojibake ("Ã”" = Ô):
            # it must be a cp1252 character, so ” and not ‐.
            letter_before = (
                l1.isalpha()
                and l1 not in _RESIDUE
                and left[-1:] not in "\u00c2\u00c3\u00c5\u00d0\u00d1"
            )
            letter_after = r1.isalpha() and r1 not in _RESIDUE
            if letter_before and (not quote_open or letter_after):
                best = candidates[4]
            else:
                last_close = m.start()
        out.append(text[pos : m.start()])
        out.append(best)
        pos = m.end()
    out.append(text[pos:])
    return "".join(out)


def _repair_sequence(m: re.Match[str]) -> str:
    """Repair one mojibake sequence when it decodes to a plausible character."""
    raw = _cp1252_bytes(m.group(0))
    if raw is None:
        return m.group(0)
    try:
        ch = raw.decode("utf-8")
    except UnicodeDecodeError:
        return m.group(0)
    cp = ord(ch)
    # Two-byte sequences must land in Latin/Greek/Cyrillic; others in punctuation or beyond
    # (e.g. "ß«" would otherwise become an N'Ko letter).
    if len(raw) == 2 and not (0xA0 <= cp < 0x530):
        return m.group(0)
    if len(raw) == 3 and cp < 0x800:
        return m.group(0)
    return ch
