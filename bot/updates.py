"""Concurrent updates, each user's in order: the bot's `BaseUpdateProcessor`.

PTB's `Application` hands every update to the processor as a task of its own
(`ApplicationBuilder().concurrent_updates(processor)`). This processor puts it in its user's
*lane* (the chat's when there is no user; one shared lane for updates with neither):

- a lane runs its updates one after another, in arrival order — a user's guided flow
  (`user_data`) never sees two of their messages at once;
- different lanes run concurrently, at most `max_running` handlers at a time (the global cap);
  a lane waits for a slot only with its *first* pending update, so one flooding user holds at
  most one place in that queue and only delays themself;
- a lane holds at most `per_user` pending updates (the one running included). Beyond that the
  update is dropped, and the user is told once per burst ("slow down", `on_overflow`); the lane
  accepts updates again as soon as it has room.

PTB's own semaphore (acquired before `do_process_update`) is set far above the cap, so that a
waiting update never takes a slot that another user's update could run in.

A stop is bounded (`BoundedStop`, the application's `stop`): PTB's `Application.stop` waits
for every update to be handled — a 100,000-row import would hold a SIGTERM until it is done,
and Docker or systemd would SIGKILL the bot first. Here it waits `STOP_TIMEOUT − STOP_GRACE`
seconds; the handlers still running then are cancelled (an import keeps the batches it
committed) and have `STOP_GRACE` seconds to tell their user; a handler still running after that
is cancelled once more and left behind. The updates still *waiting* in a lane then (never
started; Telegram counts them delivered) are not dropped: `UserLanes.hand_over` takes them out
and `BoundedStop.on_hold` keeps them in the database, in one short unit of work within the
grace, for the next start to handle first, in their order (bot/held.py). The services' stop
(`on_stop`: the alert and the broadcast message in flight) runs beside it, within the same
bound.

Each update handled is one INFO line on `pctby.updates`: the user's id, the kind of update, the
handler that took it and the milliseconds it took — never the message's text (`name_handlers`
labels every handler's callback, so that the line can say which one ran).
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import functools
import logging
import time
from collections.abc import Awaitable, Callable, Coroutine, Hashable, Iterable
from dataclasses import dataclass, field
from typing import Any

from telegram import Update
from telegram.ext import Application, BaseHandler, BaseUpdateProcessor

from core.reminders.dispatcher import STOP_TIMEOUT

log = logging.getLogger("pctby.updates")

STOP_GRACE = 2.0  # seconds of STOP_TIMEOUT a cancelled handler has to tell its user

MAX_RUNNING = 64  # handlers running at once, all users together
PER_USER = 20  # pending updates of one user (running + waiting)
_PTB_LIMIT = 1_000_000  # PTB's semaphore: never the one that waits

Overflow = Callable[[Update], Awaitable[None]]


def lane_of(update: object) -> Hashable:
    """The user's id; else ("chat", id); else one lane for everything else."""
    if isinstance(update, Update):
        if update.effective_user is not None:
            return update.effective_user.id
        if update.effective_chat is not None:
            return ("chat", update.effective_chat.id)
    return "other"


@dataclass
class _Lane:
    pending: int = 0
    tail: asyncio.Future[None] | None = None
    warned: bool = False
    dropped: int = field(default=0)


class UserLanes(BaseUpdateProcessor):
    """Per-user order, concurrency across users, a global cap and a bound per user."""

    def __init__(
        self,
        *,
        max_running: int = MAX_RUNNING,
        per_user: int = PER_USER,
        on_overflow: Overflow | None = None,
    ) -> None:
        if per_user < 1 or max_running < 1:
            raise ValueError("max_running and per_user must be positive")
        super().__init__(_PTB_LIMIT)
        self.max_running = max_running
        self.per_user = per_user
        self.on_overflow = on_overflow
        self._running = asyncio.Semaphore(max_running)
        self._lanes: dict[Hashable, _Lane] = {}
        self._notices: set[asyncio.Task[None]] = set()
        self._handling: set[asyncio.Task[Any]] = set()  # updates running or waiting in a lane
        self._waiting: dict[asyncio.Task[Any], tuple[int, object]] = {}  # never started yet
        self._arrivals = 0  # arrival number of the last update taken
        self.dropped = 0  # updates dropped for a full lane (all users), for the logs and tests

    async def initialize(self) -> None:
        return None

    async def shutdown(self) -> None:
        if self._notices:
            await asyncio.wait(set(self._notices), timeout=5)

    @property
    def lanes(self) -> int:
        """Users with pending updates."""
        return len(self._lanes)

    @property
    def handling(self) -> int:
        """Updates running or waiting in a lane."""
        return len(self._handling)

    def hand_over(self) -> list[object]:
        """A stop that cannot wait longer: the updates waiting in a lane (never started) are
        taken out of it — their tasks cancelled before their handler runs — and returned in the
        order they arrived, for the caller to keep (`BoundedStop.on_hold`)."""
        waiting = sorted(self._waiting.items(), key=lambda item: item[1][0])
        self._waiting.clear()
        for task, _ in waiting:
            self._handling.discard(task)  # not one `cancel` counts
            task.cancel()
        return [update for _, (_, update) in waiting]

    def cancel(self) -> int:
        """A stop that cannot wait longer: every update running or waiting is cancelled (each
        handler's `finally` and `except CancelledError` still run); returns how many."""
        tasks = [task for task in self._handling if not task.done()]
        for task in tasks:
            task.cancel()
        return len(tasks)

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        key = lane_of(update)
        lane = self._lanes.setdefault(key, _Lane())
        if lane.pending >= self.per_user:
            self._drop(update, lane, coroutine)
            return
        lane.pending += 1
        previous, mine = lane.tail, asyncio.get_running_loop().create_future()
        lane.tail = mine
        task = asyncio.current_task()
        if task is not None:
            self._handling.add(task)
            self._arrivals += 1
            self._waiting[task] = (self._arrivals, update)
        try:
            if previous is not None and not previous.done():
                await asyncio.shield(previous)
            async with self._running:
                if task is not None:
                    self._waiting.pop(task, None)  # it starts: no longer one to hand over
                await _logged(update, coroutine)
        finally:
            _close(coroutine)
            self._finish(key, lane, previous, mine)
            if task is not None:
                self._handling.discard(task)
                self._waiting.pop(task, None)

    def _finish(
        self,
        key: Hashable,
        lane: _Lane,
        previous: asyncio.Future[None] | None,
        mine: asyncio.Future[None],
    ) -> None:
        """The next update of the lane may start — once the one before this is done too
        (this one may have been cancelled while it waited)."""
        if previous is None or previous.done():
            mine.set_result(None)
        else:
            previous.add_done_callback(lambda _f: _resolve(mine))
        lane.pending -= 1
        if lane.pending == 0:
            if lane.dropped:
                log.info(
                    "lane %s: %d update(s) dropped (over %d)", key, lane.dropped, self.per_user
                )
            del self._lanes[key]

    def _drop(self, update: object, lane: _Lane, coroutine: Awaitable[Any]) -> None:
        _close(coroutine)
        self.dropped += 1
        lane.dropped += 1
        if lane.warned or self.on_overflow is None or not isinstance(update, Update):
            return
        lane.warned = True
        task = asyncio.create_task(self._notify(update))
        self._notices.add(task)
        task.add_done_callback(self._notices.discard)

    async def _notify(self, update: Update) -> None:
        assert self.on_overflow is not None
        try:
            await self.on_overflow(update)
        except Exception:  # a notice that fails is only a notice
            log.warning("could not tell a user to slow down", exc_info=True)


# --- a bounded stop ----------------------------------------------------------------------------


StopHook = Callable[[], Awaitable[None]]
HoldHook = Callable[[list[object]], Awaitable[None]]


class BoundedStop(Application[Any, Any, Any, Any, Any, Any]):
    """PTB's `Application` whose `stop` ends within `stop_timeout` seconds (module docstring).
    `on_stop`: the services' stop, run beside the updates' (set by the application factory).
    `on_hold`: keeps the updates that never started when the bound ran out (`bot.held`)."""

    __slots__ = ("on_hold", "on_stop", "stop_grace", "stop_timeout")

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.stop_timeout = STOP_TIMEOUT
        self.stop_grace = STOP_GRACE
        self.on_stop: StopHook | None = None
        self.on_hold: HoldHook | None = None

    async def stop(self) -> None:
        lanes = self.update_processor
        services = None if self.on_stop is None else asyncio.ensure_future(self.on_stop())
        try:
            if isinstance(lanes, UserLanes):
                await stop_within(
                    super().stop(), lanes, self.stop_timeout, self.stop_grace, self.on_hold
                )
            else:
                await super().stop()
        finally:
            if services is not None:
                await services


async def stop_within(
    stopping: Awaitable[None],
    lanes: UserLanes,
    timeout: float,
    grace: float,
    hold: HoldHook | None = None,
) -> None:
    """Awaits `stopping` (PTB's stop: it returns once every update is handled) for
    `timeout − grace` seconds; then the updates waiting in a lane (never started) are handed to
    `hold` (without it, dropped), the ones still running are cancelled, and both get `grace`
    seconds more; what is still running then is cancelled again and not waited for."""
    stop = asyncio.ensure_future(stopping)
    done, _ = await asyncio.wait({stop}, timeout=max(timeout - grace, 0))
    if done:
        return stop.result()
    waiting = lanes.hand_over()
    n = lanes.cancel()
    log.warning("stop: %d update(s) still handled after %.0f s, cancelled", n, timeout - grace)
    keeping: asyncio.Task[None] | None = None
    if waiting:
        if hold is None:
            log.error("stop: %d update(s) never started, dropped", len(waiting))
        else:
            keeping = asyncio.ensure_future(hold(waiting))
    pending: set[asyncio.Task[None]] = {stop} if keeping is None else {stop, keeping}
    done, _ = await asyncio.wait(pending, timeout=grace)
    if keeping is not None:
        await _kept(keeping, len(waiting))
    if stop in done:
        return stop.result()
    n = lanes.cancel()
    log.error("stop: %d update(s) outlived their cancellation, left behind", n)
    done, _ = await asyncio.wait({stop}, timeout=0.1)  # cancelled ones end in a loop turn or two
    if not done:
        stop.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await stop
        return None
    return stop.result()


async def _kept(keeping: asyncio.Future[None], n: int) -> None:
    """Logs how holding `n` updates went; one not done within the bound is cancelled (its
    unit of work is rolled back: they are lost, as they would have been without it)."""
    if not keeping.done():
        keeping.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await keeping
        log.error("stop: %d update(s) never started, not held in time, dropped", n)
    elif keeping.cancelled() or keeping.exception() is not None:
        exc = None if keeping.cancelled() else keeping.exception()
        log.error("stop: %d update(s) never started, not held, dropped", n, exc_info=exc)
    else:
        log.warning("stop: %d update(s) never started, held for the next start", n)


def _resolve(future: asyncio.Future[None]) -> None:
    if not future.done():
        future.set_result(None)


def _close(coroutine: Awaitable[Any]) -> None:
    """A coroutine that never ran is closed (no 'never awaited' warning)."""
    if isinstance(coroutine, Coroutine):
        with contextlib.suppress(RuntimeError):
            coroutine.close()


# --- one log line per update -------------------------------------------------------------------

_TRAIL: contextvars.ContextVar[list[str] | None] = contextvars.ContextVar(
    "pctby_trail", default=None
)


async def _logged(update: object, coroutine: Awaitable[Any]) -> None:
    trail: list[str] = []
    token = _TRAIL.set(trail)
    start = time.monotonic()
    try:
        await coroutine
    finally:
        ms = (time.monotonic() - start) * 1000
        _TRAIL.reset(token)
        user = update.effective_user if isinstance(update, Update) else None
        log.info(
            "update user=%s kind=%s handler=%s ms=%.0f",
            user.id if user is not None else "-",
            kind_of(update),
            trail[-1] if trail else "-",
            ms,
        )


def kind_of(update: object) -> str:
    """What arrived, in one word (never its content)."""
    if not isinstance(update, Update):
        return type(update).__name__
    if update.callback_query is not None:
        return "button"
    message = update.message or update.edited_message
    if message is None:
        return "other"
    if message.text:
        return "command" if message.text.startswith("/") else "text"
    for kind in ("document", "photo", "voice", "video", "sticker", "contact", "location"):
        if getattr(message, kind, None):
            return kind
    return "message"


def _label(callback: Callable[..., Any]) -> str:
    module = getattr(callback, "__module__", "") or ""
    return f"{module.rsplit('.', 1)[-1]}.{getattr(callback, '__qualname__', '?')}"


def _named(
    callback: Callable[..., Awaitable[Any]],
) -> Callable[..., Coroutine[Any, Any, Any]]:
    label = _label(callback)

    @functools.wraps(callback)
    async def named(*args: Any, **kwargs: Any) -> Any:
        trail = _TRAIL.get()
        if trail is not None:
            trail.append(label)
        return await callback(*args, **kwargs)

    return named


def name_handlers(handlers: Iterable[BaseHandler[Any, Any, Any]]) -> None:
    """Every handler's callback notes its name when it runs (bot/handlers names each group's
    handlers as it registers them)."""
    for handler in handlers:
        handler.callback = _named(handler.callback)
