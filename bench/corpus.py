"""Build the benchmark corpus: fan-fiction-shaped stories cut from the ELTeC novels.

Each story is a paragraph-aligned piece of one public-domain novel (median about 4,000
words, 500 to 20,000), dressed with a classic fan fiction header (or an AO3 download page)
whose FANDOM is the novel and whose PAIRING names two of its characters, in one of several
notations. Everything is deterministic for a given seed: story *i* depends only on the seed,
*i* and the stories cut before it, so the 1,000-story corpus is the prefix of the 10,000 one.

    python bench/corpus.py --stories 1000          # writes bench/corpus/1000/ + 1000.jsonl

The manifest (``bench/corpus/<n>.jsonl``, beside the folder so no indexer reads it) records,
per story, where its body comes from in the novel and the metadata as intended; the query
builder and the recall checks use it as ground truth.
"""

from __future__ import annotations

import argparse
import html
import json
import math
import random
import re
import sys
import textwrap
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ELTEC = BENCH.parents[1] / "shared" / "corpus" / "eltec"
LANGS = ("eng", "fra", "deu", "spa")
LANG_CODE = {"eng": "en", "fra": "fr", "deu": "de", "spa": "es"}
LANG_NAME = {"en": "English", "fr": "Français", "de": "Deutsch", "es": "Español"}
DEFAULT_SEED = 20261130

MEDIAN_WORDS = 4000
MIN_WORDS = 500
MAX_WORDS = 20000
# sigma of the log-normal piece length: median 4,000 gives a mean near 5,300 words,
# so 10,000 stories come to about 300 MB, the size the task asks for.
LENGTH_SIGMA = 0.75

# Words that start capitalised mid-sentence without being a character's name.
_NOT_NAMES = {
    "I",
    "Mr",
    "Mrs",
    "Miss",
    "Sir",
    "Lady",
    "Lord",
    "Dr",
    "Captain",
    "Colonel",
    "Madame",
    "Monsieur",
    "Mademoiselle",
    "Mme",
    "Mlle",
    "Herr",
    "Frau",
    "Fräulein",
    "Don",
    "Doña",
    "Señor",
    "Señora",
    "Señorita",
    "God",
    "Dieu",
    "Gott",
    "Dios",
    "English",
    "French",
    "London",
    "Paris",
    "Madrid",
    "Berlin",
    "England",
    "France",
    "Spain",
    "Germany",
    "Oh",
    "Ah",
    "O",
    "Sie",
    "Ihr",
    "Ihnen",
    "Du",
    "Dich",
    "Dir",
    "Ich",
    "Er",
    "Es",
    "Wir",
    "Usted",
    "Ud",
    "Vd",
    "Christ",
    "Heaven",
    "Providence",
    "Church",
    "Monday",
    "Sunday",
    "Saturday",
    "Chapter",
    "CHAPTER",
    "Street",
    "Square",
    "Park",
    "Hall",
    "House",
    "King",
    "Queen",
    "Prince",
    "Princess",
    "Jesus",
    "Virgen",
    "Madre",
    "Padre",
    "Roi",
    "Reine",
    "Baron",
    "Baronin",
    "Gräfin",
    "Graf",
    "Fürst",
    "Fürstin",
    "Marquis",
    "Marquise",
    "Comte",
    "Comtesse",
    "Duc",
    "Duchesse",
    "Conde",
    "Condesa",
    "Marqués",
    "Marquesa",
    "Duque",
    # German capitalises every noun; the commonest slip past the article test.
    "Tag",
    "Tage",
    "Tagen",
    "Mann",
    "Jahre",
    "Jahren",
    "Kapitel",
    "Hause",
    "Leben",
    "Mädchen",
    "Herrn",
    "Kinder",
    "Zeit",
    "Augen",
    "Hand",
    "Welt",
    "Vater",
    "Mutter",
    "Stadt",
    "Euch",
    "Mamma",
    "Papa",
    "Russian",
    "Mariners",
    "Saint",
}
_TITLES = {"Mr", "Mrs", "Miss", "Sir", "Lady", "Lord", "Dr", "Captain", "Colonel"}
_DOTTED_TITLES = {"Mr", "Mrs", "Dr"}
# Words before a place name: a capitalised word often after these is a town, not a person.
_PLACE_PREPS = {
    "in",
    "at",
    "from",
    "à",
    "en",
    "nach",
    "aus",
    "im",
    "am",
    "vom",
    "zum",
    "zur",
    "beim",
    "zu",
    "von",
    "near",
    "towards",
}
_ARTICLES = {
    "the",
    "a",
    "an",
    "this",
    "that",
    "le",
    "la",
    "les",
    "un",
    "une",
    "des",
    "du",
    "ce",
    "cette",
    "der",
    "die",
    "das",
    "den",
    "dem",
    "ein",
    "eine",
    "einen",
    "einem",
    "einer",
    "eines",
    "kein",
    "keine",
    "mein",
    "meine",
    "sein",
    "seine",
    "ihre",
    "dieser",
    "diese",
    "dieses",
    "el",
    "los",
    "las",
    "una",
    "unos",
    "unas",
    "mi",
    "su",
    "sus",
    "del",
    "al",
    "aquel",
    "aquella",
    "este",
    "esta",
}
_CAP_AFTER_WORD = re.compile(r"(?<=[^\W\d_]) ([^\W\d_a-zß-ÿ][^\W\d_]{2,})\b")
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
_CAP_BIGRAM = re.compile(r"\b([^\W\d_a-zß-ÿ][^\W\d_]+)\.? ([^\W\d_a-zß-ÿ][^\W\d_]{2,})\b")

RATING_NOTATIONS: tuple[tuple[str, str, int], ...] = (
    # (as written, AO3 rating, weight)
    ("G", "General Audiences", 8),
    ("K", "General Audiences", 3),
    ("General", "General Audiences", 2),
    ("All Ages", "General Audiences", 1),
    ("G Nothing here to worry anyone.", "General Audiences", 1),
    ("PG", "Teen And Up Audiences", 8),
    ("PG-13", "Teen And Up Audiences", 9),
    ("PG13", "Teen And Up Audiences", 2),
    ("K+", "Teen And Up Audiences", 3),
    ("T", "Teen And Up Audiences", 5),
    ("Teen", "Teen And Up Audiences", 2),
    ("FRT", "Teen And Up Audiences", 1),
    ("R", "Mature", 7),
    ("R (for violence)", "Mature", 2),
    ("M", "Mature", 4),
    ("MA", "Mature", 1),
    ("Mature", "Mature", 2),
    ("NC-17", "Explicit", 4),
    ("NC17", "Explicit", 1),
    ("E", "Explicit", 1),
    ("Explicit", "Explicit", 1),
    ("Adult", "Explicit", 1),
    ("FRAO", "Explicit", 1),
    ("18+", "Explicit", 1),
    ("Not Rated", "Not Rated", 2),
    ("none", "Not Rated", 1),
    ("Tweenie", "Not Rated", 1),
)
AO3_RATINGS = ("General Audiences", "Teen And Up Audiences", "Mature", "Explicit", "Not Rated")

# Label spellings per header style: title, author, fandom, pairing, characters, rating,
# language, summary, words; None = the style leaves that field out.
HEADER_STYLES: tuple[dict[str, str | None], ...] = (
    {
        "title": "TITLE: ",
        "author": "AUTHOR: ",
        "fandom": "FANDOM: ",
        "pairing": "PAIRING: ",
        "characters": None,
        "rating": "RATING: ",
        "language": "LANGUAGE: ",
        "summary": "SUMMARY: ",
        "words": "WORDS: ",
        "sep": "*****",
    },
    {
        "title": "Story Title: ",
        "author": "Written by ",
        "fandom": "Fandom: ",
        "pairing": "Ship: ",
        "characters": "Characters: ",
        "rating": "Rated: ",
        "language": "Language: ",
        "summary": "Summary: ",
        "words": "Word Count: ",
        "sep": "~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~",
    },
    {
        "title": "Title - ",
        "author": "Author - ",
        "fandom": "Fandom - ",
        "pairing": "Pairing - ",
        "characters": None,
        "rating": "Rating - ",
        "language": "Language - ",
        "summary": "Summary - ",
        "words": "Length - ",
        "sep": "----------",
    },
    {
        "title": "Title: ",
        "author": "Author: ",
        "fandom": "Fandom: ",
        "pairing": "Pairings: ",
        "characters": "Characters: ",
        "rating": "Rating: ",
        "language": "Language: ",
        "summary": "Summary: ",
        "words": "Words: ",
        "sep": "* * *",
    },
    {
        "title": "**Title:** ",
        "author": "**Author:** ",
        "fandom": "**Fandom:** ",
        "pairing": "**Relationships:** ",
        "characters": None,
        "rating": "**Rating:** ",
        "language": "**Language:** ",
        "summary": "**Summary:** ",
        "words": "**Words:** ",
        "sep": "==========",
    },
    {
        "title": "Title: ",
        "author": "By: ",
        "fandom": "Universe: ",
        "pairing": "Couple: ",
        "characters": "Featuring: ",
        "rating": "Rated: ",
        "language": "Language: ",
        "summary": "Description: ",
        "words": "Size: ",
        "sep": "oOoOoOoOo",
    },
)

_AUTHOR_A = (
    "quiet",
    "silver",
    "amber",
    "midnight",
    "paper",
    "velvet",
    "lantern",
    "hollow",
    "willow",
    "ink",
    "salt",
    "winter",
    "crimson",
    "idle",
    "sparrow",
    "hester",
    "lowick",
    "rook",
    "marginal",
    "thistle",
    "copper",
    "moth",
    "harbour",
    "saffron",
    "ember",
    "fable",
)
_AUTHOR_B = (
    "anarchist",
    "reader",
    "wren",
    "quill",
    "fox",
    "heron",
    "scribe",
    "tea",
    "garden",
    "lights",
    "moon",
    "archivist",
    "pilgrim",
    "dreamer",
    "bell",
    "kettle",
    "lark",
    "sailor",
    "ghost",
    "witch",
    "poet",
    "cartographer",
)
_SUMMARIES = (
    "{a} and {b} meet again, and nothing goes the way either of them planned.",
    "What {a} never told {b}.",
    "A missing scene from {fandom}: {a}, {b}, and one long evening.",
    "{a} has a letter to deliver. {b} would rather not read it.",
    "Five times {a} almost said it, and the one time {b} did.",
    "Canon, slightly to the left. {a} centric.",
    "{b} remembers it differently.",
    "The chapters you did not read in school, told from {a}'s side.",
)
_TAGS = (
    "Angst",
    "Fluff",
    "Hurt/Comfort",
    "Slow Burn",
    "Missing Scene",
    "Canon Era",
    "Pining",
    "Friendship",
    "Letters",
    "Romance",
    "Drama",
    "Period Typical Attitudes",
    "Alternate Universe",
    "Found Family",
    "Humor",
)
_WARNINGS = (
    "No Archive Warnings Apply",
    "Creator Chose Not To Use Archive Warnings",
    "Graphic Depictions Of Violence",
    "Major Character Death",
)


@dataclass(frozen=True)
class Novel:
    """One ELTeC novel: its file, title, author, language and paragraphs."""

    path: str  # relative to the ELTeC folder, e.g. "eng/ENG18471_Bronte.txt"
    title: str
    author: str
    lang: str  # ISO 639-1
    paragraphs: tuple[str, ...]
    characters: tuple[str, ...]


@dataclass(frozen=True)
class StoryPlan:
    """Everything needed to write one story file, and the ground truth the bench checks."""

    index: int
    source: str  # path relative to the corpus folder
    format: str  # "text" or "ao3-html"
    novel: str
    p0: int  # first paragraph of the body in the novel (inclusive)
    p1: int  # end paragraph (exclusive)
    words: int
    title: str
    author: str
    fandom: str
    lang: str
    pairings: tuple[str, ...]  # canonical: members in full, sorted, joined by "/" or " & "
    pairings_written: tuple[str, ...]
    characters: tuple[str, ...]
    rating: str
    rating_original: str
    tags: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()
    summary: str = ""
    crlf: bool = False
    wrapped: bool = False
    style: int = 0
    extra: dict[str, str] = field(default_factory=dict)


def read_novel(path: Path, root: Path = ELTEC, with_characters: bool = True) -> Novel:
    """Read one ELTeC text file: header block, blank line, paragraphs separated by blank lines."""
    text = path.read_text(encoding="utf-8").replace("\r\n", "\n")
    head, _, rest = text.partition("\n\n")
    meta: dict[str, str] = {}
    for line in head.split("\n"):
        key, sep, value = line.partition(":")
        if sep:
            meta[key.strip().lower()] = value.strip()
    paragraphs = tuple(p.strip() for p in rest.split("\n\n") if p.strip())
    author = meta.get("author", "")
    if "," in author:  # "Brontë, Emily" -> "Emily Brontë"
        last, _, first = author.partition(",")
        author = f"{first.strip()} {last.strip()}".strip()
    title = meta.get("title", path.stem)
    return Novel(
        path=path.relative_to(root).as_posix(),
        title=short_title(title),
        author=author,
        lang=meta.get("language", "en")[:2],
        paragraphs=paragraphs,
        characters=tuple(find_characters(paragraphs)) if with_characters else (),
    )


def short_title(title: str) -> str:
    """Cut a novel title to its main part ("Coningsby: or, The New Generation" -> "Coningsby")."""
    for sep in (":", "; or", ", or", ", ou", " oder ", ", o ", ";"):
        head = title.split(sep)[0].strip()
        if len(head) >= 3:
            title = head
    return title.strip(" .,")


def find_characters(paragraphs: Sequence[str], limit: int = 8) -> list[str]:
    """Guess the main characters from how often a word is capitalised mid-sentence.

    A name is capitalised after another word, is rarely written in lower case and rarely
    follows an article (which rules out German nouns); two such words often seen together
    ("Dorothea Brooke") make one full name.
    """
    text = "\n".join(paragraphs)
    caps = Counter(m.group(1) for m in _CAP_AFTER_WORD.finditer(text))
    lower = Counter(w for w in _WORD.findall(text) if w.islower())
    after_article: Counter[str] = Counter()
    after_prep: Counter[str] = Counter()
    tokens = _WORD.findall(text)
    for prev, word in zip(tokens, tokens[1:], strict=False):
        if word[:1].isupper():
            low = prev.lower()
            if low in _ARTICLES:
                after_article[word] += 1
            elif low in _PLACE_PREPS:
                after_prep[word] += 1
    names: list[str] = []
    for word, n in caps.most_common(400):
        if n < 5 or word in _NOT_NAMES or word.isupper():
            continue
        if lower[word.lower()] > n * 0.1 or after_article[word] > n * 0.2:
            continue
        if after_prep[word] > n * 0.25:
            continue
        names.append(word)
        if len(names) >= limit * 2:
            break
    if not names:
        return []
    name_set = set(names)
    bigrams = Counter(
        (m.group(1), m.group(2))
        for m in _CAP_BIGRAM.finditer(text)
        if m.group(2) in name_set and (m.group(1) in name_set or m.group(1) in _TITLES)
    )
    chosen: list[str] = []
    used: set[str] = set()
    for word in names:
        if word in used:
            continue
        best = None
        for (a, b), n in bigrams.most_common():
            if n < 3:
                break
            if word in (a, b) and a != b and a not in used and b not in used:
                best = (a, b)
                break
        if best is None:
            chosen.append(word)
            used.add(word)
        else:
            chosen.append(
                f"{best[0]}. {best[1]}" if best[0] in _DOTTED_TITLES else f"{best[0]} {best[1]}"
            )
            used.update(best)
        if len(chosen) >= limit:
            break
    return chosen


def load_novels(root: Path = ELTEC, langs: Sequence[str] = LANGS) -> list[Novel]:
    """Read every novel of the given ELTeC languages, in file-name order."""
    novels = []
    for lang in langs:
        for path in sorted((root / lang).glob("*.txt")):
            novel = read_novel(path, root)
            if len(novel.characters) >= 2 and sum(len(p.split()) for p in novel.paragraphs) > 2000:
                novels.append(novel)
    return novels


def canonical_pairing(members: Sequence[str], kind: str = "/") -> str:
    """Join full member names sorted case-insensitively: the pairing as the gold set knows it."""
    joiner = " & " if kind == "&" else "/"
    return joiner.join(sorted(members, key=str.casefold))


def surname(name: str) -> str:
    """Return the last part of a name ("Mr. Casaubon" -> "Casaubon")."""
    return name.split()[-1]


def write_pairing(a: str, b: str, rng: random.Random) -> tuple[str, str]:
    """Write the pairing of a and b in one of the notations seen in the wild.

    Returns (as written, canonical).
    """
    roll = rng.random()
    if roll < 0.12:
        return f"{a} & {b}", canonical_pairing((a, b), "&")
    canonical = canonical_pairing((a, b))
    if roll < 0.40:
        written = f"{a}/{b}"
    elif roll < 0.58:
        written = f"{b} / {a}"
    elif roll < 0.76:
        written = f"{a} x {b}"
    elif roll < 0.90:
        written = f"{surname(a)}/{surname(b)}"
    else:
        written = f"{surname(b)} x {surname(a)}"
    return written, canonical


def piece_length(rng: random.Random) -> int:
    """Draw a story length in words: log-normal around the median, clipped to the spread."""
    n = int(rng.lognormvariate(math.log(MEDIAN_WORDS), LENGTH_SIGMA))
    return max(MIN_WORDS, min(MAX_WORDS, n))


def plan_stories(novels: Sequence[Novel], count: int, seed: int = DEFAULT_SEED) -> list[StoryPlan]:
    """Cut `count` stories from the novels, round-robin, reusing novels with new cuts if needed."""
    order = list(range(len(novels)))
    random.Random(seed).shuffle(order)
    # Start after the title pages: the first paragraph of real prose.
    cursors = [
        next((j for j, p in enumerate(n.paragraphs) if len(p.split()) >= 40), 0) for n in novels
    ]
    passes = [0] * len(novels)
    word_counts = [[len(p.split()) for p in n.paragraphs] for n in novels]
    plans = []
    for i in range(count):
        k = order[i % len(order)]
        novel = novels[k]
        counts = word_counts[k]
        rng = random.Random(f"{seed}:{i}")
        target = piece_length(rng)
        p0 = cursors[k]
        if sum(counts[p0:]) < MIN_WORDS:
            # The novel ran out: start it again with a different cut so pieces differ.
            passes[k] += 1
            p0 = rng.randrange(1, 12) % max(1, len(counts))
        p1, words = p0, 0
        while p1 < len(counts) and (words < target or words == 0):
            words += counts[p1]
            p1 += 1
        cursors[k] = p1
        plans.append(_dress(i, novel, p0, p1, words, rng))
    return plans


def _dress(i: int, novel: Novel, p0: int, p1: int, words: int, rng: random.Random) -> StoryPlan:
    """Give one cut its fan fiction metadata."""
    chars = list(novel.characters)
    # Favour the leading characters so pairings repeat across stories (facet counts > 1).
    weights = [1.0 / (r + 1) for r in range(len(chars))]
    a = rng.choices(chars, weights)[0]
    b = rng.choices(
        [c for c in chars if c != a], [w for c, w in zip(chars, weights, strict=True) if c != a]
    )[0]
    pairings_written: list[str] = []
    pairings: list[str] = []
    roll = rng.random()
    if roll < 0.9:
        w, c = write_pairing(a, b, rng)
        pairings_written.append(w)
        pairings.append(c)
    if roll < 0.12 and len(chars) > 2:
        rest = [c for c in chars if c not in (a, b)]
        w, c = write_pairing(a, rng.choice(rest), rng)
        if c not in pairings:
            pairings_written.append(w)
            pairings.append(c)
    characters = sorted({a, b} | set(rng.sample(chars, min(len(chars), rng.randint(0, 2)))))
    written, ao3 = rng.choices(
        [(r[0], r[1]) for r in RATING_NOTATIONS], [r[2] for r in RATING_NOTATIONS]
    )[0]
    fmt = "ao3-html" if rng.random() < 0.12 else "text"
    if fmt == "ao3-html":
        ao3 = rng.choices(AO3_RATINGS, (5, 5, 3, 2, 1))[0]
        written = ao3
    author = f"{rng.choice(_AUTHOR_A)}{rng.choice(('', '_', ''))}{rng.choice(_AUTHOR_B)}"
    if rng.random() < 0.3:
        author += str(rng.randint(1, 99))
    title_word = _title_word(novel, p0, p1, rng)
    title = rng.choice(
        (
            f"The {title_word}",
            f"{title_word}",
            f"{surname(a)}'s {title_word}",
            f"{title_word} and {rng.choice(('Silence', 'Rain', 'Letters', 'Ashes', 'Light'))}",
            f"Of {title_word}",
        )
    )
    summary = rng.choice(_SUMMARIES).format(a=a, b=b, fandom=novel.title)
    tags = tuple(sorted(rng.sample(_TAGS, rng.randint(1, 3))))
    warnings = (rng.choice(_WARNINGS),)
    slug = re.sub(r"[^a-z0-9]+", "_", title.lower()).strip("_")[:24] or "story"
    ext = "html" if fmt == "ao3-html" else "txt"
    source = f"{novel.path.split('/')[0]}/{i:05d}_{slug}.{ext}"
    return StoryPlan(
        index=i,
        source=source,
        format=fmt,
        novel=novel.path,
        p0=p0,
        p1=p1,
        words=words,
        title=title,
        author=author,
        fandom=novel.title,
        lang=novel.lang,
        pairings=tuple(pairings),
        pairings_written=tuple(pairings_written),
        characters=tuple(characters),
        rating=ao3,
        rating_original=written,
        tags=tags,
        warnings=warnings,
        summary=summary,
        crlf=fmt == "text" and rng.random() < 0.15,
        wrapped=fmt == "text" and rng.random() < 0.15,
        style=rng.randrange(len(HEADER_STYLES)),
    )


def _title_word(novel: Novel, p0: int, p1: int, rng: random.Random) -> str:
    words = [w for p in novel.paragraphs[p0 : min(p1, p0 + 3)] for w in _WORD.findall(p)]
    long_words = [w for w in words if len(w) >= 6 and w.islower()]
    return (rng.choice(long_words) if long_words else "Evening").capitalize()


def render_text(plan: StoryPlan, paragraphs: Sequence[str]) -> str:
    """Render a classic header block, a separator line and the body."""
    style = HEADER_STYLES[plan.style]
    lines: list[str] = []
    if plan.style == 2:  # the mailing-list shape: RFC-822 headers before the story header
        lines += [
            f"From: {plan.author} <{plan.author}@example.invalid>",
            f"Subject: [FIC] {plan.title} ({', '.join(plan.pairings_written) or 'gen'}) 1/1",
            "Date: Sat, 14 Jun 2003 21:07:44 +0100",
            "",
        ]

    def add(key: str, value: str) -> None:
        label = style[key]
        if label is not None and value:
            lines.append(f"{label}{value}")

    add("title", plan.title)
    add("author", plan.author)
    add("fandom", plan.fandom)
    add("pairing", ", ".join(plan.pairings_written))
    add("characters", ", ".join(plan.characters))
    add("rating", plan.rating_original)
    add("language", LANG_NAME.get(plan.lang, plan.lang) if plan.index % 3 else plan.lang)
    add("summary", plan.summary)
    add("words", f"{plan.words:,}" if plan.index % 2 else str(plan.words))
    lines += [str(style["sep"]), "", ""]
    body = list(paragraphs)
    if plan.wrapped:
        body = [textwrap.fill(p, 76, break_on_hyphens=False, break_long_words=False) for p in body]
    text = "\n".join(lines) + "\n\n".join(body) + "\n"
    return text.replace("\n", "\r\n") if plan.crlf else text


def render_ao3_html(plan: StoryPlan, paragraphs: Sequence[str]) -> str:
    """Render an AO3 "Download → HTML" page (current template, single-chapter layout)."""
    e = html.escape

    def dd(values: Sequence[str]) -> str:
        return ", ".join(
            f'<a href="https://archiveofourown.org/tags/{e(v)}">{e(v)}</a>' for v in values
        )

    work = 50_000_000 + plan.index
    rows = [
        ("Rating", [plan.rating]),
        ("Archive Warning", list(plan.warnings)),
        ("Fandom", [plan.fandom]),
        ("Relationship", list(plan.pairings_written)),
        ("Character", list(plan.characters)),
        ("Additional Tags", list(plan.tags)),
    ]
    tags = "\n".join(
        f"      <dt>{label}{'s' if len(v) > 1 and label != 'Additional Tags' else ''}:</dt>\n"
        f"      <dd>{dd(v)}</dd>"
        for label, v in rows
        if v
    )
    body = "\n".join(f"<p>{e(p)}</p>" for p in paragraphs)
    return f"""<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Strict//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-strict.dtd">
<html xmlns="http://www.w3.org/1999/xhtml" xml:lang="en" lang="en">
<head>
  <meta charset="utf-8" />
  <title>{e(plan.title)} - {e(plan.author)} - {e(plan.fandom)}</title>
</head>
<body>
<div id="preface">
  <h2 class="toc-heading">Preface</h2>
  <p class="message">
    <b>{e(plan.title)}</b><br />
    Posted originally on the <a href="https://archiveofourown.org/">Archive of Our Own</a> at <a href="https://archiveofourown.org/works/{work}">https://archiveofourown.org/works/{work}</a>.
  </p>
  <div class="meta">
    <dl class="tags">
{tags}
      <dt>Language:</dt>
      <dd>{e(LANG_NAME.get(plan.lang, plan.lang))}</dd>
      <dt>Stats:</dt>
      <dd>
        Published: 2024-{1 + plan.index % 12:02d}-{1 + plan.index % 28:02d}
        Words: {plan.words:,}
        Chapters: 1/1
      </dd>
    </dl>
    <h1>{e(plan.title)}</h1>
    <div class="byline">by <a rel="author" href="https://archiveofourown.org/users/{e(plan.author)}/pseuds/{e(plan.author)}">{e(plan.author)}</a></div>
    <p>Summary</p>
    <blockquote class="userstuff"><p>{e(plan.summary)}</p></blockquote>
  </div>
</div>
<div id="chapters" class="userstuff">
  <h2 class="toc-heading">{e(plan.title)}</h2>
  <div class="userstuff">
{body}
  </div>
</div>
<div id="afterword">
  <h2 class="toc-heading">Afterword</h2>
  <p class="message">Please <a href="https://archiveofourown.org/works/{work}/comments/new">drop by the Archive and comment</a> to let the creator know if you enjoyed their work!</p>
</div>
</body>
</html>
"""


def render(plan: StoryPlan, novel: Novel) -> str:
    """Render one planned story as the text of its file."""
    paragraphs = novel.paragraphs[plan.p0 : plan.p1]
    if plan.format == "ao3-html":
        return render_ao3_html(plan, paragraphs)
    return render_text(plan, paragraphs)


def build(count: int, out_root: Path, seed: int = DEFAULT_SEED, eltec: Path = ELTEC) -> Path:
    """Write `count` stories under out_root/<count>/ and the manifest out_root/<count>.jsonl."""
    novels = load_novels(eltec)
    if not novels:
        raise SystemExit(f"no ELTeC novels under {eltec}")
    by_path = {n.path: n for n in novels}
    plans = plan_stories(novels, count, seed)
    folder = out_root / str(count)
    folder.mkdir(parents=True, exist_ok=True)
    manifest = out_root / f"{count}.jsonl"
    with manifest.open("w", encoding="utf-8") as mf:
        for plan in plans:
            path = folder / plan.source
            path.parent.mkdir(parents=True, exist_ok=True)
            # newline="" so CRLF stories keep their CRLF on every platform
            with path.open("w", encoding="utf-8", newline="") as f:
                f.write(render(plan, by_path[plan.novel]))
            mf.write(json.dumps(asdict(plan), ensure_ascii=False) + "\n")
    return folder


def read_manifest(path: Path) -> list[StoryPlan]:
    """Read a manifest written by build()."""
    plans = []
    with path.open(encoding="utf-8") as f:
        for line in f:
            d = json.loads(line)
            for key in ("pairings", "pairings_written", "characters", "tags", "warnings"):
                d[key] = tuple(d[key])
            plans.append(StoryPlan(**d))
    return plans


def ensure_corpus(count: int, out_root: Path = BENCH / "corpus", seed: int = DEFAULT_SEED) -> Path:
    """Return out_root/<count>, building it first unless a complete one is already there."""
    folder = out_root / str(count)
    manifest = out_root / f"{count}.jsonl"
    if manifest.exists() and folder.exists():
        plans = read_manifest(manifest)
        if len(plans) == count and all((folder / p.source).exists() for p in plans):
            return folder
    return build(count, out_root, seed)


def iter_words(text: str) -> Iterator[str]:
    """Yield the words of a text (letters only), as the query builder sees them."""
    return iter(_WORD.findall(text))


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--stories", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=DEFAULT_SEED)
    ap.add_argument("--out", type=Path, default=BENCH / "corpus")
    args = ap.parse_args(argv)
    if not ELTEC.exists():
        print(f"error: the ELTeC novels are not at {ELTEC}", file=sys.stderr)
        return 2
    folder = build(args.stories, args.out, args.seed)
    size = sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())
    print(f"{args.stories} stories, {size / 1e6:.1f} MB in {folder}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
