"""EPUB: the OPF package reader shared by the EPUB parsers, and the generic EPUB parser.

A generic EPUB (2 or 3) gives its metadata from the OPF (title, creators, description,
subjects, language, date, source) and its body from the spine's content documents, minus
the cover, the navigation document, tables of contents and pages that hold no story text.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from dataclasses import dataclass, field
from urllib.parse import unquote

from bs4 import NavigableString, Tag
from bs4.element import Comment
from lxml import etree

from searchfic.errors import ParseError
from searchfic.ingest import html as htmlfmt
from searchfic.ingest.base import RawFile, StoryDraft

_XML_DECL = re.compile(rb"""^\s*<\?xml[^>]*encoding\s*=\s*["']([A-Za-z0-9._:-]+)["']""")
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9._:-]+)""", re.I)


@dataclass(frozen=True)
class SpineItem:
    """One content document in reading order."""

    href: str  # path inside the zip
    id: str
    media_type: str
    properties: tuple[str, ...] = ()
    linear: bool = True


@dataclass(frozen=True)
class Package:
    """What an OPF package document says: metadata elements and the spine."""

    opf_path: str
    version: str
    # (local name, text, attributes with namespace prefixes dropped), in document order
    metadata: tuple[tuple[str, str, dict[str, str]], ...]
    spine: tuple[SpineItem, ...]
    guide: dict[str, str] = field(default_factory=dict)  # guide type -> zip path

    def values(self, name: str) -> list[str]:
        """Return the stripped texts of every ``dc:<name>`` (or other) element."""
        return [text for (n, text, _a) in self.metadata if n == name and text]

    def first(self, name: str) -> str:
        """Return the first value of an element, or ""."""
        vals = self.values(name)
        return vals[0] if vals else ""

    def elements(self, name: str) -> list[tuple[str, dict[str, str]]]:
        """Return (text, attributes) of every element of that local name."""
        return [(text, attrs) for (n, text, attrs) in self.metadata if n == name]

    def meta(self, name: str) -> str:
        """Return the content of an OPF 2 ``<meta name=... content=...>``, or ""."""
        for n, _text, attrs in self.metadata:
            if n == "meta" and attrs.get("name") == name:
                return attrs.get("content", "")
        return ""


def decode_member(data: bytes) -> str:
    """Decode one EPUB member, using its XML declaration or meta charset as the hint."""
    declared = None
    m = _XML_DECL.match(data[:200]) or _META_CHARSET.search(data[:2048])
    if m:
        declared = m.group(1).decode("ascii", "replace")
    try:
        from searchfic.ingest.decode import decode_bytes
    except ImportError:  # the decoder lands separately; plain UTF-8 keeps us usable meanwhile
        return data.replace(b"\x00", b"").decode("utf-8", "replace")
    return decode_bytes(data, declared).text


def _local(tag: object) -> str:
    if not isinstance(tag, str):
        return ""
    return tag.rsplit("}", 1)[-1]


def _attrs(el: etree._Element) -> dict[str, str]:
    return {_local(k): v for k, v in el.attrib.items()}


def _xml(data: bytes) -> etree._Element | None:
    parser = etree.XMLParser(recover=True, resolve_entities=False, no_network=True, huge_tree=False)
    try:
        root = etree.fromstring(data.replace(b"\x00", b""), parser=parser)
    except etree.XMLSyntaxError:
        return None
    return root


def _member(zf: zipfile.ZipFile, name: str) -> str | None:
    """Return the zip member name for ``name``, tolerating case and %-encoding."""
    names = zf.namelist()
    if name in names:
        return name
    for candidate in (unquote(name), name.lstrip("/")):
        if candidate in names:
            return candidate
    lowered = {n.lower(): n for n in names}
    return lowered.get(unquote(name).lower())


def find_opf(zf: zipfile.ZipFile) -> str | None:
    """Return the path of the OPF package document (container.xml, else any .opf)."""
    container = _member(zf, "META-INF/container.xml")
    if container:
        root = _xml(zf.read(container))
        if root is not None:
            for el in root.iter():
                if _local(el.tag) == "rootfile":
                    path = el.get("full-path")
                    media = el.get("media-type", "application/oebps-package+xml")
                    if path and "oebps-package" in media:
                        found = _member(zf, path)
                        if found:
                            return found
    opfs = sorted(n for n in zf.namelist() if n.lower().endswith(".opf"))
    return opfs[0] if opfs else None


def read_package(zf: zipfile.ZipFile) -> Package | None:
    """Read the OPF package document of an EPUB, or None when there is none."""
    opf_path = find_opf(zf)
    if opf_path is None:
        return None
    root = _xml(zf.read(opf_path))
    if root is None or _local(root.tag) != "package":
        return None
    base = posixpath.dirname(opf_path)
    metadata: list[tuple[str, str, dict[str, str]]] = []
    manifest: dict[str, tuple[str, str, tuple[str, ...]]] = {}
    spine: list[SpineItem] = []
    guide: dict[str, str] = {}
    for section in root:
        name = _local(section.tag)
        if name == "metadata":
            for el in section.iter():
                if el is section or not isinstance(el.tag, str):
                    continue
                text = "".join(el.itertext()).strip()
                metadata.append((_local(el.tag), text, _attrs(el)))
        elif name == "manifest":
            for el in section:
                if _local(el.tag) != "item":
                    continue
                href = el.get("href")
                if not href:
                    continue
                path = posixpath.normpath(posixpath.join(base, unquote(href)))
                props = tuple((el.get("properties") or "").split())
                manifest[el.get("id", "")] = (path, el.get("media-type", ""), props)
        elif name == "spine":
            for el in section:
                if _local(el.tag) != "itemref":
                    continue
                idref = el.get("idref", "")
                if idref not in manifest:
                    continue
                path, media, props = manifest[idref]
                spine.append(
                    SpineItem(
                        href=path,
                        id=idref,
                        media_type=media,
                        properties=props,
                        linear=(el.get("linear", "yes").lower() != "no"),
                    )
                )
        elif name == "guide":
            for el in section:
                if _local(el.tag) == "reference" and el.get("href"):
                    href = unquote(el.get("href", "").split("#", 1)[0])
                    guide[el.get("type", "").lower()] = posixpath.normpath(
                        posixpath.join(base, href)
                    )
    nav_items = tuple(
        SpineItem(href=p, id=i, media_type=m, properties=props)
        for i, (p, m, props) in manifest.items()
        if "nav" in props
    )
    # The EPUB 3 navigation document need not be in the spine; remember it so it is skipped.
    for item in nav_items:
        guide.setdefault("nav", item.href)
    return Package(
        opf_path=opf_path,
        version=root.get("version", ""),
        metadata=tuple(metadata),
        spine=tuple(spine),
        guide=guide,
    )


def require_package(raw: RawFile, zf: zipfile.ZipFile) -> Package:
    """Return the package document or raise ParseError."""
    pkg = read_package(zf)
    if pkg is None:
        raise ParseError(raw.path, "not a usable EPUB: no OPF package document")
    if not pkg.spine:
        raise ParseError(raw.path, "not a usable EPUB: the OPF spine lists no content documents")
    return pkg


def read_document(zf: zipfile.ZipFile, path: str) -> str | None:
    """Return a decoded content document, or None when the zip lacks it."""
    member = _member(zf, path)
    if member is None:
        return None
    return decode_member(zf.read(member))


# ---------------------------------------------------------------------------------------
# Format sniffing


def epub_kind(zf: zipfile.ZipFile) -> str:
    """Return "ao3-epub", "fff-epub" or "epub" from the OPF metadata."""
    pkg = read_package(zf)
    if pkg is None:
        return "epub"
    subjects = pkg.values("subject")
    if any(p.strip().lower() == "archive of our own" for p in pkg.values("publisher")) or (
        subjects and subjects[0].strip().lower() == "fanworks"
    ):
        return "ao3-epub"
    if any(i.strip().lower().startswith("fanficfare-uid:") for i in pkg.values("identifier")):
        return "fff-epub"
    if any("fanficfare" in c.lower() for c in pkg.values("contributor")):
        return "fff-epub"
    return "epub"


# ---------------------------------------------------------------------------------------
# Generic EPUB

_SKIP_NAME = re.compile(
    r"(?:^|[/_\-.])(?:cover|nav|toc|contents|titlepage|title_page|title-page|toc_page|"
    r"log_page|copyright|colophon|imprint)(?:[_\-.\d]|$)",
    re.I,
)
_SKIP_GUIDE = ("cover", "toc", "title-page", "copyright-page", "colophon", "nav")


def content_documents(pkg: Package) -> list[SpineItem]:
    """Return the spine items that may hold story text (no cover, nav or TOC pages)."""
    skip = {pkg.guide[t] for t in _SKIP_GUIDE if t in pkg.guide}
    items = []
    for item in pkg.spine:
        if "nav" in item.properties or item.href in skip or not item.linear:
            continue
        if "html" not in item.media_type and not item.href.lower().endswith(
            (".html", ".htm", ".xhtml", ".xml")
        ):
            continue
        base = posixpath.basename(item.href)
        if _SKIP_NAME.search(base) or _SKIP_NAME.search("/" + item.id):
            continue
        items.append(item)
    return items


def day(text: str) -> str:
    """Cut an OPF timestamp ("2021-10-31T09:00:00Z") to its day; other forms pass through."""
    m = re.match(r"\s*(\d{4}-\d\d-\d\d)(?:[T ]|$)", text)
    return m.group(1) if m else text.strip()


def _dates(pkg: Package) -> tuple[str, str]:
    """Return (published, updated) from ``dc:date`` elements as written."""
    published = updated = ""
    plain: list[str] = []
    for text, attrs in pkg.elements("date"):
        event = attrs.get("event", "").lower()
        if event in ("publication", "original-publication", "issued"):
            published = published or text
        elif event == "modification":
            updated = updated or text
        elif event == "":
            plain.append(text)
    if not published and plain:
        published = plain[0]
    return day(published), day(updated)


def _is_toc_like(body: Tag) -> bool:
    """Tell a page that is mostly links (a table of contents) from a page of prose."""
    text = htmlfmt.inline_text(body)
    if not text:
        return True
    linked = sum(len(htmlfmt.inline_text(a)) for a in body.find_all("a"))
    return linked > 0.6 * len(text) and len(text) < 5000


_HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")


def _drop_leading_headings(body: Tag) -> None:
    """Remove the headings that open a content document (chapter titles), not prose."""
    for el in body.find_all(True):
        if getattr(el, "decomposed", False):
            continue
        if el.name in _HEADINGS:
            el.decompose()
            continue
        # Prose has started once any element holds text of its own.
        if any(
            isinstance(child, NavigableString) and not isinstance(child, Comment) and child.strip()
            for child in el.children
        ):
            return


_LABEL_LINE = re.compile(r"^\s*([^:\uff1a\n]{1,40}?)\s*[:\uff1a]\s*(\S.*)$")


def _label_pairs(paragraph: str) -> list[tuple[str, str]] | None:
    """Return the ``Label: value`` lines of a paragraph, or None if any line is not one."""
    from searchfic.ingest.headers import label_field

    pairs = []
    for line in paragraph.split("\n"):
        m = _LABEL_LINE.match(line)
        if not m or label_field(m.group(1)) is None:
            return None
        pairs.append((m.group(1).strip(), m.group(2).strip()))
    return pairs


def _header_block(paras: list[str], whole_page: bool) -> tuple[list[tuple[str, str]], int]:
    """Find a classic header block (Fandom/Pairing/Rating lines) among leading paragraphs.

    Returns the pairs and how many leading paragraphs they used. On a title page
    (``whole_page``) label paragraphs may sit anywhere; in a chapter only at its start.
    """
    pairs: list[tuple[str, str]] = []
    used = 0
    for i, para in enumerate(paras):
        found = _label_pairs(para)
        if found is None:
            if whole_page:
                continue
            break
        pairs.extend(found)
        used = i + 1
    if len(pairs) < 2 and not whole_page:
        return [], 0
    return pairs, used


def _title_pages(pkg: Package, kept: list[SpineItem]) -> list[SpineItem]:
    """Return the spine's title pages: skipped documents named or guided as such."""
    guided = pkg.guide.get("title-page")
    out = []
    for item in pkg.spine:
        if item in kept or "nav" in item.properties:
            continue
        base = posixpath.basename(item.href).lower()
        if item.href == guided or re.match(r"title[_\-]?page", base):
            out.append(item)
    return out


def parse_epub(raw: RawFile, zf: zipfile.ZipFile) -> StoryDraft:
    """Parse an EPUB that no fan-fiction tool made: OPF metadata, spine text.

    A home-made book may carry a classic header block (Fandom, Pairing, Rating...) on its
    title page or atop its first chapter; those labels are read too.
    """
    pkg = require_package(raw, zf)
    draft = StoryDraft()
    draft.title = htmlfmt.unescape_again(pkg.first("title"))
    creators = pkg.elements("creator")
    # EPUB 3 gives roles in <meta refines="#id" property="role">, EPUB 2 in opf:role.
    refined = {
        attrs.get("refines", "").lstrip("#"): text.strip().lower()
        for _name, text, attrs in pkg.metadata
        if _name == "meta" and attrs.get("property") == "role"
    }
    authors = [
        htmlfmt.unescape_again(text)
        for text, attrs in creators
        if text
        and (attrs.get("role") or refined.get(attrs.get("id", ""), "aut")).lower()
        in ("aut", "author", "")
    ]
    draft.authors = authors or [text for text, _ in creators if text]
    description = pkg.first("description")
    if description:
        draft.summary = htmlfmt.html_fragment_text(htmlfmt.unescape_again(description))
    draft.tags = [htmlfmt.unescape_again(s) for s in pkg.values("subject")]
    draft.language = pkg.first("language")
    draft.published, draft.updated = _dates(pkg)
    for source in pkg.values("source") + pkg.values("identifier"):
        s = source.strip()
        if re.match(r"https?://", s, re.I):
            draft.url = s
            break
    series = pkg.meta("calibre:series")
    if series:
        index = pkg.meta("calibre:series_index")
        draft.series = f"{series} [{index.split('.')[0]}]" if index else series
    kept = content_documents(pkg)
    for item in _title_pages(pkg, kept):
        page = read_document(zf, item.href)
        if page:
            page_paras = htmlfmt.paragraphs(htmlfmt.make_soup(page))
            htmlfmt.apply_labels(draft, _header_block(page_paras, whole_page=True)[0])
    paras: list[str] = []
    for item in kept:
        text = read_document(zf, item.href)
        if text is None:
            continue
        soup = htmlfmt.make_soup(text)
        body = soup.body or soup
        if not isinstance(body, Tag) or _is_toc_like(body):
            continue
        _drop_leading_headings(body)
        chunk = htmlfmt.paragraphs(body)
        if not paras:
            pairs, used = _header_block(chunk, whole_page=False)
            htmlfmt.apply_labels(draft, pairs)
            chunk = chunk[used:]
        paras.extend(chunk)
    if not paras:
        raise ParseError(raw.path, "EPUB has no readable text in its spine")
    draft.body = htmlfmt.join_paragraphs(paras)
    return draft
