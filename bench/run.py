"""Benchmark searchfic against Whoosh and SQLite FTS5, measured in one run on one corpus.

    python bench/run.py --stories 1000 --runs 3

Builds (or reuses) ``bench/corpus/<stories>/``, builds every engine's index in a child
process per run (time, MB/s, peak RSS, size on disk), then runs the same queries on every
engine, interleaved query by query, and prints a Markdown table (also written to
``bench/out/results.md``; raw numbers in ``bench/out/results.json``). docs/benchmark.md
explains each column.
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import json
import math
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))
sys.path.insert(0, str(BENCH.parent))

from corpus import DEFAULT_SEED, ELTEC, ensure_corpus, read_manifest  # noqa: E402
from engines import ENGINES, open_engine, searchfic_available  # noqa: E402
from queries import KINDS, QUOTE_KINDS, Query, build_queries  # noqa: E402

BASELINES = ("whoosh", "fts5")


# --------------------------------------------------------------------------- builds
@dataclass(frozen=True)
class BuildRun:
    """One index build of one engine, measured from the parent."""

    engine: str
    seconds: float
    docs: int
    input_mb: float
    peak_rss_mb: float  # the whole process tree, polled from /proc
    # VmHWM of the child's main process (its own high-water mark). Not ru_maxrss: on Linux
    # that keeps the parent's RSS from before exec, so it would report this harness's size.
    maxrss_mb: float
    index_mb: float
    cpu_seconds: float = 0.0  # user + system time of the child and the workers it reaped
    error: str = ""

    @property
    def mb_per_s(self) -> float:
        return self.input_mb / self.seconds if self.seconds else 0.0


def tree_rss_kb(pid: int) -> int:
    """Sum VmRSS over a process and all its descendants (0 when it is gone)."""
    total = 0
    stack = [pid]
    seen: set[int] = set()
    while stack:
        p = stack.pop()
        if p in seen:
            continue
        seen.add(p)
        try:
            with open(f"/proc/{p}/status", encoding="ascii", errors="replace") as f:
                for line in f:
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1])
                        break
            for tid in os.listdir(f"/proc/{p}/task"):
                with open(f"/proc/{p}/task/{tid}/children", encoding="ascii") as f:
                    stack.extend(int(c) for c in f.read().split())
        except (OSError, ValueError):
            continue
    return total


def dir_mb(path: Path) -> float:
    """Size on disk of every file under path (hard links counted once), in MB."""
    seen: set[tuple[int, int]] = set()
    total = 0
    for p in path.rglob("*"):
        try:
            st = p.lstat()
        except OSError:
            continue
        if p.is_file() and (st.st_dev, st.st_ino) not in seen:
            seen.add((st.st_dev, st.st_ino))
            total += st.st_size
    return total / 1e6


def build_in_child(engine: str, corpus: Path, index_dir: Path, input_mb: float) -> BuildRun:
    """Build one index in a child process; measure its time, memory and output size."""
    if index_dir.exists():
        shutil.rmtree(index_dir)
    cmd = [sys.executable, str(BENCH / "engines.py"), "build", engine, str(corpus), str(index_dir)]
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(BENCH.parent), str(BENCH)]))
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    peak = 0
    while True:
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            break
        peak = max(peak, tree_rss_kb(proc.pid))
        time.sleep(0.05)
    wall = time.perf_counter() - started
    proc.returncode = os.waitstatus_to_exitcode(status)
    out = proc.stdout.read().decode() if proc.stdout else ""
    err = proc.stderr.read().decode() if proc.stderr else ""
    cpu = usage.ru_utime + usage.ru_stime
    if proc.returncode != 0:
        last = (err.strip().splitlines() or [f"exit status {proc.returncode}"])[-1]
        return BuildRun(engine, wall, 0, input_mb, peak / 1024, 0.0, 0.0, cpu, error=last)
    info = json.loads(out.strip().splitlines()[-1])
    return BuildRun(
        engine,
        float(info["seconds"]),
        int(info["docs"]),
        input_mb,
        max(peak / 1024, info.get("hwm_kb", 0) / 1024),
        info.get("hwm_kb", 0) / 1024,
        dir_mb(index_dir),
        cpu,
    )


# --------------------------------------------------------------------------- queries
def call(engine: Any, query: Query) -> Any:
    """Run one query of its kind on one engine."""
    if query.kind in QUOTE_KINDS:
        return engine.quote(query.text)
    if query.kind in ("term", "and2"):
        return engine.terms(query.text)
    if query.kind == "pairing":
        return engine.pairing(query.pairing)
    if query.kind == "facets":
        return engine.facets(query.text)
    if query.kind == "snippets":
        return engine.snippets(query.text)
    raise ValueError(query.kind)


def percentile(values: Sequence[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100) of a non-empty sequence."""
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, math.ceil(q / 100 * len(ordered)) - 1))
    return ordered[k]


#: Untimed queries of each kind that warm an engine before a timed pass.
WARMUP = 20


def split_warmups(generated: Sequence[Query], per_kind: int) -> tuple[list[Query], list[Query]]:
    """Split generated queries into the timed ones (the first per_kind of each kind) and the
    warm-up ones (the rest), both in their interleaved order."""
    seen: dict[str, int] = defaultdict(int)
    timed: list[Query] = []
    warm: list[Query] = []
    for q in generated:
        seen[q.kind] += 1
        (timed if seen[q.kind] <= per_kind else warm).append(q)
    return timed, warm


def time_queries(
    open_engines: Callable[[], dict[str, Any]],
    queries: Sequence[Query],
    runs: int,
    warmups: Sequence[Query],
) -> tuple[
    dict[str, dict[str, list[dict[str, float]]]], dict[str, list[Any]], dict[str, dict[str, int]]
]:
    """Time every query on every engine, interleaved; return per-pass p50/p95, first answers.

    Every pass opens the engines afresh and warms them with ``warmups`` (queries of every
    kind that are not timed), so no timed query was seen before by the engine answering
    it: an engine that keeps per-index caches (searchfic's postings and records) is
    timed on new queries, as a reader's are, not on its second sight of the same ones.
    Engines take turns leading so that none always runs on a cache its peer warmed.
    """
    names: list[str] = []
    errors: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    passes: dict[str, dict[str, list[dict[str, float]]]] = defaultdict(lambda: defaultdict(list))
    answers: dict[str, list[Any]] = defaultdict(list)
    for r in range(runs):
        engines = open_engines()
        names = list(engines)
        for q in warmups:  # untimed: page caches, imports, per-generation tables
            for n in names:
                with contextlib.suppress(Exception):
                    call(engines[n], q)
        gc.collect()
        lat: dict[str, dict[str, list[float]]] = {n: defaultdict(list) for n in names}
        cpu: dict[str, dict[str, list[float]]] = {n: defaultdict(list) for n in names}
        for i, q in enumerate(queries):
            if len(queries) >= 100 and i and i % (len(queries) // 10) == 0:
                print(f"  pass {r + 1}/{runs}: {i}/{len(queries)} queries", file=sys.stderr)
            k = (i + r) % len(names)
            for n in names[k:] + names[:k]:
                c0 = time.thread_time()
                t0 = time.perf_counter()
                try:
                    res = call(engines[n], q)
                except Exception as exc:
                    res = exc
                dt = time.perf_counter() - t0
                dc = time.thread_time() - c0
                if isinstance(res, Exception):
                    if r == 0:
                        errors[n][q.kind] += 1
                else:
                    lat[n][q.kind].append(dt * 1000)
                    cpu[n][q.kind].append(dc * 1000)
                if r == 0:
                    answers[n].append(res)
        for n in names:
            for kind, values in lat[n].items():
                passes[n][kind].append(
                    {
                        "p50": percentile(values, 50),
                        "p95": percentile(values, 95),
                        "cpu_p50": percentile(cpu[n][kind], 50),
                        "cpu_p95": percentile(cpu[n][kind], 95),
                        "n": len(values),
                    }
                )
        for eng in engines.values():
            eng.close()
    return passes, answers, errors


def quality(engine: Any, queries: Sequence[Query], answers: Sequence[Any]) -> dict[str, float]:
    """Quote recall at rank 1 (and 10) per quote kind, pairing-filter recall and precision."""
    out: dict[str, float] = {}
    for kind in QUOTE_KINDS:
        pairs = [(q, a) for q, a in zip(queries, answers, strict=True) if q.kind == kind]
        if not pairs:
            continue
        top1 = sum(
            1 for q, a in pairs if not isinstance(a, Exception) and a.top[:1] and a.top[0] in q.gold
        )
        top10 = sum(
            1 for q, a in pairs if not isinstance(a, Exception) and set(a.top[:10]) & set(q.gold)
        )
        out[f"{kind}_top1"] = top1 / len(pairs)
        out[f"{kind}_top10"] = top10 / len(pairs)
    found = relevant = returned = 0
    for q in queries:
        if q.kind != "pairing":
            continue
        try:
            res = engine.pairing(q.pairing, limit=None)
        except Exception:
            continue
        got = set(res.top)
        found += len(got & set(q.gold))
        relevant += len(q.gold)
        returned += len(got)
    if relevant:
        out["pairing_recall"] = found / relevant
        out["pairing_precision"] = found / returned if returned else 0.0
    return out


# --------------------------------------------------------------------------- report
def fmt_ms(v: float | None) -> str:
    if v is None:
        return "–"
    return f"{v:.1f}" if v < 100 else f"{v:.0f}"


def fmt_pct(v: float | None) -> str:
    return "–" if v is None else f"{100 * v:.1f}%"


def ratio(a: float | None, b: float | None) -> str:
    if not a or not b:
        return "–"
    return f"{a / b:.2f}×"


def summarise(results: dict[str, Any]) -> str:
    """Render the results as Markdown tables."""
    lines: list[str] = []
    meta = results["meta"]
    lines.append(
        f"Corpus: {meta['stories']} stories, {meta['input_mb']:.1f} MB ({meta['corpus']}); "
        f"{meta['per_kind']} queries per kind; {meta['runs']} runs (medians); "
        f"Python {meta['python']}, {meta['cpus']} CPUs; searchfic at {meta.get('commit') or '?'}, "
        f"{meta['date']}."
    )
    lines.append("")
    lines.append(
        "| engine | build s | MB/s | CPU s | MB per CPU s | peak RSS MB | index MB | docs |"
    )
    lines.append("|---|---:|---:|---:|---:|---:|---:|---:|")
    for name in results["engines"]:
        b = results["build"].get(name)
        if b and b.get("skipped"):
            lines.append(f"| {name} | (not rebuilt) | | | | | {b['index_mb']:.1f} | |")
            continue
        if not b or b.get("error"):
            why = b["error"] if b else results["unavailable"].get(name, "not run")
            lines.append(f"| {name} | not available: {why} | | | | | | |")
            continue
        lines.append(
            f"| {name} | {b['seconds']:.1f} | {b['mb_per_s']:.2f} | {b['cpu_seconds']:.1f} | "
            f"{b['cpu_mb_per_s']:.2f} | {b['peak_rss_mb']:.0f} | "
            f"{b['index_mb']:.1f} | {b['docs']} |"
        )
    for name, why in results["unavailable"].items():
        if name not in results["latency"]:
            lines.append("")
            lines.append(f"{name}: not available for queries ({why}).")
    lines.append("")
    lines.append(
        "Latency, ms, p50 / p95 (each pass on freshly opened engines, warmed by other queries; median of the passes):"
    )
    lines.append("")
    lines.append("| engine | " + " | ".join(KINDS) + " |")
    lines.append("|---|" + "---:|" * len(KINDS))
    for name in results["engines"]:
        lat = results["latency"].get(name)
        if not lat:
            continue
        cells = [
            f"{fmt_ms(lat[k]['p50'])} / {fmt_ms(lat[k]['p95'])}" if k in lat else "–" for k in KINDS
        ]
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    lines.append("")
    lines.append("CPU time of the querying thread, ms, p50 / p95 (less sensitive to other load):")
    lines.append("")
    lines.append("| engine | " + " | ".join(KINDS) + " |")
    lines.append("|---|" + "---:|" * len(KINDS))
    for name in results["engines"]:
        lat = results["latency"].get(name)
        if not lat:
            continue
        cells = [
            f"{fmt_ms(lat[k]['cpu_p50'])} / {fmt_ms(lat[k]['cpu_p95'])}" if k in lat else "–"
            for k in KINDS
        ]
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    lines.append("")
    lines.append("Quality (quotes: the source story at rank 1, in the top 10; pairing filter):")
    lines.append("")
    cols = [
        ("quote_top1", "quote @1"),
        ("quote_retyped_top1", "retyped @1"),
        ("quote_noisy_top1", "noisy @1"),
        ("quote_noisy_top10", "noisy @10"),
        ("pairing_recall", "pairing recall"),
        ("pairing_precision", "pairing precision"),
    ]
    lines.append("| engine | " + " | ".join(c[1] for c in cols) + " | errors |")
    lines.append("|---|" + "---:|" * (len(cols) + 1))
    for name in results["engines"]:
        qual = results["quality"].get(name)
        if qual is None:
            continue
        errs = sum(results["errors"].get(name, {}).values())
        lines.append(
            f"| {name} | " + " | ".join(fmt_pct(qual.get(c[0])) for c in cols) + f" | {errs} |"
        )
    if "searchfic" in results["latency"]:
        lines.append("")
        lines.append(
            "searchfic against each baseline (>1× = searchfic higher: for MB/s better, "
            "for size and latency worse):"
        )
        lines.append("")
        lines.append(
            "| vs | build MB/s | build MB/CPU s | index size | peak RSS | "
            + " | ".join(f"{k} p50" for k in KINDS)
            + " |"
        )
        lines.append("|---|---:|---:|---:|---:|" + "---:|" * len(KINDS))
        sf_b = results["build"].get("searchfic") or {}
        sf_l = results["latency"]["searchfic"]
        for base in BASELINES:
            if base not in results["latency"]:
                continue
            bb = results["build"].get(base) or {}
            bl = results["latency"][base]
            cells = [
                ratio(sf_b.get("mb_per_s"), bb.get("mb_per_s")),
                ratio(sf_b.get("cpu_mb_per_s"), bb.get("cpu_mb_per_s")),
                ratio(sf_b.get("index_mb"), bb.get("index_mb")),
                ratio(sf_b.get("peak_rss_mb"), bb.get("peak_rss_mb")),
            ] + [ratio(sf_l.get(k, {}).get("p50"), bl.get(k, {}).get("p50")) for k in KINDS]
            lines.append(f"| {base} | " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def git_commit() -> str:
    """The commit the searchfic numbers belong to ("" outside a git checkout)."""
    try:
        out = subprocess.run(
            ["git", "-C", str(BENCH.parent), "rev-parse", "--short", "HEAD"],
            capture_output=True,
            text=True,
            timeout=10,
        )
    except (OSError, subprocess.SubprocessError):
        return ""
    return out.stdout.strip()


def median_build(runs: Sequence[BuildRun]) -> dict[str, Any]:
    good = [r for r in runs if not r.error]
    if not good:
        return {"error": runs[-1].error if runs else "not run"}
    return {
        "seconds": statistics.median(r.seconds for r in good),
        "mb_per_s": statistics.median(r.mb_per_s for r in good),
        "peak_rss_mb": statistics.median(r.peak_rss_mb for r in good),
        "maxrss_mb": statistics.median(r.maxrss_mb for r in good),
        "index_mb": statistics.median(r.index_mb for r in good),
        "cpu_seconds": statistics.median(r.cpu_seconds for r in good),
        "cpu_mb_per_s": statistics.median(
            r.input_mb / r.cpu_seconds for r in good if r.cpu_seconds
        ),
        "docs": good[-1].docs,
        "runs": [asdict(r) for r in runs],
    }


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="Benchmark searchfic against Whoosh and SQLite FTS5.")
    ap.add_argument("--stories", type=int, default=1000, help="corpus size (default 1000)")
    ap.add_argument("--runs", type=int, default=3, help="repetitions; medians are reported")
    ap.add_argument(
        "--build-runs", type=int, default=None, help="index builds per engine (default: --runs)"
    )
    ap.add_argument("--per-kind", type=int, default=200, help="queries per kind (default 200)")
    ap.add_argument(
        "--engines",
        default=",".join(ENGINES),
        help="comma-separated subset of " + ",".join(ENGINES),
    )
    ap.add_argument("--seed", type=int, default=DEFAULT_SEED, help="corpus seed")
    ap.add_argument("--out", type=Path, default=BENCH / "out", help="results folder")
    ap.add_argument("--skip-build", action="store_true", help="reuse the indexes of the last run")
    ap.add_argument(
        "--reuse",
        default="",
        help="comma-separated engines whose index of the last run is reused (not rebuilt)",
    )
    args = ap.parse_args(argv)

    if not ELTEC.exists():
        print(f"error: the ELTeC novels are not at {ELTEC}", file=sys.stderr)
        return 2
    engines = [e.strip() for e in args.engines.split(",") if e.strip()]
    unknown = [e for e in engines if e not in ENGINES]
    if unknown:
        print(
            f"error: --engines: unknown {', '.join(unknown)}; choose from {', '.join(ENGINES)}",
            file=sys.stderr,
        )
        return 2
    unavailable: dict[str, str] = {}
    if "searchfic" in engines and (why := searchfic_available()):
        unavailable["searchfic"] = why
        print(f"searchfic: not available ({why})", file=sys.stderr)

    t = time.perf_counter()
    corpus = ensure_corpus(args.stories, BENCH / "corpus", args.seed)
    plans = read_manifest(BENCH / "corpus" / f"{args.stories}.jsonl")
    input_mb = dir_mb(corpus)
    print(
        f"corpus: {len(plans)} stories, {input_mb:.1f} MB ({time.perf_counter() - t:.0f} s)",
        file=sys.stderr,
    )
    # WARMUP more queries of every kind than are timed: they warm each pass's engines and
    # are never timed themselves (the first per_kind of each kind are the same either way).
    generated = build_queries(plans, args.per_kind + WARMUP)
    queries, warmups = split_warmups(generated, args.per_kind)
    print(f"queries: {len(queries)}", file=sys.stderr)

    index_root = args.out / "indexes" / str(args.stories)
    builds: dict[str, list[BuildRun]] = defaultdict(list)
    runnable = [e for e in engines if e not in unavailable]
    reused = set(runnable) if args.skip_build else {e.strip() for e in args.reuse.split(",")}
    to_build = [e for e in runnable if e not in reused]
    build_runs = args.build_runs or args.runs
    if to_build:
        for r in range(build_runs):
            order = to_build[r % len(to_build) :] + to_build[: r % len(to_build)]
            for name in order:
                b = build_in_child(name, corpus, index_root / name, input_mb)
                builds[name].append(b)
                state = (
                    f"error: {b.error}" if b.error else f"{b.seconds:.1f} s, {b.mb_per_s:.2f} MB/s"
                )
                print(f"build {r + 1}/{build_runs} {name}: {state}", file=sys.stderr)
    opened: dict[str, Any] = {}
    for name in runnable:
        if builds[name] and all(b.error for b in builds[name]):
            unavailable[name] = builds[name][-1].error
            continue
        try:
            opened[name] = open_engine(name, index_root / name)
        except Exception as exc:
            unavailable[name] = f"{type(exc).__name__}: {exc}"
            print(f"{name}: cannot open its index: {unavailable[name]}", file=sys.stderr)
    for eng in opened.values():  # opened once to see which can be; each pass reopens them
        eng.close()

    def open_all() -> dict[str, Any]:
        return {name: open_engine(name, index_root / name) for name in opened}

    print(
        f"timing {len(queries)} queries x {len(opened)} engines x {args.runs} runs", file=sys.stderr
    )
    passes, answers, errors = time_queries(open_all, queries, args.runs, warmups)
    opened = open_all()  # for the quality figures

    latency = {
        n: {
            k: {
                "p50": statistics.median(p["p50"] for p in v),
                "p95": statistics.median(p["p95"] for p in v),
                "cpu_p50": statistics.median(p["cpu_p50"] for p in v),
                "cpu_p95": statistics.median(p["cpu_p95"] for p in v),
                "passes": v,
            }
            for k, v in passes[n].items()
        }
        for n in opened
    }
    results = {
        "meta": {
            "stories": len(plans),
            "input_mb": input_mb,
            "corpus": str(corpus.relative_to(BENCH.parent))
            if corpus.is_relative_to(BENCH.parent)
            else str(corpus),
            "per_kind": args.per_kind,
            "runs": args.runs,
            "build_runs": build_runs,
            "python": platform.python_version(),
            "cpus": os.cpu_count(),
            "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
            "commit": git_commit(),
        },
        "engines": engines,
        "unavailable": unavailable,
        "build": {
            n: median_build(builds[n])
            if builds.get(n)
            else {"index_mb": dir_mb(index_root / n), "skipped": True}
            for n in engines
            if builds.get(n) or n in opened
        },
        "latency": latency,
        "quality": {n: quality(opened[n], queries, answers[n]) for n in opened},
        "errors": {n: dict(errors[n]) for n in opened},
    }
    for eng in opened.values():
        eng.close()
    table = summarise(results)
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "results.md").write_text(table, encoding="utf-8")
    (args.out / "results.json").write_text(
        json.dumps(results, indent=2, default=str), encoding="utf-8"
    )
    print(table)
    return 0


if __name__ == "__main__":
    sys.exit(main())
