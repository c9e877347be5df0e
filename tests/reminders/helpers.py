"""What the reminders tests share: a case with a deadline that is alerted now (`add_case`)."""

from __future__ import annotations

import datetime as dt

from core.deadlines import Event, EventKind
from core.models import Kind
from core.reminders import Reminders
from core.storage import CaseInput

A = 1001  # the owner of `add_case`'s case unless another is given
# BY.12: patent filed 2022-03-04, entered; annual_4 paid → annual_5 due 2026-03-04
CASE = CaseInput("P-1", Kind.PATENT, dt.date(2022, 3, 4))


async def add_case(rem: Reminders, owner: int = A, ref: str = "P-1") -> int:
    case, _ = await rem.save_case(
        owner, CaseInput(ref, CASE.kind, CASE.filing), entry=dt.date(2024, 9, 1)
    )
    await rem.record(
        owner, case.id, Event(kind=EventKind.ANNUITY_PAID, date=dt.date(2025, 3, 1), year=4)
    )
    return case.id
