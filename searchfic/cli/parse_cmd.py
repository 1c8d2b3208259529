"""`searchfic parse`: print story records as JSON Lines."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from searchfic.cli import main
from searchfic.cli.options import corpus_option, terminal_safe, write_json_line
from searchfic.errors import ParseError
from searchfic.settings import corpus_dir


@main.command("parse")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=str))
@click.option("--body", is_flag=True, help="Include the story text in each record.")
@corpus_option
def parse_command(files: tuple[str, ...], body: bool, corpus: str | None) -> None:
    """Parse story FILES and print one JSON record per line.

    A file that cannot be parsed is reported on stderr (its path and why) and skipped;
    the exit status is then 1.
    """
    from searchfic.ingest import parse_file

    root = corpus_dir(corpus)
    failed = 0
    for name in files:
        try:
            story = parse_file(Path(name), corpus=root)
        except ParseError as exc:
            failed += 1
            click.echo(
                f"searchfic parse: {terminal_safe(exc.path)}: {terminal_safe(exc.reason)}",
                err=True,
            )
            continue
        write_json_line(story.to_record(body=body))
    sys.stdout.flush()
    if failed:
        sys.exit(1)
