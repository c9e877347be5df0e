"""Is the running bot healthy? `pctby health` (Docker's HEALTHCHECK) asks the database.

The reminder dispatcher records each round it completes in the `meta` table (at most every
`BEAT_EVERY` seconds, and it never idles longer than that): `record_tick`. A bot is healthy when
its database answers and that record is younger than `MAX_AGE` seconds — a hung event loop, a
dispatcher that died, or a database it can no longer write all show as a stale tick.

`check` reads the database read-only with the standard `sqlite3` module (no event loop, nothing
created): quick enough for a probe every few seconds.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Final

if TYPE_CHECKING:
    from core.storage import Store

TICK_KEY: Final = "dispatcher_tick"
BEAT_EVERY: Final = 15.0  # seconds between two records of the dispatcher's tick
MAX_AGE: Final = 60.0  # older than this, the bot is not healthy


@dataclass(frozen=True, slots=True)
class Health:
    healthy: bool
    reason: str  # one sentence, for the log of the health check


async def record_tick(store: Store, now: dt.datetime) -> None:
    """The dispatcher completed a round at `now`."""
    async with store.transaction() as tx:
        await tx.meta.set(TICK_KEY, now.astimezone(dt.UTC).isoformat(timespec="seconds"))


def check(db: Path, now: dt.datetime, max_age: float = MAX_AGE) -> Health:
    """The health of the bot that runs on the database `db`, as of `now`."""
    if not db.is_file():
        return Health(False, f"there is no database at {db}")
    try:
        conn = sqlite3.connect(f"{db.resolve().as_uri()}?mode=ro", uri=True, timeout=5)
        try:
            row = conn.execute("SELECT value FROM meta WHERE key = ?", (TICK_KEY,)).fetchone()
        finally:
            conn.close()
    except sqlite3.Error as exc:
        return Health(False, f"the database {db} does not answer: {exc}")
    if row is None:
        return Health(False, "the reminder dispatcher has not run yet")
    try:
        tick = dt.datetime.fromisoformat(str(row[0]))
    except ValueError:
        return Health(False, f"the dispatcher's last tick is unreadable: {row[0]!r}")
    age = (now - tick).total_seconds()
    if age > max_age:
        return Health(False, f"the reminder dispatcher last ticked {age:.0f} s ago ({tick})")
    return Health(True, f"the database answers; the reminder dispatcher ticked {age:.0f} s ago")
