"""What every repository shares: the connection, the clock in unix seconds, and reading rows."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any

import aiosqlite

Now = Callable[[], int]
Row = Any  # sqlite3.Row-like tuple


def _date(value: str | None) -> dt.date | None:
    return None if value is None else dt.date.fromisoformat(value)


def _time(value: str | None) -> dt.time | None:
    return None if value is None else dt.time.fromisoformat(value)


def _days(value: str | None) -> tuple[int, ...] | None:
    if value is None:
        return None
    return tuple(int(v) for v in value.split(",") if v.strip())


CHUNK = 500  # keys of one IN list (SQLite's limit on bound parameters is far above)


class _Repo:
    def __init__(self, conn: aiosqlite.Connection, now: Now) -> None:
        self.conn = conn
        self.now = now

    async def _one(self, sql: str, params: Sequence[Any] = ()) -> Row | None:
        """The first row (queries of at most a few rows: by key, LIMIT 1, an aggregate)."""
        rows = await self.conn.execute_fetchall(sql, params)
        return next(iter(rows), None)

    async def _all(self, sql: str, params: Sequence[Any] = ()) -> list[Row]:
        # one call into aiosqlite's thread (execute, fetch and close would be three)
        return list(await self.conn.execute_fetchall(sql, params))

    async def _in(self, sql: str, first: Sequence[Any], keys: Sequence[Any]) -> list[Row]:
        """`sql` with `{marks}` (an IN list) for `keys`, `CHUNK` keys a query; `first`: the
        parameters before the list."""
        rows: list[Row] = []
        for start in range(0, len(keys), CHUNK):
            chunk = keys[start : start + CHUNK]
            marks = ",".join("?" * len(chunk))
            rows += await self._all(sql.format(marks=marks), (*first, *chunk))
        return rows

    async def _run(self, sql: str, params: Sequence[Any] = ()) -> int:
        """Executes; returns the number of rows changed."""
        async with self.conn.execute(sql, params) as cur:
            return int(cur.rowcount)
