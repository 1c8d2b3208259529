"""Regressions found by checking parse records against files made like the shared samples."""

from pathlib import Path

import pytest

from searchfic.ingest import parse_file

DATA = Path(__file__).parent / "data" / "acceptance"


@pytest.fixture(scope="module")
def two_authors():
    return parse_file(DATA / "two_authors_and.txt")


def test_author_names_joined_by_and_are_two_authors(two_authors):
    assert list(two_authors.authors) == ["Hester Wren", "Tobias Vane"]


def test_one_word_pseuds_joined_by_and_stay_one_author():
    story = parse_file(DATA / "pseud_with_and.txt")
    assert list(story.authors) == ["Salt and Pepper"]


def test_posted_on_label_gives_published_date(two_authors):
    assert two_authors.published == "2004-03-12"


def test_slash_joined_genres_are_separate_tags(two_authors):
    assert list(two_authors.tags) == ["Angst", "Romance", "Hurt/Comfort"]


def test_hurt_comfort_stays_one_genre_after_a_slash_split():
    story = parse_file(DATA / "pseud_with_and.txt")
    assert list(story.tags) == ["Angst", "Hurt/Comfort"]


def test_fanfiction_net_bracket_pair_is_one_romantic_relationship():
    story = parse_file(DATA / "ffn_bracket_pair.txt")
    assert story.format == "fff-txt"
    assert list(story.pairings) == ["Jane E./Edward R."]
    assert list(story.characters) == ["Jane E.", "Edward R."]


def test_bracket_pairs_in_a_classic_header_split_and_keep_initials():
    story = parse_file(DATA / "ffn_bracket_pair_classic.txt")
    assert list(story.pairings) == ["Jane E./Edward R.", "Harry/Draco", "Ron/Hermione"]
    assert list(story.characters) == ["Jane E.", "Edward R.", "Adele V."]


def test_note_paragraph_after_a_blank_line_stays_in_notes_until_the_separator():
    story = parse_file(DATA / "note_paragraph_before_separator.txt")
    assert "Thanks to everyone on the list" in story.notes
    assert story.body.startswith("Nobody in the house expected a visitor")
    assert "Thanks to everyone" not in story.body


def test_story_opening_before_a_scene_break_is_not_taken_for_a_note():
    story = parse_file(DATA / "scene_break_after_first_paragraph.txt")
    assert story.summary == "Somebody knocks."
    assert story.body.startswith("Nobody expected a visitor on such a night.")
    assert story.body.endswith("addressed to nobody any of them knew.")


def test_navigation_links_after_a_pre_story_stay_out_of_the_body():
    story = parse_file(DATA / "pre_block_with_back_link.html")
    assert story.format == "html"
    assert story.title == "The Long Field"
    assert story.body.endswith("the second time she did not stop at all.")
    assert "Back" not in story.body and "*****" not in story.body
    assert story.body.count("\n\n") == 1
