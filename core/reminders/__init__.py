"""Alerts before deadlines: planning (pure), the service over the store, and the dispatcher.

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
