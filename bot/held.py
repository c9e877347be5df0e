"""Updates held over a restart (`core.held`): what the bounded stop took out of the users'
lanes before it started (`bot.updates.UserLanes.hand_over`) is written to the database, and put
back into the update queue at the next start, before anything new, in the order it arrived.

Telegram counts those updates delivered (the Updater acknowledged them), so without this a
user's message or button press (an alert's Paid) that waited behind a slow handler at the stop
would be lost. Each is written as PTB's `Update.to_dict()` in JSON and read back with
`Update.de_json`. A button press held over a restart is usually too old to be answered
(`answerCallbackQuery`: "query is too old"): `bot.render.reply.ack` lets it go, so the press
still takes effect.

Once at most, never twice: `replay` takes the updates out of the database in the same step that
queues them. The one window left: a crash (SIGKILL, power cut) after that step and before they
are handled loses them; a clean stop meanwhile holds them again (they wait in their lanes).
"""

from __future__ import annotations

import asyncio
import json
import logging
from typing import Any

from telegram import Bot, Update

from core.held import MAX_AGE, HeldUpdates
from core.storage import Store

log = logging.getLogger("pctby.bot")


def serialised(updates: list[object]) -> list[tuple[int | None, str]]:
    """`(user id, JSON)` of each update, in order (what is not a Telegram update is skipped)."""
    items: list[tuple[int | None, str]] = []
    for update in updates:
        if not isinstance(update, Update):
            log.warning("stop: a %s never started, not held", type(update).__name__)
            continue
        user = update.effective_user
        items.append((user.id if user is not None else None, json.dumps(update.to_dict())))
    return items


async def hold(store: Store | None, updates: list[object]) -> None:
    """At the stop (`BoundedStop.on_hold`): the updates that never started, kept in one unit
    of work."""
    if store is None:
        raise RuntimeError("no database to hold updates in")
    await HeldUpdates(store).hold(serialised(updates))


async def replay(store: Store, bot: Bot, queue: asyncio.Queue[Any]) -> int:
    """At the start, before the first new update: the held updates, oldest first, into the
    application's update queue, taken out of the database in the same step; those held for
    longer than `core.held.MAX_AGE` are dropped and logged. Returns how many were queued."""
    fresh, stale = await HeldUpdates(store).take_all()
    if stale:
        log.warning(
            "%d held update(s) older than %d days dropped (users: %s)",
            len(stale),
            MAX_AGE.days,
            sorted({h.user_id for h in stale if h.user_id is not None}),
        )
    queued = 0
    for held in fresh:
        try:
            update = Update.de_json(json.loads(held.text), bot)
        except (ValueError, TypeError, KeyError):
            log.exception("a held update of user %s could not be read, dropped", held.user_id)
            continue
        queue.put_nowait(update)
        queued += 1
    if queued:
        log.info("%d held update(s) queued before new ones", queued)
    return queued
