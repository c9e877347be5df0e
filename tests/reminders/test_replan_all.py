"""Bulk planning (`Reminders.replan_all`): the same plans as planning case by case, in one
process or in a pool, and never a stale plan for a case that changed while the batch was
being planned."""

from __future__ import annotations

import asyncio
import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from core.deadlines import Event, EventKind
from core.models import Kind
from core.reminders import Reminders
from core.reminders.replan_batches import PlannedCase, plan_snapshot
from core.storage import CaseInput, Store
from tests.reminders.fakes import FakeClock

A, B, C = 1001, 2002, 3003


async def many_cases(rem: Reminders) -> None:
    """Cases of three users with varied facts and settings (each planned as it is saved)."""
    await rem.update_settings(B, tz="Asia/Tokyo", alert_time=dt.time(7, 30))
    await rem.update_settings(C, lead_days=[60, 14, 0])
    for i in range(24):
        owner = (A, B, C)[i % 3]
        kind = Kind.PATENT if i % 4 else Kind.UTILITY_MODEL
        filing = dt.date(2008 + i % 18, 1 + i % 12, 1 + (i * 7) % 28)
        entry = filing + dt.timedelta(days=900) if i % 5 else None
        grant = filing + dt.timedelta(days=1000) if kind is Kind.UTILITY_MODEL and i % 2 else None
        case, _ = await rem.save_case(
            owner, CaseInput(f"R-{i}", kind, filing), entry=entry, grant_decision=grant
        )
        if i % 7 == 0:
            await rem.stop(owner, case.id)
        if i % 6 == 1:
            paid = Event(kind=EventKind.ANNUITY_PAID, date=dt.date(2025, 1, 1), year=4)
            await rem.record(owner, case.id, paid)


async def planned(store: Store) -> list[tuple[Any, ...]]:
    async with (
        store.transaction() as tx,
        tx.conn.execute(
            "SELECT case_id, user_id, due_at, payload FROM outbox"
            " WHERE state = 'planned' AND origin = 'plan' ORDER BY case_id"
        ) as cur,
    ):
        return [tuple(r) for r in await cur.fetchall()]


async def forget_plans(store: Store) -> None:
    async with store.transaction() as tx:
        await tx.conn.execute("UPDATE outbox SET state = 'cancelled'")


@pytest.mark.parametrize("workers", [1, 2])
async def test_replan_all_gives_the_plans_of_case_by_case_planning(
    store: Store, workers: int
) -> None:
    rem = Reminders(store)
    await many_cases(rem)
    expected = await planned(store)
    assert len(expected) > 12  # most cases have an alert; the muted ones have none
    await forget_plans(store)
    assert await planned(store) == []
    seen: list[int] = []

    count = await rem.replan_all(batch=5, workers=workers, progress=seen.append)

    assert count == 24
    assert seen == sorted(seen) and seen[-1] == 24
    assert await planned(store) == expected


async def test_replan_all_twice_keeps_one_plan_per_case(store: Store) -> None:
    rem = Reminders(store)
    await many_cases(rem)
    expected = await planned(store)
    await rem.replan_all(batch=4, workers=1)
    await rem.replan_all(batch=4, workers=1)
    assert await planned(store) == expected


async def test_a_case_changed_while_its_batch_was_planned_is_planned_from_what_it_is_now(
    store: Store, clock: FakeClock
) -> None:
    rem = Reminders(store)
    # a patent whose national phase entry is ahead: the plan alerts about the entry
    case, _ = await rem.save_case(A, CaseInput("P-1", Kind.PATENT, dt.date(2024, 11, 1)))
    other, _ = await rem.save_case(B, CaseInput("P-2", Kind.PATENT, dt.date(2024, 11, 1)))
    async with store.transaction() as tx:
        snapshot = await tx.cases.system_planning_batch(0, 10)
    assert snapshot is not None
    stale = plan_snapshot(snapshot, rem.default_tz, clock())
    assert "national_phase_entry" in (stale[0].payload or "")

    # meanwhile the bot records the entry: that case's plan moves on to the next deadline
    await rem.record(A, case.id, Event(kind=EventKind.ENTRY_MADE, date=clock().date()))
    fresh = await planned(store)
    await forget_plans(store)

    future: asyncio.Future[list[PlannedCase]] = asyncio.get_running_loop().create_future()
    future.set_result(stale)
    await rem._write_planned(snapshot, future)

    after = await planned(store)
    assert after == fresh  # the changed case from its new facts, the other one as planned
    assert "national_phase_entry" not in after[0][3]
    assert after[1][0] == other.id and after[1][3] == stale[1].payload


async def test_a_case_deleted_while_its_batch_was_planned_stays_deleted(
    store: Store, clock: FakeClock
) -> None:
    rem = Reminders(store)
    case, _ = await rem.save_case(A, CaseInput("P-1", Kind.PATENT, dt.date(2024, 11, 1)))
    async with store.transaction() as tx:
        snapshot = await tx.cases.system_planning_batch(0, 10)
    assert snapshot is not None
    stale = plan_snapshot(snapshot, rem.default_tz, clock())
    assert await rem.delete_case(A, case.id)

    future: asyncio.Future[list[PlannedCase]] = asyncio.get_running_loop().create_future()
    future.set_result(stale)
    await rem._write_planned(snapshot, future)

    assert await planned(store) == []


async def test_a_changed_setting_makes_the_batch_plan_again(store: Store, clock: FakeClock) -> None:
    rem = Reminders(store)
    await rem.save_case(A, CaseInput("P-1", Kind.PATENT, dt.date(2024, 11, 1)))
    async with store.transaction() as tx:
        snapshot = await tx.cases.system_planning_batch(0, 10)
    assert snapshot is not None
    stale = plan_snapshot(snapshot, rem.default_tz, clock())
    await rem.update_settings(A, alert_time=dt.time(15, 0))
    fresh = await planned(store)
    assert fresh[0][2] != stale[0].due_at  # the alert moved to 15:00

    future: asyncio.Future[list[PlannedCase]] = asyncio.get_running_loop().create_future()
    future.set_result(stale)
    await rem._write_planned(snapshot, future)

    assert await planned(store) == fresh


async def test_plans_made_by_other_rules_are_made_again_at_start_up(store: Store) -> None:
    from core.reminders.replan_batches import FINGERPRINT_KEY, rules_fingerprint

    rem = Reminders(store)
    await many_cases(rem)
    expected = await planned(store)
    # a database whose plans no fingerprint vouches for (made before this check existed)
    assert await rem.replan_if_rules_changed(workers=1) == 24
    assert await planned(store) == expected
    assert await rem.replan_if_rules_changed(workers=1) is None  # same rules: nothing to do

    # a deploy changed the rules: the plans (here: moved to the wrong moment) are redone
    async with store.transaction() as tx:
        await tx.meta.set(FINGERPRINT_KEY, "made by older rules")
        await tx.conn.execute("UPDATE outbox SET due_at = due_at + 86400 * 30")
    assert await planned(store) != expected
    assert await rem.replan_if_rules_changed(workers=1) == 24
    assert await planned(store) == expected
    async with store.transaction() as tx:
        assert await tx.meta.get(FINGERPRINT_KEY) == rules_fingerprint()


def test_the_fingerprint_changes_with_a_fee_schedule_or_a_rule_engine(tmp_path: Path) -> None:
    import shutil

    import core.reminders.replan_batches as batches

    core = Path(batches.__file__).resolve().parents[1]
    copy = tmp_path / "core"
    shutil.copytree(core, copy, ignore=shutil.ignore_patterns("__pycache__"))
    same = batches.fingerprint_of(copy)
    assert same == batches.rules_fingerprint()  # the copy is the code that runs

    schedule = next((copy / "data" / "fees").glob("*.toml"))
    schedule.write_text(schedule.read_text() + "\n# a new base value\n")
    changed_fees = batches.fingerprint_of(copy)
    assert changed_fees != same

    planner = copy / "reminders" / "timing.py"
    planner.write_text(planner.read_text() + "\n# a new lead time\n")
    assert batches.fingerprint_of(copy) not in (same, changed_fees)

    faq = copy / "faq" / "topics.toml"  # not a rule: the plans do not depend on it
    before = batches.fingerprint_of(copy)
    faq.write_text(faq.read_text() + "\n# reworded\n")
    assert batches.fingerprint_of(copy) == before


async def test_a_case_that_cannot_be_planned_keeps_its_alerts_and_stops_no_other(
    store: Store, caplog: pytest.LogCaptureFixture
) -> None:
    rem = Reminders(store)
    await many_cases(rem)
    expected = await planned(store)
    bad = expected[0][0]
    async with store.transaction() as tx:  # stored before the dates' order was checked
        await tx.conn.execute("UPDATE cases SET priority_date = '2099-01-01' WHERE id = ?", (bad,))
        await tx.conn.execute("UPDATE outbox SET due_at = due_at + 60 WHERE case_id != ?", (bad,))

    assert await rem.replan_all(batch=5, workers=1) == 24

    assert await planned(store) == expected  # the others planned again, the bad one kept
    assert f"case {bad} could not be planned" in caplog.text
