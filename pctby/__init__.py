"""The `pctby` command: a front-end over `core` (and `bot` for `pctby run`)."""

from __future__ import annotations


def version() -> str:
    """The installed distribution's version (pyproject.toml `version`)."""
    from importlib.metadata import PackageNotFoundError
    from importlib.metadata import version as dist_version

    try:
        return dist_version("pctby")
    except PackageNotFoundError:  # run from a checkout that was never installed
        return "0+unknown"
