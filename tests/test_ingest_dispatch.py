"""Format sniffing by content, dispatch, discovery of corpus files, and failure reasons."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from searchfic.errors import ParseError
from searchfic.ingest import discover, parse_file, parse_raw, sniff, source_of
from searchfic.ingest.base import RawFile

SAMPLES = Path(__file__).resolve().parents[1].parent / "shared" / "samples"
DATA = Path(__file__).parent / "data" / "ingest"


def _zip(members: list[tuple[str, bytes]]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        for name, data in members:
            zf.writestr(name, data)
    return out.getvalue()


@pytest.mark.skipif(not SAMPLES.is_dir(), reason=f"{SAMPLES} is absent")
@pytest.mark.parametrize(
    ("relative", "fmt"),
    [
        ("ao3/Three_Evenings_in_Baker.html", "ao3-html"),
        ("ao3/The Foliage and the.html", "ao3-html"),
        ("ao3/Three_Evenings_in_Baker.epub", "ao3-epub"),
        ("fanficfare/Test Story Title 1-tst1_1.epub", "fff-epub"),
        ("fanficfare/Test Story Title 1-tst1_1.html", "fff-html"),
        ("fanficfare/Test Story Title 1-tst1_1.txt", "fff-txt"),
        ("classic/04_saved-web-page_site-chrome_recent-posts.txt", "text"),
        ("encodings/de_DEU060__cp1252_CRLF.txt", "text"),
    ],
)
def test_samples_are_sniffed_by_content(relative: str, fmt: str, tmp_path: Path) -> None:
    data = (SAMPLES / relative).read_bytes()
    assert sniff(data) == fmt
    # The file name says nothing: a renamed file is sniffed the same.
    renamed = tmp_path / "renamed.bin"
    renamed.write_bytes(data)
    assert sniff(renamed.read_bytes()) == fmt


def test_html_without_doctype_and_with_bom_is_html() -> None:
    assert sniff(b"\xef\xbb\xbf  <html><body><p>Hi</p></body></html>") == "html"
    assert sniff(b"<p>Once upon a time.</p>\n<p>The end.</p>") == "html"
    assert sniff(b"Title: <b>not html</b>\n\nPlain story text.") == "text"


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "empty file"),
        (b"\n \r\n\t", "empty file"),
        (b"%PDF-1.7\n...", "PDF"),
        (b"\x89PNG\r\n\x1a\n....", "PNG"),
        (b"PK\x03\x04garbage", "broken zip"),
        (bytes(range(256)) * 40, "binary"),
    ],
)
def test_unsupported_or_broken_bytes_give_a_parse_error(data: bytes, reason: str) -> None:
    with pytest.raises(ParseError, match=reason) as info:
        parse_raw(RawFile(data=data, source="x", path="some/x.bin"))
    assert info.value.path == "some/x.bin"


def test_zip_that_is_not_an_epub_is_refused() -> None:
    with pytest.raises(ParseError, match="not an EPUB"):
        parse_raw(RawFile(_zip([("story.txt", b"hello")]), "a.zip", "a.zip"))


def test_epub_without_package_document_is_a_parse_error() -> None:
    data = _zip([("mimetype", b"application/epub+zip"), ("META-INF/container.xml", b"<x/>")])
    with pytest.raises(ParseError):
        parse_raw(RawFile(data, "b.epub", "b.epub"))


def test_parse_file_reasons(tmp_path: Path) -> None:
    with pytest.raises(ParseError, match="no such file"):
        parse_file(tmp_path / "missing.txt")
    with pytest.raises(ParseError, match="directory"):
        parse_file(tmp_path)
    unreadable = tmp_path / "locked.txt"
    unreadable.write_text("Title: x\n\nSome text here.\n")
    unreadable.chmod(0)
    try:
        if unreadable.stat().st_mode & 0o444 == 0 and not _is_root():
            with pytest.raises(ParseError, match="permission denied"):
                parse_file(unreadable)
    finally:
        unreadable.chmod(0o644)


def _is_root() -> bool:
    import os

    return hasattr(os, "geteuid") and os.geteuid() == 0


def test_source_is_corpus_relative_or_as_given(tmp_path: Path) -> None:
    (tmp_path / "a" / "b").mkdir(parents=True)
    inside = tmp_path / "a" / "b" / "s.txt"
    assert source_of(inside, tmp_path) == "a/b/s.txt"
    assert source_of(Path("elsewhere/s.txt"), tmp_path) == "elsewhere/s.txt"
    assert source_of(Path("s.txt"), None) == "s.txt"


def test_discover_lists_story_files_and_counts_others(tmp_path: Path) -> None:
    files = {
        "one.txt": "x",
        "two.TXT": "x",
        "three.text": "x",
        "four.htm": "x",
        "five.HTML": "x",
        "six.xhtml": "x",
        "seven.epub": "x",
        "sub/deeper/eight.txt": "x",
        "notes.md": "x",
        "cover.jpg": "x",
        "noext": "x",
        ".hidden.txt": "x",
        ".git/config.txt": "x",
        "README.txt": "x",
        "readme.md": "x",
        "LICENSE.txt": "x",
        "searchfic-aliases.toml": "x",
    }
    for name, text in files.items():
        p = tmp_path / name
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text)
    found = discover(tmp_path)
    read = sorted(p.relative_to(tmp_path).as_posix() for p in found.files)
    assert read == sorted(
        [
            "one.txt",
            "two.TXT",
            "three.text",
            "four.htm",
            "five.HTML",
            "six.xhtml",
            "seven.epub",
            "sub/deeper/eight.txt",
        ]
    )
    skipped = sorted(p.relative_to(tmp_path).as_posix() for p in found.skipped)
    assert skipped == ["cover.jpg", "noext", "notes.md"]


def test_parser_crash_becomes_a_parse_error(monkeypatch: pytest.MonkeyPatch) -> None:
    import searchfic.ingest.text as text_module

    def boom(raw: RawFile, text: str) -> None:
        raise ValueError("unexpected shape")

    monkeypatch.setattr(text_module, "parse_text", boom)
    with pytest.raises(ParseError, match="could not parse: ValueError: unexpected shape"):
        parse_file(DATA / "no_header.txt")


def test_pipes_and_oversized_files_are_refused(tmp_path: Path, monkeypatch) -> None:
    import os

    import searchfic.ingest as ingest

    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    with pytest.raises(ParseError, match="not a regular file"):
        parse_file(fifo)  # would block forever if it were read
    big = tmp_path / "big.txt"
    big.write_text("Title: x\n\n" + "word " * 1000)
    monkeypatch.setattr(ingest, "MAX_FILE_BYTES", 1000)
    with pytest.raises(ParseError, match="too large"):
        parse_file(big)


def test_binary_text_check_counts_the_controls_a_per_character_test_counts() -> None:
    from searchfic.ingest import _looks_binary

    def per_char(text: str) -> bool:
        sample = text[:8192]
        controls = sum(
            1 for ch in sample if (ord(ch) < 32 and ch not in "\n\t\f\v") or 0x7F <= ord(ch) < 0xA0
        )
        return bool(sample) and controls > len(sample) * 0.1

    samples = [
        "",
        "plain text\nwith lines\tand tabs\f\v",
        "crlf\r\n" * 100,
        "".join(chr(c) for c in range(0x200)) * 20,
        "x\x00y\x1b" * 50,
        "\x85\x9f\xa0 words" * 30,
    ]
    for text in samples:
        assert _looks_binary(text) == per_char(text), repr(text[:20])
