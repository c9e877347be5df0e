"""Cold start of the `pctby` commands, each against the import of the libraries it really
needs, in alternating A/B pairs (A B A B …: the machine's drift hits both alike).

    .venv/bin/python bench/bench_cold.py [--runs 10] [--calendar stored|none]

A: the installed `pctby` command as a user runs it (a fresh process, bytecode cached).
B: `python -c "import …"` of that command's own dependencies — babel's dates and numbers,
pydantic's BaseModel, tomllib and dateutil, and the Belarus holiday calendar (holidays) unless
the calendar it computed is stored — the floor no lazy import can go below.
`--calendar stored` (the default, what a user has from the second run on): the warm-up runs
store the calendar in a temporary file; `none`: nothing is stored (PCTBY_CALENDAR_CACHE empty),
every run imports `holidays`. Shown: median wall and CPU seconds of A and B, and the median of
the pairs' A/B ratios. Targets: A/B < 2, `pctby deadlines --json` < 0.2 s.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PCTBY = Path(sys.executable).with_name("pctby")

NEEDS = (
    "import babel.dates, babel.numbers, tomllib, dateutil.relativedelta; "
    "from pydantic import BaseModel"
)
CALENDAR = "import holidays.countries.belarus"
COMMANDS = {
    "deadlines --json": [
        "deadlines", "--priority", "15.03.2024", "--filing", "14.03.2025", "--json",
    ],
    "fees --json": ["fees", "--independent", "2", "--dependent", "8", "--json"],
    "annuities --json": ["annuities", "--filing", "14.03.2025", "--json"],
}  # fmt: skip


def timed(argv: list[str], env: dict[str, str], cwd: Path = ROOT) -> tuple[float, float]:
    """(wall, CPU) seconds of one run of `argv` in `cwd`."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    subprocess.run(argv, check=True, capture_output=True, cwd=cwd, env=env)
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
    return wall, cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=10, help="A/B pairs per command")
    parser.add_argument(
        "--tree", type=Path, help="A from this checkout of pctby instead (e.g. an older commit)"
    )
    parser.add_argument(
        "--calendar",
        choices=("stored", "none"),
        default="stored",
        help="the calendar `holidays` computed kept between runs (as users have it) or not",
    )
    args = parser.parse_args()
    # as installed: bytecode is written and used (a developer's shell may turn it off)
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    folder = tempfile.TemporaryDirectory()
    stored = args.calendar == "stored"
    env["PCTBY_CALENDAR_CACHE"] = str(Path(folder.name) / "calendar-by.json") if stored else ""
    script, cwd = [str(PCTBY)], ROOT  # what the console script runs, from another tree:
    if args.tree is not None:
        cwd = args.tree.resolve()  # (`python -c` looks in the current folder first)
        env["PYTHONPATH"] = str(cwd)
        script = [sys.executable, "-c", "import sys; from pctby.cli import main; sys.exit(main())"]
    floor = [sys.executable, "-c", NEEDS if stored else f"{CALENDAR}; {NEEDS}"]
    print(f"calendar: {args.calendar}")
    print(f"{'command':24} {'A wall':>8} {'B wall':>8} {'A/B wall':>9} {'A cpu':>7} {'B cpu':>7}")
    for name, argv in COMMANDS.items():
        command = [*script, *argv]
        for _ in range(2):  # warm-up: bytecode written, files in the page cache
            timed(command, env, cwd), timed(floor, env)
        a: list[tuple[float, float]] = []
        b: list[tuple[float, float]] = []
        for _ in range(args.runs):
            a.append(timed(command, env, cwd))
            b.append(timed(floor, env))
        ratio = statistics.median(x[0] / y[0] for x, y in zip(a, b, strict=True))
        a_wall, b_wall = statistics.median(x[0] for x in a), statistics.median(y[0] for y in b)
        a_cpu, b_cpu = statistics.median(x[1] for x in a), statistics.median(y[1] for y in b)
        print(
            f"{'pctby ' + name:24} {a_wall:7.3f}s {b_wall:7.3f}s {ratio:9.2f}"
            f" {a_cpu:6.3f}s {b_cpu:6.3f}s"
        )


if __name__ == "__main__":
    main()
