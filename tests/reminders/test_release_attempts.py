"""An alert in flight at a crash may have been sent: when the next start puts it back, that
counts as an attempt — so the copy sent then says "Sent again" (bot/jobs/alerts.py)."""

from __future__ import annotations

from core.reminders import Reminders
from core.storage import Store
from tests.reminders.fakes import FakeClock
from tests.reminders.helpers import add_case


async def test_an_alert_in_flight_at_a_crash_counts_as_an_attempt(
    store: Store, clock: FakeClock
) -> None:
    reminders = Reminders(store)
    await add_case(reminders)
    (outbox_id, _user, _chat), *_ = await reminders.due(10, exclude=[])
    claimed = await reminders.claim(outbox_id)
    assert claimed is not None and claimed.attempts == 0
    assert await reminders.release_claims() == 1  # the start after a SIGKILL
    again = await reminders.claim(outbox_id)
    assert again is not None and again.attempts == 1
