"""What the `pctby run` tests share: the checkout (`ROOT`), a bot token, `pctby run` in a child
process (`pctby_run`) and the one sentence it fails with (`one_sentence`)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TOKEN = "123456:SECRET-token-value"


def pctby_run(cwd: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if not k.startswith("PCTBY_")}
    return subprocess.run(
        [sys.executable, "-m", "pctby.cli", "run", *args],
        cwd=cwd,
        env={**base, "PYTHONPATH": str(ROOT), **env},
        input="",
        capture_output=True,
        text=True,
        timeout=60,
    )


def one_sentence(stderr: str) -> str:
    """The last line of stderr: the failure sentence (log lines may come before it)."""
    lines = stderr.strip().splitlines()
    assert lines and lines[-1].startswith("pctby: ") and lines[-1].endswith("."), stderr
    assert "Traceback" not in stderr, stderr
    return lines[-1]
