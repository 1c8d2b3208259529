"""The demo corpus in data/: every file parses to what tools/make_demo_corpus.py intended.

The generator writes ``tools/demo_expectations.json`` next to itself; each story's fields are
checked one by one, so a parser gap shows up as one named failure (marked xfail below with
the reason) instead of hiding every other field of the file.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import zipfile
from functools import cache
from pathlib import Path

import pytest

from searchfic.ingest import parse_file
from searchfic.model import Story, count_words

REPO = Path(__file__).resolve().parents[1]
DATA = REPO / "data"
MANIFEST = REPO / "tools" / "demo_expectations.json"
SHARED = Path(__file__).resolve().parents[1].parent / "shared"
STORY_ENDINGS = {".txt", ".text", ".htm", ".html", ".xhtml", ".epub"}

EXPECTED = json.loads(MANIFEST.read_text(encoding="utf-8"))["stories"]
BY_PATH = {e["path"]: e for e in EXPECTED}

# Parser gaps found by this corpus: (path, field) -> reason. Reported to the ingest owners;
# strict, so each entry must be removed once the parser is fixed.
KNOWN_GAPS: dict[tuple[str, str], str] = {}


@cache
def parsed(path: str) -> Story:
    return parse_file(DATA / path, corpus=DATA)


def _tokens(text: str) -> list[str]:
    return text.split()


def _contains_run(hay: list[str], needle: list[str]) -> bool:
    n = len(needle)
    return any(hay[i : i + n] == needle for i in range(len(hay) - n + 1))


def check_field(exp: dict, story: Story, name: str) -> None:
    """Assert one field of one story against the manifest (with its accepted alternatives)."""
    body = story.body
    alternatives = exp.get("lenient", {}).get(name, [])
    if name == "body_start":
        # Within the first words: chapter headings may come first in chaptered formats.
        assert _contains_run(_tokens(body)[:60], _tokens(exp["body_start"])), body[:300]
        return
    if name == "body_end":
        assert _contains_run(_tokens(body)[-60:], _tokens(exp["body_end"])), body[-300:]
        return
    if name == "summary_start":
        assert story.summary.split()[: len(exp[name].split())] == exp[name].split(), story.summary
        return
    if name == "words":
        want = exp["words"]
        # Chapter titles may count as body words in chaptered formats; nothing else may.
        assert abs(story.words - want) <= max(15, want // 50), (story.words, want)
        assert story.words == count_words(body)
        return
    if name == "excludes":
        leaked = [x for x in exp["excludes"] if x in body]
        assert not leaked, leaked
        return
    if name == "excluded_paragraphs":
        paras = {p.strip() for p in body.split("\n\n")}
        leaked = [x for x in exp["excluded_paragraphs"] if x.strip() in paras]
        assert not leaked, leaked
        return
    got = getattr(story, name)
    if isinstance(got, tuple):
        got = list(got)
    want = exp[name]
    assert got == want or got in alternatives, f"{name}: got {got!r}, want {want!r}"


FIELDS = [
    "format",
    "title",
    "authors",
    "fandoms",
    "pairings",
    "characters",
    "rating",
    "rating_original",
    "warnings",
    "categories",
    "tags",
    "language",
    "complete",
    "chapters",
    "published",
    "updated",
    "url",
    "summary_start",
    "words",
    "body_start",
    "body_end",
    "excludes",
    "excluded_paragraphs",
]


def _cases() -> list:
    cases = []
    for exp in EXPECTED:
        for name in FIELDS:
            if name not in exp or (name == "summary_start" and not exp[name]):
                continue
            marks = []
            reason = KNOWN_GAPS.get((exp["path"], name))
            if reason:
                marks.append(pytest.mark.xfail(reason=reason, strict=True))
            cases.append(pytest.param(exp["path"], name, id=f"{exp['path']}::{name}", marks=marks))
    return cases


@pytest.mark.parametrize(("path", "name"), _cases())
def test_demo_file_parses_to_intended_field(path: str, name: str) -> None:
    check_field(BY_PATH[path], parsed(path), name)


def test_every_story_file_in_data_has_an_expectation() -> None:
    on_disk = {
        p.relative_to(DATA).as_posix()
        for p in DATA.rglob("*")
        if p.is_file() and p.suffix.lower() in STORY_ENDINGS
    }
    assert on_disk == set(BY_PATH)


def test_demo_corpus_covers_every_feature_the_front_page_shows() -> None:
    formats = {e["format"] for e in EXPECTED}
    assert formats >= {
        "text",
        "html",
        "ao3-html",
        "ao3-epub",
        "fff-txt",
        "fff-html",
        "fff-epub",
        "epub",
    }
    assert {e["language"] for e in EXPECTED} >= {"en", "fr", "de", "es"}
    assert len({f for e in EXPECTED for f in e["fandoms"]}) >= 5
    assert any(len(e["fandoms"]) >= 2 for e in EXPECTED), "a crossover"
    ratings = {e["rating_original"] for e in EXPECTED}
    assert ratings >= {"G", "PG-13", "R", "NC-17", "K+", "T", "M", "Mature", "Explicit", ""}
    assert {e["complete"] for e in EXPECTED} >= {True, False}
    words = [e["words"] for e in EXPECTED]
    assert min(words) <= 350 and max(words) >= 14000
    pairings = [p for e in EXPECTED for p in e["pairings"]]
    assert any(p.count("/") == 2 for p in pairings), "a threesome"
    assert any(" & " in p for p in pairings), "a platonic pairing"
    assert 30 <= len(EXPECTED) <= 45
    total = sum(p.stat().st_size for p in DATA.rglob("*") if p.is_file())
    assert total < 5_000_000


def test_same_relationship_is_written_several_ways() -> None:
    variants = {
        p
        for e in EXPECTED
        for p in e["pairings"]
        if {"Dorothea", "Will", "Brooke", "Ladislaw"} & set(p.replace("/", " ").split())
    }
    assert {
        "Dorothea Brooke/Will Ladislaw",
        "Will Ladislaw/Dorothea Brooke",
        "Dorothea/Will",
        "Will/Dorothea",
        "Brooke/Ladislaw",
    } <= variants


_TYPO = str.maketrans(
    {"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u2014": "-", "\u2013": "-"}
)


def _folded(text: str) -> str:
    return " ".join(text.translate(_TYPO).replace("-", " - ").lower().split())


@pytest.mark.parametrize(
    ("quote", "path"),
    [(q["quote"], q["path"]) for q in json.loads(MANIFEST.read_text(encoding="utf-8"))["quotes"]],
)
def test_readme_quote_is_in_exactly_its_story(quote: str, path: str) -> None:
    holders = [e["path"] for e in EXPECTED if _folded(quote) in _folded(parsed(e["path"]).body)]
    assert holders == [path]


@pytest.mark.parametrize("path", sorted(p for p in BY_PATH if p.endswith(".epub")))
def test_demo_epub_is_a_valid_container(path: str) -> None:
    with zipfile.ZipFile(DATA / path) as z:
        first = z.infolist()[0]
        assert first.filename == "mimetype" and first.compress_type == zipfile.ZIP_STORED
        assert z.read("mimetype") == b"application/epub+zip"
        assert z.testzip() is None
        assert b"rootfile" in z.read("META-INF/container.xml")


def test_encoding_showcase_files_really_carry_their_damage() -> None:
    cp1252 = (DATA / "archive/sissys-progress_written-by_cp1252_crlf.txt").read_bytes()
    with pytest.raises(UnicodeDecodeError):
        cp1252.decode("utf-8")
    assert b"\r\n" in cp1252 and b"\x92" in cp1252
    mojibake = (DATA / "archive/les-noces-du-louvre_mojibake.txt").read_text(encoding="utf-8")
    assert "Ã©" in mojibake
    assert (
        (DATA / "archive/beim-grossvater_utf8-bom_crlf.txt")
        .read_bytes()
        .startswith(b"\xef\xbb\xbf")
    )


def test_demo_corpus_holds_no_seed_text() -> None:
    seeds = sorted((SHARED / "seed").glob("*.txt")) if (SHARED / "seed").is_dir() else []
    if not seeds:
        pytest.skip(f"the seed story is not available at {SHARED / 'seed'}")

    # Any run of 12 words shared with the seed would mean copied text.
    def shingles(text: str) -> set[tuple[str, ...]]:
        w = text.split()
        return {tuple(w[i : i + 12]) for i in range(len(w) - 11)}

    seed = set().union(*(shingles(p.read_text(encoding="utf-8", errors="replace")) for p in seeds))
    for e in EXPECTED:
        story = parsed(e["path"])
        assert not (shingles(story.body) & seed), e["path"]


def _file_texts(path: Path) -> list[str]:
    if path.suffix == ".epub":
        with zipfile.ZipFile(path) as z:
            return [z.read(n).decode("utf-8", "replace") for n in z.namelist()]
    return [path.read_bytes().decode("utf-8", "replace")]


def test_demo_files_use_only_reserved_email_addresses() -> None:
    found = {
        m.group(0)
        for p in DATA.rglob("*")
        if p.is_file()
        for text in _file_texts(p)
        for m in re.finditer(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+", text)
    }
    assert found, "the mail-post and caps-label files carry addresses"
    assert all(a.endswith("@example.invalid") for a in found), found


def _content(path: Path) -> object:
    """Bytes, or for an EPUB its members in order (deflate output differs between zlibs)."""
    if path.suffix != ".epub":
        return path.read_bytes()
    with zipfile.ZipFile(path) as z:
        return [(i.filename, i.compress_type, z.read(i)) for i in z.infolist()]


def test_generator_rebuilds_exactly_the_committed_corpus(tmp_path: Path) -> None:
    eltec = SHARED / "corpus" / "eltec"
    if not (eltec / "eng").is_dir():
        pytest.skip(f"the ELTeC texts the generator cuts from are not at {eltec}")
    out, manifest = tmp_path / "data", tmp_path / "expectations.json"
    subprocess.run(
        [
            sys.executable,
            str(REPO / "tools" / "make_demo_corpus.py"),
            "--eltec",
            str(eltec),
            "--out",
            str(out),
            "--manifest",
            str(manifest),
        ],
        check=True,
        capture_output=True,
    )
    built = {p.relative_to(out).as_posix(): _content(p) for p in out.rglob("*") if p.is_file()}
    committed = {
        p.relative_to(DATA).as_posix(): _content(p) for p in DATA.rglob("*") if p.is_file()
    }
    assert built.keys() == committed.keys()
    changed = [k for k in built if built[k] != committed[k]]
    assert not changed, f"data/ is out of date; run tools/make_demo_corpus.py: {changed}"
    assert manifest.read_bytes() == MANIFEST.read_bytes()
