"""The support desk, free of any chat framework: tickets and broadcasts.

A ticket lives `open → answered → closed`:
- a user's message opens one, or goes to their current (open or answered) ticket, or reopens
  their latest closed ticket if it was closed less than `REOPEN_WINDOW` ago;
- a staff reply marks it answered; staff or the user close it.

Every user-side method takes the owner's Telegram id and goes through the owner-scoped
`TicketRepo`; the staff-side methods (named `staff_*` or taking a staff-chat message id) are the
only ones that find a ticket without knowing its owner.

`broadcast()` sends one text to many users at a steady pace, waits out 429s, counts blocked users
and reports progress; the sending itself is a callable the front-end supplies.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Final

from core.storage import (
    Broadcast,
    Case,
    Direction,
    Stats,
    Store,
    Ticket,
    TicketMessage,
    TicketStatus,
)

REOPEN_WINDOW: Final = dt.timedelta(days=14)
MAX_TEXT: Final = 3500  # a ticket message, so that the relay with its header fits one message
SUMMARY_CASES: Final = 5


class Opened(StrEnum):
    """What a user's message did to their tickets."""

    NEW = "new"  # a new ticket
    ADDED = "added"  # added to the open or answered ticket
    REOPENED = "reopened"  # reopened a recently closed ticket


@dataclass(frozen=True, slots=True)
class Posted:
    ticket: Ticket
    message: TicketMessage
    outcome: Opened


@dataclass(frozen=True, slots=True)
class CaseSummary:
    """What staff see about the author of a ticket: how many cases, and the first few."""

    count: int
    cases: tuple[Case, ...]


@dataclass(frozen=True, slots=True)
class OpenTicket:
    ticket: Ticket
    last_text: str  # the latest message from the user


@dataclass(frozen=True, slots=True)
class Recipient:
    user_id: int
    chat_id: int
    language: str | None


class SupportDesk:
    """Tickets on top of the store's units of work (one transaction per operation)."""

    def __init__(self, store: Store) -> None:
        self.store = store

    # --- the user's side ----------------------------------------------------------------------

    async def post(
        self,
        user_id: int,
        text: str,
        *,
        language: str | None,
        telegram_message_id: int | None = None,
    ) -> Posted:
        """A message from the user: to their current ticket, a reopened one, or a new one."""
        text = text.strip()[:MAX_TEXT]
        async with self.store.transaction() as tx:
            await tx.users.ensure(user_id)
            ticket = await tx.tickets.current(user_id)
            outcome = Opened.ADDED
            if ticket is None:
                latest = next(iter(await tx.tickets.all(user_id)), None)
                now = tx.clock()
                if latest is not None and now - latest.updated_at <= REOPEN_WINDOW:
                    ticket, outcome = latest, Opened.REOPENED
                else:
                    ticket, outcome = await tx.tickets.open(user_id, language), Opened.NEW
            if language is not None and ticket.language != language:
                await tx.tickets.set_language(user_id, ticket.id, language)
            message = await tx.tickets.add_message(
                user_id,
                ticket.id,
                Direction.USER_TO_STAFF,
                text,
                telegram_message_id=telegram_message_id,
            )
            assert message is not None
            fresh = await tx.tickets.get(user_id, ticket.id)
        assert fresh is not None
        return Posted(fresh, message, outcome)

    async def current(self, user_id: int) -> Ticket | None:
        async with self.store.transaction() as tx:
            return await tx.tickets.current(user_id)

    async def close_by_user(self, user_id: int) -> Ticket | None:
        """Closes the user's current ticket; None when they have none open."""
        async with self.store.transaction() as tx:
            ticket = await tx.tickets.current(user_id)
            if ticket is None:
                return None
            await tx.tickets.set_status(user_id, ticket.id, TicketStatus.CLOSED)
            return await tx.tickets.get(user_id, ticket.id)

    async def is_ticket_message(self, user_id: int, telegram_message_id: int) -> bool:
        """Whether a message in the user's chat belongs to one of *their* tickets."""
        async with self.store.transaction() as tx:
            return await tx.tickets.owns_message(user_id, telegram_message_id)

    async def case_summary(self, user_id: int) -> CaseSummary:
        async with self.store.transaction() as tx:
            cases = await tx.cases.all(user_id)
        return CaseSummary(len(cases), tuple(cases[:SUMMARY_CASES]))

    # --- the staff's side (not owner-scoped: only for staff) ---------------------------------

    async def relayed(self, ticket: Ticket, message: TicketMessage, staff_message_id: int) -> None:
        """Records the staff-chat message a user's message was relayed as."""
        async with self.store.transaction() as tx:
            if ticket.staff_message_id is None:
                await tx.tickets.set_relayed(ticket.id, staff_message_id)
            await tx.tickets.set_message_relayed(ticket.id, message.id, staff_message_id)

    async def staff_ticket(self, staff_message_id: int) -> Ticket | None:
        """The ticket a staff-chat message belongs to (the relay or any message of it)."""
        async with self.store.transaction() as tx:
            return await tx.tickets.by_staff_message(staff_message_id)

    async def staff_ticket_by_id(self, ticket_id: int) -> Ticket | None:
        async with self.store.transaction() as tx:
            return await tx.tickets.by_id_for_staff(ticket_id)

    async def staff_answer(
        self,
        ticket: Ticket,
        text: str,
        *,
        staff_message_id: int | None,
        telegram_message_id: int | None,
    ) -> TicketMessage | None:
        """Records a staff answer delivered to the ticket's author; the ticket is answered."""
        async with self.store.transaction() as tx:
            return await tx.tickets.add_message(
                ticket.user_id,
                ticket.id,
                Direction.STAFF_TO_USER,
                text,
                staff_message_id=staff_message_id,
                telegram_message_id=telegram_message_id,
            )

    async def staff_close(self, ticket: Ticket) -> bool:
        """Closes the ticket; False when it was closed already."""
        if ticket.status is TicketStatus.CLOSED:
            return False
        async with self.store.transaction() as tx:
            return await tx.tickets.set_status(ticket.user_id, ticket.id, TicketStatus.CLOSED)

    async def staff_open_tickets(self, limit: int = 30) -> list[OpenTicket]:
        """Tickets not closed, those waiting for an answer first, oldest first."""
        async with self.store.transaction() as tx:
            found = await tx.tickets.open_for_staff(limit)
        return [OpenTicket(ticket, text) for ticket, text in found]

    async def stats(self) -> Stats:
        return await self.store.stats()

    async def recipients(self, after_id: int = 0) -> list[Recipient]:
        """Everyone a broadcast goes to: users who have not blocked the bot (by id, from
        `after_id` on)."""
        async with self.store.transaction() as tx:
            return [Recipient(*r) for r in await tx.users.reachable(after_id)]

    # --- broadcasts: kept in the database, so that a restart resumes them -----------------

    async def start_broadcast(self, text: str, staff_chat_id: int) -> Broadcast | None:
        """A new broadcast of `text` (HTML) to every reachable user; None while one runs."""
        async with self.store.transaction() as tx:
            if await tx.broadcasts.running():
                return None
            total = len(await tx.users.reachable())
            return await tx.broadcasts.start(text, staff_chat_id, total)

    async def running_broadcasts(self) -> list[Broadcast]:
        """Broadcasts a restart interrupted (at start-up) or still going."""
        async with self.store.transaction() as tx:
            return await tx.broadcasts.running()

    async def broadcast_sent(self, broadcast_id: int, user_id: int, outcome: Delivery) -> None:
        async with self.store.transaction() as tx:
            await tx.broadcasts.advance(broadcast_id, user_id, outcome.value)
            if outcome is Delivery.BLOCKED:
                await tx.users.set_blocked(user_id, True)

    async def finish_broadcast(self, broadcast_id: int) -> Broadcast | None:
        async with self.store.transaction() as tx:
            await tx.broadcasts.finish(broadcast_id)
            return await tx.broadcasts.get(broadcast_id)

    async def mark_blocked(self, user_id: int) -> None:
        async with self.store.transaction() as tx:
            await tx.users.set_blocked(user_id, True)


# --- broadcasts ----------------------------------------------------------------------------


class Delivery(StrEnum):
    DELIVERED = "delivered"
    BLOCKED = "blocked"  # the user blocked the bot (or deleted their account)
    FAILED = "failed"  # any other error, after the retries


class RetryLater(Exception):
    """Raised by a send callable on flood control: wait `seconds`, then try again."""

    def __init__(self, seconds: float) -> None:
        super().__init__(f"retry after {seconds} s")
        self.seconds = seconds


@dataclass(slots=True)
class BroadcastReport:
    total: int
    delivered: int = 0
    blocked: int = 0
    failed: int = 0
    retries: int = 0

    @property
    def done(self) -> int:
        return self.delivered + self.blocked + self.failed

    @classmethod
    def of(cls, job: Broadcast) -> BroadcastReport:
        """The counts of a stored broadcast (to resume it)."""
        return cls(job.total, job.delivered, job.blocked, job.failed)


Send = Callable[[Recipient], Awaitable[Delivery]]
Progress = Callable[[BroadcastReport], Awaitable[None]]
Sleep = Callable[[float], Awaitable[None]]


class Pacer:
    """At most `rate` sends per second (Telegram allows about 30 per second to many chats)."""

    def __init__(
        self,
        rate: float,
        *,
        sleep: Sleep = asyncio.sleep,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.interval = 1.0 / rate if rate > 0 else 0.0
        self.sleep = sleep
        self.clock = clock
        self._next = 0.0

    async def wait(self) -> None:
        now = self.clock()
        if self._next > now:
            await self.sleep(self._next - now)
            now = self._next
        self._next = now + self.interval

    def hold(self, seconds: float) -> None:
        """Flood control: nothing is sent for `seconds`."""
        self._next = max(self._next, self.clock() + seconds)


async def broadcast(
    recipients: Sequence[Recipient],
    send: Send,
    *,
    rate: float = 20.0,
    max_retries: int = 3,
    progress_every: int = 25,
    on_progress: Progress | None = None,
    on_blocked: Callable[[Recipient], Awaitable[None]] | None = None,
    on_sent: Callable[[Recipient, Delivery], Awaitable[None]] | None = None,
    report: BroadcastReport | None = None,
    sleep: Sleep = asyncio.sleep,
    clock: Callable[[], float] = time.monotonic,
) -> BroadcastReport:
    """Sends to each recipient once, in order, paced; `send` returns the outcome or raises
    `RetryLater` (waited out, then retried up to `max_retries` times; then it counts as failed).

    `on_sent` records each outcome (a stored broadcast's progress); `report`: the counts so far
    of a broadcast resumed after a restart (`recipients` are then the ones still to serve)."""
    report = report if report is not None else BroadcastReport(total=len(recipients))
    pacer = Pacer(rate, sleep=sleep, clock=clock)
    for recipient in recipients:
        outcome = Delivery.FAILED
        for attempt in range(max_retries + 1):
            await pacer.wait()
            try:
                outcome = await send(recipient)
                break
            except RetryLater as flood:
                report.retries += 1
                if attempt == max_retries:
                    outcome = Delivery.FAILED
                    break
                pacer.hold(flood.seconds)
        if outcome is Delivery.DELIVERED:
            report.delivered += 1
        elif outcome is Delivery.BLOCKED:
            report.blocked += 1
            if on_blocked is not None:
                await on_blocked(recipient)
        else:
            report.failed += 1
        if on_sent is not None:
            await on_sent(recipient, outcome)
        if on_progress is not None and report.done % progress_every == 0:
            await on_progress(report)
    return report
