"""Updates held over a restart (`core.held`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from core.storage.models import (
    from_epoch,
)
from core.storage.repos._base import _Repo


class HeldUpdateRepo(_Repo):
    """Updates received and never started before a stop (`core.held`); system-side: the
    front end's stop writes them and its start takes them, whoever sent them."""

    async def system_hold(self, items: Sequence[tuple[int | None, str]]) -> int:
        """Appends `(user_id, json)` pairs in their order; returns how many."""
        now = self.now()
        await self.conn.executemany(
            "INSERT INTO held_updates (user_id, update_json, held_at) VALUES (?, ?, ?)",
            [(user_id, text, now) for user_id, text in items],
        )
        return len(items)

    async def system_take_all(self) -> list[tuple[int | None, str, dt.datetime]]:
        """Every held update, oldest first, deleted as it is read (one unit of work)."""
        rows = await self._all(
            "SELECT id, user_id, update_json, held_at FROM held_updates ORDER BY id"
        )
        if rows:
            await self._run("DELETE FROM held_updates WHERE id <= ?", (int(rows[-1][0]),))
        return [
            (None if r[1] is None else int(r[1]), str(r[2]), from_epoch(int(r[3]))) for r in rows
        ]
