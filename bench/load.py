"""Load test: /api/v1/search under concurrent clients while the index is being updated.

    python bench/load.py                       # bench corpus of 300 stories, 8 clients
    python bench/load.py --corpus data --clients 16 --requests 5000 --seconds 60 --rebuild

Copies the corpus to a temporary folder, starts ``searchfic serve`` on a free loopback port
(which builds the index), then drives ``/api/v1/search`` from N keep-alive clients with a
mix of word, phrase, filtered, faceted, sorted and paged searches. Once a quarter of the
requests are done it changes the corpus (adds, edits and deletes files) and runs
``searchfic index`` in another process while the clients keep going. It stops at the
request or time bound, whichever comes first, checks the server switched to the new
generation, and prints requests/s, latency percentiles and errors, overall and during the
update. Loopback only: nothing leaves the machine.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit

BENCH = Path(__file__).resolve().parent
HOST = "127.0.0.1"
WORD = re.compile(r"[A-Za-z]{5,12}")


@dataclass
class Sample:
    started: float
    seconds: float
    status: int  # 0 for a connection error
    during_update: bool


@dataclass
class Run:
    samples: list[Sample] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    update_window: list[float] = field(default_factory=list)  # [start, end]

    def updating(self, t: float) -> bool:
        w = self.update_window
        return len(w) == 1 or (len(w) == 2 and w[0] <= t <= w[1])


def percentile(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    k = min(len(ordered) - 1, max(0, round(p / 100 * (len(ordered) - 1))))
    return ordered[k]


def start_server(corpus: Path, index: Path, cache_size: int) -> tuple[subprocess.Popen[str], str]:
    cmd = [
        sys.executable,
        "-m",
        "searchfic",
        "serve",
        "--host",
        HOST,
        "--port",
        "0",
        "--corpus",
        str(corpus),
        "--index-dir",
        str(index),
        "--threads",
        "8",
    ]
    proc = subprocess.Popen(
        cmd,
        stdout=subprocess.PIPE,
        stderr=sys.stderr,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    assert proc.stdout is not None
    line = proc.stdout.readline()
    if "serving http://" not in line:
        proc.kill()
        raise SystemExit(f"load: the server did not start: {line.strip()!r}")
    return proc, line.split("serving ", 1)[1].split()[0]


def get_json(port: int, path: str) -> tuple[int, Any]:
    conn = http.client.HTTPConnection(HOST, port, timeout=60)
    try:
        conn.request("GET", path)
        resp = conn.getresponse()
        return resp.status, json.loads(resp.read() or b"null")
    finally:
        conn.close()


def build_queries(port: int, corpus: Path, rng: random.Random, n: int = 400) -> list[str]:
    """Return a mix of search URLs built from the corpus's own words and facet values."""
    _, first = get_json(port, "/api/v1/search?per_page=1")
    facets = {name: [v["value"] for v in values] for name, values in first["facets"].items()}
    words: list[str] = []
    phrases: list[str] = []
    files = sorted(p for p in corpus.rglob("*") if p.is_file())
    for path in rng.sample(files, min(40, len(files))):
        text = path.read_text(encoding="utf-8", errors="replace")
        found = WORD.findall(text)
        words += rng.sample(found, min(10, len(found)))
        tokens = text.split()
        if len(tokens) > 50:
            i = rng.randrange(len(tokens) // 3, len(tokens) - 6)
            phrases.append(" ".join(re.sub(r"[^\w']", "", t) for t in tokens[i : i + 4]))
    words = words or ["lamp"]
    phrases = phrases or ["the lamp"]
    out = []
    for _ in range(n):
        params: dict[str, Any] = {}
        kind = rng.random()
        if kind < 0.35:
            params["q"] = " ".join(rng.sample(words, rng.choice((1, 1, 2))))
        elif kind < 0.55:
            params["q"] = f'"{rng.choice(phrases)}"'
        elif kind < 0.75:
            name = rng.choice([k for k, v in facets.items() if v] or ["fandom"])
            if facets.get(name):
                params[name] = rng.choice(facets[name])
            if rng.random() < 0.5:
                params["q"] = rng.choice(words)
        else:
            params["sort"] = rng.choice(("updated", "words", "title", "published"))
            if facets.get("fandom") and rng.random() < 0.5:
                params["exclude_fandom"] = rng.choice(facets["fandom"])
        if rng.random() < 0.2:
            params["page"] = rng.randint(2, 4)
        out.append("/api/v1/search?" + urlencode(params))
    return out


def client(port: int, queries: list[str], run: Run, budget: dict[str, Any], seed: int) -> None:
    rng = random.Random(seed)
    conn = http.client.HTTPConnection(HOST, port, timeout=60)
    while True:
        with run.lock:
            if budget["left"] <= 0 or time.monotonic() > budget["deadline"]:
                break
            budget["left"] -= 1
        path = rng.choice(queries)
        t0 = time.monotonic()
        try:
            conn.request("GET", path)
            resp = conn.getresponse()
            resp.read()
            status = resp.status
        except (OSError, http.client.HTTPException) as exc:
            status = 0
            conn.close()
            conn = http.client.HTTPConnection(HOST, port, timeout=60)
            with run.lock:
                run.errors.append(f"{path}: {type(exc).__name__}: {exc}")
        t1 = time.monotonic()
        with run.lock:
            run.samples.append(Sample(t0, t1 - t0, status, run.updating(t0)))
            if status not in (0, 200):
                run.errors.append(f"{path}: HTTP {status}")
    conn.close()


def change_corpus(corpus: Path, rng: random.Random) -> str:
    """Add, edit and delete a few files; return a word only the added story holds."""
    files = sorted(p for p in corpus.rglob("*.txt"))
    for path in rng.sample(files, min(3, len(files))):
        path.write_text(
            path.read_text(encoding="utf-8") + "\n\nAn added last line.\n", encoding="utf-8"
        )
    for path in rng.sample(files, min(2, len(files)))[:1]:
        path.unlink(missing_ok=True)
    marker = "zanzibarquokka"
    (corpus / "load-added.txt").write_text(
        f"TITLE: Load Test Arrival\nAUTHOR: Bench\nFANDOM: Bench\nRATING: G\n*****\n\n"
        f"The {marker} arrived while the index was being rebuilt.\n",
        encoding="utf-8",
    )
    return marker


def updater(
    corpus: Path, index: Path, run: Run, rebuild: bool, rng: random.Random, result: dict[str, Any]
) -> None:
    result["marker"] = change_corpus(corpus, rng)
    cmd = [
        sys.executable,
        "-m",
        "searchfic",
        "index",
        "--json",
        "--corpus",
        str(corpus),
        "--index-dir",
        str(index),
    ] + (["--rebuild"] if rebuild else [])
    with run.lock:
        run.update_window.append(time.monotonic())
    done = subprocess.run(cmd, capture_output=True, text=True)
    with run.lock:
        run.update_window.append(time.monotonic())
    result["returncode"] = done.returncode
    result["summary"] = done.stdout.strip().splitlines()[-1] if done.stdout.strip() else ""
    result["seconds"] = run.update_window[1] - run.update_window[0]


def report(
    run: Run, wall: float, update: dict[str, Any], found_after: int | None
) -> dict[str, Any]:
    def stats(samples: list[Sample]) -> dict[str, Any]:
        ok = [s.seconds * 1000 for s in samples if s.status == 200]
        return {
            "requests": len(samples),
            "errors": sum(1 for s in samples if s.status != 200),
            "p50_ms": round(percentile(ok, 50), 1),
            "p95_ms": round(percentile(ok, 95), 1),
            "p99_ms": round(percentile(ok, 99), 1),
            "mean_ms": round(statistics.fmean(ok), 1) if ok else None,
        }

    overall = stats(run.samples)
    overall["requests_per_second"] = round(len(run.samples) / wall, 1) if wall else None
    during = [s for s in run.samples if s.during_update]
    out = {
        "overall": overall,
        "during_update": stats(during),
        "outside_update": stats([s for s in run.samples if not s.during_update]),
        "update": {k: v for k, v in update.items() if k != "marker"},
        "new_story_found_after_update": found_after,
        "first_errors": run.errors[:10],
    }
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--corpus", type=Path, help="corpus to copy (default: the bench corpus)")
    ap.add_argument("--stories", type=int, default=300, help="bench corpus size if no --corpus")
    ap.add_argument("--clients", type=int, default=8)
    ap.add_argument("--requests", type=int, default=3000, help="stop after this many")
    ap.add_argument("--seconds", type=float, default=60, help="stop after this long")
    ap.add_argument("--rebuild", action="store_true", help="rebuild instead of an update")
    ap.add_argument("--seed", type=int, default=5)
    ap.add_argument(
        "--cache-size",
        type=int,
        default=0,
        help="the server's answer cache (default 0: every request runs a search)",
    )
    ap.add_argument("--json", action="store_true", help="print the report as JSON")
    args = ap.parse_args(argv)
    if args.clients < 1 or args.requests < 1 or args.seconds <= 0:
        ap.error("--clients, --requests and --seconds must be positive")

    if args.corpus is None:
        sys.path.insert(0, str(BENCH))
        from corpus import ensure_corpus  # type: ignore[import-not-found]

        source = ensure_corpus(args.stories)
    else:
        source = args.corpus
    if not source.is_dir():
        print(f"load: {source}: no such corpus folder", file=sys.stderr)
        return 2

    # Turn a kill into an exit, so the server and the temporary copy are cleaned up.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    rng = random.Random(args.seed)
    with tempfile.TemporaryDirectory(prefix="searchfic-load-") as tmp:
        corpus, index = Path(tmp) / "corpus", Path(tmp) / "index"
        shutil.copytree(source, corpus)
        t0 = time.monotonic()
        proc, url = start_server(corpus, index, args.cache_size)
        port = urlsplit(url).port or 80
        print(
            f"load: {url} ready in {time.monotonic() - t0:.1f}s (index built from "
            f"{sum(1 for _ in corpus.rglob('*') if _.is_file())} files)",
            file=sys.stderr,
        )
        try:
            queries = build_queries(port, corpus, rng)
            run = Run()
            budget = {"left": args.requests, "deadline": time.monotonic() + args.seconds}
            update: dict[str, Any] = {}
            threads = [
                threading.Thread(target=client, args=(port, queries, run, budget, i))
                for i in range(args.clients)
            ]
            started = time.monotonic()
            for t in threads:
                t.start()
            upd = threading.Thread(
                target=lambda: (
                    _wait_for(
                        lambda: (
                            len(run.samples) >= args.requests // 4
                            or time.monotonic() - started > args.seconds / 4
                        )
                    ),
                    updater(corpus, index, run, args.rebuild, rng, update),
                )
            )
            upd.start()
            for t in threads:
                t.join()
            wall = time.monotonic() - started
            upd.join()
            _, after = get_json(port, "/api/v1/search?" + urlencode({"q": update["marker"]}))
            found = after["total"] if isinstance(after, dict) else None
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
    result = report(run, wall, update, found)
    result["config"] = {
        "clients": args.clients,
        "requests": args.requests,
        "seconds": args.seconds,
        "rebuild": args.rebuild,
        "corpus": str(source),
        "cache_size": args.cache_size,
    }
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        _print(result)
    bad = result["overall"]["errors"] or update.get("returncode") or found != 1
    return 1 if bad else 0


def _wait_for(condition: Any) -> None:
    while not condition():
        time.sleep(0.05)


def _print(r: dict[str, Any]) -> None:
    o = r["overall"]
    print(
        f"{o['requests']} requests, {o['requests_per_second']} req/s, {o['errors']} errors "
        f"(server answer cache: {r['config']['cache_size']})"
    )
    print("| phase | requests | errors | p50 ms | p95 ms | p99 ms |")
    print("|---|---:|---:|---:|---:|---:|")
    for name in ("overall", "outside_update", "during_update"):
        s = r[name]
        print(
            f"| {name.replace('_', ' ')} | {s['requests']} | {s['errors']} | {s['p50_ms']} "
            f"| {s['p95_ms']} | {s['p99_ms']} |"
        )
    u = r["update"]
    print(
        f"update: {'rebuild' if r['config']['rebuild'] else 'incremental'} took "
        f"{u.get('seconds', float('nan')):.1f}s, exit {u.get('returncode')}; {u.get('summary')}"
    )
    print(f"new story found after the update: {r['new_story_found_after_update']}")
    for e in r["first_errors"]:
        print(f"error: {e}")


if __name__ == "__main__":
    sys.exit(main())
