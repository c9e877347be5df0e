"""Where a case stands today, in one word — the overview a docketing table leads with.

`standing(open_deadlines, today)` reads a case's open deadlines (`core.lifecycle.case_status`)
and says, with the deadline that decides it:

- `overdue`  — a deadline has passed and no grace period of it still runs (a missed entry:
  reinstatement, BY.16; an annual fee past its grace: the patent may have lapsed, BY.17);
- `grace`    — a fee's own date has passed but its 6-month grace with the 50% surcharge still
  runs (annual fees, BY.12; the fee for grant, BY.10): the deadline shown is the grace's end;
- `soon`     — the next deadline falls within `DUE_SOON_DAYS` days (today included);
- `open`     — deadlines are open, none of them soon;
- `closed`   — nothing is open.

The worst of these wins (overdue, then grace, then soon). Nothing here is a new rule: the
dates, the grace periods and the overdue status all come from `case_status`; this only
ranks them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from core.lifecycle import OpenDeadline, Status

DUE_SOON_DAYS = 30
GRACE_SUFFIX = "_grace"  # `annual_N_grace`, `grant_fee_grace`: the grace period of `annual_N`…


class Standing(StrEnum):
    OVERDUE = "overdue"
    GRACE = "grace"
    SOON = "soon"
    OPEN = "open"
    CLOSED = "closed"


# Worst first: the order of a table sorted by status.
SEVERITY: dict[Standing, int] = {s: i for i, s in enumerate(Standing)}


@dataclass(frozen=True, slots=True)
class CaseStanding:
    standing: Standing
    deadline: OpenDeadline | None  # the deadline that decides it (None: nothing open)


def standing_of(item: OpenDeadline, by_code: dict[str, OpenDeadline], today: dt.date) -> Standing:
    """One open deadline's standing on `today`."""
    if item.status is Status.OVERDUE:
        grace = by_code.get(item.code + GRACE_SUFFIX)
        if grace is not None and grace.status is Status.OPEN:
            return Standing.GRACE
        return Standing.OVERDUE
    if (item.deadline.date - today).days <= DUE_SOON_DAYS:
        return Standing.SOON
    return Standing.OPEN


def standing(open_deadlines: Sequence[OpenDeadline], today: dt.date) -> CaseStanding:
    """The case's standing and the deadline that decides it: the earliest deadline of the
    worst standing — for a fee with a grace period, the grace's end (the last day it can
    still be paid; past it, the patent may have lapsed, BY.17)."""
    if not open_deadlines:
        return CaseStanding(Standing.CLOSED, None)
    by_code = {d.code: d for d in open_deadlines}
    worst: tuple[int, OpenDeadline] | None = None
    for item in open_deadlines:  # earliest first: the first of a standing is its earliest
        rank = SEVERITY[standing_of(item, by_code, today)]
        if worst is None or rank < worst[0]:
            worst = (rank, item)
    assert worst is not None
    found = Standing(list(Standing)[worst[0]])
    decided = worst[1]
    if found in (Standing.GRACE, Standing.OVERDUE):
        # a fee past its date: its last day is the grace's end, in grace or past it
        decided = by_code.get(decided.code + GRACE_SUFFIX, decided)
    return CaseStanding(found, decided)
