"""Every classic/ and encodings/ sample parses to what samples/README.md says."""

from __future__ import annotations

import codecs
import re
import textwrap
from pathlib import Path

import pytest

from searchfic.ingest import parse_file, parse_raw
from searchfic.ingest.base import RawFile

SAMPLES = Path(__file__).resolve().parents[1].parent / "shared" / "samples"

pytestmark = pytest.mark.skipif(not SAMPLES.is_dir(), reason=f"{SAMPLES} is absent")

CLASSIC = {
    "01_caps-labels_star-separator_wrapped72.txt": dict(
        title="A Visitor in Rome",
        authors=("Hester Wren",),
        fandoms=("Middlemarch",),
        pairings=("Dorothea Brooke/Will Ladislaw",),
        rating="Teen And Up Audiences",
        rating_original="PG",
        summary="Dorothea has been crying alone in Rome when Mr. Ladislaw is announced.",
        first="It was in that way Dorothea came to be sobbing as soon as she was securely alone.",
        last="with his admiring speculation about her feelings.",
        notes=(
            "ARCHIVE: Lowick list archive yes",
            "SPOILERS: Book II",
            "DISCLAIMER: Dorothea",
            "unlikely to mind. No money is being made.",
            "FEEDBACK: Yes please",
        ),
    ),
    "02_story-title_written-by_ship_rated-pg13.txt": dict(
        title="Relics at Cheyne Walk",
        authors=("Marginalia",),
        fandoms=("Night and Day - Virginia Woolf",),
        pairings=("Katharine/Ralph",),
        rating="Teen And Up Audiences",
        rating_original="PG-13",
        summary=(
            "Ralph Denham comes to tea, is shown the family relics, and is not impressed. "
            "Katharine is not sure whether she is."
        ),
        first="It was a Sunday evening in October, and in common with many other young ladies",
        last="led the way across the drawing-room to a smaller room opening out of it.",
        notes=(
            "Disclaimer: Katharine Hilbery",
            "put them back dusted.",
            "Author's Note: Thank you to M. for the beta.",
            "everything else is 1919.",
        ),
        tags=("Romance", "Drama"),
    ),
    "03_email-post_dash-labels_x-pairing_CRLF.txt": dict(
        title="The Two Poets of Saffron Park",
        authors=("quietanarchist",),
        fandoms=("The Man Who Was Thursday",),
        pairings=("Syme/Gregory", "Syme & Rosamond"),
        rating="Mature",
        rating_original="M",
        summary="An argument on a lawn at sunset, and another one under a lamp-post.",
        first="THE suburb of Saffron Park lay on the sunset side of London",
        last="that it might well have been a dream.",
        notes=("Disclaimer - Chesterton's, not mine.".replace(" - ", ": "),),
        warnings=("anarchist speeches", "violence in later parts"),
        published="2003-06-14",
    ),
    "04_saved-web-page_site-chrome_recent-posts.txt": dict(
        title="The Hatter's Clock",
        authors=("Juniper Ashdown",),
        fandoms=("Alice's Adventures in Wonderland",),
        pairings=("Hatter/March Hare",),
        rating="General Audiences",
        rating_original="G",
        summary="Tea, riddles, and a watch that tells the day of the month.",
        first="There was a table set out under a tree in front of the house",
        last="among the bright flower-beds and the cool fountains.",
        notes=(
            "LEGAL STUFF: Copyright 2012 by Juniper Ashdown.",
            "SPOILER: Chapter seven.",
            "FEEDBACK: Always! Leave a comment below.",
        ),
    ),
}


@pytest.mark.parametrize("name", sorted(CLASSIC))
def test_classic_sample(name: str) -> None:
    want = CLASSIC[name]
    s = parse_file(SAMPLES / "classic" / name, corpus=SAMPLES)
    assert s.format == "text"
    assert s.source == f"classic/{name}"
    for key in ("title", "authors", "fandoms", "pairings", "rating", "rating_original", "summary"):
        assert getattr(s, key) == want[key], key
    assert s.language in (None, "en")
    assert s.body.startswith(want["first"])
    assert s.body.endswith(want["last"])
    for note in want["notes"]:
        assert note in s.notes
    for key in ("tags", "warnings", "published"):
        if key in want:
            assert getattr(s, key) == want[key], key
    assert s.words == len(s.body.split())


def test_classic_bodies_leave_out_headers_trailers_and_chrome() -> None:
    bodies = {n: parse_file(SAMPLES / "classic" / n).body for n in CLASSIC}
    assert "\n" not in bodies["01_caps-labels_star-separator_wrapped72.txt"].split("\n\n")[0]
    assert "THE END" not in bodies["01_caps-labels_star-separator_wrapped72.txt"]
    assert "Reviews make my day" not in bodies["02_story-title_written-by_ship_rated-pg13.txt"]
    body3 = bodies["03_email-post_dash-labels_x-pairing_CRLF.txt"]
    assert "(end)" not in body3 and "quietanarchist" not in body3 and "Subject:" not in body3
    assert "ill\u2011drawn" in body3
    body4 = bodies["04_saved-web-page_site-chrome_recent-posts.txt"]
    for chrome in (
        "top of page",
        "Recent Posts",
        "See All",
        "Time Traveller",
        "SPINNING-WHEELS",
        "HIRAM",
        "\u00a9 2016",
        "Website Design",
        "bottom of page",
        "RATING:",
    ):
        assert chrome not in body4


def test_classic_subject_line_is_not_the_title_and_parenthetical_goes_to_notes() -> None:
    s = parse_file(SAMPLES / "classic" / "03_email-post_dash-labels_x-pairing_CRLF.txt")
    assert "[FIC]" not in s.title
    assert "(friendship)" in s.notes


ENCODED = {
    "de_DEU060": dict(
        title="Die Amazonenschlacht",
        authors=("Janitschek, Maria",),
        lang="de",
        summary="Opening chapters of Die Amazonenschlacht (1897).",
        first="1\n\nAlso das war ihr Zimmer.",
        last="zu einem wortkargen Sonderling gemacht hätte.",
    ),
    "en_ENG19011_Jerome": dict(
        title="The Observations of Henry",
        authors=("Jerome, Jerome K.",),
        lang="en",
        summary="Opening chapters of The Observations of Henry (1901).",
        first="THE OBSERVATIONS OF HENRY",
        last="It ain\u2019t fair for me to stand in \u2019er way.\u201d",
    ),
    "es_SPA3026_LeopoldoAlas_Pipa": dict(
        title="Pipá",
        authors=("Alas, Leopoldo [Clarín]",),
        lang="es",
        summary="Opening chapters of Pipá (1886).",
        first="Clarín",
        last="de poder o no poder era de lo que se trataba.",
    ),
    "fr_FRA00101_Adam": dict(
        title="Mon Village",
        authors=("Adam, Juliette",),
        lang="fr",
        summary="Opening chapters of Mon Village (1860).",
        first="Juliette Lamber (Madame Adam)",
        last="et ma pipe se casse, nom de nom !",
    ),
}


def _encoded_files() -> list[Path]:
    folder = SAMPLES / "encodings"
    return sorted(p for p in folder.glob("*__*.txt")) if folder.is_dir() else []


@pytest.mark.parametrize("path", _encoded_files(), ids=lambda p: p.name)
def test_encoding_sample(path: Path) -> None:
    want = ENCODED[path.name.split("__")[0]]
    s = parse_file(path)
    assert s.title == want["title"]
    assert s.authors == want["authors"]
    assert s.fandoms == ()  # "none (original public-domain novel, excerpt)"
    assert s.pairings == ()
    assert (s.rating, s.rating_original) == ("General Audiences", "G")
    assert s.summary == want["summary"]
    assert s.notes.startswith("DISCLAIMER: Public domain text via ELTeC")
    assert s.notes.endswith("header added for testing.")
    assert s.language == want["lang"]
    lossy = "latin1" in path.name
    first, last = want["first"], want["last"]
    if lossy:
        first, last = (x.encode("latin-1", "replace").decode("latin-1") for x in (first, last))
    assert s.body.startswith(first)
    assert s.body.endswith(last)
    assert "END --" not in s.body
    assert "TITLE:" not in s.body


@pytest.mark.parametrize("prefix", sorted(ENCODED))
def test_all_encodings_of_a_story_give_the_same_body_and_id(prefix: str) -> None:
    stories = [
        parse_file(p)
        for p in _encoded_files()
        if p.name.startswith(prefix) and "latin1" not in p.name
    ]
    if not stories:
        pytest.skip("encoding samples absent")
    assert len({s.body for s in stories}) == 1
    assert len({s.id for s in stories}) == 1
    assert len({s.words for s in stories}) == 1


# --- the same samples, re-made the ways the encoding samples were made --------------------

_SEPARATOR_BLOCK = re.compile(r"^\s*(?:[*~=\-#_]\s*){3,}$")


def _hardwrap(text: str) -> str:
    """Re-flow every blank-line block at 72 columns, header included (encodings/README.txt)."""
    blocks = re.split(r"\n\s*\n", text)
    out = [
        b.strip()
        if _SEPARATOR_BLOCK.match(b.strip()) or not b.strip()
        else textwrap.fill(" ".join(b.split()), 72)
        for b in blocks
    ]
    return "\n\n".join(out) + "\n"


def _mojibake(text: str) -> str:
    return text.encode("utf-8").decode("cp1252", errors="replace")


REMAKES = {
    "utf8-BOM_CRLF": lambda t: codecs.BOM_UTF8 + t.replace("\n", "\r\n").encode(),
    "cp1252_CRLF": lambda t: t.replace("\n", "\r\n").encode("cp1252", errors="replace"),
    "mojibake": lambda t: _mojibake(t).encode(),
    "mojibake_twice": lambda t: _mojibake(_mojibake(t)).encode(),
    "hardwrapped72": lambda t: _hardwrap(t).encode(),
}
_ORIGINALS = [SAMPLES / "classic" / n for n in sorted(CLASSIC)] + [
    SAMPLES.parent / "seed" / "000_2c597ed47204ad12.txt"
]


@pytest.mark.parametrize("remake", sorted(REMAKES))
@pytest.mark.parametrize("path", _ORIGINALS, ids=lambda p: p.name[:12])
def test_remade_samples_keep_their_fields(path: Path, remake: str) -> None:
    if not path.is_file():
        pytest.skip(f"{path} is absent")
    text = path.read_bytes().decode("utf-8").replace("\r\n", "\n")
    base = parse_raw(RawFile(text.encode(), path.name, path.name))
    other = parse_raw(RawFile(REMAKES[remake](text), path.name, path.name))
    for key in (
        "title",
        "authors",
        "fandoms",
        "pairings",
        "rating",
        "rating_original",
        "published",
        "language",
    ):
        assert getattr(other, key) == getattr(base, key), key
    if remake != "cp1252_CRLF":  # cp1252 has no U+2011 (the "?" counts the same anyway)
        assert other.summary == base.summary
        assert other.body == base.body
    assert other.words == base.words
