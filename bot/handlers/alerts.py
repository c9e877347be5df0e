"""The buttons under an alert (bot/jobs/alerts.py sends it): Snooze 1 or 7 days and Stop
reminders for the case. Its deadline buttons (Paid / Done / What to do) are
bot/handlers/actions.py. Under a team's alert in its group, they act only for an owner or
attorney of the team, checked at each press; anyone else gets "not allowed" (seen only by
them) and nothing changes."""

from __future__ import annotations

from telegram import Update
from telegram.ext import BaseHandler, CallbackQueryHandler

from bot.context import BotContext
from bot.fallbacks import in_group, not_allowed, stale_button
from bot.parse.buttons import AlertButton, Snooze, StopAlerts
from bot.render.reply import ack, answer
from core.teams.access import reach


async def may_change(context: BotContext, user_id: int, case_id: int | None) -> bool:
    """The presser reaches the case and may change it (their own, or as owner or attorney)."""
    if case_id is None:
        return False
    async with context.store.reading() as tx:
        reached = await reach(tx, user_id, case_id)
    return reached is not None and reached.writes


async def case_of_alert(context: BotContext, outbox_id: int) -> int | None:
    async with context.store.reading() as tx:
        row = await tx.outbox.row(outbox_id)
    return None if row is None else row.case_id


async def on_button(update: Update, context: BotContext) -> None:
    data = AlertButton.read(update)
    user = update.effective_user
    t = context.t
    if user is None:
        await ack(update)
        return
    group = in_group(update)
    if group:  # a team's alert group: checked for whoever pressed, now
        case_id = None
        if isinstance(data, Snooze):
            case_id = await case_of_alert(context, data.outbox_id)
        elif isinstance(data, StopAlerts):
            case_id = data.case_id
        if not await may_change(context, user.id, case_id):
            await not_allowed(update, context)
            return
    await ack(update)
    reminders = context.reminders
    match data:
        case Snooze(outbox_id=outbox_id, days=days):
            when = await reminders.snooze(user.id, outbox_id, days)  # a viewer: NotAllowed
            if when is None:
                await answer(update, context, t.gettext("Nothing is left to remind you of here."))
                return
            day = t.date(when.astimezone(context.settings.tz).date())
            if group:  # the team reads who did it
                said = t.fmt(
                    "{name} snoozed this reminder: it comes again on {date}.",
                    name=user.full_name,
                    date=day,
                )
            else:
                said = t.fmt("I will remind you again on {date}.", date=day)
            await answer(update, context, said)
        case StopAlerts(case_id=case_id):
            if not await reminders.stop(user.id, case_id):
                await answer(update, context, t.gettext("This case no longer exists. See /cases."))
                return
            if group:
                said = t.fmt(
                    "{name} stopped the reminders of this case; /case shows its deadlines.",
                    name=user.full_name,
                )
            else:
                said = t.gettext("Reminders for this case are stopped. /case shows its deadlines.")
            await answer(update, context, said)
        case _:  # another alert button (Paid: bot/handlers/actions.py, registered before)
            await stale_button(update, context, answered=True)


def handlers() -> list[BaseHandler[Update, BotContext, None]]:
    return [CallbackQueryHandler(on_button, pattern=AlertButton.matches)]
