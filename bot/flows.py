"""Guided flows survive a restart: each user's flow is written through to the database after
every update that changed it, and read back when the application starts (`core.flows`).

What is stored is the flow only (`user_data["flow"]`: its name, step and answers so far) —
never the rest of `user_data`, whose other keys (`lang.stored`, …) mean "checked in this
process" and must start empty in a new one. Two process-local keys go with it: the moment of
the flow's last step (`flow.at`, for its age limit) and the JSON last written (`flow.saved`),
against which the flow is compared after the next update, so that only a change is written.

`after_update` runs once the router is done with an update — whichever group stopped it
(`ApplicationHandlerStop`) or failed — from `FlowApplication.process_update`, in the user's
lane (`bot/updates.py`): one user's writes keep their order.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Callable, MutableMapping
from typing import Any

from telegram import Update
from telegram.ext import Application

from bot.context import FLOW_AT_KEY, FLOW_KEY, SERVICES_KEY, Services
from bot.updates import BoundedStop
from core.clock import Clock
from core.flows import Flows, dump
from core.storage import Store

log = logging.getLogger("pctby.bot")

FLOW_SAVED_KEY = "flow.saved"  # user_data: the flow's JSON as the database holds it

UserData = MutableMapping[Any, Any]


class FlowApplication(BoundedStop):
    """PTB's `Application` (with a bounded stop), writing the user's guided flow through after
    each update. `on_done`, where set, is told of every update once the router is done with
    it — whichever handler group stopped it, or failed (the console waits on it)."""

    __slots__ = ("on_done",)

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.on_done: Callable[[object], None] | None = None

    async def process_update(self, update: object) -> None:
        try:
            await super().process_update(update)
        finally:
            try:
                await after_update(self, update)
            finally:
                if self.on_done is not None:
                    self.on_done(update)


async def after_update(app: Application[Any, Any, Any, Any, Any, Any], update: object) -> None:
    user = update.effective_user if isinstance(update, Update) else None
    services = app.bot_data.get(SERVICES_KEY)
    if user is None or not isinstance(services, Services) or services.store is None:
        return
    data = app.user_data.get(user.id)
    if data is not None:
        await save(services.store, services.clock, user.id, data)


async def save(store: Store, clock: Clock, user_id: int, data: UserData) -> None:
    """Writes the user's flow if it was started, changed or ended since it was last written."""
    flow = data.get(FLOW_KEY)
    if not isinstance(flow, dict):
        if FLOW_SAVED_KEY not in data:
            return  # most updates: no flow, none stored
        flow = None
    try:
        text = None if flow is None else dump(flow)
    except TypeError:
        log.exception("flow %r of user %s not saved: not JSON", data[FLOW_KEY].get("name"), user_id)
        return
    if text == data.get(FLOW_SAVED_KEY):
        return
    if text is not None:
        data[FLOW_AT_KEY] = clock.now()  # its last step: the age limit counts from here
    try:
        stored = await Flows(store).save(user_id, text)
    except sqlite3.Error:
        log.exception("flow of user %s not saved", user_id)
        stored = False
    if text is not None and stored:
        data[FLOW_SAVED_KEY] = text
    else:  # ended, or not stored: the next update that has a flow writes it
        data.pop(FLOW_SAVED_KEY, None)


async def restore(user_data: Any, store: Store) -> int:
    """At start-up, before the first update: every fresh flow back in its user's `user_data`
    (stale ones are deleted); returns how many."""
    saved = await Flows(store).restore()
    for flow in saved:
        data = user_data[flow.owner]
        data[FLOW_KEY] = flow.state
        data[FLOW_AT_KEY] = flow.at
        data[FLOW_SAVED_KEY] = flow.text
    if saved:
        log.info("%d guided flows restored", len(saved))
    return len(saved)
