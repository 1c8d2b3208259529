"""Plain-text stories: header syntax, preambles, trailers, saved-page chrome, paragraphs."""

from __future__ import annotations

from pathlib import Path

import pytest

from searchfic.errors import ParseError
from searchfic.ingest import parse_file, parse_raw
from searchfic.ingest.base import RawFile
from searchfic.model import Story

DATA = Path(__file__).parent / "data" / "ingest"


def parse_text(text: str, name: str = "story.txt") -> Story:
    return parse_raw(RawFile(data=text.encode("utf-8"), source=name, path=name))


PROSE = (
    "The lamp on the headland had burned every night for ninety years, and the keeper's "
    "daughter meant to see that it burned tonight as well, whatever the weather thought of it."
)


def test_mixed_separators_and_decorations() -> None:
    s = parse_file(DATA / "mixed_separators.txt")
    assert s.format == "text"
    assert s.title == "The Lantern Keeper's Daughter"  # the repeated Title: does not win
    assert s.authors == ("Wren Hollis",)
    assert s.fandoms == ("Lighthouse Tales",)
    assert s.pairings == ("Mara Quill/Tobias Fenn", "Mara Quill & Old Sal")
    assert s.characters == ("Mara Quill", "Tobias Fenn", "Old Sal")
    assert (s.rating, s.rating_original) == ("Teen And Up Audiences", "PG-13")
    assert s.tags == ("Romance", "Angst")
    assert s.categories == ("F/M",)
    assert s.summary == (
        "The lamp goes out on the longest night of the year, and Mara has to "
        "climb the tower in the dark."
    )
    assert "A Different Title That Must Not Win" in s.notes
    assert "écrit pour le défi d'hiver" in s.notes
    assert "(friendship)" in s.notes
    assert s.published == "2009-01-12"
    assert s.complete is True
    assert s.body.startswith(
        "The wind had been rising since noon, and by the time the supper dishes were dried"
    )
    assert s.body.endswith('"Tobias?" she shouted, and the wind took the word and threw it back.')
    assert "fin" not in s.body.split()[-3:]
    assert "Wren Hollis" not in s.body  # the -- signature is not story text
    assert "oOoO" not in s.body


def test_reflowed_header_is_split_on_label_tokens() -> None:
    s = parse_file(DATA / "reflowed_header.txt")
    assert s.title == "Salt on the Sill"
    assert s.authors == ("Wren Hollis",)
    assert s.fandoms == ("Lighthouse Tales",)
    assert s.pairings == ("Mara Quill/Tobias Fenn",)
    assert s.rating_original == "G"
    assert s.summary == "A quiet morning after the storm, and a window that will not close."
    assert s.notes == "DISCLAIMER: Invented for the tests of a search engine."
    assert s.body.endswith('"Leave it," he said at last. "We\'ll have the air."')
    assert "END" not in s.body


def test_mail_post_with_part_line_and_feedback_trailer() -> None:
    s = parse_file(DATA / "mail_post_crlf.txt")
    assert s.title == "Three Bells"  # not the Subject
    assert s.authors == ("Wren Hollis",)
    assert s.published == "2004-03-02"  # from the mail Date:
    assert (s.rating, s.rating_original) == ("Explicit", "NC-17")
    assert "Archive: Yes to the list archive" in s.notes
    assert "Feedback: Always welcome" in s.notes
    assert "Disclaimer: Nobody owns these people but me." in s.notes
    assert s.body.startswith(
        "The first bell rang at six, as it always did, and the keeper's "
        "daughter was already awake to hear it."
    )
    assert s.body.endswith("The third bell did not ring at all.")
    assert "\r" not in s.body
    assert "Part 3/10" not in s.body


def test_saved_page_chrome_and_other_stories_stay_out() -> None:
    s = parse_file(DATA / "saved_page_generic.txt")
    assert s.title == "The Weathervane"
    assert s.authors == ("Wren Hollis",)
    assert s.fandoms == ("Lighthouse Tales",)  # the teaser's FANDOM does not leak in
    assert s.pairings == ()
    assert s.body.startswith("The weathervane on the boathouse roof")
    assert s.body.endswith("most of them were different.")
    for chrome in ("Skip to content", "Share this", "Related Posts", "Another Story", "Powered"):
        assert chrome not in s.body


def test_story_without_header_is_all_body() -> None:
    s = parse_file(DATA / "no_header.txt")
    assert s.title == ""
    assert s.body.startswith("The ferry was late again")
    assert s.body.endswith("the ferry was one of them.")
    assert s.words == 72
    assert s.language == "en"


def test_title_with_byline_and_category_naming_fandoms() -> None:
    s = parse_file(DATA / "title_by_line_category_fandom.txt")
    assert s.title == "Driftwood"
    assert s.authors == ("Wren Hollis", "Ash Penrose")
    assert s.fandoms == ("Lighthouse Tales", "Harbour Stories")
    assert s.pairings == ("Tobias/Mara",)
    assert s.warnings == ()  # "none" is no warning
    assert s.chapters == 2
    assert s.body.startswith("Chapter 1\n\nThey found the boat")
    assert s.body.endswith("that it had ever been anything else.")


def test_indented_paragraphs_without_blank_lines() -> None:
    s = parse_file(DATA / "indented_paragraphs.txt")
    paragraphs = s.body.split("\n\n")
    assert len(paragraphs) == 3
    assert paragraphs[0].startswith(
        "The tide tables for that year were printed wrong, and it was a week before anybody noticed"
    )
    assert paragraphs[2] == "The printer was never forgiven."


def test_russian_labels_in_cp1251() -> None:
    s = parse_file(DATA / "russian_cp1251.txt")
    assert s.encoding == "cp1251"
    assert s.title == "Маяк"
    assert s.authors == ("Ива Холлис",)
    assert s.fandoms == ("Сказки маяка",)
    assert s.pairings == ("Мара/Тобиас",)
    assert s.rating_original == "PG-13"
    assert s.tags == ("романтика", "драма")
    assert s.summary == "Лампа гаснет в самую длинную ночь года."
    assert s.complete is True
    assert s.language == "ru"
    assert "Дисклеймер: всё придумано для тестов." in s.notes
    assert s.body.endswith("Потом ничего.")


@pytest.mark.parametrize(
    "line",
    [
        "Title: The Keeper",
        "TITLE: The Keeper",
        "**Title:** The Keeper",
        "[Title] The Keeper",
        "Title - The Keeper",
        "Title = The Keeper",
        "Title\u00a0: The Keeper",
        "Story Title: The Keeper",
        "Ttile: The Keeper",
        "__Title:__ The Keeper",
        "Title:The Keeper",
        "Title \u2013 The Keeper",
    ],
)
def test_title_label_syntaxes(line: str) -> None:
    s = parse_text(f"{line}\nAuthor: Ash Penrose\n\n{PROSE}\n")
    assert s.title == "The Keeper"
    assert s.authors == ("Ash Penrose",)
    assert s.body == PROSE


def test_written_by_without_colon() -> None:
    s = parse_text(f"Story Title: The Keeper\nWritten by Ash Penrose\nRated PG\n\n{PROSE}\n")
    assert s.authors == ("Ash Penrose",)
    assert s.rating_original == "PG"


def test_blank_lines_inside_header_and_wrapped_values() -> None:
    text = (
        "Title: The Keeper\n\nAuthor: Ash Penrose\n\n\nSummary: A lamp, a storm,\n"
        "and a daughter who will\n    not be told.\n\nRating: K+\n\n" + PROSE + "\n"
    )
    s = parse_text(text)
    assert s.summary == "A lamp, a storm, and a daughter who will not be told."
    assert s.rating == "Teen And Up Audiences"
    assert s.body == PROSE


def test_header_ends_at_first_prose_paragraph_without_separator() -> None:
    s = parse_text(f"Title: The Keeper\nRating: G\n{PROSE}\n\nShe went up the stairs.\n")
    # The prose line right after a label line is a continuation only when it is short.
    assert s.title == "The Keeper"
    s = parse_text(f"Title: The Keeper\nRating: G\n\n{PROSE}\n\nShe went up the stairs.\n")
    assert s.body == f"{PROSE}\n\nShe went up the stairs."


def test_second_summary_paragraph_before_more_labels_is_not_body() -> None:
    text = (
        f"Title: The Keeper\nSummary: One night.\n\n{PROSE}\n\nDisclaimer: Mine.\n\n"
        "*****\n\nShe went up the stairs, and the lamp was dark, and the sea was loud.\n"
    )
    s = parse_text(text)
    assert s.summary == f"One night.\n\n{PROSE}"
    assert s.notes == "Disclaimer: Mine."
    assert s.body == "She went up the stairs, and the lamp was dark, and the sea was loud."


@pytest.mark.parametrize(
    "sep",
    [
        "*****",
        "-----",
        "~~~~~",
        "=====",
        "- - -",
        "***",
        "oOoOo",
        "* * *",
        "_____",
        "#####",
        "+++++",
    ],
)
def test_separator_ends_header(sep: str) -> None:
    s = parse_text(f"Title: The Keeper\nRating: G\n{sep}\nShort line.\n\nAnother.\n")
    assert s.title == "The Keeper"
    assert s.body == "Short line.\n\nAnother."


@pytest.mark.parametrize(
    "closing", ["THE END", "The End.", "(end)", "Fin", "~fin~", "-- END --", "End file.", "[END]"]
)
def test_closing_markers_are_not_body(closing: str) -> None:
    s = parse_text(f"Title: The Keeper\n*****\n{PROSE}\n\n*****\n{closing}\n")
    assert s.body == PROSE


def test_scene_break_inside_story_is_kept_as_text_boundary() -> None:
    s = parse_text(f"Title: The Keeper\n*****\n{PROSE}\n\n* * *\n\nShe slept.\n")
    assert s.body.endswith("She slept.")
    assert s.body.startswith(PROSE)


def test_copyright_line_names_the_author_when_no_label_does() -> None:
    s = parse_text(
        f"The Keeper\n\nDisclaimer: Copyright 2011 by Ash Penrose. Ask first.\n\n{PROSE}\n"
    )
    assert s.title == "The Keeper"
    assert s.authors == ("Ash Penrose",)
    s = parse_text(
        f"The Keeper\n\nRating: G\n\n{PROSE}\n\n\u00a9 2016 Ash Penrose\n\nbottom of page"
    )
    assert s.authors == ("Ash Penrose",)
    assert s.body == PROSE


def test_do_not_archive_and_author_note_go_to_notes() -> None:
    s = parse_text(f"Title: The Keeper\nDO NOT ARCHIVE\nA/N: for my sister.\n\n{PROSE}\n")
    assert "DO NOT ARCHIVE" in s.notes
    assert "A/N: for my sister." in s.notes
    assert s.body == PROSE


def test_hard_wrapped_paragraphs_are_joined_but_verse_is_kept() -> None:
    wrapped = (
        "The lamp on the headland had burned every night for ninety years, and\n"
        "the keeper's daughter meant to see that it burned tonight as well,\n"
        "whatever the weather thought of it, and whatever her father said.\n\n"
        "She climbed the stairs in the dark, counting them as she went, one by\n"
        "one, the way she had counted them since she was small enough to be\n"
        "carried.\n\n"
        "Light, light,\nkeep the night.\n"
    )
    s = parse_text("Title: The Keeper\n*****\n" + wrapped)
    paragraphs = s.body.split("\n\n")
    assert paragraphs[0].endswith("and whatever her father said.")
    assert "\n" not in paragraphs[0]
    assert paragraphs[1].endswith("small enough to be carried.")
    assert paragraphs[2] == "Light, light,\nkeep the night."


def test_paragraphs_are_separated_by_exactly_one_blank_line() -> None:
    s = parse_text(f"Title: T\n*****\n\n\n{PROSE}   \n\n\n\n   \n{PROSE}\n\n\n")
    assert s.body == f"{PROSE}\n\n{PROSE}"
    assert s.words == 2 * len(PROSE.split())


def test_html_entities_left_in_text_are_decoded() -> None:
    s = parse_text("Title: Salt &amp; Pepper\n*****\nShe said &quot;no&quot; &#8212; twice.\n")
    assert s.title == "Salt & Pepper"
    assert s.body == 'She said "no" \u2014 twice.'


def test_status_and_counts() -> None:
    s = parse_text(f"Title: T\nStatus: WIP\nChapters: 3\n*****\n{PROSE}\n")
    assert s.complete is False
    assert s.chapters == 3


def test_declared_language_wins_over_detection() -> None:
    s = parse_text(f"Title: T\nLanguage: Deutsch\n*****\n{PROSE}\n")
    assert s.language == "de"


def test_too_little_text_has_no_language() -> None:
    assert parse_text("Title: T\n*****\nHello there.\n").language is None


def test_empty_or_header_only_files() -> None:
    with pytest.raises(ParseError, match="empty"):
        parse_raw(RawFile(data=b"  \n\n", source="e.txt", path="e.txt"))
    s = parse_text("Title: Only a title\n")
    assert s.title == "Only a title"
    assert s.body == ""
    with pytest.raises(ParseError, match="no story"):
        parse_text("*****\n-----\n")


def test_same_story_in_two_encodings_gets_one_id() -> None:
    text = f"Title: Été\n*****\n{PROSE} Café déjà vu.\n"
    a = parse_raw(RawFile(text.encode("utf-8"), "a.txt", "a.txt"))
    b = parse_raw(RawFile(text.replace("\n", "\r\n").encode("cp1252"), "b.txt", "b.txt"))
    assert a.id == b.id
    assert a.content_hash != b.content_hash


def test_url_gives_a_stable_id_across_edits() -> None:
    a = parse_text(f"Title: T\nURL: https://www.example.invalid/story/1/\n*****\n{PROSE}\n")
    b = parse_text(f"Title: T\nURL: http://example.invalid/story/1\n*****\n{PROSE} More.\n")
    assert a.url == "https://www.example.invalid/story/1/"
    assert a.id == b.id


def _big_story(path: Path, size: int, wrapped: bool) -> int:
    """Write a story of about ``size`` bytes; return the number of words in its body."""
    if wrapped:
        unit = (
            "The lamp on the headland had burned every night for ninety years, and\n"
            "the keeper's daughter meant to see that it burned tonight as well,\n"
            "whatever the weather thought of it.\n\n"
        )
    else:
        unit = PROSE + "\n\n"
    count = size // len(unit)
    with path.open("w", encoding="utf-8") as fh:
        fh.write("Title: The Long Night\nAuthor: Ash Penrose\n*****\n\n")
        for _ in range(count):
            fh.write(unit)
        fh.write("*****\nTHE END\n")
    return count * len(unit.split())


@pytest.mark.parametrize("wrapped", [False, True])
def test_three_megabyte_story_parses_whole(tmp_path: Path, wrapped: bool) -> None:
    path = tmp_path / "long.txt"
    words = _big_story(path, 3_000_000, wrapped)
    s = parse_file(path)
    assert s.title == "The Long Night"
    assert s.words == words
    assert s.body.endswith("whatever the weather thought of it.")


@pytest.mark.slow
def test_thirty_megabyte_story_parses_without_blowup(tmp_path: Path) -> None:
    # Quadratic work (re-scanning a growing string, nested trailer walks) would not finish.
    path = tmp_path / "huge.txt"
    words = _big_story(path, 30_000_000, wrapped=True)
    s = parse_file(path)
    assert s.words == words
    assert s.body.count("\n\n") == s.body.count("whatever the weather") - 1


@pytest.mark.slow
def test_thirty_megabyte_single_line_and_repeated_trailer_lines(tmp_path: Path) -> None:
    path = tmp_path / "line.txt"
    path.write_text("Summary: " + "word and COMMENT another: x " * 1_000_000, encoding="utf-8")
    assert parse_file(path).words == 5_000_001
    path.write_text("Title: T\n*****\n" + "please leave a comment\n" * 1_000_000, encoding="utf-8")
    assert parse_file(path).words == 4_000_000


def test_mail_headers_followed_directly_by_story_labels() -> None:
    s = parse_text(
        "From: wren@example.invalid\nSubject: [FIC] Three Bells (Mara/Tobias) 3/10\n"
        "Date: Tue, 02 Mar 2004 09:15:00 -0500\nAuthor: Wren Hollis <wren@example.invalid>\n"
        f"Rating: PG\n\n{PROSE}\n"
    )
    assert s.title == "Three Bells"  # no Title label: the Subject, without its tags and parts
    assert s.authors == ("Wren Hollis",)  # the address is not part of the name
    assert s.published == "2004-03-02"
    assert s.body == PROSE


def test_reflowed_title_case_header() -> None:
    s = parse_text(
        "Story Title: Relics at the Lamp Written by Marginalia Fandom: Lighthouse\n"
        "Tales Ship: Mara/Tobias Rated: PG-13 Genre: Romance, Drama Disclaimer:\n"
        "Mine, all mine. Summary: Tea at the lighthouse, and nobody is impressed.\n\n"
        f"~~~~~~~~~~\n\n{PROSE}\n"
    )
    assert s.title == "Relics at the Lamp"
    assert s.authors == ("Marginalia",)
    assert s.fandoms == ("Lighthouse Tales",)
    assert s.pairings == ("Mara/Tobias",)
    assert s.rating_original == "PG-13"
    assert s.tags == ("Romance", "Drama")
    assert s.notes == "Disclaimer: Mine, all mine."
    assert s.summary == "Tea at the lighthouse, and nobody is impressed."


def test_site_name_and_navigation_before_the_title() -> None:
    s = parse_text(
        "top of page\n\nWren's Lighthouse Fiction\n\nHome\n\nStories\n\nLinks\n\n"
        "The Weathervane\n\nFANDOM: Lighthouse Tales\n\nRATING: PG-13 Rusty.\n\n"
        f"{PROSE}\n"
    )
    assert s.title == "The Weathervane"
    assert s.fandoms == ("Lighthouse Tales",)
    assert s.body == PROSE


def test_teasers_without_recent_posts_heading_are_not_body_or_metadata() -> None:
    s = parse_text(
        f"The Keeper\n\nFANDOM: Lighthouse Tales\n\n{PROSE}\n\n\n"
        "TITLE: Other Story FANDOM: Elsewhere PAIRING: A/B DATE: 2011-12 Its opening...\n"
        "\n\nTITLE: THIRD ONE AUTHOR: Somebody DISCLAIMER: Any likeness...\n"
    )
    assert s.title == "The Keeper"
    assert s.fandoms == ("Lighthouse Tales",)
    assert s.pairings == ()
    assert s.body == PROSE


@pytest.mark.parametrize(
    "closing", ["To be continued in part two.", "Ende", "Fortsetzung folgt", "À suivre...", "Конец"]
)
def test_closing_footers_in_several_languages(closing: str) -> None:
    s = parse_text(f"Title: The Keeper\n*****\n{PROSE}\n\n==========\n\n{closing}\n")
    assert s.body == PROSE


def test_closing_author_note_goes_to_notes_without_a_separator() -> None:
    s = parse_text(
        f"Title: T\n*****\n{PROSE}\n\nAn old man came.\n\n"
        "A/N: Thanks for reading! Reviews are love.\n"
    )
    assert s.body == f"{PROSE}\n\nAn old man came."
    assert s.notes == "A/N: Thanks for reading! Reviews are love."


def test_feedback_like_last_line_of_the_story_stays_in_the_body() -> None:
    # Without a separator or end marker above it, such a line is the story's own.
    s = parse_text(f"Title: T\n*****\n{PROSE}\n\nShe left a comment on the door.\n")
    assert s.body.endswith("She left a comment on the door.")


@pytest.mark.parametrize(
    ("line", "complete"),
    [
        ("Status: Complete", True),
        ("Status: WIP", False),
        ("Status: In progress", False),
        ("WIP: yes", False),
        ("WIP: no", True),
        ("Completed: yes", True),
        ("Completed: no", False),
        ("Status: one-shot", True),
        ("Status: who knows", None),
    ],
)
def test_completeness_from_status_lines(line: str, complete: bool | None) -> None:
    assert parse_text(f"Title: T\n{line}\n*****\n{PROSE}\n").complete is complete


def test_story_right_under_a_one_line_field_is_not_a_continuation() -> None:
    s = parse_text(f"Title: The Keeper\nRating: G\n{PROSE}\n\nShe went up the stairs.\n")
    assert s.rating_original == "G"
    assert s.body == f"{PROSE}\n\nShe went up the stairs."


@pytest.mark.parametrize(
    ("written", "authors"),
    [
        ("Jerome, Jerome K.", ("Jerome, Jerome K.",)),
        ("Ortega Munilla, José", ("Ortega Munilla, José",)),
        ("Ward, Humphry, Mrs.", ("Ward, Humphry, Mrs.",)),
        ("Amado Salazar, José María", ("Amado Salazar, José María",)),
        ("wren_h, ash99", ("wren_h", "ash99")),
        ("Wren Hollis, Ash Penrose, Kit Marlow", ("Wren Hollis", "Ash Penrose", "Kit Marlow")),
        ("Wren Hollis & Ash Penrose", ("Wren Hollis", "Ash Penrose")),
        ("Wren Hollis; Ash Penrose", ("Wren Hollis", "Ash Penrose")),
    ],
)
def test_author_lists_and_surname_first_names(written: str, authors: tuple[str, ...]) -> None:
    assert parse_text(f"Title: T\nAuthor: {written}\n*****\n{PROSE}\n").authors == authors


def test_reflow_check_remembering_line_tokens_answers_as_a_fresh_scan() -> None:
    from searchfic.ingest.text import _is_reflowed

    lines = [
        "Title: Salt on the Sill",
        "Author: Wren Hollis",
        "Fandom - Lighthouse Tales",
        "Rating: G",
        "Notes: none Pairing - Mara/Tobias",
        "Words: 900 Summary: a storm",
        "Warnings: none",
        "",
        "The story begins. Author: nobody",
    ]
    counts: dict[tuple[int, bool], int] = {}
    answers = set()
    for i in range(len(lines)):
        for dash in (False, True):  # one memo for both: a line's tokens depend on dash
            fresh = _is_reflowed(lines, i, dash)
            assert _is_reflowed(lines, i, dash, counts) == fresh
            answers.add((i < 5, dash, fresh))
    assert (True, True, True) in answers and (True, False, False) in answers
