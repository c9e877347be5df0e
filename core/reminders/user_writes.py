"""What the user does as a user: their settings (language, zone, alert time, lead times, quiet
hours) and the day in their zone, being seen again after blocking the bot, and forgetting
everything of theirs. A change that moves alerts plans the user's cases again."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from core.reminders.next_alert import Planner
from core.reminders.timing import zone


class UserWrites(Planner):
    """The user's own record: settings, language, first and returning sight, erasure."""

    async def forget(self, owner: int) -> bool:
        """Every case, event, alert, ticket and setting of the user (on their request), and
        their memberships: a team whose last owner they were gets another
        (`core.teams.membership.hand_over`), a team of theirs alone goes with its cases."""
        from core.teams.membership import hand_over

        async with self.store.transaction() as tx:
            await hand_over(tx, owner)  # their teams keep an owner; a team of one goes
            deleted = await tx.users.delete(owner)
        self._changed()
        return deleted

    async def today_for(self, owner: int) -> dt.date:
        """Today in the user's zone: the date a button or a dateless /record gives an event."""
        async with self.store.transaction() as tx:
            return self.prefs(await tx.users.get(owner)).today(self._now())

    async def todays(self) -> Callable[[int], dt.date]:
        """Today in each user's zone, for a file of many users' rows (`pctby import`): one
        read of the zones users set; the others are in the default zone."""
        async with self.store.transaction() as tx:
            zones = await tx.users.system_zones()
        now = self._now()
        default = self.prefs(None).today(now)
        found = {user: now.astimezone(zone(name)).date() for user, name in zones.items()}
        return lambda user: found.get(user, default)

    async def update_settings(self, owner: int, **settings: Any) -> None:
        """Sets the user's settings (see `UserRepo.update`) and replans their cases."""
        if settings.get("tz"):
            zone(str(settings["tz"]))
        async with self.store.transaction() as tx:
            await tx.users.ensure(owner)
            await tx.users.update(owner, **settings)
            await self.replan_user(tx, owner)
        self._changed()

    async def user_wrote(self, owner: int, language: str) -> str | None:
        """Any update from the user, in one unit of work: recorded on first sight (with
        `language` until they choose one); one marked blocked is unblocked and their cases
        planned again. Returns the language they chose earlier, if any."""
        async with self.store.transaction() as tx:
            before = await tx.users.get(owner)
            was_blocked = await tx.users.seen(owner)
            if before is None or before.language is None:
                await tx.users.update(owner, language=language)
            if was_blocked:
                await self.replan_user(tx, owner)
        if was_blocked:
            self._changed()
        return None if before is None else before.language

    async def set_language(self, owner: int, language: str) -> None:
        async with self.store.transaction() as tx:
            await tx.users.ensure(owner, language=language)

    async def user_returned(self, owner: int, language: str | None = None) -> bool:
        """Any update from the user: one marked blocked is unblocked and their cases planned
        again (the alert that met the block, never delivered, is planned anew). True where
        they had been blocked."""
        async with self.store.transaction() as tx:
            was_blocked = await tx.users.seen(owner, language=language)
            if was_blocked:
                await self.replan_user(tx, owner)
        if was_blocked:
            self._changed()
        return was_blocked
