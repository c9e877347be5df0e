"""The bot's side of `core.storage`: opening the store with the application, the user's
language, and small helpers shared by the case features."""

from __future__ import annotations

import contextlib
import logging
from typing import Any

from core.reminders import Reminders
from core.storage import Store

log = logging.getLogger("pctby.bot")


async def open_services(
    services: Any, app: Any, stack: contextlib.AsyncExitStack, *, dispatch: bool = True
) -> None:
    """Open the database and the reminders (with the dispatcher unless `dispatch` is off);
    closed in reverse."""
    store = await Store.open(services.settings.db, clock=services.clock)
    stack.push_async_callback(store.close)
    services.store = store
    services.extra[USER_DATA_KEY] = app.user_data
    from bot.alerts import start
    from core.fee_schedules import restore

    await restore(store)  # the staff's fee schedules, before any plan uses the amounts
    from bot.handlers.staff import resume_broadcasts

    await start(services, app, stack, dispatch=dispatch)
    await resume_broadcasts(services, app.bot, stack)


SEEN_KEY = "seen"  # user_data: the user's record was checked in this process
USER_DATA_KEY = "user_data"  # services.extra: the application's user_data (see mark_unseen)


async def remember_user(services: Any, user_id: int, language: str) -> str | None:
    """Record the user on first sight, and that they write again after blocking the bot
    (`Reminders.user_wrote`); returns the language they chose earlier, if any."""
    reminders: Reminders = services.extra["reminders"]
    return await reminders.user_wrote(user_id, language)


def mark_unseen(user_data: Any, user_id: int) -> None:
    """The bot found `user_id` blocked it: their next update checks their record again (and
    so unblocks them), not only the first update of the process."""
    data = user_data.get(user_id) if user_data is not None else None
    if isinstance(data, dict):
        data.pop(SEEN_KEY, None)


async def save_language(services: Any, user_id: int, lang: str) -> None:
    reminders: Reminders = services.extra["reminders"]
    await reminders.set_language(user_id, lang)
