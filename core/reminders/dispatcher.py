"""The dispatcher: sends due alerts from the durable outbox, within Telegram's limits.

Lifecycle of an outbox row: planned → claimed → sent | failed (or cancelled by a change).
Each step is its own committed transaction, so a SIGKILL at any moment loses nothing:
- killed before the claim commits: the row is still planned;
- killed between claim and send, or between send and record: the row is claimed; `start()`
  puts every claimed row back to planned, and it goes out again. That re-send is the only
  possible duplicate — one per message in flight (`concurrency`, default 1 … see below).
Delivery is at least once: a send whose answer was lost (a time-out: Telegram may have
delivered it, and the Bot API offers no way to ask) is sent again, like one that was in flight
at a crash. Both count as an attempt, and an alert sent after an attempt says so in its text
("Sent again: …", bot/jobs/alerts.py), so that a second copy reads as one.
A clean stop (`stop()`, on SIGTERM/SIGINT) takes no new alert and lets the sends in flight
finish and be recorded (up to `STOP_TIMEOUT`), so a restart after it sends nothing twice.
Rates come from a `core.ratelimit.RateLimiter`, in the bot the one shared with every reply
(bot/sender.py), where alerts have the lower priority; a chat over its rate is left out of the
round's query, so that one chat's pile never holds up the others.

Rates: at most `per_second` (29) messages a second in all, paced evenly; per chat a small
burst, then one per `per_chat_interval` (1 s) (`core.ratelimit`). Replies:
- `RetryAfter(s)`: every send pauses `s` seconds and the limiter's rate comes down (Telegram's
  flood control is per bot), the alert is due again then; it does not count as a failed attempt;
- `Blocked` (403, chat not found): the user is marked blocked, nothing more is sent to them,
  their data stays (`Reminders.user_wrote` unblocks);
- `TransientError` (network, 5xx) or any other exception: retried with exponential backoff,
  given up after `max_attempts` (the case then moves on to its next alert).

A team's case (`core.teams.alerts`): its alert goes to each of its chats — the assignee and the
team's group, else every owner and attorney — each send recorded at once (`outbox_sends`), so
that a retry or a restart sends it only to the chats still without it (the one possible
duplicate is, per chat, the send in flight at a crash); a chat that is gone is recorded as such
and the others still get it; the row is sent when every chat has it.

The loop wakes at once on `start()`, on `wake()` (a case changed) and every `tick` seconds.
A round that fails is logged and tried again after `backoff` — unless the database file is
damaged (`core.storage.is_damage`): then the task ends with the error, and the bot that runs
it stops (bot/runner.py) instead of running on without alerts.
With a `heartbeat`, each completed round is reported to it (at most every `heartbeat_every`
seconds, and the loop never idles longer than that): `pctby health` reads it.
Clock and sleep are injectable for tests.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
from collections.abc import Awaitable, Callable
from typing import Protocol

from core.clock import Clock
from core.ratelimit import LOW, PER_SECOND, RateLimiter, Sleep
from core.reminders.models import Alert
from core.reminders.service import Reminders
from core.storage import is_damage

log = logging.getLogger(__name__)

STOP_TIMEOUT = 10.0  # seconds a clean stop waits for the sends in flight


class NotifierError(Exception):
    """Base of what a notifier may raise."""


class RetryAfter(NotifierError):
    """Telegram said 429: wait `seconds`, then retry."""

    def __init__(self, seconds: float) -> None:
        super().__init__(f"retry after {seconds} s")
        self.seconds = float(seconds)


class Blocked(NotifierError):
    """The user blocked the bot (403) or the chat no longer exists."""


class TransientError(NotifierError):
    """A network error or a server error: retry later."""


class Notifier(Protocol):
    """Renders and sends one alert; returns the Telegram message id (if known)."""

    async def send(self, alert: Alert) -> int | None: ...


async def _real_sleep(seconds: float) -> None:
    await asyncio.sleep(seconds)


class Dispatcher:
    """Runs as an asyncio task inside `pctby run`: `start()`, `wake()`, `stop()`."""

    def __init__(
        self,
        reminders: Reminders,
        notifier: Notifier,
        *,
        clock: Clock | None = None,
        sleep: Sleep | None = None,
        tick: float = 60.0,
        per_second: int = PER_SECOND,
        per_chat_interval: float = 1.0,
        concurrency: int = 1,
        max_attempts: int = 8,
        backoff: float = 5.0,
        max_backoff: float = 3600.0,
        batch: int = 200,
        heartbeat: Callable[[dt.datetime], Awaitable[None]] | None = None,
        heartbeat_every: float = 15.0,
        limiter: RateLimiter | None = None,
    ) -> None:
        self.reminders = reminders
        self.heartbeat = heartbeat
        self.heartbeat_every = heartbeat_every
        self._last_beat: dt.datetime | None = None
        self.notifier = notifier
        self.clock = clock if clock is not None else reminders.store.clock
        self.sleep = sleep or _real_sleep
        self.tick = tick
        # the bot passes its one outbound limiter (bot/sender.py), shared with every reply
        # (its pacing waits on the clock's own time: `sleep`, else `Clock.sleep`)
        self.limiter = limiter or RateLimiter(
            self.clock, sleep, per_second=per_second, per_chat_interval=per_chat_interval
        )
        self.concurrency = concurrency
        self.max_attempts = max_attempts
        self.backoff = backoff
        self.max_backoff = max_backoff
        self.batch = batch
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._sending: set[asyncio.Task[None]] = set()
        self._slots = asyncio.Semaphore(concurrency)
        self._stopping = False
        self.sent = 0  # counters, for /stats and the benchmark
        self.failed = 0

    # --- lifecycle --------------------------------------------------------------------------

    def start(self) -> asyncio.Task[None]:
        if self._task is None or self._task.done():
            self._stopping = False
            self._task = asyncio.create_task(self._run(), name="pctby-dispatcher")
        self.wake()
        return self._task

    def wake(self) -> None:
        """A case changed: look at the outbox now."""
        self._wake.set()

    async def stop(self, timeout: float = STOP_TIMEOUT) -> None:
        """Clean stop: no new alert is taken, the sends in flight finish and are recorded (the
        loop ends by itself); only what is still running after `timeout` seconds is cancelled
        (a send hanging that long is re-sent after the restart, the one duplicate possible)."""
        self._stopping = True
        self._wake.set()
        running = set(self._sending)
        if self._task is not None:
            running.add(self._task)
        if running:
            _done, pending = await asyncio.wait(running, timeout=timeout)
            for task in pending:
                log.warning(
                    "stop: %s still running after %.0f s, cancelled", task.get_name(), timeout
                )
                task.cancel()
            await asyncio.gather(*pending, return_exceptions=True)
        self._task = None

    @property
    def running(self) -> bool:
        return self._task is not None and not self._task.done()

    # --- the loop ---------------------------------------------------------------------------

    async def _run(self) -> None:
        released = await self.reminders.release_claims()
        if released:
            log.warning("re-sending %d alert(s) that were in flight at the last stop", released)
        while not self._stopping:
            self._wake.clear()
            try:
                delay = await self.run_once()
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # the loop survives a bad row or a locked database …
                if is_damage(exc):  # … not a damaged file: every round would fail the same
                    raise
                log.exception("dispatcher round failed")
                delay = self.backoff
            else:
                await self._beat()
            if self.heartbeat is not None:
                delay = min(delay, self.heartbeat_every)
            if delay > 0:
                await self._idle(delay)

    async def _beat(self) -> None:
        """Reports a completed round to the heartbeat (not more often than `heartbeat_every`)."""
        if self.heartbeat is None:
            return
        now = self.clock()
        last = self._last_beat
        if last is not None and (now - last).total_seconds() < self.heartbeat_every:
            return
        try:
            await self.heartbeat(now)
        except Exception:  # e.g. a locked database: the next round tries again
            log.warning("could not record the dispatcher's tick", exc_info=True)
            return
        self._last_beat = now

    async def _idle(self, seconds: float) -> None:
        waker = asyncio.ensure_future(self._wake.wait())
        sleeper = asyncio.ensure_future(self.sleep(seconds))
        try:
            await asyncio.wait({waker, sleeper}, return_when=asyncio.FIRST_COMPLETED)
        finally:
            for fut in (waker, sleeper):
                if not fut.done():
                    fut.cancel()
                    with contextlib.suppress(asyncio.CancelledError):
                        await fut

    async def run_once(self) -> float:
        """One round: sends what is due; returns how long to idle before the next round."""
        # chats that had a message within their interval are left out of the query, so that
        # one chat's pile of due alerts never fills the batch (and starves the others)
        busy = self.limiter.busy_chats()
        rows = await self.reminders.due(self.batch, exclude=busy)
        if not rows:
            await self._drain()
            nxt = await self.reminders.next_due()
            if nxt is None:
                return self.tick
            delay = max(0.0, min(self.tick, (nxt - self.clock()).total_seconds()))
            if delay == 0 and busy:  # all that is due is for chats that must wait
                delay = min(self.limiter.chat_ready_in(chat) for chat in busy)
            return delay
        started = 0
        soonest = self.tick
        for outbox_id, _user, chat_id in rows:
            if self._stopping:
                break
            ready_in = self.limiter.chat_ready_in(chat_id)
            if ready_in > 0:
                soonest = min(soonest, ready_in)
                continue
            await self._slots.acquire()
            try:
                alert = await self.reminders.claim(outbox_id)
            except BaseException:
                self._slots.release()
                raise
            if alert is None:
                self._slots.release()
                soonest = min(soonest, 0.2)  # e.g. its case had an alert in flight
                continue
            if not alert.recipients:  # a team alert takes a slot per chat it goes to
                await self.limiter.acquire(alert.chat_id, LOW)
            if self._stopping:  # claimed, never sent: released and sent once after the restart
                self._slots.release()
                break
            task = asyncio.create_task(self._deliver(alert), name=f"pctby-alert-{outbox_id}")
            self._sending.add(task)
            task.add_done_callback(self._sending.discard)
            started += 1
            if self.concurrency == 1:
                await asyncio.shield(task)  # a send once begun is never cut off
        await self._drain()
        return 0.0 if started else soonest

    async def _drain(self) -> None:
        if self._sending:
            await asyncio.wait(set(self._sending))

    async def _deliver(self, alert: Alert) -> None:
        if alert.recipients:
            await self._deliver_team(alert)
            return
        try:
            try:
                message_id = await self.notifier.send(alert)
            except Blocked as exc:
                self.failed += 1
                log.info("chat %d blocked the bot: %s", alert.chat_id, exc)
                await self.reminders.blocked(alert, f"blocked: {exc}")
                return
            except Exception as exc:  # a 429, TransientError, and anything unforeseen
                await self._put_back(alert, exc)
                return
            await self.reminders.delivered(alert, message_id)
            self.sent += 1
        finally:
            self._slots.release()

    async def _put_back(self, alert: Alert, exc: Exception) -> None:
        """A send that failed for now: after a 429 everything pauses for the time Telegram
        asks (not counted as an attempt); otherwise the alert is tried again with a growing
        back-off, and given up after `max_attempts`."""
        if isinstance(exc, RetryAfter):
            self.limiter.flood(exc.seconds)
            log.warning("429: pausing %.1f s", exc.seconds)
            until = self.clock() + dt.timedelta(seconds=exc.seconds)
            await self.reminders.retry(alert, until, str(exc), count=False)
            return
        attempts = alert.attempts + 1
        if attempts >= self.max_attempts:
            self.failed += 1
            log.error("alert %d failed %d times: %r", alert.outbox_id, attempts, exc)
            await self.reminders.give_up(alert, repr(exc))
            return
        delay = min(self.max_backoff, self.backoff * 2 ** (attempts - 1))
        await self.reminders.retry(alert, self.clock() + dt.timedelta(seconds=delay), repr(exc))

    async def _deliver_team(self, alert: Alert) -> None:
        """A team case's alert to each of its chats that has not had it, each send recorded
        at once (so a retry or a restart sends it only to the others): a chat gone (blocked,
        the bot removed from the group) is recorded as such and the others still get it; a
        429 or a network error puts the whole alert back, for the chats still to go."""
        try:
            for recipient in alert.recipients:
                if recipient.chat_id in alert.done:
                    continue
                await self.limiter.acquire(recipient.chat_id, LOW)
                try:
                    message_id = await self.notifier.send(alert.to(recipient))
                except Blocked as exc:
                    self.failed += 1
                    log.info(
                        "team alert %d: chat %d gone: %s", alert.outbox_id, recipient.chat_id, exc
                    )
                    await self.reminders.delivered_to(alert, recipient, None, f"blocked: {exc}")
                    continue
                except Exception as exc:  # a 429, TransientError, and anything unforeseen
                    await self._put_back(alert, exc)
                    return
                await self.reminders.delivered_to(alert, recipient, message_id)
                self.sent += 1
            await self.reminders.delivered(alert, None)
        finally:
            self._slots.release()
