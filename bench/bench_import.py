"""Import speed: rows/s of `core.importexport.import_rows` and aiosqlite round trips per row.

    .venv/bin/python bench/bench_import.py [--rows 10000] [--rounds 2] [--against REV]

A CSV of `--rows` cases of one user (a third with an entry date, so that events are written)
is parsed once, then imported into a fresh database (every row a new case) and again (every row
an update). Each round measures, in turn, in one run: `--against REV` (the `core` package of that
commit, in a child process: the code before), this code one row at a time (`one_by_one=True`),
and this code a batch of `IMPORT_BATCH` rows at once. Round trips are the calls into
aiosqlite's thread (each statement, fetch, cursor close and commit is one).
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import inspect
import io
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import aiosqlite

from core.importexport import ImportRow, import_rows, parse_csv
from core.reminders import Reminders
from core.storage import Store

USER = 4242


def csv_of(rows: int) -> str:
    head = "ref,kind,priority_date,filing_date,entry_date,grant_decision_date,title\n"
    body = "".join(
        f"IMP-{n:06},patent,2023-{n % 12 + 1:02}-10,2024-{n % 12 + 1:02}-05,"
        f"{'2025-06-01' if n % 3 == 0 else ''},,Case {n}\n"
        for n in range(rows)
    )
    return head + body


class RoundTrips:
    """Counts the calls into aiosqlite's thread."""

    def __init__(self) -> None:
        self.n = 0
        self._real = aiosqlite.Connection._execute

    def __enter__(self) -> RoundTrips:
        real, counter = self._real, self

        async def counted(conn: Any, fn: Any, *args: Any, **kwargs: Any) -> Any:
            counter.n += 1
            return await real(conn, fn, *args, **kwargs)

        aiosqlite.Connection._execute = counted  # type: ignore[method-assign]
        return self

    def __exit__(self, *_: object) -> None:
        aiosqlite.Connection._execute = self._real  # type: ignore[method-assign]


async def once(rows: list[ImportRow], one_by_one: bool, folder: Path) -> tuple[float, float, float]:
    """(rows/s new, rows/s updated, round trips per row new) in a fresh database."""
    kwargs = {"one_by_one": True} if one_by_one else {}
    if one_by_one and "one_by_one" not in inspect.signature(import_rows).parameters:
        kwargs = {}  # the code before the batched path: it is the one-by-one path
    db = folder / f"b{time.perf_counter_ns()}.sqlite3"
    async with await Store.open(db) as store:
        reminders = Reminders(store)
        with RoundTrips() as trips:
            t0 = time.perf_counter()
            result = await import_rows(reminders, rows, **kwargs)
            new = time.perf_counter() - t0
        assert result.created == len(rows), result
        t0 = time.perf_counter()
        result = await import_rows(reminders, rows, **kwargs)
        again = time.perf_counter() - t0
        assert result.updated == len(rows), result
    return len(rows) / new, len(rows) / again, trips.n / len(rows)


Figures = tuple[float, float, float]
LABELS = {"before": "before (--against)", "one": "one row at a time", "batched": "batched"}


def child(n: int, one_by_one: bool) -> Figures:
    rows = parse_csv(io.StringIO(csv_of(n)), USER, max_rows=n, today=dt.date(2100, 1, 1))
    with tempfile.TemporaryDirectory() as tmp:
        return asyncio.run(once(rows, one_by_one, Path(tmp)))


def before(n: int, code: Path) -> Figures:
    """The figures of the `core` in `code`, measured in a child process."""
    env = {**os.environ, "PYTHONPATH": str(code)}
    out = subprocess.run(
        [sys.executable, __file__, "--rows", str(n), "--child"],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    new, update, trips = json.loads(out.splitlines()[-1])
    return new, update, trips


def run(n: int, rounds: int, against: str | None) -> None:
    figures: dict[str, list[Figures]] = {"before": [], "one": [], "batched": []}
    with tempfile.TemporaryDirectory() as tmp:
        if against is not None:
            root = Path(__file__).resolve().parents[1]
            archive = subprocess.run(
                ["git", "-C", str(root), "archive", against, "core"],
                check=True,
                capture_output=True,
            ).stdout
            subprocess.run(["tar", "-x", "-C", tmp], input=archive, check=True)
        for _ in range(rounds):
            if against is not None:
                figures["before"].append(before(n, Path(tmp)))
            figures["one"].append(child(n, True))
            figures["batched"].append(child(n, False))
    for key, got in figures.items():
        if got:
            print(
                f"{LABELS[key]:>19}: new {statistics.median(g[0] for g in got):6.0f} rows/s, "
                f"update {statistics.median(g[1] for g in got):6.0f} rows/s, "
                f"{statistics.median(g[2] for g in got):5.1f} round trips per new row"
            )
    base = "before" if against is not None else "one"
    for i, what in ((0, "new"), (1, "update")):
        pairs = zip(figures["batched"], figures[base], strict=True)
        ratio = statistics.median(b[i] / o[i] for b, o in pairs)
        print(f"batched ÷ {LABELS[base]}, {what}: {ratio:.1f}× (median of {rounds} rounds)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--against", default=None, metavar="REV")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:  # the code before: one row at a time is all it has
        print(json.dumps(child(args.rows, True)))
    else:
        run(args.rows, args.rounds, args.against)


if __name__ == "__main__":
    main()
