"""The seed story (a saved web page) parses exactly as the issue's "Done when" says."""

from __future__ import annotations

from pathlib import Path

import pytest

from searchfic.ingest import parse_file

SEED = Path(__file__).resolve().parents[1].parent / "shared" / "seed" / "000_2c597ed47204ad12.txt"

pytestmark = pytest.mark.skipif(not SEED.is_file(), reason=f"seed story {SEED} is absent")


@pytest.fixture(scope="module")
def seed():
    return parse_file(SEED, corpus=SEED.parent)


def test_seed_metadata(seed) -> None:
    assert seed.format == "text"
    assert seed.source == SEED.name
    assert seed.title == "The Last Kiss"
    assert seed.authors == ("Adrienne Lee",)
    assert seed.fandoms == ("Law and Order SVU",)
    assert seed.pairings == ("Alex Cabot/Olivia Benson",)
    assert seed.rating == "General Audiences"
    assert seed.rating_original == "G"
    assert seed.summary == "Trouble in Paradise\u2026"
    assert seed.language == "en"
    assert seed.published is None and seed.updated is None and seed.complete is None


def test_seed_notes_hold_legal_spoiler_and_feedback(seed) -> None:
    assert "LEGAL STUFF: Copyrighted 2004 by Adrienne Lee." in seed.notes
    assert 'SPOILER: Post "Loss".' in seed.notes
    assert "FEEDBACK: Yes, please, please, please feed us!!" in seed.notes
    assert "SUMMARY" not in seed.notes


def test_seed_body_is_the_story_only(seed) -> None:
    assert seed.body.startswith("\u201cI should leave.\u201d Olivia sank down in the chair")
    assert seed.body.endswith("\u201cYou promised, anything.\u201d")
    for chrome in (
        "top of page",
        "Recent Posts",
        "See All",
        "Dance the Orange",
        "MISTS OF FOREVER",
        "AUTUMN IN NEW YORK",
        "Website Design",
        "bottom of page",
        "\u00a9",
        "FANDOM:",
        "PAIRING:",
        "Trouble in Paradise",
    ):
        assert chrome not in seed.body
    assert "\n\n\n" not in seed.body
    assert seed.words == len(seed.body.split())


def test_seed_teasers_do_not_overwrite_metadata(seed) -> None:
    # The teasers carry TITLE:/DATE:/AUTHOR:/DISCLAIMER: labels of other stories.
    assert "Dance the Orange" not in seed.title
    assert "2011" not in (seed.published or "")
    assert "similarities to people" not in seed.notes


def test_seed_id_is_stable_across_runs_and_moves(seed, tmp_path: Path) -> None:
    moved = tmp_path / "elsewhere.txt"
    moved.write_bytes(SEED.read_bytes())
    again = parse_file(moved, corpus=tmp_path)
    assert again.id == seed.id
    assert again.source == "elsewhere.txt"
