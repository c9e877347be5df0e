"""The user's actions as core services: a case and its alert plan are one
unit of work; a Paid/Done acts once and only on the deadline it names."""

from __future__ import annotations

import datetime as dt

import pytest

from core.deadlines import compute
from core.errors import InputError
from core.models import Kind
from core.reminders import Outcome, Reminders
from core.storage import CaseInput, DuplicateRef, Store

A, B = 1, 2
Z2 = CaseInput("Z-2", Kind.PATENT, dt.date(2025, 3, 10), dt.date(2024, 3, 15))


async def test_a_case_and_its_plan_are_written_together(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    rem = Reminders(store)

    async def disk_full(*args: object, **kwargs: object) -> None:
        raise OSError("database or disk is full")

    monkeypatch.setattr(rem, "replan", disk_full)
    with pytest.raises(OSError):
        await rem.add_case(A, Z2)
    async with store.transaction() as tx:
        assert await tx.cases.by_ref(A, "Z-2") is None  # no case without its alerts
    monkeypatch.undo()
    case = await rem.add_case(A, Z2)  # the retry does not say "exists"
    async with store.transaction() as tx:
        assert [r.case_id for r in await tx.outbox.for_case(A, case.id)] == [case.id]
    with pytest.raises(DuplicateRef):
        await rem.add_case(A, CaseInput("z-2", Kind.PATENT, dt.date(2025, 3, 10)))


async def test_act_closes_its_own_deadline_once(store: Store) -> None:
    rem = Reminders(store)
    case = await rem.add_case(A, Z2)
    due = dt.date(2026, 3, 10)  # not the translation's date: a stale button
    assert (await rem.act(A, case.id, "translation", due)).outcome is Outcome.ALREADY
    first = await rem.act(A, case.id, "translation")
    assert first.outcome is Outcome.RECORDED and first.facts is not None
    assert "national_phase_entry" in {d.code for d in compute(first.facts)}  # still open
    assert (await rem.act(A, case.id, "translation")).outcome is Outcome.ALREADY
    assert (await rem.act(B, case.id, "translation")).outcome is Outcome.NO_CASE
    with pytest.raises(InputError):
        await rem.act(A, case.id, "entry_reinstatement")  # a route is explained, not recorded
    async with store.transaction() as tx:
        assert len(await tx.cases.events(A, case.id)) == 1
