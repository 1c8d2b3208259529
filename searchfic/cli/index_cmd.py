"""`searchfic index`: bring the index up to date with the corpus (or rebuild it)."""

from __future__ import annotations

import sys
from typing import Any

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


class _Bar:
    """A progress bar on stderr, shown only when stderr is a terminal."""

    def __init__(self) -> None:
        self.enabled = sys.stderr.isatty()
        self._bar: Any = None
        self._done = 0

    def __call__(self, done: int, total: int) -> None:
        if not self.enabled or total == 0:
            return
        if self._bar is None:
            self._bar = click.progressbar(length=total, label="parsing", file=sys.stderr)
            self._bar.__enter__()
        self._bar.update(done - self._done)
        self._done = done

    def close(self) -> None:
        if self._bar is not None:
            self._bar.__exit__(None, None, None)
            self._bar = None


@main.command("index")
@corpus_option
@index_dir_option
@click.option("--rebuild", is_flag=True, help="Build the whole index anew from the corpus.")
@click.option("--json", "as_json", is_flag=True, help="End stdout with a JSON summary line.")
def index_command(corpus: str | None, index_dir: str | None, rebuild: bool, as_json: bool) -> None:
    """Bring the index up to date with the corpus: new, changed, moved and deleted files.

    Only what changed is parsed again; the published index is never modified in place (a
    new generation is built beside it and switched in atomically), so searches keep
    working during an update and a crash loses nothing. A file that cannot be parsed is
    reported on stderr and skipped. The alias file (searchfic-aliases.toml in the corpus,
    or SEARCHFIC_ALIASES) is applied to fandoms, pairings, characters, tags and authors;
    when it changes, the whole index is normalised again. Its format is TOML: tables
    fandom, pairing, character, tag, author; each key the canonical spelling, each value
    its variants. Matching ignores case, accents and the order of a pairing's members.

    \b
      [fandom]
      "Law & Order: SVU" = ["Law and Order SVU", "SVU"]
      [pairing]
      "Alex Cabot/Olivia Benson" = ["Cabenson", "Benson/Cabot"]
      [character]
      "Olivia Benson" = ["Liv"]

    \b
    Exit status: 0 clean, 1 when some files failed, 2 when the index could not be
    updated at all (no corpus folder, another writer at work, bad alias file).
    """
    from searchfic.engine.indexer import update_index
    from searchfic.errors import SearchficError

    root = corpus_dir(corpus)
    target = index_dir_fn(index_dir)
    bar = _Bar()
    try:
        summary = update_index(root, target, rebuild=rebuild, progress=bar)
    except SearchficError as exc:
        bar.close()
        click.echo(f"searchfic index: error: {terminal_safe(exc)}", err=True)
        sys.exit(2)
    finally:
        bar.close()
    for f in summary.failed:
        click.echo(
            f"searchfic index: {terminal_safe(f.source)}: {terminal_safe(f.error)}", err=True
        )
    if as_json:
        write_json_line(summary.to_dict())
    else:
        click.echo(
            f"{'rebuilt' if summary.rebuilt else 'updated'} {target} from {root} "
            f"(generation {summary.generation}): {summary.added} added, "
            f"{summary.updated} updated, {summary.removed} removed, "
            f"{summary.unchanged} unchanged, {len(summary.failed)} failed; "
            f"{summary.stories} stories in {summary.seconds:.1f}s"
        )
    sys.stdout.flush()
    if summary.failed:
        sys.exit(1)
