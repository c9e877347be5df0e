"""Fixtures shared by the storage, reminders and import/export tests."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from core.storage import Store
from tests.reminders.fakes import FakeClock


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(dt.datetime(2026, 1, 12, 9, 0, tzinfo=dt.UTC))


@pytest.fixture
async def store(tmp_path: Path, clock: FakeClock) -> AsyncIterator[Store]:
    s = await Store.open(tmp_path / "db" / "t.sqlite3", clock=clock)
    yield s
    await s.close()
