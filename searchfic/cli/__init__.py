"""The `searchfic` command line: thin commands over the library.

Each command lives in its own module and registers itself on the ``main`` group.
Errors reach the user as one line on stderr naming the file or parameter; never a traceback.
"""

from __future__ import annotations

import sys

import click

from searchfic import __version__

# click >= 8.2 signals "no arguments, show the help" with a UsageError subclass.
# (click 8.1 has none and shows the help itself; the empty tuple then catches nothing.)
_NoArgsIsHelp: tuple[type[Exception], ...] = tuple(
    c for c in (getattr(click.exceptions, "NoArgsIsHelpError", None),) if c is not None
)


class _Group(click.Group):
    """A group that turns unexpected errors into one clear line instead of a traceback."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        try:
            return super().parse_args(ctx, args)
        except _NoArgsIsHelp:
            raise  # bare `searchfic`: click shows the help itself
        except click.UsageError as exc:
            click.echo(usage_error_line(exc), err=True)
            raise click.exceptions.Exit(exc.exit_code) from None

    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except click.UsageError as exc:
            # One line per problem (the contract), not click's usage block of four lines.
            click.echo(usage_error_line(exc, ctx), err=True)
            raise click.exceptions.Exit(exc.exit_code) from None
        except (click.exceptions.Exit, click.exceptions.Abort, click.ClickException):
            raise
        except KeyboardInterrupt:
            click.echo("searchfic: interrupted", err=True)
            sys.exit(130)
        except BrokenPipeError:
            sys.exit(0)
        except Exception as exc:  # the last line of defence: report, don't dump a traceback
            from searchfic.cli.options import terminal_safe
            from searchfic.errors import SearchficError

            if isinstance(exc, SearchficError):
                click.echo(f"searchfic: error: {terminal_safe(exc)}", err=True)
                sys.exit(2)
            click.echo(
                f"searchfic: internal error: {type(exc).__name__}: {terminal_safe(exc)}", err=True
            )
            sys.exit(2)


def usage_error_line(exc: click.UsageError, group: click.Context | None = None) -> str:
    """Return a usage error as one line naming the command, the problem and where help is."""
    if (
        group is not None
        and group.invoked_subcommand
        and (exc.ctx is None or exc.ctx.command is main)
    ):
        # Raised while the subcommand's own arguments were parsed, but without its context.
        path = f"{group.command_path} {group.invoked_subcommand}"
    elif exc.ctx is not None:
        path = exc.ctx.command_path
    else:
        path = "searchfic"
    line = f"{path}: error: {exc.format_message().rstrip('.')}"
    if isinstance(exc, click.NoSuchOption) and path.endswith(" search"):
        line += "; a query that starts with - goes after --, e.g. searchfic search -- '-fluff'"
    return f"{line} (see '{path} --help')"


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
