"""The structured alert handed to a notifier (no text: the bot renders it per user language)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from decimal import Decimal
from enum import StrEnum
from typing import Any

from core.models import Kind

PAYLOAD_VERSION = 1


class Lead(StrEnum):
    """Why an item is alerted now, besides a number of days before the last day."""

    GRACE_START = "grace_start"  # the normal period ended: the 6-month grace (+50%) runs
    ENTRY_MISSED = "entry_missed"  # the entry time limit passed with no entry recorded


def _dec(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def _undec(value: Any) -> Decimal | None:
    return None if value is None else Decimal(str(value))


@dataclass(frozen=True, slots=True)
class AlertItem:
    """One deadline in an alert."""

    code: str  # deadline code (docs/RULES.md §2), e.g. "annual_7", "annual_7_grace"
    date: dt.date  # effective last day
    nominal: dt.date
    basis: str
    conditional: str | None
    year: int | None
    amount: Decimal | None  # for a grace item: the surcharged amount
    late_amount: Decimal | None
    days_left: int  # from the user's local date when the alert was planned to go out
    lead: str  # "90", "30", "7", "1", "0" (days before) or a `Lead`
    last_day: dt.date  # the last legal day: for an annuity the end of its grace
    moment: int  # the planned moment of this alert (unix seconds), for bookkeeping
    skipped: tuple[tuple[dt.date, str], ...] = ()  # non-working days that moved `date`
    warnings: tuple[str, ...] = ()  # codes of core.labels.WARNINGS on the alert's day

    @property
    def key(self) -> str:
        return f"{self.code}@{self.date.isoformat()}"

    def to_json(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "date": self.date.isoformat(),
            "nominal": self.nominal.isoformat(),
            "basis": self.basis,
            "conditional": self.conditional,
            "year": self.year,
            "amount": _dec(self.amount),
            "late_amount": _dec(self.late_amount),
            "days_left": self.days_left,
            "lead": self.lead,
            "last_day": self.last_day.isoformat(),
            "moment": self.moment,
            "skipped": [[d.isoformat(), r] for d, r in self.skipped],
            "warnings": list(self.warnings),
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> AlertItem:
        return cls(
            code=data["code"],
            date=dt.date.fromisoformat(data["date"]),
            nominal=dt.date.fromisoformat(data["nominal"]),
            basis=data["basis"],
            conditional=data.get("conditional"),
            year=data.get("year"),
            amount=_undec(data.get("amount")),
            late_amount=_undec(data.get("late_amount")),
            days_left=int(data["days_left"]),
            lead=str(data["lead"]),
            last_day=dt.date.fromisoformat(data["last_day"]),
            moment=int(data["moment"]),
            skipped=tuple((dt.date.fromisoformat(d), str(r)) for d, r in data.get("skipped", [])),
            warnings=tuple(str(w) for w in data.get("warnings", [])),
        )


@dataclass(frozen=True, slots=True)
class Recipient:
    """One chat a team case's alert goes to: a member's private chat (`user_id`), or the team's
    linked group (`user_id` None)."""

    chat_id: int
    user_id: int | None
    language: str | None

    @property
    def group(self) -> bool:
        return self.user_id is None


@dataclass(frozen=True, slots=True)
class Alert:
    """One message: every item of one case that falls due together."""

    outbox_id: int
    user_id: int
    chat_id: int
    language: str | None  # None: the bot's default language (a user who never wrote)
    case_id: int
    ref: str
    title: str
    kind: Kind
    items: tuple[AlertItem, ...]
    snoozed: bool = False
    # annual fees before this year were assumed paid (none recorded, their grace is over)
    assumed_paid_through: int | None = None
    attempts: int = 0
    # A team's case: the team's name (the alert says whose case it is), who handles it, the
    # chats it goes to (empty: the owner's private chat, `chat_id`), and those that have it
    # already (`alert_key`: what this alert tells — one send per chat of it).
    team: str | None = None
    assignee: str | None = None
    recipients: tuple[Recipient, ...] = ()
    done: frozenset[int] = frozenset()
    alert_key: str = ""

    def to(self, recipient: Recipient) -> Alert:
        """The copy of a team alert for one of its chats."""
        return replace(
            self,
            chat_id=recipient.chat_id,
            language=recipient.language,
            recipients=(),
            done=frozenset(),
        )

    @property
    def in_group(self) -> bool:
        """A copy sent to a team's group (not to a person)."""
        return self.team is not None and self.chat_id < 0

    def payload(self) -> dict[str, Any]:
        return {
            "v": PAYLOAD_VERSION,
            "case_id": self.case_id,
            "ref": self.ref,
            "title": self.title,
            "kind": self.kind.value,
            "chat_id": self.chat_id,
            "items": [i.to_json() for i in self.items],
            "assumed_paid_through": self.assumed_paid_through,
        }

    @classmethod
    def from_payload(
        cls,
        data: dict[str, Any],
        *,
        outbox_id: int,
        user_id: int,
        chat_id: int,
        language: str | None,
        snoozed: bool = False,
        attempts: int = 0,
    ) -> Alert:
        return cls(
            outbox_id=outbox_id,
            user_id=user_id,
            chat_id=chat_id,
            language=language,
            case_id=int(data["case_id"]),
            ref=str(data["ref"]),
            title=str(data.get("title", "")),
            kind=Kind(data["kind"]),
            items=tuple(AlertItem.from_json(i) for i in data["items"]),
            snoozed=snoozed,
            assumed_paid_through=data.get("assumed_paid_through"),
            attempts=attempts,
        )


def alert_key(payload: dict[str, Any], snoozed: bool) -> str:
    """What an alert tells, as a key: its deadlines and their alert moments (a row planned
    again for other deadlines or moments is another alert)."""
    items = ",".join(f"{i['code']}@{i['date']}#{i['moment']}" for i in payload.get("items", ()))
    return ("snooze:" if snoozed else "plan:") + items
