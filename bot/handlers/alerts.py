"""The buttons under an alert (bot/jobs/alerts.py sends it): Snooze 1 or 7 days, Stop
reminders for the case, and the Paid button of alerts sent by older versions (today one button
per deadline, `bot/deadline_actions.py`)."""

from __future__ import annotations

from telegram import Update
from telegram.ext import BaseHandler, CallbackQueryHandler

from bot.callbacks import parse, pattern
from bot.context import BotContext
from bot.deadline_actions import on_action
from bot.jobs.alerts import FEATURE
from bot.reply import ack, answer


async def on_button(update: Update, context: BotContext) -> None:
    data = parse(update.callback_query.data if update.callback_query else None)
    user = update.effective_user
    t = context.t
    if data is None or user is None:
        await ack(update)
        return
    reminders = context.reminders
    arg = data.arg(0)
    if not arg.isdigit():
        await ack(update)
        return
    if data.action == "paid":  # the single Paid button of alerts sent by older versions
        await ack(update)
        await on_action(update, context, data)
    elif data.action == "sn":
        days = int(data.arg(1, "1")) if data.arg(1, "1").isdigit() else 1
        when = await reminders.snooze(user.id, int(arg), days)
        await ack(update)
        if when is None:
            await answer(update, context, t.gettext("Nothing is left to remind you of here."))
            return
        local = when.astimezone(context.settings.tz)
        await answer(
            update,
            context,
            t.fmt("I will remind you again on {date}.", date=t.date(local.date())),
        )
    elif data.action == "stop":
        stopped = await reminders.stop(user.id, int(arg))
        await ack(update)
        if not stopped:
            await answer(update, context, t.gettext("This case no longer exists. See /cases."))
            return
        await answer(
            update,
            context,
            t.gettext("Reminders for this case are stopped. /case shows its deadlines."),
        )
    else:
        await ack(update)


def handlers() -> list[BaseHandler[Update, BotContext, None]]:
    return [CallbackQueryHandler(on_button, pattern=pattern(FEATURE))]
