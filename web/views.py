"""What the case desk's API answers, as JSON-ready dicts in the user's language.

Every fact comes from core — the open deadlines and their warnings (`core.lifecycle`), the
standing of a case (`core.overview`), the labels, the reasons a date moved and the notes
(`core.explain`, `core.labels`), the amounts and the schedule's age — and every text is
translated here with the user's `Translator`. The page puts these strings into the document
as text; nothing here is HTML.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from typing import Any

from core.deadlines import CaseFacts, Event, EventKind
from core.errors import N_
from core.explain import (
    amounts_warning,
    deadline_notes,
    deadline_title,
    kind_label,
    shift_sentence,
)
from core.i18n import LANGS, Translator
from core.lifecycle import (
    EVENT_NAMES,
    ROUTES,
    WARNINGS,
    Action,
    OpenDeadline,
    action_of,
    case_status,
)
from core.models import Kind
from core.overview import (
    DUE_SOON_DAYS,
    SEVERITY,
    CaseStanding,
    Standing,
    standing,
    standing_of,
)
from core.storage import Case, StoredEvent
from core.timeline import FACT_LABELS, OTHER_EVENT_LABEL

LANG_NAMES = {"ru": "Русский", "be": "Беларуская", "en": "English"}

STANDING_LABELS: dict[Standing, str] = {
    Standing.OVERDUE: N_("overdue"),
    Standing.GRACE: N_("in grace"),
    Standing.OPEN: N_("open"),
    Standing.CLOSED: N_("nothing open"),
}  # Standing.SOON: "due within N days", a plural (`standing_label`)

ACTION_LABELS: dict[Action, str] = {
    Action.PAID: N_("Mark paid"),
    Action.DONE: N_("Mark done"),
    Action.ROUTE: N_("What to do"),
}

SOURCE_LABELS: dict[str, str] = {
    "user": N_("recorded by you"),
    "import": N_("from an import"),
    "alert": N_("from a reminder's button"),
}


def standing_label(t: Translator, standing: Standing) -> str:
    if standing is Standing.SOON:
        return t.nfmt("due within {n} day", "due within {n} days", DUE_SOON_DAYS)
    return t.gettext(STANDING_LABELS[standing])


def days_text(t: Translator, day: dt.date, today: dt.date) -> str:
    """ "12 days left", "3 days overdue", "today is the last day" (the chat's wording)."""
    left = (day - today).days
    if left < 0:
        return t.nfmt("{n} day overdue", "{n} days overdue", -left)
    if left == 0:
        return t.gettext("today is the last day")
    return t.nfmt("{n} day left", "{n} days left", left)


def money(t: Translator, amount: Decimal | None) -> str | None:
    return None if amount is None else t.money(amount)


def event_label(t: Translator, kind: EventKind, year: int | None) -> str:
    return t.fmt(FACT_LABELS.get(kind, OTHER_EVENT_LABEL), year=year if year is not None else "")


# -- the table ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Row:
    """One case of the table with the keys it sorts and filters by; a team's case with the
    team's name and whether the user may change it (an owner or attorney of the team)."""

    case: Case
    standing: CaseStanding
    team: str | None = None
    writes: bool = True

    @property
    def next_date(self) -> dt.date | None:
        item = self.standing.deadline
        return None if item is None else item.deadline.date


SORTS = ("next", "ref", "kind", "title", "status")


def standing_now(case: Case, events: Sequence[StoredEvent], today: dt.date) -> CaseStanding:
    """The case's standing on `today` (`core.overview`), remembered for the same facts and
    day: the table is asked again at every search, filter and order, and after an action on
    one case only that case's facts have changed. (The standing rests on dates alone — a fee
    schedule installed meanwhile changes no date.)"""
    facts = tuple((e.kind, e.date, e.year) for e in events)
    return _standing(case.kind, case.filing, case.priority, facts, today)


@lru_cache(maxsize=20_000)
def _standing(
    kind: Kind,
    filing: dt.date,
    priority: dt.date | None,
    events: tuple[tuple[EventKind, dt.date, int | None], ...],
    today: dt.date,
) -> CaseStanding:
    facts = CaseFacts(
        kind=kind,
        filing=filing,
        priority=priority,
        events=tuple(Event(kind=k, date=d, year=y) for k, d, y in events),
    )
    return standing(case_status(facts, today), today)


def sort_key(row: Row, by: str) -> tuple[Any, ...]:
    """Rows without a deadline sort last by date; ties by reference."""
    ref = row.case.ref.casefold()
    when = row.next_date or dt.date.max
    if by == "ref":
        return (ref, row.case.id)
    if by == "kind":
        return (row.case.kind.value, when, ref)
    if by == "title":
        return (row.case.title == "", row.case.title.casefold(), ref)
    if by == "status":
        return (SEVERITY[row.standing.standing], when, ref)
    return (when, SEVERITY[row.standing.standing], ref)


def matches(row: Row, query: str) -> bool:
    """The search: every word of `query` in the reference or the title, in any letter case."""
    hay = f"{row.case.ref}\n{row.case.title}\n{row.team or ''}".casefold()
    return all(word in hay for word in query.casefold().split())


def row_json(t: Translator, row: Row, today: dt.date) -> dict[str, Any]:
    case = row.case
    item = row.standing.deadline
    nxt = None
    if item is not None:
        d = item.deadline
        nxt = {
            "code": d.code,
            "label": deadline_title(t, d),
            "date": d.date.isoformat(),
            "date_text": t.date(d.date, "medium"),
            "days": (d.date - today).days,
            "days_text": days_text(t, d.date, today),
        }
    return {
        "id": case.id,
        "ref": case.ref,
        "kind": case.kind.value,
        "kind_label": kind_label(t, case.kind.value),
        "title": case.title,
        "muted": case.muted,
        "team": row.team,
        "can_write": row.writes,
        "next": nxt,
        "status": row.standing.standing.value,
        "status_label": standing_label(t, row.standing.standing),
    }


# -- a case ------------------------------------------------------------------------------------


def deadline_json(
    t: Translator, case: Case, item: OpenDeadline, by_code: dict[str, OpenDeadline], today: dt.date
) -> dict[str, Any]:
    d = item.deadline
    action = action_of(d.code)
    standing = standing_of(item, by_code, today)
    return {
        "code": d.code,
        "label": deadline_title(t, d),
        "date": d.date.isoformat(),
        "date_text": t.date(d.date),
        "nominal_text": t.date(d.nominal),
        "why": shift_sentence(t, d) if d.shifted else None,
        "days": (d.date - today).days,
        "days_text": days_text(t, d.date, today),
        "status": item.status.value,
        "standing": standing.value,
        "standing_label": standing_label(t, standing),
        "basis": d.basis,
        "warnings": [t.gettext(WARNINGS[w]) for w in item.warnings],
        "amount": money(t, d.amount),
        "late_amount": money(t, d.late_amount) if d.late_amount != d.amount else None,
        "action": action.value,
        "action_label": t.gettext(ACTION_LABELS[action]),
        "route": t.fmt(ROUTES[d.code], ref=case.ref) if action is Action.ROUTE else None,
    }


def case_json(
    t: Translator,
    case: Case,
    facts: CaseFacts,
    events: Sequence[StoredEvent],
    open_now: Sequence[OpenDeadline],
    today: dt.date,
    *,
    team: str | None = None,
    role: str | None = None,
    writes: bool = True,
    assignee: str | None = None,
    tz: dt.tzinfo = dt.UTC,
) -> dict[str, Any]:
    """A case for its page; a team's case with the team, the user's `role` in it, whether
    they may change it, who handles it and who recorded each event (`tz`: the day of it)."""
    by_code = {item.code: item for item in open_now}
    deadlines = [item.deadline for item in open_now]
    paying = [d.date for d in deadlines if d.amount is not None]
    notes = deadline_notes(t, facts, deadlines) + amounts_warning(t, paying)
    return {
        "id": case.id,
        "ref": case.ref,
        "kind": case.kind.value,
        "kind_label": kind_label(t, case.kind.value),
        "title": case.title,
        "priority": None if case.priority is None else case.priority.isoformat(),
        "priority_text": None if case.priority is None else t.date(case.priority),
        "filing": case.filing.isoformat(),
        "filing_text": t.date(case.filing),
        "wo_number": case.wo_number,
        "publication_text": None
        if case.publication_date is None
        else t.date(case.publication_date),
        "natural_person": case.natural_person,
        "muted": case.muted,
        "team": team,
        "role": role,
        "can_write": writes,
        "assignee": assignee,
        "today": today.isoformat(),
        "deadlines": [deadline_json(t, case, item, by_code, today) for item in open_now],
        "events": [
            {
                "id": e.id,
                "kind": e.kind.value,
                "label": event_label(t, e.kind, e.year),
                "date": e.date.isoformat(),
                "date_text": t.date(e.date),
                "source": source_label(t, e, tz)
                if team is not None
                else t.gettext(SOURCE_LABELS.get(e.source.value, SOURCE_LABELS["user"])),
            }
            for e in events
        ],
        "notes": notes,
    }


def source_label(t: Translator, e: StoredEvent, tz: dt.tzinfo) -> str:
    """Where a team case's event came from: who recorded it and when, where known."""
    if not e.recorded_name or e.recorded_at is None:
        return t.gettext(SOURCE_LABELS.get(e.source.value, SOURCE_LABELS["user"]))
    day = t.date(e.recorded_at.astimezone(tz).date(), "short")
    if e.source.value == "import":
        return t.fmt("imported by {name}, {date}", name=e.recorded_name, date=day)
    return t.fmt("recorded by {name}, {date}", name=e.recorded_name, date=day)


# -- what the page needs once --------------------------------------------------------------------


ANNUAL_EVENT = N_("Annual fee paid (for the year given)")


def recordable_events(t: Translator) -> list[dict[str, Any]]:
    """The events the record form offers: those `core.lifecycle.parse_event` reads, by the
    word it reads them by; the annual fee with a year."""
    found = [
        {"word": word, "label": event_label(t, kind, None), "annual": False}
        for kind, word in EVENT_NAMES.items()
    ]
    found.insert(
        min(len(found), 5),
        {"word": "annual", "label": t.gettext(ANNUAL_EVENT), "annual": True},
    )
    return found


def choices(t: Translator) -> dict[str, Any]:
    return {
        "langs": [{"code": code, "label": LANG_NAMES[code]} for code in LANGS],
        "kinds": [{"code": k.value, "label": kind_label(t, k.value)} for k in Kind],
        "statuses": [{"code": s.value, "label": standing_label(t, s)} for s in Standing],
        "sorts": list(SORTS),
        "events": recordable_events(t),
    }
