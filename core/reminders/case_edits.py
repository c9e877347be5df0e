"""Two edits of a stored case that the case desk (web/) offers beside recording events:
removing a recorded event (undo) and the natural-person flag. Each is one unit of work that
replans the case's alerts, as every `Reminders` action is.

    removed = await remove_event(reminders, owner, case_id, event_id)  # None: not theirs
    case = await set_natural_person(reminders, owner, case_id, True)   # None: not theirs

Removing an event removes only that record: what it closed opens again and what it opened
goes, since the deadlines are computed from the events (docs/RULES.md §2). The natural-person
flag is a property of the case (Summary, footnote 3: fees −75%): every amount shown for it
follows.
"""

from __future__ import annotations

from dataclasses import dataclass

from core.reminders.service import Reminders
from core.storage import Case, CaseInput, StoredEvent


@dataclass(frozen=True, slots=True)
class Removed:
    """The event removed and the case's events afterwards."""

    event: StoredEvent
    events: tuple[StoredEvent, ...]


async def remove_event(
    reminders: Reminders, owner: int, case_id: int, event_id: int
) -> Removed | None:
    """Removes one recorded event of the owner's case; None where the case or the event is
    not theirs (or is gone already)."""
    async with reminders.store.transaction() as tx:
        events = await tx.cases.events(owner, case_id)
        target = next((e for e in events if e.id == event_id), None)
        if target is None:
            return None
        kept = [e.event() for e in events if e.source is target.source and e.id != event_id]
        await tx.cases.replace_events(owner, case_id, target.source, kept)
        await reminders._after_facts_change(tx, owner, case_id)
        after = await tx.cases.events(owner, case_id)
    reminders._changed()
    return Removed(target, tuple(after))


async def set_natural_person(
    reminders: Reminders, owner: int, case_id: int, natural_person: bool
) -> Case | None:
    """Sets whether the applicant of the owner's case is a natural person; None where the
    case is not theirs."""
    async with reminders.store.transaction() as tx:
        case = await tx.cases.get(owner, case_id)
        if case is None:
            return None
        if case.natural_person != natural_person:
            data = CaseInput(
                ref=case.ref,
                kind=case.kind,
                filing=case.filing,
                priority=case.priority,
                title=case.title,
                natural_person=natural_person,
            )
            await tx.cases.update(owner, case_id, data)
            await reminders.replan(tx, owner, case_id)  # the alerts' amounts follow
        after = await tx.cases.get(owner, case_id)
    reminders._changed()
    return after
