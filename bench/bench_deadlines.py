"""Benchmarks of the deadline engine.

- Deadline sets for N generated cases (default 100,000; target: under 5 s on one core).
- Cold start of `pctby deadlines --json` as a process (target: under 0.6 s), measured side by
  side with `python -c pass` so the figure can be read as a ratio on any machine.

Run: .venv/bin/python bench/bench_deadlines.py [--cases N] [--runs R]
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from _common import cold_start  # noqa: E402

from core.deadlines import Event, EventKind, compute, facts_from  # noqa: E402
from core.models import Kind  # noqa: E402


def generate(n: int, seed: int = 7) -> list[dict[str, object]]:
    rnd = random.Random(seed)
    start = dt.date(2015, 1, 1)
    cases = []
    for _ in range(n):
        priority = start + dt.timedelta(days=rnd.randrange(0, 365 * 12))
        filing = priority + dt.timedelta(days=rnd.randrange(0, 366))
        kind = Kind.PATENT if rnd.random() < 0.8 else Kind.UTILITY_MODEL
        entry = filing + dt.timedelta(days=rnd.randrange(400, 600)) if rnd.random() < 0.6 else None
        grant = filing + dt.timedelta(days=rnd.randrange(900, 1500)) if rnd.random() < 0.3 else None
        events = []
        if entry and rnd.random() < 0.5:
            events.append(Event(kind=EventKind.EXAMINATION_REQUESTED, date=entry))
        cases.append(
            {
                "priority": priority,
                "filing": filing,
                "kind": kind,
                "entry": entry,
                "grant_decision": grant,
                "events": events,
            }
        )
    return cases


def bench_engine(n: int) -> tuple[float, int]:
    cases = generate(n)
    t0 = time.process_time()
    total = 0
    for c in cases:
        total += len(compute(facts_from(**c)))  # type: ignore[arg-type]
    return time.process_time() - t0, total


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--cases", type=int, default=100_000)
    ap.add_argument("--runs", type=int, default=9)
    args = ap.parse_args()

    seconds, total = bench_engine(args.cases)
    print(
        f"deadline sets: {args.cases:,} cases, {total:,} deadlines in {seconds:.2f} s CPU "
        f"({args.cases / seconds:,.0f} cases/s; target < 5 s for 100,000)"
    )
    py = sys.executable
    pctby = str(Path(py).with_name("pctby"))
    base = cold_start([py, "-c", "pass"], args.runs)
    cmd = cold_start(
        [pctby, "deadlines", "--priority", "2024-03-15", "--filing", "2025-03-14", "--json"],
        args.runs,
    )
    print(
        f"cold start `pctby deadlines --json`: {cmd:.3f} s median of {args.runs} "
        f"(python -c pass: {base:.3f} s; ratio {cmd / base:.1f}x; target < 0.6 s)"
    )


if __name__ == "__main__":
    main()
