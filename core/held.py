"""Updates held over a restart: what a front end had received but not started when its
bounded stop ran out of time. The messenger counts them delivered, so they are kept in the
database and handled after the next start, in the order they arrived:

    held = HeldUpdates(store)
    await held.hold([(user_id, text), ...])      # at the stop: one short unit of work
    fresh, stale = await held.take_all()         # at the start: read and deleted together

An update's meaning is the front end's (`text` is its JSON). `take_all` deletes what it
returns in the same unit of work, so a crash after it never hands the same update out twice
(a crash before the front end has handled them loses them: at most once, never twice). Held
updates older than `MAX_AGE` are returned apart (`stale`), for the front end to log and drop.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from core.storage import Store

MAX_AGE = dt.timedelta(days=7)


@dataclass(frozen=True, slots=True)
class HeldUpdate:
    user_id: int | None
    text: str  # the update's JSON, as the front end wrote it
    at: dt.datetime  # when it was held


class HeldUpdates:
    """The updates held over a restart, in the store."""

    def __init__(self, store: Store, *, max_age: dt.timedelta = MAX_AGE) -> None:
        self.store = store
        self.max_age = max_age

    async def hold(self, items: Sequence[tuple[int | None, str]]) -> int:
        """Keeps `(user_id, json)` pairs, in their order; returns how many."""
        if not items:
            return 0
        async with self.store.transaction() as tx:
            return await tx.held.system_hold(items)

    async def take_all(self) -> tuple[list[HeldUpdate], list[HeldUpdate]]:
        """Every held update, oldest first, removed from the store: (fresh, stale)."""
        async with self.store.transaction() as tx:
            rows = await tx.held.system_take_all()
        cutoff = self.store.clock.now() - self.max_age
        taken = [HeldUpdate(*row) for row in rows]
        return [h for h in taken if h.at >= cutoff], [h for h in taken if h.at < cutoff]
