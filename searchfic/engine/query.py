"""The query language: a small tokenizer and parser of our own, then Whoosh query objects.

Syntax (docs/interfaces.md "Query syntax"): words are ANDed; ``"..."`` is an exact phrase
(typography, case and line breaks ignored); ``OR``, ``AND``, ``NOT`` are operators only in
capitals; ``-word`` excludes only at the start of a word (``self-pity`` is a word);
parentheses group; ``field:value`` for title, author, summary, fandom, pairing, character,
tag (an unknown field is plain text); ``words:>5000`` style ranges; ``word*`` is a prefix
with a bounded expansion. Unbalanced quotes and parentheses are repaired. Whoosh's own
query parser never sees user input; :func:`parse_query` raises only QueryError.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from searchfic.engine import analysis
from searchfic.errors import QueryError
from searchfic.request import MAX_QUERY_CHARS, WordRange, parse_word_range

#: Query fields a user may name, mapped to what they search.
FIELDS = ("title", "author", "summary", "fandom", "pairing", "character", "tag")
FIELD_ALIASES = {
    "authors": "author",
    "fandoms": "fandom",
    "pairings": "pairing",
    "relationship": "pairing",
    "ship": "pairing",
    "characters": "character",
    "tags": "tag",
}
MAX_LEAVES = 64
MAX_DEPTH = 16
MAX_PREFIX_TERMS = 64
MIN_PREFIX_CHARS = 2
_SHIP_RE = re.compile(r"[^\W\d_][/&\u00d7][^\W\d_]")
_PREFIX_RE = re.compile(r"([^\W_]{%d,})\*" % MIN_PREFIX_CHARS)  # noqa: UP031


# --- the parsed form ------------------------------------------------------------------------


@dataclass(frozen=True)
class Node:
    """Base of the parsed query tree."""

    def leaves(self) -> Iterator[Node]:
        yield self


@dataclass(frozen=True)
class Word(Node):
    """One word (tokens has one entry), in a field or in all text (field None)."""

    text: str
    tokens: tuple[str, ...]
    field: str | None = None

    def __str__(self) -> str:
        return f"{self.field}:{self.tokens[0]}" if self.field else self.tokens[0]


@dataclass(frozen=True)
class Phrase(Node):
    """Words that must occur in this order, next to each other."""

    text: str
    tokens: tuple[str, ...]
    field: str | None = None

    def __str__(self) -> str:
        inner = '"' + " ".join(self.tokens) + '"'
        return f"{self.field}:{inner}" if self.field else inner


@dataclass(frozen=True)
class Prefix(Node):
    """Every word starting with ``prefix`` (a bounded expansion)."""

    prefix: str
    field: str | None = None

    def __str__(self) -> str:
        return f"{self.field}:{self.prefix}*" if self.field else f"{self.prefix}*"


@dataclass(frozen=True)
class Range(Node):
    """A range of a numeric field (only ``words``)."""

    field: str
    range: WordRange

    def __str__(self) -> str:
        return f"{self.field}:{self.range.to_text()}"


@dataclass(frozen=True)
class PairingMatch(Node):
    """A relationship (``pairing:A/B``) matched like the pairing filter."""

    text: str

    def __str__(self) -> str:
        return f"pairing:[{self.text}]"


@dataclass(frozen=True)
class And(Node):
    children: tuple[Node, ...]

    def leaves(self) -> Iterator[Node]:
        for c in self.children:
            yield from c.leaves()

    def __str__(self) -> str:
        return "(" + " AND ".join(str(c) for c in self.children) + ")"


@dataclass(frozen=True)
class Or(Node):
    children: tuple[Node, ...]

    def leaves(self) -> Iterator[Node]:
        for c in self.children:
            yield from c.leaves()

    def __str__(self) -> str:
        return "(" + " OR ".join(str(c) for c in self.children) + ")"


@dataclass(frozen=True)
class Not(Node):
    child: Node

    def leaves(self) -> Iterator[Node]:
        yield from self.child.leaves()

    def __str__(self) -> str:
        return f"NOT {self.child}"


@dataclass(frozen=True)
class ParsedQuery:
    """A parsed query: the tree (None when the text holds no searchable word)."""

    text: str
    root: Node | None
    notes: tuple[str, ...] = field(default=())

    def __str__(self) -> str:
        if self.root is None:
            return "(everything)"
        s = str(self.root)
        if s.startswith("(") and s.endswith(")") and isinstance(self.root, And | Or):
            s = s[1:-1]
        return s

    @property
    def empty(self) -> bool:
        return self.root is None

    def positive_leaves(self) -> list[Node]:
        """Return the leaves not under a NOT: what a matching story contains."""
        out: list[Node] = []

        def walk(n: Node, negated: bool) -> None:
            if isinstance(n, Not):
                walk(n.child, not negated)
            elif isinstance(n, And | Or):
                for c in n.children:
                    walk(c, negated)
            elif not negated:
                out.append(n)

        if self.root is not None:
            walk(self.root, False)
        return out

    def quote(self) -> tuple[str, ...] | None:
        """Return the token run to look for approximately, when the query is quote-like.

        That is the longest positive all-text phrase of 3+ words, or, for a query of 4+
        plain words and nothing else, those words in order.
        """
        leaves = self.positive_leaves()
        phrases = [n for n in leaves if isinstance(n, Phrase) and n.field is None]
        if phrases:
            best = max(phrases, key=lambda p: len(p.tokens))
            return best.tokens if len(best.tokens) >= 3 else None
        root = self.root
        children = root.children if isinstance(root, And) else ()
        if children and all(isinstance(c, Word) and c.field is None for c in children):
            tokens = tuple(t for c in children for t in c.tokens)  # type: ignore[attr-defined]
            return tokens if len(tokens) >= 4 else None
        return None


# --- tokenizer ------------------------------------------------------------------------------

_FIELD_RE = re.compile(r"([A-Za-z]+):")


@dataclass(frozen=True)
class _Tok:
    kind: str  # WORD, PHRASE, LPAREN, RPAREN, AND, OR, NOT, NEG, FIELD
    text: str = ""


#: Double quote marks other than the straight one (they fold to ``"``).
_TYPOGRAPHIC_DOUBLE = frozenset("\u201c\u201d\u201e\u201f\u2033\u00ab\u00bb")


def _inner_marks_as_text(text: str) -> str:
    """Blank the typographic double quotes inside a straight-quoted phrase.

    A quote pasted between straight quotes often holds dialogue marks of its own
    (``"Oh yes,“ said Will, ”and then"``); folded to ``"`` they would cut the phrase into
    pieces. Inside straight quotes they are the quote's punctuation, not delimiters;
    elsewhere typographic quotes still open and close phrases.
    """
    if '"' not in text or not any(c in _TYPOGRAPHIC_DOUBLE for c in text):
        return text
    out: list[str] = []
    inside = False
    for c in text:
        if c == '"':
            inside = not inside
        elif inside and c in _TYPOGRAPHIC_DOUBLE:
            c = " "
        out.append(c)
    return "".join(out)


def _lex(text: str) -> list[_Tok]:
    s = analysis.fold_typography(_inner_marks_as_text(text))
    s = "".join(" " if (c.isspace() or ord(c) < 32) else c for c in s)
    out: list[_Tok] = []
    i, n = 0, len(s)
    at_word_start = True
    while i < n:
        c = s[i]
        if c == " ":
            i += 1
            at_word_start = True
            continue
        if c == "(":
            out.append(_Tok("LPAREN"))
            i += 1
            at_word_start = True
            continue
        if c == ")":
            out.append(_Tok("RPAREN"))
            i += 1
            at_word_start = True
            continue
        if c == '"':
            end = s.find('"', i + 1)
            if end < 0:  # unbalanced: the phrase runs to the end
                end = n
            out.append(_Tok("PHRASE", s[i + 1 : end]))
            i = end + 1
            at_word_start = True
            continue
        if c == "-" and at_word_start and i + 1 < n and s[i + 1] not in ' -)"':
            out.append(_Tok("NEG"))
            i += 1
            at_word_start = True  # so "-title:x" negates a field query
            continue
        m = _FIELD_RE.match(s, i)
        if m and at_word_start:
            name = m.group(1).lower()
            name = FIELD_ALIASES.get(name, name)
            if name in FIELDS or name == "words":
                out.append(_Tok("FIELD", name))
                i = m.end()
                at_word_start = True
                continue
        j = i
        while j < n and s[j] not in ' ()"':
            j += 1
        word = s[i:j]
        i = j
        at_word_start = False
        if word in ("AND", "OR", "NOT"):
            out.append(_Tok(word))
        elif word == "&&":
            out.append(_Tok("AND"))
        elif word == "||":
            out.append(_Tok("OR"))
        else:
            out.append(_Tok("WORD", word))
    return out


# --- parser ---------------------------------------------------------------------------------


class _Parser:
    def __init__(self, toks: list[_Tok]) -> None:
        self.toks = toks
        self.i = 0
        self.leaves = 0
        self.notes: list[str] = []

    def peek(self) -> _Tok | None:
        return self.toks[self.i] if self.i < len(self.toks) else None

    def take(self) -> _Tok:
        t = self.toks[self.i]
        self.i += 1
        return t

    def parse(self) -> Node | None:
        nodes: list[Node] = []
        while self.peek() is not None:
            node = self.or_expr(0)
            if node is not None:
                nodes.append(node)
            t = self.peek()
            if t is not None and t.kind == "RPAREN":
                self.take()  # a stray ")" is dropped
                self.notes.append("ignored an unmatched ')'")
        return _and(nodes)

    def or_expr(self, depth: int) -> Node | None:
        parts: list[Node] = []
        first = self.and_expr(depth)
        if first is not None:
            parts.append(first)
        while (t := self.peek()) is not None and t.kind == "OR":
            self.take()
            nxt = self.and_expr(depth)
            if nxt is not None:
                parts.append(nxt)
        if not parts:
            return None
        return parts[0] if len(parts) == 1 else Or(tuple(_flatten(parts, Or)))

    def and_expr(self, depth: int) -> Node | None:
        parts: list[Node] = []
        while (t := self.peek()) is not None and t.kind not in ("OR", "RPAREN"):
            if t.kind == "AND":
                self.take()
                continue
            node = self.unary(depth)
            if node is not None:
                parts.append(node)
        return _and(parts)

    def unary(self, depth: int) -> Node | None:
        negate = False
        while (t := self.peek()) is not None and t.kind in ("NOT", "NEG"):
            self.take()
            negate = not negate
        node = self.primary(depth, None)
        if node is None:
            return None
        return Not(node) if negate else node

    def primary(self, depth: int, fieldname: str | None) -> Node | None:
        t = self.peek()
        if t is None:
            return None
        if t.kind == "LPAREN":
            self.take()
            if depth >= MAX_DEPTH:
                # Too deep: drop this "(" (its ")" is then dropped as unmatched).
                if "flattened" not in " ".join(self.notes):
                    self.notes.append("flattened parentheses nested too deep")
                while (nt := self.peek()) is not None and nt.kind == "LPAREN":
                    self.take()
                return self.primary(depth, fieldname)
            inner = self.or_expr(depth + 1)
            nt = self.peek()
            if nt is not None and nt.kind == "RPAREN":
                self.take()
            if inner is not None and fieldname is not None:
                inner = _with_field(inner, fieldname)
            return inner
        if t.kind == "FIELD":
            self.take()
            nt = self.peek()
            if nt is None or nt.kind in ("RPAREN", "OR", "AND"):
                return None
            if nt.kind in ("NOT", "NEG"):
                # "title:-x": the field applies to what follows the negation.
                return self.unary(depth)
            return self.primary(depth, t.text)
        if t.kind in ("OR", "AND", "NOT", "NEG", "RPAREN"):
            self.take()
            return None
        self.take()
        if t.kind == "PHRASE":
            return self.leaf(t.text, fieldname, phrase=True)
        return self.leaf(t.text, fieldname, phrase=False)

    def leaf(self, text: str, fieldname: str | None, phrase: bool) -> Node | None:
        if self.leaves >= MAX_LEAVES:
            if "too many words" not in " ".join(self.notes):
                self.notes.append(f"too many words: only the first {MAX_LEAVES} are used")
            return None
        node = make_leaf(text, fieldname, phrase)
        if node is not None:
            self.leaves += 1
        return node


def make_leaf(text: str, fieldname: str | None, phrase: bool) -> Node | None:
    """Build the leaf for one word or phrase as typed."""
    if fieldname == "words":
        try:
            return Range("words", parse_word_range(text))
        except QueryError:
            fieldname = None  # not a range: search it as text
            text = f"words {text}"
    if fieldname == "pairing" and not phrase and re.search(r"[/&\u00d7]", text):
        return PairingMatch(text)
    if fieldname == "pairing" and phrase and re.search(r"[/&\u00d7]", text):
        return PairingMatch(text)
    if not phrase:
        m = _PREFIX_RE.fullmatch(text)
        if m:
            return Prefix(analysis.fold_word(m.group(1)), fieldname)
    tokens = tuple(analysis.exact_tokens(text))
    if not tokens:
        return None
    if len(tokens) == 1 and not phrase:
        return Word(text, tokens, fieldname)
    if fieldname is None and not phrase and _SHIP_RE.search(text):
        # "Holmes/Watson" typed as a word is most likely a relationship.
        return Or((Phrase(text, tokens, None), PairingMatch(text)))
    return Phrase(text, tokens, fieldname)


def _and(parts: list[Node]) -> Node | None:
    if not parts:
        return None
    return parts[0] if len(parts) == 1 else And(tuple(_flatten(parts, And)))


def _flatten(parts: list[Node], kind: type) -> list[Node]:
    out: list[Node] = []
    for p in parts:
        if isinstance(p, kind):
            out.extend(p.children)  # type: ignore[attr-defined]
        else:
            out.append(p)
    return out


def _with_field(node: Node, fieldname: str) -> Node | None:
    if isinstance(node, And | Or):
        kids = [k for c in node.children if (k := _with_field(c, fieldname)) is not None]
        if not kids:
            return None
        return kids[0] if len(kids) == 1 else type(node)(tuple(kids))
    if isinstance(node, Not):
        inner = _with_field(node.child, fieldname)
        return Not(inner) if inner is not None else None
    if isinstance(node, Word | Phrase) and node.field is None:
        return make_leaf(node.text, fieldname, isinstance(node, Phrase))
    if isinstance(node, Prefix) and node.field is None:
        return Prefix(node.prefix, fieldname)
    return node


def parse_query(q: str) -> ParsedQuery:
    """Parse query text into a tree; raise QueryError (bad_query) only when too long."""
    if not isinstance(q, str):
        raise QueryError("q: the query must be text", code="bad_query", param="q")
    if len(q) > MAX_QUERY_CHARS:
        raise QueryError(
            f"q: the query is {len(q)} characters long; the limit is {MAX_QUERY_CHARS}",
            code="bad_query",
            param="q",
        )
    try:
        parser = _Parser(_lex(q))
        root = parser.parse()
        root = _simplify(root)
    except QueryError:
        raise
    except (RecursionError, ValueError, IndexError) as exc:  # a parser bug must not be a 500
        raise QueryError(f"q: the query could not be read ({type(exc).__name__})") from None
    return ParsedQuery(q, root, tuple(parser.notes))


def _simplify(node: Node | None) -> Node | None:
    """Drop double negations and a NOT-only OR branch's oddities; keep the tree small."""
    if node is None:
        return None
    if isinstance(node, Not) and isinstance(node.child, Not):
        return _simplify(node.child.child)
    if isinstance(node, And | Or):
        kids = [k for c in node.children if (k := _simplify(c)) is not None]
        if not kids:
            return None
        return kids[0] if len(kids) == 1 else type(node)(tuple(kids))
    return node


# --- to Whoosh ------------------------------------------------------------------------------


@dataclass
class QueryContext:
    """What turning a tree into Whoosh queries needs from the open generation."""

    reader: Any
    languages: tuple[str, ...]  # Snowball languages present in the index
    pairing_raws: Any = None  # callable: text -> list of raw pairing values it selects


_META_FIELDS = {
    "author": "t_author",
    "fandom": "t_fandom",
    "pairing": "t_pairing",
    "character": "t_character",
    "tag": "t_tag",
}
_ALL_TEXT_META = ("t_author", "t_fandom", "t_pairing", "t_character", "t_tag")


@lru_cache(maxsize=65536)
def _stem(raw: str, language: str) -> str:
    # A quote's words are stemmed in every language of the index, for two fields, on
    # every request: the same few thousand words come back all the time.
    return analysis.stem_word(raw, language)


def _stems(raw: str, languages: tuple[str, ...]) -> list[str]:
    out: list[str] = []
    for lang in languages:
        s = _stem(raw, lang)
        if s not in out:
            out.append(s)
    return out


def _raw_words(node: Word | Phrase) -> list[str]:
    words = analysis.words(node.text)
    return words if len(words) == len(node.tokens) else list(node.tokens)


def to_whoosh(node: Node | None, ctx: QueryContext) -> Any:
    """Return the Whoosh query for a parsed tree (Every() for an empty one)."""
    from whoosh import query as wq

    if node is None:
        return wq.Every()
    if isinstance(node, And):
        pos = [to_whoosh(c, ctx) for c in node.children if not isinstance(c, Not)]
        neg = [to_whoosh(c.child, ctx) for c in node.children if isinstance(c, Not)]
        base = (pos[0] if len(pos) == 1 else wq.And(pos)) if pos else wq.Every()
        run = [
            t for c in node.children if isinstance(c, Word) and c.field is None for t in c.tokens
        ]
        if len(run) >= 2:
            # Words typed together rank first where they stand together: a quote pasted
            # without quote marks still finds its story first.
            base = wq.AndMaybe(base, wq.Phrase("body", run, boost=2.0))
        if neg:
            return wq.AndNot(base, neg[0] if len(neg) == 1 else wq.Or(neg))
        return base
    if isinstance(node, Or):
        return wq.Or([to_whoosh(c, ctx) for c in node.children])
    if isinstance(node, Not):
        return wq.AndNot(wq.Every(), to_whoosh(node.child, ctx))
    if isinstance(node, Range):
        r = node.range
        return wq.NumericRange(
            "words",
            r.low,
            r.high,
            startexcl=not r.low_inclusive,
            endexcl=not r.high_inclusive,
        )
    if isinstance(node, PairingMatch):
        raws = ctx.pairing_raws(node.text) if ctx.pairing_raws else []
        if not raws:
            return wq.NullQuery
        return wq.Or([wq.Term("f_pairing", r) for r in raws])
    if isinstance(node, Prefix):
        return _prefix(node, ctx)
    if isinstance(node, Word):
        return _word(node, ctx)
    if isinstance(node, Phrase):
        return _phrase(node, ctx)
    return wq.NullQuery


def word_terms(node: Word, ctx: QueryContext) -> list[tuple[str, str]]:
    """Return the (field, term) pairs a word matches any of."""
    tok = node.tokens[0]
    raw = _raw_words(node)[0]
    stems = _stems(raw, ctx.languages)
    if node.field in ("title", "summary"):
        return [(node.field, s) for s in stems]
    if node.field in _META_FIELDS:
        return [(_META_FIELDS[node.field], tok)]
    # body_stem holds only stems that differ from their word; a word that is its own
    # stem is in body as written.
    terms = [("body_stem", s) for s in stems]
    terms += [("body", s) for s in dict.fromkeys([*stems, tok])]
    terms += [("title", s) for s in stems]
    terms += [("summary", s) for s in stems]
    terms += [(f, tok) for f in _ALL_TEXT_META]
    return terms


def _word(node: Word, ctx: QueryContext) -> Any:
    from whoosh import query as wq

    subs = [wq.Term(f, t) for f, t in word_terms(node, ctx)]
    return _or(subs) if node.field is not None else wq.Or(subs)


def phrase_terms(
    node: Phrase, ctx: QueryContext, present: Callable[[str, str], bool] | None = None
) -> list[tuple[str, tuple[str, ...]]]:
    """Return the (field, token sequence) pairs a phrase matches any of.

    With ``present`` (whether a field holds a word at all), a stemmed sequence is given
    up at its first word the field lacks: it could match nothing, and a quote's words
    are otherwise stemmed in every language of the index, title and summary each.
    """
    toks = tuple(node.tokens)
    raws = _raw_words(node)

    def stemmed(fieldname: str) -> list[tuple[str, tuple[str, ...]]]:
        seqs: list[tuple[str, ...]] = []
        for lang in ctx.languages:
            words: list[str] = []
            for w in raws:
                stem = _stem(w, lang)
                if present is not None and not present(fieldname, stem):
                    break
                words.append(stem)
            else:
                seq = tuple(words)
                if seq not in seqs:
                    seqs.append(seq)
        return [(fieldname, s) for s in seqs]

    if node.field in ("title", "summary"):
        return stemmed(node.field)
    if node.field in _META_FIELDS:
        return [(_META_FIELDS[node.field], toks)]
    return [("body", toks), *stemmed("title"), *stemmed("summary")] + [
        (f, toks) for f in _ALL_TEXT_META
    ]


def _phrase(node: Phrase, ctx: QueryContext) -> Any:
    from whoosh import query as wq

    subs = [_seq(f, list(toks)) for f, toks in phrase_terms(node, ctx)]
    if node.field is not None:
        return _or(subs)
    return wq.Or(subs)


def _seq(fieldname: str, tokens: list[str]) -> Any:
    from whoosh import query as wq

    if len(tokens) == 1:
        return wq.Term(fieldname, tokens[0])
    return wq.Phrase(fieldname, tokens)


def _or(subs: list[Any]) -> Any:
    from whoosh import query as wq

    return subs[0] if len(subs) == 1 else wq.Or(subs)


def expand_prefix(reader: Any, fieldname: str, prefix: str) -> list[str]:
    """Return up to MAX_PREFIX_TERMS indexed words of ``fieldname`` starting with prefix."""
    out: list[str] = []
    for b in reader.expand_prefix(fieldname, prefix):
        out.append(b.decode("utf-8") if isinstance(b, bytes) else b)
        if len(out) >= MAX_PREFIX_TERMS:
            break
    return out


def prefix_fields(node: Prefix) -> list[str]:
    """Return the fields a prefix expands in."""
    if node.field in _META_FIELDS:
        return [_META_FIELDS[node.field]]
    if node.field in ("title", "summary"):
        return [node.field]
    return ["body", "title", "summary", *_ALL_TEXT_META]


def _prefix(node: Prefix, ctx: QueryContext) -> Any:
    from whoosh import query as wq

    subs = [
        wq.Term(f, t)
        for f in prefix_fields(node)
        for t in expand_prefix(ctx.reader, f, node.prefix)
    ]
    return wq.Or(subs) if subs else wq.NullQuery
