"""Positions decoded in bulk read exactly what the format's own decoder reads."""

from __future__ import annotations

import random

import numpy as np
import pytest

from searchfic.engine.codec import RawPositions
from searchfic.engine.scoring import decode_positions_bulk, read_positions

FORMAT = RawPositions()


def _positions(rng: random.Random) -> list[int]:
    shape = rng.random()
    if shape < 0.4:
        return [rng.randrange(0, 300)]
    if shape < 0.6:
        n, gap = rng.randrange(2, 40), 20
    elif shape < 0.8:
        n, gap = rng.randrange(2, 20), 1 << rng.choice([8, 16, 24])
    else:
        n, gap = rng.randrange(900, 2600), 30
    out, p = [], rng.randrange(0, gap)
    for _ in range(n):
        out.append(p)
        p += rng.randrange(1, gap + 1)
    return out


def _check(lists: list[list[int]]) -> None:
    values = [FORMAT.encode(p) for p in lists]
    counts, positions = decode_positions_bulk(values)
    assert counts.dtype == np.int64 and positions.dtype == np.int64
    assert counts.tolist() == [len(FORMAT.decode_positions(v)) for v in values]
    assert positions.tolist() == [p for v in values for p in FORMAT.decode_positions(v)]
    assert [FORMAT.decode_positions(v) for v in values] == lists


@pytest.mark.parametrize("seed", range(12))
def test_bulk_decoding_matches_the_formats_decoder_on_random_blocks(seed: int) -> None:
    rng = random.Random(seed)
    _check([_positions(rng) for _ in range(rng.randrange(1, 130))])


def test_position_zero_large_gaps_and_one_long_list_decode() -> None:
    _check(
        [[0], [0, 1], [5, (1 << 31) + 7, (1 << 32) - 1], list(range(0, 7000, 3)), [65535, 65536]]
    )


def test_no_values_decode_to_empty_arrays() -> None:
    counts, positions = decode_positions_bulk([])
    assert counts.size == 0 and positions.size == 0


def test_a_single_posting_is_read_through_its_format() -> None:
    class Matcher:
        format = FORMAT

        def value_as(self, name: str) -> list[int]:
            assert name == "positions"
            return FORMAT.decode_positions(FORMAT.encode([3, 9, 70000]))

    assert read_positions(Matcher()) == [3, 9, 70000]


@pytest.mark.parametrize("seed", range(6))
def test_running_sums_restart_at_every_list_empty_lists_included(seed: int) -> None:
    from searchfic.engine.codec import restart_cumsum

    rng = random.Random(seed)
    lists = [
        [rng.randrange(0, 65536) for _ in range(rng.choice([0, 0, 1, 2, 7, 300]))]
        for _ in range(rng.randrange(1, 60))
    ]
    offsets = np.zeros(len(lists) + 1, dtype=np.int64)
    np.cumsum([len(x) for x in lists], out=offsets[1:])
    deltas = np.array([d for x in lists for d in x], dtype=np.uint16)
    want = [s for x in lists for s in np.cumsum(np.array(x, dtype=np.int64)).tolist()]
    got = restart_cumsum(deltas, offsets)
    assert got.dtype == np.int64
    assert got.tolist() == want
