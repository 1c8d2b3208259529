"""Ingest: story files of any supported format become Story records.

``parse_file`` and ``parse_raw`` only ever return a Story or raise ParseError; every
format is recognised by its content (docs/formats.md §0), never by its file name.
"""

from __future__ import annotations

import io
import os
import re
import stat
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from searchfic.errors import ParseError
from searchfic.ingest.base import RawFile, StoryDraft
from searchfic.ingest.decode import decode_bytes
from searchfic.model import Story

FORMATS: tuple[str, ...] = (
    "ao3-epub",
    "fff-epub",
    "epub",
    "ao3-html",
    "fff-html",
    "html",
    "fff-txt",
    "text",
)
# No story is this big; a file that is would only exhaust memory.
MAX_FILE_BYTES = 256 * 2**20
# The endings `index` reads (any case); everything else is skipped and counted.
READ_SUFFIXES: frozenset[str] = frozenset({".txt", ".text", ".htm", ".html", ".xhtml", ".epub"})

_BINARY_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"%PDF", "a PDF document"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"BZh", "a bzip2 archive"),
    (b"7z\xbc\xaf", "a 7-Zip archive"),
    (b"Rar!", "a RAR archive"),
    (b"\xd0\xcf\x11\xe0", "an old Microsoft Office document"),
    (b"{\\rtf", "an RTF document"),
)
_HTML_START = re.compile(
    r"<(?:!doctype\s+html|html|head|body|meta|title|div|p|table|h[1-6]|br|span|center|font|"
    r"link|style|script)\b",
    re.I,
)
_CHARSET = re.compile(
    rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_:.\-]+)|"""
    rb"""<\?xml[^>]+encoding\s*=\s*["']([A-Za-z0-9_:.\-]+)""",
    re.I,
)


@dataclass(frozen=True)
class Discovery:
    """What ``discover`` found: the files index reads, and other files it skipped."""

    files: tuple[Path, ...]
    skipped: tuple[Path, ...]


def parse_file(path: Path, corpus: Path | None = None) -> Story:
    """Read and parse one story file; ParseError (naming the file and why) on any failure."""
    path = Path(path)
    data = read_story_bytes(path)
    return parse_raw(RawFile(data=data, source=source_of(path, corpus), path=str(path)))


def read_story_bytes(path: Path) -> bytes:
    """Return a story file's bytes; ParseError when it is no regular file, too large or
    unreadable (checked before anything is read)."""
    name = str(path)
    try:
        if path.is_dir():
            raise ParseError(name, "is a directory, not a story file")
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):
            raise ParseError(name, "is not a regular file (a pipe, socket or device)")
        if info.st_size > MAX_FILE_BYTES:
            raise ParseError(
                name,
                f"file too large ({info.st_size // 2**20} MB; the limit is "
                f"{MAX_FILE_BYTES // 2**20} MB)",
            )
        return path.read_bytes()
    except ParseError:
        raise
    except FileNotFoundError:
        raise ParseError(name, "no such file") from None
    except PermissionError:
        raise ParseError(name, "permission denied") from None
    except IsADirectoryError:
        raise ParseError(name, "is a directory, not a story file") from None
    except OSError as exc:
        raise ParseError(name, f"cannot read: {exc.strerror or exc}") from None


def printable_source(source: str) -> str:
    """Return ``source`` as valid Unicode: undecodable file-name bytes become ``\\xff`` escapes.

    A file name that is not UTF-8 reaches Python with surrogate escapes, which no JSON
    encoder, manifest or web page accepts; the escaped form is stable from run to run.
    """
    try:
        source.encode("utf-8")
    except UnicodeEncodeError:
        return os.fsencode(source).decode("utf-8", "backslashreplace")
    return source


def source_of(path: Path, corpus: Path | None) -> str:
    """Return the path relative to the corpus when inside it, else the path as given."""
    return printable_source(_source_of(path, corpus))


def _source_of(path: Path, corpus: Path | None) -> str:
    if corpus is not None:
        # Lexically first: a corpus file that is a symlink to a file elsewhere is still a
        # corpus file, and its source must not become a server path.
        try:
            lexical = Path(os.path.abspath(path)).relative_to(os.path.abspath(corpus))
            if ".." not in lexical.parts:
                return lexical.as_posix()
        except ValueError:
            pass
        try:
            return path.resolve().relative_to(Path(corpus).resolve()).as_posix()
        except (ValueError, OSError):
            pass
    return path.as_posix()


def parse_raw(raw: RawFile) -> Story:
    """Parse a file's bytes into a Story (format sniffed from the content)."""
    from searchfic.ingest.normalize import finish

    try:
        fmt, draft = _dispatch(raw)
        return finish(draft, raw, fmt)
    except ParseError:
        raise
    except RecursionError:
        raise ParseError(raw.path, "could not parse: markup nested too deeply") from None
    except MemoryError:
        raise ParseError(raw.path, "could not parse: file too large to hold in memory") from None
    except Exception as exc:  # one broken file must never stop a run
        raise ParseError(raw.path, f"could not parse: {type(exc).__name__}: {exc}") from None


def sniff(data: bytes) -> str:
    """Return the format name (docs/interfaces.md) of a file's bytes.

    Raises ParseError (with an empty path) when the bytes are no supported format.
    """
    kind, _ = _classify(RawFile(data=data, source="", path=""))
    return kind


def discover(corpus: Path) -> Discovery:
    """List the corpus: files ``index`` reads and other files it skipped (for ``stats``).

    Dot-files and dot-folders, ``README*``, ``LICENSE*`` and the alias file are left out
    of both lists.
    """
    from searchfic.settings import resolve

    alias_name = Path(resolve("aliases")).name.casefold()
    corpus = Path(corpus)
    files: list[Path] = []
    skipped: list[Path] = []
    for root, dirs, names in os.walk(corpus, onerror=None, followlinks=False):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for fname in sorted(names):
            folded = fname.casefold()
            if (
                fname.startswith(".")
                or folded.startswith(("readme", "licence", "license"))
                or folded == alias_name
            ):
                continue
            p = Path(root) / fname
            if not p.is_file():
                continue
            if p.suffix.lower() in READ_SUFFIXES:
                files.append(p)
            else:
                skipped.append(p)
    return Discovery(files=tuple(files), skipped=tuple(skipped))


# --- dispatch ------------------------------------------------------------------------------


def _dispatch(raw: RawFile) -> tuple[str, StoryDraft]:
    kind, payload = _classify(raw)
    if kind.endswith("epub"):
        import importlib

        module = {"ao3-epub": "ao3", "fff-epub": "fanficfare", "epub": "epub"}[kind]
        zf = payload
        assert isinstance(zf, zipfile.ZipFile)
        with zf:
            mod = importlib.import_module(f"searchfic.ingest.{module}")
            parser: Callable[[RawFile, zipfile.ZipFile], StoryDraft] = mod.parse_epub
            return kind, parser(raw, zf)
    assert isinstance(payload, tuple)
    text, encoding = payload
    draft: StoryDraft
    if kind == "ao3-html":
        from searchfic.ingest import ao3

        draft = ao3.parse_html(raw, text)
    elif kind == "fff-html":
        from searchfic.ingest import fanficfare

        draft = fanficfare.parse_html(raw, text)
    elif kind == "html":
        from searchfic.ingest import html

        draft = html.parse_html(raw, text)
    elif kind == "fff-txt":
        from searchfic.ingest import fanficfare

        draft = fanficfare.parse_txt(raw, text)
    else:
        from searchfic.ingest.text import parse_text

        draft = parse_text(raw, text)
    if not draft.encoding:
        draft.encoding = encoding
    return kind, draft


def _classify(raw: RawFile) -> tuple[str, object]:
    """Return (format, zipfile or (text, encoding)); ParseError for unsupported bytes."""
    data = raw.data
    if not data.strip(b" \t\r\n\x00\xef\xbb\xbf\xff\xfe"):
        raise ParseError(raw.path, "empty file")
    if data[:2] == b"PK":
        return _classify_zip(raw)
    for magic, what in _BINARY_MAGIC:
        if data.startswith(magic):
            raise ParseError(raw.path, f"unsupported format: {what}")
    if data[60:68] in (b"BOOKMOBI", b"TEXtREAd"):
        raise ParseError(raw.path, "unsupported format: a MOBI/AZW e-book (convert it to EPUB)")
    if _binary_bytes(data):
        raise ParseError(raw.path, "unsupported format: binary data, not text")
    head = data[:4096]
    declared = _declared_charset(head)
    decoded = decode_bytes(data, declared)
    text = decoded.text
    if _looks_binary(text):
        raise ParseError(raw.path, "unsupported format: binary data, not text")
    if _looks_html(text):
        from searchfic.ingest.html import html_kind

        return html_kind(text), (text, decoded.encoding)
    from searchfic.ingest import fanficfare

    looks_fff = getattr(fanficfare, "looks_like_fff_txt", None)
    if looks_fff is not None and looks_fff(text):
        return "fff-txt", (text, decoded.encoding)
    return "text", (text, decoded.encoding)


def _classify_zip(raw: RawFile) -> tuple[str, object]:
    try:
        zf = zipfile.ZipFile(io.BytesIO(raw.data))
        names = zf.namelist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError, OSError) as exc:
        raise ParseError(raw.path, f"broken zip/EPUB archive: {exc}") from None
    is_epub = bool(names) and (names[0] == "mimetype" or "META-INF/container.xml" in names)
    if not is_epub:
        zf.close()
        raise ParseError(raw.path, "unsupported format: a zip archive that is not an EPUB")
    from searchfic.ingest.epub import epub_kind

    try:
        kind = epub_kind(zf)
    except Exception:
        zf.close()
        raise
    return kind, zf


def _declared_charset(head: bytes) -> str | None:
    m = _CHARSET.search(head)
    if not m:
        return None
    value = m.group(1) or m.group(2)
    return value.decode("ascii", "replace") if value else None


def _looks_html(text: str) -> bool:
    start = text[:4096].lstrip("\ufeff \t\n")
    if start.startswith("<") and _HTML_START.search(start[:4096]):
        return True
    return bool(re.search(r"<(?:!doctype\s+html|html)[\s>]", text[:2048], re.I)) and bool(
        re.search(r"<body[\s>]", text[:200_000], re.I)
    )


_CONTROL_BYTES = bytes(b for b in range(32) if b not in (9, 10, 12, 13, 27)) + b"\x7f"


def _binary_bytes(data: bytes) -> bool:
    """Tell binary data from text before decoding: text has almost no C0 control bytes."""
    sample = data[:65536]
    if sample.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")):
        return False
    from searchfic.ingest.decode import looks_utf16

    if looks_utf16(sample):
        return False
    controls = len(sample) - len(sample.translate(None, _CONTROL_BYTES))
    return controls > len(sample) * 0.05


# C0 controls but \t \n \v \f (\r counts), DEL and the C1 controls
_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0d-\x1f\x7f-\x9f]")


def _looks_binary(text: str) -> bool:
    sample = text[:8192]
    if not sample:
        return False
    controls = len(_CONTROL_CHARS.findall(sample))
    return controls > len(sample) * 0.1


__all__ = [
    "Discovery",
    "FORMATS",
    "READ_SUFFIXES",
    "discover",
    "parse_file",
    "parse_raw",
    "sniff",
    "source_of",
]
