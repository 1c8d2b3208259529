"""The `searchfic` command line: thin commands over the library.

Each command lives in its own module and registers itself on the ``main`` group.
Errors reach the user as one line on stderr naming the file or parameter; never a traceback.
"""

from __future__ import annotations

import sys

import click

from searchfic import __version__


class _Group(click.Group):
    """A group that turns unexpected errors into one clear line instead of a traceback."""

    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except (click.exceptions.Exit, click.exceptions.Abort, click.ClickException):
            raise
        except KeyboardInterrupt:
            click.echo("searchfic: interrupted", err=True)
            sys.exit(130)
        except BrokenPipeError:
            sys.exit(0)
        except Exception as exc:  # the last line of defence: report, don't dump a traceback
            from searchfic.errors import SearchficError

            if isinstance(exc, SearchficError):
                click.echo(f"searchfic: error: {exc}", err=True)
                sys.exit(2)
            click.echo(f"searchfic: internal error: {type(exc).__name__}: {exc}", err=True)
            sys.exit(2)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="searchfic")
def main() -> None:
    """Search fan fiction collections: quotes, pairings, fandoms, facets.

    \b
    Quick start:
      searchfic index            build or refresh the index of data/ in index/
      searchfic search "I trust my heart"
      searchfic serve            web pages and JSON API on http://127.0.0.1:5000
    """


def _register() -> None:
    from searchfic.cli import parse_cmd  # noqa: F401

    for name in ("index_cmd", "search_cmd", "serve_cmd", "ops_cmd"):
        try:
            __import__(f"searchfic.cli.{name}")
        except ModuleNotFoundError as exc:
            if exc.name != f"searchfic.cli.{name}":
                raise


_register()
