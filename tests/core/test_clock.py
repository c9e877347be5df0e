"""The one clock: zones, a frozen clock for the tests, and no other wall-clock reads."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from core.clock import FrozenClock, SystemClock

ROOT = Path(__file__).resolve().parents[2]
MINSK = ZoneInfo("Europe/Minsk")


def test_today_is_the_date_in_the_clocks_zone() -> None:
    # 22:30 UTC on 31 December is already 1 January in Minsk (UTC+3), not yet in New York.
    clock = FrozenClock(dt.datetime(2026, 12, 31, 22, 30, tzinfo=dt.UTC))
    assert clock.today() == dt.date(2027, 1, 1)
    assert clock.today("America/New_York") == dt.date(2026, 12, 31)
    assert clock.now().tzinfo is dt.UTC and clock() == clock.now()


def test_a_frozen_clock_stands_still_until_moved() -> None:
    clock = FrozenClock(dt.date(2028, 2, 29))  # a date: 09:00 that day in Minsk
    assert clock.local_now() == dt.datetime(2028, 2, 29, 9, 0, tzinfo=MINSK)
    assert clock.now() == clock.now()
    clock.advance(days=1)
    assert clock.today() == dt.date(2028, 3, 1)
    clock.set(dt.datetime(2030, 6, 1, 12, 0, tzinfo=dt.UTC))
    assert clock.today() == dt.date(2030, 6, 1)


async def test_a_frozen_clocks_sleep_moves_it_instead_of_waiting() -> None:
    clock = FrozenClock(dt.datetime(2026, 1, 12, 9, 0, tzinfo=dt.UTC))
    await clock.sleep(90)
    assert clock.now() == dt.datetime(2026, 1, 12, 9, 1, 30, tzinfo=dt.UTC)


def test_naive_times_are_refused() -> None:
    with pytest.raises(ValueError, match="aware"):
        FrozenClock(dt.datetime(2026, 1, 1, 9, 0))


def test_the_system_clock_is_aware_and_in_its_zone() -> None:
    clock = SystemClock("Europe/Minsk")
    now = clock.now()
    assert now.tzinfo is not None and now.utcoffset() == dt.timedelta(0)
    assert clock.local_now().utcoffset() == dt.timedelta(hours=3)


WALL_CLOCK = re.compile(r"\b(date|datetime)\.(today|now|utcnow)\(|\btime\.localtime\(")


@pytest.mark.parametrize("folder", ["core", "bot", "pctby", "bench"])
def test_nothing_but_the_clock_module_reads_the_wall_clock(folder: str) -> None:
    """Every "today" goes through a Clock, so a test can choose the date (STYLE.md §13)."""
    found = [
        f"{path.relative_to(ROOT)}:{n}: {line.strip()}"
        for path in sorted((ROOT / folder).rglob("*.py"))
        if path != ROOT / "core" / "clock.py"
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if WALL_CLOCK.search(line)
    ]
    assert found == []
