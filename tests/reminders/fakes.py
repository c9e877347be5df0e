"""Test doubles: a settable clock, a sleep that advances it, a notifier that records."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from core.clock import FrozenClock
from core.reminders import Alert

FakeClock = FrozenClock  # the core's settable clock; `sleep` advances it instead of waiting


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
        self.sent.append((self.clock.now(), alert))
        return 1000 + self.calls
