"""The one clock of the process: every "now" and "today" in pctby is read from a `Clock`.

The application factory builds one (`SystemClock`) and hands it to the store, the reminders,
the dispatcher, the rates service and the handlers; tests build a `FrozenClock` instead and
choose the date. Nothing else in the code reads the wall clock (`date.today()`,
`datetime.now()`): a test can then run the whole bot on any day it likes.

    clock = SystemClock("Europe/Minsk")
    clock.now()                 # aware datetime, UTC
    clock.today()               # the date in the clock's zone (the bot's zone)
    clock.today(user_zone)      # the date in another zone
    clock()                     # the same as now(): a clock is also a `Callable[[], datetime]`
    clock.monotonic()           # seconds for intervals (rate limits); await clock.sleep(s)
"""

from __future__ import annotations

import datetime as dt
import time
from zoneinfo import ZoneInfo

DEFAULT_ZONE = "Europe/Minsk"

Zone = dt.tzinfo | str


def _zone(tz: Zone) -> dt.tzinfo:
    return ZoneInfo(tz) if isinstance(tz, str) else tz


class Clock:
    """Now and today, in a default time zone. Subclasses say where "now" comes from."""

    def __init__(self, tz: Zone = DEFAULT_ZONE) -> None:
        self.tz = _zone(tz)

    def now(self) -> dt.datetime:  # pragma: no cover - abstract
        raise NotImplementedError

    def __call__(self) -> dt.datetime:
        return self.now()

    def local_now(self, tz: Zone | None = None) -> dt.datetime:
        return self.now().astimezone(self.tz if tz is None else _zone(tz))

    def today(self, tz: Zone | None = None) -> dt.date:
        """Today's date in `tz` (default: the clock's zone, i.e. the bot's)."""
        return self.local_now(tz).date()

    def monotonic(self) -> float:
        """Seconds for measuring intervals (rate limits): never steps back when the wall clock
        is set; only differences mean anything."""
        return self.now().timestamp()

    async def sleep(self, seconds: float) -> None:
        """Waits `seconds` of this clock's time (pacing loops take it from here)."""
        import asyncio  # here: the command line's dates need no event loop (its cold start)

        await asyncio.sleep(seconds)


class SystemClock(Clock):
    """The wall clock: the only place in pctby that reads it."""

    def now(self) -> dt.datetime:
        return dt.datetime.now(dt.UTC)

    def monotonic(self) -> float:
        return time.monotonic()


class FrozenClock(Clock):
    """A clock that stands still until moved: `set`, `advance`, or `sleep` (which advances it
    instead of waiting, for code that takes a sleep function)."""

    def __init__(self, at: dt.datetime | dt.date, tz: Zone = DEFAULT_ZONE) -> None:
        super().__init__(tz)
        self._now = self._aware(at)

    def _aware(self, at: dt.datetime | dt.date) -> dt.datetime:
        if not isinstance(at, dt.datetime):  # a date: 09:00 on that day in the clock's zone
            at = dt.datetime.combine(at, dt.time(9, 0), tzinfo=self.tz)
        if at.tzinfo is None:
            raise ValueError("a frozen clock needs an aware datetime")
        return at.astimezone(dt.UTC)

    def now(self) -> dt.datetime:
        return self._now

    def set(self, at: dt.datetime | dt.date) -> None:
        self._now = self._aware(at)

    def advance(self, seconds: float = 0.0, *, days: float = 0.0) -> None:
        self._now += dt.timedelta(days=days, seconds=seconds)

    async def sleep(self, seconds: float) -> None:
        self.advance(max(seconds, 0.001))


SYSTEM_CLOCK = SystemClock()
"""For front-ends that have no application to build one (the command line's defaults)."""
