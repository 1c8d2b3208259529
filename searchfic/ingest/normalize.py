"""Turn a StoryDraft (values as written) into a Story: one normalisation for every format."""

from __future__ import annotations

import hashlib
import html
import re
import unicodedata
from collections.abc import Iterable, Iterator

from searchfic import model
from searchfic.errors import ParseError
from searchfic.ingest import headers
from searchfic.ingest.base import RawFile, StoryDraft
from searchfic.ingest.language import detect_language
from searchfic.words import REMEMBER_CHARS, body_words

_TAGGED = re.compile(r"<(?:p|br|div|span|em|i|b|strong|a|blockquote|ul|ol|li|h\d)\b[^>]*>", re.I)
_ENTITY = re.compile(r"&(?:#\d{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
_NO_FANDOM = re.compile(r"^(?:none|n/a|no fandom|not applicable)\b", re.I)
_EMAIL = re.compile(
    r"[<(\[]\s*(?:mailto:)?[\w.+-]+@[\w-]+(?:\.[\w-]+)+\s*[>)\]]|(?:mailto:)?[\w.+-]+@[\w-]+"
    r"(?:\.[\w-]+)+|[<(]\s*https?://[^\s>)]*\s*[>)]"
)
_NO_VALUE = re.compile(r"^(?:none|n/a|na|nothing|no|nil|-+)\.?$", re.I)
# A login or pseud rather than a personal name: underscores, digits, no capital, a "(login)".
_PSEUD = re.compile(r"[_\d@]|^[^A-Z\u00c0-\u024f\s]+$|\([^)]*\)\s*$")
_HONORIFIC = re.compile(r"^(?:mrs?|ms|miss|dr|sir|lady|lord|jr|sr|rev|prof|[ivx]+)\.?$", re.I)


def finish(draft: StoryDraft, raw: RawFile, fmt: str) -> Story:
    """Normalise a draft into a Story, or raise ParseError when the file holds no story."""
    body = normalise_body(draft.body)
    title = _line(draft.title)
    if not body and not title:
        raise ParseError(raw.path, "no story found (empty text and no title)")
    split = draft.split_lists

    pairing_values = [_line(v) for v in draft.pairings]
    if split:
        pairings = headers.parse_pairings(pairing_values)
    else:
        # One relationship per entry (AO3 tag links): tidy it, never split it.
        pairings = headers.dedupe(headers.tidy_pairing(v) for v in pairing_values)
    annotations = headers.pairing_annotations(pairing_values) if split else []
    lone_names = headers.pairing_singles(pairing_values) if split else []

    rating, rating_original = headers.map_rating(_line(draft.rating))
    language = headers.language_code(_line(draft.language)) if draft.language else None
    if language is None:
        language = detect_language(body)

    notes = [_plain(n) for n in draft.notes]
    if annotations:
        notes.append("Relationship notes: " + "; ".join(annotations))

    url = _line(draft.url) or None
    site_key = model.site_key_for(url, _line(draft.site_story_id) or None)
    fingerprint = _fingerprint(body) if body else model.content_hash(raw.data)
    return model.Story(
        id=model.story_id(fingerprint, site_key),
        source=raw.source,
        format=fmt,
        title=title,
        authors=tuple(_authors(draft.authors, split)),
        fandoms=tuple(v for v in _list(draft.fandoms, split) if not _NO_FANDOM.match(v)),
        pairings=tuple(pairings),
        characters=tuple(headers.dedupe([*_list(draft.characters, split), *lone_names])),
        rating=rating,
        rating_original=rating_original,
        warnings=tuple(v for v in _list(draft.warnings, split) if not _NO_VALUE.match(v)),
        categories=tuple(_list(draft.categories, split)),
        tags=tuple(_list(draft.tags, split)),
        language=language,
        summary=_plain(draft.summary),
        notes="\n\n".join(_dedupe_blocks(notes)),
        published=headers.parse_date(draft.published) if draft.published else None,
        updated=headers.parse_date(draft.updated) if draft.updated else None,
        complete=draft.complete,
        chapters=draft.chapters if draft.chapters and draft.chapters > 0 else None,
        words=_count_words(body),
        url=url,
        body=body,
        series=_line(draft.series) or None,
        encoding=draft.encoding or None,
        content_hash=model.content_hash(raw.data),
        site_key=site_key,
    )


Story = model.Story


def normalise_body(text: str) -> str:
    """Tidy story text: entity leftovers, trailing spaces, one blank line between paragraphs."""
    if not text:
        return ""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "")
    if "&" in text and _ENTITY.search(text):
        text = _ENTITY.sub(lambda m: html.unescape(m.group(0)), text)
    text = unicodedata.normalize("NFC", text)
    paragraphs = re.split(r"\n[ \t\u00a0]*(?:\n[ \t\u00a0]*)+", text)
    out = []
    for para in paragraphs:
        lines = [ln.rstrip() for ln in para.split("\n")]
        joined = "\n".join(ln for ln in lines if ln.strip() or ln)
        if joined.strip():
            out.append(joined.strip("\n").rstrip())
    return "\n\n".join(p.lstrip("\n") for p in out).strip()


def _chunks(text: str, size: int = 1 << 20) -> Iterator[str]:
    """Yield pieces of text cut at whitespace, so no word spans two pieces."""
    pos = 0
    n = len(text)
    while pos < n:
        end = min(n, pos + size)
        while end < n and not text[end].isspace():
            end += 1
        yield text[pos:end]
        pos = end


def _count_words(body: str) -> int:
    """``model.count_words`` without holding every word of a huge body in memory at once."""
    if len(body) < 1 << 20:
        return model.count_words(body)
    return sum(model.count_words(chunk) for chunk in _chunks(body))


def _fingerprint(body: str) -> str:
    r"""Hash the casefolded alphanumeric words, so layout and punctuation do not count.

    The words are ``[^\W_]+`` runs of ``body.casefold()``. They are found from the body's
    analysis words (:func:`searchfic.words.body_words`, one scan shared with indexing):
    case folding maps each character on its own, and the only separator it turns into a
    word character is U+0345 (a body holding one takes the direct scan). Inside words it
    can give the combining marks U+0300-036F, which separate ``[^\W_]+`` runs (``İ`` folds
    to ``i`` and U+0307): a text with one is split again. A huge body is hashed in pieces.
    """
    if len(body) <= REMEMBER_CHARS and "\u0345" not in body:
        text = " ".join(body_words(body)).casefold()
        if not text.isascii() and _MARKS.search(text):
            text = " ".join(_WORD.findall(text))
        return hashlib.blake2b(text.encode("utf-8"), digest_size=16).hexdigest()
    h = hashlib.blake2b(digest_size=16)
    first = True
    for chunk in _chunks(body):
        words = _WORD.findall(chunk.casefold())
        if words:
            h.update(((" " if not first else "") + " ".join(words)).encode("utf-8"))
            first = False
    return h.hexdigest()


_WORD = re.compile(r"[^\W_]+")
_MARKS = re.compile("[\u0300-\u036f]")


def _line(value: str) -> str:
    """One-line value: entities decoded, tags dropped, whitespace collapsed."""
    if not value:
        return ""
    if "&" in value:
        value = _ENTITY.sub(lambda m: html.unescape(m.group(0)), value)
    return re.sub(r"\s+", " ", value.replace("\x00", "")).strip()


def _plain(value: str) -> str:
    """Plain text of a summary or note: HTML to text, paragraphs kept, whitespace tidied."""
    if not value:
        return ""
    if _TAGGED.search(value):
        value = re.sub(r"<br\s*/?>", "\n", value, flags=re.I)
        value = re.sub(r"</(?:p|div|blockquote|li|h\d)>", "\n\n", value, flags=re.I)
        value = re.sub(r"<[^>]+>", "", value)
    value = _ENTITY.sub(lambda m: html.unescape(m.group(0)), value)
    paragraphs = re.split(r"\n\s*\n", value)
    out = [re.sub(r"[ \t\u00a0]*\n[ \t\u00a0]*", "\n", p).strip() for p in paragraphs]
    out = [re.sub(r"[ \t]+", " ", p) for p in out if p.strip()]
    return "\n\n".join(out)


def _list(values: Iterable[str], split: bool) -> list[str]:
    cleaned = [_line(v) for v in values]
    if split:
        parts: list[str] = []
        for v in cleaned:
            parts.extend(headers.split_list(v))
        return headers.dedupe(parts)
    return headers.dedupe(cleaned)


def _authors(values: Iterable[str], split: bool) -> list[str]:
    # Contact addresses are not part of a name: "Wren <wren@example.invalid>".
    cleaned = [_EMAIL.sub(" ", _line(v)).strip(" ,;-") for v in values]
    if not split:
        return headers.dedupe(cleaned)
    out: list[str] = []
    for v in cleaned:
        v = re.sub(r"^(?:by|written by)\s+", "", v, flags=re.I)
        for chunk in re.split(r"\s*;\s*|\s+&\s+", v):
            for name in _split_author_and(chunk):
                out.extend(_split_author_commas(name))
    return headers.dedupe(out)


def _split_author_and(chunk: str) -> list[str]:
    """Split "Hester Wren and Tobias Vane" into two authors; keep "Salt and Pepper" whole.

    Both sides must be personal names of two or more capitalised words, so a one-word pseud
    that happens to contain "and" stays one author.
    """
    parts = re.split(r"\s+and\s+", chunk)
    if len(parts) == 2 and all(
        len(p.split()) >= 2 and all(w[:1].isupper() or w[:1] in ".-" for w in p.split())
        for p in parts
    ):
        return parts
    return [chunk]


def _split_author_commas(chunk: str) -> list[str]:
    """Split "a, b" into authors only when the parts are clearly separate names.

    "Surname, Given Names" (the usual library form: "Jerome, Jerome K.", "Ortega Munilla,
    José", "Ward, Humphry, Mrs.") stays one author. Login-like pseuds ("wren_h, ash99",
    "baker_street_irregular, Tansy (tansy_and_thyme)") and lists of three or more full names
    are split.
    """
    parts = [p.strip() for p in chunk.split(",") if p.strip()]
    if len(parts) < 2:
        return parts
    if all(_PSEUD.search(p) for p in parts):
        return parts
    if len(parts) >= 3 and all(len(p.split()) >= 2 and not _HONORIFIC.search(p) for p in parts):
        return parts
    return [", ".join(parts)]


def _dedupe_blocks(blocks: Iterable[str]) -> list[str]:
    seen: set[str] = set()
    out: list[str] = []
    for b in blocks:
        key = re.sub(r"\s+", " ", b).strip().casefold()
        if key and key not in seen:
            seen.add(key)
            out.append(b)
    return out
