"""`searchfic search`: the JSON API's search, on the command line."""

from __future__ import annotations

import re
import sys
from typing import Any

import click

from searchfic.cli import main
from searchfic.cli.options import index_dir_option, terminal_safe, write_json_line
from searchfic.request import FACETS, SORTS

_FILTER_HELP = {
    "fandom": "fandom",
    "pairing": "relationship (A/B, A & B; order-free, name parts match)",
    "character": "character",
    "rating": "rating (AO3 name or G, PG-13, NC-17, ...)",
    "tag": "tag",
    "author": "author",
    "language": "language (ISO code such as en)",
    "warning": "archive warning",
    "category": "category (F/F, Gen, ...)",
}


def _filter_options(func: Any) -> Any:
    for name in reversed(FACETS):
        func = click.option(
            f"--exclude-{name}",
            f"exclude_{name}",
            multiple=True,
            metavar="V",
            help=f"Leave out stories with this {name} (repeatable; any one excludes).",
        )(func)
        func = click.option(
            f"--{name}",
            name,
            multiple=True,
            metavar="V",
            help=f"Only stories with this {_FILTER_HELP[name]} (repeatable; all must hold).",
        )(func)
    return func


@main.command("search")
@click.argument("query", required=False, default="")
@_filter_options
@click.option(
    "--complete/--incomplete",
    "complete",
    default=None,
    help="Only complete (or only unfinished) stories.",
)
@click.option("--words", "words", metavar="RANGE", help="Word count: N, <N, >N or N-M.")
@click.option(
    "--sort",
    "sort",
    type=click.Choice(SORTS),
    default="relevance",
    show_default=True,
    help="Order: relevance, title (A-Z), words/published/updated (newest, longest first).",
)
@click.option("--page", "page", default="1", metavar="N", help="Page number, from 1.")
@click.option("--per-page", "per_page", default="20", metavar="N", help="Results per page (1-100).")
@click.option("--json", "as_json", is_flag=True, help="Print the API's JSON response object.")
@click.option("--explain", is_flag=True, help="Print how the query was understood, then search.")
@index_dir_option
def search_command(
    query: str,
    complete: bool | None,
    words: str | None,
    sort: str,
    page: str,
    per_page: str,
    as_json: bool,
    explain: bool,
    index_dir: str | None,
    **filters: tuple[str, ...],
) -> None:
    """Search the index for QUERY ("" lists every story the filters select).

    \b
    Query syntax: words are ANDed; "an exact phrase" (typography ignored); OR; NOT or
    -word; (parentheses); title: author: summary: fandom: pairing: character: tag:
    fields; words:>5000. A quote that does not occur exactly returns its near matches.

    \b
    Examples:
      searchfic search '"I trust my heart"'
      searchfic search "" --pairing "Benson/Cabot" --sort updated
      searchfic search "angst -fluff" --fandom "Sherlock Holmes" --words ">5000"
      searchfic search -- "-fluff"       (a query starting with - comes after --)
    """
    from searchfic.engine import search as engine_search
    from searchfic.engine.store import open_index
    from searchfic.errors import SearchficError
    from searchfic.request import request_from_params
    from searchfic.settings import index_dir as index_dir_fn

    params: list[tuple[str, str]] = [("q", query or "")]
    for key, values in filters.items():
        params.extend((key, v) for v in values)
    if complete is not None:
        params.append(("complete", "true" if complete else "false"))
    if words is not None:
        params.append(("words", words))
    params += [("sort", sort), ("page", page), ("per_page", per_page)]
    try:
        request = request_from_params(params)
        if explain:
            parsed = engine_search.parse_query(request.q)
            click.echo(f"query: {parsed}", err=as_json)
            for note in parsed.notes:
                click.echo(f"note: {note}", err=as_json)
        index = open_index(index_dir_fn(index_dir))
        try:
            response = engine_search.run(index, request)
        finally:
            index.close()
    except SearchficError as exc:
        click.echo(f"searchfic search: {terminal_safe(_with_option_name(str(exc)))}", err=True)
        sys.exit(2)
    if as_json:
        write_json_line(response.to_dict())
        return
    _print_text(response, color=sys.stdout.isatty())


def _with_option_name(message: str) -> str:
    """Name the CLI option rather than the URL parameter in a validation message."""
    m = re.match(r"^(per_page|page|words|sort|complete|q):", message)
    if not m:
        return message
    name = {"q": "QUERY", "per_page": "--per-page"}.get(m.group(1), f"--{m.group(1)}")
    return name + message[len(m.group(1)) :]


def _marks(snippet: str, color: bool) -> str:
    """Turn a snippet's HTML into terminal text, matches emphasised."""
    import html

    def plain(part: str) -> str:
        return terminal_safe(html.unescape(re.sub(r"<[^>]+>", "", part)))

    start, end = ("\x1b[1;33m", "\x1b[0m") if color else ("[", "]")
    # Split on the engine's own marks first, so the story text can neither fake one nor
    # smuggle an escape sequence in after unescaping.
    out = []
    for n, part in enumerate(re.split(r"</?mark\b[^>]*>", snippet)):
        text = plain(part)
        out.append(f"{start}{text}{end}" if n % 2 else text)
    return "".join(out)


def _print_text(response: Any, color: bool) -> None:
    req = response.request
    total = response.total
    first = (req.page - 1) * req.per_page + 1
    last = first + len(response.results) - 1
    if total == 0:
        head = "No stories found."
    elif not response.results:
        head = f"{total} stories; page {req.page} is past the end (last page {response.pages})."
    else:
        head = f"{total} {'story' if total == 1 else 'stories'}; showing {first}-{last}"
        if response.approximate:
            head += " (no exact match: nearest matches shown)"
    click.echo(head)
    if response.suggestion:
        click.echo(f"Did you mean: {terminal_safe(response.suggestion)}")
    for n, hit in enumerate(response.results, first):
        title = terminal_safe(hit.title) or "(untitled)"
        title = click.style(title, bold=True) if color else title
        click.echo("")
        click.echo(f"{n}. {title}  [{hit.id}]")
        meta = []
        if hit.authors:
            meta.append("by " + ", ".join(map(terminal_safe, hit.authors)))
        if hit.fandoms:
            meta.append(", ".join(map(terminal_safe, hit.fandoms)))
        if hit.pairings:
            meta.append(", ".join(map(terminal_safe, hit.pairings)))
        meta.append(terminal_safe(hit.rating))
        meta.append(f"{hit.words:,} words")
        if hit.score is not None:
            meta.append(f"score {hit.score:g}")
        click.echo("   " + " | ".join(meta))
        click.echo(f"   {terminal_safe(hit.source)}")
        for snip in hit.snippets:
            click.echo("   > " + _marks(snip, color))
