"""Guided flows kept across restarts: each user's half-finished flow, as a JSON object.

A front end (the bot) asks a guided flow's questions one at a time; what it has been told so far
is the flow's *state*, a JSON object whose meaning is the front end's. `Flows` keeps it in the
database, per user, with the moment of its last step, so that neither a restart nor a crash of
the process forgets it:

    flows = Flows(store)
    text = dump(state)                  # canonical JSON; TypeError for a value JSON cannot hold
    await flows.save(user_id, text)     # after a step that changed it (stamped with the clock)
    await flows.save(user_id, None)     # the flow ended
    for saved in await flows.restore(): # at start-up: every flow still fresh, stale ones deleted
        ...

A flow whose last step is more than `MAX_AGE` old is stale (`expired`): `restore` deletes it,
and the front end drops one it holds in memory the same way, so that a flow left half-done for
days does not capture the user's next question. A flow is stored only for a user with a record,
goes with that record (`Reminders.forget`: ON DELETE CASCADE), and is read by owner only.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from core.storage import Store

MAX_AGE = dt.timedelta(hours=24)


@dataclass(frozen=True, slots=True)
class SavedFlow:
    owner: int
    state: dict[str, Any]
    text: str  # the JSON as stored (`dump(state)`)
    at: dt.datetime  # its last step


def dump(state: Mapping[str, Any]) -> str:
    """The canonical JSON of a flow's state (equal states, equal text). Only what JSON holds
    as it is: a date must be an ISO string, a tuple a list, every key a string — anything else
    raises TypeError rather than come back changed after a restart."""
    _check(state)
    return json.dumps(state, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def _check(value: Any) -> None:
    if isinstance(value, Mapping):
        for key, item in value.items():
            if not isinstance(key, str):
                raise TypeError(f"a flow's keys are strings, not {type(key).__name__}")
            _check(item)
    elif isinstance(value, list):
        for item in value:
            _check(item)
    elif value is not None and not isinstance(value, str | int | float | bool):
        raise TypeError(f"a flow holds no {type(value).__name__}: store it as JSON")


def expired(at: dt.datetime, now: dt.datetime, max_age: dt.timedelta = MAX_AGE) -> bool:
    """A flow whose last step was at `at` is stale at `now`."""
    return now - at > max_age


class Flows:
    """The users' half-finished guided flows in the store."""

    def __init__(self, store: Store, *, max_age: dt.timedelta = MAX_AGE) -> None:
        self.store = store
        self.max_age = max_age

    async def save(self, owner: int, text: str | None) -> bool:
        """`text` (from `dump`) becomes the user's flow, stamped now; None deletes it. False:
        nothing stored (no record of the user, or no flow to delete)."""
        async with self.store.transaction() as tx:
            if text is None:
                return await tx.flows.delete(owner)
            return await tx.flows.put(owner, text)

    async def load(self, owner: int) -> SavedFlow | None:
        """The user's flow, if one is stored and fresh."""
        async with self.store.transaction() as tx:
            found = await tx.flows.get(owner)
        if found is None or expired(found[1], self.store.clock.now(), self.max_age):
            return None
        return _parsed(owner, *found)

    async def restore(self) -> list[SavedFlow]:
        """At start-up: the stale flows are deleted, the fresh ones returned."""
        cutoff = self.store.clock.now() - self.max_age
        async with self.store.transaction() as tx:
            await tx.flows.system_delete_before(cutoff)
            rows = await tx.flows.system_since(cutoff)
        return [saved for row in rows if (saved := _parsed(*row)) is not None]


def _parsed(owner: int, text: str, at: dt.datetime) -> SavedFlow | None:
    try:
        state = json.loads(text)
    except ValueError:
        return None
    return SavedFlow(owner, state, text, at) if isinstance(state, dict) else None
