"""The deadline buttons, under an alert and under a case card alike: each acts on its own deadline
only (docs/RULES.md §2, what each event closes).

A fee has **Paid**, an act (entry, translation, examination request…) has **Done**, a route
(reinstatement, restoration) has **What to do?**, which explains it. A Paid/Done button names
its exact deadline (code and date): it acts once, on that deadline only; a second tap, or a tap
on a deadline since closed, answers "already recorded" (`Reminders.act` checks the case's real
open deadlines inside the same unit of work). The buttons are built by
`bot.render.views.action_button`; their data is declared in `bot.parse.buttons`.

Under a team's alert in its group, a button acts only for whoever pressed it, checked at that
press: an owner or attorney of the team records, and the group reads who did; anyone else (a
viewer, a member removed a moment ago, someone who is not in the team) gets "not allowed" —
seen only by them — and nothing changes.
"""

from __future__ import annotations

from telegram import Update
from telegram.ext import BaseHandler, CallbackQueryHandler

from bot.context import BotContext
from bot.fallbacks import in_group, not_allowed, stale_button
from bot.parse.buttons import AlertPaid, DeadlineAct, DeadlineRoute
from bot.render.reply import ack, answer
from core.errors import N_
from core.labels import deadline_label
from core.lifecycle import ROUTES, Action, action_of
from core.reminders import Outcome
from core.teams.access import NotAllowed, reach

BUTTONS = (DeadlineAct, DeadlineRoute, AlertPaid)  # AlertPaid: alerts sent by older versions


def read(update: Update) -> DeadlineAct | DeadlineRoute | AlertPaid | None:
    query = update.callback_query
    data = query.data if query is not None else None
    return DeadlineAct.decode(data) or DeadlineRoute.decode(data) or AlertPaid.decode(data)


def matches(data: object) -> bool:
    """The `CallbackQueryHandler` pattern: one of the deadline buttons."""
    return any(kind.matches(data) for kind in BUTTONS)


async def on_action(update: Update, context: BotContext) -> None:
    """Paid/Done (`DeadlineAct`, `AlertPaid`) and What to do (`DeadlineRoute`)."""
    t = context.t
    user = update.effective_user
    typed = read(update)
    group = in_group(update)  # a team's alert group: refusals only to who pressed
    if not group:
        await ack(update)
    if typed is None or user is None:
        await stale_button(update, context, answered=not group)
        return
    case_id, code = typed.case_id, typed.code
    action = action_of(code)  # a DeadlineCode is one of the codes it knows
    reminders = context.reminders
    if isinstance(typed, DeadlineRoute) or action is Action.ROUTE:
        async with context.store.reading() as tx:
            reached = await reach(tx, user.id, case_id)
        if reached is None:
            if group:
                await not_allowed(update, context)
                return
            await answer(update, context, t.gettext("This case no longer exists. See /cases."))
            return
        if group:
            await ack(update)
        await answer(update, context, t.fmt(ROUTES[code], ref=reached.case.ref))  # text, escaped
        return
    day = typed.day if isinstance(typed, DeadlineAct) else None
    try:
        result = await reminders.act(user.id, case_id, code, day)
    except NotAllowed:
        if not group:
            raise
        result = None
    if group and (result is None or result.outcome is Outcome.NO_CASE):
        await not_allowed(update, context)
        return
    if group:
        await ack(update)
    assert result is not None
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
            t.markup("Already recorded: {what}. /cases shows what is still open.", what=what),
        )
        return
    if group:  # the team reads who did it
        template = (
            N_("{name} recorded: {what}, paid on {date}.")
            if action is Action.PAID
            else N_("{name} recorded: {what}, done on {date}.")
        )
        said = t.markup(template, name=user.full_name, what=what, date=t.date(event.date))
        await answer(update, context, said)
        return
    template = (
        N_("Recorded: {what}, paid on {date}.")
        if action is Action.PAID
        else N_("Recorded: {what}, done on {date}.")
    )
    await answer(update, context, t.markup(template, what=what, date=t.date(event.date)))


def handlers() -> list[BaseHandler[Update, BotContext, None]]:
    return [CallbackQueryHandler(on_action, pattern=matches)]
