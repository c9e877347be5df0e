"""The button of one deadline — under an alert and under the case card alike (issue 10).

A fee has **Paid**, an act (entry, translation, examination request…) has **Done**, a route
(reinstatement, restoration) has **What to do?**, which explains it. A Paid/Done button names
its exact deadline (code and date): it acts once, on that deadline only; a second tap, or a tap
on a deadline since closed, answers "already recorded" (`Reminders.act` checks the case's real
open deadlines inside the same unit of work).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Annotated

from telegram import Update

from bot.callbacks import VERSION, Callback, CallbackData, Id, Token
from bot.context import BotContext, store_of
from bot.html import render
from bot.reply import Button, answer, button
from bot.text import short
from core.errors import N_
from core.i18n import Translator
from core.labels import deadline_label
from core.lifecycle import CLOSES, ROUTES, Action, action_of
from core.models import Deadline
from core.reminders import Outcome

BUTTON_LABELS = {
    Action.PAID: N_("Paid: {what}"),
    Action.DONE: N_("Done: {what}"),
    Action.ROUTE: N_("What to do: {what}"),
}


_ANNUAL = re.compile(r"annual_[1-9][0-9]?(_grace)?", re.ASCII)


def is_deadline_code(code: str) -> bool:
    """One of the codes `core.deadlines` gives a deadline (`annual_4`, `grant_fee_grace`…)."""
    return code in CLOSES or code in ROUTES or _ANNUAL.fullmatch(code) is not None


DeadlineCode = Annotated[str, Token(32, valid=is_deadline_code)]


class CaseButton(CallbackData, feature="case"):
    """The buttons of the case feature (bot/handlers/cases.py declares the others)."""


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


def action_button(t: Translator, case_id: int, code: str, year: int | None, day: dt.date) -> Button:
    """The button that acts on (or explains) exactly this deadline."""
    action = action_of(code)
    what = short(t.fmt(deadline_label(code), year=year), 40)
    label = t.fmt(BUTTON_LABELS[action], what=what)
    if action is Action.ROUTE:
        return button(label, DeadlineRoute(case_id, code))
    return button(label, DeadlineAct(case_id, code, day))


def deadline_button(t: Translator, case_id: int, d: Deadline) -> Button:
    return action_button(t, case_id, d.code, d.year, d.date)


async def on_action(
    update: Update, context: BotContext, data: DeadlineAct | DeadlineRoute | AlertPaid | Callback
) -> None:
    """`act` (Paid/Done) and `route` buttons; `AlertPaid` is the alert button of older versions
    (a `Callback`: legacy, from bot/handlers/alerts.py until it is converted)."""
    t = context.t
    user = update.effective_user
    typed = (
        AlertPaid.decode(":".join((VERSION, data.feature, data.action, *data.args)))
        if isinstance(data, Callback)
        else data
    )
    if typed is None or user is None:
        await answer(update, context, t.gettext("This button has expired. Send /cases."))
        return
    case_id, code = typed.case_id, typed.code
    action = action_of(code)  # a DeadlineCode is one of the codes it knows
    reminders = context.reminders
    if isinstance(typed, DeadlineRoute) or action is Action.ROUTE:
        async with store_of(context).transaction() as tx:
            case = await tx.cases.get(user.id, case_id)
        if case is None:
            await answer(update, context, t.gettext("This case no longer exists. See /cases."))
            return
        await answer(update, context, t.fmt(ROUTES[code], ref=case.ref))  # text, escaped
        return
    day = typed.day if isinstance(typed, DeadlineAct) else None
    result = await reminders.act(user.id, case_id, code, day)
    if result.outcome is Outcome.NO_CASE:
        await answer(update, context, t.gettext("This case no longer exists. See /cases."))
        return
    event = result.event
    year = event.year if event is not None else None
    if year is None and code.startswith("annual_"):
        year = int(code.removeprefix("annual_").removesuffix("_grace"))
    what = t.fmt(deadline_label(code), year=year)
    if result.outcome is Outcome.ALREADY or event is None:
        await answer(
            update,
            context,
            render(
                t.gettext("Already recorded: {what}. /cases shows what is still open."), what=what
            ),
        )
        return
    template = (
        N_("Recorded: {what}, paid on {date}.")
        if action is Action.PAID
        else N_("Recorded: {what}, done on {date}.")
    )
    await answer(update, context, render(t.gettext(template), what=what, date=t.date(event.date)))
