"""Each user's last answers to the entry form (offered the next time)."""

from __future__ import annotations

from core.storage.repos._base import _Repo


class EntryFormRepo(_Repo):
    """The answers a user gave for their last entry request (`/entryform`), as JSON."""

    async def get(self, owner: int) -> str | None:
        r = await self._one("SELECT data FROM entryform_answers WHERE user_id = ?", (owner,))
        return None if r is None else str(r[0])

    async def put(self, owner: int, data: str) -> None:
        await self._run(
            "INSERT INTO entryform_answers (user_id, data, updated_at) VALUES (?, ?, ?)"
            " ON CONFLICT (user_id) DO UPDATE SET data = excluded.data,"
            " updated_at = excluded.updated_at",
            (owner, data, self.now()),
        )
