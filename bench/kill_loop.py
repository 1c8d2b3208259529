"""Kill -9 index writers at random moments and check that the index survives every time.

Each round starts a writer in its own process group (``update_index`` in a child Python,
with its parse workers), kills the whole group with SIGKILL after a random delay, and
then checks:

- the published generation (if there was one before) still opens and answers searches,
  with the story count of either the old or the new corpus state;
- the generation that was published before the kill is byte-identical to what it was;
- the next writer cleans up, brings the index in step with the corpus, and leaves at most
  two generations.

    python bench/kill_loop.py --kills 20            # prints "rebuild: 20 kills, 20 intact"

``tests/test_kill.py`` uses the same functions (one kill of each kind in the default suite,
the full loop behind ``-m slow``).
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SOURCES = REPO / "tests" / "data" / "corpus_small"
TEMPLATES = (
    "svu/ward_cases.txt",
    "svu/courtroom_rain.txt",
    "classics/mill_days.txt",
    "classics/lamplighter.txt",
    "fr/village.txt",
)

# The child: run one update, printing each progress step so a parent can kill it mid-way.
CHILD = """
import sys
from pathlib import Path
from searchfic.engine.indexer import update_index

def progress(done, total):
    print(f"progress {done} {total}", flush=True)

s = update_index(Path(sys.argv[1]), Path(sys.argv[2]), rebuild=sys.argv[3] == "1",
                 progress=progress)
print("done", s.generation, flush=True)
"""


def make_corpus(dst: Path, n: int, seed: int = 0, repeat: int = 6) -> None:
    """Write ``n`` distinct stories: the fixture stories' headers over shuffled prose."""
    rng = random.Random(seed)
    dst.mkdir(parents=True, exist_ok=True)
    parts = []
    for rel in TEMPLATES:
        head, _, body = (SOURCES / rel).read_text(encoding="utf-8").partition("*****")
        head = "\n".join(
            line
            for line in head.strip().splitlines()
            if not line.startswith(("URL:", "UPDATED:"))  # no shared site keys: all distinct
        )
        parts.append((head, [p for p in body.split("\n\n") if p.strip()]))
    for i in range(n):
        head, paras = parts[i % len(parts)]
        body = [p for _ in range(repeat) for p in rng.sample(paras, len(paras))]
        head = head.replace("TITLE: ", f"TITLE: Number {i} of ", 1)
        text = f"{head}\n\n*****\n\nStory marker kl{i:05d}.\n\n" + "\n\n".join(body) + "\n"
        (dst / f"d{i % 7}").mkdir(exist_ok=True)
        (dst / f"d{i % 7}" / f"story_{i:05d}.txt").write_text(text, encoding="utf-8")


def mutate(corpus: Path, seed: int, n_new: int = 12) -> None:
    """Change a corpus the way an archivist's day does: new, edited, moved, deleted files."""
    rng = random.Random(seed)
    files = sorted(corpus.rglob("story_*.txt"))
    rng.shuffle(files)
    edit, delete, move = files[:6], files[6:9], files[9:12]
    for p in edit:
        p.write_text(p.read_text(encoding="utf-8") + "\nAn added closing line.\n", "utf-8")
        st = p.stat()
        os.utime(p, ns=(st.st_atime_ns, st.st_mtime_ns + 2_000_000_000))
    for p in delete:
        p.unlink()
    (corpus / "moved").mkdir(exist_ok=True)
    for p in move:
        p.rename(corpus / "moved" / p.name)
    fresh = corpus / "fresh"
    make_corpus(fresh, n_new, seed=seed + 1, repeat=2)
    for i, p in enumerate(sorted(fresh.rglob("*.txt"))):
        text = p.read_text(encoding="utf-8").replace("Story marker kl", f"Fresh marker f{i}x")
        p.write_text(text, encoding="utf-8")


def snapshot(gen: Path) -> dict[str, str]:
    """Hash every file of a generation folder."""
    return {
        p.name: hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(gen.iterdir())
        if p.is_file()
    }


def story_count(corpus: Path) -> int:
    return sum(1 for _ in corpus.rglob("*.txt"))


def start_writer(corpus: Path, index: Path, rebuild: bool) -> subprocess.Popen[str]:
    """Start ``update_index`` in a child process group (so kill -9 takes its workers too)."""
    return subprocess.Popen(
        [sys.executable, "-c", CHILD, str(corpus), str(index), "1" if rebuild else "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        start_new_session=True,
        cwd=str(REPO),
    )


def kill_group(proc: subprocess.Popen[str]) -> bool:
    """SIGKILL the writer's process group; return whether it was still running."""
    alive = proc.poll() is None
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    if proc.stdout is not None:
        proc.stdout.close()
    return alive


def kill_at_progress(proc: subprocess.Popen[str], fraction: float) -> bool:
    """Kill the writer once it reports ``fraction`` of its files parsed and written."""
    assert proc.stdout is not None
    for line in proc.stdout:
        parts = line.split()
        if (
            parts[:1] == ["progress"]
            and int(parts[2])
            and int(parts[1]) >= fraction * int(parts[2])
        ):
            return kill_group(proc)
        if parts[:1] == ["done"]:
            break
    return kill_group(proc)


def kill_after(proc: subprocess.Popen[str], seconds: float) -> bool:
    """Kill the writer after ``seconds``."""
    with contextlib.suppress(subprocess.TimeoutExpired):
        proc.wait(timeout=seconds)
    return kill_group(proc)


@dataclass(frozen=True)
class Before:
    generation: str | None
    files: dict[str, str]


def before_kill(index: Path) -> Before:
    from searchfic.engine import layout

    gen = layout.current_dir(index)
    return Before(gen.name if gen else None, snapshot(gen) if gen else {})


def verify(index: Path, corpus: Path, before: Before, counts: set[int]) -> str | None:
    """Check the index after a kill; return what is wrong, or None when intact."""
    from searchfic.engine import layout
    from searchfic.engine.indexer import update_index
    from searchfic.engine.inventory import check_index
    from searchfic.engine.search import run
    from searchfic.engine.store import open_index
    from searchfic.request import SearchRequest

    gdir = layout.generations_dir(index)
    if before.generation is not None:
        old = gdir / before.generation
        if not old.is_dir():
            return f"previous generation {before.generation} is gone"
        if snapshot(old) != before.files:
            return f"previous generation {before.generation} changed"
    current = layout.current_name(index)
    if current is None:
        if before.generation is not None:
            return "CURRENT lost"
    else:
        try:
            with open_index(index) as ix:
                total = run(ix, SearchRequest(q="", per_page=1)).total
                hits = run(ix, SearchRequest(q="the", per_page=1)).total
        except Exception as exc:  # the report names whatever broke
            return f"published generation does not answer: {type(exc).__name__}: {exc}"
        if total not in counts:
            return f"published generation holds {total} stories, expected one of {counts}"
        if hits == 0:
            return "a word search found nothing"
    try:
        update_index(corpus, index)
        report = check_index(corpus, index)
    except Exception as exc:
        return f"the next writer failed: {type(exc).__name__}: {exc}"
    if not report.in_step:
        return f"not in step after the next update: {report.to_dict()}"
    if len(layout.generation_names(index)) > 2:
        return f"leftover generations: {layout.generation_names(index)}"
    return None


@dataclass(frozen=True)
class Round:
    killed: bool
    problem: str | None


def rebuild_round(work: Path, corpus: Path, base: Path, delay: float | None) -> Round:
    """Kill a rebuild of an existing index (``delay`` None: at half progress)."""
    index = work / "index"
    shutil.rmtree(index, ignore_errors=True)
    shutil.copytree(base, index)
    before = before_kill(index)
    proc = start_writer(corpus, index, rebuild=True)
    killed = kill_at_progress(proc, 0.5) if delay is None else kill_after(proc, delay)
    n = story_count(corpus)
    return Round(killed, verify(index, corpus, before, {n}))


def incremental_round(
    work: Path, corpus_a: Path, base: Path, seed: int, delay: float | None
) -> Round:
    """Kill an incremental update after a day of corpus changes."""
    index = work / "index"
    corpus = work / "corpus_b"
    shutil.rmtree(index, ignore_errors=True)
    shutil.rmtree(corpus, ignore_errors=True)
    shutil.copytree(base, index)
    shutil.copytree(corpus_a, corpus)  # copy2 keeps mtimes: unchanged files stay unchanged
    mutate(corpus, seed)
    # the base index remembers corpus_a: point it at this copy
    _repoint(index, corpus_a, corpus)
    before = before_kill(index)
    proc = start_writer(corpus, index, rebuild=False)
    killed = kill_at_progress(proc, 0.5) if delay is None else kill_after(proc, delay)
    counts = {story_count(corpus_a), story_count(corpus)}
    return Round(killed, verify(index, corpus, before, counts))


def _repoint(index: Path, old: Path, new: Path) -> None:
    from searchfic.engine import layout

    for name in layout.generation_names(index):
        meta_path = layout.generations_dir(index) / name / layout.META
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        meta["corpus"] = str(new.resolve())
        meta_path.write_text(json.dumps(meta), encoding="utf-8")


def build_base(work: Path, n: int, repeat: int = 6, depth: int = 2) -> tuple[Path, Path]:
    """Make corpus A and an index of it (``depth`` generations deep, like a live index)."""
    from searchfic.engine.indexer import update_index

    corpus = work / "corpus_a"
    make_corpus(corpus, n, repeat=repeat)
    base = work / "base_index"
    update_index(corpus, base)
    for _ in range(depth - 1):
        update_index(corpus, base, rebuild=True)
    return corpus, base


def timed(corpus: Path, base: Path, work: Path, rebuild: bool, seed: int) -> float:
    """Return how long an unkilled writer of this kind takes (process start included)."""
    index = work / "timing"
    shutil.rmtree(index, ignore_errors=True)
    shutil.copytree(base, index)
    target = corpus
    if not rebuild:
        target = work / "timing_corpus"
        shutil.rmtree(target, ignore_errors=True)
        shutil.copytree(corpus, target)
        mutate(target, seed)
        _repoint(index, corpus, target)
    t = time.monotonic()
    proc = start_writer(target, index, rebuild)
    assert proc.stdout is not None
    proc.stdout.read()
    proc.wait()
    proc.stdout.close()
    return time.monotonic() - t


def loop(kills: int, stories: int, seed: int, out=print) -> dict[str, tuple[int, int]]:
    """Run ``kills`` rounds of each kind; return kind -> (kills that landed, intact)."""
    rng = random.Random(seed)
    results: dict[str, tuple[int, int]] = {}
    with tempfile.TemporaryDirectory(prefix="searchfic-kill-") as tmp:
        work = Path(tmp)
        corpus, base = build_base(work, stories)
        for kind in ("rebuild", "incremental"):
            duration = timed(corpus, base, work, kind == "rebuild", seed)
            landed = intact = 0
            problems: list[str] = []
            for i in range(kills):
                delay = rng.uniform(0.05, duration)
                if kind == "rebuild":
                    r = rebuild_round(work, corpus, base, delay)
                else:
                    r = incremental_round(work, corpus, base, seed + i, delay)
                landed += r.killed
                intact += r.problem is None
                if r.problem:
                    problems.append(f"  round {i} (kill at {delay:.2f}s): {r.problem}")
            results[kind] = (landed, intact)
            out(
                f"{kind}: {kills} kills, {intact} intact "
                f"({landed} landed before the writer finished; a run takes {duration:.2f}s)"
            )
            for p in problems:
                out(p)
    return results


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--kills", type=int, default=20, help="rounds per kind [20]")
    ap.add_argument("--stories", type=int, default=60, help="stories in the corpus [60]")
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    results = loop(args.kills, args.stories, args.seed)
    return 0 if all(k == i for k, i in ((args.kills, v[1]) for v in results.values())) else 1


if __name__ == "__main__":
    sys.exit(main())
