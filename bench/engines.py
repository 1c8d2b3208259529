"""The engines under test, behind one small interface: two baselines and searchfic itself.

- ``whoosh``: Whoosh as commonly configured (StemmingAnalyzer, body stored, fandom/rating as
  ``ID``, pairings/characters as ``KEYWORD``, default writer, facets with ``FieldFacet`` and
  ``groupedby``, snippets with ``hit.highlights("body")``, quotes as QueryParser phrases).
- ``fts5``: SQLite FTS5 (``porter unicode61``, ``bm25()``, metadata in normal tables, facet
  counts by ``GROUP BY`` over the matching rowids, ``snippet()``, quotes as FTS5 phrases).
- ``searchfic``: the package's public API (``update_index``, ``open_index``, ``search.run``).

The baselines read the corpus with :func:`read_story`, a small reader for the two shapes the
bench corpus uses (classic header + separator, AO3 HTML): what a user of a bare engine would
write. A build runs in a child process (``python bench/engines.py build ENGINE CORPUS DIR``)
so that its peak memory is its own.
"""

from __future__ import annotations

import contextlib
import html
import json
import os
import re
import sqlite3
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ENGINES: tuple[str, ...] = ("searchfic", "whoosh", "fts5")
FACET_LIMIT = 50
STORY_SUFFIXES = {".txt", ".html"}

_SEPARATOR = re.compile(r"^\s*(\*{3,}|-{3,}|~{3,}|={3,}|(- ){2,}-|\* \* \*|(oO){2,}o?)\s*$")
_LABEL = re.compile(r"^\**\s*([A-Za-z][A-Za-z ]{0,20}?)\s*(?::\**|\s-)\s*(.*)$")
_LABELS = {
    "title": "title",
    "story title": "title",
    "author": "author",
    "by": "author",
    "fandom": "fandom",
    "universe": "fandom",
    "pairing": "pairing",
    "pairings": "pairing",
    "ship": "pairing",
    "relationships": "pairing",
    "couple": "pairing",
    "characters": "characters",
    "featuring": "characters",
    "rating": "rating",
    "rated": "rating",
    "language": "language",
}
_PAIR_SPLIT = re.compile(r"\s*(?:/|\s+x\s+|&)\s*")


@dataclass(frozen=True)
class StoryDoc:
    """What a baseline indexes of one story."""

    path: str
    title: str = ""
    author: str = ""
    fandom: str = ""
    pairings: tuple[str, ...] = ()
    characters: tuple[str, ...] = ()
    rating: str = ""
    language: str = ""
    body: str = ""


@dataclass
class Result:
    """One query's answer: the top sources in rank order, the total, extras for checks."""

    top: list[str]
    total: int
    facets: dict[str, list[tuple[str, int]]] = field(default_factory=dict)
    snippets: list[str] = field(default_factory=list)


def pairing_key(text: str) -> str:
    """Normalise one relationship as a bare-engine user would: separators, case, order."""
    kind = "&" if "&" in text else "/"
    members = sorted(m.strip().casefold() for m in _PAIR_SPLIT.split(text) if m.strip())
    return kind.join(members)


def _split_list(value: str) -> tuple[str, ...]:
    return tuple(v.strip() for v in value.split(",") if v.strip())


def read_story(path: Path, corpus: Path) -> StoryDoc:
    """Read one bench story file (classic text header or AO3 HTML)."""
    rel = path.relative_to(corpus).as_posix()
    raw = path.read_bytes().decode("utf-8", errors="replace").replace("\r\n", "\n")
    if path.suffix == ".html":
        return _read_ao3(rel, raw)
    lines = raw.split("\n")
    meta: dict[str, str] = {}
    body_start = 0
    for i, line in enumerate(lines):
        if _SEPARATOR.match(line):
            body_start = i + 1
            break
        if line.startswith("Written by "):
            meta.setdefault("author", line[len("Written by ") :].strip())
            continue
        m = _LABEL.match(line)
        if m and m.group(1).strip().lower() in _LABELS:
            meta.setdefault(_LABELS[m.group(1).strip().lower()], m.group(2).strip())
    body = "\n".join(lines[body_start:]).strip()
    return StoryDoc(
        path=rel,
        title=meta.get("title", ""),
        author=meta.get("author", ""),
        fandom=meta.get("fandom", ""),
        pairings=_split_list(meta.get("pairing", "")),
        characters=_split_list(meta.get("characters", "")),
        rating=meta.get("rating", ""),
        language=meta.get("language", ""),
        body=body,
    )


def _read_ao3(rel: str, raw: str) -> StoryDoc:
    import lxml.html

    root = lxml.html.fromstring(raw)
    tags: dict[str, tuple[str, ...]] = {}
    for dt in root.xpath('//dl[@class="tags"]/dt'):
        dd = dt.getnext()
        label = dt.text_content().strip().rstrip(":").lower().rstrip("s")
        links = dd.xpath(".//a")
        values = [a.text_content().strip() for a in links] or [dd.text_content().strip()]
        tags[label] = tuple(values)
    h1 = root.xpath('//div[@id="preface"]//h1')
    author = root.xpath('//div[@class="byline"]/a')
    paragraphs = [
        p.text_content().strip()
        for p in root.xpath('//div[@id="chapters"]//div[@class="userstuff"]//p')
    ]
    return StoryDoc(
        path=rel,
        title=h1[0].text_content().strip() if h1 else "",
        author=author[0].text_content().strip() if author else "",
        fandom=", ".join(tags.get("fandom", ())),
        pairings=tags.get("relationship", ()),
        characters=tags.get("character", ()),
        rating=(tags.get("rating") or ("",))[0],
        language=(tags.get("language") or ("",))[0],
        body="\n\n".join(paragraphs),
    )


def story_files(corpus: Path) -> list[Path]:
    """Every story file of a bench corpus, in a stable order."""
    return sorted(p for p in corpus.rglob("*") if p.suffix in STORY_SUFFIXES and p.is_file())


def iter_stories(corpus: Path) -> Iterator[StoryDoc]:
    for path in story_files(corpus):
        yield read_story(path, corpus)


def _phrase_words(text: str) -> str:
    # A straight double quote inside a pasted quote would end the phrase in every engine's
    # syntax; all engines get the quote with those removed.
    return " ".join(text.replace('"', " ").split())


# --------------------------------------------------------------------------- Whoosh
class WhooshEngine:
    """Whoosh 2.7 API as commonly configured."""

    name = "whoosh"

    @staticmethod
    def build(corpus: Path, index_dir: Path) -> int:
        from whoosh import fields, index
        from whoosh.analysis import StemmingAnalyzer

        schema = fields.Schema(
            path=fields.ID(stored=True, unique=True),
            title=fields.TEXT(stored=True),
            author=fields.ID(stored=True),
            fandom=fields.ID(stored=True),
            pairing=fields.KEYWORD(stored=True, commas=True, lowercase=True),
            character=fields.KEYWORD(stored=True, commas=True),
            rating=fields.ID(stored=True),
            language=fields.ID(stored=True),
            body=fields.TEXT(analyzer=StemmingAnalyzer(), stored=True),
        )
        index_dir.mkdir(parents=True, exist_ok=True)
        ix = index.create_in(str(index_dir), schema)
        writer = ix.writer()
        n = 0
        for doc in iter_stories(corpus):
            writer.add_document(
                path=doc.path,
                title=doc.title,
                author=doc.author,
                fandom=doc.fandom,
                pairing=",".join(pairing_key(p) for p in doc.pairings),
                character=",".join(doc.characters),
                rating=doc.rating,
                language=doc.language,
                body=doc.body,
            )
            n += 1
        writer.commit()
        return n

    def __init__(self, index_dir: Path) -> None:
        from whoosh import index
        from whoosh.qparser import QueryParser

        self.ix = index.open_dir(str(index_dir))
        self.searcher = self.ix.searcher()
        self.parser = QueryParser("body", self.ix.schema)

    def close(self) -> None:
        self.searcher.close()
        self.ix.close()

    def _top(self, results: Any) -> list[str]:
        return [hit["path"] for hit in results]

    def quote(self, text: str) -> Result:
        q = self.parser.parse(f'"{_phrase_words(text)}"')
        results = self.searcher.search(q, limit=10)
        return Result(self._top(results), len(results))

    def terms(self, text: str) -> Result:
        results = self.searcher.search(self.parser.parse(text), limit=10)
        return Result(self._top(results), len(results))

    def pairing(self, value: str, limit: int | None = 20) -> Result:
        from whoosh.query import Term

        results = self.searcher.search(Term("pairing", pairing_key(value)), limit=limit)
        return Result(self._top(results), len(results))

    def facets(self, text: str) -> Result:
        from whoosh import sorting

        groups = {
            "fandom": sorting.FieldFacet("fandom", maptype=sorting.Count),
            "pairing": sorting.FieldFacet("pairing", allow_overlap=True, maptype=sorting.Count),
            "character": sorting.FieldFacet("character", allow_overlap=True, maptype=sorting.Count),
            "rating": sorting.FieldFacet("rating", maptype=sorting.Count),
            "author": sorting.FieldFacet("author", maptype=sorting.Count),
            "language": sorting.FieldFacet("language", maptype=sorting.Count),
        }
        results = self.searcher.search(self.parser.parse(text), limit=10, groupedby=groups)
        facets = {}
        for name in groups:
            counts = results.groups(name)
            top = sorted(counts.items(), key=lambda kv: (-kv[1], str(kv[0])))[:FACET_LIMIT]
            facets[name] = [(str(k), v) for k, v in top]
        return Result(self._top(results), len(results), facets=facets)

    def snippets(self, text: str) -> Result:
        results = self.searcher.search(self.parser.parse(text), limit=10)
        snippets = [hit.highlights("body") for hit in results]
        return Result(self._top(results), len(results), snippets=snippets)


# --------------------------------------------------------------------------- SQLite FTS5
class Fts5Engine:
    """SQLite FTS5 with porter unicode61 and bm25(); metadata in normal tables."""

    name = "fts5"
    FACET_COLUMNS = ("fandom", "rating", "author", "language")
    FACET_TABLES = ("pairing", "character")

    @staticmethod
    def build(corpus: Path, index_dir: Path) -> int:
        index_dir.mkdir(parents=True, exist_ok=True)
        db = index_dir / "fts.sqlite"
        if db.exists():
            db.unlink()
        con = sqlite3.connect(db)
        con.executescript(
            """
            CREATE TABLE story(id INTEGER PRIMARY KEY, path TEXT UNIQUE, title TEXT,
                               author TEXT, fandom TEXT, rating TEXT, language TEXT);
            CREATE TABLE story_pairing(story_id INTEGER, value TEXT);
            CREATE TABLE story_character(story_id INTEGER, value TEXT);
            CREATE VIRTUAL TABLE fts USING fts5(body, tokenize='porter unicode61');
            """
        )
        n = 0
        with con:
            for doc in iter_stories(corpus):
                n += 1
                con.execute(
                    "INSERT INTO story VALUES (?,?,?,?,?,?,?)",
                    (n, doc.path, doc.title, doc.author, doc.fandom, doc.rating, doc.language),
                )
                con.executemany(
                    "INSERT INTO story_pairing VALUES (?,?)",
                    [(n, pairing_key(p)) for p in doc.pairings],
                )
                con.executemany(
                    "INSERT INTO story_character VALUES (?,?)", [(n, c) for c in doc.characters]
                )
                con.execute("INSERT INTO fts(rowid, body) VALUES (?,?)", (n, doc.body))
        con.executescript(
            """
            CREATE INDEX story_pairing_value ON story_pairing(value, story_id);
            CREATE INDEX story_pairing_story ON story_pairing(story_id);
            CREATE INDEX story_character_story ON story_character(story_id);
            """
        )
        con.close()
        return n

    def __init__(self, index_dir: Path) -> None:
        self.con = sqlite3.connect(index_dir / "fts.sqlite")
        self.con.execute("CREATE TEMP TABLE hits(id INTEGER PRIMARY KEY)")

    def close(self) -> None:
        self.con.close()

    def _ranked(self, match: str, limit: int = 10) -> Result:
        top = [
            r[0]
            for r in self.con.execute(
                "SELECT s.path FROM fts JOIN story s ON s.id = fts.rowid"
                " WHERE fts MATCH ? ORDER BY bm25(fts) LIMIT ?",
                (match, limit),
            )
        ]
        total = self.con.execute("SELECT count(*) FROM fts WHERE fts MATCH ?", (match,)).fetchone()
        return Result(top, total[0])

    @staticmethod
    def _phrase(text: str) -> str:
        return '"' + _phrase_words(text).replace('"', '""') + '"'

    @staticmethod
    def _and(text: str) -> str:
        return " ".join('"' + w.replace('"', '""') + '"' for w in text.split())

    def quote(self, text: str) -> Result:
        return self._ranked(self._phrase(text))

    def terms(self, text: str) -> Result:
        return self._ranked(self._and(text))

    def pairing(self, value: str, limit: int | None = 20) -> Result:
        key = pairing_key(value)
        rows = self.con.execute(
            "SELECT s.path FROM story_pairing p JOIN story s ON s.id = p.story_id"
            " WHERE p.value = ? ORDER BY s.id" + (" LIMIT ?" if limit else ""),
            (key, limit) if limit else (key,),
        ).fetchall()
        total = self.con.execute(
            "SELECT count(*) FROM story_pairing WHERE value = ?", (key,)
        ).fetchone()[0]
        return Result([r[0] for r in rows], total)

    def facets(self, text: str) -> Result:
        match = self._and(text)
        result = self._ranked(match)
        self.con.execute("DELETE FROM hits")
        self.con.execute("INSERT INTO hits SELECT rowid FROM fts WHERE fts MATCH ?", (match,))
        facets: dict[str, list[tuple[str, int]]] = {}
        for col in self.FACET_COLUMNS:
            facets[col] = self.con.execute(
                f"SELECT s.{col}, count(*) AS n FROM hits JOIN story s ON s.id = hits.id"
                f" GROUP BY s.{col} ORDER BY n DESC, s.{col} LIMIT {FACET_LIMIT}"
            ).fetchall()
        for table in self.FACET_TABLES:
            facets[table] = self.con.execute(
                f"SELECT t.value, count(*) AS n FROM hits JOIN story_{table} t"
                f" ON t.story_id = hits.id GROUP BY t.value ORDER BY n DESC, t.value"
                f" LIMIT {FACET_LIMIT}"
            ).fetchall()
        result.facets = facets
        return result

    def snippets(self, text: str) -> Result:
        rows = self.con.execute(
            "SELECT s.path, snippet(fts, 0, '<mark>', '</mark>', '…', 24)"
            " FROM fts JOIN story s ON s.id = fts.rowid"
            " WHERE fts MATCH ? ORDER BY bm25(fts) LIMIT 10",
            (self._and(text),),
        ).fetchall()
        total = self.con.execute(
            "SELECT count(*) FROM fts WHERE fts MATCH ?", (self._and(text),)
        ).fetchone()[0]
        return Result([r[0] for r in rows], total, snippets=[html.unescape(r[1]) for r in rows])


# --------------------------------------------------------------------------- searchfic
def searchfic_available() -> str | None:
    """Return None when searchfic's public engine API is importable, else why not."""
    try:
        from searchfic.engine import indexer, search, store  # noqa: F401
    except Exception as exc:  # any failure means the column reports "not available"
        return f"{type(exc).__name__}: {exc}"
    missing = [
        name
        for mod, name in ((indexer, "update_index"), (store, "open_index"), (search, "run"))
        if not hasattr(mod, name)
    ]
    return f"missing {', '.join(missing)}" if missing else None


class SearchficEngine:
    """searchfic through its public engine API, as the CLI and the web app use it."""

    name = "searchfic"

    @staticmethod
    def build(corpus: Path, index_dir: Path) -> int:
        from searchfic.engine.indexer import update_index

        summary = update_index(corpus, index_dir, rebuild=True)
        d = summary.to_dict()
        if d.get("failed"):
            print(f"searchfic: {len(d['failed'])} files failed to index", file=sys.stderr)
        return int(d.get("added", 0)) + int(d.get("updated", 0)) + int(d.get("unchanged", 0))

    def __init__(self, index_dir: Path) -> None:
        from searchfic.engine import search, store
        from searchfic.request import SearchRequest

        self.index = store.open_index(index_dir)
        # As the web app does when it opens a generation (searchfic/webapp/state.py):
        # its tables and records are built once here, untimed, rather than by whichever
        # timed query comes first. The untimed warm-up queries still run after this.
        search.warm(self.index)
        self._run = search.run
        # Imported once: an import statement per query would time Python's import
        # machinery (~2 us when caches are cold), which the other engines do not pay.
        self._request = SearchRequest

    def close(self) -> None:
        self.index.close()

    def _search(self, q: str, **kw: Any) -> Any:
        kw.setdefault("per_page", 10)
        kw.setdefault("with_facets", False)
        kw.setdefault("with_snippets", False)
        return self._run(self.index, self._request(q=q, **kw))

    def _result(self, resp: Any) -> Result:
        return Result([h.source for h in resp.results], resp.total)

    def quote(self, text: str) -> Result:
        return self._result(self._search(f'"{_phrase_words(text)}"'))

    def terms(self, text: str) -> Result:
        return self._result(self._search(text))

    def pairing(self, value: str, limit: int | None = 20) -> Result:
        if limit is not None:
            return self._result(self._search("", filters={"pairing": (value,)}, per_page=limit))
        top: list[str] = []
        page, total = 1, 0
        while True:
            resp = self._search("", filters={"pairing": (value,)}, per_page=100, page=page)
            total = resp.total
            top += [h.source for h in resp.results]
            if not resp.results or len(top) >= total:
                return Result(top, total)
            page += 1

    def facets(self, text: str) -> Result:
        resp = self._search(text, with_facets=True)
        result = self._result(resp)
        result.facets = {k: [(f.value, f.count) for f in v] for k, v in resp.facets.items()}
        return result

    def snippets(self, text: str) -> Result:
        resp = self._search(text, with_snippets=True)
        result = self._result(resp)
        result.snippets = [s for h in resp.results for s in h.snippets[:1]]
        return result


ENGINE_CLASSES = {"whoosh": WhooshEngine, "fts5": Fts5Engine, "searchfic": SearchficEngine}


def open_engine(name: str, index_dir: Path) -> Any:
    return ENGINE_CLASSES[name](index_dir)


def main(argv: list[str]) -> int:
    """Child-process entry: ``build ENGINE CORPUS INDEX_DIR`` prints a JSON line."""
    if len(argv) != 4 or argv[0] != "build" or argv[1] not in ENGINE_CLASSES:
        print("usage: engines.py build {searchfic,whoosh,fts5} CORPUS INDEX_DIR", file=sys.stderr)
        return 2
    corpus, index_dir = Path(argv[2]), Path(argv[3])
    started = time.perf_counter()
    docs = ENGINE_CLASSES[argv[1]].build(corpus, index_dir)
    seconds = time.perf_counter() - started
    hwm_kb = 0  # this process's own peak RSS (Linux); the parent adds up the workers
    with contextlib.suppress(OSError), open("/proc/self/status", encoding="ascii") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                hwm_kb = int(line.split()[1])
    print(
        json.dumps(
            {
                "engine": argv[1],
                "docs": docs,
                "seconds": seconds,
                "pid": os.getpid(),
                "hwm_kb": hwm_kb,
            }
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
