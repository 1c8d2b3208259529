"""AO3 downloads: "Download → HTML" of every template era, and AO3's calibre-made EPUB.

Both share one reader: the EPUB is the same HTML split into several files by calibre,
which renames classes but keeps the ids (``preface``, ``chapters``, ``afterword``,
``endnotes``), ``dl.tags``, ``p.message``, ``h2.heading``, ``div.byline`` and
``blockquote.userstuff``. So everything is located by those, never by ``div.meta``.
"""

from __future__ import annotations

import re
import zipfile

from bs4 import BeautifulSoup, NavigableString, Tag
from bs4.element import Comment

from searchfic.errors import ParseError
from searchfic.ingest import epub as epubfmt
from searchfic.ingest import html as htmlfmt
from searchfic.ingest.base import RawFile, StoryDraft

# dt label (lower case, without ":") -> StoryDraft list field; singular and plural of
# every era (formats.md §1.2–1.3).
_TAG_FIELDS = {
    "rating": "rating",
    "ratings": "rating",
    "archive warning": "warnings",
    "archive warnings": "warnings",
    "warning": "warnings",
    "warnings": "warnings",
    "category": "categories",
    "categories": "categories",
    "fandom": "fandoms",
    "fandoms": "fandoms",
    "relationship": "pairings",
    "relationships": "pairings",
    "character": "characters",
    "characters": "characters",
    "additional tags": "tags",
    "additional tag": "tags",
    "freeform": "tags",
    "freeforms": "tags",
}
_STAT = re.compile(r"(Published|Updated|Completed|Words|Chapters):\s*([\d,\-/?]+)", re.I)
_WORK_URL = re.compile(r"/works/(\d+)")
_NOTE_LABELS = {
    "summary",
    "notes",
    "chapter summary",
    "chapter notes",
    "end notes",
    "chapter end notes",
}


def _label(dt: Tag) -> str:
    return htmlfmt.inline_text(dt).rstrip(":").strip().lower()


def _dd_for(dt: Tag) -> Tag | None:
    for sib in dt.next_siblings:
        if isinstance(sib, Tag):
            return sib if sib.name == "dd" else None
    return None


def _link_texts(dd: Tag) -> list[str]:
    """Return the tag names of a ``dd``: its link texts (never split on commas)."""
    links = [htmlfmt.inline_text(a) for a in dd.find_all("a")]
    links = [v for v in links if v]
    if links:
        return links
    text = htmlfmt.inline_text(dd)
    return [text] if text else []


def _series(dd: Tag) -> str:
    """Return "Name [N]" for each series a work belongs to, joined with "; "."""
    parts: list[str] = []
    for a in dd.find_all("a"):
        name = htmlfmt.inline_text(a)
        if not name:
            continue
        before = a.previous_sibling
        number = ""
        if isinstance(before, NavigableString):
            m = re.search(r"Part\s+(\d+)\s+of\s*$", str(before), re.I)
            if m:
                number = m.group(1)
        parts.append(f"{name} [{number}]" if number else name)
    return "; ".join(parts)


def _read_stats(text: str, draft: StoryDraft) -> None:
    stats = {k.lower(): v for k, v in _STAT.findall(text)}
    draft.published = stats.get("published", "")
    posted = total = None
    if "chapters" in stats:
        got = stats["chapters"].split("/")
        if got[0].isdigit():
            posted = int(got[0])
        if len(got) > 1 and got[1].isdigit():
            total = int(got[1])
        draft.chapters = posted
    if "completed" in stats:
        draft.updated = stats["completed"]
        draft.complete = True
    elif "updated" in stats:
        draft.updated = stats["updated"]
        draft.complete = False
    elif "chapters" in stats:
        # Never revised after posting: complete when every planned chapter is up.
        draft.complete = posted is not None and total is not None and posted == total
    elif stats:
        # Old single-chapter downloads print no Chapters line: one chapter, complete.
        draft.complete = True
        draft.chapters = 1


def _read_tags(dl: Tag, draft: StoryDraft) -> None:
    for dt in dl.find_all("dt"):
        label = _label(dt)
        dd = _dd_for(dt)
        if dd is None:
            continue
        field = _TAG_FIELDS.get(label)
        if field == "rating":
            values = _link_texts(dd)
            if values and not draft.rating:
                draft.rating = values[0]
        elif field:
            getattr(draft, field).extend(_link_texts(dd))
        elif label == "language":
            draft.language = htmlfmt.inline_text(dd)
        elif label == "series":
            draft.series = _series(dd)
        elif label == "stats":
            _read_stats(htmlfmt.inline_text(dd), draft)


def _labelled_blockquote(label_p: Tag) -> Tag | None:
    for sib in label_p.next_siblings:
        if isinstance(sib, Tag):
            return sib if sib.name == "blockquote" else None
    return None


def _read_preface(prefaces: list[Tag], draft: StoryDraft, notes: list[str]) -> None:
    for pre in prefaces:
        for dl in pre.find_all("dl"):
            if htmlfmt.has_class(dl, "tags"):
                _read_tags(dl, draft)
        for p in pre.find_all("p"):
            if htmlfmt.has_class(p, "message") and not draft.url:
                for a in p.find_all("a", href=True):
                    if _WORK_URL.search(str(a["href"])):
                        draft.url = str(a["href"]).strip()
                        break
                b = p.find("b")
                if b is not None and not draft.title:
                    draft.title = htmlfmt.inline_text(b)
                continue
            label = htmlfmt.inline_text(p).lower()
            if label in ("summary", "notes"):
                bq = _labelled_blockquote(p)
                if bq is None:
                    continue
                text = htmlfmt.text_of(bq)
                if label == "summary" and not draft.summary:
                    draft.summary = text
                elif text:
                    notes.append(text)
        h1 = pre.find("h1")
        if h1 is not None and htmlfmt.inline_text(h1):
            # The h1 is the work title; p.message's <b> is only the fallback.
            draft.title = htmlfmt.inline_text(h1)
        for byline in pre.find_all(class_="byline"):
            if draft.authors:
                break
            links = byline.find_all("a", rel="author")
            if links:
                draft.authors = [htmlfmt.inline_text(a) for a in links if htmlfmt.inline_text(a)]
            else:
                text = re.sub(r"^\s*by\s+", "", htmlfmt.inline_text(byline), flags=re.I)
                if text:
                    draft.authors = [text]
        for ul in pre.find_all("ul"):
            # Related works ("Inspired by", translations); lists inside the summary or
            # notes are those texts' own.
            if ul.find_parent(["dl", "blockquote"]) is None:
                for li in ul.find_all("li"):
                    text = htmlfmt.inline_text(li)
                    if text:
                        notes.append(text)


def _is_chapter_meta(el: Tag) -> bool:
    if htmlfmt.has_class(el, "meta"):
        return True
    return el.find(["h2", "h3"], class_="heading", recursive=False) is not None


def _read_chapters(containers: list[Tag], notes: list[str]) -> tuple[list[str], int]:
    """Return the story paragraphs of every chapter in order, and the heading count."""
    body: list[str] = []
    headings = 0
    for cont in containers:
        pending_note = False
        for child in cont.children:
            if isinstance(child, NavigableString):
                if isinstance(child, Comment):
                    continue
                text = htmlfmt.inline_text(child)
                if text:
                    body.append(text)
                continue
            if not isinstance(child, Tag):
                continue
            if child.name in ("h1", "h2", "h3"):
                if htmlfmt.has_class(child, "heading"):
                    headings += 1
                continue
            cid = str(child.get("id") or "")
            if cid.startswith("endnotes"):
                notes.extend(t for t in map(htmlfmt.text_of, child.find_all("blockquote")) if t)
                continue
            if _is_chapter_meta(child):
                if child.find(["h2", "h3"], class_="heading") is not None:
                    headings += 1
                notes.extend(t for t in map(htmlfmt.text_of, child.find_all("blockquote")) if t)
                continue
            if htmlfmt.has_class(child, "endnote-link") or htmlfmt.has_class(child, "message"):
                continue
            if child.name == "p" and htmlfmt.inline_text(child).lower() in _NOTE_LABELS:
                pending_note = True
                continue
            if child.name == "blockquote" and pending_note:
                pending_note = False
                text = htmlfmt.text_of(child)
                if text:
                    notes.append(text)
                continue
            pending_note = False
            body.extend(htmlfmt.paragraphs(child))
    return body, headings


def _read_afterword(afterwords: list[Tag], notes: list[str]) -> None:
    for aw in afterwords:
        for end in aw.find_all(id="endnotes"):
            notes.extend(t for t in map(htmlfmt.text_of, end.find_all("blockquote")) if t)


def _parse_documents(raw: RawFile, docs: list[BeautifulSoup]) -> tuple[StoryDraft, bool]:
    """Read preface, chapters and afterword from one or more documents, in order.

    Returns the draft and whether a preface ``dl.tags`` was found.
    """
    prefaces: list[Tag] = []
    chapters: list[Tag] = []
    afterwords: list[Tag] = []
    seen_preface = seen_afterword = False
    for soup in docs:
        pre: list[Tag] = list(soup.find_all(id="preface"))
        chap: list[Tag] = list(soup.find_all(id="chapters"))
        after: list[Tag] = list(soup.find_all(id="afterword"))
        body = soup.body or soup
        if not (pre or chap or after) and isinstance(body, Tag):
            # A split file that lost the wrapper ids. Before any chapter, a byline or
            # tag list still marks the preface; between preface and afterword it is
            # story text.
            if not chapters and (
                body.find(class_="byline") is not None or body.find("dl", class_="tags")
            ):
                pre = [body]
            elif seen_preface and not seen_afterword:
                chap = [body]
        prefaces.extend(pre)
        chapters.extend(chap)
        afterwords.extend(after)
        seen_preface = seen_preface or bool(pre)
        seen_afterword = seen_afterword or bool(after)
    if not prefaces:
        raise ParseError(raw.path, "AO3 download without a preface (div#preface)")
    draft = StoryDraft()
    notes: list[str] = []
    _read_preface(prefaces, draft, notes)
    story, headings = _read_chapters(chapters, notes)
    _read_afterword(afterwords, notes)
    if not story:
        raise ParseError(raw.path, "AO3 download without story text in div#chapters")
    draft.body = htmlfmt.join_paragraphs(story)
    draft.notes = notes
    if draft.chapters is None:
        draft.chapters = max(headings, 1)
    has_tags = any(htmlfmt.has_class(dl, "tags") for pre in prefaces for dl in pre.find_all("dl"))
    return draft, has_tags


def parse_html(raw: RawFile, text: str) -> StoryDraft:
    """Parse an AO3 "Download → HTML" file of any era, or a work page saved from a browser."""
    soup = htmlfmt.make_soup(text)
    if soup.find(id="preface") is None and soup.find("dl", class_="work") is not None:
        return _parse_work_page(raw, soup)
    return _parse_documents(raw, [soup])[0]


def _parse_work_page(raw: RawFile, soup: BeautifulSoup) -> StoryDraft:
    """Read a saved AO3 work page: ``dl.work.meta``, ``div.preface``, ``#chapters``."""
    draft = StoryDraft()
    notes: list[str] = []
    meta = soup.find("dl", class_="work")
    if isinstance(meta, Tag):
        _read_tags(meta, draft)
    skin = soup.find(id="workskin") or soup
    title = skin.find(class_="title")
    if isinstance(title, Tag):
        draft.title = htmlfmt.inline_text(title)
    byline = skin.find(class_="byline")
    if isinstance(byline, Tag):
        links = byline.find_all("a", rel="author")
        draft.authors = [htmlfmt.inline_text(a) for a in links if htmlfmt.inline_text(a)]
        if not draft.authors and htmlfmt.inline_text(byline):
            draft.authors = [re.sub(r"^by\s+", "", htmlfmt.inline_text(byline), flags=re.I)]
    for a in soup.find_all("a", href=True):
        m = _WORK_URL.search(str(a["href"]))
        if m:
            draft.url = f"https://archiveofourown.org/works/{m.group(1)}"
            break
    chapters = skin.find(id="chapters")
    body: list[str] = []
    for block in skin.find_all("blockquote", class_="userstuff"):
        text = htmlfmt.text_of(block)
        if not text:
            continue
        holder = block.find_parent(class_="summary")
        in_chapter = chapters is not None and any(p is chapters for p in block.parents)
        if holder is not None and not in_chapter and not draft.summary:
            draft.summary = text
        else:
            notes.append(text)
    if isinstance(chapters, Tag):
        for story in chapters.find_all("div", class_="userstuff"):
            if story.find_parent("blockquote") is not None:
                continue
            for landmark in story.find_all(class_="landmark"):
                landmark.decompose()
            body.extend(htmlfmt.paragraphs(story))
    if not body:
        raise ParseError(raw.path, "AO3 work page without story text in #chapters")
    draft.body = htmlfmt.join_paragraphs(body)
    draft.notes = notes
    if draft.chapters is None and isinstance(chapters, Tag):
        draft.chapters = max(len(chapters.find_all("div", class_="chapter", id=True)), 1)
    return draft


def parse_epub(raw: RawFile, zf: zipfile.ZipFile) -> StoryDraft:
    """Parse an AO3 EPUB: types from the preface ``dl.tags``, gaps filled from the OPF."""
    pkg = epubfmt.require_package(raw, zf)
    docs = []
    for item in pkg.spine:
        text = epubfmt.read_document(zf, item.href)
        if text is not None and "html" in (item.media_type or "html"):
            docs.append(htmlfmt.make_soup(text))
    draft, has_tags = _parse_documents(raw, docs)
    if not draft.title:
        draft.title = pkg.first("title")
    if not draft.authors:
        # calibre keeps AO3's comma-joined bylines as one creator (it splits on "&").
        for creator in pkg.values("creator"):
            draft.authors.extend(a.strip() for a in creator.split(", ") if a.strip())
    if not draft.summary and pkg.first("description"):
        draft.summary = htmlfmt.html_fragment_text(pkg.first("description"))
    if not draft.language:
        draft.language = pkg.first("language")
    if not has_tags:
        # Without the preface the tag types are lost: keep the names as plain tags.
        draft.tags.extend(s for s in pkg.values("subject") if s.lower() != "fanworks")
    if not draft.updated and not draft.published and pkg.first("date"):
        draft.updated = epubfmt.day(pkg.first("date"))
    if not draft.series and pkg.meta("calibre:series"):
        index = pkg.meta("calibre:series_index").split(".")[0]
        name = pkg.meta("calibre:series")
        draft.series = f"{name} [{index}]" if index else name
    return draft
