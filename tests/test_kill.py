"""Crash safety: kill -9 of a writer mid-way never damages the published index.

The machinery lives in ``bench/kill_loop.py`` (also a script printing "N kills, N intact");
the default suite kills one rebuild and one incremental update half-way through, and the
slow loop kills each kind at 20 random moments.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

_SPEC = importlib.util.spec_from_file_location(
    "kill_loop", Path(__file__).resolve().parents[1] / "bench" / "kill_loop.py"
)
assert _SPEC is not None and _SPEC.loader is not None
kill_loop = importlib.util.module_from_spec(_SPEC)
sys.modules["kill_loop"] = kill_loop
_SPEC.loader.exec_module(kill_loop)

STORIES = 30  # above the process-pool threshold, so the kill takes parse workers too


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    work = tmp_path_factory.mktemp("kill-base")
    return kill_loop.build_base(work, STORIES, repeat=3, depth=1)


def test_rebuild_killed_half_way_leaves_previous_generation_serving(
    tmp_path: Path, base: tuple[Path, Path]
) -> None:
    corpus, index = base
    r = kill_loop.rebuild_round(tmp_path, corpus, index, delay=None)
    assert r.killed, "the writer finished before the kill: the test proves nothing"
    assert r.problem is None


def test_incremental_update_killed_half_way_leaves_previous_generation_serving(
    tmp_path: Path, base: tuple[Path, Path]
) -> None:
    corpus, index = base
    r = kill_loop.incremental_round(tmp_path, corpus, index, seed=7, delay=None)
    assert r.killed, "the writer finished before the kill: the test proves nothing"
    assert r.problem is None


@pytest.mark.slow
def test_twenty_random_kills_of_each_kind_leave_the_index_intact() -> None:
    lines: list[str] = []
    results = kill_loop.loop(kills=20, stories=60, seed=20261130, out=lines.append)
    print("\n".join(lines))
    for kind, (_landed, intact) in results.items():
        assert intact == 20, f"{kind}: " + "\n".join(lines)


def test_second_writer_during_a_rebuild_is_refused_and_nothing_is_damaged(
    tmp_path: Path, base: tuple[Path, Path]
) -> None:
    import shutil

    from click.testing import CliRunner

    from searchfic.cli import main
    from searchfic.engine.inventory import check_index

    corpus, base_index = base
    index = tmp_path / "index"
    shutil.copytree(base_index, index)
    before = kill_loop.before_kill(index)
    writer = kill_loop.start_writer(corpus, index, rebuild=True)
    assert writer.stdout is not None
    try:
        assert writer.stdout.readline().startswith("progress")
        r = CliRunner().invoke(
            main, ["index", "--corpus", str(corpus), "--index-dir", str(index), "--json"]
        )
        assert r.exit_code == 2
        assert f"(pid {writer.pid})" in r.stderr
        assert len(r.stderr.strip().splitlines()) == 1
        rest = writer.stdout.read()
        assert writer.wait(timeout=120) == 0, rest
    finally:
        kill_loop.kill_group(writer)
    assert kill_loop.snapshot(index / "generations" / str(before.generation)) == before.files
    assert check_index(corpus, index).in_step
