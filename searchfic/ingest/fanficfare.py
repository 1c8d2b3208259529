"""FanFicFare output: ``.txt``, ``.html`` and ``.epub`` (formats.md §3).

FanFicFare writes one metadata dictionary with fixed labels in all three formats, so the
three readers only locate ``(label, value)`` pairs and the chapter texts; one table maps
the labels to StoryDraft fields.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterable

from bs4 import NavigableString, Tag

from searchfic.errors import ParseError
from searchfic.ingest import epub as epubfmt
from searchfic.ingest import html as htmlfmt
from searchfic.ingest.base import RawFile, StoryDraft

# FanFicFare's default labels (``<key>_label`` in its defaults.ini), lower case -> field.
# Fields prefixed "_" are known labels whose values searchfic does not store; knowing them
# keeps their lines from being read as continuations of the previous value.
_LABELS: dict[str, str] = {
    "title": "title",
    "author": "authors",
    "authors": "authors",
    "category": "fandoms",
    "fandoms": "fandoms",
    "genre": "genre",
    "characters": "characters",
    "relationships": "pairings",
    "rating": "rating",
    "warnings": "warnings",
    "language": "language",
    "status": "status",
    "published": "published",
    "updated": "updated",
    "packaged": "_packaged",  # when FanFicFare made the file, not a story date
    "chapters": "chapters",
    "words": "_words",  # the site's claim; searchfic counts for itself
    "words added": "_",
    "series": "series",
    "series url": "_",
    "publisher": "_",
    "story url": "url",
    "author url": "_",
    "summary": "summary",
    "story id": "_",
    "author id": "_",
    "extra tags": "tags",
    "freeform tags": "tags",
    "ao3 categories": "categories",
    "collections": "_",
    "kudos": "_",
    "hits": "_",
    "bookmarks": "_",
    "comments": "_",
    "reviews": "_",
    "favorites": "_",
    "follows": "_",
    "byline": "_",
    "site abbrev": "_",
    "file format": "_",
    "file extension": "_",
    "downloader version": "_",
    "cover image": "_",
    "restricted": "_",
}
# AO3's categories travel in FanFicFare's Genre for AO3 stories: split them back out.
AO3_CATEGORIES = ("F/F", "F/M", "Gen", "M/M", "Multi", "Other")
_AO3_CATEGORY_KEYS = {c.casefold(): c for c in AO3_CATEGORIES}

# Chapter titles are part of the body in all three formats: samples/README.md has the
# FanFicFare bodies open with the first chapter's title line ("Prologue tests:[…]") and
# run over every section. (AO3 downloads differ: their body must match AO3's word count,
# which leaves the chapter headings out.)
CHAPTER_TITLES_IN_BODY = True

_TXT_LABEL = re.compile(
    r"^(" + "|".join(re.escape(k) for k in sorted(_LABELS, key=len, reverse=True)) + r"):(?:\s|$)",
    re.I,
)
_FFF_ONLY = re.compile(r"^(?:Packaged|Story URL|Publisher|Author URL|Series URL):\s", re.I | re.M)
_INDENTED = re.compile(r"^(?:\t| {4,})\S")
_INT = re.compile(r"\d[\d,]*")


def _apply(draft: StoryDraft, pairs: Iterable[tuple[str, str]]) -> None:
    """Store FanFicFare ``(label, value)`` pairs in a draft."""
    for label, value in pairs:
        field = _LABELS.get(label.strip().lower())
        value = value.strip()
        if not field or not value or field.startswith("_"):
            continue
        if field == "title":
            draft.title = draft.title or value
        elif field == "authors":
            if not draft.authors:
                draft.authors = [a.strip() for a in value.split(", ") if a.strip()]
        elif field in ("fandoms", "characters", "warnings", "tags", "categories"):
            getattr(draft, field).extend(htmlfmt.split_values(value))
        elif field == "pairings":
            draft.pairings.extend(htmlfmt.split_values(value))
        elif field == "genre":
            for genre in htmlfmt.split_values(value):
                category = _AO3_CATEGORY_KEYS.get(genre.casefold())
                if category:
                    draft.categories.append(category)
                else:
                    draft.tags.append(genre)
        elif field == "rating":
            draft.rating = draft.rating or value
        elif field == "language":
            draft.language = draft.language or value
        elif field == "status":
            low = value.lower()
            if low.startswith("complete"):
                draft.complete = True
            elif "progress" in low or low in ("wip", "incomplete", "ongoing"):
                draft.complete = False
        elif field == "published":
            draft.published = draft.published or value
        elif field == "updated":
            draft.updated = draft.updated or value
        elif field == "chapters":
            m = _INT.search(value)
            if m and draft.chapters is None:
                draft.chapters = int(m.group(0).replace(",", ""))
        elif field == "series":
            draft.series = draft.series or value
        elif field == "url":
            draft.url = draft.url or value
        elif field == "summary":
            draft.summary = draft.summary or value


# ---------------------------------------------------------------------------------------
# TXT


def looks_like_fff_txt(text: str) -> bool:
    """Tell a FanFicFare ``.txt`` from other plain text (title, ``by`` line, FFF labels)."""
    head = text[:6000].replace("\r\n", "\n").replace("\r", "\n")
    lines = head.split("\n")
    nonblank = [ln for ln in lines if ln.strip()]
    if not any(ln.startswith("by ") for ln in nonblank[:5]):
        return False
    labels = sum(1 for ln in lines[:80] if _TXT_LABEL.match(ln))
    if labels < 2:
        return False
    return bool(_FFF_ONLY.search(head)) or text.rstrip().endswith("End file.")


def _blank(line: str) -> bool:
    return not line.strip()


def _block(lines: list[str], i: int) -> tuple[str, int]:
    """Join the non-blank lines from ``i`` with spaces; return the text and the next index."""
    parts = []
    while i < len(lines) and not _blank(lines[i]):
        parts.append(lines[i].strip())
        i += 1
    return " ".join(parts), i


def _norm(s: str) -> str:
    return re.sub(r"\s+", " ", s).strip().casefold()


def _chapter_starts(lines: list[str], start: int, toc: list[str]) -> list[int]:
    """Return the line numbers of the chapter titles (indented, after blank lines)."""
    candidates = []
    for i in range(start, len(lines)):
        if _INDENTED.match(lines[i]) and (i == start or _blank(lines[i - 1])):
            blanks_before = 0
            j = i - 1
            while j >= start and _blank(lines[j]):
                blanks_before += 1
                j -= 1
            if i == start or j < start or blanks_before >= 2:
                candidates.append(i)
    if not candidates:
        return []
    if not toc:
        # No table of contents: FanFicFare wrote a single chapter.
        return candidates[:1]
    matched: list[int] = []
    want = [_norm(t) for t in toc]
    for i in candidates:
        if len(matched) == len(want):
            break
        title = _norm(_block(lines, i)[0])
        expected = want[len(matched)]
        if title == expected or title.startswith(expected) or expected.startswith(title):
            matched.append(i)
    if len(matched) == len(want):
        return matched
    # Titles differ from the TOC (numbering options): trust the layout instead.
    return candidates


_RULE = re.compile(r"^\s*(?:(?:\*\s*){3,}|(?:-\s*){3,}|(?:_\s*){3,}|(?:=\s*){3,})$")
_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+")
_QUOTE = re.compile(r"^\s*>\s?")
_LIST_ITEM = re.compile(r"^\s*(?:[*+-]|\d+\.)\s+")
_INLINE = (
    # html2text puts a space between a closing emphasis and punctuation ("_x_ ,").
    (re.compile(r"(?<=\S)(\*\*|__|_|\*|~~) (?=[,.;:!?)])"), r"\1"),
    (re.compile(r"!\[([^\]]*)\]\([^)]*\)"), r"\1"),
    (re.compile(r"\[([^\]]+)\]\((?:[^()\s]|\([^)]*\))+\)"), r"\1"),
    (re.compile(r"\*\*(\S(?:.*?\S)?)\*\*"), r"\1"),
    (re.compile(r"__(\S(?:.*?\S)?)__"), r"\1"),
    (re.compile(r"~~(\S(?:.*?\S)?)~~"), r"\1"),
    (re.compile(r"(?<![\w*])\*(\S(?:.*?\S)?)\*(?![\w*])"), r"\1"),
    (re.compile(r"(?<![\w])_(\S(?:.*?\S)?)_(?![\w])"), r"\1"),
    (re.compile(r"\\([\\`*_{}\[\]()#+\-.!>~])"), r"\1"),
)


def _markdown_paragraphs(lines: list[str]) -> list[str]:
    """Turn FanFicFare's Markdown-ish chapter text into plain paragraphs."""
    paras: list[str] = []
    current: list[str] = []
    hard_break = False

    def flush() -> None:
        nonlocal hard_break
        if current:
            text = "".join(current).strip()
            for pattern, repl in _INLINE:
                text = pattern.sub(repl, text)
            text = "\n".join(re.sub(r"[ \t]+", " ", ln).strip() for ln in text.split("\n"))
            if text.strip():
                paras.append(text.strip())
        current.clear()
        hard_break = False

    for line in lines:
        if _blank(line) or _RULE.match(line):
            flush()
            continue
        ends_break = line.endswith("  ")
        stripped = _QUOTE.sub("", _HEADING.sub("", line)).strip()
        if _HEADING.match(line) or _LIST_ITEM.match(line):
            flush()
        if current:
            current.append("\n" if hard_break else " ")
        current.append(stripped)
        hard_break = ends_break
        if _HEADING.match(line):
            flush()
    flush()
    return paras


def parse_txt(raw: RawFile, text: str) -> StoryDraft:
    """Parse a FanFicFare ``.txt``: title, ``by`` line, labels, summary, TOC, chapters."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    n = len(lines)
    i = 0
    while i < n and _blank(lines[i]):
        i += 1
    draft = StoryDraft()
    draft.title, i = _block(lines, i)
    while i < n and _blank(lines[i]):
        i += 1
    if i < n and lines[i].startswith("by "):
        by, i = _block(lines, i)
        draft.authors = [a.strip() for a in by[3:].split(", ") if a.strip()]
    if not draft.title:
        raise ParseError(raw.path, "FanFicFare text without a title line")

    pairs: list[tuple[str, list[str]]] = []
    toc: list[str] = []
    body_start = n
    while i < n:
        line = lines[i]
        if line.strip() == "TABLE OF CONTENTS":
            i += 1
            while i < n:
                if _blank(lines[i]):
                    i += 1
                    continue
                if _INDENTED.match(lines[i]):
                    break
                entry, i = _block(lines, i)
                toc.append(entry)
            body_start = i
            break
        if _INDENTED.match(line) and i > 0 and _blank(lines[i - 1]):
            body_start = i
            break
        m = _TXT_LABEL.match(line)
        if m:
            pairs.append((m.group(1), [line[m.end() :].strip()]))
        elif pairs:
            # Continuation lines are not indented: they belong to the previous value; a
            # blank line only survives inside the summary.
            pairs[-1][1].append("" if _blank(line) else line.strip())
        i += 1

    flat: list[tuple[str, str]] = []
    for label, parts in pairs:
        if label.lower() == "summary":
            paragraphs = re.split(r"\n{2,}", "\n".join(parts).strip())
            value = "\n\n".join(" ".join(p.split()) for p in paragraphs if p.strip())
        else:
            value = " ".join(p for p in parts if p)
        flat.append((label, value))
    _apply(draft, flat)

    end = n
    for j in range(n - 1, body_start - 1, -1):
        if lines[j].strip() == "End file.":
            end = j
            break
        if lines[j].strip():
            break
    starts = _chapter_starts(lines[:end], body_start, toc)
    if not starts:
        raise ParseError(raw.path, "FanFicFare text without chapter text")
    paras: list[str] = []
    for k, start in enumerate(starts):
        title, content_from = _block(lines, start)
        if CHAPTER_TITLES_IN_BODY and title:
            paras.append(title)
        stop = starts[k + 1] if k + 1 < len(starts) else end
        paras.extend(_markdown_paragraphs(lines[content_from:stop]))
    draft.body = htmlfmt.join_paragraphs(paras)
    if draft.chapters is None:
        draft.chapters = len(starts)
    _default_language(draft)
    return draft


def _default_language(draft: StoryDraft) -> None:
    """Use FanFicFare's own default language when the file does not name one.

    FanFicFare stores English unless the site says otherwise (its EPUB then writes
    ``dc:language en``); the txt and html leave the line out.
    """
    if not draft.language:
        draft.language = "en"


# ---------------------------------------------------------------------------------------
# HTML


def _label_value_pairs_from_table(table: Tag) -> list[tuple[str, str]]:
    pairs = []
    for tr in table.find_all("tr"):
        cells = tr.find_all("td", recursive=False)
        if len(cells) < 2:
            continue
        label = htmlfmt.inline_text(cells[0]).rstrip(":").strip()
        if label.lower() == "summary":
            value = htmlfmt.text_of(cells[1])
        else:
            value = htmlfmt.inline_text(cells[1])
        pairs.append((label, value))
    return pairs


def _title_and_authors(heading: Tag | None, draft: StoryDraft) -> None:
    """Read ``<a href=url>Title</a> by <a class=authorlink>Author</a>`` headings."""
    if heading is None:
        return
    links = heading.find_all("a")
    authors = [a for a in links if htmlfmt.has_class(a, "authorlink")]
    others = [a for a in links if a not in authors]
    if others:
        draft.title = draft.title or htmlfmt.inline_text(others[0])
        href = others[0].get("href")
        if href and not draft.url:
            draft.url = str(href).strip()
    if authors and not draft.authors:
        draft.authors = [htmlfmt.inline_text(a) for a in authors if htmlfmt.inline_text(a)]
    if not draft.title or not draft.authors:
        text = htmlfmt.inline_text(heading)
        m = re.match(r"^(.*?)\s+by\s+(.+)$", text)
        if m:
            draft.title = draft.title or m.group(1).strip()
            if not draft.authors:
                draft.authors = [a.strip() for a in m.group(2).split(", ") if a.strip()]


def _section_anchor(el: Tag) -> bool:
    return el.name == "a" and bool(re.fullmatch(r"section\d+", str(el.get("name") or "")))


def parse_html(raw: RawFile, text: str) -> StoryDraft:
    """Parse a FanFicFare ``.html``: h1 title/author, ``table.full`` labels, sections."""
    soup = htmlfmt.make_soup(text)
    draft = StoryDraft()
    _title_and_authors(soup.find("h1"), draft)
    table = soup.find("table", class_="full")
    if isinstance(table, Tag):
        _apply(draft, _label_value_pairs_from_table(table))
    if not draft.title and soup.title is not None:
        m = re.match(r"^(.*?)\s+by\s+(.+)$", htmlfmt.inline_text(soup.title))
        if m:
            draft.title = m.group(1)
            draft.authors = draft.authors or [a for a in m.group(2).split(", ") if a]
    anchors = [a for a in soup.find_all("a") if _section_anchor(a)]
    if not anchors:
        raise ParseError(raw.path, "FanFicFare HTML without chapter sections")
    paras: list[str] = []
    for anchor in anchors:
        skip_heading = anchor.find(["h1", "h2", "h3"]) is None
        if CHAPTER_TITLES_IN_BODY:
            paras.extend(htmlfmt.paragraphs(anchor))
            skip_heading = False
        # The chapter runs from its anchor to the next section anchor.
        for sib in anchor.next_siblings:
            if isinstance(sib, Tag):
                if _section_anchor(sib) or sib.find(_section_anchor) is not None:
                    break
                if skip_heading and sib.name in ("h1", "h2", "h3"):
                    skip_heading = False
                    continue
                paras.extend(htmlfmt.paragraphs(sib))
            elif isinstance(sib, NavigableString):
                paras.extend(htmlfmt.paragraphs(sib))
    draft.body = htmlfmt.join_paragraphs(paras)
    if draft.chapters is None:
        draft.chapters = len(anchors)
    _default_language(draft)
    return draft


# ---------------------------------------------------------------------------------------
# EPUB

_FFF_SKIP = re.compile(r"(?:^|/)(?:cover|toc_page|log_page|title_page)\.x?html?$", re.I)


def _title_page_pairs(body: Tag) -> list[tuple[str, str]]:
    """Read ``<b>Label:</b> value<br />`` lines (or the table variant) of title_page."""
    table = body.find("table")
    if isinstance(table, Tag) and table.find("b") is not None:
        pairs = _label_value_pairs_from_table(table)
        if pairs:
            return pairs
    pairs = []
    for b in body.find_all("b"):
        label = htmlfmt.inline_text(b)
        if not label.endswith(":"):
            continue
        parts: list[str] = []
        for sib in b.next_siblings:
            if isinstance(sib, Tag) and (sib.name == "br" or sib.name == "b"):
                break
            if isinstance(sib, Tag):
                parts.append(htmlfmt.text_of(sib))
            elif isinstance(sib, NavigableString):
                parts.append(str(sib))
        value = "\n\n".join(p.strip() for p in parts if p.strip())
        pairs.append((label.rstrip(":").strip(), value))
    return pairs


def parse_epub(raw: RawFile, zf: zipfile.ZipFile) -> StoryDraft:
    """Parse a FanFicFare EPUB: OPF, ``title_page.xhtml`` labels, ``fileNNNN.xhtml``."""
    pkg = epubfmt.require_package(raw, zf)
    draft = StoryDraft()
    unesc = htmlfmt.unescape_again
    draft.title = unesc(pkg.first("title"))
    draft.authors = [
        unesc(text)
        for text, attrs in pkg.elements("creator")
        if text and attrs.get("role", "aut") == "aut"
    ]
    draft.language = pkg.first("language")
    for text, attrs in pkg.elements("date"):
        event = attrs.get("event", "").lower()
        if event == "publication":
            draft.published = draft.published or epubfmt.day(text)
        elif event == "modification":
            draft.updated = draft.updated or epubfmt.day(text)
    for ident in pkg.values("identifier"):
        if ident.lower().startswith("fanficfare-uid:"):
            draft.site_story_id = ident.split(":", 1)[1].strip()
    draft.url = pkg.first("source")
    description = pkg.first("description")
    if description:
        draft.summary = htmlfmt.html_fragment_text(unesc(description))
    series = pkg.meta("calibre:series")
    if series:
        index = pkg.meta("calibre:series_index").split(".")[0]
        draft.series = f"{unesc(series)} [{index}]" if index else unesc(series)

    title_page = None
    chapters = []
    for item in pkg.spine:
        base = item.href.rsplit("/", 1)[-1].lower()
        if base.startswith("title_page"):
            title_page = item
        elif not _FFF_SKIP.search(item.href) and item.id not in ("cover", "toc_page", "log_page"):
            chapters.append(item)
    if title_page is not None:
        page = epubfmt.read_document(zf, title_page.href)
        if page:
            soup = htmlfmt.make_soup(page)
            body = soup.body or soup
            _title_and_authors(body.find(["h1", "h2", "h3"]), draft)
            pairs = _title_page_pairs(body)
            # The OPF already gave the summary without markup trouble; keep the rest.
            _apply(draft, [(k, v) for k, v in pairs if k.lower() != "summary" or not draft.summary])
    else:
        # No title page: the subjects still hold genres, fandoms, characters and ships,
        # with their types lost; keep them as tags.
        skip = re.compile(r"^(?:fanfiction|completed|in-progress|last update.*)$", re.I)
        draft.tags = [unesc(s) for s in pkg.values("subject") if not skip.match(s)]
        subjects = [s.lower() for s in pkg.values("subject")]
        if "completed" in subjects:
            draft.complete = True
        elif "in-progress" in subjects:
            draft.complete = False

    paras: list[str] = []
    count = 0
    for item in chapters:
        page = epubfmt.read_document(zf, item.href)
        if page is None:
            continue
        soup = htmlfmt.make_soup(page)
        body = soup.body or soup
        if not isinstance(body, Tag):
            continue
        titles: list[Tag] = list(body.find_all(class_="fff_chapter_title"))
        if not titles:
            # Older FanFicFare wrote the chapter title as a bare first heading.
            first = body.find(["h1", "h2", "h3"])
            title = htmlfmt.inline_text(soup.title) if soup.title is not None else ""
            if first is not None and title and htmlfmt.inline_text(first) == title:
                titles = [first]
        if not CHAPTER_TITLES_IN_BODY:
            for heading in titles:
                heading.decompose()
        chunk = htmlfmt.paragraphs(body)
        if chunk:
            count += 1
            paras.extend(chunk)
    if not paras:
        raise ParseError(raw.path, "FanFicFare EPUB without chapter text")
    draft.body = htmlfmt.join_paragraphs(paras)
    if draft.chapters is None:
        draft.chapters = count
    return draft
