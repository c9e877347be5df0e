"""Plan reminders for N cases, then time the due-alert query of one dispatcher tick.

    .venv/bin/python bench/bench_reminders.py --cases 1000000 --db /tmp/bench.sqlite3

Targets: planning 1,000,000 cases under 2 minutes with peak memory under 500 MB;
the due-alert query under 20 ms per tick.

Planning runs `Reminders.replan_all` with its default worker processes (one per core) and, with
`--compare`, again in this process alone, side by side. Memory is the peak of the summed
resident sizes of this process and its workers while planning (sampled every 20 ms), so the
database fill before it does not count.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import multiprocessing as mp
import os
import random
import sqlite3
import statistics
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from core.clock import SYSTEM_CLOCK, FrozenClock
from core.reminders import Reminders
from core.storage import Store

CASES_PER_USER = 10


def fill(path: Path, cases: int, seed: int = 1) -> None:
    """Users, cases and events written straight with sqlite3 (the bench times planning)."""
    rnd = random.Random(seed)
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = OFF")
    now = int(time.time())
    users = (cases + CASES_PER_USER - 1) // CASES_PER_USER
    conn.executemany(
        "INSERT INTO users (id, chat_id, created_at, updated_at) VALUES (?, ?, ?, ?)",
        ((u, u, now, now) for u in range(1, users + 1)),
    )
    base = dt.date(2008, 1, 1)

    def case_rows():  # type: ignore[no-untyped-def]
        for i in range(1, cases + 1):
            filing = base + dt.timedelta(days=rnd.randrange(0, 365 * 19))
            kind = "patent" if rnd.random() < 0.8 else "utility-model"
            yield (i, (i - 1) // CASES_PER_USER + 1, f"REF-{i}", kind, filing.isoformat(), now, now)

    conn.executemany(
        "INSERT INTO cases (id, owner_id, ref, kind, filing_date, created_at, updated_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?)",
        case_rows(),
    )
    rows = conn.execute("SELECT id, kind, filing_date FROM cases").fetchall()

    def events():  # type: ignore[no-untyped-def]
        for case_id, kind, filing in rows:
            day = dt.date.fromisoformat(filing)
            if rnd.random() < 0.85:
                yield (case_id, "entry_made", (day + dt.timedelta(days=900)).isoformat(), now)
            if kind == "utility-model" and rnd.random() < 0.7:
                yield (
                    case_id,
                    "grant_decision_received",
                    (day + dt.timedelta(days=1000)).isoformat(),
                    now,
                )

    conn.executemany(
        "INSERT INTO events (case_id, kind, date, created_at) VALUES (?, ?, ?, ?)", events()
    )
    conn.commit()
    conn.close()


def _rss_mb(pid: int) -> float:
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


@contextmanager
def peak_rss() -> Iterator[list[float]]:
    """Samples the RSS of this process plus its children; yields [peak MB] (filled on exit)."""
    peak = [0.0]
    stop = threading.Event()

    def sample() -> None:
        while not stop.is_set():
            total = _rss_mb(os.getpid()) + sum(_rss_mb(p.pid or 0) for p in mp.active_children())
            peak[0] = max(peak[0], total)
            stop.wait(0.02)

    thread = threading.Thread(target=sample, daemon=True)
    thread.start()
    try:
        yield peak
    finally:
        stop.set()
        thread.join()


async def plan(path: Path, workers: int | None) -> tuple[int, float, float, float]:
    """(cases, seconds, CPU seconds of this process, peak MB) of one full replan."""
    store = await Store.open(path)
    try:
        reminders = Reminders(store)
        with peak_rss() as peak:
            t0, c0 = time.perf_counter(), time.process_time()
            planned = await reminders.replan_all(batch=5000, workers=workers)
            took, cpu = time.perf_counter() - t0, time.process_time() - c0
        return planned, took, cpu, peak[0]
    finally:
        await store.close()


async def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--cases", type=int, default=200_000)
    ap.add_argument("--db", default="/tmp/pctby-bench.sqlite3")
    ap.add_argument("--ticks", type=int, default=200)
    ap.add_argument("--compare", action="store_true", help="also plan in one process")
    args = ap.parse_args()
    path = Path(args.db)
    for suffix in ("", "-wal", "-shm"):
        Path(str(path) + suffix).unlink(missing_ok=True)
    store = await Store.open(path)
    await store.close()
    t0 = time.perf_counter()
    fill(path, args.cases)
    print(f"filled {args.cases:,} cases in {time.perf_counter() - t0:.1f} s")

    runs = [("workers", None)] + ([("1 process", 1)] if args.compare else [])
    for label, workers in runs:
        planned, took, cpu, peak = await plan(path, workers)
        print(
            f"planned {planned:,} cases in {took:.1f} s ({label}; {planned / took:,.0f} cases/s;"
            f" main process CPU {cpu:.1f} s); peak RSS {peak:.0f} MB (with workers)"
        )
    store = await Store.open(path)
    reminders = Reminders(store)
    stats = await store.stats()
    print(f"{stats.alerts_planned:,} alerts planned")

    # the due-alert query of one tick, at moments spread over the next year
    times: list[float] = []
    clock = FrozenClock(SYSTEM_CLOCK.now())
    store.clock = clock
    for _ in range(args.ticks):
        clock.advance(3600 * 24 * 365 / args.ticks)
        t = time.perf_counter()
        rows = await reminders.due(200)
        times.append((time.perf_counter() - t) * 1000)
        assert len(rows) <= 200
    times.sort()
    print(
        f"due-alert query (LIMIT 200), {args.ticks} ticks:"
        f" median {statistics.median(times):.2f} ms,"
        f" p99 {times[int(len(times) * 0.99) - 1]:.2f} ms, max {times[-1]:.2f} ms"
    )
    await store.close()


if __name__ == "__main__":
    asyncio.run(main())
