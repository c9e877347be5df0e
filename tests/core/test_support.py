"""The support desk without Telegram: the ticket cycle, owner scoping, paced broadcasts."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from core.clock import FrozenClock
from core.storage import Store, TicketStatus
from core.support import (
    REOPEN_WINDOW,
    Delivery,
    Opened,
    Recipient,
    RetryLater,
    SupportDesk,
    broadcast,
)

ALICE, BOB = 101, 202


@pytest.fixture
def clock() -> FrozenClock:
    return FrozenClock(dt.datetime(2025, 3, 1, 10, 0, tzinfo=dt.UTC))


@pytest.fixture
async def desk(tmp_path: Path, clock: FrozenClock) -> AsyncIterator[SupportDesk]:
    store = await Store.open(tmp_path / "db.sqlite3", clock=clock)
    try:
        yield SupportDesk(store)
    finally:
        await store.close()


async def test_ticket_cycle_open_answered_closed_reopened(
    desk: SupportDesk, clock: FrozenClock
) -> None:
    first = await desk.post(ALICE, "How do I pay?", language="ru", telegram_message_id=5)
    assert first.outcome is Opened.NEW and first.ticket.status is TicketStatus.OPEN
    assert first.ticket.language == "ru"
    await desk.relayed(first.ticket, first.message, staff_message_id=900)

    ticket = await desk.staff_ticket(900)
    assert ticket is not None and ticket.id == first.ticket.id
    answer = await desk.staff_answer(
        ticket, "By bank transfer", staff_message_id=901, telegram_message_id=6
    )
    assert answer is not None
    assert (await desk.current(ALICE)) == await desk.staff_ticket(901)
    current = await desk.current(ALICE)
    assert current is not None and current.status is TicketStatus.ANSWERED
    assert await desk.is_ticket_message(ALICE, 6)

    again = await desk.post(ALICE, "Thanks, and the account?", language="ru")
    assert again.outcome is Opened.ADDED and again.ticket.status is TicketStatus.OPEN

    assert await desk.staff_close(again.ticket)
    assert await desk.current(ALICE) is None
    clock.advance(days=1)
    reopened = await desk.post(ALICE, "One more thing", language="ru")
    assert reopened.outcome is Opened.REOPENED and reopened.ticket.id == first.ticket.id
    assert reopened.ticket.status is TicketStatus.OPEN


async def test_an_old_closed_ticket_is_not_reopened(desk: SupportDesk, clock: FrozenClock) -> None:
    first = await desk.post(ALICE, "Question", language="en")
    closed = await desk.close_by_user(ALICE)
    assert closed is not None and closed.status is TicketStatus.CLOSED
    assert await desk.close_by_user(ALICE) is None
    clock.advance((REOPEN_WINDOW + dt.timedelta(hours=1)).total_seconds())
    later = await desk.post(ALICE, "A new question", language="en")
    assert later.outcome is Opened.NEW and later.ticket.id != first.ticket.id


async def test_tickets_are_owner_scoped(desk: SupportDesk) -> None:
    alice = await desk.post(ALICE, "Alice's secret", language="en", telegram_message_id=7)
    bob = await desk.post(BOB, "Bob's question", language="be")
    assert alice.ticket.id != bob.ticket.id
    assert not await desk.is_ticket_message(BOB, 7)
    assert await desk.close_by_user(BOB) is not None
    current = await desk.current(ALICE)
    assert current is not None and current.status is TicketStatus.OPEN
    listed = await desk.staff_open_tickets()
    assert [(t.ticket.user_id, t.last_text) for t in listed] == [(ALICE, "Alice's secret")]
    assert (await desk.stats()).open_tickets == 1


class FakeTime:
    def __init__(self) -> None:
        self.t = 0.0
        self.slept: list[float] = []

    def clock(self) -> float:
        return self.t

    async def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.t += seconds


async def test_broadcast_paces_retries_and_counts() -> None:
    people = [Recipient(i, i, "en") for i in range(1, 6)]
    attempts: dict[int, int] = {}
    blocked: list[int] = []
    progress: list[int] = []
    fake = FakeTime()

    async def send(r: Recipient) -> Delivery:
        attempts[r.user_id] = attempts.get(r.user_id, 0) + 1
        if r.user_id == 2 and attempts[2] == 1:
            raise RetryLater(3)
        if r.user_id == 4:
            return Delivery.BLOCKED
        if r.user_id == 5:
            raise RetryLater(1)  # never succeeds
        return Delivery.DELIVERED

    async def on_blocked(r: Recipient) -> None:
        blocked.append(r.user_id)

    async def on_progress(report: object) -> None:
        progress.append(getattr(report, "done", -1))

    report = await broadcast(
        people,
        send,
        rate=10,
        max_retries=2,
        progress_every=2,
        on_progress=on_progress,
        on_blocked=on_blocked,
        sleep=fake.sleep,
        clock=fake.clock,
    )
    assert (report.total, report.delivered, report.blocked, report.failed) == (5, 3, 1, 1)
    assert attempts == {1: 1, 2: 2, 3: 1, 4: 1, 5: 3}
    assert report.retries == 4
    assert blocked == [4]
    assert progress == [2, 4]
    assert 3.0 in fake.slept  # the 429's retry_after was waited out
    assert all(s >= 0.1 - 1e-9 for s in fake.slept)  # never faster than the rate


async def test_the_ticket_follows_the_users_latest_language_and_stays_theirs(
    desk: SupportDesk,
) -> None:
    first = await desk.post(ALICE, "Вопрос", language="ru")
    again = await desk.post(ALICE, "Пытанне", language="be")
    assert again.ticket.id == first.ticket.id and again.ticket.language == "be"
    staff_view = await desk.staff_ticket_by_id(first.ticket.id)
    assert staff_view is not None and staff_view.language == "be"
    assert staff_view.user_id == ALICE
    assert await desk.staff_ticket_by_id(first.ticket.id + 100) is None
    # Bob writing in English changes nothing of Alice's ticket
    await desk.post(BOB, "Question", language="en")
    mine = await desk.current(ALICE)
    assert mine is not None and mine.language == "be"


async def test_a_stored_broadcast_counts_each_user_once_and_resumes_after_the_last(
    desk: SupportDesk,
) -> None:

    for user in (ALICE, BOB, 777):
        await desk.post(user, "hi", language="en")
    job = await desk.start_broadcast("Closed on 3 July", staff_chat_id=-1)
    assert job is not None and job.total == 3 and not job.done
    assert await desk.start_broadcast("another", staff_chat_id=-1) is None  # one at a time

    first, *rest = await desk.recipients(job.last_user_id)
    await desk.broadcast_sent(job.id, first.user_id, Delivery.DELIVERED)
    await desk.broadcast_sent(job.id, first.user_id, Delivery.DELIVERED)  # again: not counted
    (resumed,) = await desk.running_broadcasts()
    assert (resumed.delivered, resumed.last_user_id) == (1, first.user_id)
    assert await desk.recipients(resumed.last_user_id) == rest
    await desk.broadcast_sent(job.id, rest[0].user_id, Delivery.BLOCKED)
    assert [r.user_id for r in await desk.recipients()] == [first.user_id, rest[1].user_id]

    done = await desk.finish_broadcast(job.id)
    assert done is not None and done.done and (done.delivered, done.blocked) == (1, 1)
    assert await desk.running_broadcasts() == []
