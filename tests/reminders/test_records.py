"""The core services behind /record, /unrecord, the natural-person switch, "record them all as
paid" and the import's summary (docs/RULES.md §2): each one unit of work that also replans the
case's alerts."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest

from core.deadlines import Event, EventKind
from core.errors import InputError
from core.importexport import import_rows, import_summary, parse_csv
from core.models import Kind
from core.reminders import Outcome, Reminders
from core.storage import CaseInput, Store
from core.storage.models import to_epoch
from tests.reminders.fakes import FakeClock

A, B = 1, 2
E = EventKind
D = dt.date.fromisoformat
# entry due 15.10.2026; the store's clock says 12.01.2026
Z2 = CaseInput("Z-2", Kind.PATENT, D("2025-03-10"), D("2024-03-15"))


async def plan_codes(store: Store, owner: int, case_id: int) -> list[str]:
    async with store.transaction() as tx:
        rows = [r for r in await tx.outbox.for_case(owner, case_id) if r.state == "planned"]
    return [item["code"] for r in rows for item in r.payload["items"]]


async def plan_amounts(store: Store, owner: int, case_id: int) -> dict[str, Decimal]:
    async with store.transaction() as tx:
        rows = [r for r in await tx.outbox.for_case(owner, case_id) if r.state == "planned"]
    return {
        item["code"]: Decimal(item["amount"])
        for r in rows
        for item in r.payload["items"]
        if item["amount"] is not None
    }


async def test_record_refuses_a_date_after_today_in_the_users_zone(store: Store) -> None:
    rem = Reminders(store)
    case = await rem.add_case(A, Z2)
    with pytest.raises(InputError, match="is after today"):
        await rem.record(A, case.id, Event(kind=E.ENTRY_MADE, date=D("2062-01-05")))
    with pytest.raises(InputError, match="decision to grant"):
        await rem.record(A, case.id, Event(kind=E.GRANT_FEE_PAID, date=D("2026-01-05")))
    async with store.transaction() as tx:
        assert await tx.cases.events(A, case.id) == []


async def test_unrecord_opens_what_the_event_closed_and_drops_what_it_opened(
    store: Store,
) -> None:
    rem = Reminders(store)
    case = await rem.add_case(A, Z2)
    recorded = await rem.record(A, case.id, Event(kind=E.ENTRY_MADE, date=D("2026-01-05")))
    assert recorded.outcome is Outcome.RECORDED
    assert "national_phase_entry" not in await plan_codes(store, A, case.id)
    removed = await rem.unrecord(A, case.id, kind=E.ENTRY_MADE)
    assert removed.outcome is Outcome.REMOVED and removed.event == recorded.event
    assert {d.code for d in removed.reopened} == {
        "national_phase_entry",
        "entry_reinstatement",
        "annual_3",  # paid with the national fee at entry
    }
    assert {d.code for d in removed.gone} == {"annual_4", "annual_4_grace"}
    # the alerts follow: the entry is alerted again (its 90-day lead, with year 3's fee)
    assert sorted(await plan_codes(store, A, case.id)) == ["annual_3", "national_phase_entry"]
    async with store.transaction() as tx:
        assert await tx.cases.events(A, case.id) == []
    assert (await rem.unrecord(A, case.id, kind=E.ENTRY_MADE)).outcome is Outcome.NOT_RECORDED
    assert (await rem.unrecord(B, case.id, kind=E.ENTRY_MADE)).outcome is Outcome.NO_CASE


async def test_unrecord_by_id_year_and_date_and_refused_while_needed(store: Store) -> None:
    rem = Reminders(store)
    case = await rem.add_case(A, Z2)
    for event in (
        Event(kind=E.ENTRY_MADE, date=D("2025-10-01")),
        Event(kind=E.GRANT_DECISION_RECEIVED, date=D("2025-11-01")),
        Event(kind=E.GRANT_FEE_PAID, date=D("2025-12-01")),
        Event(kind=E.ANNUITY_PAID, date=D("2026-01-02"), year=4),
        Event(kind=E.ANNUITY_PAID, date=D("2026-01-03"), year=5),
    ):
        assert (await rem.record(A, case.id, event)).outcome is Outcome.RECORDED
    with pytest.raises(InputError, match="Remove “fee for grant paid” of 2025-12-01 first"):
        await rem.unrecord(A, case.id, kind=E.GRANT_DECISION_RECEIVED)
    removed = await rem.unrecord(A, case.id, kind=E.ANNUITY_PAID, year=4)
    assert removed.event == Event(kind=E.ANNUITY_PAID, date=D("2026-01-02"), year=4)
    assert [d.code for d in removed.reopened] == ["annual_4", "annual_4_grace"]
    wrong_day = await rem.unrecord(A, case.id, kind=E.ANNUITY_PAID, year=5, on=D("2026-01-04"))
    assert wrong_day.outcome is Outcome.NOT_RECORDED
    async with store.transaction() as tx:
        fee = next(e for e in await tx.cases.events(A, case.id) if e.kind is E.GRANT_FEE_PAID)
    assert (await rem.unrecord(A, case.id, event_id=fee.id)).outcome is Outcome.REMOVED
    assert (await rem.unrecord(A, case.id, event_id=fee.id)).outcome is Outcome.NOT_RECORDED
    assert (
        await rem.unrecord(A, case.id, kind=E.GRANT_DECISION_RECEIVED)
    ).outcome is Outcome.REMOVED


async def test_the_natural_person_switch_replans_the_amounts(store: Store) -> None:
    """Summary, footnote 3: every fee −75% (year 3 with the entry: 122.50 → 30.63)."""
    rem = Reminders(store)
    case = await rem.add_case(A, Z2)
    assert (await plan_amounts(store, A, case.id))["annual_3"] == Decimal("122.50")
    changed = await rem.set_natural_person(A, case.id, True)
    assert changed is not None and changed.natural_person
    assert (await plan_amounts(store, A, case.id))["annual_3"] == Decimal("30.63")
    await rem.set_natural_person(A, case.id, True)  # a second tap changes nothing
    assert (await plan_amounts(store, A, case.id))["annual_3"] == Decimal("30.63")
    await rem.set_natural_person(A, case.id, False)
    assert (await plan_amounts(store, A, case.id))["annual_3"] == Decimal("122.50")
    assert await rem.set_natural_person(B, case.id, True) is None


async def test_record_them_all_as_paid(store: Store) -> None:
    """BY.12: years 4 and 5 of a case filed on 10.01.2021 were due on 10.01.2024 and
    10.01.2025; on 12.01.2026 both are past with no payment recorded."""
    rem = Reminders(store)
    old = await rem.add_case(A, CaseInput("OLD", Kind.PATENT, D("2021-01-10")))
    await rem.record(A, old.id, Event(kind=E.ENTRY_MADE, date=D("2023-07-01")))
    done = await rem.record_unpaid_years(A, case_id=old.id)
    assert [(p.ref, p.years) for p in done] == [("OLD", (4, 5))]
    async with store.transaction() as tx:
        paid = [(e.year, e.date) for e in await tx.cases.events(A, old.id) if e.year]
    assert paid == [(4, D("2024-01-10")), (5, D("2025-01-10"))]
    assert await rem.record_unpaid_years(A, case_id=old.id) == []  # nothing left


ROWS = (
    "ref,kind,priority_date,filing_date\n"
    "NEAR,patent,2023-07-01,2024-06-01\n"  # entry due 03.02.2026: 22 days away
    "FAR,patent,2025-06-01,2025-12-01\n"  # entry due 2028
    "OLD,patent,,2021-01-10\n"  # entry long overdue; years 4 and 5 past, unpaid
)


async def due_now(store: Store, clock: FakeClock) -> list[int]:
    async with store.transaction() as tx:
        return [row[0] for row in await tx.outbox.due_ids(to_epoch(clock.now()), 100)]


@pytest.mark.parametrize("told", [False, True])
async def test_an_import_told_in_a_summary_sends_no_catch_up_alerts(
    store: Store, clock: FakeClock, told: bool
) -> None:
    rem = Reminders(store)
    rows = parse_csv(io.StringIO(ROWS), A, today=clock.today())
    await import_rows(rem, rows, told=told)
    if not told:  # an alert per case with something due: NEAR's entry, OLD's translation…
        assert len(await due_now(store, clock)) == 2
        return
    assert await due_now(store, clock) == []
    summary = await import_summary(rem, A, [r.case.ref for r in rows])
    due = [(d.ref, d.deadline.code, d.overdue) for d in summary.due]
    assert ("NEAR", "national_phase_entry", False) in due
    assert ("OLD", "national_phase_entry", True) in due
    assert not any(ref == "FAR" for ref, _code, _overdue in due)
    assert [(u.ref, u.years) for u in summary.unpaid] == [("OLD", (4, 5))]
    # "record them all as paid": the cases this import saved
    done = await rem.record_unpaid_years(A, updated_since=dt.datetime(2026, 1, 12, tzinfo=dt.UTC))
    assert [(p.ref, p.years) for p in done] == [("OLD", (4, 5))]
    # later alerts as usual: NEAR's entry 7 days before its last day (03.02.2026)
    clock.set(dt.datetime(2026, 1, 27, 10, 0, tzinfo=dt.UTC))
    assert len(await due_now(store, clock)) >= 1
