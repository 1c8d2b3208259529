"""HTML: shared markup-to-text helpers, and the parser for generic story pages.

Generic pages are saved web pages, eFiction "printable" pages and LiveJournal/Dreamwidth
entries. Metadata comes from ``<title>``, author/Open Graph/Dublin Core metas, eFiction's
``<span class="label">`` fields and labelled header lines; the body is the page's main
text, without navigation, comment threads and other site chrome.
"""

from __future__ import annotations

import html as stdhtml
import re
import warnings
from collections.abc import Iterable

from bs4 import BeautifulSoup, NavigableString, Tag
from bs4.element import Comment, Declaration, Doctype, ProcessingInstruction

from searchfic.errors import ParseError
from searchfic.ingest.base import RawFile, StoryDraft

# Elements that end a line of text before and after them.
BLOCK_TAGS = frozenset(
    [
        "address",
        "article",
        "aside",
        "blockquote",
        "body",
        "caption",
        "center",
        "dd",
        "details",
        "dir",
        "div",
        "dl",
        "dt",
        "fieldset",
        "figcaption",
        "figure",
        "footer",
        "form",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "header",
        "hr",
        "html",
        "li",
        "main",
        "menu",
        "nav",
        "ol",
        "p",
        "pre",
        "section",
        "summary",
        "table",
        "tbody",
        "td",
        "tfoot",
        "th",
        "thead",
        "tr",
        "ul",
    ]
)
# Elements whose content is never story text.
SKIP_TAGS = frozenset(
    [
        "script",
        "style",
        "noscript",
        "template",
        "head",
        "title",
        "iframe",
        "object",
        "embed",
        "svg",
        "math",
        "button",
        "select",
        "textarea",
        "input",
        "option",
        "canvas",
        "video",
        "audio",
        "map",
    ]
)
_NOT_TEXT = (Comment, Declaration, Doctype, ProcessingInstruction)
_WS = re.compile(r"\s+")
_PARA_BREAK = re.compile(r"\n[^\S\n]*\n")


def make_soup(markup: str | bytes) -> BeautifulSoup:
    """Parse HTML or "XHTML" leniently (named entities, broken nesting) with lxml."""
    with warnings.catch_warnings():
        # XHTML handed to the HTML parser on purpose (formats.md §7); tiny inputs look
        # like file names to bs4. Neither is a problem worth a warning.
        warnings.simplefilter("ignore")
        return BeautifulSoup(markup, "lxml")


def paragraphs(root: Tag | NavigableString | None) -> list[str]:
    """Return the text of ``root`` as paragraphs, whitespace tidied, line breaks kept."""
    if root is None:
        return []
    out: list[str] = []
    buf: list[str] = []
    pre_depth = 0

    def flush() -> None:
        text = "".join(buf)
        buf.clear()
        for chunk in _PARA_BREAK.split(text):
            lines = [ln.strip() for ln in chunk.split("\n")]
            para = "\n".join(ln for ln in lines if ln)
            if para:
                out.append(para)

    stack: list[tuple[Tag | NavigableString, bool]] = [(root, False)]
    while stack:
        node, leaving = stack.pop()
        if leaving:
            if isinstance(node, Tag) and node.name == "pre":
                pre_depth -= 1
            flush()
            continue
        if isinstance(node, NavigableString):
            if isinstance(node, _NOT_TEXT):
                continue
            s = str(node)
            if pre_depth:
                buf.append("\n".join(_WS.sub(" ", ln) for ln in s.split("\n")))
            else:
                buf.append(_WS.sub(" ", s))
            continue
        name = node.name
        if name in SKIP_TAGS:
            continue
        if name == "br":
            buf.append("\n")
            continue
        if name in BLOCK_TAGS:
            flush()
            if name == "pre":
                pre_depth += 1
            stack.append((node, True))
        stack.extend((child, False) for child in reversed(node.contents))
    flush()
    return out


def text_of(root: Tag | NavigableString | None) -> str:
    """Return the text of ``root``, paragraphs separated by one blank line."""
    return "\n\n".join(paragraphs(root))


def inline_text(root: Tag | NavigableString | None) -> str:
    """Return the text of ``root`` on one line, whitespace collapsed."""
    if root is None:
        return ""
    if isinstance(root, NavigableString):
        return _WS.sub(" ", str(root)).strip()
    return _WS.sub(" ", " ".join(paragraphs(root))).strip()


def join_paragraphs(parts: Iterable[str]) -> str:
    """Join non-empty text blocks with one blank line."""
    return "\n\n".join(p.strip() for p in parts if p and p.strip())


_ENTITY = re.compile(r"&(#[0-9]+|#[xX][0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]{1,31});")


def unescape_again(value: str) -> str:
    """Undo one more level of HTML escaping (``&amp;amp;`` in FanFicFare OPF values).

    Only complete entities (with ``;``) are replaced, so a bare ``AT&T`` or ``&copy``
    inside a title is left as it is.
    """
    if "&" not in value:
        return value
    return _ENTITY.sub(lambda m: stdhtml.unescape(m.group(0)), value)


def html_fragment_text(value: str) -> str:
    """Return the text of a value that may be an HTML fragment (an OPF description)."""
    if "<" in value and re.search(r"<[A-Za-z/!]", value):
        return text_of(make_soup(value))
    return "\n\n".join(_WS.sub(" ", p).strip() for p in re.split(r"\n\s*\n", value) if p.strip())


def classes(tag: Tag) -> list[str]:
    """Return the class tokens of ``tag``."""
    value = tag.get("class")
    if value is None:
        return []
    if isinstance(value, str):
        return value.split()
    return list(value)


def has_class(tag: Tag, name: str) -> bool:
    """Tell whether ``tag`` carries the class ``name``."""
    return name in classes(tag)


# ---------------------------------------------------------------------------------------
# Format sniffing

_AO3_PREFACE = re.compile(r"""id\s*=\s*["']?preface\b""", re.I)
_AO3_TAGS = re.compile(r"""<dl[^>]*class\s*=\s*["']?[^"'>]*\btags\b""", re.I)
_FFF_TABLE = re.compile(r"""<table[^>]*class\s*=\s*["']?full\b""", re.I)
_FFF_ANCHOR = re.compile(r"""<a[^>]*name\s*=\s*["']?(?:TOCTOP|section\d{4})\b""", re.I)
_FFF_LABEL_CELL = re.compile(r"<td[^>]*>\s*<b>[^<]{1,40}:\s*</b>\s*</td>", re.I)


def html_kind(text: str) -> str:
    """Return "ao3-html", "fff-html" or "html" for a decoded HTML document."""
    if _AO3_PREFACE.search(text) and "Archive of Our Own" in text and _AO3_TAGS.search(text):
        return "ao3-html"
    if _FFF_TABLE.search(text) and (_FFF_ANCHOR.search(text) or _FFF_LABEL_CELL.search(text)):
        return "fff-html"
    return "html"


def parse_html(raw: RawFile, text: str) -> StoryDraft:
    """Parse a generic story page (saved page, eFiction printable, LJ/DW entry)."""
    raise ParseError(raw.path, "generic HTML pages are not supported yet")


__all__ = [
    "BLOCK_TAGS",
    "ParseError",
    "classes",
    "has_class",
    "html_fragment_text",
    "html_kind",
    "inline_text",
    "join_paragraphs",
    "make_soup",
    "paragraphs",
    "parse_html",
    "text_of",
    "unescape_again",
]
