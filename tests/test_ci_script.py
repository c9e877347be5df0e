"""`bin/test` (what CI runs through `.ci/run`) fails when any one check fails — not only the
last of a chain: with `set -e`, a failure inside `a && b` other than the last is ignored, which
once let a lint error through."""

from __future__ import annotations

import shutil
import stat
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CHECKS = ("ruff-check", "ruff-format", "mypy", "pytest")


def _stub(path: Path, body: str) -> None:
    path.write_text("#!/usr/bin/env bash\n" + body + "\n")
    path.chmod(path.stat().st_mode | stat.S_IEXEC)


def _tree(tmp_path: Path, failing: str) -> Path:
    """A copy of bin/test beside stand-ins for setup and the tools; each tool logs that it ran
    and fails if it is `failing`."""
    (tmp_path / "bin").mkdir()
    shutil.copy(ROOT / "bin" / "test", tmp_path / "bin" / "test")
    _stub(tmp_path / "bin" / "setup", "exit 0")
    tools = tmp_path / ".venv" / "bin"
    tools.mkdir(parents=True)
    log = tmp_path / "ran.log"
    for name, check in (("ruff", "ruff-$1"), ("mypy", "mypy"), ("python", "pytest")):
        _stub(
            tools / name,
            f'echo "{check}" >> "{log}"\n[ "{check}" != "{failing}" ] || exit 1',
        )
    return tmp_path


@pytest.mark.parametrize("failing", CHECKS)
def test_bin_test_fails_when_one_check_fails(tmp_path: Path, failing: str) -> None:
    tree = _tree(tmp_path, failing)
    done = subprocess.run(["bash", "bin/test"], cwd=tree, capture_output=True, text=True)
    assert done.returncode != 0
    ran = (tree / "ran.log").read_text().split()
    assert ran == list(CHECKS[: CHECKS.index(failing) + 1])  # and nothing after it


def test_bin_test_passes_when_every_check_passes(tmp_path: Path) -> None:
    tree = _tree(tmp_path, failing="none")
    done = subprocess.run(["bash", "bin/test"], cwd=tree, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert (tree / "ran.log").read_text().split() == list(CHECKS)
