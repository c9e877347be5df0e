"""Where a case stands (core/overview.py): the worst of its open deadlines, ranked from what
`case_status` says — overdue, in grace (BY.12, BY.10: +50% for 6 months), due within 30 days,
open — and the deadline that decides it."""

from __future__ import annotations

import datetime as dt

import pytest

from core.deadlines import CaseFacts, Event, EventKind
from core.lifecycle import case_status
from core.models import Kind
from core.overview import DUE_SOON_DAYS, Standing, standing

D = dt.date
E = EventKind
ENTERED = (
    Event(kind=E.ENTRY_MADE, date=D(2025, 6, 1)),
    Event(kind=E.TRANSLATION_FILED, date=D(2025, 6, 1)),
    Event(kind=E.EXAMINATION_REQUESTED, date=D(2025, 6, 1)),
)


def stands(facts: CaseFacts, today: D) -> tuple[Standing, str | None]:
    found = standing(case_status(facts, today), today)
    return found.standing, None if found.deadline is None else found.deadline.code


def test_a_missed_entry_is_overdue() -> None:
    # entry: priority + 31 months (PCT Art. 22(3)) = 1 January 2026, a holiday: 5 January
    facts = CaseFacts(filing=D(2024, 5, 30), priority=D(2023, 6, 1))
    assert stands(facts, D(2026, 1, 5)) == (Standing.SOON, "national_phase_entry")
    assert stands(facts, D(2026, 1, 6)) == (Standing.OVERDUE, "national_phase_entry")


def test_an_annual_fee_past_its_date_is_in_grace_until_the_grace_ends() -> None:
    # year 4: IFD + 3 years = 21 November 2025; grace to 21 May 2026 (BY.12)
    facts = CaseFacts(filing=D(2022, 11, 21), events=ENTERED)
    assert stands(facts, D(2025, 11, 21)) == (Standing.SOON, "annual_4")
    assert stands(facts, D(2025, 11, 24)) == (Standing.GRACE, "annual_4_grace")
    assert stands(facts, D(2026, 5, 21)) == (Standing.GRACE, "annual_4_grace")
    assert stands(facts, D(2026, 5, 22)) == (Standing.OVERDUE, "annual_4_grace")


def test_the_fee_for_grant_has_its_grace_too() -> None:
    decision = Event(kind=E.GRANT_DECISION_RECEIVED, date=D(2025, 9, 1))
    facts = CaseFacts(
        filing=D(2022, 11, 21),
        events=(*ENTERED, decision, Event(kind=E.ANNUITY_PAID, date=D(2025, 6, 1), year=4)),
    )
    assert stands(facts, D(2025, 11, 10)) == (Standing.GRACE, "grant_fee_grace")


@pytest.mark.parametrize(
    ("days", "expected"), [(DUE_SOON_DAYS, Standing.SOON), (DUE_SOON_DAYS + 1, Standing.OPEN)]
)
def test_due_within_30_days(days: int, expected: Standing) -> None:
    facts = CaseFacts(filing=D(2024, 5, 30), priority=D(2023, 6, 1))
    due = case_status(facts, D(2025, 1, 1))[0].deadline.date
    assert stands(facts, due - dt.timedelta(days=days))[0] is expected


def test_the_worst_wins_and_nothing_open_is_closed() -> None:
    # overdue examination request beside an annual fee in grace: overdue
    facts = CaseFacts(filing=D(2022, 11, 21), events=ENTERED[:2])
    assert stands(facts, D(2025, 12, 1)) == (Standing.OVERDUE, "examination_request")
    lapsed = CaseFacts(kind=Kind.UTILITY_MODEL, filing=D(2022, 11, 21))
    assert standing([], D(2025, 1, 1)).standing is Standing.CLOSED
    assert stands(lapsed, D(2022, 12, 1))[0] is Standing.OPEN
