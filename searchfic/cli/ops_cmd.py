"""`searchfic stats` and `searchfic check`: what the index holds, and whether it is in step."""

from __future__ import annotations

import sys

import click

from searchfic.cli import main
from searchfic.cli.options import (
    corpus_option,
    index_dir_option,
    terminal_safe,
    write_json_line,
)
from searchfic.settings import corpus_dir
from searchfic.settings import index_dir as index_dir_fn


def _fail(command: str, exc: Exception) -> None:
    click.echo(f"searchfic {command}: error: {terminal_safe(exc)}", err=True)
    sys.exit(2)


def _size(n: int) -> str:
    size = float(n)
    for unit in ("B", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1024
    return f"{n} B"


def _files(n: int) -> str:
    return f"{n} file" if n == 1 else f"{n} files"


def _counts(d: dict[str, int]) -> str:
    return ", ".join(f"{k} {v}" for k, v in d.items()) or "-"


@main.command("stats")
@corpus_option
@index_dir_option
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
def stats_command(corpus: str | None, index_dir: str | None, as_json: bool) -> None:
    """Show what the index holds: stories, files, words, formats, languages, ratings,
    top fandoms and pairings, failed and skipped files, size and generation.

    Stories are counted once however many copies the corpus holds (`files` counts each).
    """
    from searchfic.engine.inventory import index_stats
    from searchfic.errors import SearchficError

    del corpus  # stats describe the index; --corpus is accepted for symmetry with `check`
    try:
        st = index_stats(index_dir_fn(index_dir))
    except SearchficError as exc:
        _fail("stats", exc)
        return
    if as_json:
        write_json_line(st.to_dict())
        return
    rows = [
        ("generation", f"{st.generation} (created {st.created}, schema {st.schema_version})"),
        ("corpus", st.corpus),
        ("stories", f"{st.stories:,}"),
        ("files", f"{st.files:,} ({st.duplicate_files:,} duplicate copies)"),
        ("words", f"{st.words:,}"),
        ("formats", _counts(st.formats)),
        ("languages", _counts(st.languages)),
        ("ratings", _counts(st.ratings)),
        ("top fandoms", "; ".join(f"{v} ({n})" for v, n in st.top_fandoms) or "-"),
        ("top pairings", "; ".join(f"{v} ({n})" for v, n in st.top_pairings) or "-"),
        ("failed files", str(len(st.failed))),
        ("skipped files", _counts(st.skipped)),
        ("aliases", str(st.aliases)),
        (
            "index size",
            f"{_size(st.index_bytes)} ({_size(st.disk_bytes)} on disk, "
            f"{len(st.generations)} generations)",
        ),
    ]
    width = max(len(k) for k, _ in rows)
    for key, value in rows:
        click.echo(f"{key:<{width}}  {terminal_safe(value)}")
    for f in st.failed:
        click.echo(f"  failed: {terminal_safe(f['source'])}: {terminal_safe(f['error'])}")


@main.command("check")
@corpus_option
@index_dir_option
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
def check_command(corpus: str | None, index_dir: str | None, as_json: bool) -> None:
    """Check the index against the corpus: files missing from the index, indexed files
    changed since (stale), indexed files gone from the corpus (orphaned).

    \b
    Exit status: 0 in step, 1 out of step (run `searchfic index`), 2 no index or corpus.
    """
    from searchfic.engine.inventory import check_index
    from searchfic.errors import SearchficError

    try:
        report = check_index(corpus_dir(corpus), index_dir_fn(index_dir))
    except SearchficError as exc:
        _fail("check", exc)
        return
    if as_json:
        write_json_line(report.to_dict())
    else:
        for label, items in (
            ("missing", report.missing),
            ("stale", report.stale),
            ("orphaned", report.orphaned),
            ("orphaned index entry", report.index_orphans),
            ("missing index entry", report.index_missing),
        ):
            for item in items:
                click.echo(f"{label}: {terminal_safe(item)}")
        if report.in_step:
            click.echo(
                f"in step: generation {report.generation} matches the corpus"
                + (f" ({_files(len(report.failed))} known not to parse)" if report.failed else "")
            )
        else:
            n = sum(len(x) for x in (report.missing, report.stale, report.orphaned))
            click.echo(
                f"out of step: {_files(n)} {'differs' if n == 1 else 'differ'} from generation "
                f"{report.generation}; "
                "run `searchfic index`"
            )
    if not report.in_step:
        sys.exit(1)
