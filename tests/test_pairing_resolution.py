"""Pairing filters resolved through the member index select exactly what the old scan of
every relationship with ``matches()`` selected."""

from __future__ import annotations

import dataclasses
import random

import pytest
from engine_support import build_index, load_stories

from searchfic import pairing as pairing_mod
from searchfic.engine import analysis
from searchfic.engine.facets import _resolve_pairing, facet_cache
from searchfic.engine.store import open_index

NAMES = [
    "Alex Cabot",
    "Olivia Benson",
    "Casey Novak",
    "Elliot Stabler",
    "Amanda Rollins",
    "Sonny Carisi",
    "Rafael Barba",
    "Olivia Pope",
    "Alex Danvers",
    "Kara Danvers",
    "Lena Luthor",
    "Zoë Renée (Original)",
]


def _old_scan(table, value: str) -> tuple[int, ...]:
    # The algorithm before the member index, kept here as the reference.
    p = pairing_mod.parse_pairing(value)
    if p is None:
        return ()
    exact = table.key_to_group.get(p.key)
    if exact is not None:
        return (exact,)
    g = table.key_to_group.get(analysis.fold_value(value))
    if g is not None:
        return (g,)
    return tuple(sorted({gid for cand, gid in table.pairings if pairing_mod.matches(p, cand)}))


@pytest.fixture(scope="module")
def table(tmp_path_factory):
    rng = random.Random(6)
    base = load_stories()[0]
    stories = []
    for i in range(80):
        k = rng.choice([1, 2, 2, 2, 3])
        members = rng.sample(NAMES, k)
        if rng.random() < 0.3:  # surnames or first names only
            members = [m.split()[rng.choice([0, -1])] for m in members]
        sep = rng.choice(["/", " & ", " x "])
        stories.append(dataclasses.replace(base, id=f"p{i:03d}", pairings=(sep.join(members),)))
    ix = open_index(build_index(tmp_path_factory.mktemp("pairings"), stories))
    with ix.searcher() as s:
        t = facet_cache(ix, s).table("pairing")
    ix.close()
    return t


def _queries() -> list[str]:
    parts = [n.split()[0] for n in NAMES] + [n.split()[-1] for n in NAMES] + NAMES
    parts += ["Nobody", "olivia", "DANVERS", "zoe", "Renee"]
    rng = random.Random(7)
    out = list(parts)
    for _ in range(400):
        k = rng.choice([2, 2, 3])
        sep = rng.choice(["/", "&", " x ", "+"])
        out.append(sep.join(rng.sample(parts, k)))
    return out


def test_the_table_holds_many_relationships(table):
    assert len(table.pairings) > 30


def test_member_index_resolution_equals_the_full_scan(table):
    nonempty = 0
    for value in _queries():
        want = _old_scan(table, value)
        assert _resolve_pairing(table, value, analysis.fold_value(value)) == want, value
        nonempty += bool(want)
    assert nonempty > 50


def test_a_value_as_indexed_resolves_as_it_would_when_parsed_afresh(table):
    from searchfic.engine.facets import _resolve

    afresh = dataclasses.replace(table, raw_forms={}, spellings={})
    assert set(table.raw_forms) == set(table.raw_to_group)
    for value in list(table.raw_to_group) + _queries():
        assert _resolve(table, value, {}) == _resolve(afresh, value, {}), value
        if value in table.raw_forms:
            assert _resolve(table, value, {}) == (table.raw_to_group[value],), value


def test_every_two_name_part_filter_selects_what_the_scan_selects(table):
    tokens = sorted({t for p, _g in table.pairings for m in p.members for t in m})
    assert len(tokens) > 10
    checked = with_groups = 0
    for a in tokens:
        for b in tokens:
            for sep in ("/", " & "):
                value = f"{a.title()}{sep}{b}"
                assert _resolve_pairing(table, value, None) == _old_scan(table, value), value
                checked += 1
                with_groups += bool(_old_scan(table, value))
    assert with_groups > 20 and checked > with_groups
    assert table.name_pairs  # the precomputed path is the one these took


def _retyped(value: str, rng: random.Random) -> list[str]:
    """Ways a reader may type a relationship shown as ``value``."""
    kind = "/" if "/" in value else "&" if "&" in value else None
    if kind is None:
        return [value, value.upper()]
    members = [m.strip() for m in value.split(kind)]
    out = [
        f" {kind} ".join(reversed(members)),
        kind.join(m.upper() for m in members),
        kind.join(m.lower() for m in reversed(members)),
        f"  {members[-1]}\u00a0{kind}  " + f"{kind}".join(members[:-1]),
        f"[{value}]",
        kind.join(m.replace("ë", "e").replace("é", "e") for m in members),
        kind.join(m.split()[-1] for m in members),  # surnames: not a spelling of the value
        kind.join([*members, ""]),  # a trailing separator
    ]
    rng.shuffle(members)
    out.append(kind.join(members))
    return out


def test_a_retyped_relationship_resolves_by_its_spelling_as_it_would_when_parsed(table):
    from searchfic.engine.facets import _resolve

    assert table.spellings
    afresh = dataclasses.replace(table, raw_forms={}, spellings={})
    rng = random.Random(8)
    by_spelling = 0
    for raw in table.raw_to_group:
        for value in [raw, *_retyped(raw, rng)]:
            assert _resolve(table, value, {}) == _resolve(afresh, value, {}), value
            by_spelling += pairing_mod.spelling_key(value) in table.spellings
    for value in _queries():
        assert _resolve(table, value, {}) == _resolve(afresh, value, {}), value
    assert by_spelling > 3 * len(table.raw_to_group)


def test_spelling_key_is_order_case_and_space_free_and_only_for_slash_or_ampersand():
    key = pairing_mod.spelling_key
    assert key("Olivia Benson/Alex Cabot") == key(" alex  CABOT /olivia benson") is not None
    assert key("A & B") == key("b&a") != key("A/B")
    assert key("A x B") is None and key("A+B") is None and key("Lone") is None
    assert key("[A/B]") is None and key("A/") is None
