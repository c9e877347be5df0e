"""What the user does to cases and alerts: save, delete, record an event, Paid, Snooze, Stop,
settings. Each action is one unit of work that also replans the case's alerts."""

from __future__ import annotations

import datetime as dt
from typing import Any

from core.deadlines import Event, EventKind
from core.errors import N_, InputError
from core.reminders.models import AlertItem
from core.reminders.planner import Planner
from core.reminders.planning import (
    snooze_until,
    zone,
)
from core.storage import (
    Case,
    CaseInput,
    EventSource,
    StoredEvent,
    UnitOfWork,
)
from core.storage.models import to_epoch

# The event that the Paid button records for each deadline code.
PAID_EVENTS: dict[str, EventKind] = {
    "national_phase_entry": EventKind.ENTRY_MADE,
    "entry_reinstatement": EventKind.ENTRY_MADE,
    "translation": EventKind.TRANSLATION_FILED,
    "national_fee_invitation": EventKind.NATIONAL_FEE_PAID,
    "examination_request": EventKind.EXAMINATION_REQUESTED,
    "grant_fee": EventKind.GRANT_FEE_PAID,
    "grant_fee_grace": EventKind.GRANT_FEE_PAID,
    "claims_fee_shortfall": EventKind.CLAIMS_FEE_PAID,
    "extension_request": EventKind.EXTENSION_REQUESTED,
    "reinstatement": EventKind.REINSTATEMENT_REQUESTED,
    "appeal_art25": EventKind.APPEAL_FILED,
}

MAX_SNOOZE_DAYS = 31


def paid_event(code: str, on: dt.date) -> Event:
    """The event that closes deadline `code` (annual_N, annual_N_grace → annuity N paid)."""
    if code.startswith("annual_"):
        year = int(code.removeprefix("annual_").removesuffix("_grace"))
        return Event(kind=EventKind.ANNUITY_PAID, date=on, year=year)
    if code not in PAID_EVENTS:
        raise InputError(N_("Unknown deadline code {code}."), code=code)
    return Event(kind=PAID_EVENTS[code], date=on)


class UserActions(Planner):
    """The user's actions on cases and alerts (each its own unit of work)."""

    async def save_case(
        self,
        owner: int,
        data: CaseInput,
        *,
        entry: dt.date | None = None,
        grant_decision: dt.date | None = None,
        language: str | None = None,
    ) -> tuple[Case, bool]:
        """Creates or updates (by ref) the owner's case and plans its alerts; (case, created)."""
        async with self.store.transaction() as tx:
            case, created = await self.save_case_in(
                tx, owner, data, entry=entry, grant_decision=grant_decision, language=language
            )
        self._changed()
        return case, created

    async def save_case_in(
        self,
        tx: UnitOfWork,
        owner: int,
        data: CaseInput,
        *,
        entry: dt.date | None = None,
        grant_decision: dt.date | None = None,
        language: str | None = None,
        source: EventSource = EventSource.USER,
    ) -> tuple[Case, bool]:
        """`save_case` inside the caller's unit of work (the import's)."""
        await tx.users.ensure(owner, language=language)
        case, created = await tx.cases.upsert(owner, data)
        events: list[Event] = []
        if entry is not None:
            events.append(Event(kind=EventKind.ENTRY_MADE, date=entry))
        if grant_decision is not None:
            events.append(Event(kind=EventKind.GRANT_DECISION_RECEIVED, date=grant_decision))
        if source is EventSource.IMPORT:
            await tx.cases.replace_events(owner, case.id, source, events)
        else:
            for event in events:
                await tx.cases.add_event(owner, case.id, event, source)
        await self.replan(tx, owner, case.id)
        return case, created

    async def delete_case(self, owner: int, case_id: int) -> bool:
        async with self.store.transaction() as tx:
            return await tx.cases.delete(owner, case_id)

    async def record_event(
        self, owner: int, case_id: int, event: Event, source: EventSource = EventSource.USER
    ) -> StoredEvent | None:
        """Records the event: the deadlines it satisfies close (their alerts are cancelled,
        snoozed ones too) and the ones it opens are planned. None if not the owner's case."""
        async with self.store.transaction() as tx:
            stored = await tx.cases.add_event(owner, case_id, event, source)
            if stored is None:
                return None
            await self._after_facts_change(tx, owner, case_id)
        self._changed()
        return stored

    async def delete_event(self, owner: int, case_id: int, event_id: int) -> bool:
        async with self.store.transaction() as tx:
            if not await tx.cases.delete_event(owner, case_id, event_id):
                return False
            await self._after_facts_change(tx, owner, case_id)
        self._changed()
        return True

    async def paid(
        self, owner: int, case_id: int, code: str, on: dt.date | None = None
    ) -> StoredEvent | None:
        """The Paid button: records the event that closes `code` (today, the user's zone)."""
        if on is None:
            async with self.store.transaction() as tx:
                on = self.prefs(await tx.users.get(owner)).today(self._now())
        return await self.record_event(owner, case_id, paid_event(code, on), EventSource.ALERT)

    async def snooze(self, owner: int, outbox_id: int, days: int) -> dt.datetime | None:
        """The Snooze button: the alert comes back `days` later, never past its last legal day
        (for an annuity, the end of grace). Returns when, or None if there is nothing left."""
        if not 1 <= days <= MAX_SNOOZE_DAYS:
            raise InputError(
                N_("A reminder can be snoozed for 1 to {max} days."), max=MAX_SNOOZE_DAYS
            )
        async with self.store.transaction() as tx:
            row = await tx.outbox.get(owner, outbox_id)
            if row is None:
                return None
            items = tuple(AlertItem.from_json(i) for i in row.payload["items"])
            user = await tx.users.get(owner)
            when = snooze_until(items, self.prefs(user), self._now(), days)
            if when is None:
                return None
            # one pending snooze per alert: pressing Snooze again moves it, never adds one
            await tx.outbox.add_snooze(
                owner, row.case_id, to_epoch(when), row.payload, source=outbox_id
            )
        self._changed()
        return when

    async def stop(self, owner: int, case_id: int) -> bool:
        """The Stop button: mutes the case (no alerts until `resume`)."""
        async with self.store.transaction() as tx:
            if not await tx.cases.set_muted(owner, case_id, True):
                return False
            await tx.outbox.cancel_case(owner, case_id)
        return True

    async def resume(self, owner: int, case_id: int) -> bool:
        async with self.store.transaction() as tx:
            if not await tx.cases.set_muted(owner, case_id, False):
                return False
            await self.replan(tx, owner, case_id)
        self._changed()
        return True

    async def update_settings(self, owner: int, **settings: Any) -> None:
        """Sets the user's settings (see `UserRepo.update`) and replans their cases."""
        if settings.get("tz"):
            zone(str(settings["tz"]))
        async with self.store.transaction() as tx:
            await tx.users.ensure(owner)
            await tx.users.update(owner, **settings)
            await self.replan_user(tx, owner)
        self._changed()

    async def user_seen(self, owner: int, chat_id: int, language: str | None = None) -> None:
        """The user wrote to the bot: a user who had blocked it gets alerts again."""
        await self.user_returned(owner, language)

    async def user_returned(self, owner: int, language: str | None = None) -> bool:
        """Any update from the user: one marked blocked is unblocked and their cases planned
        again (the alert that met the block, never delivered, is planned anew). True where
        they had been blocked."""
        async with self.store.transaction() as tx:
            was_blocked = await tx.users.seen(owner, language=language)
            if was_blocked:
                await self.replan_user(tx, owner)
        if was_blocked:
            self._changed()
        return was_blocked
