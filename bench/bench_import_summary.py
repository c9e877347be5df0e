"""The chat's import against the command line's, side by side in one run.

    .venv/bin/python bench/bench_import_summary.py [--rows 5000] [--rounds 3]

The chat's /import tells the user in one summary what is due now instead of an alert per case:
it marks those alert moments done as it plans (`import_rows(told=True)`) and then reads the
cases back for the summary (`import_summary`). `pctby import` does neither. Each round imports
the same rows (`bench_import.csv_of`) into a fresh database both ways, on a clock where many of
them are near their entry; medians are printed with the ratio.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import io
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench_import import csv_of

from core.clock import FrozenClock
from core.importexport import import_rows, import_summary, parse_csv
from core.reminders import Reminders
from core.storage import Store

USER = 7
DAY = dt.date(2026, 9, 1)


async def once(n: int, told: bool, folder: Path) -> tuple[float, float]:
    store = await Store.open(
        folder / f"{told}-{time.monotonic_ns()}.sqlite3", clock=FrozenClock(DAY)
    )
    try:
        reminders = Reminders(store)
        rows = parse_csv(io.StringIO(csv_of(n)), USER, max_rows=n, today=DAY)
        start = time.perf_counter()
        await import_rows(reminders, rows, told=told)
        saved = time.perf_counter()
        if told:
            await import_summary(reminders, USER, [row.case.ref for row in rows])
        return saved - start, time.perf_counter() - saved
    finally:
        await store.close()


async def run(n: int, rounds: int) -> None:
    plain: list[float] = []
    told: list[float] = []
    summary: list[float] = []
    with tempfile.TemporaryDirectory() as tmp:
        for _ in range(rounds):
            plain.append((await once(n, False, Path(tmp)))[0])
            saved, summed = await once(n, True, Path(tmp))
            told.append(saved)
            summary.append(summed)
    p, t, s = statistics.median(plain), statistics.median(told), statistics.median(summary)
    print(f"{n:,} rows, medians of {rounds} rounds")
    print(f"  pctby import (alerts as usual):  {p:.2f} s  ({n / p:,.0f} rows/s)")
    print(f"  /import, alerts told:            {t:.2f} s  ({n / t:,.0f} rows/s)  × {t / p:.2f}")
    print(f"  /import's summary read-back:     {s:.2f} s  ({s / n * 1000:.2f} ms a case)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=5000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    asyncio.run(run(args.rows, args.rounds))


if __name__ == "__main__":
    main()
