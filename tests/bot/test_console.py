"""`pctby run` without a token: the console chat, driven through stdin."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


def run_console(tmp_path: Path, stdin: str, lang: str = "en") -> str:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PCTBY_")}
    env |= {
        "PCTBY_DB": str(tmp_path / "console.sqlite3"),
        "PCTBY_CONSOLE_DIR": str(tmp_path / "out"),
        "PCTBY_RATES_CACHE": str(tmp_path / "rates.json"),
        "HTTPS_PROXY": "http://127.0.0.1:9",  # no network: rates fall back quietly
    }
    result = subprocess.run(
        [sys.executable, "-m", "pctby.cli", "run", "--lang", lang],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
        cwd=tmp_path,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.replace("\u00a0", " ")


def test_console_chat_with_buttons_as_numbers(tmp_path: Path) -> None:
    out = run_console(
        tmp_path, "/start\n1\n2\n1 12\n2\n1\n/addcase C-1 15.03.2024 10.03.2025\n/cases\n"
    )
    assert "pctby console" in out
    assert "bot> Hello, Console!" in out
    assert "  [1] Fees" in out
    assert "What is the fee for?" in out  # [1] pressed the Fees button
    assert "National fee for a utility model" in out  # [2] chose utility model
    assert "Total:" in out
    assert "Case C-1 saved." in out
    assert "You have 1 case:" in out
    assert (tmp_path / "console.sqlite3").exists()


def test_console_in_russian_keeps_state_between_runs(tmp_path: Path) -> None:
    run_console(tmp_path, "/addcase K-7 1.2.2024\n", lang="ru")
    out = run_console(tmp_path, "/cases\n", lang="ru")
    assert "У вас 1 дело:" in out
    assert "K-7" in out
