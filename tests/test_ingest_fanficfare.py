"""FanFicFare txt, html and epub files parse to the same story, label by label."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest

from searchfic.errors import ParseError
from searchfic.ingest import fanficfare, parse_file
from searchfic.ingest.base import RawFile

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
SAMPLES = SHARED / "samples" / "fanficfare"
DATA = Path(__file__).resolve().parent / "data" / "markup"

TITLE_664 = (
    "Test Story Title 664tests:[bare amp(&) qt(') amp(&) gt(>) lt(<) ATnT(AT&T) L(£) Onna(女)]"
)
STORIES = {
    "Test Story Title 1-tst1_1": {
        "title": "Test Story Title 1",
        "authors": ["Test Author aa"],
        "complete": False,
        "url": "http://test1.com?sid=1",
    },
    "Test Story Title 2-tst1_2": {
        "title": "Test Story Title 2",
        "authors": ["Test Author aa"],
        "complete": True,
        "url": "http://test1.com?sid=2",
    },
    "Test Story Title 664tests-tst1_664": {
        "title": TITLE_664,
        "authors": ["Test Author aa bare amp(&) quote(') amp(&)"],
        "complete": True,
        "url": "http://test1.com?sid=664",
    },
}
COMMON = {
    "fandoms": [
        "Furbie",
        "Harry Potter",
        "Magical Girl Lyrical Nanoha",
        "Once Upon a Time (TV)",
        "Puella Magi Madoka Magica/魔法少女まどか★マギカ",
    ],
    "pairings": [
        "Harry Potter & Hermione Granger",
        "Harry Potter/Ginny Weasley",
        "Harry Potter/Ginny Weasley/Albus Dumbledore",
    ],
    "characters": ["Bob Smith", "Fred Smythe", "George Johnson"],
    "rating": "Not Rated",
    "rating_original": "Tweenie",
    "warnings": ["Swearing", "Violence"],
    "categories": [],
    "tags": ["Comedy", "Fantasy", "Noir", "Sci-Fi"],
    "published": "1975-03-15",
    "updated": "1975-04-15",
    "chapters": 9,
}
FORMATS = {"txt": "fff-txt", "html": "fff-html", "epub": "fff-epub"}
CASES = [(stem, ext) for stem in STORIES for ext in FORMATS]


def sample(stem: str, ext: str) -> Path:
    path = SAMPLES / f"{stem}.{ext}"
    if not path.exists():
        pytest.skip(f"shared samples not available ({path})")
    return path


@pytest.mark.parametrize(("stem", "ext"), CASES, ids=[f"{s[-5:]}.{e}" for s, e in CASES])
def test_sample_gives_every_field(stem: str, ext: str) -> None:
    rec = parse_file(sample(stem, ext)).to_record(body=True)
    assert rec["format"] == FORMATS[ext]
    for key, want in {**COMMON, **STORIES[stem]}.items():
        assert rec[key] == want, key
    assert rec["language"] == "en"  # said by the EPUB; FanFicFare's default elsewhere
    assert rec["summary"].startswith(
        "Description tests:[bare amp(&) qt(') amp(&) gt(>) lt(<) ATnT(AT&T) L(£) Onna(女)] Done"
    )
    assert "Some more longer description." in rec["summary"]
    assert rec["summary"].endswith('"My first fic"')


@pytest.mark.parametrize(("stem", "ext"), CASES, ids=[f"{s[-5:]}.{e}" for s, e in CASES])
def test_body_is_the_chapters_with_their_titles(stem: str, ext: str) -> None:
    body = parse_file(sample(stem, ext)).body
    # samples/README.md: the body opens with the first chapter's title line.
    assert body.startswith(
        "Prologue tests:[bare amp(&) qt(') amp(&) gt(>) lt(<) ATnT(AT&T) L(£) Onna(女)]"
        "\n\nPrologue\n\nThis is a fake adapter for testing purposes."
    )
    assert body.endswith("sunt in culpa qui officia deserunt mollit anim id est laborum.")
    for outside in (
        "End file.",
        "TABLE OF CONTENTS",
        "Table of Contents",
        "Packaged:",
        "Story URL:",
        "Some more longer description",
    ):
        assert outside not in body, outside
    titles = ["Chapter 1, Xenos on Cinnabar", "Chapter 4 & 4.5", "Chapter A & B < C > D"]
    for title in titles:
        assert f"\n\n{title}\n\n" in body, title
    positions = [body.index(t) for t in titles]
    assert positions == sorted(positions)
    # All nine chapters are there: each carries its own chapter URL line.
    assert len(re.findall(r"chapter URL:http://test1\.com\?sid=\d+&chapter=\d+", body)) == 8
    # Markdown-ish markup of the txt is gone.
    assert "**bold**" not in body and "_italics_" not in body and "###" not in body


def test_three_formats_of_one_story_count_the_same_words() -> None:
    stem = "Test Story Title 1-tst1_1"
    words = {ext: parse_file(sample(stem, ext)).words for ext in FORMATS}
    assert len(set(words.values())) == 1, words
    assert words["txt"] != 123456  # the declared Words label is not the count


def test_txt_and_epub_of_one_story_share_an_id_through_the_story_url() -> None:
    stem = "Test Story Title 664tests-tst1_664"
    ids = {parse_file(sample(stem, ext)).id for ext in FORMATS}
    assert len(ids) == 1


def test_wrapped_title_and_unindented_continuations_are_joined() -> None:
    story = parse_file(sample("Test Story Title 664tests-tst1_664", "txt"))
    assert story.title == TITLE_664
    assert "Once Upon a Time (TV)" in story.fandoms  # "(TV)" sat on the next line


def test_fandom_with_a_slash_is_not_a_pairing() -> None:
    story = parse_file(sample("Test Story Title 1-tst1_1", "txt"))
    assert "Puella Magi Madoka Magica/魔法少女まどか★マギカ" in story.fandoms
    assert not any("Madoka" in p for p in story.pairings)


def test_epub_double_escaped_values_are_unescaped_once_more() -> None:
    story = parse_file(sample("Test Story Title 664tests-tst1_664", "epub"))
    assert story.authors == ("Test Author aa bare amp(&) quote(') amp(&)",)
    assert "Harry Potter & Hermione Granger" in story.pairings
    assert story.site_key is not None


def test_epub_uid_is_kept_as_the_site_story_id() -> None:
    src = sample("Test Story Title 1-tst1_1", "epub")
    with zipfile.ZipFile(src) as zf:
        draft = fanficfare.parse_epub(RawFile(b"", str(src), str(src)), zf)
    assert draft.site_story_id == "test1.com-u98765-s1"
    assert draft.url == "http://test1.com?sid=1"


def test_single_chapter_txt_of_an_ao3_story_splits_categories_out_of_genre() -> None:
    rec = parse_file(DATA / "fff_single_chapter_ao3.txt").to_record(body=True)
    assert rec["format"] == "fff-txt"
    assert rec["title"] == "Moor Weather"
    assert rec["authors"] == ["moorland_lark"]
    assert rec["fandoms"] == ["Wuthering Heights - Emily Brontë"]
    assert rec["categories"] == ["F/M", "Gen"]
    assert rec["tags"] == ["Angst", "Hurt/Comfort"]
    assert rec["pairings"] == ["Catherine Earnshaw/Heathcliff"]
    assert rec["characters"] == ["Catherine Earnshaw", "Heathcliff (Wuthering Heights)"]
    assert (rec["rating"], rec["language"], rec["complete"]) == ("Mature", "en", True)
    assert rec["warnings"] == ["No Archive Warnings Apply"]
    assert rec["url"] == "https://archiveofourown.org/works/36912345"
    assert rec["chapters"] == 1
    assert rec["body"].startswith('Moor Weather\n\n"My amiable lady!" he interrupted')
    assert "End file." not in rec["body"]
    assert "\r" not in rec["body"]


def test_classic_header_text_is_not_taken_for_fanficfare() -> None:
    path = SHARED / "samples" / "classic" / "01_caps-labels_star-separator_wrapped72.txt"
    if not path.exists():
        pytest.skip(f"shared samples not available ({path})")
    assert not fanficfare.looks_like_fff_txt(path.read_text(encoding="utf-8"))


def test_markdown_of_the_txt_becomes_plain_paragraphs() -> None:
    text = "\r\n".join(
        [
            "",
            "",
            "",
            "A Title",
            "",
            "by Someone",
            "",
            "",
            "",
            "Status: Completed",
            "Packaged: 2026-01-01 10:00:00",
            "Story URL: https://example.invalid/s/1",
            "",
            "",
            "        A Title",
            "",
            "",
            "### A heading",
            "",
            "She said _no_ , and **meant** it. A [link](https://example.invalid) too.",
            "",
            "* * *",
            "",
            "Line one  ",
            "line two.",
            "",
            "",
            "End file.",
            "",
        ]
    )
    assert fanficfare.looks_like_fff_txt(text)
    draft = fanficfare.parse_txt(RawFile(b"", "t.txt", "t.txt"), text)
    assert draft.body == (
        "A Title\n\nA heading\n\nShe said no, and meant it. A link too.\n\nLine one\nline two."
    )
    assert draft.complete is True


def test_fanficfare_html_without_sections_is_a_parse_error() -> None:
    text = '<html><body><table class="full"><tr><td><b>Status:</b></td><td>Completed</td></tr></table></body></html>'
    with pytest.raises(ParseError, match="sections"):
        fanficfare.parse_html(RawFile(b"", "x.html", "x.html"), text)


def test_list_values_keep_a_trailing_dot() -> None:
    text = (
        "\n\n\nT\n\nby A\n\n\n\nCategory: Middlemarch\nCharacters: Dorothea B., Will L.\n"
        "Relationships: Dorothea B./Will L.\nPackaged: 2026-01-01 10:00:00\n"
        "Story URL: https://www.fanfiction.net/s/1/1/\n\n\n        T\n\n\nText.\n\n\nEnd file.\n"
    )
    draft = fanficfare.parse_txt(RawFile(b"", "t.txt", "t.txt"), text)
    assert draft.characters == ["Dorothea B.", "Will L."]
    assert draft.fandoms == ["Middlemarch"]
