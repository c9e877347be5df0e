"""Fee schedules installed without a release: the staff's `/schedule` and `pctby schedule`.

A document in the format of `core/data/fees/*.toml` is validated (`core.schedule.parse_schedule`:
every item present, units not negative, dates in order), compared with the schedule it follows,
stored in the database (it survives a restart: `restore` installs it again at start-up) and put in
force from its `effective_from` — `core.schedule.schedule_for` then picks it for payment dates
from that day on.
"""

from __future__ import annotations

from dataclasses import dataclass

from core.schedule import (
    Change,
    FeeSchedule,
    diff,
    install,
    install_documents,
    parse_schedule,
    previous,
    uninstall_all,
)
from core.storage import Store


@dataclass(frozen=True, slots=True)
class Checked:
    schedule: FeeSchedule
    follows: FeeSchedule  # the schedule it is compared with
    changes: list[Change]


def check(document: str) -> Checked:
    """Validates `document` and compares it with the schedule it follows (raises
    `core.schedule.ScheduleProblems`)."""
    schedule = parse_schedule(document)
    follows = previous(schedule)
    return Checked(schedule, follows, diff(follows, schedule))


async def install_document(store: Store, document: str, *, by: int | None) -> Checked:
    """Validates, stores and installs `document`; the comparison with what it follows."""
    checked = check(document)
    info = checked.schedule.info
    async with store.transaction() as tx:
        await tx.schedules.put(info.id, info.effective_from.isoformat(), document, by)
    install(checked.schedule, document)
    return checked


async def restore(store: Store) -> int:
    """Installs every schedule stored by the staff in this database, and no other (at
    start-up); how many."""
    async with store.transaction() as tx:
        documents = await tx.schedules.documents()
    uninstall_all()
    install_documents(documents)
    return len(documents)
