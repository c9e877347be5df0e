"""The outbound budget: who sends next, within Telegram's limits, fairly.

One `RateLimiter` is shared by everything the bot sends (bot/sender.py gives it to the alert
dispatcher too). Each message to a chat first takes a slot: `await limiter.acquire(chat)`.

- **In all**: at most `per_second` (29) starts a second, paced evenly (one every 1/29 s and 1%
  more, so that clock jitter never squeezes 30 into a second). Telegram's ceiling is 30: the
  margin absorbs a message that leaves up to ~40 ms after its slot (a busy event loop) without
  putting 31 into any second at Telegram.
- **Per chat, a token bucket**: a private chat may take `burst` (3) messages at once, then one a
  second (`per_chat_interval`) — a reply of two messages, or a button press and a message, goes
  out at once; a chat that keeps asking is paced at one a second. A group (negative id) gets one
  every `group_interval` (3 s: Telegram's 20 a minute), no burst.
- **Fair share**: when several wait, the next free slot goes to the chat served least recently
  — a reply to someone's first message in a while goes ahead of a flooder's tenth, and flooders
  share what is left round-robin; a chat's own messages keep their order.
- **Priorities**: replies (`HIGH`) before alerts and broadcasts (`LOW`); but every `low_every`-th
  slot (5: a fifth of the budget) goes to a waiting low one, so neither class starves.
- **429**: `flood(seconds)` pauses every start for the time Telegram asks and lowers the rate
  to `backoff` (0.75) of what it was (not below `min_rate`); each `recover_every` seconds (5)
  without another 429 it rises by one a second, back to `per_second`.

Time is the injected clock's (`Clock.monotonic`, `Clock.sleep`; a frozen clock in tests), so
every behaviour here is tested by the order of events, never by the wall clock. Framework-free:
the dispatcher in `core.reminders` uses it without Telegram.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import math
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Final

from core.clock import Clock

Sleep = Callable[[float], Awaitable[None]]

HIGH: Final = 0  # replies to what a user just did
LOW: Final = 1  # alerts, broadcasts: they can wait a little

PER_SECOND: Final = 29
BURST: Final = 3
PER_CHAT_INTERVAL: Final = 1.0
GROUP_INTERVAL: Final = 3.0
LOW_EVERY: Final = 5
MIN_RATE: Final = 5.0
BACKOFF: Final = 0.75
RECOVER_EVERY: Final = 5.0
_JITTER: Final = 1.01  # spacing a hair over 1/rate: n + 1 never fits in a second
_FORGET_AFTER: Final = 50_000  # chats remembered before the idle ones are dropped


@dataclass(frozen=True)
class _Waiter:
    seq: int  # order of arrival
    chat: int
    priority: int
    future: asyncio.Future[None]


class RateLimiter:
    """Slots for outbound messages (see the module's docstring)."""

    def __init__(
        self,
        clock: Clock,
        sleep: Sleep | None = None,
        *,
        per_second: int = PER_SECOND,
        burst: int = BURST,
        per_chat_interval: float = PER_CHAT_INTERVAL,
        group_interval: float = GROUP_INTERVAL,
        low_every: int = LOW_EVERY,
        min_rate: float = MIN_RATE,
        backoff: float = BACKOFF,
        recover_every: float = RECOVER_EVERY,
    ) -> None:
        self.clock = clock
        self.sleep = sleep if sleep is not None else clock.sleep
        self.max_rate = float(per_second)
        self.rate = float(per_second)  # lowered by a 429, raised again slowly
        self.burst = burst
        self.per_chat_interval = per_chat_interval
        self.group_interval = group_interval
        self.low_every = low_every
        self.min_rate = min_rate
        self.backoff = backoff
        self.recover_every = recover_every
        self.floods = 0  # 429s reported (`flood`)
        self._next_global = -math.inf  # earliest next start
        self._paused_until = -math.inf
        self._calm_since = -math.inf  # the last 429, or the last step up of the rate
        # per chat: the bucket as a "theoretical arrival time" (GCRA): a start conforms when
        # now >= tat - (burst - 1) * interval; each start moves tat one interval on
        self._tat: dict[int, float] = {}
        self._served: dict[int, float] = {}  # per chat: the last start
        self._waiters: list[_Waiter] = []
        self._seq = itertools.count()
        self._high_run = 0  # high slots in a row while a low one waited
        self._pump: asyncio.Task[None] | None = None
        self._wake: asyncio.Event | None = None

    # -- time --------------------------------------------------------------------------------

    def now(self) -> float:
        """The limiter's time in seconds (what `pause_until` takes)."""
        return self.clock.monotonic()

    def _interval(self, chat: int) -> float:
        return self.group_interval if chat < 0 else self.per_chat_interval

    def _chat_wait(self, chat: int, now: float) -> float:
        tat = self._tat.get(chat)
        if tat is None:
            return 0.0
        allowance = 0 if chat < 0 else self.burst - 1
        return max(0.0, tat - allowance * self._interval(chat) - now)

    def chat_ready_in(self, chat: int) -> float:
        """Seconds before `chat` has a token again (0: it may send now)."""
        return self._chat_wait(chat, self.now())

    def busy_chats(self) -> list[int]:
        """Chats that must wait before their next message."""
        now = self.now()
        return [chat for chat in self._tat if self._chat_wait(chat, now) > 0]

    # -- slots -------------------------------------------------------------------------------

    async def acquire(self, chat: int, priority: int = HIGH) -> None:
        """Waits for a slot for a message to `chat`, then takes it."""
        now = self.now()
        if not self._waiters and now >= self._next_global and self._chat_wait(chat, now) == 0:
            self._take(chat, now)  # nobody waits and the slot is free: no queue, no yield
            return
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._waiters.append(_Waiter(next(self._seq), chat, priority, future))
        if self._pump is None or self._pump.done():
            self._pump = asyncio.create_task(self._run(), name="pctby-rate-limiter")
        elif self._wake is not None:
            self._wake.set()  # the pump may be waiting for a chat's token: this one may be ready
        try:
            await future
        except asyncio.CancelledError:  # (a slot already taken for it goes unused)
            self._waiters = [w for w in self._waiters if w.future is not future]
            raise

    def _take(self, chat: int, now: float) -> None:
        self._recover(now)
        spacing = _JITTER / self.rate
        late = now - self._next_global
        # keep to the schedule (a late wake-up does not push every later start back); after
        # idling, start a new one
        base = self._next_global if 0 <= late < spacing else now
        self._next_global = base + spacing
        self._tat[chat] = max(self._tat.get(chat, now), now) + self._interval(chat)
        self._served[chat] = now
        if len(self._tat) > _FORGET_AFTER:  # chats whose bucket is full again are forgotten
            self._tat = {c: t for c, t in self._tat.items() if t > now}
            self._served = {c: self._served[c] for c in self._tat}

    def _pick(self, now: float) -> _Waiter | None:
        """The waiter to serve now: a chat with a token, the class whose turn it is, the
        chat served least recently (then the first to come)."""
        ready = [w for w in self._waiters if self._chat_wait(w.chat, now) == 0]
        if not ready:
            return None
        high = [w for w in ready if w.priority == HIGH]
        low = [w for w in ready if w.priority != HIGH]
        served = self._served

        def first(waiters: list[_Waiter]) -> _Waiter:
            return min(waiters, key=lambda w: (served.get(w.chat, -math.inf), w.seq))

        if high and (not low or self._high_run < self.low_every - 1):
            self._high_run = self._high_run + 1 if low else 0
            return first(high)
        self._high_run = 0
        return first(low)

    async def _run(self) -> None:
        """Hands out the slots while anyone waits."""
        self._wake = asyncio.Event()
        while self._waiters:
            self._waiters = [w for w in self._waiters if not w.future.done()]
            if not self._waiters:
                break
            now = self.now()
            if now < self._next_global:
                await self.sleep(self._next_global - now)
                continue
            waiter = self._pick(now)
            if waiter is None:  # every waiting chat has used its burst: until the first token
                soonest = min(self._chat_wait(w.chat, now) for w in self._waiters)
                await self._sleep_or_wake(soonest)
                continue
            self._waiters.remove(waiter)
            self._take(waiter.chat, now)
            waiter.future.set_result(None)
            await asyncio.sleep(0)  # its sender goes first (a frozen clock's sleep never yields)
        self._wake = None

    async def _sleep_or_wake(self, seconds: float) -> None:
        wake = self._wake
        assert wake is not None
        wake.clear()
        sleeper = asyncio.ensure_future(self.sleep(seconds))
        waker = asyncio.ensure_future(wake.wait())
        try:
            await asyncio.wait({sleeper, waker}, return_when=asyncio.FIRST_COMPLETED)
        finally:
            for fut in (sleeper, waker):
                if not fut.done():
                    fut.cancel()
                    with contextlib.suppress(asyncio.CancelledError):
                        await fut

    async def close(self) -> None:
        """At shutdown: whoever still waits is cancelled, the hand-out stops."""
        for waiter in self._waiters:
            waiter.future.cancel()
        self._waiters = []
        pump, self._pump = self._pump, None
        if pump is not None and not pump.done():
            pump.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await pump

    # -- Telegram said 429 -------------------------------------------------------------------

    def pause_until(self, moment: float) -> None:
        """No start before `moment` (the limiter's time)."""
        self._next_global = max(self._next_global, moment)
        self._paused_until = max(self._paused_until, moment)

    def flood(self, seconds: float) -> None:
        """A 429 asking to wait `seconds`: every start pauses that long, and the rate comes down
        (once per pause: the other requests that were in flight report the same flood)."""
        now = self.now()
        if now >= self._paused_until:
            self.floods += 1
            self.rate = max(self.min_rate, self.rate * self.backoff)
        self._calm_since = max(self._calm_since, now + seconds)
        self.pause_until(now + seconds)

    def _recover(self, now: float) -> None:
        if self.rate >= self.max_rate:
            return
        if self._calm_since == -math.inf:
            self._calm_since = now
        steps = int((now - self._calm_since) // self.recover_every)
        if steps > 0:
            self.rate = min(self.max_rate, self.rate + steps)
            self._calm_since += steps * self.recover_every
