"""Options shared by several commands, and the helpers their output goes through."""

from __future__ import annotations

import re

import click

#: C0 and C1 control characters (ESC, newline among them): file names and story metadata
#: are hostile input; an escape sequence must not drive the user's terminal, and a newline
#: must not split a one-line message in two
_CONTROLS = re.compile(r"[\x00-\x1f\x7f-\x9f]+")


def terminal_safe(text: object) -> str:
    """Return ``str(text)`` fit for a terminal line: control characters become one space."""
    return _CONTROLS.sub(" ", "" if text is None else str(text))


corpus_option = click.option(
    "--corpus",
    "corpus",
    type=click.Path(file_okay=False, path_type=str),
    default=None,
    envvar="SEARCHFIC_CORPUS",
    show_envvar=True,
    help="Corpus folder of story files [default: data/].",
)
index_dir_option = click.option(
    "--index-dir",
    "index_dir",
    type=click.Path(file_okay=False, path_type=str),
    default=None,
    envvar="SEARCHFIC_INDEX_DIR",
    show_envvar=True,
    help="Index folder [default: index/].",
)


def write_json_line(obj: object) -> None:
    """Print ``obj`` as one line of UTF-8 JSON on stdout, whatever the locale says."""
    import json
    import sys

    # A C/ASCII locale (or PYTHONIOENCODING=ascii) would make a title like "Brontë" crash
    # the write; JSON output is UTF-8 by definition. A file name that is not valid UTF-8
    # reaches us with surrogate escapes: backslashreplace writes one as "\udcff", which
    # inside a JSON string is the escape of that very character, so the line stays JSON.
    stream = sys.stdout
    reconfigure = getattr(stream, "reconfigure", None)
    encoding = (getattr(stream, "encoding", "") or "").lower().replace("_", "-")
    if reconfigure is not None and (
        encoding != "utf-8" or getattr(stream, "errors", "") != "backslashreplace"
    ):
        reconfigure(encoding="utf-8", errors="backslashreplace")
    stream.write(json.dumps(obj, ensure_ascii=False) + "\n")
    stream.flush()
