"""Guided flows survive a restart: each user's flow is written through to the database after
every update that changed it, and read back when the application starts (`core.flows`).

What is stored is the flow only (`user_data["flow"]`: its name, step and answers so far) —
never the rest of `user_data`, whose other keys (`seen`, `lang.stored`) mean "checked in this
process" and must start empty in a new one. Two process-local keys go with it: the moment of
the flow's last step (`flow.at`, for its age limit) and the JSON last written (`flow.saved`),
against which the next update's flow is compared, so that only a change is written.

`save` runs last for every update (a handler group after the features, registered by
`bot/app.py`), in the user's lane (`bot/updates.py`): one user's writes keep their order.
"""

from __future__ import annotations

import logging
import sqlite3
from typing import Any

from telegram import Update

from bot.context import FLOW_AT_KEY, FLOW_KEY, BotContext
from core.flows import Flows, dump
from core.storage import Store

log = logging.getLogger("pctby.bot")

FLOW_SAVED_KEY = "flow.saved"  # user_data: the flow's JSON as the database holds it
SAVE_GROUP = 1  # after every feature (group 0)


async def save(update: Update, context: BotContext) -> None:
    """Writes the user's flow if this update started, changed or ended it."""
    data = context.user_data
    user = update.effective_user
    if user is None or data is None:
        return
    flow = data.get(FLOW_KEY)
    if not isinstance(flow, dict):
        if FLOW_SAVED_KEY not in data:
            return  # most updates: no flow, none stored
        flow = None
    store = context.services.store
    if not isinstance(store, Store):
        return
    try:
        text = None if flow is None else dump(flow)
    except TypeError:
        log.exception("flow %r of user %s not saved: not JSON", data[FLOW_KEY].get("name"), user.id)
        return
    if text == data.get(FLOW_SAVED_KEY):
        return
    if text is not None:
        data[FLOW_AT_KEY] = context.clock.now()  # its last step: the age limit counts from here
    try:
        stored = await Flows(store).save(user.id, text)
    except sqlite3.Error:
        log.exception("flow of user %s not saved", user.id)
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
