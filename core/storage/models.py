"""Rows of the store as small immutable records (dates as `datetime.date`, moments as aware UTC)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from core.deadlines import CaseFacts, Event, EventKind
from core.models import Kind
from core.text import clean

UTC = dt.UTC


def to_epoch(moment: dt.datetime) -> int:
    if moment.tzinfo is None:
        raise ValueError("naive datetime: every moment here is timezone-aware")
    return int(moment.timestamp())


def from_epoch(value: int) -> dt.datetime:
    return dt.datetime.fromtimestamp(value, UTC)


@dataclass(frozen=True, slots=True)
class User:
    id: int  # Telegram user id
    chat_id: int
    language: str | None  # None: the bot's default language
    tz: str | None  # None: the configured default zone
    alert_time: dt.time | None
    quiet_start: dt.time | None
    quiet_end: dt.time | None
    lead_days: tuple[int, ...] | None
    grace_lead_days: tuple[int, ...] | None
    blocked: bool
    created_at: dt.datetime


MAX_TITLE = 500  # characters of a case's title (the CSV's limit; the form's title, if saved)


@dataclass(frozen=True, slots=True)
class CaseInput:
    """What a user (or an import row) says about a case; `ref` is unique per owner."""

    ref: str
    kind: Kind
    filing: dt.date
    priority: dt.date | None = None
    title: str = ""
    natural_person: bool = False

    def __post_init__(self) -> None:
        # one normal form for what is stored and compared (no look-alikes, no bidi tricks)
        object.__setattr__(self, "ref", clean(self.ref))
        object.__setattr__(self, "title", clean(self.title))


@dataclass(frozen=True, slots=True)
class Case:
    id: int
    owner_id: int
    ref: str
    kind: Kind
    filing: dt.date
    priority: dt.date | None
    title: str
    natural_person: bool
    muted: bool
    alert_state: dict[str, int]
    created_at: dt.datetime
    updated_at: dt.datetime
    # the international publication (the entry form's WO number and date), where known
    wo_number: str | None = None
    publication_date: dt.date | None = None


class EventSource(StrEnum):
    USER = "user"
    IMPORT = "import"
    ALERT = "alert"  # the Paid button of an alert


@dataclass(frozen=True, slots=True)
class StoredEvent:
    id: int
    case_id: int
    kind: EventKind
    date: dt.date
    year: int | None
    source: EventSource
    # who recorded it (a Telegram user id; None: before teams, or the command line), the name
    # they had in the case's team then, and when
    recorded_by: int | None = None
    recorded_name: str | None = None
    recorded_at: dt.datetime | None = None

    def event(self) -> Event:
        return Event(kind=self.kind, date=self.date, year=self.year)


def case_facts(case: Case, events: list[StoredEvent]) -> CaseFacts:
    return CaseFacts(
        kind=case.kind,
        filing=case.filing,
        priority=case.priority,
        natural_person=case.natural_person,
        events=tuple(e.event() for e in events),
    )


@dataclass(frozen=True, slots=True)
class PlanningSnapshot:
    """A run of cases as the bulk planner reads them: raw rows, so that the batch can be
    planned in another process and compared with the database again before it is written.

    `cases`: case columns (`CASE_COLS`) plus the owner's chat id, by id; `events`: each case's
    event rows (id, case_id, kind, date, year, source) in date order; `users`: the owners'
    rows (`USER_COLS`).
    """

    cases: dict[int, tuple[Any, ...]]
    events: dict[int, tuple[tuple[Any, ...], ...]]
    users: dict[int, tuple[Any, ...]]

    @property
    def first(self) -> int:
        return min(self.cases)

    @property
    def last(self) -> int:
        return max(self.cases)

    def same_case(self, other: PlanningSnapshot, case_id: int) -> bool:
        """The case, its events and its owner's settings read the same in both snapshots."""
        row = self.cases.get(case_id)
        if row is None or other.cases.get(case_id) != row:
            return False
        owner = row[1]
        return self.events.get(case_id) == other.events.get(case_id) and self.users.get(
            owner
        ) == other.users.get(owner)


class OutboxState(StrEnum):
    PLANNED = "planned"
    CLAIMED = "claimed"
    SENT = "sent"
    FAILED = "failed"
    CANCELLED = "cancelled"


class Origin(StrEnum):
    PLAN = "plan"  # the next regular alert of a case
    SNOOZE = "snooze"  # an alert the user snoozed


@dataclass(frozen=True, slots=True)
class OutboxRow:
    id: int
    user_id: int
    case_id: int
    origin: Origin
    state: OutboxState
    due_at: dt.datetime
    payload: dict[str, Any]
    attempts: int
    sent_at: dt.datetime | None
    message_id: int | None
    error: str | None


class TicketStatus(StrEnum):
    OPEN = "open"
    ANSWERED = "answered"
    CLOSED = "closed"


class Direction(StrEnum):
    USER_TO_STAFF = "user_to_staff"
    STAFF_TO_USER = "staff_to_user"


@dataclass(frozen=True, slots=True)
class Broadcast:
    """A staff broadcast and how far it got (recipients go in user-id order)."""

    id: int
    text: str
    staff_chat_id: int
    done: bool
    total: int
    last_user_id: int
    delivered: int
    blocked: int
    failed: int


@dataclass(frozen=True, slots=True)
class Ticket:
    id: int
    user_id: int
    language: str | None
    status: TicketStatus
    staff_message_id: int | None
    created_at: dt.datetime
    updated_at: dt.datetime


@dataclass(frozen=True, slots=True)
class TicketMessage:
    id: int
    ticket_id: int
    direction: Direction
    text: str
    staff_message_id: int | None
    telegram_message_id: int | None
    created_at: dt.datetime


@dataclass(frozen=True, slots=True)
class Stats:
    users: int
    blocked_users: int
    cases: int
    alerts_sent: int
    alerts_planned: int
    open_tickets: int
