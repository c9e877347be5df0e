"""Each user's guided flow, written through (bot/README.md, "Guided flows survive a restart")."""

from __future__ import annotations

import datetime as dt

from core.storage.models import (
    from_epoch,
    to_epoch,
)
from core.storage.repos._base import _Repo


class FlowRepo(_Repo):
    """Each user's half-finished guided flow, as JSON with the moment of its last step
    (`core.flows`). A user without a record keeps no flow: the row needs the user's."""

    async def put(self, owner: int, state: str) -> bool:
        n = await self._run(
            "INSERT INTO flows (user_id, state, updated_at)"
            " SELECT id, ?, ? FROM users WHERE id = ?"
            " ON CONFLICT (user_id) DO UPDATE SET state = excluded.state,"
            " updated_at = excluded.updated_at",
            (state, self.now(), owner),
        )
        return n > 0

    async def get(self, owner: int) -> tuple[str, dt.datetime] | None:
        r = await self._one("SELECT state, updated_at FROM flows WHERE user_id = ?", (owner,))
        return None if r is None else (str(r[0]), from_epoch(int(r[1])))

    async def delete(self, owner: int) -> bool:
        return await self._run("DELETE FROM flows WHERE user_id = ?", (owner,)) > 0

    # --- the front end's start-up (system, not owner-scoped) -----------------------------------

    async def system_since(self, since: dt.datetime) -> list[tuple[int, str, dt.datetime]]:
        """Every flow whose last step was at or after `since`."""
        rows = await self._all(
            "SELECT user_id, state, updated_at FROM flows WHERE updated_at >= ? ORDER BY user_id",
            (to_epoch(since),),
        )
        return [(int(r[0]), str(r[1]), from_epoch(int(r[2]))) for r in rows]

    async def system_delete_before(self, before: dt.datetime) -> int:
        """Forgets the flows whose last step was before `before`; returns how many."""
        return await self._run("DELETE FROM flows WHERE updated_at < ?", (to_epoch(before),))
