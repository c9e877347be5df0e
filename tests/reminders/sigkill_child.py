"""The dispatcher as a separate process, for `test_sigkill.py` to kill with SIGKILL.

    python -m tests.reminders.sigkill_child DB SENT_LOG START_EPOCH

Sends every due alert through a notifier that appends the case id to SENT_LOG (flushed and
fsynced before `send` returns: what is in the file was "delivered"), with small random pauses
around the write so that kills land between every pair of steps. Prints "ready" once the store
is open, and exits 0 once nothing is due. The clock starts at START_EPOCH and runs in real time.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import os
import random
import sys
import time

from core.clock import Clock
from core.reminders import Alert, Dispatcher, Reminders
from core.storage import Store


class FileNotifier:
    def __init__(self, path: str) -> None:
        self.path = path
        self.count = 0

    async def send(self, alert: Alert) -> int:
        await asyncio.sleep(random.uniform(0, 0.01))
        with open(self.path, "a", encoding="ascii") as fh:
            fh.write(f"{alert.case_id}\n")
            fh.flush()
            os.fsync(fh.fileno())
        await asyncio.sleep(random.uniform(0, 0.03))  # "sent", not yet recorded
        self.count += 1
        return self.count


async def main(db: str, log: str, start: float) -> None:
    t0 = time.monotonic()
    base = dt.datetime.fromtimestamp(start, dt.UTC)

    class Running(Clock):
        """Starts at `start` and runs in real time."""

        def now(self) -> dt.datetime:
            return base + dt.timedelta(seconds=time.monotonic() - t0)

    clock = Running()

    store = await Store.open(db, clock=clock)
    try:
        reminders = Reminders(store)
        dispatcher = Dispatcher(reminders, FileNotifier(log), clock=clock)
        await reminders.release_claims()
        print("ready", flush=True)
        while await reminders.due(1):
            await dispatcher.run_once()
    finally:
        await store.close()


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], sys.argv[2], float(sys.argv[3])))
