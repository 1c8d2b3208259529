"""A block's positions decoded in one go read exactly what Whoosh's own decoder reads."""

from __future__ import annotations

import pickle
import random

import numpy as np
import pytest
from whoosh.formats import Positions
from whoosh.system import pack_uint

from searchfic.engine import scoring
from searchfic.engine.codec import RawPositions
from searchfic.engine.scoring import decode_positions_bulk

FORMAT = Positions()


def _positions(rng: random.Random) -> list[int]:
    shape = rng.random()
    if shape < 0.4:
        return [rng.randrange(0, 300)]
    if shape < 0.6:
        n, gap = rng.randrange(2, 40), 20
    elif shape < 0.8:
        n, gap = rng.randrange(2, 20), 1 << rng.choice([8, 16, 24, 31, 33, 40])
    else:
        n, gap = rng.randrange(900, 2600), 30  # more than pickle's 1000 items per batch
    out, p = [], rng.randrange(0, gap)
    for _ in range(n):
        out.append(p)
        p += rng.randrange(1, gap + 1)
    return out


def _expected(values: list[bytes]) -> tuple[list[int], list[int]]:
    lists = [FORMAT.decode_positions(v) for v in values]
    return [len(x) for x in lists], [p for x in lists for p in x]


def _check(values: list[bytes]) -> None:
    counts, positions = decode_positions_bulk(values)
    want_counts, want_positions = _expected(values)
    assert counts.dtype == np.int64 and positions.dtype == np.int64
    assert counts.tolist() == want_counts
    assert positions.tolist() == want_positions


def _one_at_a_time(value: bytes) -> list[int]:
    raise AssertionError("a well-formed block fell back to one pickle per value")


@pytest.mark.parametrize("seed", range(12))
def test_bulk_decoding_matches_whoosh_on_random_blocks(
    seed: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(scoring, "_delta_list", _one_at_a_time)
    rng = random.Random(seed)
    lists = [_positions(rng) for _ in range(rng.randrange(1, 130))]
    _check([FORMAT.encode(p) for p in lists])


@pytest.mark.parametrize("seed", range(4))
def test_bulk_decoding_of_raw_positions_matches_their_own_decoder(seed: int) -> None:
    raw = RawPositions()
    rng = random.Random(100 + seed)
    lists = [[p for p in _positions(rng) if p < 1 << 32] or [0] for _ in range(130)]
    values = [raw.encode(p) for p in lists]
    counts, positions = decode_positions_bulk(values, raw)
    assert counts.tolist() == [len(p) for p in lists]
    assert positions.tolist() == [x for p in lists for x in p]
    assert [raw.decode_positions(v) for v in values] == lists


def test_position_zero_large_gaps_and_one_long_list_decode() -> None:
    lists = [
        [0],
        [0, 1],
        [5, (1 << 31) + 7, (1 << 40) + 3],
        list(range(0, 7000, 3)),
        [65535, 65536],
    ]
    _check([FORMAT.encode(p) for p in lists])


def test_values_without_their_stop_byte_decode_in_bulk_too(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(scoring, "_delta_list", _one_at_a_time)
    rng = random.Random(7)
    values = [FORMAT.encode(_positions(rng)) for _ in range(20)]
    stripped = [v[:-1] if i % 3 == 0 else v for i, v in enumerate(values)]
    counts, positions = decode_positions_bulk(stripped)
    want_counts, want_positions = _expected(values)
    assert counts.tolist() == want_counts
    assert positions.tolist() == want_positions


def test_values_of_another_pickle_protocol_fall_back_to_one_at_a_time() -> None:
    rng = random.Random(8)
    lists = [_positions(rng) for _ in range(10)]
    values = [FORMAT.encode(p) for p in lists]
    deltas = [[b - a for a, b in zip([0, *p], p)] for p in lists]  # noqa: B905
    values[4] = pack_uint(len(deltas[4])) + pickle.dumps(deltas[4], 4)
    counts, positions = decode_positions_bulk(values)
    assert counts.tolist() == [len(p) for p in lists]
    assert positions.tolist() == [x for p in lists for x in p]


def test_no_values_decode_to_empty_arrays() -> None:
    counts, positions = decode_positions_bulk([])
    assert counts.size == 0 and positions.size == 0
