"""Header values, normalised: label aliases, ratings, relationships, lists, dates, languages.

Every format parser hands values "as written" to ``normalize.finish``, which calls these
functions; docs/formats.md §4–§6 is the reference for each table here.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from datetime import date
from email.utils import parsedate

# --- labels (§4.1) -------------------------------------------------------------------------

# Canonical field names. Most are Story fields; the rest end up in notes (email, archive,
# disclaimer, feedback, spoilers), drive other fields (status, words, date) or need the
# values to decide (category: eFiction's fandom, or a mailing list's genre).
_LABEL_TABLE: dict[str, tuple[str, ...]] = {
    "title": (
        "title",
        "story title",
        "story",
        "name",
        "title & part number",
        "title and part number",
        "ttile",
        "fic title",
        "story name",
        "название",
    ),
    "authors": (
        "author",
        "authors",
        "by",
        "written by",
        "writer",
        "author name",
        "pen name",
        "penname",
        "author/artist",
        "authors/artists",
        "автор",
        "авторы",
    ),
    "email": ("e-mail", "email", "e-mail address", "email address", "contact", "mail"),
    "fandoms": ("fandom", "fandoms", "universe", "show", "crossover", "source", "фэндом", "фандом"),
    "series": ("series",),
    "pairings": (
        "pairing",
        "pairings",
        "relationship",
        "relationships",
        "relationship(s)",
        "ship",
        "ships",
        "couple",
        "couples",
        "main pairing",
        "main pairings",
        "characters/pairings",
        "characters/pairing",
        "pairings/characters",
        "other pairings",
        "other pairing",
        "side pairings",
        "пейринг",
        "пэйринг",
        "пейринги",
    ),
    "characters": (
        "characters",
        "character",
        "character(s)",
        "featuring",
        "main characters",
        "main character",
        "персонажи",
    ),
    "rating": ("rating", "rated", "rate", "ratings", "рейтинг"),
    "warnings": (
        "warning",
        "warnings",
        "warning(s)",
        "content warning",
        "content warnings",
        "content warning(s)",
        "fic warning",
        "fic warnings",
        "archive warning",
        "archive warnings",
        "triggers",
        "trigger warning",
        "trigger warnings",
        "cw",
        "tw",
        "предупреждение",
        "предупреждения",
    ),
    "tags": (
        "genre",
        "genres",
        "genre(s)",
        "type",
        "classification",
        "keywords",
        "tags",
        "additional tags",
        "freeform tags",
        "жанр",
        "жанры",
    ),
    "category": ("category", "categories", "category(s)"),
    "spoilers": (
        "spoiler",
        "spoilers",
        "spoiler(s)",
        "spoiler warning",
        "spoiler warnings",
        "timeline",
        "set",
        "season",
        "time",
        "setting",
    ),
    "summary": (
        "summary",
        "summary for story",
        "description",
        "blurb",
        "synopsis",
        "teaser",
        "abstract",
        "саммари",
        "описание",
    ),
    "disclaimer": (
        "disclaimer",
        "disclaimers",
        "legal",
        "legal stuff",
        "legalese",
        "standard disclaimer",
        "дисклеймер",
        "дисклаймер",
    ),
    "archive": (
        "archive",
        "archiving",
        "distribution",
        "permission to archive",
        "archive permission",
    ),
    "feedback": ("feedback", "comments", "c&c", "reviews", "feedback welcome"),
    "notes": (
        "notes",
        "note",
        "author's note",
        "author's notes",
        "authors note",
        "authors notes",
        "author note",
        "author notes",
        "a/n",
        "an",
        "dedication",
        "thanks",
        "beta",
        "betas",
        "beta-reader",
        "beta-readers",
        "beta reader",
        "beta readers",
        "beta-reader(s)",
        "beta reader(s)",
        "betareader",
        "примечания",
        "примечание",
        "бета",
        "посвящение",
    ),
    "words": ("word count", "words", "length", "size", "wordcount", "размер"),
    "status": ("status", "wip", "completed", "complete", "статус"),
    "published": (
        "date",
        "posted",
        "published",
        "date posted",
        "first posted",
        "written",
        "posted on",
        "published on",
        "first posted on",
        "written on",
    ),
    "updated": ("last update", "last updated", "updated", "updated on", "last updated on"),
    "chapters": ("chapters",),
    "language": ("language", "lang", "язык"),
    "url": ("url", "story url", "link", "story link"),
}

LABELS: dict[str, str] = {
    variant.casefold(): field for field, variants in _LABEL_TABLE.items() for variant in variants
}


def label_field(label: str) -> str | None:
    """Return the canonical field of a header label as written (decorations ignored)."""
    key = label.replace("\u00a0", " ").replace("\u2019", "'").strip()
    key = key.strip("*_[]#<>~=-:. \t").strip()
    key = re.sub(r"\s+", " ", key).casefold()
    return LABELS.get(key)


# --- ratings (§5) --------------------------------------------------------------------------

_RATINGS: dict[str, str] = {}
for _value, _tokens in (
    (
        "General Audiences",
        ("g", "k", "general", "generalaudiences", "allages", "gen", "general audience"),
    ),
    (
        "Teen And Up Audiences",
        (
            "pg",
            "k+",
            "pg13",
            "t",
            "teen",
            "teenandup",
            "teenandupaudiences",
            "frt",
            "teens",
            "pg15",
        ),
    ),
    ("Mature", ("r", "m", "ma", "mature", "r18")),
    (
        "Explicit",
        (
            "nc17",
            "nc21",
            "e",
            "explicit",
            "adult",
            "x",
            "xxx",
            "18+",
            "frao",
            "nc",
            "adultsonly",
            "nc18",
        ),
    ),
    ("Not Rated", ("none", "notrated", "unrated", "nr", "n/a", "na")),
):
    for _token in _tokens:
        _RATINGS[_token.replace(" ", "")] = _value

# Longest phrases first so "Teen And Up Audiences" wins over "Teen".
_RATING_PHRASES = sorted(
    (
        "general audiences",
        "teen and up audiences",
        "teen and up",
        "not rated",
        "all ages",
        "adults only",
        "nc-17",
        "nc 17",
        "nc-21",
        "pg-13",
        "pg 13",
        "pg-15",
        "k+",
        "18+",
    ),
    key=len,
    reverse=True,
)


def map_rating(text: str) -> tuple[str, str]:
    """Map a rating as written to (AO3 rating, original token without trailing prose)."""
    value = re.sub(r"\s+", " ", text.replace("\u00a0", " ")).strip().strip("*_[]").strip()
    if not value:
        return "Not Rated", ""
    lowered = value.casefold()
    for phrase in _RATING_PHRASES:
        if lowered.startswith(phrase) and _ends_token(lowered, len(phrase)):
            token = value[: len(phrase)]
            return _RATINGS.get(_rating_key(token), "Not Rated"), token
    m = re.match(r"[^\s,;(\[/.]+", value)
    token = m.group(0) if m else value
    token = token.rstrip(":.")
    key = _rating_key(token)
    if key in _RATINGS:
        return _RATINGS[key], token
    if value.casefold() in ("none", "not rated", "unrated"):
        return "Not Rated", value
    # Unknown word ("Tweenie"): keep the whole short value as the original.
    original = value if len(value) <= 40 else token
    return "Not Rated", original


def _ends_token(lowered: str, end: int) -> bool:
    return end >= len(lowered) or not lowered[end].isalnum()


def _rating_key(token: str) -> str:
    return re.sub(r"[\s\-_]", "", token.casefold())


# --- lists and relationships (§6) ----------------------------------------------------------


def split_list(text: str) -> list[str]:
    """Split on ``,`` and ``;`` outside parentheses/brackets, trim, drop empties, dedupe."""
    parts = _split_outside_parens(text, ",;")
    return dedupe(_strip_full_stop(p) for p in parts)


_INITIAL_END = re.compile(r"(?:^|[\s.])[A-Z\u00c0-\u024f]\.$")


def _strip_full_stop(text: str) -> str:
    """Trim spaces and a closing full stop, but keep the stop of an initial ("Edward R.")."""
    text = text.strip()
    while text.endswith(".") and not _INITIAL_END.search(text):
        text = text[:-1].rstrip()
    return text.strip(".").strip() if text.startswith(".") else text


def dedupe(values: Iterable[str]) -> list[str]:
    """Drop empty values and case-insensitive repeats, keeping the first spelling."""
    seen: set[str] = set()
    out: list[str] = []
    for v in values:
        v = re.sub(r"\s+", " ", v).strip()
        key = v.casefold()
        if v and key not in seen:
            seen.add(key)
            out.append(v)
    return out


def _split_outside_parens(text: str, seps: str) -> list[str]:
    parts: list[str] = []
    depth = 0
    current: list[str] = []
    for ch in text:
        if ch in "([{":
            depth += 1
        elif ch in ")]}" and depth:
            depth -= 1
        if ch in seps and depth == 0:
            parts.append("".join(current))
            current = []
        else:
            current.append(ch)
    parts.append("".join(current))
    return parts


_TRAILING_PAREN = re.compile(r"\s*[(\[][^()\[\]]*[)\]]\s*$")
_ANNOTATION_WORDS = re.compile(
    r"\s+(?:romance|romantic|friendship|pre-?slash|slash|implied|past|established|"
    r"background|mentioned|unrequited|one-sided|eventual|fluff)\s*$",
    re.I,
)
_NAME_WORD = r"[A-Z\u00c0-\u024f\u0370-\u04ff][\w'\u2019.\-]*"


def parse_pairings(values: Iterable[str]) -> list[str]:
    """Parse relationship strings to tidy ``A/B``, ``A & B``, ``A/B/C`` forms, in order."""
    out: list[str] = []
    for value in values:
        for part in _split_pairing_list(value):
            tidy = _parse_pairing(part)
            if tidy and _is_relationship(tidy):
                out.append(tidy)
    return dedupe(out)


def pairing_singles(values: Iterable[str]) -> list[str]:
    """Return the lone names in a pairing field ("Characters/Pairings: Harry, Draco/Harry")."""
    out: list[str] = []
    for value in values:
        for part in _split_pairing_list(value):
            tidy = _parse_pairing(part)
            if tidy and not _is_relationship(tidy) and not _NO_PAIRING.match(tidy):
                out.append(tidy)
    return dedupe(out)


_NO_PAIRING = re.compile(r"^(?:none|n/?a|gen|no pairings?|no ships?|nil|-+|\?+)\b", re.I)


def _is_relationship(tidy: str) -> bool:
    return "/" in tidy or " & " in tidy


def tidy_pairing(value: str) -> str:
    """Tidy one relationship string without splitting it into a list."""
    return _parse_pairing(value)


def pairing_annotations(values: Iterable[str]) -> list[str]:
    """Return the trailing annotations ("(friendship)", "(past)") dropped by parse_pairings."""
    notes: list[str] = []
    for value in values:
        for part in _split_pairing_list(value):
            m = _TRAILING_PAREN.search(part.strip())
            lead = _LEADING_ANNOTATION.match(part.strip().lstrip("["))
            if m and _member_separator_present(part[: m.start()]):
                notes.append(f"{_parse_pairing(part)} {m.group(0).strip()}")
            elif lead and _member_separator_present(part):
                notes.append(f"{_parse_pairing(part)} ({lead.group(0).strip()})")
    return notes


def _split_pairing_list(value: str) -> list[str]:
    value = value.replace("\u00a0", " ").strip()
    parts: list[str] = []
    for chunk in _split_outside_parens(value, ",;"):
        groups = _BRACKET_LIST.findall(chunk)
        if groups:
            for group in groups:
                names = [n for n in group.split(",") if n.strip()]
                if _member_separator_present(group):
                    parts.extend(names)  # "[Harry/Draco, Ron/Hermione]": a bracketed list
                else:
                    # FanFiction.net writes a pair as "[Jane E., Edward R.]": one romantic
                    # relationship per bracket.
                    parts.append("/".join(_strip_full_stop(n) for n in names))
            # Names left outside the brackets are lone characters.
            parts.extend(n for n in _BRACKET_LIST.sub(",", chunk).split(",") if n.strip())
            continue
        # " and " separates two pairings only when both sides are pairings already.
        pieces = re.split(r"\s+and\s+", chunk)
        if len(pieces) > 1 and all(_member_separator_present(p) for p in pieces):
            parts.extend(pieces)
        else:
            parts.append(chunk)
    return [p.strip() for p in parts if p.strip()]


_BRACKET_LIST = re.compile(r"\[([^\[\]]*,[^\[\]]*)\]")


def _member_separator_present(text: str) -> bool:
    return bool(re.search(r"[/&+×]|\s[xX]\s", text))


_LEADING_ANNOTATION = re.compile(
    r"^(?:(?:mentions?|mentioned|implied|past|background|hints?|slight|one-sided|unrequited|"
    r"eventual|established|pre-slash|minor|side)\s+(?:of\s+)?)+(?=\S)",
    re.I,
)


def _parse_pairing(part: str) -> str:
    s = part.strip()
    if s.startswith("[") and s.endswith("]"):
        s = s[1:-1].strip()
        if "," in s and not _member_separator_present(s):
            # FanFiction.net's "[Jane E., Edward R.]" is one romantic pair.
            s = "/".join(_strip_full_stop(n) for n in s.split(",") if n.strip())
    if _member_separator_present(s):
        s = _LEADING_ANNOTATION.sub("", s)
    # Trailing annotations: "(friendship)", "(established)", " romance".
    while True:
        m = _TRAILING_PAREN.search(s)
        if not m or not _member_separator_present(s[: m.start()]):
            break
        s = s[: m.start()].strip()
    s = _ANNOTATION_WORDS.sub("", s) if _member_separator_present(s) else s
    s = _strip_full_stop(s)
    if not s:
        return ""
    platonic = False
    members: list[str]
    if "/" in s:
        members = s.split("/")
    elif "&" in s:
        members = s.split("&")
        platonic = True
    elif "×" in s:
        members = s.split("×")
    elif re.search(r"\s[xX]\s", s):
        members = re.split(r"\s+[xX]\s+", s)
    elif "+" in s:
        members = s.split("+")
    elif re.search(r"\s+and\s+", s):
        members = re.split(r"\s+and\s+", s)
    else:
        m = re.fullmatch(rf"({_NAME_WORD})x({_NAME_WORD})", s)
        members = [m.group(1), m.group(2)] if m else [s]
    members = [re.sub(r"\s+", " ", x).strip() for x in members]
    members = [x for x in members if x]
    if not members:
        return ""
    return (" & " if platonic else "/").join(members)


# --- dates ---------------------------------------------------------------------------------

_MONTHS = {
    m: i + 1
    for i, names in enumerate(
        (
            ("january", "jan", "janvier", "januar", "enero", "janv"),
            ("february", "feb", "février", "fevrier", "februar", "febrero", "févr", "fev"),
            ("march", "mar", "mars", "märz", "marz", "marzo"),
            ("april", "apr", "avril", "abril", "avr"),
            ("may", "mai", "mayo"),
            ("june", "jun", "juin", "juni", "junio"),
            ("july", "jul", "juillet", "juli", "julio", "juil"),
            ("august", "aug", "août", "aout", "agosto"),
            ("september", "sep", "sept", "septembre", "septiembre"),
            ("october", "oct", "octobre", "oktober", "octubre", "okt"),
            ("november", "nov", "novembre", "noviembre"),
            ("december", "dec", "décembre", "decembre", "dezember", "diciembre", "dez", "déc"),
        )
    )
    for m in names
}
_MONTH_RE = "|".join(sorted((re.escape(m) for m in _MONTHS), key=len, reverse=True))


def parse_date(text: str) -> str | None:
    """Return ``YYYY-MM-DD`` for a full date in a common shape, else None.

    Numeric dates with slashes are read month first (``03/01/2004`` = March 1) unless the
    first number cannot be a month; dotted dates (``01.03.2004``) are read day first, as
    Europeans write them.
    """
    s = text.strip().replace("\u00a0", " ")
    if not s:
        return None
    m = re.search(r"\b(\d{4})-(\d{1,2})-(\d{1,2})\b", s) or re.search(
        r"\b(\d{4})/(\d{1,2})/(\d{1,2})\b", s
    )
    if m:
        return _ymd(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    m = re.search(rf"\b({_MONTH_RE})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{4}})\b", s, re.I)
    if m:
        return _ymd(int(m.group(3)), _MONTHS[m.group(1).casefold()], int(m.group(2)))
    m = re.search(
        rf"\b(\d{{1,2}})(?:st|nd|rd|th|er)?\.?\s+(?:of\s+|de\s+)?({_MONTH_RE})\.?,?\s+"
        rf"(?:de\s+)?(\d{{4}})\b",
        s,
        re.I,
    )
    if m:
        return _ymd(int(m.group(3)), _MONTHS[m.group(2).casefold()], int(m.group(1)))
    m = re.search(r"\b(\d{1,2})/(\d{1,2})/(\d{4}|\d{2})\b", s)
    if m:
        a, b, y = int(m.group(1)), int(m.group(2)), _year(m.group(3))
        if a > 12 >= b:
            return _ymd(y, b, a)
        return _ymd(y, a, b)
    m = re.search(r"\b(\d{1,2})\.(\d{1,2})\.(\d{4})\b", s)
    if m:
        return _ymd(int(m.group(3)), int(m.group(2)), int(m.group(1)))
    parsed = parsedate(s)
    if parsed and parsed[0] and parsed[1] and parsed[2]:
        return _ymd(parsed[0], parsed[1], parsed[2])
    return None


def _year(text: str) -> int:
    y = int(text)
    if len(text) == 2:
        y += 1900 if y >= 70 else 2000
    return y


def _ymd(y: int, m: int, d: int) -> str | None:
    try:
        return date(y, m, d).isoformat()
    except ValueError:
        return None


# --- languages -----------------------------------------------------------------------------

_LANGUAGE_NAMES: dict[str, tuple[str, ...]] = {
    "en": ("english", "anglais", "englisch", "inglés", "ingles"),
    "fr": ("french", "français", "francais", "französisch", "francés"),
    "de": ("german", "deutsch", "allemand", "alemán", "aleman"),
    "es": ("spanish", "español", "espanol", "castellano", "espagnol", "spanisch"),
    "it": ("italian", "italiano", "italien", "italienisch"),
    "pt": (
        "portuguese",
        "português",
        "portugues",
        "português brasileiro",
        "português europeu",
        "brazilian portuguese",
    ),
    "nl": ("dutch", "nederlands", "néerlandais"),
    "ru": ("russian", "русский", "russe", "russisch", "ruso"),
    "uk": ("ukrainian", "українська"),
    "pl": ("polish", "polski"),
    "cs": ("czech", "čeština", "cestina"),
    "sv": ("swedish", "svenska"),
    "da": ("danish", "dansk"),
    "no": ("norwegian", "norsk", "bokmål", "nynorsk"),
    "fi": ("finnish", "suomi"),
    "hu": ("hungarian", "magyar"),
    "ro": ("romanian", "română", "romana"),
    "tr": ("turkish", "türkçe", "turkce"),
    "el": ("greek", "ελληνικά"),
    "he": ("hebrew", "עברית"),
    "ar": ("arabic", "العربية"),
    "fa": ("persian", "farsi", "فارسی"),
    "hi": ("hindi", "हिन्दी", "हिंदी"),
    "zh": (
        "chinese",
        "中文",
        "中文-普通话 國語",
        "中文-普通话 国语",
        "中文-广东话 粵語",
        "普通话",
        "國語",
        "国语",
        "粵語",
        "mandarin",
        "cantonese",
    ),
    "ja": ("japanese", "日本語"),
    "ko": ("korean", "한국어", "한국말"),
    "vi": ("vietnamese", "tiếng việt"),
    "th": ("thai", "ไทย"),
    "id": ("indonesian", "bahasa indonesia"),
    "ms": ("malay", "bahasa malaysia", "bahasa melayu"),
    "tl": ("tagalog", "filipino"),
    "ca": ("catalan", "català"),
    "eu": ("basque", "euskara"),
    "gl": ("galician", "galego"),
    "la": ("latin", "lingua latina", "latina"),
    "eo": ("esperanto",),
    "bg": ("bulgarian", "български"),
    "sr": ("serbian", "српски", "srpski"),
    "hr": ("croatian", "hrvatski"),
    "sk": ("slovak", "slovenčina"),
    "sl": ("slovenian", "slovenščina"),
    "lt": ("lithuanian", "lietuvių", "lietuvių kalba"),
    "lv": ("latvian", "latviešu", "latviešu valoda"),
    "et": ("estonian", "eesti", "eesti keel"),
    "is": ("icelandic", "íslenska"),
    "ga": ("irish", "gaeilge"),
    "cy": ("welsh", "cymraeg"),
}
_LANGUAGE_BY_NAME: dict[str, str] = {
    name.casefold(): code for code, names in _LANGUAGE_NAMES.items() for name in names
}
_CODES = set(_LANGUAGE_NAMES)


def language_code(text: str) -> str | None:
    """Map a language name (in English or in itself) or code to ISO 639-1, else None."""
    s = unicodedata.normalize("NFC", text).strip().strip(".").strip()
    if not s:
        return None
    key = re.sub(r"\s+", " ", s).casefold()
    if key in _LANGUAGE_BY_NAME:
        return _LANGUAGE_BY_NAME[key]
    m = re.fullmatch(r"([a-z]{2})(?:[-_][a-z0-9]{2,8})*", key)
    if m and m.group(1) in _CODES:
        return m.group(1)
    if m and len(key) == 2:
        return key
    # "中文-普通话 國語", "English (UK)": try the part before a dash, bracket or space.
    for head in (re.split(r"[-(/,]", key)[0].strip(), key.split(" ")[0]):
        if head in _LANGUAGE_BY_NAME:
            return _LANGUAGE_BY_NAME[head]
    return None
