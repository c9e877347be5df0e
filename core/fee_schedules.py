"""Fee schedules installed without a release: the staff's `/schedule` and `pctby schedule`.

A document in the format of `core/data/fees/*.toml` is validated completely before anything is
stored (`core.schedule.parse_schedule`, `core.schedule_document`: types, ranges, sizes, dates
in order and in force after the schedules it follows, not after the end of next year),
compared with the schedule it follows, stored in the database (it survives a restart: `restore`
installs it again at start-up, through the same validation) and put in force from its
`effective_from` — `core.schedule.schedule_for` then picks it for payment dates from that day on.

The staff can withdraw the newest installed schedule (`/schedule undo`, `pctby schedule undo`):
the one before it is in force again from the next quote on, and the alerts are planned again.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from pathlib import Path

from core.errors import N_, InputError
from core.schedule import (
    Change,
    FeeSchedule,
    ScheduleProblems,
    diff,
    install,
    parse_schedule,
    previous,
    read_schedule,
    schedule_for,
    uninstall,
    uninstall_all,
)
from core.storage import Store

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Checked:
    schedule: FeeSchedule
    follows: FeeSchedule  # the schedule it is compared with
    changes: list[Change]


def check(document: str, today: dt.date) -> Checked:
    """Validates `document` and compares it with the schedule it follows (raises
    `core.schedule.ScheduleProblems`)."""
    schedule = parse_schedule(document, today=today)
    follows = previous(schedule)
    return Checked(schedule, follows, diff(follows, schedule))


async def install_document(
    store: Store, document: str, *, by: int | None, today: dt.date
) -> Checked:
    """Validates, stores and installs `document`; the comparison with what it follows."""
    checked = check(document, today)
    info = checked.schedule.info
    async with store.transaction() as tx:
        await tx.schedules.put(info.id, info.effective_from.isoformat(), document, by)
    install(checked.schedule, document)
    return checked


@dataclass(frozen=True, slots=True)
class Withdrawn:
    id: str
    effective_from: dt.date
    in_force: FeeSchedule  # what is in force on `today` after the withdrawal


async def withdraw_newest(store: Store, today: dt.date) -> Withdrawn:
    """Deletes the newest installed schedule and takes it out of force; `InputError` when the
    staff installed none."""
    async with store.transaction() as tx:
        newest = await tx.schedules.newest()
        if newest is None:
            raise InputError(N_("No fee schedule installed by the staff: nothing to withdraw."))
        await tx.schedules.delete(newest[0])
    uninstall(newest[0])
    return Withdrawn(newest[0], dt.date.fromisoformat(newest[1]), schedule_for(today))


async def restore(store: Store) -> int:
    """Installs every schedule stored by the staff in this database, and no other (at
    start-up); how many. One that no longer passes validation (stored by an older pctby) is
    left out, with a warning naming it — never a reader broken by it."""
    async with store.transaction() as tx:
        documents = await tx.schedules.documents()
    uninstall_all()
    installed = 0
    for document in documents:
        try:
            install(read_schedule(document), document)
        except ScheduleProblems as err:
            log.error(
                "a stored fee schedule is not installed: %s (withdraw it with /schedule undo)",
                err,
            )
            continue
        installed += 1
    return installed


def read_document_file(path: Path) -> str:
    """A schedule file's text; `InputError` if it cannot be read as UTF-8."""
    try:
        return path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError):
        raise InputError(N_("Cannot read {path} as a UTF-8 text file."), path=str(path)) from None
