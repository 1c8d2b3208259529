"""`searchfic serve`: the web pages and the JSON API on waitress."""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import NoReturn

import click

from searchfic.cli import main
from searchfic.cli.options import corpus_option, index_dir_option, terminal_safe
from searchfic.settings import corpus_dir, resolve
from searchfic.settings import index_dir as index_dir_fn


class _Progress:
    """Report indexing progress on stderr: a line every tenth of the way (and at the end)."""

    def __init__(self) -> None:
        self._next = 0.0
        self._started = time.monotonic()

    def __call__(self, done: int, total: int) -> None:
        if total <= 0:
            return
        share = done / total
        if share >= self._next or done == total:
            elapsed = time.monotonic() - self._started
            click.echo(
                f"searchfic serve: indexing {done}/{total} files ({share:.0%}, {elapsed:.0f}s)",
                err=True,
            )
            self._next = share + 0.1


def _built_schema(target: Path) -> object:
    """Return the schema version the published index in ``target`` says it was built with."""
    from searchfic.engine import layout

    cur = layout.current_dir(target)
    meta = layout.read_json(cur / layout.META) if cur is not None else None
    return (meta or {}).get("schema_version")


def _fail(message: str) -> NoReturn:
    click.echo(f"searchfic serve: error: {terminal_safe(message)}", err=True)
    sys.exit(2)


@main.command("serve")
@click.option(
    "--host",
    default=None,
    envvar="SEARCHFIC_HOST",
    show_envvar=True,
    help="Address to listen on [default: 127.0.0.1].",
)
@click.option(
    "--port",
    type=click.IntRange(0, 65535),
    default=None,
    envvar="SEARCHFIC_PORT",
    show_envvar=True,
    help="Port to listen on; 0 picks a free one [default: 5000].",
)
@corpus_option
@index_dir_option
@click.option(
    "--threads",
    type=click.IntRange(1, 64),
    default=4,
    show_default=True,
    help="Requests served at the same time.",
)
@click.option(
    "--cache-size",
    type=click.IntRange(0, 100_000),
    default=256,
    show_default=True,
    help="Search answers kept in memory per index generation (0: none).",
)
def serve_command(
    host: str | None,
    port: int | None,
    corpus: str | None,
    index_dir: str | None,
    threads: int,
    cache_size: int,
) -> None:
    """Serve the web pages and the JSON API (/api/v1) of the index.

    If there is no index yet, it is built from the corpus first (progress on stderr);
    an index built by a searchfic of another schema version is rebuilt from the corpus.
    The index can be updated with `searchfic index` while this runs: the server switches
    to the new generation at the next request. Stop with Ctrl+C.

    \b
    Exit status: 2 when the server cannot start (port in use, no index and no corpus).
    """
    from searchfic.engine import layout
    from searchfic.engine.schema import SCHEMA_VERSION
    from searchfic.errors import SearchficError

    host = host or resolve("host")
    port = int(resolve("port")) if port is None else port
    root = corpus_dir(corpus)
    target = index_dir_fn(index_dir)

    rebuild = False
    if layout.current_name(target) is None:
        if not root.is_dir():
            _fail(
                f"there is no index in {target}/ and no corpus folder {root}/ to build one "
                "from; give one with --corpus DIR"
            )
        build_why = f"no index in {target}/ yet; building it from {root}/"
    elif (built := _built_schema(target)) != SCHEMA_VERSION and root.is_dir():
        # An index of another searchfic cannot be served; its corpus is at hand, so the
        # server rebuilds it (`searchfic index` would refuse and name --rebuild instead).
        rebuild = True
        build_why = (
            f"the index in {target}/ was built with schema {built}, this searchfic uses "
            f"schema {SCHEMA_VERSION}; rebuilding it from {root}/"
        )
    else:
        build_why = ""
    if build_why:
        click.echo(f"searchfic serve: {build_why}", err=True)
        from searchfic.engine.indexer import update_index

        try:
            summary = update_index(root, target, rebuild=rebuild, progress=_Progress())
        except SearchficError as exc:
            _fail(str(exc))
        for failure in summary.failed:
            click.echo(
                f"searchfic serve: {terminal_safe(failure.source)}: {terminal_safe(failure.error)}",
                err=True,
            )
        click.echo(
            f"searchfic serve: indexed {summary.stories} stories from {summary.added} files"
            + (f" ({len(summary.failed)} files failed)" if summary.failed else ""),
            err=True,
        )

    from searchfic.engine.store import open_index

    try:
        open_index(target).close()  # fail now, in one line, rather than on every request
    except SearchficError as exc:
        _fail(str(exc))

    import logging

    from waitress import create_server

    from searchfic.webapp import create_app

    # waitress warns "Task queue depth is N" whenever a request waits for a free thread:
    # ordinary under load, and noise on the terminal of whoever runs the server.
    logging.getLogger("waitress.queue").setLevel(logging.ERROR)

    app = create_app(
        {"INDEX_DIR": str(target), "CORPUS": str(root), "RESPONSE_CACHE_SIZE": cache_size}
    )
    try:
        server = create_server(app, host=host, port=port, threads=threads, ident="searchfic")
    except OSError as exc:
        reason = exc.strerror or str(exc)
        hint = "; choose another with --port" if exc.errno in (98, 48, 10048) else ""
        _fail(f"cannot listen on {host}:{port}: {reason}{hint}")
    shown_host = f"[{host}]" if ":" in host else host
    url = f"http://{shown_host}:{server.effective_port}/"
    click.echo(f"searchfic: serving {url} (index {target}/; Ctrl+C stops)")
    sys.stdout.flush()
    try:
        server.run()
    except KeyboardInterrupt:
        pass
    finally:
        server.close()
