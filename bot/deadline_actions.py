"""The button of one deadline — under an alert and under the case card alike (issue 10).

A fee has **Paid**, an act (entry, translation, examination request…) has **Done**, a route
(reinstatement, restoration) has **What to do?**, which explains it. A Paid/Done button names
its exact deadline (code and date): it acts once, on that deadline only; a second tap, or a tap
on a deadline since closed, answers "already recorded" (`Reminders.act` checks the case's real
open deadlines inside the same unit of work).
"""

from __future__ import annotations

import datetime as dt

from telegram import Update

from bot.callbacks import Callback
from bot.context import BotContext, store_of
from bot.html import render
from bot.reply import Button, answer, button
from bot.text import short
from core.errors import N_, InputError
from core.i18n import Translator
from core.labels import deadline_label
from core.lifecycle import ROUTES, Action, action_of
from core.models import Deadline
from core.reminders import Outcome

FEATURE = "case"  # handled by bot.handlers.cases.on_button
BUTTON_LABELS = {
    Action.PAID: N_("Paid: {what}"),
    Action.DONE: N_("Done: {what}"),
    Action.ROUTE: N_("What to do: {what}"),
}


def _stamp(day: dt.date) -> str:
    return day.strftime("%Y%m%d")


def _day(stamp: str) -> dt.date | None:
    try:
        return dt.datetime.strptime(stamp, "%Y%m%d").date() if stamp else None
    except ValueError:
        return None


def action_button(t: Translator, case_id: int, code: str, year: int | None, day: dt.date) -> Button:
    """The button that acts on (or explains) exactly this deadline."""
    action = action_of(code)
    what = short(t.fmt(deadline_label(code), year=year), 40)
    label = t.fmt(BUTTON_LABELS[action], what=what)
    if action is Action.ROUTE:
        return button(label, FEATURE, "route", case_id, code)
    return button(label, FEATURE, "act", case_id, code, _stamp(day))


def deadline_button(t: Translator, case_id: int, d: Deadline) -> Button:
    return action_button(t, case_id, d.code, d.year, d.date)


async def on_action(update: Update, context: BotContext, data: Callback) -> None:
    """`act` (Paid/Done) and `route` buttons; `paid` is the alert button of older versions."""
    t = context.t
    user = update.effective_user
    case_id, code = data.arg(0), data.arg(1)
    if user is None or not case_id.isdigit():
        return
    try:
        action = action_of(code)
    except InputError:  # forged or from another version: not one of our deadlines
        await answer(update, context, t.gettext("This button has expired. Send /cases."))
        return
    reminders = context.reminders
    if data.action == "route" or action is Action.ROUTE:
        async with store_of(context).transaction() as tx:
            case = await tx.cases.get(user.id, int(case_id))
        if case is None:
            await answer(update, context, t.gettext("This case no longer exists. See /cases."))
            return
        await answer(update, context, t.fmt(ROUTES[code], ref=case.ref))  # text, escaped
        return
    result = await reminders.act(user.id, int(case_id), code, _day(data.arg(2)))
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
