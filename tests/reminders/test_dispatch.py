"""The outbox and the dispatcher: crash safety, 429, 403, retries, rates, events."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from core.clock import SystemClock
from core.models import Kind
from core.reminders import Alert, Blocked, Dispatcher, Reminders, RetryAfter, TransientError
from core.storage import CaseInput, OutboxState, Store
from tests.reminders.fakes import FakeClock, RecordingNotifier
from tests.reminders.helpers import A, add_case

B = 2002  # another user; A, add_case's default owner, is in helpers.py


class Crash(BaseException):
    """Stands for SIGKILL: nothing after it runs."""


async def states(store: Store) -> list[str]:
    async with (
        store.transaction() as tx,
        tx.conn.execute("SELECT state FROM outbox ORDER BY id") as cur,
    ):
        return [r[0] for r in await cur.fetchall()]


def dispatcher(
    rem: Reminders, notifier: RecordingNotifier, clock: FakeClock, **kw: object
) -> Dispatcher:
    return Dispatcher(rem, notifier, clock=clock, sleep=clock.sleep, **kw)  # type: ignore[arg-type]


async def test_sends_due_alert_and_plans_the_next(store: Store, clock: FakeClock) -> None:
    rem = Reminders(store)
    await add_case(rem)
    notifier = RecordingNotifier(clock)
    d = dispatcher(rem, notifier, clock)
    await d.reminders.release_claims()
    await d.run_once()
    assert len(notifier.sent) == 1  # the 90-day alert passed on 2025-12-04: caught up now
    alert = notifier.sent[0][1]
    assert alert.chat_id == A and alert.language is None
    assert [(i.code, i.lead) for i in alert.items] == [("annual_5", "90")]
    assert await states(store) == ["sent", "planned"]
    assert await d.run_once() > 0 and len(notifier.sent) == 1  # next one is on 2026-02-02
    clock.set(dt.datetime(2026, 2, 2, 7, 0, tzinfo=dt.UTC))  # 10:00 Minsk
    await d.run_once()
    assert [(i.code, i.lead) for i in notifier.sent[-1][1].items] == [("annual_5", "30")]


async def test_killed_between_claim_and_send_loses_nothing(
    tmp_path: Path, clock: FakeClock
) -> None:
    path = tmp_path / "k.sqlite3"
    store = await Store.open(path, clock=clock)
    rem = Reminders(store)
    await add_case(rem)
    ((row_id, _u, _c),) = await rem.due()
    assert await rem.claim(row_id) is not None
    await store.close()  # killed: the claim is committed, nothing was sent
    store = await Store.open(path, clock=clock)
    notifier = RecordingNotifier(clock)
    d = dispatcher(Reminders(store), notifier, clock)
    assert await d.reminders.release_claims() == 1
    await d.run_once()
    assert len(notifier.sent) == 1
    assert await states(store) == ["sent", "planned"]
    await store.close()


async def test_killed_between_send_and_record_sends_once_more(
    tmp_path: Path, clock: FakeClock
) -> None:
    path = tmp_path / "k.sqlite3"
    store = await Store.open(path, clock=clock)
    rem = Reminders(store)
    await add_case(rem)
    delivered: list[Alert] = []

    async def fail_after_send(alert: Alert, message_id: int | None) -> None:
        delivered.append(alert)
        raise Crash

    rem.delivered = fail_after_send  # type: ignore[method-assign]
    notifier = RecordingNotifier(clock)
    d = dispatcher(rem, notifier, clock)
    with pytest.raises(Crash):
        await d.run_once()
    await store.close()
    store = await Store.open(path, clock=clock)
    notifier2 = RecordingNotifier(clock)
    d = dispatcher(Reminders(store), notifier2, clock)
    await d.reminders.release_claims()
    await d.run_once()
    # the one message in flight went out twice; nothing else repeats
    assert len(notifier.sent) == 1 and len(notifier2.sent) == 1
    assert notifier.sent[0][1].items == notifier2.sent[0][1].items
    await d.run_once()
    assert len(notifier2.sent) == 1
    assert await states(store) == ["sent", "planned"]
    await store.close()


async def test_429_waits_retry_after_then_sends(store: Store, clock: FakeClock) -> None:
    rem = Reminders(store)
    await add_case(rem)

    def script(call: int, alert: Alert) -> None:
        if call == 1:
            raise RetryAfter(7)

    notifier = RecordingNotifier(clock, script)
    d = dispatcher(rem, notifier, clock)
    start = clock.now()
    await d.run_once()
    assert notifier.sent == [] and await states(store) == ["planned"]
    assert 0 < await d.run_once() <= 7
    while not notifier.sent:
        clock.advance(max(await d.run_once(), 0.5))
    assert (notifier.sent[0][0] - start).total_seconds() >= 7
    async with store.transaction() as tx:
        row = (await tx.outbox.for_case(A, 1))[0]
        assert row.state is OutboxState.SENT and row.attempts == 0


async def test_403_marks_user_blocked_and_keeps_their_data(store: Store, clock: FakeClock) -> None:
    rem = Reminders(store)
    await add_case(rem, A)
    await add_case(rem, B, "Q-1")

    def script(call: int, alert: Alert) -> None:
        if alert.user_id == A:
            raise Blocked("Forbidden: bot was blocked by the user")

    notifier = RecordingNotifier(clock, script)
    d = dispatcher(rem, notifier, clock)
    await d.run_once()
    clock.advance(2)
    await d.run_once()
    assert [a.user_id for _t, a in notifier.sent] == [B]
    async with store.transaction() as tx:
        assert (await tx.users.get(A)).blocked  # type: ignore[union-attr]
        assert len(await tx.cases.all(A)) == 1
    clock.set(dt.datetime(2026, 3, 3, 7, tzinfo=dt.UTC))
    calls = notifier.calls
    await d.run_once()
    assert all(a.user_id == B for _t, a in notifier.sent) and notifier.calls == calls + 1
    await rem.user_wrote(A, "en")  # A writes again: alerts resume
    clock.advance(2)
    notifier.script = None
    await d.run_once()
    assert notifier.sent[-1][1].user_id == A


async def test_network_errors_retry_with_backoff(store: Store, clock: FakeClock) -> None:
    rem = Reminders(store)
    await add_case(rem)

    def script(call: int, alert: Alert) -> None:
        if call <= 3:
            raise TransientError("connection reset")

    notifier = RecordingNotifier(clock, script)
    d = dispatcher(rem, notifier, clock, backoff=5.0)
    start = clock.now()
    for _ in range(50):
        if notifier.sent:
            break
        clock.advance(max(await d.run_once(), 0.5))
    assert notifier.calls == 4 and len(notifier.sent) == 1
    assert (notifier.sent[0][0] - start).total_seconds() >= 5 + 10 + 20


async def test_rates_29_per_second_in_total_and_a_burst_then_1_per_second_per_chat(
    store: Store, clock: FakeClock
) -> None:
    rem = Reminders(store)
    for user in range(1, 81):
        await add_case(rem, user)
    for n in range(5):  # one user with five cases: three messages at once, then one a second
        await add_case(rem, 999, f"R-{n}")
    notifier = RecordingNotifier(clock)
    d = dispatcher(rem, notifier, clock)
    for _ in range(200):
        if len(notifier.sent) == 85:
            break
        clock.advance(max(await d.run_once(), 0.001))
    times = [t.timestamp() for t, _a in notifier.sent]
    assert len(times) == 85
    for i, t in enumerate(times):
        assert sum(1 for u in times[i:] if u < t + 1.0) <= 29
    chat = sorted(t.timestamp() for t, a in notifier.sent if a.chat_id == 999)
    assert chat[2] - chat[0] < 1.0  # the burst
    assert chat[3] - chat[0] >= 1.0 and chat[4] - chat[3] >= 1.0  # then a token a second


async def test_paid_closes_the_deadline_and_plans_next_year(store: Store, clock: FakeClock) -> None:
    rem = Reminders(store)
    case_id = await add_case(rem)
    await rem.act(A, case_id, "annual_5")
    async with store.transaction() as tx:
        plan = [r for r in await tx.outbox.for_case(A, case_id) if r.state is OutboxState.PLANNED]
    assert len(plan) == 1
    assert [i["code"] for i in plan[0].payload["items"]] == ["annual_6"]


async def test_snooze_and_stop(store: Store, clock: FakeClock) -> None:
    rem = Reminders(store)
    case_id = await add_case(rem)
    notifier = RecordingNotifier(clock)
    d = dispatcher(rem, notifier, clock)
    await d.run_once()
    alert = notifier.sent[0][1]
    assert await rem.snooze(B, alert.outbox_id, 1) is None  # not B's alert
    when = await rem.snooze(A, alert.outbox_id, 1)
    assert when is not None and when - clock.now() == dt.timedelta(days=1)
    clock.set(when)
    await d.run_once()
    assert notifier.sent[-1][1].snoozed and len(notifier.sent) == 2
    assert await rem.stop(A, case_id)
    clock.set(dt.datetime(2026, 3, 4, 7, tzinfo=dt.UTC))
    await d.run_once()
    assert len(notifier.sent) == 2


async def test_a_title_saved_after_the_snooze_names_the_snoozed_alert(
    store: Store, clock: FakeClock
) -> None:
    """The entry form saves a title to the case: the planned alert is replanned with it, and a
    snoozed one (whose payload was taken before) names the case as it is when it fires."""
    rem = Reminders(store)
    case_id = await add_case(rem)
    notifier = RecordingNotifier(clock)
    d = dispatcher(rem, notifier, clock)
    await d.run_once()
    alert = notifier.sent[0][1]
    assert alert.title == ""
    when = await rem.snooze(A, alert.outbox_id, 1)
    assert when is not None
    saved = await rem.update_case_details(A, case_id, title="Water filter")
    assert saved is not None and saved.saved == ("title",)
    async with store.transaction() as tx:
        planned = [r for r in await tx.outbox.for_case(A, case_id) if r.state == "planned"]
    assert planned and {r.payload["title"] for r in planned if r.origin == "plan"} <= {
        "Water filter"
    }
    clock.set(when)
    await d.run_once()
    assert notifier.sent[-1][1].snoozed and notifier.sent[-1][1].title == "Water filter"


async def test_start_wake_stop_as_a_task(store: Store) -> None:
    """With the real clock: the loop runs as a task, goes idle for its tick (an hour), and a
    case added then wakes it at once — the alert does not wait for the hour."""
    rem = Reminders(store)
    store.clock = SystemClock()
    import asyncio

    sent: list[Alert] = []
    arrived = asyncio.Event()
    idling = asyncio.Event()
    idles: list[float] = []

    class N:
        async def send(self, alert: Alert) -> int | None:
            sent.append(alert)
            arrived.set()
            return 1

    async def sleep(seconds: float) -> None:  # the loop's idle: told, then really waited
        idles.append(seconds)
        idling.set()
        await asyncio.sleep(seconds)

    d = Dispatcher(rem, N(), tick=3600, sleep=sleep)
    rem.on_change = d.wake
    await rem.update_settings(A, quiet_start=dt.time(0), quiet_end=dt.time(0))  # no quiet hours
    d.start()
    await asyncio.wait_for(idling.wait(), 5)  # the first round found nothing: idle for the tick
    assert idles == [3600] and sent == []
    filed = store.clock.today() - dt.timedelta(days=900)
    case, _ = await rem.save_case(A, CaseInput("W-1", Kind.PATENT, filed))
    await asyncio.wait_for(arrived.wait(), 5)
    await d.stop()
    assert sent and sent[0].case_id == case.id


async def test_a_chat_over_its_rate_is_skipped_and_the_others_are_served(
    store: Store, clock: FakeClock
) -> None:
    rem = Reminders(store)
    for n in range(8):  # eight due alerts of one chat, ahead of everyone else's
        await add_case(rem, A, f"A-{n}")
    await add_case(rem, B, "B-1")
    notifier = RecordingNotifier(clock)
    d = dispatcher(rem, notifier, clock, batch=5)
    await d.reminders.release_claims()
    await d.run_once()  # A's burst of three, then A must wait
    await d.run_once()  # no time has passed: A is over its rate, B is served
    assert [alert.chat_id for _at, alert in notifier.sent] == [A, A, A, B]


async def test_a_clean_stop_lets_the_send_in_flight_finish_and_nothing_goes_twice(
    store: Store, clock: FakeClock
) -> None:
    import asyncio

    rem = Reminders(store)
    await add_case(rem)
    gate, started = asyncio.Event(), asyncio.Event()

    class Slow(RecordingNotifier):
        async def send(self, alert: Alert) -> int | None:
            started.set()
            await gate.wait()  # the request is on its way to Telegram
            return await super().send(alert)

    async def never(_seconds: float) -> None:
        await asyncio.Event().wait()

    notifier = Slow(clock)
    d = Dispatcher(rem, notifier, clock=clock, sleep=never)
    d.start()
    await started.wait()
    stopping = asyncio.create_task(d.stop())  # SIGTERM while the alert is in flight
    await asyncio.sleep(0)
    assert not stopping.done()
    gate.set()
    await asyncio.wait_for(stopping, 5)
    assert len(notifier.sent) == 1 and not d.running
    assert await states(store) == ["sent", "planned"]
    again = RecordingNotifier(clock)  # the restart
    assert await rem.release_claims() == 0
    await dispatcher(rem, again, clock).run_once()
    assert again.sent == []
