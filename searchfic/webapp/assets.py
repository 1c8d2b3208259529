"""Where the templates and static files live: inside the wheel, or in the repo's web/."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

#: the name pyproject.toml's force-include gives the top-level web/ inside the wheel
PACKAGED_NAME = "web_assets"


def assets_dir(package_root: Path | None = None) -> Path:
    """Return the folder holding ``templates/`` and ``static/``.

    An installed wheel carries them as ``searchfic/web_assets``; an editable install or a
    checkout reads the repository's top-level ``web/``.
    """
    if package_root is None:
        package_root = Path(str(resources.files("searchfic")))
    packaged = package_root / PACKAGED_NAME
    if (packaged / "templates").is_dir():
        return packaged
    repo_web = package_root.parent / "web"
    if (repo_web / "templates").is_dir():
        return repo_web
    raise FileNotFoundError(
        f"searchfic's web templates are missing: looked in {packaged} and {repo_web}; "
        "reinstall the package"
    )
