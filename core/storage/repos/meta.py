"""Small key/value facts of the database (the rules digest, the webhook path, counters)."""

from __future__ import annotations

from core.storage.repos._base import _Repo


class MetaRepo(_Repo):
    """Facts about the database itself (system-side), by key."""

    async def get(self, key: str) -> str | None:
        r = await self._one("SELECT value FROM meta WHERE key = ?", (key,))
        return None if r is None else str(r[0])

    async def set(self, key: str, value: str) -> None:
        await self._run(
            "INSERT INTO meta (key, value, updated_at) VALUES (?, ?, ?)"
            " ON CONFLICT (key) DO UPDATE SET value = excluded.value,"
            " updated_at = excluded.updated_at",
            (key, value, self.now()),
        )
