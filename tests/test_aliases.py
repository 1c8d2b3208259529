"""The alias file: parsing, errors naming file and line, canonicalisation, and indexing."""

from __future__ import annotations

from pathlib import Path

import pytest
from indexing_support import copy_corpus, records

from searchfic.aliases import AliasFileError, AliasTable, alias_path, load_aliases

SVU = """
[fandom]
"Law & Order: SVU" = ["Law and Order SVU", "SVU"]

[pairing]
"Alex Cabot/Olivia Benson" = ["Cabenson"]

[character]
"Olivia Benson" = ["Liv"]
"""


def _table(tmp_path: Path, text: str = SVU) -> AliasTable:
    p = tmp_path / "searchfic-aliases.toml"
    p.write_text(text, encoding="utf-8")
    return load_aliases(p)


def test_variant_maps_to_canonical_ignoring_case_and_accents(tmp_path: Path) -> None:
    t = _table(tmp_path, '[fandom]\n"Pokémon" = ["Pocket Monsters"]\n')
    assert t.canonical("fandom", "pocket  MONSTERS") == "Pokémon"
    assert t.canonical("fandom", "POKEMON") == "Pokémon"
    assert t.canonical("fandom", "Digimon") == "Digimon"


def test_reversed_pairing_variant_finds_canonical(tmp_path: Path) -> None:
    t = _table(tmp_path, '[pairing]\n"Alex Cabot/Olivia Benson" = ["Olivia/Alex"]\n')
    assert t.canonical("pairing", "Olivia Benson/Alex Cabot") == "Alex Cabot/Olivia Benson"
    assert t.canonical("pairing", "Alex/Olivia") == "Alex Cabot/Olivia Benson"
    assert t.canonical("pairing", "Alex Cabot & Olivia Benson") == "Alex Cabot & Olivia Benson"


def test_pairing_members_go_through_character_aliases(tmp_path: Path) -> None:
    t = _table(tmp_path)
    assert t.canonical("pairing", "Liv/Alex Cabot") == "Olivia Benson/Alex Cabot"
    assert t.canonical("pairing", "Liv & Casey") == "Olivia Benson & Casey"


def test_apply_drops_values_that_become_repeats(tmp_path: Path) -> None:
    t = _table(tmp_path)
    assert t.apply(["SVU", "Law and Order SVU", "Bones"], "fandom") == ("Law & Order: SVU", "Bones")


def test_missing_alias_file_is_an_empty_table(tmp_path: Path) -> None:
    t = load_aliases(tmp_path / "nope.toml")
    assert not t
    assert t.canonical("fandom", "SVU") == "SVU"


def test_malformed_toml_names_file_and_line(tmp_path: Path) -> None:
    p = tmp_path / "searchfic-aliases.toml"
    p.write_text('[fandom]\n"A" = ["b"]\n"C" = ["d"\n', encoding="utf-8")
    with pytest.raises(AliasFileError) as err:
        load_aliases(p)
    assert str(err.value).startswith(f"{p}:3: ") or str(err.value).startswith(f"{p}:4: ")


def test_unknown_table_names_its_line(tmp_path: Path) -> None:
    p = tmp_path / "a.toml"
    p.write_text('[fandom]\n"A" = ["b"]\n\n[shipz]\n"X" = ["y"]\n', encoding="utf-8")
    with pytest.raises(AliasFileError, match=r"a\.toml:4: unknown table \[shipz\]"):
        load_aliases(p)


def test_variants_must_be_strings(tmp_path: Path) -> None:
    p = tmp_path / "a.toml"
    p.write_text('[character]\n"Olivia Benson" = [1, 2]\n', encoding="utf-8")
    with pytest.raises(AliasFileError, match=r'a\.toml:2: the variants of "Olivia Benson"'):
        load_aliases(p)


def test_meta_round_trip_keeps_the_mapping(tmp_path: Path) -> None:
    t = _table(tmp_path)
    again = AliasTable.from_meta(t.to_meta())
    assert again.canonical("fandom", "svu") == "Law & Order: SVU"
    assert again.canonical("pairing", "cabenson") == "Alex Cabot/Olivia Benson"


def test_alias_path_is_relative_to_the_corpus(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.delenv("SEARCHFIC_ALIASES", raising=False)
    assert alias_path(tmp_path) == tmp_path / "searchfic-aliases.toml"
    assert alias_path(tmp_path, "/etc/x.toml") == Path("/etc/x.toml")


def test_index_stores_canonical_values_and_meta(tmp_path: Path) -> None:
    from searchfic.engine.indexer import update_index
    from searchfic.engine.inventory import published

    corpus = copy_corpus(tmp_path)
    (corpus / "searchfic-aliases.toml").write_text(SVU, encoding="utf-8")
    summary = update_index(corpus, tmp_path / "index")
    assert "searchfic-aliases.toml" not in {f.source for f in summary.failed}
    recs = records(tmp_path / "index")
    rain = recs["svu/courtroom_rain.txt"]
    assert rain["fandoms"] == ["Law & Order: SVU"]
    assert rain["pairings"] == ["Alex Cabot/Olivia Benson"]
    assert rain["characters"] == ["Olivia Benson", "Alex Cabot"]
    assert recs["svu/ward_cases.txt"]["fandoms"] == ["Law & Order: SVU"]
    meta = published(tmp_path / "index").meta
    assert meta["aliases"]["fandom"]["Law & Order: SVU"] == ["Law and Order SVU", "SVU"]
    assert meta["aliases_hash"]


def test_changed_alias_file_renormalises_the_whole_index(tmp_path: Path) -> None:
    from searchfic.engine.indexer import update_index

    corpus = copy_corpus(tmp_path)
    index = tmp_path / "index"
    update_index(corpus, index)
    assert records(index)["svu/courtroom_rain.txt"]["fandoms"] == ["SVU"]
    (corpus / "searchfic-aliases.toml").write_text(SVU, encoding="utf-8")
    summary = update_index(corpus, index)
    assert summary.rebuilt
    assert summary.unchanged == 6 and summary.added == summary.updated == 0
    assert records(index)["svu/courtroom_rain.txt"]["fandoms"] == ["Law & Order: SVU"]


def test_malformed_alias_file_stops_the_update_and_keeps_the_index(tmp_path: Path) -> None:
    from searchfic.engine import layout
    from searchfic.engine.indexer import update_index

    corpus = copy_corpus(tmp_path)
    index = tmp_path / "index"
    update_index(corpus, index)
    before = layout.current_name(index)
    (corpus / "searchfic-aliases.toml").write_text("[fandom\n", encoding="utf-8")
    with pytest.raises(AliasFileError, match=r"searchfic-aliases\.toml:1: "):
        update_index(corpus, index)
    assert layout.current_name(index) == before


def test_ship_name_filed_as_character_becomes_the_pairing(tmp_path: Path) -> None:
    from searchfic.aliases import apply_to_story
    from searchfic.model import Story

    t = _table(tmp_path)
    story = Story(id="x", source="x.txt", format="text", characters=("Liv", "Cabenson"))
    out = apply_to_story(story, t)
    assert out.pairings == ("Alex Cabot/Olivia Benson",)
    assert out.characters == ("Olivia Benson",)


def test_indexed_pairing_values_resolve_as_when_parsed_afresh_with_aliases(
    tmp_path: Path,
) -> None:
    import dataclasses

    from searchfic.engine.facets import _resolve, facet_cache
    from searchfic.engine.indexer import update_index
    from searchfic.engine.store import open_index

    corpus = copy_corpus(tmp_path)
    (corpus / "searchfic-aliases.toml").write_text(SVU, encoding="utf-8")
    update_index(corpus, tmp_path / "index")
    with open_index(tmp_path / "index") as ix, ix.searcher() as s:
        table = facet_cache(ix, s).table("pairing")
        meta = ix.meta
    afresh = dataclasses.replace(table, raw_forms={})
    values = [*table.raw_to_group, "Cabenson", "Olivia Benson/Alex Cabot", "Liv/Alex"]
    for value in values:
        assert _resolve(table, value, meta) == _resolve(afresh, value, meta), value
    assert _resolve(table, "Cabenson", meta)
