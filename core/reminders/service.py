"""`Reminders`: one object with the reminder services of the store, each kept in its own module.

- `next_alert.Planner` — a case's next alert written to the outbox inside a unit of work (the
  shared base of the others);
- `case_writes.CaseWrites` — what the user does to cases: save, import, record an event, Paid,
  delete; Snooze, Stop and Resume on their alerts;
- `user_writes.UserWrites` — what the user does as a user: settings, language, erasure;
- `delivery.OutboxSteps` — the dispatcher's steps: due, claim, delivered, blocked, retry;
- `replan_all.BulkReplan` — every case planned again after a change of the rules.

Every public method opens its own unit of work unless it takes one (`tx`), so the bot calls
`await reminders.record(...)` and the import calls `await reminders.replan(tx, ...)`
inside its own transaction. Each change that can move an alert calls `on_change` (the
dispatcher's `wake`).
"""

from __future__ import annotations

from core.reminders.case_writes import (
    MAX_SNOOZE_DAYS,
    CaseWrites,
    DetailsSaved,
    Outcome,
    Recorded,
)
from core.reminders.delivery import OutboxSteps
from core.reminders.next_alert import Planner, payload_of, prefs_of
from core.reminders.replan_all import BulkReplan
from core.reminders.user_writes import UserWrites


class Reminders(CaseWrites, UserWrites, OutboxSteps, BulkReplan):
    """Plans, records and dispatches the alerts of every case in a store."""


__all__ = [
    "MAX_SNOOZE_DAYS",
    "DetailsSaved",
    "Outcome",
    "Planner",
    "Recorded",
    "Reminders",
    "payload_of",
    "prefs_of",
]
