"""Users: their settings, language, time zone, and whether they blocked the bot."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from core.storage.models import (
    User,
    from_epoch,
)
from core.storage.repos._base import Row, _days, _Repo, _time

USER_COLS = (
    "id, chat_id, language, tz, alert_time, quiet_start, quiet_end, lead_days, "
    "grace_lead_days, blocked, created_at"
)


def user_from_row(r: Row) -> User:
    return User(
        id=r[0],
        # What the bot sends on its own goes to the user's private chat, whose id is the
        # user's: never to a chat stored from a group (older rows may hold one).
        chat_id=r[0],
        language=r[2],
        tz=r[3],
        alert_time=_time(r[4]),
        quiet_start=_time(r[5]),
        quiet_end=_time(r[6]),
        lead_days=_days(r[7]),
        grace_lead_days=_days(r[8]),
        blocked=bool(r[9]),
        created_at=from_epoch(r[10]),
    )


_UNSET: Any = object()


class UserRepo(_Repo):
    async def get(self, user_id: int) -> User | None:
        r = await self._one(f"SELECT {USER_COLS} FROM users WHERE id = ?", (user_id,))
        return None if r is None else user_from_row(r)

    async def ensure(
        self, user_id: int, *, chat_id: int | None = None, language: str | None = None
    ) -> User:
        """The user, created on first sight (chat id defaults to the user id: a private chat).

        An existing user's language is set only where given; nothing else changes.
        """
        now = self.now()
        await self._run(
            "INSERT INTO users (id, chat_id, language, created_at, updated_at)"
            " VALUES (?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING",
            (user_id, chat_id if chat_id is not None else user_id, language, now, now),
        )
        if language is not None:
            await self._run(
                "UPDATE users SET language = ?, updated_at = ? WHERE id = ? AND language IS NOT ?",
                (language, now, user_id, language),
            )
        user = await self.get(user_id)
        assert user is not None
        return user

    async def ensure_many(self, user_ids: Iterable[int]) -> None:
        """`ensure` (without a language) for many users: those new are created."""
        now = self.now()
        await self.conn.executemany(
            "INSERT INTO users (id, chat_id, language, created_at, updated_at)"
            " VALUES (?, ?, NULL, ?, ?) ON CONFLICT (id) DO NOTHING",
            [(user_id, user_id, now, now) for user_id in user_ids],
        )

    async def seen(
        self, user_id: int, chat_id: int | None = None, language: str | None = None
    ) -> bool:
        """The user wrote to the bot: clears `blocked`. The chat the bot writes to on its own
        is the user's private chat (its id is the user's), whatever chat this came from:
        `chat_id` is not stored.

        Returns True where the user had been blocked (the caller then replans their cases).
        """
        before = await self.ensure(user_id, language=language)
        if before.blocked or before.chat_id != user_id:
            await self._run(
                "UPDATE users SET chat_id = id, blocked = 0, updated_at = ? WHERE id = ?",
                (self.now(), user_id),
            )
        return before.blocked

    async def update(
        self,
        user_id: int,
        *,
        language: str | None = _UNSET,
        tz: str | None = _UNSET,
        alert_time: dt.time | None = _UNSET,
        quiet_start: dt.time | None = _UNSET,
        quiet_end: dt.time | None = _UNSET,
        lead_days: Iterable[int] | None = _UNSET,
        grace_lead_days: Iterable[int] | None = _UNSET,
    ) -> bool:
        """Sets the given settings (None resets one to its default)."""
        sets: list[str] = []
        params: list[Any] = []

        def put(col: str, value: Any) -> None:
            if value is not _UNSET:
                sets.append(f"{col} = ?")
                params.append(value)

        put("language", language)
        put("tz", tz)
        for col, t in (
            ("alert_time", alert_time),
            ("quiet_start", quiet_start),
            ("quiet_end", quiet_end),
        ):
            put(col, t if t is _UNSET or t is None else t.strftime("%H:%M"))
        for col, days in (("lead_days", lead_days), ("grace_lead_days", grace_lead_days)):
            if days is _UNSET or days is None:
                put(col, days)
            else:
                put(col, ",".join(str(int(d)) for d in sorted(set(days), reverse=True)))
        if not sets:
            return False
        sets.append("updated_at = ?")
        params += [self.now(), user_id]
        return await self._run(f"UPDATE users SET {', '.join(sets)} WHERE id = ?", params) > 0

    async def set_blocked(self, user_id: int, blocked: bool = True) -> None:
        """Blocked users get no alerts; their data stays."""
        await self._run(
            "UPDATE users SET blocked = ?, updated_at = ? WHERE id = ?",
            (int(blocked), self.now(), user_id),
        )

    async def reachable(self, after_id: int = 0) -> list[tuple[int, int, str | None]]:
        """(id, chat id, language) of every user who has not blocked the bot, by id, from
        `after_id` on (a broadcast's recipients; system-side). A team's account (a negative id,
        `core.teams.models.account_of`) is nobody's chat."""
        rows = await self._all(
            "SELECT id, chat_id, language FROM users WHERE blocked = 0 AND id > ? AND id > 0"
            " ORDER BY id",
            (after_id,),
        )
        return [(int(r[0]), int(r[1]), r[2]) for r in rows]

    async def system_zones(self) -> dict[int, str]:
        """The time zone of every user who set one (most keep the default), by id."""
        rows = await self._all("SELECT id, tz FROM users WHERE tz IS NOT NULL")
        return {int(r[0]): str(r[1]) for r in rows}

    async def delete(self, user_id: int) -> bool:
        """Forgets the user with every case, event, alert and ticket (on their request)."""
        return await self._run("DELETE FROM users WHERE id = ?", (user_id,)) > 0
