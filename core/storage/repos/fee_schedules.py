"""Fee schedules the staff installed (TOML documents, newest last)."""

from __future__ import annotations

from core.storage.repos._base import _Repo


class FeeScheduleRepo(_Repo):
    """Fee schedules installed by the staff: their TOML documents, by id (system-side)."""

    async def put(
        self, schedule_id: str, effective_from: str, document: str, by: int | None
    ) -> None:
        await self._run(
            "INSERT INTO fee_schedules (id, effective_from, document, installed_by, installed_at)"
            " VALUES (?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET"
            " effective_from = excluded.effective_from, document = excluded.document,"
            " installed_by = excluded.installed_by, installed_at = excluded.installed_at",
            (schedule_id, effective_from, document, by, self.now()),
        )

    async def documents(self) -> list[str]:
        """Every installed document, oldest effective date first."""
        rows = await self._all("SELECT document FROM fee_schedules ORDER BY effective_from, id")
        return [str(r[0]) for r in rows]

    async def newest(self) -> tuple[str, str] | None:
        """The schedule installed last in force order — (id, effective_from) — or None."""
        r = await self._one(
            "SELECT id, effective_from FROM fee_schedules"
            " ORDER BY effective_from DESC, installed_at DESC, id DESC LIMIT 1"
        )
        return None if r is None else (str(r[0]), str(r[1]))

    async def delete(self, schedule_id: str) -> None:
        await self._run("DELETE FROM fee_schedules WHERE id = ?", (schedule_id,))
