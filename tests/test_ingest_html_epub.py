"""Generic HTML pages and EPUBs: metadata from the page or OPF, body without the chrome."""

from __future__ import annotations

import io
import zipfile
from html import escape as html_escape
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from searchfic.errors import ParseError
from searchfic.ingest import epub, html, parse_file, parse_raw
from searchfic.ingest.base import RawFile

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
DATA = Path(__file__).resolve().parent / "data" / "markup"


def record(name: str) -> dict:
    return parse_file(DATA / name).to_record(body=True)


def test_saved_blog_page_keeps_the_story_and_drops_nav_comments_and_footer() -> None:
    rec = record("page_blog_with_chrome.html")
    assert rec["format"] == "html"
    assert rec["title"] == "The Laurels, Brickfield Terrace"
    assert rec["authors"] == ["Carrie Lupin"]
    assert rec["fandoms"] == ["The Diary of a Nobody"]
    assert rec["pairings"] == ["Charles Pooter/Carrie Pooter"]  # not the commenter's wish
    assert (rec["rating"], rec["rating_original"]) == ("General Audiences", "G")
    assert rec["summary"] == "Moving in, the scraper, and a disagreeable butcher."
    assert "The Pooters belong to the Grossmiths." in rec["notes"]
    assert rec["published"] == "2019-04-07"
    assert rec["url"] == "https://pooterfans.example.invalid/2019/04/the-laurels/"
    body = rec["body"]
    assert body.startswith("April 3.—Tradesmen called for custom, and I promised Farmerson")
    assert body.endswith("radishes, and went to bed at nine.")
    for chrome in (
        "All Fics",
        "Posted on",
        "Lupin/Daisy",
        "I laughed so much",
        "Recent Posts",
        "Holloway",
        "Website design",
        "Tags:",
        "~ fin ~",
        "Fandom:",
        "dataLayer",
    ):
        assert chrome not in body, chrome


def test_efiction_printable_page_reads_span_labels_and_chapters() -> None:
    rec = record("efiction_printable.html")
    assert rec["title"] == "A Garden Party at Oxford"
    assert rec["authors"] == ["Dora Marsh"]
    assert rec["fandoms"] == ["Belinda - Rhoda Broughton"]
    assert rec["characters"] == ["Belinda Churchill", "Professor Forth"]
    assert (rec["rating"], rec["rating_original"]) == ("Teen And Up Audiences", "PG-13")
    assert rec["tags"] == ["Drama", "Romance"]
    assert rec["warnings"] == []  # "None"
    assert rec["series"] is None
    assert rec["summary"] == (
        "Belinda is bored, the Professor is late, and the strawberries are over."
    )
    assert (rec["published"], rec["updated"]) == ("2008-03-14", "2008-04-02")
    assert (rec["complete"], rec["chapters"]) == (True, 2)
    assert "Written for the spring fest." in rec["notes"]
    assert "The last one, I promise." in rec["notes"]
    assert "publicly recognizable characters" in rec["notes"]
    body = rec["body"]
    assert body.startswith("Here come the King and Queen again;")
    assert body.endswith('must have fallen short, and never reached you."')
    for chrome in ("Strawberries by Dora Marsh", "Back to top", "archived at", "Rated:"):
        assert chrome not in body, chrome
    # <br /><br /> separated paragraphs become blank-line separated ones.
    assert body.count("\n\n") >= 10


def test_dreamwidth_entry_reads_the_entry_not_the_comments() -> None:
    rec = record("dreamwidth_entry.html")
    assert rec["title"] == "Ships that Pass"
    assert rec["authors"] == ["bernardine_fic"]
    assert rec["fandoms"] == ["Ships that Pass in the Night"]
    assert rec["pairings"] == ["Bernardine Holme/Robert Allitsen"]
    assert rec["rating_original"] == "PG"
    assert rec["published"] == "2011-03-03"
    assert rec["url"] == "https://bernardine-fic.dreamwidth.example.invalid/4242.html"
    body = rec["body"]
    assert body.startswith("A silence followed these words; the English community")
    for chrome in ("oh my heart", "Previous Entry", "Powered by", "Recent Entries", "Title:"):
        assert chrome not in body, chrome


def test_epub2_takes_opf_metadata_and_skips_cover_title_and_contents_pages() -> None:
    rec = record("generic_epub2.epub")
    assert rec["format"] == "epub"
    assert rec["title"] == "Lettres de mon village"
    assert rec["authors"] == ["Odile Brume"]  # the editor is not an author
    assert rec["summary"] == "Un village, des voisins, et une pipe qui se casse."
    assert rec["tags"] == ["Fiction", "Vie rurale", "Pastiche"]
    assert rec["language"] == "fr"
    assert rec["published"] == "2019-05-04"
    assert rec["url"] == "https://village.example.invalid/lettres"
    body = rec["body"]
    assert body.startswith("— Hé ! Mandine, criait-elle, dépêche-toi de balayer la maison")
    assert body.endswith("Tiens ! voilà Jean-Claude. Bonsoir, Jean-Claude !")
    for outside in ("Sommaire", "Couverture", "I. Le village", "II. Les voisins", "Odile Brume"):
        assert outside not in body, outside


def test_epub3_skips_the_navigation_document() -> None:
    rec = record("generic_epub3.epub")
    assert rec["title"] == "The Medical Man's Evening"
    assert rec["authors"] == ["Hester Filby", "Weena Ashdown"]
    assert rec["tags"] == ["Time Travel", "Dinner Party"]
    assert rec["published"] == "2021-10-31"
    assert rec["updated"] is None  # dcterms:modified dates the file, not the story
    body = rec["body"]
    assert body.startswith('"There I object," said Filby.')
    assert body.endswith('you cannot get away from the present moment."')
    assert "Contents" not in body
    assert not body.startswith("One")


def _epub(members: dict[str, str]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("mimetype", "application/epub+zip")
        for name, data in members.items():
            zf.writestr(name, data)
    return buf.getvalue()


def test_epub_without_package_document_is_a_parse_error() -> None:
    data = _epub({"OEBPS/chapter.xhtml": "<html><body><p>Text.</p></body></html>"})
    with pytest.raises(ParseError, match="OPF"):
        parse_raw(RawFile(data, "broken.epub", "broken.epub"))


def test_epub_whose_spine_has_no_text_is_a_parse_error() -> None:
    opf = (
        '<package xmlns="http://www.idpf.org/2007/opf" version="2.0"><metadata '
        'xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>T</dc:title></metadata>'
        '<manifest><item id="a" href="a.xhtml" media-type="application/xhtml+xml"/></manifest>'
        '<spine><itemref idref="a"/></spine></package>'
    )
    data = _epub({"content.opf": opf, "a.xhtml": "<html><body><p> </p></body></html>"})
    with pytest.raises(ParseError, match="no readable text"):
        parse_raw(RawFile(data, "empty.epub", "empty.epub"))


@pytest.mark.parametrize(
    ("relative", "kind"),
    [
        ("samples/ao3/Three_Evenings_in_Baker.epub", "ao3-epub"),
        ("samples/fanficfare/Test Story Title 1-tst1_1.epub", "fff-epub"),
    ],
)
def test_epub_kind_reads_the_opf(relative: str, kind: str) -> None:
    path = SHARED / relative
    if not path.exists():
        pytest.skip(f"shared samples not available ({path})")
    with zipfile.ZipFile(path) as zf:
        assert epub.epub_kind(zf) == kind


def test_epub_kind_of_other_books_is_epub() -> None:
    for name in ("generic_epub2.epub", "generic_epub3.epub"):
        with zipfile.ZipFile(DATA / name) as zf:
            assert epub.epub_kind(zf) == "epub"


@pytest.mark.parametrize(
    ("relative", "kind"),
    [
        ("samples/ao3/Three_Evenings_in_Baker.html", "ao3-html"),
        ("samples/ao3/The Foliage and the.html", "ao3-html"),
        ("samples/fanficfare/Test Story Title 2-tst1_2.html", "fff-html"),
    ],
)
def test_html_kind_tells_ao3_and_fanficfare_apart(relative: str, kind: str) -> None:
    path = SHARED / relative
    if not path.exists():
        pytest.skip(f"shared samples not available ({path})")
    assert html.html_kind(path.read_text(encoding="utf-8")) == kind


def test_html_kind_of_other_pages_is_html() -> None:
    for name in ("page_blog_with_chrome.html", "efiction_printable.html", "dreamwidth_entry.html"):
        assert html.html_kind((DATA / name).read_text(encoding="utf-8")) == "html"


def test_paragraphs_follow_blocks_and_double_line_breaks() -> None:
    soup = html.make_soup(
        "<div><p>One\n  two&nbsp;three</p><!-- a comment --><script>x = 1</script>"
        "Loose text<br/>next line<br/><br/>new paragraph<blockquote><p>Quoted</p></blockquote>"
        "<pre>keep\n  lines</pre></div>"
    )
    assert html.paragraphs(soup) == [
        "One two three",
        "Loose text\nnext line",
        "new paragraph",
        "Quoted",
        "keep\nlines",
    ]


def test_unescape_again_only_touches_complete_entities() -> None:
    assert html.unescape_again("Harry Potter &amp;amp; Hermione") == "Harry Potter &amp; Hermione"
    assert html.unescape_again("A &amp; B") == "A & B"
    assert html.unescape_again("AT&T &copy") == "AT&T &copy"


def test_page_without_text_is_a_parse_error() -> None:
    raw = RawFile(b"", "blank.html", "blank.html")
    with pytest.raises(ParseError):
        html.parse_html(raw, "<html><head><title>Nothing</title></head><body> </body></html>")


def test_fanfiction_net_chapter_page_reads_the_profile_line() -> None:
    rec = record("ffn_saved_chapter_page.html")
    assert rec["title"] == "Harbour Lights"
    assert rec["authors"] == ["tide and lantern"]
    assert rec["fandoms"] == ["Joshua Davidson"]
    assert (rec["rating"], rec["rating_original"]) == ("Teen And Up Audiences", "K+")
    assert rec["language"] == "en"
    assert rec["tags"] == ["Drama", "Hurt/Comfort"]
    assert len(rec["pairings"]) == 1 and rec["pairings"][0].startswith("Joshua D./Ruth S")
    assert rec["characters"] == ["Joshua D.", "Ruth S.", "Thomas B."]
    assert rec["summary"].startswith("A carpenter, a harbour")
    assert (rec["published"], rec["updated"]) == ("2010-11-18", "2011-03-14")
    assert (rec["complete"], rec["chapters"]) == (True, 3)
    # One saved page is one chapter: the chapter number keeps pages of a story apart.
    assert rec["url"] == "https://www.fanfiction.net/s/9911223/2"
    body = rec["body"]
    assert body.startswith("“If we say, sir, that Jesus Christ was God,” said Joshua")
    for chrome in ("Follow/Fav", "Review this chapter", "Terms of Service", "The Pier", "Prev"):
        assert chrome not in body, chrome


def _book(title_page: str, chapter: str) -> bytes:
    opf = (
        '<package xmlns="http://www.idpf.org/2007/opf" version="2.0"><metadata '
        'xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>Home-made</dc:title>'
        "<dc:creator>Ada Lark</dc:creator><dc:language>en</dc:language></metadata><manifest>"
        '<item id="t" href="titlepage.xhtml" media-type="application/xhtml+xml"/>'
        '<item id="c" href="chapter01.xhtml" media-type="application/xhtml+xml"/></manifest>'
        '<spine><itemref idref="t"/><itemref idref="c"/></spine></package>'
    )
    return _epub({"content.opf": opf, "titlepage.xhtml": title_page, "chapter01.xhtml": chapter})


PROSE = (
    "<p>It was a Sunday evening in October, and in common with many other young ladies of "
    "her class, Katharine Hilbery was pouring out tea.</p><p>Perhaps a fifth part of her mind "
    "was thus occupied.</p>"
)


def test_home_made_epub_title_page_header_block_is_read() -> None:
    page = (
        "<html><body><h1>Home-made</h1><p>Ada Lark</p><p>Fandom : Night and Day</p>"
        "<p>Pairing: Katharine Hilbery/Ralph Denham</p><p>Rating: PG-13</p></body></html>"
    )
    data = _book(page, f"<html><body><h2>One</h2>{PROSE}</body></html>")
    story = parse_raw(RawFile(data, "book.epub", "book.epub"))
    assert story.fandoms == ("Night and Day",)
    assert story.pairings == ("Katharine Hilbery/Ralph Denham",)
    assert (story.rating, story.rating_original) == ("Teen And Up Audiences", "PG-13")
    assert story.body.startswith("It was a Sunday evening in October")


def test_header_block_atop_the_first_chapter_leaves_the_body() -> None:
    chapter = (
        "<html><body><p>Fandom: Night and Day<br/>Characters: Katharine Hilbery, Mrs. Hilbery"
        f"<br/>Rating: G</p>{PROSE}</body></html>"
    )
    data = _book("<html><body><h1>Home-made</h1></body></html>", chapter)
    story = parse_raw(RawFile(data, "book.epub", "book.epub"))
    assert story.fandoms == ("Night and Day",)
    assert story.characters == ("Katharine Hilbery", "Mrs. Hilbery")
    assert story.rating_original == "G"
    assert story.body.startswith("It was a Sunday evening in October")
    assert "Fandom" not in story.body


WORD = st.text(alphabet="abcdefghijklmnopqrstuvwxyzéüß'’—.,!?-", min_size=1, max_size=8)
WRAPPERS = ["p", "div", "span", "em", "b", "blockquote", "li", "h3", "td"]


@st.composite
def markup(draw: st.DrawFn) -> tuple[str, list[str]]:
    """Random nested markup around a word list, with whitespace between every two words."""
    words = draw(st.lists(WORD, min_size=1, max_size=40))
    out: list[str] = []
    open_tags: list[str] = []
    for word in words:
        action = draw(st.integers(0, 5))
        if action == 0 and len(open_tags) < 6:
            tag = draw(st.sampled_from(WRAPPERS))
            out.append(f"<{tag}>")
            open_tags.append(tag)
        elif action == 1 and open_tags:
            out.append(f"</{open_tags.pop()}>")
        elif action == 2:
            out.append("<br/>")
        elif action == 3:
            out.append("<!-- note --><script>var x = '<p>no</p>';</script>")
        out.append(f" {html_escape(word)} ")
    out.extend(f"</{t}>" for t in reversed(open_tags))
    return "".join(out), words


@given(markup())
@settings(max_examples=150, deadline=None)
def test_paragraphs_keep_every_word_in_order(case: tuple[str, list[str]]) -> None:
    text, words = case
    paras = html.paragraphs(html.make_soup(f"<html><body>{text}</body></html>"))
    assert " ".join(paras).split() == words
    assert all(p == p.strip() and "\n\n" not in p for p in paras)
