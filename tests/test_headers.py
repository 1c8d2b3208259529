"""Header normalisation: label table, rating map, relationship parser, lists, dates, languages."""

from __future__ import annotations

import pytest

from searchfic.ingest.headers import (
    LABELS,
    label_field,
    language_code,
    map_rating,
    pairing_annotations,
    pairing_singles,
    parse_date,
    parse_pairings,
    split_list,
    tidy_pairing,
)

# formats.md §4.1, every variant seen, mapped to the field it names.
LABEL_VARIANTS = {
    "title": ["Title", "Story Title", "Story", "Name", "Title & Part Number", "Ttile"],
    "authors": ["Author", "By", "Written by", "Writer", "Author Name", "Pen name", "Author/Artist"],
    "email": ["E-mail", "Email", "E-mail address", "Contact"],
    "fandoms": ["Fandom", "Fandoms", "Universe", "Show", "Crossover"],
    "pairings": [
        "Pairing",
        "Pairings",
        "Relationship",
        "Relationships",
        "Relationship(s)",
        "Ship",
        "Ships",
        "Couple",
        "Main Pairing",
        "Characters/Pairings",
        "Other pairings",
    ],
    "characters": ["Characters", "Character(s)", "Featuring", "Main Characters"],
    "rating": ["Rating", "Rated", "Rate", "Ratings"],
    "warnings": [
        "Warning",
        "Warnings",
        "Content Warning",
        "Content Warnings",
        "Fic Warning",
        "Archive Warnings",
        "Triggers",
        "CW",
    ],
    "tags": ["Genre", "Genres", "Type", "Classification", "Keywords"],
    "category": ["Category", "Categories"],
    "spoilers": ["Spoiler", "Spoilers", "Spoiler Warning", "Timeline", "Set", "Season", "Time"],
    "summary": [
        "Summary",
        "Summary for story",
        "Description",
        "Blurb",
        "Synopsis",
        "Teaser",
        "Abstract",
    ],
    "disclaimer": ["Disclaimer", "Legal", "Legal Stuff", "Legalese", "Standard Disclaimer"],
    "archive": ["Archive", "Archiving", "Distribution", "Permission to archive"],
    "feedback": ["Feedback", "Comments", "C&C", "Reviews"],
    "notes": [
        "Notes",
        "Author's Note",
        "Author's Notes",
        "A/N",
        "AN",
        "Dedication",
        "Thanks",
        "Beta",
        "Beta-reader",
        "Beta-readers",
    ],
    "words": ["Word Count", "Words", "Length", "Size"],
    "status": ["Status", "WIP", "Completed"],
    "published": ["Date", "Posted"],
    "updated": ["Last update"],
}
RUSSIAN = {
    "Название": "title",
    "Автор": "authors",
    "Бета": "notes",
    "Фэндом": "fandoms",
    "Пейринг": "pairings",
    "Рейтинг": "rating",
    "Жанр": "tags",
    "Размер": "words",
    "Статус": "status",
    "Дисклеймер": "disclaimer",
    "Саммари": "summary",
}


@pytest.mark.parametrize(
    ("label", "field"),
    [(v, f) for f, vs in LABEL_VARIANTS.items() for v in vs] + list(RUSSIAN.items()),
)
def test_every_label_variant_maps_to_its_field_in_any_case(label: str, field: str) -> None:
    assert label_field(label) == field
    assert label_field(label.upper()) == field
    assert label_field(label.lower()) == field
    assert LABELS[label.casefold()] == field


@pytest.mark.parametrize("decorated", ["**Title:**", "[Title]", "TITLE:", "__Title__", "Title :"])
def test_decorated_labels_are_recognised(decorated: str) -> None:
    assert label_field(decorated) == "title"


def test_curly_apostrophe_and_nbsp_in_labels() -> None:
    assert label_field("Author\u2019s\u00a0Note") == "notes"


@pytest.mark.parametrize(
    ("written", "rating", "original"),
    [
        ("G", "General Audiences", "G"),
        ("K", "General Audiences", "K"),
        ("General", "General Audiences", "General"),
        ("All Ages", "General Audiences", "All Ages"),
        ("PG", "Teen And Up Audiences", "PG"),
        ("K+", "Teen And Up Audiences", "K+"),
        ("PG-13", "Teen And Up Audiences", "PG-13"),
        ("pg13", "Teen And Up Audiences", "pg13"),
        ("PG 13", "Teen And Up Audiences", "PG 13"),
        ("T", "Teen And Up Audiences", "T"),
        ("Teen", "Teen And Up Audiences", "Teen"),
        ("Teen And Up", "Teen And Up Audiences", "Teen And Up"),
        ("teen and up audiences", "Teen And Up Audiences", "teen and up audiences"),
        ("FRT", "Teen And Up Audiences", "FRT"),
        ("R", "Mature", "R"),
        ("M", "Mature", "M"),
        ("MA", "Mature", "MA"),
        ("Mature", "Mature", "Mature"),
        ("NC-17", "Explicit", "NC-17"),
        ("NC17", "Explicit", "NC17"),
        ("nc-21", "Explicit", "nc-21"),
        ("E", "Explicit", "E"),
        ("Explicit", "Explicit", "Explicit"),
        ("Adult", "Explicit", "Adult"),
        ("X", "Explicit", "X"),
        ("XXX", "Explicit", "XXX"),
        ("18+", "Explicit", "18+"),
        ("FRAO", "Explicit", "FRAO"),
        ("", "Not Rated", ""),
        ("none", "Not Rated", "none"),
        ("Not Rated", "Not Rated", "Not Rated"),
        ("unrated", "Not Rated", "unrated"),
        ("Tweenie", "Not Rated", "Tweenie"),
        ("G If same-sex relationships bother you, read something else.", "General Audiences", "G"),
        ("G Nothing here your grandmother couldn't read aloud.", "General Audiences", "G"),
        ("R (for violence)", "Mature", "R"),
        ("PG-13, for language", "Teen And Up Audiences", "PG-13"),
        ("NC-17 for sex", "Explicit", "NC-17"),
    ],
)
def test_rating_map(written: str, rating: str, original: str) -> None:
    assert map_rating(written) == (rating, original)


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("Alex Cabot / Olivia Benson", ["Alex Cabot/Olivia Benson"]),
        ("Syme x Gregory", ["Syme/Gregory"]),
        ("Syme X Gregory", ["Syme/Gregory"]),
        ("Naruto×Sasuke", ["Naruto/Sasuke"]),
        ("NarutoxSasuke", ["Naruto/Sasuke"]),
        ("Alex/Xander", ["Alex/Xander"]),
        ("Max/Rex", ["Max/Rex"]),
        ("Syme & Rosamond (friendship)", ["Syme & Rosamond"]),
        ("Harry+Draco", ["Harry/Draco"]),
        ("Mulder and Scully", ["Mulder/Scully"]),
        ("[Buffy/Faith]", ["Buffy/Faith"]),
        ("Harry/Draco (established)", ["Harry/Draco"]),
        ("Katharine/Ralph romance", ["Katharine/Ralph"]),
        ("A/B/C", ["A/B/C"]),
        ("Harry/Ginny/Albus Dumbledore", ["Harry/Ginny/Albus Dumbledore"]),
        ("Kasumi | Misty/Satoshi | Ash", ["Kasumi | Misty/Satoshi | Ash"]),
        (
            "Heathcliff (Wuthering Heights)/Catherine Earnshaw",
            ["Heathcliff (Wuthering Heights)/Catherine Earnshaw"],
        ),
        ("M/S", ["M/S"]),
        (
            "Buffy/Spike, Willow/Tara; Xander & Anya",
            ["Buffy/Spike", "Willow/Tara", "Xander & Anya"],
        ),
        ("Buffy/Spike and Willow/Tara", ["Buffy/Spike", "Willow/Tara"]),
        ("Harry Potter & Hermione Granger", ["Harry Potter & Hermione Granger"]),
        ("Sam/Dean (past), Dean/Castiel", ["Sam/Dean", "Dean/Castiel"]),
        ("none", []),
        ("Gen", []),
    ],
)
def test_pairing_parser(written: str, expected: list[str]) -> None:
    assert parse_pairings([written]) == expected


def test_pairing_annotations_are_kept_for_notes() -> None:
    assert pairing_annotations(["Syme & Rosamond (friendship)"]) == ["Syme & Rosamond (friendship)"]


def test_lone_names_in_pairing_field_are_characters_not_pairings() -> None:
    values = ["Harry, Draco, Harry/Draco"]
    assert parse_pairings(values) == ["Harry/Draco"]
    assert pairing_singles(values) == ["Harry", "Draco"]


def test_tidy_pairing_does_not_split_a_single_tag() -> None:
    assert tidy_pairing("Kasumi | Misty & Satoshi | Ash") == "Kasumi | Misty & Satoshi | Ash"


def test_split_list_respects_parentheses_and_dedupes() -> None:
    assert split_list("Harry Potter, Naruto; Joseph (Wuthering Heights, 1847), harry potter") == [
        "Harry Potter",
        "Naruto",
        "Joseph (Wuthering Heights, 1847)",
    ]
    assert split_list(" , ;") == []


@pytest.mark.parametrize(
    ("written", "iso"),
    [
        ("2004-03-01", "2004-03-01"),
        ("2004/3/1", "2004-03-01"),
        ("March 1, 2004", "2004-03-01"),
        ("Mar. 1st, 2004", "2004-03-01"),
        ("1 Mar 2004", "2004-03-01"),
        ("1st of March, 2004", "2004-03-01"),
        ("03/01/2004", "2004-03-01"),  # month first, the US order, when ambiguous
        ("25/12/2004", "2004-12-25"),  # the first number cannot be a month
        ("01.03.2004", "2004-03-01"),  # dotted: day first
        ("14 juin 2003", "2003-06-14"),
        ("Sat, 14 Jun 2003 21:07:44 +0100", "2003-06-14"),
        ("Posted on 2011-12-05 at noon", "2011-12-05"),
        ("2011-12", None),
        ("2004", None),
        ("2004-02-30", None),
        ("someday", None),
        ("", None),
    ],
)
def test_parse_date(written: str, iso: str | None) -> None:
    assert parse_date(written) == iso


@pytest.mark.parametrize(
    ("written", "code"),
    [
        ("English", "en"),
        ("english", "en"),
        ("Français", "fr"),
        ("French", "fr"),
        ("Deutsch", "de"),
        ("German", "de"),
        ("Español", "es"),
        ("Spanish", "es"),
        ("Русский", "ru"),
        ("日本語", "ja"),
        ("中文-普通话 國語", "zh"),
        ("Português brasileiro", "pt"),
        ("de", "de"),
        ("en-US", "en"),
        ("pt_BR", "pt"),
        ("English (UK)", "en"),
        ("Klingon", None),
        ("", None),
    ],
)
def test_language_code(written: str, code: str | None) -> None:
    assert language_code(written) == code


def test_leading_annotations_are_dropped_and_kept_for_notes() -> None:
    values = ["Harry/Draco, mentions of Ron/Hermione; implied past Sirius/Remus"]
    assert parse_pairings(values) == ["Harry/Draco", "Ron/Hermione", "Sirius/Remus"]
    assert pairing_annotations(values) == [
        "Ron/Hermione (mentions of)",
        "Sirius/Remus (implied past)",
    ]
