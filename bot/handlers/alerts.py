"""The buttons under an alert (bot/jobs/alerts.py sends it): Snooze 1 or 7 days and Stop
reminders for the case. Its deadline buttons (Paid / Done / What to do) are
bot/handlers/actions.py."""

from __future__ import annotations

from telegram import Update
from telegram.ext import BaseHandler, CallbackQueryHandler

from bot.context import BotContext
from bot.fallbacks import stale_button
from bot.parse.buttons import AlertButton, Snooze, StopAlerts
from bot.render.reply import ack, answer


async def on_button(update: Update, context: BotContext) -> None:
    data = AlertButton.read(update)
    user = update.effective_user
    t = context.t
    await ack(update)
    if user is None:
        return
    reminders = context.reminders
    match data:
        case Snooze(outbox_id=outbox_id, days=days):
            when = await reminders.snooze(user.id, outbox_id, days)
            if when is None:
                await answer(update, context, t.gettext("Nothing is left to remind you of here."))
                return
            local = when.astimezone(context.settings.tz)
            await answer(
                update,
                context,
                t.fmt("I will remind you again on {date}.", date=t.date(local.date())),
            )
        case StopAlerts(case_id=case_id):
            if not await reminders.stop(user.id, case_id):
                await answer(update, context, t.gettext("This case no longer exists. See /cases."))
                return
            await answer(
                update,
                context,
                t.gettext("Reminders for this case are stopped. /case shows its deadlines."),
            )
        case _:  # another alert button (Paid: bot/handlers/actions.py, registered before)
            await stale_button(update, context, answered=True)


def handlers() -> list[BaseHandler[Update, BotContext, None]]:
    return [CallbackQueryHandler(on_button, pattern=AlertButton.matches)]
