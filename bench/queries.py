"""Build the benchmark's query set from a corpus manifest, deterministically.

Kinds (``KINDS``): quotes as pasted, quotes retyped with the other typography, noisy quotes
(one word replaced, dropped or inserted, or one typo), single terms, two-term AND, pairing
filters, a term with every facet count, and a term with the top 10 highlighted snippets.
A quote knows its gold stories: every story whose cut covers the quoted paragraph (cuts of
reused novels may overlap, so a quote can have more than one right answer).
"""

from __future__ import annotations

import random
import re
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from corpus import ELTEC, StoryPlan, read_novel, surname

KINDS: tuple[str, ...] = (
    "quote",
    "quote_retyped",
    "quote_noisy",
    "term",
    "and2",
    "pairing",
    "facets",
    "snippets",
)
QUOTE_KINDS: tuple[str, ...] = ("quote", "quote_retyped", "quote_noisy")

_TOKEN = re.compile(r"\S+")
_LETTERS = re.compile(r"^[^\W\d_]+$")
_EDGE = re.compile(r"^[^\w]+|[^\w]+$")
# Characters whose other spelling the retyped quotes use.
_TYPO_CHARS = set("'’‘\"“”„«»-–—")


@dataclass(frozen=True)
class Query:
    """One benchmark query: its kind, text or filter, and the stories that should match."""

    kind: str
    text: str
    gold: tuple[str, ...] = ()
    pairing: str = ""  # the pairing filter value, as a user would type it
    pairing_key: str = ""  # the canonical pairing the gold set was built from


def retype(text: str, rng: random.Random) -> str:
    """Swap the typography: ' ↔ ’, " ↔ “ ”, « » → " ", - ↔ – or —."""
    out = []
    open_quote = True
    for ch in text:
        if ch == "'":
            out.append("’")
        elif ch in "’‘":
            out.append("'")
        elif ch == '"':
            out.append("“" if open_quote else "”")
            open_quote = not open_quote
        elif ch in "“”„«»":
            out.append('"')
        elif ch == "-":
            out.append(rng.choice("–—"))
        elif ch in "–—":
            out.append("-")
        else:
            out.append(ch)
    return "".join(out)


def add_noise(words: list[str], rng: random.Random, vocabulary: Sequence[str]) -> list[str]:
    """Replace, drop or insert one word, or put one typo in a word."""
    words = list(words)
    op = rng.choice(("replace", "drop", "insert", "typo"))
    inner = range(1, len(words) - 1) if len(words) > 2 else range(len(words))
    i = rng.choice(inner)
    if op == "replace":
        words[i] = rng.choice(vocabulary)
    elif op == "drop":
        del words[i]
    elif op == "insert":
        words.insert(i, rng.choice(vocabulary))
    else:
        long = [j for j, w in enumerate(words) if len(_EDGE.sub("", w)) >= 5]
        j = rng.choice(long) if long else i
        w = words[j]
        k = rng.randrange(1, max(2, len(w) - 2))
        if rng.random() < 0.5 and k + 1 < len(w):
            w = w[:k] + w[k + 1] + w[k] + w[k + 2 :]  # swap two letters
        else:
            w = w[:k] + w[k + 1 :]  # drop one letter
        words[j] = w
    return words


class QueryBuilder:
    """Draw queries of every kind from the stories of one manifest."""

    def __init__(
        self,
        plans: Sequence[StoryPlan],
        paragraphs: Callable[[str], Sequence[str]],
        seed: int,
    ) -> None:
        self.plans = list(plans)
        self.paragraphs = paragraphs
        self.seed = seed
        self.by_novel: dict[str, list[StoryPlan]] = defaultdict(list)
        for p in self.plans:
            self.by_novel[p.novel].append(p)
        self.by_pairing: dict[str, set[str]] = defaultdict(set)
        for p in self.plans:
            for key in p.pairings:
                self.by_pairing[key].add(p.source)

    def gold_for(self, novel: str, paragraph: int) -> tuple[str, ...]:
        """Every story whose body holds that paragraph of that novel."""
        return tuple(sorted(p.source for p in self.by_novel[novel] if p.p0 <= paragraph < p.p1))

    def _pick_span(
        self, rng: random.Random, lo: int, hi: int, want_typography: bool
    ) -> tuple[str, list[str], tuple[str, ...]]:
        """Pick a quote of lo..hi words from a random story: (text, words, gold)."""
        fallback = None
        for _ in range(60):
            plan = rng.choice(self.plans)
            paras = self.paragraphs(plan.novel)
            j = rng.randrange(plan.p0, plan.p1)
            tokens = list(_TOKEN.finditer(paras[j]))
            n = rng.randint(lo, hi)
            if len(tokens) < n + 2:
                continue
            start = rng.randrange(0, len(tokens) - n + 1)
            span = tokens[start : start + n]
            text = paras[j][span[0].start() : span[-1].end()]
            text = _EDGE.sub("", text)  # a selection starts and ends on a word
            if len(text.split()) < lo:
                continue
            found = (text, text.split(), self.gold_for(plan.novel, j))
            if not want_typography or _TYPO_CHARS & set(text):
                return found
            fallback = fallback or found
        if fallback is None:
            raise ValueError("no paragraph is long enough for a quote")
        return fallback

    def _vocabulary(self, rng: random.Random, size: int = 2000) -> list[str]:
        words: list[str] = []
        for _ in range(200):
            plan = rng.choice(self.plans)
            paras = self.paragraphs(plan.novel)
            para = paras[rng.randrange(plan.p0, plan.p1)]
            words += [w for w in para.split() if _LETTERS.match(w) and len(w) >= 4]
            if len(words) >= size:
                break
        return words or ["word"]

    def _term(self, rng: random.Random, count: int = 1) -> str:
        """Pick `count` content words (5+ letters, lower case) from one random paragraph."""
        for _ in range(100):
            plan = rng.choice(self.plans)
            paras = self.paragraphs(plan.novel)
            para = paras[rng.randrange(plan.p0, plan.p1)]
            words = sorted(
                {w for w in para.split() if _LETTERS.match(w) and len(w) >= 5 and w.islower()}
            )
            if len(words) >= count:
                return " ".join(rng.sample(words, count))
        raise ValueError("no paragraph has enough content words")

    def _pairing(self, rng: random.Random) -> Query:
        with_pairings = [p for p in self.plans if p.pairings]
        plan = rng.choice(with_pairings)
        key = rng.choice(plan.pairings)
        platonic = " & " in key
        members = key.split(" & ") if platonic else key.split("/")
        a, b = members[0], members[-1]
        roll = rng.random()
        if platonic:
            value = f"{b} & {a}" if roll < 0.5 else f"{a} & {b}"
        elif roll < 0.4:
            value = f"{a}/{b}"
        elif roll < 0.7:
            value = f"{b}/{a}"
        else:
            value = f"{surname(b)}/{surname(a)}"
        return Query("pairing", "", tuple(sorted(self.by_pairing[key])), value, key)

    def build(self, per_kind: int) -> list[Query]:
        """Return per_kind queries of every kind, interleaved kind by kind."""
        by_kind: dict[str, list[Query]] = {}
        for kind in KINDS:
            rng = random.Random(f"{self.seed}:{kind}")
            out: list[Query] = []
            vocabulary = self._vocabulary(rng) if kind == "quote_noisy" else []
            for _ in range(per_kind):
                if kind == "quote":
                    text, _, gold = self._pick_span(rng, 6, 12, False)
                    out.append(Query(kind, text, gold))
                elif kind == "quote_retyped":
                    text, _, gold = self._pick_span(rng, 6, 12, True)
                    out.append(Query(kind, retype(text, rng), gold))
                elif kind == "quote_noisy":
                    _, words, gold = self._pick_span(rng, 8, 12, False)
                    out.append(Query(kind, " ".join(add_noise(words, rng, vocabulary)), gold))
                elif kind == "and2":
                    out.append(Query(kind, self._term(rng, 2)))
                elif kind == "pairing":
                    out.append(self._pairing(rng))
                else:  # term, facets, snippets: one content word
                    out.append(Query(kind, self._term(rng)))
            by_kind[kind] = out
        # Interleave the kinds so every kind meets the same machine noise.
        return [by_kind[k][i] for i in range(per_kind) for k in KINDS]


def novel_paragraphs(eltec: Path = ELTEC) -> Callable[[str], Sequence[str]]:
    """Return a cached loader of a novel's paragraphs by its ELTeC-relative path."""
    cache: dict[str, Sequence[str]] = {}

    def load(rel: str) -> Sequence[str]:
        if rel not in cache:
            cache[rel] = read_novel(eltec / rel, eltec, with_characters=False).paragraphs
        return cache[rel]

    return load


def build_queries(
    plans: Sequence[StoryPlan], per_kind: int = 200, seed: int = 7, eltec: Path = ELTEC
) -> list[Query]:
    """Build the query set of a corpus from its manifest."""
    return QueryBuilder(plans, novel_paragraphs(eltec), seed).build(per_kind)
