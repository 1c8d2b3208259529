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
        stack.extend(
            (child, False)
            for child in reversed(node.contents)
            if isinstance(child, Tag | NavigableString)
        )
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


def split_values(value: str) -> list[str]:
    """Split a comma-joined list outside parentheses and brackets; values stay as written.

    Unlike the classic-header splitter, a trailing dot survives: FanFiction.net
    characters are written "Dorothea B.".
    """
    parts: list[str] = []
    depth = 0
    current: list[str] = []
    for ch in value:
        if ch in "([":
            depth += 1
        elif ch in ")]" and depth:
            depth -= 1
        if ch == "," and depth == 0:
            parts.append("".join(current))
            current = []
        else:
            current.append(ch)
    parts.append("".join(current))
    return [p.strip() for p in parts if p.strip()]


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
_AO3_WORK_META = re.compile(r"""<dl[^>]*class\s*=\s*["']?work\s+meta\b""", re.I)
_FFF_TABLE = re.compile(r"""<table[^>]*class\s*=\s*["']?full\b""", re.I)
_FFF_ANCHOR = re.compile(r"""<a[^>]*name\s*=\s*["']?(?:TOCTOP|section\d{4})\b""", re.I)
_FFF_LABEL_CELL = re.compile(r"<td[^>]*>\s*<b>[^<]{1,40}:\s*</b>\s*</td>", re.I)


def html_kind(text: str) -> str:
    """Return "ao3-html", "fff-html" or "html" for a decoded HTML document."""
    if _AO3_PREFACE.search(text) and "Archive of Our Own" in text and _AO3_TAGS.search(text):
        return "ao3-html"
    if _AO3_WORK_META.search(text) and "Archive of Our Own" in text and "workskin" in text:
        return "ao3-html"  # a work page saved from the browser
    if _FFF_TABLE.search(text) and (_FFF_ANCHOR.search(text) or _FFF_LABEL_CELL.search(text)):
        return "fff-html"
    return "html"


# ---------------------------------------------------------------------------------------
# Generic pages

# Class/id words of site chrome: an element whose class or id has one of these as a
# dash/underscore-separated part is navigation, a comment thread, a widget...
_CHROME_WORDS = frozenset(
    [
        "nav",
        "navbar",
        "navigation",
        "menu",
        "menubar",
        "sidebar",
        "footer",
        "header",
        "masthead",
        "breadcrumb",
        "breadcrumbs",
        "comment",
        "comments",
        "commentlist",
        "share",
        "sharing",
        "social",
        "related",
        "recent",
        "widget",
        "widgets",
        "ad",
        "ads",
        "advert",
        "advertisement",
        "banner",
        "cookie",
        "cookies",
        "pagination",
        "pager",
        "toplink",
        "jumpmenu",
        "jumpmenu2",
        "respond",
        "reviewform",
        "skip",
        "subscribe",
        "newsletter",
        "login",
        "search",
        "toolbar",
        "printicon",
        "archivedat",
        "tags",
        "entry-footer",
        "postfooter",
        "crumbs",
        "topbar",
        "bottombar",
    ]
)
_CHROME_ROLES = frozenset(["navigation", "banner", "contentinfo", "complementary", "search"])
_CHROME_TAGS = ("nav", "header", "footer", "aside", "form", "menu")
_MAIN_SELECTORS = (
    "[itemprop=articleBody]",
    ".entry-content",
    ".entry_text",
    ".entry-text",
    ".asset-body",
    ".b-singlepost-body",
    ".entry-body",
    ".post-content",
    ".post-body",
    ".postbody",
    ".storytext",
    "#storytext",
    "#story",
    ".story",
    "article",
    "main",
    "[role=main]",
    "#content",
    ".content",
    "#main",
)
_TITLE_SELECTORS = (".entry-title", ".asset-name", ".subject", "h1.title", ".post-title")
_NONE_VALUES = frozenset(["none", "n/a", "na", "-", "no", "nothing"])


def _meta(soup: BeautifulSoup, *names: str) -> str:
    wanted = {n.lower() for n in names}
    for m in soup.find_all("meta"):
        key = str(m.get("name") or m.get("property") or m.get("itemprop") or "").lower()
        if key in wanted:
            content = _WS.sub(" ", str(m.get("content") or "")).strip()
            if content:
                return content
    return ""


def _clean_title(title: str) -> str:
    """Drop mailing-list and journal decorations around an entry subject."""
    title = re.sub(
        r"^\s*\[?\s*(?:fic|fanfic|fanfiction|ficlet|drabble)\s*\]?\s*[:\-]?\s*",
        "",
        title,
        flags=re.I,
    )
    title = re.sub(r"\s*[(\[]?\b\d+\s*/\s*\d+\b[)\]]?\s*$", "", title)
    return title.strip(" -:|")


def _chrome_tokens(tag: Tag) -> list[str]:
    tokens = classes(tag) + str(tag.get("id") or "").split()
    parts: list[str] = []
    for token in tokens:
        low = token.lower()
        parts.append(low)
        parts.extend(p for p in re.split(r"[-_]", low) if p)
    return parts


def _strip_chrome(root: Tag) -> None:
    """Remove navigation, headers, footers, sidebars, comment threads and widgets."""
    for el in root.find_all(list(SKIP_TAGS)):
        el.decompose()
    total = max(len(inline_text(root)), 1)
    for el in root.find_all(True):
        if getattr(el, "decomposed", False):
            continue
        if el.name in ("html", "body", "main", "article"):
            continue
        chrome = el.name in _CHROME_TAGS or str(el.get("role") or "").lower() in _CHROME_ROLES
        if not chrome:
            chrome = any(p in _CHROME_WORDS for p in _chrome_tokens(el))
        # A wrapper that merely mentions "sidebar" in a class must not take the story with it.
        if chrome and len(inline_text(el)) < 0.5 * total:
            el.decompose()


def _largest(tags: list[Tag]) -> Tag | None:
    """Return the element with the most text."""
    best, size = None, -1
    for t in tags:
        n = len(inline_text(t))
        if n > size:
            best, size = t, n
    return best


def _main_element(body: Tag) -> Tag:
    """Return the container of the story text: a known content selector, else the body."""
    total = len(inline_text(body))
    for selector in _MAIN_SELECTORS:
        el = _largest([f for f in body.select(selector) if isinstance(f, Tag)])
        if el is not None and len(inline_text(el)) >= max(200, 0.3 * total):
            return el
    return body


def _efiction_pairs(root: Tag) -> list[tuple[str, str]]:
    """Read eFiction's ``<span class="label">Label:</span> value`` fields."""
    pairs = []
    for span in root.find_all("span", class_="label"):
        label = inline_text(span).rstrip(":").strip()
        parts: list[str] = []
        for sib in span.next_siblings:
            if isinstance(sib, Tag) and (
                sib.name == "br"
                or (sib.name == "span" and has_class(sib, "label"))
                or sib.name in BLOCK_TAGS
            ):
                break
            parts.append(inline_text(sib) if isinstance(sib, Tag) else str(sib))
        value = _WS.sub(" ", "".join(parts)).strip()
        if label:
            pairs.append((label, value))
    return pairs


def apply_labels(draft: StoryDraft, pairs: list[tuple[str, str]]) -> None:
    """Store labelled values with the shared header label table (headers.LABELS)."""
    from searchfic.ingest.headers import label_field

    for label, value in pairs:
        field = label_field(label)
        low = value.strip().lower()
        if not value or low in _NONE_VALUES:
            if field == "status" and low == "no":
                draft.complete = False
            continue
        if field == "title":
            draft.title = draft.title or value
        elif field == "authors":
            draft.authors = draft.authors or [value]
        elif field in ("fandoms", "category"):
            draft.fandoms.extend(split_values(value))
        elif field in ("pairings", "characters", "warnings", "tags"):
            getattr(draft, field).extend(split_values(value))
        elif field == "rating":
            draft.rating = draft.rating or value
        elif field == "summary":
            draft.summary = draft.summary or value
        elif field == "language":
            draft.language = draft.language or value
        elif field == "series":
            draft.series = draft.series or value
        elif field == "published":
            draft.published = draft.published or value
        elif field == "updated":
            draft.updated = draft.updated or value
        elif field == "chapters":
            m = re.search(r"\d+", value)
            if m and draft.chapters is None:
                draft.chapters = int(m.group(0))
        elif field == "status":
            if low in ("yes", "complete", "completed", "finished", "true"):
                draft.complete = True
            elif low in ("wip", "in progress", "in-progress", "incomplete", "ongoing"):
                draft.complete = False
        elif field == "url":
            draft.url = draft.url or value
        elif field in ("disclaimer", "notes", "feedback", "archive", "spoilers"):
            draft.notes.append(f"{label}: {value}")


def _parse_efiction(raw: RawFile, soup: BeautifulSoup) -> StoryDraft:
    draft = StoryDraft(split_lists=True)
    pagetitle = soup.find(id="pagetitle")
    if isinstance(pagetitle, Tag):
        for a in pagetitle.find_all("a", href=True):
            href = str(a["href"])
            if "viewstory" in href and not draft.title:
                draft.title = inline_text(a)
            elif "viewuser" in href:
                draft.authors.append(inline_text(a))
        if not draft.title or not draft.authors:
            m = re.match(r"^(.*?)\s+by\s+(.+)$", inline_text(pagetitle))
            if m:
                draft.title = draft.title or m.group(1)
                draft.authors = draft.authors or [m.group(2)]
    info = [
        el for el in soup.find_all("span", class_="label") if el.find_parent(class_="notes") is None
    ]
    if info:
        holders: list[Tag] = []
        for span in info:
            parent = span.parent
            if isinstance(parent, Tag) and parent not in holders:
                holders.append(parent)
        for holder in holders:
            apply_labels(draft, _efiction_pairs(holder))
    for note in soup.find_all(class_="notes"):
        text = text_of(note.find(class_="noteinfo") or note)
        if text:
            draft.notes.append(text)
    chapters = soup.find_all("div", class_="chapter") or soup.select("#story")
    paras: list[str] = []
    for chapter in chapters:
        paras.extend(paragraphs(chapter))
    if not paras:
        raise ParseError(raw.path, "eFiction page without story text")
    copyright_el = soup.find(id="copyright")
    if isinstance(copyright_el, Tag) and inline_text(copyright_el):
        draft.notes.append(text_of(copyright_el))
    draft.body = join_paragraphs(paras)
    if draft.chapters is None and len(chapters) > 1:
        draft.chapters = len(chapters)
    return draft


_FFN_GENRES = frozenset(
    [
        "adventure",
        "angst",
        "crime",
        "drama",
        "family",
        "fantasy",
        "friendship",
        "general",
        "horror",
        "humor",
        "hurt/comfort",
        "mystery",
        "parody",
        "poetry",
        "romance",
        "sci-fi",
        "spiritual",
        "supernatural",
        "suspense",
        "tragedy",
        "western",
    ]
)


def _ffn_date(el: Tag | None) -> str:
    """Return an FFN date: the ``data-xutime`` epoch when present, else the text."""
    if el is None:
        return ""
    span = el if el.get("data-xutime") else el.select_one("[data-xutime]")
    if isinstance(span, Tag):
        try:
            from datetime import UTC, datetime

            return datetime.fromtimestamp(int(str(span["data-xutime"])), UTC).strftime("%Y-%m-%d")
        except (ValueError, OverflowError, OSError):
            pass
    return inline_text(el)


def _ffn_people(segment: str, draft: StoryDraft) -> None:
    """Read "[A, B] C, D": bracketed groups are pairings, every name a character."""
    for group in re.findall(r"\[([^\]]*)\]", segment):
        names = [n.strip() for n in group.split(",") if n.strip()]
        if len(names) > 1:
            draft.pairings.append("/".join(names))
    for name in re.split(r"[,\[\]]", segment):
        if name.strip():
            draft.characters.append(name.strip())


def _parse_ffn(raw: RawFile, soup: BeautifulSoup) -> StoryDraft:
    """Read a FanFiction.Net chapter page saved from the browser."""
    draft = StoryDraft()
    top = soup.find(id="profile_top")
    assert isinstance(top, Tag)
    b = top.find("b")
    if isinstance(b, Tag):
        draft.title = inline_text(b)
    author = top.find("a", href=re.compile(r"/u/\d+"))
    if isinstance(author, Tag):
        draft.authors = [inline_text(author)]
    summary = top.find("div", class_="xcontrast_txt")
    if isinstance(summary, Tag):
        draft.summary = inline_text(summary)
    info = None
    for span in top.find_all("span", class_="xgray"):
        if "Rated:" in inline_text(span):
            info = span
    if isinstance(info, Tag):
        for k, segment in enumerate(re.split(r"\s+-\s+", inline_text(info))):
            label, sep, value = segment.partition(":")
            key, value = label.strip().lower(), value.strip()
            if not sep and k > 0:
                parts = [w.strip() for w in re.split(r"/(?!Comfort)", segment)]
                if all(w.lower() in _FFN_GENRES for w in parts if w):
                    draft.tags.extend(w for w in parts if w)
                elif k == 1:
                    draft.language = segment
                else:
                    _ffn_people(segment, draft)
            elif key == "rated":
                draft.rating = re.sub(r"^fiction\s+", "", value, flags=re.I)
            elif key == "chapters" and value.isdigit():
                draft.chapters = int(value)
            elif key in ("published", "updated"):
                setattr(draft, key, value)
            elif key == "status":
                draft.complete = value.lower().startswith("complete")
            elif key == "id" and value.isdigit():
                draft.site_story_id = f"fanfiction.net-s{value}"
        # Dates: the epoch in data-xutime is exact where the text may be "Jan 5" or "3h ago".
        for span in info.select("[data-xutime]"):
            before = span.previous_sibling
            label = str(before).strip().rstrip(":").strip().lower() if before else ""
            label = label.rsplit("-", 1)[-1].strip()
            if label in ("published", "updated"):
                setattr(draft, label, _ffn_date(span))
        if draft.complete is None:
            draft.complete = False  # FFN prints "Status: Complete" only when it is
    crumbs = soup.find(id="pre_story_links")
    if isinstance(crumbs, Tag):
        links = crumbs.find_all("a")
        if links:
            fandom = re.sub(r"\s+Crossover$", "", inline_text(links[-1]))
            draft.fandoms = [f.strip() for f in fandom.split(" + ") if f.strip()]
    chapter = 1
    selected = soup.select_one("#chap_select option[selected]")
    if selected is not None and str(selected.get("value") or "").isdigit():
        chapter = int(str(selected["value"]))
    if draft.site_story_id:
        # One saved page is one chapter: keep chapters of a story apart.
        story = draft.site_story_id.rsplit("-s", 1)[-1]
        draft.url = f"https://www.fanfiction.net/s/{story}/{chapter}"
    paras = paragraphs(soup.find(id="storytext"))
    if not paras:
        raise ParseError(raw.path, "FanFiction.Net page without story text")
    draft.body = join_paragraphs(paras)
    return draft


def _is_efiction(soup: BeautifulSoup) -> bool:
    return soup.find(id="pagetitle") is not None and (
        soup.find("div", class_="chapter") is not None
        or soup.find("span", class_="label") is not None
    )


def _page_title(soup: BeautifulSoup) -> str:
    title = _meta(soup, "og:title", "twitter:title", "dc.title", "dcterms.title")
    if not title:
        for selector in _TITLE_SELECTORS:
            el = soup.select_one(selector)
            if el is not None and inline_text(el):
                title = inline_text(el)
                break
    if not title:
        h1s = [h for h in soup.find_all("h1") if inline_text(h)]
        if len(h1s) == 1:
            title = inline_text(h1s[0])
    if not title and soup.title is not None:
        title = inline_text(soup.title)
        # "Story | Site name": the site's part is chrome.
        title = title.split(" | ")[0]
    return _clean_title(title)


def _page_author(soup: BeautifulSoup) -> str:
    author = _meta(
        soup,
        "author",
        "dc.creator",
        "dcterms.creator",
        "article:author",
        "book:author",
        "twitter:creator",
    )
    if author and not re.match(r"https?://", author):
        return author
    for selector in (
        ".entry-poster .ljuser",
        ".poster .ljuser",
        ".entry .ljuser",
        ".b-singlepost-author .i-ljuser-username",
        "span.ljuser",
        "[rel~=author]",
        ".author",
        ".byline a",
    ):
        el = soup.select_one(selector)
        if el is not None and inline_text(el):
            return re.sub(r"^\s*by\s+", "", inline_text(el), flags=re.I)
    return ""


def _page_date(soup: BeautifulSoup) -> str:
    date = _meta(
        soup,
        "article:published_time",
        "dc.date",
        "dcterms.created",
        "date",
        "dc.date.issued",
        "datepublished",
    )
    if date:
        return date[:10] if re.match(r"\d{4}-\d\d-\d\d", date) else date
    t = soup.find("time", datetime=True)
    if isinstance(t, Tag):
        value = str(t["datetime"])
        return value[:10] if re.match(r"\d{4}-\d\d-\d\d", value) else value
    from searchfic.ingest.headers import parse_date

    # LiveJournal/Dreamwidth print the entry date as text ("Mar. 3rd, 2011 at 9:15 pm").
    for selector in (".entry .datetime", ".entry-date", ".datetime", "abbr.published"):
        el = soup.select_one(selector)
        if el is not None and parse_date(inline_text(el)):
            return inline_text(el)
    return ""


def _page_url(soup: BeautifulSoup) -> str:
    url = _meta(soup, "og:url")
    if not url:
        link = soup.find("link", rel="canonical", href=True)
        if isinstance(link, Tag):
            url = str(link["href"]).strip()
    return url if re.match(r"https?://", url) else ""


def parse_html(raw: RawFile, text: str) -> StoryDraft:
    """Parse a generic story page (saved page, eFiction printable, LJ/DW entry)."""
    soup = make_soup(text)
    title = _page_title(soup)
    author = _page_author(soup)
    date = _page_date(soup)
    url = _page_url(soup)
    description = _meta(soup, "description", "og:description", "dc.description")
    if _is_efiction(soup):
        draft = _parse_efiction(raw, soup)
    elif soup.find(id="profile_top") is not None and soup.find(id="storytext") is not None:
        draft = _parse_ffn(raw, soup)
    else:
        from searchfic.ingest.text import parse_text

        body = soup.body or soup
        if not isinstance(body, Tag):
            raise ParseError(raw.path, "HTML page without a body")
        _strip_chrome(body)
        main = _main_element(body)
        page_text = text_of(main)
        if not page_text.strip():
            raise ParseError(raw.path, "HTML page without readable text")
        draft = parse_text(raw, page_text)
    draft.title = draft.title or title
    if not draft.authors and author:
        draft.authors = [author]
    draft.published = draft.published or date
    draft.url = draft.url or url
    if not draft.summary and description:
        start = _WS.sub(" ", draft.body[: len(description) + 20]).strip().lower()
        teaser = _WS.sub(" ", description).strip().rstrip(".…").lower()
        if teaser and not start.startswith(teaser[: max(20, len(teaser) - 5)]):
            draft.summary = description
    if not draft.body.strip():
        raise ParseError(raw.path, "HTML page without story text")
    return draft


__all__ = [
    "BLOCK_TAGS",
    "classes",
    "has_class",
    "html_fragment_text",
    "html_kind",
    "inline_text",
    "join_paragraphs",
    "make_soup",
    "paragraphs",
    "apply_labels",
    "parse_html",
    "split_values",
    "text_of",
    "unescape_again",
]
