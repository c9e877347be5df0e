"""One batch of `Reminders.replan_all` (every case planned again after an upgrade of the rules
or the fee schedule: `pctby replan`, and by itself at start-up: `rules_fingerprint`), and the
benchmark.

The work is split in three steps so that the pure part can run in other processes:
1. read a batch of cases with their events and owners (`CaseRepo.system_planning_batch`);
2. plan it (`plan_snapshot`: pure, picklable in and out — run in a process pool where there is
   more than one core);
3. write the plans in one unit of work — after reading the same cases again: a case that
   changed in between (an event recorded, an alert sent, a setting changed by the running bot)
   is planned again inside that unit of work from what it is now, so a stale plan never lands.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING

from core.reminders.next_alert import payload_of, prefs_of
from core.reminders.timing import plan_next
from core.reminders.timing import told as tell
from core.storage.models import PlanningSnapshot, case_facts, to_epoch
from core.storage.repos import case_from_row, dump, event_from_row, user_from_row

if TYPE_CHECKING:
    from core.storage import UnitOfWork


@dataclass(frozen=True, slots=True)
class PlannedCase:
    """The bulk planner's answer for one case: its next alert, or None (cancel)."""

    case_id: int
    owner: int
    due_at: int | None  # unix seconds
    payload: str | None  # the outbox payload, JSON
    error: str | None = None  # the case could not be planned: its alerts stay as they were
    state: dict[str, int] | None = None  # `told`: the case's new alert state (None: unchanged)


def plan_snapshot(
    snapshot: PlanningSnapshot, default_tz: str, now: dt.datetime, *, told: bool = False
) -> list[PlannedCase]:
    """The next alert of every case in `snapshot` (a pure function; runs in worker processes).
    `told`: a summary has told the owners of what is due now (`planning.told`): those alert
    moments are done first, and each case's new alert state comes back with its plan."""
    prefs = {
        owner: prefs_of(user_from_row(row), default_tz) for owner, row in snapshot.users.items()
    }
    out: list[PlannedCase] = []
    for case_id, row in snapshot.cases.items():
        case = case_from_row(row[:-1])
        plan = None
        state: dict[str, int] | None = None
        try:
            if not case.muted:
                events = [event_from_row(r) for r in snapshot.events.get(case_id, ())]
                facts = case_facts(case, events)
                user = prefs[case.owner_id]
                current = case.alert_state
                if told:
                    current = tell(facts, user, current, now)
                    state = current if current != case.alert_state else None
                plan = plan_next(facts, user, current, now)
        except Exception as exc:  # one bad case must not stop the others
            out.append(PlannedCase(case_id, case.owner_id, None, None, repr(exc)))
            continue
        if plan is None:
            out.append(PlannedCase(case_id, case.owner_id, None, None, state=state))
        else:
            payload = dump(payload_of(case, plan, row[-1]))
            out.append(
                PlannedCase(case_id, case.owner_id, to_epoch(plan.fire), payload, state=state)
            )
    return out


async def write_plans(tx: UnitOfWork, planned: Iterable[PlannedCase]) -> None:
    """Writes planned cases in two statements: each case's next alert, or its plan cancelled
    where nothing is left to remind of (cases with an `error` are the caller's to handle) —
    and, in a third, the alert states a summary changed (`plan_snapshot(told=True)`)."""
    puts: list[tuple[int, int, int, str]] = []
    cancels: list[int] = []
    planned = list(planned)
    states = [(p.owner, p.case_id, p.state) for p in planned if p.state is not None]
    if states:
        await tx.cases.set_alert_states(states)
    for p in planned:
        if p.due_at is None or p.payload is None:
            cancels.append(p.case_id)
        else:
            puts.append((p.owner, p.case_id, p.due_at, p.payload))
    await tx.outbox.put_plans(puts)
    await tx.outbox.system_cancel_plans(cancels)


def default_workers() -> int:
    """Processes for bulk planning: one per core this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


# What the planned alerts follow from: the rule tables and engines, the fee schedules, and the
# holiday calendar. Any change to one of them (a deploy) makes the planned moments suspect.
_RULE_SOURCES = (
    "calendar.py",
    "deadlines.py",
    "fees.py",
    "lifecycle.py",  # the warnings an alert carries
    "schedule.py",
    "reminders/timing.py",
)
FINGERPRINT_KEY = "rules_fingerprint"


@cache
def rules_fingerprint() -> str:
    """A digest of everything the alert plans are computed from; stored with the plans
    (`meta`), compared at start-up (`Reminders.replan_if_rules_changed`). Fee schedules the
    staff installed (`core.fee_schedules`) count too."""
    from core.schedule import installed_fingerprint

    found = fingerprint_of(Path(__file__).resolve().parents[1])
    installed = installed_fingerprint()
    if not installed:
        return found
    return hashlib.sha256(f"{found}\n{installed}".encode()).hexdigest()


def fingerprint_of(core: Path) -> str:
    """`rules_fingerprint` of the `core` package at `core`."""
    digest = hashlib.sha256()
    files = [core / name for name in _RULE_SOURCES]
    files += sorted((core / "data").rglob("*.toml"))
    for path in files:
        digest.update(str(path.relative_to(core)).encode())
        digest.update(path.read_bytes())
    digest.update(f"holidays {metadata.version('holidays')}".encode())
    return digest.hexdigest()
