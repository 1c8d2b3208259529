"""The page settles the run-of-words bonus for few stories, and ranks as if all were settled."""

from __future__ import annotations

import numpy as np
import pytest

from searchfic.engine.scoring import RUN_BOOST, top_docs


class FakeDeferred:
    """A run bonus whose outcome (together or not) is known up front, settles counted."""

    def __init__(self, score: np.ndarray, bonus: np.ndarray, together: np.ndarray) -> None:
        self.score = score.copy()
        self.bonus = bonus
        self.together = together
        self.candidates = bonus > 0
        self.settled: list[int] = []

    def upper(self) -> np.ndarray:
        return self.score + np.where(self.candidates, self.bonus, 0.0)

    def settle(self, docs: np.ndarray) -> None:
        docs = docs[self.candidates[docs]]
        self.settled.extend(docs.tolist())
        found = docs[self.together[docs]]
        self.score[found] += self.bonus[found]
        self.candidates[docs] = False


def _exact_page(mask, score, bonus, together, id_rank, limit) -> list[int]:
    final = np.round(score + np.where((bonus > 0) & together, bonus, 0.0), 6)
    sel = np.nonzero(mask)[0]
    order = np.lexsort((id_rank[sel], -final[sel]))
    return sel[order[:limit]].tolist()


def _case(seed: int, share_together: float, size: int = 3000):
    rng = np.random.default_rng(seed)
    mask = rng.random(size) < 0.6
    # Coarse scores: many ties, which the story id must break as without the bonus.
    score = np.where(mask, np.round(rng.gamma(2.0, 1.0, size), 1), 0.0)
    bonus = np.where(mask & (rng.random(size) < 0.5), RUN_BOOST * np.round(rng.random(size), 1), 0)
    together = rng.random(size) < share_together
    id_rank = rng.permutation(size)
    return mask, score, bonus, together, id_rank


@pytest.mark.parametrize("seed", range(10))
@pytest.mark.parametrize("share_together", [0.0, 0.05, 0.5, 1.0])
@pytest.mark.parametrize("limit", [1, 10, 50])
def test_page_with_a_lazy_run_bonus_equals_the_page_with_every_bonus_settled(
    seed: int, share_together: float, limit: int
) -> None:
    mask, score, bonus, together, id_rank = _case(seed, share_together)
    lazy = FakeDeferred(score, bonus, together)
    got = top_docs(mask, score, id_rank, limit, lazy)  # type: ignore[arg-type]
    assert got == _exact_page(mask, score, bonus, together, id_rank, limit)
    assert len(set(lazy.settled)) == len(lazy.settled), "no story is settled twice"


def test_when_the_words_stand_together_only_the_page_is_settled() -> None:
    mask, score, bonus, together, id_rank = _case(3, 1.0)
    lazy = FakeDeferred(score, bonus, together)
    top_docs(mask, score, id_rank, 10, lazy)  # type: ignore[arg-type]
    assert len(lazy.settled) <= 10 * 3
