"""Plain-text stories: classic header blocks, mail posts and the text of saved web pages.

The file is read as lines. An optional preamble (mail headers, web chrome, "Part 3/10") is
skipped; then a header block of ``Label: value`` lines (docs/formats.md §4) is read until
a separator line or the first paragraph of prose; the rest is the story, minus what
follows it (closing separator, "THE END", a ``--`` signature, feedback lines and site
chrome such as "Recent Posts" and teasers of other stories).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from searchfic.ingest.base import RawFile, StoryDraft
from searchfic.ingest.headers import LABELS, label_field, map_rating

# --- line shapes ---------------------------------------------------------------------------


def _label_alternation() -> str:
    labels = sorted(LABELS, key=len, reverse=True)
    parts = []
    for label in labels:
        p = re.escape(label).replace("'", "['\u2019]").replace(r"\ ", r"[ \u00a0]+")
        parts.append(p)
    return "|".join(parts)


_LABEL_ALT = _label_alternation()
# "Label: value", "**Label:** value", "[Label] value", "Label - value", "Label = value",
# "Note :" (French spacing). The label must be the whole text before the separator.
_LABEL_LINE = re.compile(
    rf"^[ \t]*(?:[*_#>]+[ \t]*)?(?:\[(?P<blabel>{_LABEL_ALT})\][ \t]*[:\-]?|"
    rf"(?P<label>{_LABEL_ALT})[ \t]*(?:[*_]+[ \t]*)?"
    rf"(?:[ \t\u00a0]*[:\uff1a=]|[ \t]+[-\u2013\u2014]{{1,2}}(?=[ \t]|$)))"
    rf"[ \t]*(?:[*_]+[ \t]*)?(?P<value>.*)$",
    re.I,
)
_WRITTEN_BY = re.compile(r"^[ \t]*(?:written[ \t]+by|by)[ \t]+(?P<value>\S.{0,80})$", re.I)
_RATED = re.compile(r"^[ \t]*rated[ \t]+(?P<value>\S.{0,80})$", re.I)
# Embedded label tokens of a reflowed header: "TITLE: X AUTHOR: Y FANDOM: Z".
_EMBEDDED = re.compile(rf"(?<=\s)(?P<label>{_LABEL_ALT})[ \t\u00a0]*:(?=\s|$)", re.I)
_EMBEDDED_DASH = re.compile(
    rf"(?<=\s)(?P<label>{_LABEL_ALT})[ \t]+[-\u2013\u2014]{{1,2}}(?=[ \t]|$)", re.I
)

_SEPARATOR = re.compile(
    r"^[ \t]*(?:(?:[*~=#_+\-\u2013\u2014\u2022\u00b7.:|<>^]\s*){3,}|(?:o\s*O\s*){2,}o?|"
    r"(?:O\s*o\s*){2,}O?|(?:x\s*X\s*){2,}x?|-{2,}\s*x\s*-{2,})[ \t]*$"
)
# A signature run into its "--" line by reflowing ("-- name * motto"); only taken as one
# below a closing separator or end marker, since "-- " also opens old-style dialogue.
_SIGNATURE_LINE = re.compile(r"^--[ \t]+\S+(?:[ \t]+\S+){0,12}[ \t]*$")
_DO_NOT_ARCHIVE = re.compile(r"^(?:please\s+)?do\s+not\s+(?:archive|repost)\b.{0,80}$", re.I)
_SIGNATURE = re.compile(r"^--[ \t]?$")
_END_MARKER = re.compile(
    r"^[ \t]*[\[(~*_\-=<#+ \t]*(?:the[ \t]+end|end|fin|finis|finite|end[ \t]+of[ \t]+(?:story|part|"
    r"chapter|fic)[^\n]*|end[ \t]+file|to[ \t]+be[ \t]+continued\b[^\n]{0,80}|tbc|"
    r"continued[ \t]+in[^\n]*|conclusion|owari|the[ \t]+end\?|ende|das[ \t]+ende|la[ \t]+fin|"
    r"fin[ \t]+de[ \t]+la[ \t]+historia|fim|einde|slut|konec|koniec|конец|à[ \t]+suivre|"
    r"continuar[aá]|fortsetzung[ \t]+folgt)[ \t]*[.!]*[ \t]*[\])~*_\-=>#+ \t]*$",
    re.I,
)
_FEEDBACK_LINE = re.compile(
    r"feedback|review|comment|let me know|e-?mail me|reply|kudos|thanks for reading|"
    r"thank you for reading|back to (?:the )?\S|return to|home page|homepage|\bindex\b|"
    r"[\w.+-]+@[\w-]+\.[\w.]+|https?://|www\.|"
    # Bare navigation left by a saved page: "Back", "« Previous | Index | Next »".
    r"^[\W_]*(?:back|next|prev|previous|home|index|top|up|return|contents|chapter|page|part|"
    r"stories|\d+)(?:[\W_]+(?:back|next|prev|previous|home|index|top|up|return|contents|"
    r"chapter|page|part|stories|\d+))*[\W_]*$",
    re.I,
)
_NOTE_LINE = re.compile(r"^[ \t]*(?:a/n|an|author'?s?['\u2019]?s? notes?|notes?)\b", re.I)
_AUTHOR_NOTE = re.compile(
    r"^[ \t]*[\[(*_~]*[ \t]*(?:a/n\b|author['\u2019]?s?['\u2019]?[ \t]+notes?[ \t]*[:\-])", re.I
)
_CHROME_TOP = re.compile(
    r"^[ \t]*(?:top of page|skip to (?:main )?content|menu|home|log ?in|sign ?up|search|"
    r"skip navigation|main menu|navigation)[ \t]*$",
    re.I,
)
_CHROME_END = re.compile(
    r"^[ \t]*(?:recent posts|see all|related posts|more posts|popular posts|bottom of page|"
    r"back to top|website design by\b.*|site design by\b.*|powered by\b.*|"
    r"proudly created with\b.*|\u00a9.*|copyright[ \t]*\u00a9.*|\(c\)[ \t]*\d{4}.*|"
    r"all rights reserved\.?|share this:?|like this:?|leave a comment|previous post|next post|"
    r"older posts|newer posts|post not marked as liked|recent posts see all)[ \t]*$",
    re.I,
)
_MAIL_HEADER = re.compile(
    r"^(?:from|subject|date|to|cc|bcc|newsgroups|message-id|reply-to|organization|"
    r"organisation|sender|received|return-path|content-type|content-transfer-encoding|"
    r"mime-version|path|references|in-reply-to|lines|x-[\w-]+|list-[\w-]+|delivered-to|"
    r"precedence|mailing-list|user-agent|nntp-posting-host|xref|followup-to)[ \t]*:",
    re.I,
)
_MAIL_TOKEN = re.compile(
    r"(?:^|(?<=\s))(from|subject|date|to|cc|newsgroups|message-id|reply-to|organi[sz]ation)"
    r"[ \t]*:[ \t]*",
    re.I,
)
_PART_LINE = re.compile(
    r"^[ \t]*(?:part|chapter|ch\.?)[ \t]+\d+[ \t]*(?:/|of)[ \t]*\d+[ \t]*$|^[ \t]*\(?\d+/\d+\)?[ \t]*$",
    re.I,
)
_CHAPTER_HEADING = re.compile(
    r"^[ \t]*(?:chapter|part|book|prologue|epilogue|chapitre|kapitel|cap[ií]tulo|\d+|[IVXLC]+)"
    r"\b[^\n]{0,60}$",
    re.I,
)
_NAME_PART = r"(?:[A-Z\u00c0-\u024f]\.|[A-Z\u00c0-\u024f][\w'\u2019\-]*)"
_COPYRIGHT_BY = re.compile(
    r"(?:(?i:copyright(?:ed)?)|\u00a9|\([cC]\))[ \t]*(?:\u00a9|\([cC]\))?[ \t]*"
    r"\d{4}(?:[ \t]*[-\u2013,][ \t]*\d{4})?[ \t,]*(?:by[ \t]+)?"
    rf"(?P<name>{_NAME_PART}(?:[ \t]+{_NAME_PART}){{0,3}})"
)

# Fields whose value is a note (kept with its label), not metadata.
_NOTE_FIELDS = {"disclaimer", "archive", "feedback", "notes", "spoilers", "email"}
_GENRE_WORDS = {
    "romance",
    "angst",
    "drama",
    "humor",
    "humour",
    "fluff",
    "hurt/comfort",
    "h/c",
    "adventure",
    "general",
    "friendship",
    "tragedy",
    "horror",
    "mystery",
    "action",
    "pwp",
    "smut",
    "het",
    "slash",
    "femslash",
    "gen",
    "f/f",
    "m/m",
    "f/m",
    "m/f",
    "multi",
    "other",
    "first time",
    "character study",
    "au",
    "alternate universe",
    "crack",
    "comedy",
    "parody",
    "poetry",
    "songfic",
    "vignette",
    "missing scene",
    "post-episode",
    "episode tag",
    "pre-slash",
    "supernatural",
    "suspense",
    "thriller",
    "sci-fi",
    "science fiction",
    "fantasy",
    "family",
    "spiritual",
    "western",
    "crime",
    "introspection",
    "pov",
    "darkfic",
    "dark",
    "schmoop",
    "established relationship",
    "first kiss",
    "case fic",
    "casefic",
    "hurt",
    "comfort",
}
_AO3_CATEGORIES = {
    "f/f": "F/F",
    "f/m": "F/M",
    "m/m": "M/M",
    "gen": "Gen",
    "multi": "Multi",
    "other": "Other",
}

# Fields whose value is never a wrapped paragraph: a prose line right after one is story.
_ONE_LINE_FIELDS = frozenset(
    {
        "title",
        "authors",
        "rating",
        "fandoms",
        "pairings",
        "status",
        "words",
        "published",
        "updated",
        "chapters",
        "language",
        "url",
        "email",
        "series",
    }
)
_MAX_HEADER_LINES = 200
_MAX_HEADER_LINE = 4000


@dataclass
class _Header:
    """Header values collected so far, in file order."""

    values: dict[str, list[str]] = field(default_factory=dict)
    labels: dict[str, str] = field(default_factory=dict)  # field -> label as written
    notes: list[str] = field(default_factory=list)
    current: tuple[str, int] | None = None  # (field, index in values) being continued
    seen: int = 0

    def add(self, fld: str, label: str, value: str) -> None:
        self.seen += 1
        if fld in _NOTE_FIELDS:
            self.notes.append(f"{label.strip()}: {value}" if value else f"{label.strip()}:")
            self.current = ("__note__", len(self.notes) - 1)
            return
        if fld in self.values and fld not in ("pairings",):
            # A repeated label: the first value wins, the later one is kept in notes.
            self.notes.append(f"{label.strip()}: {value}")
            self.current = ("__note__", len(self.notes) - 1)
            return
        self.values.setdefault(fld, []).append(value)
        self.labels.setdefault(fld, label.strip())
        self.current = (fld, len(self.values[fld]) - 1)

    def extend(self, text: str) -> None:
        if self.current is None:
            return
        fld, i = self.current
        target = self.notes if fld == "__note__" else self.values[fld]
        target[i] = _join_wrapped([target[i], text]) if target[i] else text.strip()

    def first(self, fld: str) -> str:
        vals = self.values.get(fld)
        return vals[0].strip() if vals else ""


def parse_text(raw: RawFile, text: str) -> StoryDraft:
    """Parse a plain-text story (header block, story, trailer) into a draft."""
    lines = text.split("\n")
    n = len(lines)
    i, published, subject = _skip_preamble(lines)
    header = _Header()
    body_start, title = _read_header(lines, i, header, "")
    if not title and not header.first("title") and subject:
        title = _title_from_subject(subject)
    body_end, trailer_notes, footer = _find_body_end(lines, body_start)
    body = _paragraphs(lines[body_start:body_end]) if body_start < n else ""

    draft = StoryDraft(split_lists=True, encoding="")
    draft.title = header.first("title") or title
    authors = header.values.get("authors", [])
    if not authors:
        inferred = _author_from_copyright(header.notes + footer)
        authors = [inferred] if inferred else []
    draft.authors = authors
    fandoms = list(header.values.get("fandoms", []))
    tags = list(header.values.get("tags", []))
    categories: list[str] = []
    for value in header.values.get("category", []):
        if _looks_like_genres(value):
            tags.append(value)
        else:
            fandoms.append(value)
    series = header.first("series")
    if series and not fandoms and not re.search(r"\d|\bpart\b", series, re.I):
        fandoms.append(series)
        series = ""
    draft.series = series
    kept_tags: list[str] = []
    for value in tags:
        for part in _split_genre_parts(value):
            key = part.strip().casefold()
            if key in _AO3_CATEGORIES:
                categories.append(_AO3_CATEGORIES[key])
            elif part.strip():
                kept_tags.append(part.strip())
    draft.fandoms = fandoms
    draft.tags = kept_tags
    draft.categories = categories
    draft.pairings = header.values.get("pairings", [])
    draft.characters = header.values.get("characters", [])
    draft.warnings = header.values.get("warnings", [])
    draft.rating = header.first("rating")
    draft.language = header.first("language")
    draft.summary = header.first("summary")
    draft.url = header.first("url")
    draft.published = header.first("published") or published
    draft.updated = header.first("updated")
    draft.complete = _status(header)
    chapters = re.search(r"\d+", header.first("chapters"))
    draft.chapters = int(chapters.group(0)) if chapters else None
    draft.notes = [
        n.rstrip(":").strip() if n.endswith(":") else n for n in header.notes + trailer_notes
    ]
    draft.body = body
    return draft


# --- preamble and header -------------------------------------------------------------------


def _skip_preamble(lines: list[str]) -> tuple[int, str, str]:
    """Skip mail headers, web chrome and "Part n/m" lines; return (next line, date, subject)."""
    i = 0
    n = len(lines)
    published = ""
    subject = ""
    while i < n and not lines[i].strip():
        i += 1
    if i < n and (lines[i].startswith("From ") and not _LABEL_LINE.match(lines[i])):
        i += 1  # mbox separator line
    if (
        i < n
        and _MAIL_HEADER.match(lines[i])
        and not (i + 1 < n and _MAIL_HEADER.match(lines[i + 1]))
    ):
        # A reflowed mail header block: "From: x Subject: y Date: z" run together.
        end = _paragraph_end(lines, i)
        block = " ".join(ln.strip() for ln in lines[i:end])
        fields = list(_MAIL_TOKEN.finditer(block))
        if len(fields) >= 2:
            for k, token in enumerate(fields):
                value = block[token.end() : fields[k + 1].start() if k + 1 < len(fields) else None]
                name = token.group(1).lower()
                if name == "date":
                    published = value.strip()
                elif name == "subject":
                    subject = value.strip()
            i = end
    if i + 1 < n and _MAIL_HEADER.match(lines[i]) and _MAIL_HEADER.match(lines[i + 1]):
        # RFC-822 headers (and their indented continuation lines), up to the first line
        # that is neither; a story header may follow without a blank line.
        while i < n and (
            _MAIL_HEADER.match(lines[i]) or (lines[i][:1] in (" ", "\t") and lines[i].strip())
        ):
            m = re.match(r"^(date|subject)[ \t]*:[ \t]*(.+)$", lines[i], re.I)
            if m and m.group(1).lower() == "date":
                published = m.group(2).strip()
            elif m:
                subject = m.group(2).strip()
            i += 1
    while i < n and (
        not lines[i].strip() or _CHROME_TOP.match(lines[i]) or _PART_LINE.match(lines[i])
    ):
        i += 1
    return i, published, subject


def _title_from_subject(subject: str) -> str:
    """Make a fallback title of a mail Subject: drop [FIC]-style tags, parts and pairings."""
    s = re.sub(r"^(?:(?:re|fwd?)\s*:\s*)+", "", subject, flags=re.I)
    s = re.sub(r"\[[^\]]*\]|\{[^}]*\}", " ", s)
    s = re.sub(r"\(\s*[^()]*[/&x\u00d7][^()]*\)", " ", s)  # "(Syme x Gregory)"
    s = re.sub(r"\b(?:part\s+)?\d+\s*(?:/|of)\s*\d+\b", " ", s, flags=re.I)
    s = re.sub(r"\(\s*\)", " ", s)
    return re.sub(r"\s+", " ", s).strip(" -:;,.")


def _match_label(line: str) -> tuple[str, str, str] | None:
    """Return (field, label as written, value) for a header line, else None."""
    m = _LABEL_LINE.match(line)
    if m:
        label = m.group("label") or m.group("blabel")
        fld = label_field(label)
        if fld:
            return fld, label, m.group("value").strip()
    m = _WRITTEN_BY.match(line)
    if m and len(m.group("value").split()) <= 6 and not re.search(r"[.!?,;:]$", line.strip()):
        return "authors", "Written by", m.group("value").strip()
    m = _RATED.match(line)
    if m:
        rating, _ = map_rating(m.group("value"))
        if rating != "Not Rated":
            return "rating", "Rated", m.group("value").strip()
    return None


def _embedded_tokens(line: str, starts_with_label: bool, dash: bool = False) -> list[re.Match[str]]:
    lead = _LABEL_LINE.match(line) if starts_with_label else None
    skip_to = lead.start("value") if lead else 0
    found = [m for m in _EMBEDDED.finditer(line, skip_to) if label_field(m.group("label"))]
    if dash:
        found += [
            m for m in _EMBEDDED_DASH.finditer(line, skip_to) if label_field(m.group("label"))
        ]
        found.sort(key=lambda m: m.start())
    return found


def _uses_dash(line: str) -> bool:
    """True for a "Label - value" header line."""
    m = _LABEL_LINE.match(line)
    return bool(
        m
        and m.group("label")
        and re.match(r"[ \t]+[-\u2013\u2014]{1,2}[ \t]", line[m.end("label") :])
    )


def _is_reflowed(
    lines: list[str], i: int, dash: bool = False, counts: dict[tuple[int, bool], int] | None = None
) -> bool:
    """True when the header paragraph at line i has ``Label:`` tokens mid-line (reflowed).

    ``counts`` remembers each line's tokens between calls on the same ``lines`` (a header
    asks again at each of its label lines, over the rest of the same paragraph).
    """
    end = min(_paragraph_end(lines, i), i + 40)
    tokens = 0
    for k in range(i, end):
        got = None if counts is None else counts.get((k, dash))
        if got is None:
            line = lines[k][:_MAX_HEADER_LINE]
            got = len(_embedded_tokens(line, bool(_LABEL_LINE.match(line)), dash))
            if counts is not None:
                counts[k, dash] = got
        tokens += got
        if tokens >= 2:
            return True
    return False


def _split_embedded(
    line: str, starts_with_label: bool, reflowed: bool = False, dash: bool = False
) -> list[str]:
    """Split a reflowed header line at embedded ``LABEL:`` tokens.

    Capitalised tokens always split ("... AUTHOR: ..."); in a header known to be reflowed,
    any-case tokens do too ("Title: X Author: Y"), and so does "Written by".
    """
    cuts = []
    for m in _embedded_tokens(line, starts_with_label, dash and reflowed):
        token = m.group("label")
        if (
            token.isupper()
            or reflowed
            or (starts_with_label and re.search(r"\s{2,}$", line[: m.start()]))
        ):
            cuts.append(m.start())
    if reflowed:
        cuts.extend(m.start() for m in re.finditer(r"(?<=\s)written[ \t]+by[ \t]+", line, re.I))
        cuts.sort()
    if not cuts:
        return [line]
    pieces = []
    prev = 0
    for c in cuts:
        pieces.append(line[prev:c])
        prev = c
    pieces.append(line[prev:])
    return [p for p in pieces if p.strip()]


def _read_header(lines: list[str], i: int, header: _Header, title: str) -> tuple[int, str]:
    """Read the header block from line i; return (first body line, unlabelled title)."""
    n = len(lines)
    start = i
    after_separator = False
    blank_before = True
    reflowed = False
    dash = False
    counts: dict[tuple[int, bool], int] = {}  # _is_reflowed's per-line tokens
    while i < n and i - start < _MAX_HEADER_LINES:
        line = lines[i].replace("\u00a0", " ")
        stripped = line.strip()
        if not stripped:
            blank_before = True
            i += 1
            continue
        if _SEPARATOR.match(stripped) or _SIGNATURE.match(stripped):
            if header.seen or title:
                after_separator = True
            header.current = None
            blank_before = True
            i += 1
            continue
        if len(line) > _MAX_HEADER_LINE:
            return i, title  # a header line is never this long: the story has begun
        match = _match_label(line)
        if after_separator and not match:
            return i, title
        if match:
            if not header.seen:
                dash = _uses_dash(line)
            reflowed = reflowed or _is_reflowed(lines, i, dash, counts)
            pieces = _split_embedded(line, True, reflowed, dash)
            for piece in pieces:
                m2 = _match_label(piece)
                if m2:
                    header.add(*m2)
                else:
                    header.extend(piece)
            blank_before = False
            i += 1
            continue
        # An unlabelled line.
        if _DO_NOT_ARCHIVE.match(stripped):
            header.notes.append(stripped)
            header.current = None
            i += 1
            continue
        if (
            header.current is not None
            and not blank_before
            and not reflowed
            and header.current[0] in _ONE_LINE_FIELDS
            and _is_prose(stripped)
        ):
            return i, title  # "Rating: G" then the story's first line, with no blank between
        if header.current is not None and not blank_before:
            for piece in _split_embedded(line, False, reflowed, dash):
                m2 = _match_label(piece) if piece is not line else None
                if m2:
                    header.add(*m2)
                else:
                    header.extend(piece)
            i += 1
            continue
        para_end = _paragraph_end(lines, i)
        paragraph = " ".join(ln.strip() for ln in lines[i:para_end])
        nxt = _next_nonblank(lines, para_end)
        label_follows = (
            nxt is not None
            and bool(_match_label(lines[nxt][:_MAX_HEADER_LINE]))
            and not _is_teaser(lines[nxt])
        )
        if _CHAPTER_HEADING.match(paragraph) and len(paragraph.split()) <= 8:
            return i, title
        if _is_prose(paragraph):
            if header.seen and (label_follows or _note_before_separator(lines, i, header)):
                # A second paragraph of a summary or note, with more labels after it.
                _add_paragraph(header, paragraph)
                i = para_end
                blank_before = True
                continue
            return i, title
        if not header.seen and _CHROME_TOP.match(paragraph):
            i = para_end
            continue
        if (
            not header.seen
            and para_end - i <= 2
            and _looks_like_title(paragraph)
            and (not title or _labels_ahead(lines, para_end))
        ):
            # Site names and navigation may come first: the last short line before the
            # labels is the story's title.
            title = paragraph
            if para_end - i == 2:
                byline = _match_label(lines[i + 1])
                if byline and byline[0] == "authors":
                    title = lines[i].strip()
                    header.add(*byline)
            # "Title\nby Author" on the next line is the usual byline.
            i = para_end
            blank_before = True
            continue
        if label_follows:
            header.notes.append(paragraph)
            i = para_end
            blank_before = True
            continue
        return i, title
    if i - start >= _MAX_HEADER_LINES:
        return start, title
    return i, title


def _note_before_separator(lines: list[str], i: int, header: _Header) -> bool:
    """True when lines[i:] holds a few short paragraphs of a note or summary, then a separator.

    "A/N: ...", a blank line, "Thanks to ...", then "*****": the thanks belong to the note.
    Only short paragraphs continuing a summary or note, before a solid rule, qualify, so a
    story whose first paragraph is followed by a "* * *" scene break is not swallowed.
    """
    if header.current is None or header.current[0] not in ("summary", "__note__"):
        return False
    n = len(lines)
    for _ in range(3):
        end = _paragraph_end(lines, i)
        if len(" ".join(lines[i:end]).split()) > 40:
            return False
        nxt = _next_nonblank(lines, end)
        if nxt is None:
            return False
        rule = lines[nxt].strip()
        if _SEPARATOR.match(rule):
            # A header rule is a solid run ("*****", "~~~~~~"); "* * *" and "***" are the
            # usual scene breaks inside a story.
            return len(rule) >= 5 and " " not in rule and nxt + 1 < n
        i = nxt
    return False


def _labels_ahead(lines: list[str], i: int, paragraphs: int = 8) -> bool:
    """True when a labelled line comes within a few short paragraphs, before any prose."""
    n = len(lines)
    seen = 0
    while i < n and seen < paragraphs:
        while i < n and not lines[i].strip():
            i += 1
        if i >= n:
            return False
        if _match_label(lines[i][:_MAX_HEADER_LINE]):
            return True
        end = _paragraph_end(lines, i)
        if _is_prose(" ".join(ln.strip() for ln in lines[i:end])):
            return False
        i = end
        seen += 1
    return False


def _add_paragraph(header: _Header, paragraph: str) -> None:
    """Attach an extra header paragraph to the summary or note it continues."""
    if header.current and header.current[0] in ("summary", "__note__"):
        fld, idx = header.current
        target = header.notes if fld == "__note__" else header.values[fld]
        target[idx] = f"{target[idx]}\n\n{paragraph}"
    else:
        header.notes.append(paragraph)


def _looks_like_title(paragraph: str) -> bool:
    words = paragraph.split()
    return (
        0 < len(words) <= 15
        and not paragraph.startswith(("\u201c", '"', "\u2018", "'", "-"))
        and not re.search(r"[.,;:]$", paragraph)
    )


def _paragraph_end(lines: list[str], i: int) -> int:
    n = len(lines)
    while i < n and lines[i].strip():
        i += 1
    return i


def _next_nonblank(lines: list[str], i: int) -> int | None:
    n = len(lines)
    while i < n and not lines[i].strip():
        i += 1
    return i if i < n else None


def _is_prose(paragraph: str) -> bool:
    words = paragraph.split()
    if len(words) >= 25 or len(paragraph) >= 160:
        return True
    return (
        len(words) >= 8
        and bool(re.search(r"[.!?\u201d\"']\s*$", paragraph))
        and bool(re.search(r"[a-z]", paragraph))
    )


# --- trailer -------------------------------------------------------------------------------


def _find_body_end(lines: list[str], start: int) -> tuple[int, list[str], list[str]]:
    """Return (end of body, notes found after it, footer lines) for lines[start:]."""
    n = len(lines)
    end = n
    footer: list[str] = []
    # Site chrome: a chrome line ("Recent Posts", "© 2016 Name") ends the story when what
    # follows it is small next to the story (teasers and a footer), not when it sits in
    # the front matter ("All rights reserved." under a title page).
    total = sum(len(ln) + 1 for ln in lines[start:])
    seen = 0
    for j in range(start, n):
        s = lines[j]
        if len(s) < 100 and s.strip() and _CHROME_END.match(s.strip()):
            rest = total - seen
            if rest <= max(4000, seen // 4):
                end = j
                footer = [ln.strip() for ln in lines[j:] if ln.strip()]
                break
        seen += len(s) + 1
    # A "--" signature: everything after it is the poster's.
    for j in range(max(start, end - 40), end):
        if lines[j].strip() == "--" and _SIGNATURE.match(lines[j].rstrip()):
            end = j
            break
    # Walk back over end matter: separators, end markers, and feedback/note lines that sit
    # below one of those (a run of them right after story text is story text).
    notes: list[str] = []
    run_notes: list[str] = []
    cut = end
    j = end
    run_start: int | None = None  # cut position before the current feedback run
    run_len = 0
    while j > start:
        s = lines[j - 1].strip()
        if not s:
            j -= 1
            continue
        if (len(s) <= 200 and (_SEPARATOR.match(s) or _END_MARKER.match(s))) or _is_teaser(s):
            j -= 1
            cut = j
            notes = run_notes + notes
            run_notes, run_start, run_len = [], None, 0
            continue
        if len(s) <= 1000 and _AUTHOR_NOTE.match(s):
            # An explicit closing author's note needs no separator above it.
            j -= 1
            cut = j
            notes = [s, *run_notes, *notes]
            run_notes, run_start, run_len = [], None, 0
            continue
        if (
            len(s) <= 200
            and run_len < 12
            and (_FEEDBACK_LINE.search(s) or _NOTE_LINE.match(s) or _SIGNATURE_LINE.match(s))
        ):
            if run_start is None:
                run_start = cut
            if _NOTE_LINE.match(s):
                run_notes.insert(0, s)
            run_len += 1
            j -= 1
            continue
        break
    if run_start is not None:
        cut = run_start
    return cut, notes, footer


def _is_teaser(line: str) -> bool:
    """A teaser of another story: one line with its own TITLE:, FANDOM:... labels."""
    if len(line) > 2000:
        return False
    m = _LABEL_LINE.match(line)
    if not m or label_field(m.group("label") or m.group("blabel") or "") not in (
        "title",
        "fandoms",
        "pairings",
        "authors",
    ):
        return False
    return any(t.group("label").isupper() for t in _embedded_tokens(line, True))


# --- body ----------------------------------------------------------------------------------


def _paragraphs(lines: list[str]) -> str:
    """Join hard-wrapped lines into paragraphs; paragraphs separated by one blank line."""
    paras: list[list[str]] = []
    current: list[str] = []
    for line in lines:
        if line.strip():
            current.append(line.rstrip())
        elif current:
            paras.append(current)
            current = []
    if current:
        paras.append(current)
    width = _wrap_width(paras)
    out = []
    for para in paras:
        if len(para) == 1:
            out.append(para[0].strip())
        elif width:
            for block in _split_indented(para):
                if len(block) > 1 and all(len(ln) >= width * 0.5 for ln in block[:-1]):
                    out.append(_join_wrapped(block))
                else:
                    out.append("\n".join(ln.strip() for ln in block))
        elif any(len(ln) > 100 for ln in para):
            # Unwrapped text with one paragraph per line and no blank lines between.
            out.extend(ln.strip() for ln in para if ln.strip())
        else:
            out.append("\n".join(ln.strip() for ln in para))
    return "\n\n".join(out)


def _split_indented(para: list[str]) -> list[list[str]]:
    """Split a wrapped block where paragraphs are marked by indentation, not blank lines."""
    indented = [k for k, ln in enumerate(para) if k and re.match(r"^(?:\t| {2,})\S", ln)]
    if not indented or len(indented) * 2 > len(para):
        return [para]
    blocks = []
    prev = 0
    for k in indented:
        blocks.append(para[prev:k])
        prev = k
    blocks.append(para[prev:])
    return blocks


def _wrap_width(paras: list[list[str]]) -> int:
    """Return the hard-wrap column of the text, or 0 when lines are not hard-wrapped."""
    multi = [p for p in paras if len(p) > 1]
    total = sum(len(p) for p in paras)
    wrapped_lines = sum(len(p) for p in multi)
    if not multi or wrapped_lines * 2 < total:
        return 0
    lengths = sorted(len(ln) for p in multi for ln in p[:-1])
    width = lengths[int(len(lengths) * 0.9)] if lengths else 0
    return width if 20 <= width <= 100 else 0


# "Nord- und Südseite", "pre- and post-war": a hyphen before these words kept its space.
_CONJUNCTIONS = frozenset(
    {
        "und",
        "oder",
        "bis",
        "sowie",
        "bzw.",
        "u.",
        "and",
        "or",
        "to",
        "nor",
        "et",
        "ou",
        "y",
        "o",
        "e",
        "ni",
        "und/oder",
    }
)


def _join_wrapped(para: list[str]) -> str:
    """Join wrapped lines with spaces (linear: parts are collected, then joined once)."""
    parts: list[str] = []
    prev = ""
    for ln in para:
        ln = ln.strip()
        if not ln:
            continue
        # textwrap breaks after a hyphen ("well-" / "known"): keep the hyphen, no space.
        hyphen_break = (
            len(prev) >= 2
            and prev[-1] == "-"
            and prev[-2].isalpha()
            and ln[:1].isalpha()
            and ln.split(None, 1)[0] not in _CONJUNCTIONS
        )
        if parts and not hyphen_break:
            parts.append(" ")
        parts.append(ln)
        prev = ln
    return "".join(parts)


# --- field helpers -------------------------------------------------------------------------


_SLASHED_GENRE = re.compile(r"\bhurt/comfort\b|\bh/c\b|\b[fm]/[fm]\b", re.I)


def _split_genre_parts(value: str) -> list[str]:
    """Split a genre value on commas, and "Angst/Romance" (FFN style) on slashes.

    A slash splits only when every side is a known genre word and the whole is not one
    (so "Hurt/Comfort" and "F/M" stay whole).
    """
    out: list[str] = []
    for part in re.split(r"[,;]", value):
        key = part.strip().casefold()
        # Genres that hold a slash themselves are shielded before splitting on "/".
        shielded = _SLASHED_GENRE.sub(lambda m: m.group(0).replace("/", "\0"), part)
        sides = [x.strip().replace("\0", "/") for x in shielded.split("/")]
        if (
            len(sides) > 1
            and key not in _GENRE_WORDS
            and all(x.casefold() in _GENRE_WORDS for x in sides)
        ):
            out.extend(sides)
        else:
            out.append(part)
    return out


def _looks_like_genres(value: str) -> bool:
    parts = [p.strip().casefold() for p in re.split(r"[,;]", value) if p.strip()]
    return bool(parts) and all(p in _GENRE_WORDS for p in parts)


def _status(header: _Header) -> bool | None:
    value = header.first("status").casefold()
    if not value:
        return None
    label = header.labels.get("status", "").casefold()
    yes_no = re.match(r"(yes|y|true|no|n|false)\b", value)
    if yes_no and label in ("wip", "completed", "complete"):
        # "WIP: yes" is unfinished; "Completed: no" too.
        said_yes = yes_no.group(1) in ("yes", "y", "true")
        return said_yes if label != "wip" else not said_yes
    if re.search(
        r"\b(?:in[- ]progress|wip|incomplete|ongoing|unfinished|not complete|"
        r"в процессе|не закончен|en cours|in arbeit|en progreso)\b",
        value,
    ):
        return False
    if re.search(
        r"\b(?:complete|completed|finished|done|yes|oneshot|one-shot|закончен|"
        r"завершён|завершен|terminé|termine|fertig|abgeschlossen|completo|terminado)\b",
        value,
    ):
        return True
    return None


def _author_from_copyright(lines: list[str]) -> str:
    for line in lines:
        m = _COPYRIGHT_BY.search(line)
        if m:
            name = m.group("name").strip().rstrip(".")
            if name and not re.fullmatch(r"(?:All|Rights|Reserved|The|This)\b.*", name):
                return name
    return ""
