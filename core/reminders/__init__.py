"""Alerts before deadlines, and the writes that move them: the front-ends call `Reminders`.

    service.py         `Reminders`: the one object the bot, the CLI and the desk call; joins
                       the four services below over one store
    case_writes.py     the user's changes to cases: save, import, record, Paid, delete; Snooze,
                       Stop, Resume on their alerts — each with its case's alerts planned again
    user_writes.py     the user's own record: settings, language, returning after a block, erasure
    next_alert.py      `Planner`: a case's next alert written to the outbox (the services' base)
    timing.py          when to alert which deadline: pure functions of facts, settings, the moment
    delivery.py        the dispatcher's steps on one alert: due, claim, delivered, blocked, retry
    dispatcher.py      `Dispatcher`: sends due alerts from the outbox, within Telegram's limits
    replan_all.py      every case planned again after a change of the rules, in worker processes
    replan_batches.py  one batch of that: read, plan (pure, picklable), write; the rules' digest
    models.py          `Alert`: the structured alert a `Notifier` renders (no text here)

    store = await Store.open(path)
    dispatcher = Dispatcher(reminders := Reminders(store), notifier)
    reminders.on_change = dispatcher.wake
    dispatcher.start(); …; await dispatcher.stop(); await store.close()

No text is built here: a `Notifier` (the bot's adapter) receives a structured `Alert` and
renders it in the user's language; it raises `RetryAfter`, `Blocked` or `TransientError`.
"""

from core.reminders.dispatcher import (
    Blocked,
    Dispatcher,
    Notifier,
    NotifierError,
    RetryAfter,
    TransientError,
)
from core.reminders.models import Alert, AlertItem, Lead
from core.reminders.service import (
    MAX_SNOOZE_DAYS,
    DetailsSaved,
    Outcome,
    Recorded,
    Reminders,
    prefs_of,
)
from core.reminders.timing import (
    DEFAULT_ALERT_TIME,
    DEFAULT_GRACE_LEAD_DAYS,
    DEFAULT_LEAD_DAYS,
    DEFAULT_QUIET_END,
    DEFAULT_QUIET_START,
    DEFAULT_TZ,
    Plan,
    Prefs,
    open_deadlines,
    plan_next,
)

__all__ = [
    "DEFAULT_ALERT_TIME",
    "DEFAULT_GRACE_LEAD_DAYS",
    "DEFAULT_LEAD_DAYS",
    "DEFAULT_QUIET_END",
    "DEFAULT_QUIET_START",
    "DEFAULT_TZ",
    "MAX_SNOOZE_DAYS",
    "Alert",
    "AlertItem",
    "Blocked",
    "DetailsSaved",
    "Dispatcher",
    "Lead",
    "Notifier",
    "NotifierError",
    "Outcome",
    "Plan",
    "Prefs",
    "Recorded",
    "Reminders",
    "RetryAfter",
    "TransientError",
    "open_deadlines",
    "plan_next",
    "prefs_of",
]
