"""Quote recall: does a quote, retyped or slightly misremembered, find its story at rank 1?

Stories are cut from the ELTeC novels in English, French, German and Spanish with
fanfic-like headers (bench/corpus.py), parsed and indexed by searchfic itself
(``update_index``). Quotes of 6-12 words are sampled from the indexed bodies, then:

- retyped: the other typography (straight <-> curly quotes and apostrophes, dashes,
  ellipses) and another letter case; must be rank 1 every time;
- changed: one word replaced by another word of the collection;
- dropped: one word left out;
- added: one word inserted;
- typo: two letters of one word swapped;
- unquoted: retyped, pasted without quote marks (words ANDed, ranked).

Each but the last is searched as a quoted phrase (``"..."``). Prints rank-1 shares and
timings.

    .venv/bin/python bench/quote_recall.py --stories 300 --quotes 200
"""

from __future__ import annotations

import argparse
import random
import re
import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))
sys.path.insert(0, str(BENCH.parent))

KINDS = ("retyped", "changed", "dropped", "added", "typo", "unquoted")

_TO_CURLY = [("'", "\u2019"), ('"', "\u201d"), ("--", "\u2014"), ("...", "\u2026")]
_TO_STRAIGHT = {
    "\u2018": "'",
    "\u2019": "'",
    "\u201c": '"',
    "\u201d": '"',
    "\u2014": "--",
    "\u2013": "-",
    "\u2026": "...",
    "\u00ab": '"',
    "\u00bb": '"',
}


def retype(text: str, rng: random.Random) -> str:
    """Return the text in the other typography, and sometimes in another case."""
    if any(c in text for c in _TO_STRAIGHT):
        out = "".join(_TO_STRAIGHT.get(c, c) for c in text)
    else:
        out = text
        for a, b in _TO_CURLY:
            out = out.replace(a, b)
    r = rng.random()
    if r < 0.2:
        out = out.lower()
    elif r < 0.3:
        out = out.upper()
    return out


def _word_positions(words: list[str]) -> list[int]:
    return [i for i, w in enumerate(words) if re.search(r"\w{3,}", w)]


def alter(words: list[str], kind: str, vocab: list[str], rng: random.Random) -> list[str]:
    """Return the quote's words with one alteration of ``kind``."""
    w = list(words)
    spots = _word_positions(w) or list(range(len(w)))
    i = rng.choice(spots)
    if kind == "changed":
        w[i] = rng.choice(vocab)
    elif kind == "dropped":
        del w[i]
    elif kind == "added":
        w.insert(i, rng.choice(vocab))
    elif kind == "typo":
        word = w[i]
        letters = [k for k in range(len(word) - 1) if word[k].isalpha() and word[k + 1].isalpha()]
        if letters:
            k = rng.choice(letters)
            w[i] = word[:k] + word[k + 1] + word[k] + word[k + 2 :]
        else:
            w[i] = word + "x"
    return w


def sample_quote(body: str, rng: random.Random) -> list[str] | None:
    """Return 6-12 consecutive words of one paragraph, or None if none is long enough."""
    paras = [p for p in body.split("\n\n") if len(p.split()) >= 14]
    if not paras:
        return None
    words = rng.choice(paras).split()
    n = rng.randint(6, 12)
    start = rng.randint(0, len(words) - n)
    return words[start : start + n]


def as_phrase(words: list[str]) -> str:
    # A user pasting a quote that holds inner double quotes drops them to wrap it.
    text = " ".join(words)
    text = re.sub(r"[\"\u201c\u201d\u00ab\u00bb\u201e]", "", text)
    return f'"{text}"'


def percentile(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    s = sorted(values)
    return s[min(len(s) - 1, int(round(q * (len(s) - 1))))]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--stories", type=int, default=300)
    ap.add_argument("--quotes", type=int, default=200, help="quotes per kind")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--index-dir", type=Path, default=None, help="reuse/keep the index here")
    args = ap.parse_args(argv)

    from corpus import ELTEC, ensure_corpus

    if not ELTEC.exists():
        print(f"error: the ELTeC novels are not at {ELTEC}", file=sys.stderr)
        return 2
    from searchfic.engine import search
    from searchfic.engine.analysis import exact_tokens
    from searchfic.engine.indexer import update_index
    from searchfic.engine.store import open_index
    from searchfic.errors import SchemaVersionError
    from searchfic.request import SearchRequest

    corpus = ensure_corpus(args.stories)
    index_dir = args.index_dir or Path(tempfile.mkdtemp(prefix="quote_recall_"))
    t0 = time.perf_counter()
    try:
        summary = update_index(corpus, index_dir)
    except SchemaVersionError:  # a kept index from an older schema
        summary = update_index(corpus, index_dir, rebuild=True)
    build_s = time.perf_counter() - t0
    size_mb = sum(p.stat().st_size for p in corpus.rglob("*") if p.is_file()) / 1e6
    print(
        f"corpus: {args.stories} stories, {size_mb:.1f} MB; index update {build_s:.1f} s "
        f"({summary.to_dict() if hasattr(summary, 'to_dict') else summary})"
    )

    rng = random.Random(args.seed)
    ix = open_index(index_dir)
    from searchfic.engine.schema import unpack_body
    from searchfic.engine.store import column_bytes

    with ix.searcher() as s:
        stored = [(f["id"], column_bytes(s, "body_z", n)) for n, f in s.reader().iter_docs()]

    bodies = {sid: unpack_body(blob) for sid, blob in stored}
    ids = sorted(bodies)
    vocab = sorted({w for sid in ids[:50] for w in bodies[sid].split() if w.isalpha()})
    langs: dict[str, int] = {}
    for sid in ids:
        rec = search.get_story(ix, sid)
        langs[rec.language or "?"] = langs.get(rec.language or "?", 0) + 1
    print(f"languages: {dict(sorted(langs.items()))}")

    results: dict[str, list[bool]] = {k: [] for k in KINDS}
    strict: dict[str, list[bool]] = {k: [] for k in KINDS}
    folded_cache: dict[str, str] = {}

    def folded(story_id: str) -> str:
        if story_id not in folded_cache:
            folded_cache[story_id] = " " + " ".join(exact_tokens(bodies[story_id])) + " "
        return folded_cache[story_id]

    def holds(text: str, quote_words: list[str]) -> bool:
        return " " + " ".join(exact_tokens(" ".join(quote_words))) + " " in text

    top10: dict[str, list[bool]] = {k: [] for k in KINDS}
    times: dict[str, list[float]] = {k: [] for k in KINDS}
    approx: dict[str, int] = {k: 0 for k in KINDS}
    misses: dict[str, list[str]] = {k: [] for k in KINDS}
    # Warm the per-generation caches so the first query is not timed with them.
    search.run(ix, SearchRequest(q='"warm up"', per_page=10))
    done = 0
    while done < args.quotes:
        sid = rng.choice(ids)
        words = sample_quote(bodies[sid], rng)
        if words is None:
            continue
        done += 1
        for kind in KINDS:
            typed = words if kind in ("retyped", "unquoted") else alter(words, kind, vocab, rng)
            q = retype(as_phrase(typed), rng)
            if kind == "unquoted":
                q = q[1:-1]
            t = time.perf_counter()
            resp = search.run(ix, SearchRequest(q=q, per_page=10, with_facets=False))
            times[kind].append((time.perf_counter() - t) * 1000)
            got = [h.id for h in resp.results]
            strict[kind].append(bool(got) and got[0] == sid)
            # The corpus may hold the same passage twice (two cuts of one novel): a top
            # story that holds the original words too is the right answer as well.
            results[kind].append(strict[kind][-1] or (bool(got) and holds(folded(got[0]), words)))
            top10[kind].append(sid in got)
            approx[kind] += int(resp.approximate)
            if not results[kind][-1] and len(misses[kind]) < 3:
                misses[kind].append(q)
    ix.close()

    print(f"quotes per kind: {args.quotes} (6-12 words, quoted, other typography)")
    print("rank-1: the source story, or a story holding the same original passage, first;")
    print("strict: the source story itself first")
    print(
        f"{'kind':<9} {'rank-1':>8} {'strict':>8} {'top-10':>8} {'approx':>7} "
        f"{'p50 ms':>8} {'p95 ms':>8}"
    )
    for kind in KINDS:
        r = results[kind]
        st = strict[kind]
        print(
            f"{kind:<9} {100 * sum(r) / len(r):7.1f}% {100 * sum(st) / len(st):7.1f}% "
            f"{100 * sum(top10[kind]) / len(r):7.1f}% "
            f"{approx[kind]:>7} {percentile(times[kind], 0.5):8.1f} "
            f"{percentile(times[kind], 0.95):8.1f}"
        )
    one_word = results["changed"] + results["dropped"]
    print(f"retyped rank-1: {100 * sum(results['retyped']) / len(results['retyped']):.1f}%")
    print(f"one word changed or dropped rank-1: {100 * sum(one_word) / len(one_word):.1f}%")
    for kind in KINDS:
        for q in misses[kind]:
            print(f"  miss [{kind}]: {q[:110]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
