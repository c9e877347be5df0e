"""Alerts: the Telegram notifier adapter for `core.reminders.Dispatcher`, the alert text in the
user's language, and the Paid / Snooze / Stop buttons under it.

The dispatcher runs inside the application (started in `post_init`, stopped in
`post_shutdown`); the outbox in the database is the source of truth, so nothing is lost or sent
twice across restarts. Telegram errors are mapped to the core's: 429 → RetryAfter, 403 or a
vanished chat → Blocked, time-outs and network errors → TransientError (`bot.sender.map_error`).
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
from typing import Any

from telegram import Bot, Message, Update
from telegram import error as tg
from telegram.ext import BaseHandler, CallbackQueryHandler, ExtBot

from bot.callbacks import parse, pattern
from bot.context import REMINDERS_KEY, BotContext
from bot.deadline_actions import action_button, on_action
from bot.html import Markup, italic, join, render
from bot.i18n import translator
from bot.render import days_left
from bot.reply import Button, ack, answer, button, keyboard
from bot.sender import COUNTED, Sender, map_error
from bot.storage import mark_unseen
from bot.text import split_message
from core.clock import Clock
from core.explain import amounts_warning, shift_reason
from core.health import record_tick
from core.i18n import Translator
from core.reminders import (
    Alert,
    Blocked,
    Dispatcher,
    Reminders,
)

log = logging.getLogger("pctby.alerts")
FEATURE = "al"
DISPATCHER_KEY = "dispatcher"


def alert_text(t: Translator, alert: Alert, today: dt.date) -> Markup:
    head = render(Markup("⏰ <b>{ref}</b>"), ref=alert.ref)
    if alert.title:
        head = render(Markup("{head} — {title}"), head=head, title=alert.title)
    lines: list[str] = [head]
    for item in alert.items:
        title = t.fmt(_label(item.code), year=item.year)
        lines.append(
            render(
                Markup("• {title}: <b>{date}</b> ({left})"),
                title=title,
                date=t.date(item.date),
                left=days_left(t, item.date, today),
            )
        )
        if item.amount is not None:
            amount = t.fmt("Amount: {amount}", amount=t.money(item.amount))
            if item.code.endswith("_grace"):
                amount += " (" + t.gettext("with a surcharge of 50%") + ")"
            lines.append("   " + amount)
        if item.skipped:
            from core.models import Deadline

            moved = Deadline.model_construct(
                code=item.code,
                nominal=item.nominal,
                date=item.date,
                skipped=item.skipped,
                basis=item.basis,
            )
            lines.append(
                "   "
                + t.fmt("Nominal date: {date}", date=t.date(item.nominal))
                + f" ({shift_reason(t, moved) or ''})"
            )
        lines.append(render(Markup("   <i>{basis}</i>"), basis=item.basis))
    priced = [item.date for item in alert.items if item.amount is not None]
    lines += [italic(w) for w in amounts_warning(t, priced)]
    return join(lines)


def _label(code: str) -> str:
    from core.labels import deadline_label

    return deadline_label(code)


def alert_rows(t: Translator, alert: Alert) -> list[list[Button]]:
    """One button per deadline of the alert, acting on that deadline only (Paid for a fee,
    Done for an act, What to do for a route), then Snooze and Stop."""
    seen: set[str] = set()
    rows: list[list[Button]] = []
    for item in alert.items:
        base = item.code.removesuffix("_grace")
        if base in seen:
            continue
        seen.add(base)
        rows.append([action_button(t, alert.case_id, item.code, item.year, item.date)])
    return [
        *rows,
        [
            button(t.gettext("Snooze 1 day"), FEATURE, "sn", alert.outbox_id, 1),
            button(t.gettext("Snooze 7 days"), FEATURE, "sn", alert.outbox_id, 7),
        ],
        [button(t.gettext("Stop reminders"), FEATURE, "stop", alert.case_id)],
    ]


class TelegramNotifier:
    """`core.reminders.Notifier` on a Telegram bot."""

    def __init__(self, bot: Bot, clock: Clock, user_data: Any = None) -> None:
        self.bot = bot
        self.clock = clock
        self.user_data = user_data  # the application's, to notice a blocked user's return

    async def send(self, alert: Alert) -> int | None:
        t = translator(alert.language)
        today = self.clock.today()
        try:
            message = await self._send(
                alert.chat_id,
                split_message(alert_text(t, alert, today))[0],
                keyboard(alert_rows(t, alert)),
            )
        except tg.TelegramError as exc:
            mapped = map_error(exc)
            if mapped is None:
                raise
            if isinstance(mapped, Blocked):
                mark_unseen(self.user_data, alert.user_id)
            raise mapped from exc
        return message.message_id

    async def _send(self, chat_id: int, text: str, markup: Any) -> Message:
        bot = self.bot
        if isinstance(bot, ExtBot) and isinstance(bot.rate_limiter, Sender):
            # the dispatcher took this message's slot from the one limiter before sending
            return await bot.send_message(
                chat_id, text, reply_markup=markup, rate_limit_args=COUNTED
            )
        return await bot.send_message(chat_id, text, reply_markup=markup)


async def start(
    services: Any, app: Any, stack: contextlib.AsyncExitStack, *, dispatch: bool = True
) -> None:
    """The reminders service of the case features, and the dispatcher that sends their alerts
    with the application (unless `dispatch` is off)."""
    reminders = Reminders(services.store, default_tz=services.settings.timezone)
    store = services.store

    async def heartbeat(now: dt.datetime) -> None:  # read by `pctby health`
        await record_tick(store, now)

    sender = getattr(app.bot, "rate_limiter", None)
    dispatcher = Dispatcher(
        reminders,
        TelegramNotifier(app.bot, services.clock, app.user_data),
        heartbeat=heartbeat,
        limiter=sender.limiter if isinstance(sender, Sender) else None,
    )
    reminders.on_change = dispatcher.wake
    services.extra[REMINDERS_KEY] = reminders

    services.extra[DISPATCHER_KEY] = dispatcher
    stack.push_async_callback(dispatcher.stop)
    if dispatch:
        dispatcher.start()

    async def replan_after_upgrade() -> None:
        """Plans made by other rules than this code's (a deploy changed them) are made again."""
        try:
            count = await reminders.replan_if_rules_changed()
        except Exception:  # the plans stay as they were; the next start tries again
            log.exception("replanning after an upgrade failed")
            return
        if count is not None:
            log.info("rules changed since the alerts were planned: %d case(s) planned again", count)

    upgrade = asyncio.create_task(replan_after_upgrade(), name="pctby-replan-after-upgrade")
    services.startup.append(upgrade)

    async def stop_upgrade() -> None:
        upgrade.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await upgrade

    stack.push_async_callback(stop_upgrade)


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


__all__ = ["TelegramNotifier", "alert_text", "handlers", "start"]
