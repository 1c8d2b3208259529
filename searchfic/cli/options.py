"""Options shared by several commands."""

from __future__ import annotations

import click

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
