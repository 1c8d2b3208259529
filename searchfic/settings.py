"""Settings declared once as data: CLI options, app config and docs all read this table."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Setting:
    name: str
    env: str
    default: str
    help: str


SETTINGS: tuple[Setting, ...] = (
    Setting("corpus", "SEARCHFIC_CORPUS", "data", "the folder of story files to index"),
    Setting("index_dir", "SEARCHFIC_INDEX_DIR", "index", "the folder the index lives in"),
    Setting("host", "SEARCHFIC_HOST", "127.0.0.1", "the address `serve` listens on"),
    Setting("port", "SEARCHFIC_PORT", "5000", "the port `serve` listens on"),
    Setting(
        "cors_origins",
        "SEARCHFIC_CORS_ORIGINS",
        "*",
        "origins allowed to call the API from a browser (comma-separated; * for any)",
    ),
    Setting(
        "aliases",
        "SEARCHFIC_ALIASES",
        "searchfic-aliases.toml",
        "the alias file, relative to the corpus unless absolute",
    ),
)

SETTING_BY_NAME = {s.name: s for s in SETTINGS}


def resolve(name: str, given: str | os.PathLike[str] | None = None) -> str:
    """Return an explicit value, else the environment variable, else the default."""
    if given is not None and str(given) != "":
        return str(given)
    s = SETTING_BY_NAME[name]
    return os.environ.get(s.env) or s.default


def corpus_dir(given: str | os.PathLike[str] | None = None) -> Path:
    return Path(resolve("corpus", given))


def index_dir(given: str | os.PathLike[str] | None = None) -> Path:
    return Path(resolve("index_dir", given))
