"""The benchmarks still run: each at a tiny size, in a child process, as a developer runs it
(`.venv/bin/python bench/NAME.py …`). What they measure is read in docs/BENCHMARKS.md, not
here — no figure is asserted, only that the script gets to its report (a benchmark broken by
a change of the code it drives is found by the suite, not months later)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

RUNS = {
    "bench_web.py": (["--cases", "20", "--rounds", "1"], "page weight:"),
    "bench_import.py": (["--rows", "50", "--rounds", "1"], "batched ÷ one row at a time"),
    "bench_import_summary.py": (["--rows", "50", "--rounds", "1"], "summary read-back"),
    "bench_export.py": (["--cases", "30"], "pctby-cases.csv"),
    "bench_teams.py": (["--cases", "5", "--repeat", "3"], "team case (2 chats)"),
    "bench_deadlines.py": (["--cases", "50", "--runs", "1"], "deadline sets: 50 cases"),
    "bench_reminders.py": (["--cases", "30", "--ticks", "2"], "due-alert query"),
    "bench_dispatch.py": (["--messages", "70"], "msg/s sustained"),
    "bench_answers.py": (["--updates", "20", "--rounds", "1"], "CPU per answer"),
    "bench_load.py": (["--rows", "50", "--users", "2"], "answer time:"),
    "bench_bot.py": (["--updates", "20", "--rounds", "1"], "ratio:"),
}


@pytest.mark.parametrize("script", sorted(RUNS))
def test_the_benchmark_runs_to_its_report(script: str, tmp_path: Path) -> None:
    args, report = RUNS[script]
    env = {**os.environ, "PCTBY_CALENDAR_CACHE": str(tmp_path / "calendar.json")}
    done = subprocess.run(
        [sys.executable, str(ROOT / "bench" / script), *args],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=110,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert report in done.stdout, done.stdout[-2000:]


def test_every_benchmark_is_run_here_or_named_as_too_long() -> None:
    """A new benchmark joins `RUNS`, or this list of the ones too slow to run at any size
    (they start several processes or run for seconds by design)."""
    too_long = {"bench_cold.py", "bench_faq.py", "bench_flood.py"}
    measuring = {"eval_faq.py", "calibrate_faq.py", "faq_alternatives.py"}  # FAQ quality
    scripts = {p.name for p in (ROOT / "bench").glob("*.py") if not p.name.startswith("_")}
    assert scripts == set(RUNS) | too_long | measuring
