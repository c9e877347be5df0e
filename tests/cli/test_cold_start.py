"""Cold start: a `pctby` command imports only what it uses. Checked in a fresh interpreter by
the modules it ends with (what it costs is measured in bench/bench_cold.py, not here): the
date and fee commands load neither the bot (telegram) nor the drawing and document libraries
(matplotlib, python-docx), the HTTP client or the event loop; every command runs as before.
From the second run on, not `holidays` either: the calendar it computed is kept on disk; nor
does `pctby ask` read the FAQ's documents word by word again (their stems are kept too)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

PROBE = """
import contextlib, io, json, sys
from pctby.cli import main
with contextlib.redirect_stdout(io.StringIO()) as out:
    try:
        code = main(sys.argv[1:])
    except SystemExit as done:
        code = done.code
sys.stderr.write(json.dumps({"code": code, "out": out.getvalue(),
                             "modules": sorted({m.split(".")[0] for m in sys.modules})}))
"""

HEAVY = {"telegram", "matplotlib", "docx", "httpx", "asyncio", "aiosqlite", "icalendar"}


def loaded(tmp_path: Path, *argv: str) -> tuple[int, str, set[str]]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PCTBY_")}
    env["PCTBY_CALENDAR_CACHE"] = str(tmp_path / "calendar-by.json")
    env["PCTBY_FAQ_CACHE"] = str(tmp_path / "faq-words.json")
    done = subprocess.run(
        [sys.executable, "-c", PROBE, *argv],
        cwd=tmp_path,
        env={**env, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=60,
    )
    report = json.loads(done.stderr.strip().splitlines()[-1])
    return report["code"], report["out"], set(report["modules"])


@pytest.mark.parametrize(
    "argv",
    [
        ("deadlines", "--priority", "15.03.2024", "--filing", "14.03.2025", "--json"),
        ("deadlines", "--filing", "14.03.2025", "--lang", "be"),
        ("fees", "--independent", "2", "--dependent", "8", "--json"),
        ("annuities", "--filing", "14.03.2025", "--json"),
    ],
    ids=lambda argv: " ".join(argv[:2]),
)
def test_the_date_and_fee_commands_load_no_bot_no_drawing_no_network(
    tmp_path: Path, argv: tuple[str, ...]
) -> None:
    code, out, modules = loaded(tmp_path, *argv)
    assert code == 0 and out.strip()
    assert modules & HEAVY == set()
    assert "pctby" in modules and "core" in modules  # (the probe saw the command run)
    again, out_again, modules = loaded(tmp_path, *argv)
    assert (again, out_again) == (code, out)
    assert modules & (HEAVY | {"holidays"}) == set()


def test_the_first_run_computes_the_calendar_with_holidays(tmp_path: Path) -> None:
    argv = ("deadlines", "--priority", "15.03.2024", "--filing", "14.03.2025", "--json")
    _code, _out, modules = loaded(tmp_path, *argv)
    assert "holidays" in modules and (tmp_path / "calendar-by.json").exists()


def test_the_ask_command_loads_no_bot(tmp_path: Path) -> None:
    code, out, modules = loaded(tmp_path, "ask", "--json", "when to enter the national phase")
    assert code == 0 and out.strip()
    assert modules & {"telegram", "matplotlib", "docx", "aiosqlite"} == set()


def test_help_and_version_still_list_every_command(tmp_path: Path) -> None:
    code, out, _modules = loaded(tmp_path, "--help")
    assert code == 0
    for name in ("fees", "deadlines", "annuities", "ask", "schedule", "case", "run", "health"):
        assert f"\n  {name} " in out
    code, out, _modules = loaded(tmp_path, "--version")
    assert code == 0 and out.startswith("pctby ")
    code, out, modules = loaded(tmp_path, "deadlines", "--help")
    assert code == 0 and "--filing" in out and "telegram" not in modules


def test_the_ask_command_keeps_the_faqs_words_for_the_next_run(tmp_path: Path) -> None:
    argv = ("ask", "--json", "сколько стоит пошлина за выдачу патента")
    code, out, _modules = loaded(tmp_path, *argv)
    kept = tmp_path / "faq-words.json"
    assert code == 0 and kept.exists()
    stamp = kept.stat().st_mtime_ns
    assert loaded(tmp_path, *argv)[:2] == (code, out)
    assert kept.stat().st_mtime_ns == stamp  # read, not written again
