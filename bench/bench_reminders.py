"""Plan reminders for N cases, then time the due-alert query of one dispatcher tick.

    .venv/bin/python bench/bench_reminders.py --cases 1000000 --db /tmp/bench.sqlite3

Targets (issue 3): planning 1,000,000 cases under 2 minutes with peak memory under 500 MB;
the due-alert query under 20 ms per tick.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import random
import resource
import sqlite3
import statistics
import time
from pathlib import Path

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


async def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--cases", type=int, default=200_000)
    ap.add_argument("--db", default="/tmp/pctby-bench.sqlite3")
    ap.add_argument("--ticks", type=int, default=200)
    args = ap.parse_args()
    path = Path(args.db)
    for suffix in ("", "-wal", "-shm"):
        Path(str(path) + suffix).unlink(missing_ok=True)
    store = await Store.open(path)
    await store.close()
    t0 = time.perf_counter()
    fill(path, args.cases)
    print(f"filled {args.cases:,} cases in {time.perf_counter() - t0:.1f} s")

    store = await Store.open(path)
    reminders = Reminders(store)
    t0 = time.perf_counter()
    planned = await reminders.replan_all(batch=5000)
    took = time.perf_counter() - t0
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    stats = await store.stats()
    print(
        f"planned {planned:,} cases in {took:.1f} s ({planned / took:,.0f} cases/s); "
        f"{stats.alerts_planned:,} alerts planned; peak RSS {peak:.0f} MB"
    )

    # the due-alert query of one tick, at moments spread over the next year
    times: list[float] = []
    now = dt.datetime.now(dt.UTC)
    for i in range(args.ticks):
        store.clock = lambda i=i: now + dt.timedelta(hours=i * 24 * 365 / args.ticks)  # type: ignore[misc]
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
