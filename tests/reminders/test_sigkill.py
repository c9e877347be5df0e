"""A SIGKILL at any moment loses no alert; the only duplicates are the messages in flight
(alerts are delivered at least once: docs/MANUAL.md, "Many users at once"). The dispatcher runs
in a child process (`sigkill_child.py`) that is killed again and again until it has sent
everything."""

from __future__ import annotations

import collections
import datetime as dt
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from core.reminders import Reminders
from core.storage import Store
from tests.reminders.fakes import FakeClock
from tests.reminders.helpers import add_case

ROOT = Path(__file__).resolve().parents[2]
CASES = 20

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")


async def test_sigkill_at_random_moments_loses_no_alert(tmp_path: Path, clock: FakeClock) -> None:
    db = tmp_path / "kill.sqlite3"
    sent_log = tmp_path / "sent.log"
    store = await Store.open(db, clock=clock)
    rem = Reminders(store)
    cases = [await add_case(rem, owner=5000 + i, ref=f"P-{i}") for i in range(CASES)]
    assert len(await rem.due(100)) == CASES  # every case has its 90-day alert caught up now
    await store.close()

    rnd = random.Random(20261121)
    kills = 0
    elapsed = 0.0
    for _ in range(60):
        start = clock.now().timestamp() + elapsed
        began = time.monotonic()
        child = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "tests.reminders.sigkill_child",
                str(db),
                str(sent_log),
                str(start),
            ],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
        )
        assert child.stdout is not None
        assert child.stdout.readline().strip() == b"ready"
        try:
            child.wait(timeout=rnd.uniform(0.05, 0.35))
        except subprocess.TimeoutExpired:
            child.send_signal(signal.SIGKILL)
            child.wait()
            kills += 1
        elapsed += time.monotonic() - began
        child.stdout.close()
        if child.returncode == 0:
            break
    else:
        pytest.fail("the dispatcher never finished")

    delivered = collections.Counter(int(x) for x in sent_log.read_text().split())
    assert set(delivered) == set(cases)  # nothing lost
    duplicates = sum(n - 1 for n in delivered.values())
    assert duplicates <= kills  # at most the one message in flight at each kill
    assert kills >= 3  # the test did kill the dispatcher mid-way

    store = await Store.open(db, clock=clock)
    async with (
        store.transaction() as tx,
        tx.conn.execute("SELECT state, count(*) FROM outbox GROUP BY state") as cur,
    ):
        states: dict[str, int] = {r[0]: r[1] for r in await cur.fetchall()}
    await store.close()
    assert states.get("sent") == CASES  # each recorded once, whatever was re-sent
    assert "claimed" not in states and "failed" not in states
    assert states.get("planned") == CASES  # and each case's next alert is planned
    assert dt.timedelta(seconds=elapsed) < dt.timedelta(minutes=2)
