"""The browser tests skip (saying why) only where chromium is not installed and nobody
requires them; CI requires them (`.ci/run`: PCTBY_BROWSER_TESTS=required), and a run there
without chromium fails instead of passing with nothing tested."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def run_without_chromium(tmp_path: Path, **extra: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "PCTBY_BROWSER_TESTS"}
    env.update(PATH=str(tmp_path), PYTHONPATH=str(ROOT), **extra)  # no chromium on this PATH
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "-rs",
            "tests/web/test_browser.py::test_the_table_at_phone_width",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_required_browser_tests_fail_without_chromium(tmp_path: Path) -> None:
    done = run_without_chromium(tmp_path, PCTBY_BROWSER_TESTS="required")
    assert done.returncode != 0
    assert "browser tests are required here" in done.stdout


def test_elsewhere_they_skip_saying_why(tmp_path: Path) -> None:
    done = run_without_chromium(tmp_path)
    assert done.returncode == 0, done.stdout
    assert "chromium and chromedriver are not installed" in done.stdout
