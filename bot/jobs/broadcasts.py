"""The broadcast job: a staff message (`/broadcast TEXT`) to every user who has not blocked the
bot, paced by the one sender, with progress in the staff chat.

The broadcast is stored (`core.support`): each delivery is recorded as it happens, so a
broadcast a restart interrupted goes on where it stopped (each user gets it once; only the one
message in flight at a crash may come twice). At a clean stop the message in flight finishes
(bounded by `STOP_TIMEOUT`) and is recorded.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from typing import Any, Final

from telegram import Bot, Message
from telegram.error import TelegramError
from telegram.ext import ExtBot

from bot.render.html import Markup, esc
from bot.render.i18n import translator
from bot.render.reply import send
from bot.sender import LOW_PRIORITY, Sender, map_error
from core.clock import Clock
from core.reminders import Blocked
from core.reminders import RetryAfter as CoreRetryAfter
from core.storage import Broadcast
from core.support import (
    BroadcastReport,
    Delivery,
    Recipient,
    RetryLater,
    SupportDesk,
    broadcast,
)

log = logging.getLogger(__name__)

# messages per second when the bot has no `bot.sender.Sender` (offline); with one, the sender
# paces the broadcast together with every other message (25 a second in all), after the replies
BROADCAST_RATE: Final = 20.0
PROGRESS_EVERY: Final = 25
STOP_TIMEOUT: Final = 10.0  # seconds a stop waits for the broadcast message in flight


class Broadcasts:
    """At most one broadcast at a time, run in the background on `bot`."""

    def __init__(
        self,
        bot: Bot,
        desk: SupportDesk,
        clock: Clock,
        *,
        on_blocked: Callable[[int], None] | None = None,
        watch: Callable[[asyncio.Task[None], str], None] | None = None,
    ) -> None:
        self.bot = bot
        self.desk = desk
        self.clock = clock  # paces the sends when no sender does (a frozen clock in tests)
        self.on_blocked = on_blocked
        self.watch = watch  # a broadcast that fails stops the bot (`Services.watch`)
        self.task: asyncio.Task[None] | None = None  # the last broadcast started (or resumed)

    async def _sleep(self, seconds: float) -> None:
        await self.clock.sleep(seconds)

    async def start(self, text: str, staff_chat_id: int) -> bool:
        """Stores and starts a broadcast of `text` (plain: escaped here); False while another
        one is running."""
        job = await self.desk.start_broadcast(esc(text), staff_chat_id)
        if job is None:
            return False
        self._launch(job, resumed=False)
        return True

    async def resume(self) -> None:
        """At start-up: the broadcast a restart interrupted goes on where it stopped."""
        for job in (await self.desk.running_broadcasts())[:1]:
            self._launch(job, resumed=True)

    async def stop(self) -> None:
        """The running broadcast stops (its message in flight finishes and is recorded), to be
        resumed at the next start."""
        task = self.task
        if task is not None and not task.done():
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    def _launch(self, job: Broadcast, *, resumed: bool) -> None:
        """Runs the broadcast in the background. If it fails, its progress is stored and the
        next start resumes it: with `watch`, the failure stops the bot, whose service manager
        starts it again; without (tests), it is only logged."""

        async def run() -> None:
            try:
                await self._run(job, resumed)
            except Exception:
                if self.watch is None:
                    log.exception("broadcast %d stopped", job.id)
                    return
                raise

        self.task = asyncio.create_task(run(), name=f"pctby-broadcast-{job.id}")
        if self.watch is not None:
            self.watch(self.task, f"broadcast #{job.id}")

    async def _run(self, job: Broadcast, resumed: bool) -> None:
        bot, desk = self.bot, self.desk
        st = translator("en")  # the staff chat's language
        recipients = await desk.recipients(job.last_user_id)
        report = BroadcastReport.of(job)
        report.total = max(report.total, report.done + len(recipients))  # users who came since
        if resumed:
            intro = st.fmt(
                "Broadcast #{id} resumed after a restart: {done} of {total} done…",
                id=job.id,
                done=report.done,
                total=report.total,
            )
        else:
            intro = st.fmt("Broadcast to {n} users: starting…", n=report.total)
        progress: Message | None = None
        with contextlib.suppress(TelegramError):
            progress = await send(bot, job.staff_chat_id, intro)

        paced = isinstance(bot, ExtBot) and isinstance(bot.rate_limiter, Sender)
        # with the sender: after the replies, which are what users wait for
        limits: dict[str, Any] = {"rate_limit_args": LOW_PRIORITY} if paced else {}

        async def deliver_one(r: Recipient) -> Delivery:
            # the stored text was escaped when the broadcast began (`start`)
            sending = asyncio.ensure_future(
                bot.send_message(
                    r.user_id, Markup(job.text), disable_web_page_preview=True, **limits
                )
            )
            try:
                await asyncio.shield(sending)
            except asyncio.CancelledError:  # shutdown: the message in flight finishes
                await self._finish_in_flight(sending, job.id, r.user_id)
                raise
            except TelegramError as exc:
                mapped = map_error(exc)
                if isinstance(mapped, CoreRetryAfter):
                    raise RetryLater(mapped.seconds) from exc
                if isinstance(mapped, Blocked):
                    if self.on_blocked is not None:
                        self.on_blocked(r.user_id)  # their next update unblocks them
                    return Delivery.BLOCKED
                return Delivery.FAILED
            return Delivery.DELIVERED

        async def on_sent(r: Recipient, outcome: Delivery) -> None:
            await desk.broadcast_sent(job.id, r.user_id, outcome)

        async def on_progress(report: BroadcastReport) -> None:
            if progress is None:
                return
            text = st.fmt("Broadcast: {done} of {total}…", done=report.done, total=report.total)
            with contextlib.suppress(TelegramError):
                await progress.edit_text(esc(text))

        report = await broadcast(
            recipients,
            deliver_one,
            rate=0 if paced else BROADCAST_RATE,
            progress_every=PROGRESS_EVERY,
            on_progress=on_progress,
            on_sent=on_sent,
            report=report,
            sleep=self._sleep,
        )
        await desk.finish_broadcast(job.id)
        with contextlib.suppress(TelegramError):
            await send(
                bot,
                job.staff_chat_id,
                st.fmt(
                    "Broadcast finished: {delivered} delivered, {blocked} blocked, {failed} "
                    "failed (of {total}).",
                    delivered=report.delivered,
                    blocked=report.blocked,
                    failed=report.failed,
                    total=report.total,
                ),
            )

    async def _finish_in_flight(
        self, sending: asyncio.Future[Any], job_id: int, user_id: int
    ) -> None:
        """A broadcast stopped mid-send: the send may finish (bounded), and if it went out it
        is recorded, so the broadcast resumed after the restart does not send it again."""
        with contextlib.suppress(Exception, asyncio.CancelledError):
            await asyncio.wait_for(asyncio.shield(sending), STOP_TIMEOUT)
        if sending.done() and not sending.cancelled() and sending.exception() is None:
            await self.desk.broadcast_sent(job_id, user_id, Delivery.DELIVERED)
        elif not sending.done():
            sending.cancel()
