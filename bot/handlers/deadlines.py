"""/deadlines [PRIORITY FILING [patent|um]]: the national-phase deadlines with their reasons.

Without arguments a guided flow asks the priority date (or "no priority") and the international
filing date. Dates are read by `core.dates.parse_date` (15.03.2024, 2024-03-15, 15 марта 2024…).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from telegram import Update
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler

from bot.context import BotContext
from bot.fallbacks import stale_button
from bot.parse import read_args
from bot.parse.callbacks import CallbackData
from bot.render.answers import deadlines_answer
from bot.render.reply import ack, answer, button
from core.dates import parse_date
from core.deadlines import facts_from
from core.errors import N_
from core.models import Kind

FLOW = "dl"
CANCELLED = N_("The deadline calculation is cancelled.")  # /cancel


class DeadlinesButton(CallbackData, feature=FLOW):
    """The buttons of /deadlines."""


@dataclass(frozen=True)
class OtherDates(DeadlinesButton, action="new"):
    pass


@dataclass(frozen=True)
class SameDate(DeadlinesButton, action="same"):
    """The one date given is the filing date: no priority claimed."""


@dataclass(frozen=True)
class NoPriority(DeadlinesButton, action="nopri"):
    pass


USAGE = N_(
    "Send the priority date and the international filing date, for example 15.03.2024 10.03.2025."
)


async def show(
    update: Update,
    context: BotContext,
    priority: dt.date | None,
    filing: dt.date,
    kind: Kind = Kind.PATENT,
) -> None:
    facts = facts_from(filing=filing, priority=priority, kind=kind)
    t = context.t
    rows = [[button(t.gettext("Other dates"), OtherDates())]]
    await answer(update, context, deadlines_answer(t, facts, context.today), rows)


# What a user may write beside one date to say what it is (ru, be, en).
NO_PRIORITY_WORDS = (
    "без приоритета",
    "приоритета нет",
    "без прыярытэту",
    "прыярытэту няма",
    "no priority",
    "without priority",
)
PRIORITY_WORDS = ("приоритет", "приоритета", "прыярытэт", "прыярытэту", "priority")


def said_about_one_date(text: str) -> tuple[str, str | None]:
    """The text without the words that say what a lone date is, and what they said:
    "no_priority" (it is the filing date, no priority claimed), "priority", or None."""
    low = " " + " ".join(text.lower().replace("ё", "е").split()) + " "
    for phrase in NO_PRIORITY_WORDS:
        if f" {phrase} " in low:
            return low.replace(f" {phrase} ", " ").strip(), "no_priority"
    for word in PRIORITY_WORDS:
        if f" {word} " in low or f" {word}: " in low:
            return low.replace(f" {word}: ", " ").replace(f" {word} ", " ").strip(), "priority"
    return text, None


async def deadlines_command(update: Update, context: BotContext) -> None:
    args = context.args or []
    if not args:
        await ask_priority(update, context)
        return
    text, said = said_about_one_date(" ".join(args))
    dates, kind = read_args(text, USAGE)
    if len(dates) == 2:
        await show(update, context, dates[0], dates[1], kind)
    elif said == "no_priority":
        await show(update, context, None, dates[0], kind)
    else:
        # One date and nothing said about it: take it as the priority date and ask for the
        # filing date, rather than guess that no priority was claimed (docs/RULES.md, "How the
        # sources are read": one date in /deadlines).
        context.start_flow(FLOW, "filing", priority=dates[0].isoformat(), kind=kind.value)
        t = context.t
        rows = [[button(t.gettext("It is the filing date; no priority claimed"), SameDate())]]
        await answer(
            update,
            context,
            t.fmt(
                "Priority date: {date}. What is the international filing date?",
                date=t.date(dates[0]),
            ),
            rows,
        )


async def ask_priority(update: Update, context: BotContext) -> None:
    t = context.t
    context.start_flow(FLOW, "priority")
    rows = [[button(t.gettext("No priority claimed"), NoPriority())]]
    await answer(
        update,
        context,
        t.gettext("What is the priority date? For example 15.03.2024 or 15 March 2024."),
        rows,
    )


async def ask_filing(update: Update, context: BotContext, *, edit: bool = False) -> None:
    await answer(
        update,
        context,
        context.t.gettext("What is the international filing date?"),
        edit=edit,
    )


async def on_button(update: Update, context: BotContext) -> None:
    data = DeadlinesButton.read(update)
    await ack(update)
    if isinstance(data, OtherDates):
        await ask_priority(update, context)
        return
    flow = context.flow
    if isinstance(data, SameDate) and flow is not None and flow.get("priority"):
        context.end_flow()
        filing = dt.date.fromisoformat(flow["priority"])
        await show(update, context, None, filing, Kind(flow.get("kind", Kind.PATENT.value)))
        return
    if isinstance(data, NoPriority) and flow is not None and flow.get("name") == FLOW:
        flow.update(step="filing", priority=None)
        await ask_filing(update, context, edit=True)
        return
    await stale_button(update, context, answered=True)


async def on_text(update: Update, context: BotContext) -> None:
    flow = context.flow
    message = update.effective_message
    if flow is None or message is None:
        return
    text = message.text or ""
    if flow.get("step") == "priority":
        dates, kind = read_args(text, USAGE)
        if len(dates) == 2:
            context.end_flow()
            await show(update, context, dates[0], dates[1], kind)
            return
        flow.update(step="filing", priority=dates[0].isoformat())
        await ask_filing(update, context)
        return
    filing = parse_date(text)
    priority = dt.date.fromisoformat(flow["priority"]) if flow.get("priority") else None
    facts_from(filing=filing, priority=priority)  # validates the order of the dates
    context.end_flow()
    await show(update, context, priority, filing, Kind(flow.get("kind", Kind.PATENT.value)))


def handlers() -> list[BaseHandler[Update, BotContext, None]]:
    return [
        CommandHandler("deadlines", deadlines_command),
        CallbackQueryHandler(on_button, pattern=DeadlinesButton.matches),
    ]


TEXT_STEPS = {FLOW: on_text}


# Main-menu entries (bot.parse.buttons.Menu) → their entry points.
MENU_ACTIONS = {"dl": deadlines_command}
