"""What the user does to cases: save (one, or many from an import), change the details,
record or remove an event, Paid on an alert, record unpaid years as paid, delete — and to the
case's alerts: Snooze, Stop, Resume. Each is one unit of work that also plans the case's next
alert again (`Planner.replan`), so a case and its alerts never disagree."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum

from core.deadlines import CaseFacts, Event, EventKind, compute, lapsed, settled_years
from core.errors import N_, InputError
from core.lifecycle import Action, action_of, closing_event
from core.models import Deadline
from core.recording import check_event, check_removal, paid_on_due_dates, unpaid_years
from core.reminders.models import AlertItem
from core.reminders.next_alert import By, Planner
from core.reminders.timing import (
    snooze_until,
)
from core.storage import (
    MAX_TITLE,
    Case,
    CaseInput,
    EventSource,
    UnitOfWork,
    case_facts,
)
from core.storage.models import to_epoch
from core.text import clean

MAX_SNOOZE_DAYS = 31


@dataclass(frozen=True, slots=True)
class CaseImport:
    """One row of an import for `Reminders.import_cases_in`: the case's facts, its events
    (`given_events`: entry and grant decision included, each once), its publication (None:
    leave the case's)."""

    owner: int
    data: CaseInput
    events: tuple[Event, ...] = ()
    publication: tuple[str | None, dt.date | None] | None = None


def given_events(
    events: Iterable[Event], entry: dt.date | None, grant_decision: dt.date | None
) -> list[Event]:
    """The events a saved case is given: `events`, then the entry and the grant decision of
    their own columns, the same event once, in order."""
    given = list(events)
    if entry is not None:
        given.append(Event(kind=EventKind.ENTRY_MADE, date=entry))
    if grant_decision is not None:
        given.append(Event(kind=EventKind.GRANT_DECISION_RECEIVED, date=grant_decision))
    return list(dict.fromkeys(given))


def _publication_of(case: Case | None) -> tuple[str | None, dt.date | None]:
    return (None, None) if case is None else (case.wo_number, case.publication_date)


# Events that happen once in a case's life: recording one again changes nothing.
ONCE = frozenset(
    {
        EventKind.ENTRY_MADE,
        EventKind.TRANSLATION_FILED,
        EventKind.NATIONAL_FEE_PAID,
        EventKind.EXAMINATION_REQUESTED,
        EventKind.GRANT_DECISION_RECEIVED,
        EventKind.GRANT_FEE_PAID,
        EventKind.PATENT_GRANTED,
    }
)


class Outcome(StrEnum):
    RECORDED = "recorded"
    ALREADY = "already"  # the deadline is closed / the event was recorded before: nothing done
    NO_CASE = "no_case"  # not the user's case (or deleted)
    REMOVED = "removed"  # `unrecord`: the event is gone
    NOT_RECORDED = "not_recorded"  # `unrecord`: no such event on the case: nothing done


@dataclass(frozen=True, slots=True)
class Recorded:
    """What recording an event did, with the case's facts afterwards."""

    outcome: Outcome
    event: Event | None = None
    facts: CaseFacts | None = None


@dataclass(frozen=True, slots=True)
class Unrecorded:
    """What removing an event did: the event, the deadlines open again (it had closed them),
    those gone (it had opened them), and the case's facts afterwards."""

    outcome: Outcome
    event: Event | None = None
    reopened: tuple[Deadline, ...] = ()
    gone: tuple[Deadline, ...] = ()
    facts: CaseFacts | None = None


@dataclass(frozen=True, slots=True)
class PaidYears:
    """What "record them all as paid" recorded on one case: the years, each on its due date."""

    case_id: int
    ref: str
    years: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class DetailsSaved:
    """What `update_case_details` did: the case afterwards, the fields it changed (`title`,
    `wo_number`, `publication_date`) and those it removed because a newer answer contradicted
    them (a WO number of another year than the stored publication date)."""

    case: Case
    saved: tuple[str, ...] = ()
    cleared: tuple[str, ...] = ()
    title_kept: bool = False  # a title was given but the case's own title was left as it was


SETTLED_WITH_ANOTHER_FEE = N_(
    "The annual fee for year {year} is paid with another fee — a patent's 3rd year with the "
    "national fee at entry (Summary, BY.12), a utility model's first years with the fee for "
    "grant (BY.21), the arrears with a restoration (BY.17): there is nothing to record for it."
)


def _already(facts: CaseFacts, event: Event) -> bool:
    if event.kind is EventKind.ANNUITY_PAID:
        if event.year in facts.paid_years():
            return True
        if event.year in settled_years(facts):
            raise InputError(SETTLED_WITH_ANOTHER_FEE, year=event.year)
        return False
    if event.kind is EventKind.LAPSED:
        return lapsed(facts)
    if event.kind is EventKind.RESTORED and not lapsed(facts):
        raise InputError(N_("This case is not recorded as lapsed: there is nothing to restore."))
    return event.kind in ONCE and facts.has(event.kind)


class CaseWrites(Planner):
    """The user's changes to cases and to their alerts (each its own unit of work)."""

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
        events: Iterable[Event] = (),
        source: EventSource = EventSource.USER,
        publication: tuple[str | None, dt.date | None] | None = None,
        told: bool = False,
        by: By | None = None,
    ) -> tuple[Case, bool]:
        """`save_case` inside the caller's unit of work (the import's). `owner`: the account
        the case is saved under (a user's, or a team's the caller checked); `by`: who records
        its events. An import replaces
        what the last import said of the case; what the user recorded in the bot stays, and
        an event the case already has is not added twice (an export imported back).
        `publication`: the (WO number, publication date) to store, already checked
        (`core.entryform.check_publication`); None leaves the case's as they are. `told`: a
        summary tells the user of what is due now (`core.reminders.timing.told`)."""
        await tx.users.ensure(owner, language=language)
        case, created = await tx.cases.upsert(owner, data)
        if publication is not None and publication != (case.wo_number, case.publication_date):
            await tx.cases.set_publication(owner, case.id, *publication)
            case = await tx.cases.get(owner, case.id) or case
        events = given_events(events, entry, grant_decision)
        if source is EventSource.IMPORT:
            others = {
                Event(kind=e.kind, date=e.date, year=e.year)
                for e in await tx.cases.events(owner, case.id)
                if e.source is not EventSource.IMPORT
            }
            events = [e for e in events if e not in others]
            await tx.cases.replace_events(owner, case.id, source, events, by)
        else:
            for event in events:
                await tx.cases.add_event(owner, case.id, event, source, by)
        if told:
            await self._tell(tx, owner, case.id)
        await self.replan(tx, owner, case.id)
        return case, created

    async def import_cases_in(
        self,
        tx: UnitOfWork,
        rows: Sequence[CaseImport],
        *,
        told: bool = False,
        by: By | None = None,
    ) -> list[bool]:
        """`save_case_in(…, source=IMPORT)` for each row, in order, inside the caller's unit of
        work — as a batch: a few statements for all the rows (the cases looked up, added and
        updated, their events replaced, their alerts planned together) instead of a few dozen
        per row, with the same cases, events and plans. Returns, for each row, whether its case
        is new. Rows that could see each other's writes (two refs of one owner alike in any
        letter case, or two rows finding one case) are saved one by one. `told`: as in
        `save_case_in`."""
        keys = {(row.owner, row.data.ref.casefold()) for row in rows}
        if len(keys) < len(rows):
            return [await self.import_one_in(tx, row, told=told, by=by) for row in rows]
        await tx.users.ensure_many(dict.fromkeys(row.owner for row in rows))
        by_owner: dict[int, list[int]] = {}
        for i, row in enumerate(rows):
            by_owner.setdefault(row.owner, []).append(i)
        found: list[Case | None] = [None] * len(rows)
        for owner, index in by_owner.items():
            refs = [rows[i].data.ref for i in index]
            exact = await tx.cases.by_refs(owner, refs)
            lower_keys = [r.lower() for r in refs if r not in exact and r.isascii()]
            lower = await tx.cases.by_lower_refs(owner, lower_keys) if lower_keys else {}
            for i, ref in zip(index, refs, strict=True):
                if ref in exact:
                    found[i] = exact[ref]
                elif ref.isascii():
                    found[i] = lower.get(ref.lower())
                else:  # the case-insensitive match beyond ASCII, as `by_ref` makes it
                    found[i] = await tx.cases.by_ref(owner, ref)
        ids = [case.id for case in found if case is not None]
        if len(set(ids)) < len(ids):
            return [await self.import_one_in(tx, row, told=told, by=by) for row in rows]
        case_ids: list[int] = [case.id if case is not None else 0 for case in found]
        new = [i for i in range(len(rows)) if found[i] is None]
        if new:  # in the order of the rows, whoever's they are (the ids one by one would get)
            added = await tx.cases.add_many([(rows[i].owner, rows[i].data) for i in new])
            for i in new:
                case_ids[i] = added[rows[i].owner, rows[i].data.ref]
        for owner, index in by_owner.items():
            old = [i for i in index if found[i] is not None]
            if old:
                await tx.cases.update_many(owner, [(case_ids[i], rows[i].data) for i in old])
            published = [
                (case_ids[i], *publication)
                for i in index
                if (publication := rows[i].publication) is not None
                and publication != _publication_of(found[i])
            ]
            if published:
                await tx.cases.set_publications(owner, published)
            had = await tx.cases.events_of(owner, [case_ids[i] for i in old]) if old else {}
            replaced: list[tuple[int, list[Event]]] = []
            for i in index:
                others = {
                    Event(kind=e.kind, date=e.date, year=e.year)
                    for e in had.get(case_ids[i], ())
                    if e.source is not EventSource.IMPORT
                }
                replaced.append((case_ids[i], [e for e in rows[i].events if e not in others]))
            await tx.cases.replace_events_of(EventSource.IMPORT, replaced, by)
        await self._plan_batch(tx, case_ids, told=told)
        return [case is None for case in found]

    async def import_one_in(
        self, tx: UnitOfWork, row: CaseImport, *, told: bool = False, by: By | None = None
    ) -> bool:
        """One row of `import_cases_in` on its own (`save_case_in`): whether its case is new."""
        _case, created = await self.save_case_in(
            tx,
            row.owner,
            row.data,
            events=row.events,
            source=EventSource.IMPORT,
            publication=row.publication,
            told=told,
            by=by,
        )
        return created

    async def _plan_batch(
        self, tx: UnitOfWork, case_ids: Sequence[int], *, told: bool = False
    ) -> None:
        """`replan` for each case, planned together (`plan_snapshot`, as the bulk replan): one
        read of the cases, their events and owners, one write of the plans. `told`: the
        alert moments already past are marked done first (`planning.told`), written with them."""
        from core.reminders.replan_batches import plan_snapshot, write_plans

        snapshot = await tx.cases.planning_of(case_ids)
        planned = plan_snapshot(snapshot, self.default_tz, self._now(), told=told)
        for p in planned:
            if p.error is not None:  # as `replan` would: its error fails the unit of work
                await self.replan(tx, p.owner, p.case_id)
        await write_plans(tx, [p for p in planned if p.error is None])

    async def add_case(self, owner: int, data: CaseInput, *, language: str | None = None) -> Case:
        """A new case and its alert plan in one unit of work: both or neither (a failed write
        leaves no case behind that a retry would call a duplicate). `DuplicateRef` if the
        owner has a case by that reference (in any letter case)."""
        async with self.store.transaction() as tx:
            await tx.users.ensure(owner, language=language)
            case = await tx.cases.add(owner, data)
            await self.replan(tx, owner, case.id)
        self._changed()
        return case

    async def update_case_details(
        self,
        owner: int,
        case_id: int,
        *,
        title: str | None = None,
        replacing: str | None = None,
        wo_number: str | None = None,
        publication_date: dt.date | None = None,
    ) -> DetailsSaved | None:
        """What the entry form learned about the owner's case, saved in one unit of work;
        None where the case is not theirs (or is gone). A None argument leaves that field as
        it is.

        `title` replaces the case's title only while the case's title is still `replacing`
        (what the user saw when they agreed: "" for a case without one); with `replacing`
        None it replaces any. A changed title replans the case's alert (its text shows it).
        The WO number and the publication date are checked as the form checks them
        (`core.entryform.check_publication`); where only one of them is given and the stored
        other contradicts it, the newer answer wins and the stored other is removed.
        """
        from core.entryform.model import check_publication

        if title is not None:
            title = " ".join(clean(title).split())
            if len(title) > MAX_TITLE:
                raise InputError(N_("The title is longer than {max} characters."), max=MAX_TITLE)
        async with self.store.transaction() as tx:
            reached = await self._reach(tx, owner, case_id)
            if reached is None:
                return None
            case = reached.case
            owner = case.owner_id  # the account that holds it: the user's, or their team's
            saved: list[str] = []
            cleared: list[str] = []
            title_kept = False
            if title and title != case.title:
                if replacing is None or clean(replacing) == case.title:
                    await tx.cases.set_title(owner, case_id, title)
                    saved.append("title")
                else:
                    title_kept = True
            if wo_number is not None or publication_date is not None:
                number = wo_number if wo_number is not None else case.wo_number
                day = publication_date if publication_date is not None else case.publication_date
                try:
                    number, day = check_publication(case.kind, case.filing, number, day)
                except InputError:
                    if wo_number is not None and publication_date is not None:
                        raise
                    # the newer answer wins over the stored one it contradicts
                    if wo_number is None:
                        number = None
                        cleared.append("wo_number")
                    else:
                        day = None
                        cleared.append("publication_date")
                    number, day = check_publication(case.kind, case.filing, number, day)
                if number != case.wo_number and "wo_number" not in cleared:
                    saved.append("wo_number")
                if day != case.publication_date and "publication_date" not in cleared:
                    saved.append("publication_date")
                if (number, day) != (case.wo_number, case.publication_date):
                    await tx.cases.set_publication(owner, case_id, number, day)
            if "title" in saved:
                await self.replan(tx, owner, case_id)
            after = await tx.cases.get(owner, case_id)
            assert after is not None
        if "title" in saved:
            self._changed()
        return DetailsSaved(after, tuple(saved), tuple(cleared), title_kept)

    async def delete_case(self, owner: int, case_id: int) -> bool:
        """The case with its events and alerts (the alerts go with it: foreign keys); a team's
        case only by its owners and attorneys."""
        async with self.store.transaction() as tx:
            reached = await self._reach(tx, owner, case_id)
            if reached is None:
                return False
            deleted = await tx.cases.delete(reached.account, case_id)
        self._changed()
        return deleted

    async def record(
        self,
        owner: int,
        case_id: int,
        event: Event | None,
        source: EventSource = EventSource.USER,
        *,
        code: str | None = None,
        due: dt.date | None = None,
    ) -> Recorded:
        """Records `event` on the owner's case in one unit of work: the deadlines it satisfies
        close (their alerts are cancelled, snoozed ones too) and those it opens are planned.

        Refused with an `InputError` (`core.recording.check_event`): a date after today in the
        user's zone or before the filing date, a year the case does not have, an event whose
        prerequisite is not recorded. Idempotent: an event recorded before, an annual year
        already paid → ALREADY. With `code` (a button on one deadline), the event is the one
        that closes that deadline (dated today in the user's zone when `event` is None),
        recorded only while that deadline — due on `due`, when given — is still open.
        """
        async with self.store.transaction() as tx:
            reached = await self._reach(tx, owner, case_id)
            if reached is None:
                return Recorded(Outcome.NO_CASE)
            case, account = reached.case, reached.account
            by = await self._by(tx, owner, reached)
            facts = case_facts(case, await tx.cases.events(account, case_id))
            if code is not None:
                open_now = {d.code: d for d in compute(facts)}
                target = open_now.get(code)
                if target is None or (due is not None and target.date != due):
                    return Recorded(Outcome.ALREADY, facts=facts)
                on = self.prefs(await tx.users.get(owner)).today(self._now())
                event = closing_event(code, event.date if event is not None else on)
            assert event is not None
            check_event(facts, event, self.prefs(await tx.users.get(owner)).today(self._now()))
            if _already(facts, event):
                return Recorded(Outcome.ALREADY, event, facts)
            if await tx.cases.add_event(account, case_id, event, source, by) is None:
                return Recorded(Outcome.NO_CASE)
            await self._after_facts_change(tx, account, case_id)
            after = case_facts(case, await tx.cases.events(account, case_id))
        self._changed()
        return Recorded(Outcome.RECORDED, event, after)

    async def act(
        self, owner: int, case_id: int, code: str, due: dt.date | None = None
    ) -> Recorded:
        """The Paid / Done button of one deadline (an alert's or the case card's): acts once."""
        if action_of(code) is Action.ROUTE:
            raise InputError(N_("This deadline is a route to explain, not a payment to record."))
        return await self.record(owner, case_id, None, EventSource.ALERT, code=code, due=due)

    async def unrecord(
        self,
        owner: int,
        case_id: int,
        *,
        event_id: int | None = None,
        kind: EventKind | None = None,
        year: int | None = None,
        on: dt.date | None = None,
    ) -> Unrecorded:
        """Removes a recorded event from the owner's case in one unit of work: the deadlines it
        closed open again, those it opened go, and the case's alerts are planned again (its
        snoozed alerts cancelled, as after a recorded event).

        The event is the stored one `event_id` (a button), or the latest of `kind` (for an
        annual fee, of `year`; on `on`, when given). NOT_RECORDED where the case has no such
        event. Refused with an `InputError` while another recorded event needs it
        (`core.recording.check_removal`)."""
        async with self.store.transaction() as tx:
            reached = await self._reach(tx, owner, case_id)
            if reached is None:
                return Unrecorded(Outcome.NO_CASE)
            case = reached.case
            owner = case.owner_id  # the account that holds it: the user's, or their team's
            stored = await tx.cases.events(owner, case_id)
            facts = case_facts(case, stored)
            if event_id is not None:
                chosen = [e for e in stored if e.id == event_id]
            else:
                chosen = [
                    e
                    for e in stored
                    if e.kind is kind
                    and (year is None or e.year == year)
                    and (on is None or e.date == on)
                ]
            if not chosen:
                return Unrecorded(Outcome.NOT_RECORDED, facts=facts)
            target = max(chosen, key=lambda e: (e.date, e.id))
            event = target.event()
            check_removal(facts, event)
            before = compute(facts)
            await tx.cases.delete_event(owner, case_id, target.id)
            await self._after_facts_change(tx, owner, case_id)
            after_facts = case_facts(case, await tx.cases.events(owner, case_id))
        after = compute(after_facts)
        was = {(d.code, d.date) for d in before}
        now = {(d.code, d.date) for d in after}
        self._changed()
        return Unrecorded(
            Outcome.REMOVED,
            event,
            reopened=tuple(d for d in after if (d.code, d.date) not in was),
            gone=tuple(d for d in before if (d.code, d.date) not in now),
            facts=after_facts,
        )

    async def set_natural_person(self, owner: int, case_id: int, natural: bool) -> Case | None:
        """Whether the applicant of the owner's case is a natural person (every fee −75%,
        Summary footnote 3), in one unit of work with the case's alerts planned again (their
        amounts follow it; a snoozed alert takes them when it fires). None where the case is
        not theirs."""
        async with self.store.transaction() as tx:
            reached = await self._reach(tx, owner, case_id)
            if reached is None:
                return None
            case = reached.case
            owner = case.owner_id  # the account that holds it: the user's, or their team's
            if case.natural_person != natural:
                await tx.cases.set_natural_person(owner, case_id, natural)
                await self.replan(tx, owner, case_id)
            after = await tx.cases.get(owner, case_id)
        if case.natural_person != natural:
            self._changed()
        return after

    async def record_unpaid_years(
        self,
        owner: int,
        *,
        case_id: int | None = None,
        updated_since: dt.datetime | None = None,
        batch: int = 100,
        account: int | None = None,
    ) -> list[PaidYears]:
        """ "Record them all as paid": on the owner's case `case_id` — or on every case of
        theirs saved at or after `updated_since` (an import's) — each annual fee whose due date
        has passed with no payment recorded (`core.recording.unpaid_years`) is recorded as paid
        on its due date, and the alerts planned again. `batch` cases per unit of work (an import
        may bring thousands). `account`: with `updated_since`, the account the import saved
        into (a team's: the owner's own by default). A case the owner no longer reaches, or only
        as a viewer, is left as it is. Returns what was recorded, case by case."""
        if case_id is not None:
            ids = [case_id]
        else:
            assert updated_since is not None
            async with self.store.transaction() as tx:
                ids = await tx.cases.ids_updated_since(
                    owner if account is None else account, to_epoch(updated_since)
                )
        done: list[PaidYears] = []
        for start in range(0, len(ids), batch):
            async with self.store.transaction() as tx:
                today = self.prefs(await tx.users.get(owner)).today(self._now())
                for one in ids[start : start + batch]:
                    reached = await self._reach(tx, owner, one, write=False)
                    if reached is None or (not reached.writes and case_id is None):
                        continue
                    if not reached.writes:
                        await self._reach(tx, owner, one)  # NotAllowed, said
                    case, held = reached.case, reached.account
                    by = await self._by(tx, owner, reached)
                    facts = case_facts(case, await tx.cases.events(held, one))
                    events = paid_on_due_dates(unpaid_years(facts, today))
                    if not events:
                        continue
                    for event in events:
                        check_event(facts, event, today)
                        await tx.cases.add_event(held, one, event, EventSource.USER, by)
                    await self._after_facts_change(tx, held, one)
                    done.append(PaidYears(one, case.ref, tuple(e.year or 0 for e in events)))
        if done:
            self._changed()
        return done

    async def snooze(self, owner: int, outbox_id: int, days: int) -> dt.datetime | None:
        """The Snooze button: the alert comes back `days` later, never past its last legal day
        (for an annuity, the end of grace). Returns when, or None if there is nothing left."""
        if not 1 <= days <= MAX_SNOOZE_DAYS:
            raise InputError(
                N_("A reminder can be snoozed for 1 to {max} days."), max=MAX_SNOOZE_DAYS
            )
        async with self.store.transaction() as tx:
            found = await tx.outbox.row(outbox_id)
            if found is None or await self._reach(tx, owner, found.case_id) is None:
                return None
            account = found.user_id  # the case's account: the user's, or their team's
            row = await tx.outbox.get(account, outbox_id)
            if row is None:
                return None
            items = tuple(AlertItem.from_json(i) for i in row.payload["items"])
            user = await tx.users.get(account)
            when = snooze_until(items, self.prefs(user), self._now(), days)
            if when is None:
                return None
            # one pending snooze per alert: pressing Snooze again moves it, never adds one
            await tx.outbox.add_snooze(
                account, row.case_id, to_epoch(when), row.payload, source=outbox_id
            )
        self._changed()
        return when

    async def stop(self, owner: int, case_id: int) -> bool:
        """The Stop button: mutes the case (no alerts until `resume`, the case card's button)."""
        async with self.store.transaction() as tx:
            reached = await self._reach(tx, owner, case_id)
            if reached is None or not await tx.cases.set_muted(reached.account, case_id, True):
                return False
            await tx.outbox.cancel_case(reached.account, case_id)
        return True

    async def resume(self, owner: int, case_id: int) -> bool:
        """Alerts for a stopped case again, planned from now."""
        async with self.store.transaction() as tx:
            reached = await self._reach(tx, owner, case_id)
            if reached is None or not await tx.cases.set_muted(reached.account, case_id, False):
                return False
            await self.replan(tx, reached.account, case_id)
        self._changed()
        return True
