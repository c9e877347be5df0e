"""Test doubles: a settable clock, a sleep that advances it, a notifier that records."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from core.reminders import Alert


class FakeClock:
    def __init__(self, start: dt.datetime) -> None:
        self.now = start

    def __call__(self) -> dt.datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += dt.timedelta(seconds=seconds)

    async def sleep(self, seconds: float) -> None:
        self.advance(max(seconds, 0.001))


class RecordingNotifier:
    """Sends into a list; `script` may raise for a given attempt number (1-based)."""

    def __init__(self, clock: FakeClock, script: Callable[[int, Alert], None] | None = None):
        self.clock = clock
        self.sent: list[tuple[dt.datetime, Alert]] = []
        self.calls = 0
        self.script = script

    async def send(self, alert: Alert) -> int | None:
        self.calls += 1
        if self.script is not None:
            self.script(self.calls, alert)
        self.sent.append((self.clock.now, alert))
        return 1000 + self.calls
