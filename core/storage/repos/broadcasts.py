"""The staff's broadcasts and how far each has gone."""

from __future__ import annotations

from core.storage.models import (
    Broadcast,
)
from core.storage.repos._base import Row, _Repo

BROADCAST_COLS = "id, text, staff_chat_id, status, total, last_user_id, delivered, blocked, failed"
_BROADCAST_OUTCOMES = frozenset({"delivered", "blocked", "failed"})


def _broadcast(r: Row) -> Broadcast:
    return Broadcast(
        id=r[0],
        text=r[1],
        staff_chat_id=r[2],
        done=r[3] == "done",
        total=r[4],
        last_user_id=r[5],
        delivered=r[6],
        blocked=r[7],
        failed=r[8],
    )


class BroadcastRepo(_Repo):
    """Staff broadcasts (system-side): started, advanced one recipient at a time, finished."""

    async def start(self, text: str, staff_chat_id: int, total: int) -> Broadcast:
        now = self.now()
        async with self.conn.execute(
            "INSERT INTO broadcasts (text, staff_chat_id, total, created_at, updated_at)"
            " VALUES (?, ?, ?, ?, ?)",
            (text, staff_chat_id, total, now, now),
        ) as cur:
            broadcast_id = cur.lastrowid
        assert broadcast_id is not None
        found = await self.get(broadcast_id)
        assert found is not None
        return found

    async def get(self, broadcast_id: int) -> Broadcast | None:
        r = await self._one(
            f"SELECT {BROADCAST_COLS} FROM broadcasts WHERE id = ?", (broadcast_id,)
        )
        return None if r is None else _broadcast(r)

    async def running(self) -> list[Broadcast]:
        rows = await self._all(
            f"SELECT {BROADCAST_COLS} FROM broadcasts WHERE status = 'running' ORDER BY id"
        )
        return [_broadcast(r) for r in rows]

    async def advance(self, broadcast_id: int, user_id: int, outcome: str) -> None:
        """`user_id` was served with `outcome` (delivered, blocked or failed)."""
        if outcome not in _BROADCAST_OUTCOMES:
            raise ValueError(outcome)
        await self._run(
            f"UPDATE broadcasts SET {outcome} = {outcome} + 1, last_user_id = ?, updated_at = ?"
            " WHERE id = ? AND last_user_id < ?",
            (user_id, self.now(), broadcast_id, user_id),
        )

    async def finish(self, broadcast_id: int) -> None:
        await self._run(
            "UPDATE broadcasts SET status = 'done', updated_at = ? WHERE id = ?",
            (self.now(), broadcast_id),
        )
