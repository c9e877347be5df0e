"""The alerts job: the Telegram notifier adapter for `core.reminders.Dispatcher`, the alert text
in the user's language, and the buttons under it (one per deadline, Snooze, Stop — their taps
are the feature `bot/handlers/alerts.py`).

The dispatcher runs inside the application (started in `post_init`, stopped in its bounded
stop, `Lifespan.stop_services`); the outbox in the database is the source of truth, so nothing
is lost or sent twice across restarts. Telegram errors are mapped to the core's: 429 →
RetryAfter, 403 or a vanished chat → Blocked, time-outs and network errors → TransientError
(`bot.sender.map_error`).
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from telegram import Bot, Message
from telegram import error as tg
from telegram.ext import ExtBot

from bot.parse.buttons import Snooze, StopAlerts
from bot.render.html import Markup, italic, join, render
from bot.render.i18n import translator
from bot.render.reply import Button, button, keyboard
from bot.render.text import split_message
from bot.render.views import action_button, days_left
from bot.sender import COUNTED, Sender, map_error
from core.clock import Clock
from core.explain import amounts_warning, payment_text, shift_reason, warning_texts
from core.health import record_tick
from core.i18n import Translator
from core.models import Kind
from core.reminders import (
    Alert,
    Blocked,
    Dispatcher,
    Reminders,
)
from core.teams.service import Teams

if TYPE_CHECKING:
    from bot.context import Services

log = logging.getLogger("pctby.alerts")


def alert_text(t: Translator, alert: Alert, today: dt.date) -> Markup:
    head = render(Markup("⏰ <b>{ref}</b>"), ref=alert.ref)
    if alert.team is not None:  # a team's case: whose, and who handles it
        head = render(Markup("⏰ {team} · <b>{ref}</b>"), team=alert.team, ref=alert.ref)
    if alert.title:
        head = render(Markup("{head} — {title}"), head=head, title=alert.title)
    lines: list[str] = [head]
    if alert.assignee is not None:
        lines.append(t.fmt("Handled by {name}.", name=alert.assignee))
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
            money = payment_text(t, item.code, item.amount, item.late_amount)
            lines.append("   " + t.fmt("Amount: {amount}", amount=money))
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
        lines.append(render(Markup("   <i>{basis}</i>"), basis=t.cite(item.basis)))
        lines += [render(Markup("   ⚠️ {w}"), w=italic(w)) for w in warning_texts(t, item.warnings)]
    through = alert.assumed_paid_through
    if through is not None and not (alert.kind is Kind.PATENT and through <= 3):
        # Never silently assumed paid (docs/RULES.md §2): the planner alerts the next year's fee,
        # and the years before it, over with no payment recorded, are said to be so. (A patent's
        # 3rd year goes with the national fee at entry: an overdue entry has its own route.)
        lines.append(
            italic(
                t.fmt(
                    "No payment is recorded for the annual fees up to year {year}, and their "
                    "grace periods are over: if they were paid, record them (/case {ref}); if "
                    "not, the right may have lapsed and can be restored on request (BY.17).",
                    year=through,
                    ref=alert.ref,
                )
            )
        )
    priced = [item.date for item in alert.items if item.amount is not None]
    lines += [italic(w) for w in amounts_warning(t, priced)]
    if alert.attempts:
        # Delivery is at least once: when Telegram's answer to an attempt was lost (a time-out),
        # that attempt may have reached the user, and the Bot API cannot tell. Said, so that
        # a second copy reads as one (the dispatcher's docstring, core/reminders/dispatcher.py).
        lines.append(
            italic(
                t.gettext(
                    "Sent again: an earlier attempt to send this reminder may have reached "
                    "you already."
                )
            )
        )
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
            button(t.gettext("Snooze 1 day"), Snooze(alert.outbox_id, 1)),
            button(t.gettext("Snooze 7 days"), Snooze(alert.outbox_id, 7)),
        ],
        [button(t.gettext("Stop reminders"), StopAlerts(alert.case_id))],
    ]


class TelegramNotifier:
    """`core.reminders.Notifier` on a Telegram bot; `on_blocked(user_id)` is told of a user
    who blocked the bot (their next update then unblocks them)."""

    def __init__(
        self, bot: Bot, clock: Clock, on_blocked: Callable[[int], None] | None = None
    ) -> None:
        self.bot = bot
        self.clock = clock
        self.on_blocked = on_blocked

    async def send(self, alert: Alert) -> int | None:
        t = translator(alert.language)
        today = self.clock.today()
        try:
            message = await self._send(
                alert.chat_id,
                split_message(alert_text(t, alert, today), numbered=False)[0],
                keyboard(alert_rows(t, alert)),
            )
        except tg.TelegramError as exc:
            mapped = map_error(exc)
            if mapped is None:
                raise
            if isinstance(mapped, Blocked) and self.on_blocked is not None and alert.chat_id > 0:
                self.on_blocked(alert.chat_id)  # a private chat's id is its user's
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
    services: Services, bot: Bot, stack: contextlib.AsyncExitStack, *, dispatch: bool = True
) -> None:
    """The reminders service of the case features, and the dispatcher that sends their alerts
    with the application (unless `dispatch` is off); both set on `services`."""
    store = services.store
    assert store is not None, "the alerts need the database"
    reminders = Reminders(store, default_tz=services.settings.timezone)

    async def heartbeat(now: dt.datetime) -> None:  # read by `pctby health`
        await record_tick(store, now)

    sender = bot.rate_limiter if isinstance(bot, ExtBot) else None
    dispatcher = Dispatcher(
        reminders,
        TelegramNotifier(bot, services.clock, services.seen.discard),
        heartbeat=heartbeat,
        limiter=sender.limiter if isinstance(sender, Sender) else None,
    )
    reminders.on_change = dispatcher.wake
    services.reminders = reminders
    services.teams = Teams(reminders)
    services.dispatcher = dispatcher
    stack.push_async_callback(dispatcher.stop)
    if dispatch:  # a dispatcher that dies stops the bot (bot/runner.py): no silent alerts
        services.watch(dispatcher.start(), "the reminder dispatcher")

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
