"""The buttons more than one module shows or reads: declared once here, as typed callback data
(`bot.parse.callbacks`). A feature's own buttons are declared in the feature.

- the main menu (routed by bot/handlers/__init__.py) and "Timeline" under a case card;
- the deadline buttons under an alert and under a case card (Paid / Done / What to do), read by
  bot/handlers/actions.py;
- the alert's Snooze and Stop (sent by bot/jobs/alerts.py, read by bot/handlers/alerts.py);
- the support desk's "Write to the staff" and "Close the ticket" (bot/desk).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Annotated, Literal

from bot.parse.callbacks import Between, CallbackData, Id, Token
from core.lifecycle import CLOSES, ROUTES
from core.reminders import MAX_SNOOZE_DAYS

MenuEntry = Literal["fees", "dl", "cases", "add", "rem", "faq", "lang", "help"]


@dataclass(frozen=True)
class Menu(CallbackData, feature="menu", action=""):
    """A main-menu button (`v1:menu:<entry>`), routed by bot/handlers/__init__.py."""

    entry: MenuEntry


@dataclass(frozen=True)
class ShowTimeline(CallbackData, feature="tl", action="show"):
    """ "Timeline" under a case card (bot/cases/card.py) → bot/handlers/timeline.py."""

    case_id: Id


# -- the deadline buttons ---------------------------------------------------------------------

_ANNUAL = re.compile(r"annual_[1-9][0-9]?(_grace)?", re.ASCII)


def is_deadline_code(code: str) -> bool:
    """One of the codes `core.deadlines` gives a deadline (`annual_4`, `grant_fee_grace`…)."""
    return code in CLOSES or code in ROUTES or _ANNUAL.fullmatch(code) is not None


DeadlineCode = Annotated[str, Token(32, valid=is_deadline_code)]


class CaseButton(CallbackData, feature="case"):
    """The buttons of the case feature (bot/cases/buttons.py declares the others)."""


@dataclass(frozen=True)
class DeadlineAct(CaseButton, action="act"):
    """Paid / Done: records exactly this deadline (its code and date)."""

    case_id: Id
    code: DeadlineCode
    day: dt.date


@dataclass(frozen=True)
class DeadlineRoute(CaseButton, action="route"):
    """What to do: explains the route (reinstatement, restoration)."""

    case_id: Id
    code: DeadlineCode


@dataclass(frozen=True)
class AlertPaid(CallbackData, feature="al", action="paid"):
    """The single Paid button of alerts sent by older versions (no date: the open deadline)."""

    case_id: Id
    code: DeadlineCode


# -- the alert's own buttons ------------------------------------------------------------------


class AlertButton(CallbackData, feature="al"):
    """The buttons under an alert, besides the deadline buttons."""


@dataclass(frozen=True)
class Snooze(AlertButton, action="sn"):
    """Remind again in `days` (the alert's outbox row)."""

    outbox_id: Id
    days: Annotated[int, Between(1, MAX_SNOOZE_DAYS)]


@dataclass(frozen=True)
class StopAlerts(AlertButton, action="stop"):
    """No more reminders for the case."""

    case_id: Id


# -- the support desk -------------------------------------------------------------------------


class SupportButton(CallbackData, feature="sup"):
    """The support desk's buttons (bot/desk/user.py)."""


@dataclass(frozen=True)
class AskStaff(SupportButton, action="ask"):
    """Write to the staff."""


@dataclass(frozen=True)
class CloseTicket(SupportButton, action="close"):
    """Close my ticket."""
