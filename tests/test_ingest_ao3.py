"""AO3 downloads (HTML of every template era, calibre EPUB) parse to the values AO3 shows."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import pytest

from searchfic.errors import ParseError
from searchfic.ingest import ao3, parse_file, parse_raw
from searchfic.ingest.base import RawFile

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
SAMPLES = SHARED / "samples" / "ao3"
DATA = Path(__file__).resolve().parent / "data" / "markup"

THREE_EVENINGS = {
    "title": "Three Evenings in Baker Street",
    "authors": ["baker_street_irregular", "Tansy (tansy_and_thyme)"],
    "fandoms": ["The Sign of Four - Arthur Conan Doyle", "Sherlock Holmes - Arthur Conan Doyle"],
    "pairings": ["John Watson/Mary Morstan", "Sherlock Holmes & John Watson"],
    "characters": ["Sherlock Holmes", "John Watson", "Mary Morstan", "Mrs. Hudson"],
    "rating": "Teen And Up Audiences",
    "rating_original": "Teen And Up Audiences",
    "warnings": ["No Archive Warnings Apply"],
    "categories": ["F/M", "Gen"],
    "tags": [
        "Canon Era",
        "Missing Scene",
        "Drug Use",
        "Pining John Watson",
        "Victorian London",
        "Found Text Remix",
    ],
    "language": "en",
    "published": "2024-02-11",
    "updated": "2024-03-30",
    "complete": True,
    "chapters": 3,
    "url": "https://archiveofourown.org/works/58231907",
    "words": 2841,
}


def sample(name: str) -> Path:
    path = SAMPLES / name
    if not path.exists():
        pytest.skip(f"shared samples not available ({path})")
    return path


def record(path: Path) -> dict:
    return parse_file(path).to_record(body=True)


def stats_words(path: Path) -> int:
    """Return the Words figure the AO3 Stats line declares."""
    text = re.sub(r"<[^>]+>", " ", path.read_text(encoding="utf-8"))
    m = re.search(r"Words:\s*([\d,]+)", text)
    assert m, path
    return int(m.group(1).replace(",", ""))


@pytest.mark.parametrize("name", ["Three_Evenings_in_Baker.html", "Three_Evenings_in_Baker.epub"])
def test_current_template_sample_gives_every_field(name: str) -> None:
    rec = record(sample(name))
    for key, want in THREE_EVENINGS.items():
        assert rec[key] == want, key
    assert rec["format"] == ("ao3-html" if name.endswith("html") else "ao3-epub")
    assert rec["summary"].startswith("Three evenings at 221B: one spent arguing about a syringe")
    assert rec["summary"].endswith(
        "(A found-text remix: every sentence of the story itself is Doyle's.)"
    )
    assert rec["body"].startswith(
        "Sherlock Holmes took his bottle from the corner of the mantelpiece"
    )
    assert rec["body"].endswith("to brighten it by mere will-o'-the-wisps of the imagination.")
    assert rec["series"] == "Baker Street Evenings [2]"


@pytest.mark.parametrize("name", ["Three_Evenings_in_Baker.html", "Three_Evenings_in_Baker.epub"])
def test_chapter_headings_notes_and_bylines_stay_out_of_the_body(name: str) -> None:
    rec = record(sample(name))
    body = rec["body"]
    for outside in (
        "Chapter 1: Stagnation",
        "Stagnation",
        "Chapter Summary",
        "Beta'd by the other half of this byline.",
        "Next evening: a card upon the brass salver.",
        "Chapter by",
        "Thank you for reading!",
        "drop by the Archive",
        "Made for a public-domain remix challenge.",
    ):
        assert outside not in body, outside
    assert "\n\n\n" not in body
    for note in (
        "Made for a public-domain remix challenge.",
        "Beta'd by the other half of this byline.",
        "Next evening: a card upon the brass salver.",
        "Thank you for reading! Chapter titles are ours",
    ):
        assert note in rec["notes"], note


def test_2019_template_sample_reads_singular_labels_and_stats_before_words() -> None:
    rec = record(sample("The Foliage and the.html"))
    assert rec["title"] == "The Foliage and the Rocks"  # not the cut <title>
    assert rec["authors"] == ["bellflower_lane"]
    assert rec["fandoms"] == ["Wuthering Heights - Emily Brontë"]
    assert rec["pairings"] == [
        "Catherine Earnshaw/Heathcliff",
        "Catherine Earnshaw/Edgar Linton",
        "Catherine Earnshaw & Ellen Dean",
    ]
    assert rec["characters"] == [
        "Catherine Earnshaw",
        "Ellen Dean",
        "Heathcliff (Wuthering Heights)",
        "Hareton Earnshaw",
        "Edgar Linton",
        "Joseph (Wuthering Heights)",
    ]
    assert rec["rating"] == "Teen And Up Audiences"
    assert rec["warnings"] == ["Choose Not To Use Archive Warnings"]
    assert rec["categories"] == ["F/M", "Gen"]
    assert rec["language"] in (None, "en")
    assert rec["summary"] == (
        "The kitchen at Wuthering Heights, one night. Catherine has a secret, Nelly has a baby "
        "on her knee, and somebody is listening behind the settle."
    )
    assert (rec["published"], rec["updated"]) == ("2020-11-08", "2021-03-02")
    assert rec["complete"] is False
    assert rec["chapters"] == 1
    assert rec["url"] == "http://archiveofourown.org/works/27613504"
    assert rec["body"].startswith("I went into the kitchen and sat down to lull my little lamb")
    assert rec["body"].endswith("nursed Hareton, while I made the supper.")
    assert "The Foliage and the Rocks" not in rec["body"]  # the toc-heading
    assert rec["words"] == 2293


@pytest.mark.parametrize(
    "path",
    [
        pytest.param(SAMPLES / "Three_Evenings_in_Baker.html", id="sample-2025"),
        pytest.param(SAMPLES / "The Foliage and the.html", id="sample-2019"),
        *(pytest.param(p, id=p.name) for p in sorted(DATA.glob("ao3_*.html"))),
    ],
)
def test_words_of_the_body_equal_ao3_words(path: Path) -> None:
    if not path.exists():
        pytest.skip(f"shared samples not available ({path})")
    assert parse_file(path).words == stats_words(path)


def test_2023_template_work_in_progress_with_unknown_total() -> None:
    rec = record(DATA / "ao3_2023_The_Hay_Trusser.html")
    assert rec["format"] == "ao3-html"
    assert rec["title"] == "The Hay-Trusser's Bargain"
    assert rec["warnings"] == ["Creator Chose Not To Use Archive Warnings"]
    assert rec["pairings"] == ["Michael Henchard/Susan Henchard", "Elizabeth-Jane & Susan Henchard"]
    # Tag names with &, | and / come whole from the links, never split on punctuation.
    assert rec["tags"] == ["Alcohol", "Fairs & Markets", "Regret | Remorse", "Dad Michael Henchard"]
    assert rec["language"] == "en"
    assert rec["complete"] is False
    assert rec["chapters"] == 2
    assert rec["updated"] == "2023-07-15"
    assert "Hilltop Bargains" not in rec["body"]  # title-only chapter headings
    assert "The Second Evening Under Canvas" not in rec["body"]
    assert "Set in the 1820s." in rec["notes"]


def test_chaptered_single_chapter_work_of_2026_is_complete_from_one_of_one() -> None:
    rec = record(DATA / "ao3_2026_single_chapter_chaptered.html")
    assert rec["authors"] == ["Verity Crimsworth (verity_c)"]
    assert rec["complete"] is True
    assert rec["updated"] is None  # neither Completed nor Updated: never revised
    assert rec["chapters"] == 1
    assert rec["body"].startswith("THE other day, in looking over my papers")
    assert "The Counting-House" not in rec["body"]


def test_anonymous_work_has_anonymous_author() -> None:
    rec = record(DATA / "ao3_2024_anonymous.html")
    assert rec["authors"] == ["Anonymous"]
    assert rec["pairings"] == []
    assert rec["characters"] == ["Silas Marner", "Eppie (Silas Marner)"]
    assert rec["complete"] is True


def test_multifandom_work_lists_every_fandom_not_the_title_word() -> None:
    rec = record(DATA / "ao3_2025_multifandom.html")
    assert rec["fandoms"] == [
        "Bleak House - Charles Dickens",
        "Hard Times - Charles Dickens",
        "Dickens - Works",
        "Victorian Literature (Anthology)",
    ]
    assert "Multifandom" not in rec["fandoms"]
    assert rec["authors"] == ["inkwell_and_quill", "Pip (pocket_pip)"]
    assert rec["warnings"] == [
        "Creator Chose Not To Use Archive Warnings",
        "No Archive Warnings Apply",
    ]
    assert rec["categories"] == ["Gen", "Multi"]
    assert rec["rating"] == "Not Rated"
    assert (rec["published"], rec["updated"], rec["complete"]) == ("2025-01-19", "2025-09-01", True)


def _reflow(text: str) -> str:
    """Remove leading spaces, comments and newlines between tags, as re-flowed files do."""
    text = re.sub(r"<!--.*?-->", "", text, flags=re.S)
    text = "\n".join(line.lstrip() for line in text.split("\n"))
    return re.sub(r">\s*\n\s*<", "><", text)


@pytest.mark.parametrize(
    "path",
    [
        pytest.param(SAMPLES / "Three_Evenings_in_Baker.html", id="sample-2025"),
        pytest.param(DATA / "ao3_2023_The_Hay_Trusser.html", id="fixture-2023"),
    ],
)
def test_reflowed_file_without_comments_parses_the_same(path: Path) -> None:
    if not path.exists():
        pytest.skip(f"shared samples not available ({path})")
    original = parse_file(path)
    data = _reflow(path.read_text(encoding="utf-8")).encode("utf-8")
    again = parse_raw(RawFile(data=data, source=original.source, path=str(path)))
    assert again.format == "ao3-html"
    for field in ("title", "authors", "fandoms", "pairings", "tags", "summary", "words"):
        assert getattr(again, field) == getattr(original, field), field
    assert again.body.split() == original.body.split()


def test_epub_without_preface_falls_back_to_opf_metadata() -> None:
    src = sample("Three_Evenings_in_Baker.epub")
    buf = io.BytesIO()
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(buf, "w") as zout:
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename.endswith("split_000.html"):
                # Drop the tags block: the types are gone, the names remain in the OPF.
                data = re.sub(rb"<dl class=\"tags\">.*?</dl>", b"", data, flags=re.S)
            zout.writestr(info, data)
    rec = parse_raw(RawFile(buf.getvalue(), "x.epub", "x.epub")).to_record(body=True)
    assert rec["format"] == "ao3-epub"
    assert rec["authors"] == ["baker_street_irregular", "Tansy (tansy_and_thyme)"]
    assert "John Watson/Mary Morstan" in rec["tags"]
    assert "Fanworks" not in rec["tags"]
    assert rec["words"] == 2841


def test_ao3_html_without_preface_is_a_parse_error() -> None:
    raw = RawFile(b"", "broken.html", "broken.html")
    with pytest.raises(ParseError, match="preface"):
        ao3.parse_html(raw, "<html><body><div id='chapters'><p>Text</p></div></body></html>")


def test_ao3_html_without_story_text_is_a_parse_error() -> None:
    raw = RawFile(b"", "empty.html", "empty.html")
    text = (
        "<html><body><div id='preface'><p class='message'><b>T</b> Archive of Our Own "
        "<a href='https://archiveofourown.org/works/1'>x</a></p><dl class='tags'></dl></div>"
        "<div id='chapters' class='userstuff'></div></body></html>"
    )
    with pytest.raises(ParseError, match="story text"):
        ao3.parse_html(raw, text)


def test_epub_split_file_that_lost_the_preface_id_stays_out_of_the_body() -> None:
    src = sample("Three_Evenings_in_Baker.epub")
    buf = io.BytesIO()
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(buf, "w") as zout:
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename.endswith("split_001.html"):
                data = data.replace(b'id="preface"', b"").replace(b'id="chapters"', b"")
            zout.writestr(info, data)
    story = parse_raw(RawFile(buf.getvalue(), "x.epub", "x.epub"))
    assert story.summary.startswith("Three evenings at 221B")
    assert "Three evenings at 221B" not in story.body
    assert story.authors == ("baker_street_irregular", "Tansy (tansy_and_thyme)")
    assert story.words == 2841


def test_work_page_saved_from_the_browser_reads_site_markup() -> None:
    rec = record(DATA / "ao3_saved_work_page.html")
    assert rec["format"] == "ao3-html"
    assert rec["title"] == "The Weaver's Daughter"
    assert rec["authors"] == ["manchester_rain"]
    assert rec["fandoms"] == ["Mary Barton - Elizabeth Gaskell"]
    assert rec["pairings"] == ["Jem Wilson/Mary Barton"]  # not the commenter's
    assert rec["characters"] == ["Mary Barton", "Jem Wilson", "John Barton"]
    assert rec["tags"] == ["Industrial Revolution", "Manchester"]
    assert rec["language"] == "en"
    assert rec["summary"] == "Green Heys Fields on a holiday afternoon."
    assert "Two more chapters to come." in rec["notes"]
    assert (rec["published"], rec["updated"], rec["complete"]) == (
        "2022-05-01",
        "2022-06-12",
        False,
    )
    assert rec["chapters"] == 2
    assert rec["url"] == "https://archiveofourown.org/works/60708090"
    assert rec["series"] == "Cotton Town [1]"
    for outside in ("Chapter Text", "Green Heys Fields", "Loved it", "Entire Work", "Kudos"):
        assert outside not in rec["body"], outside
