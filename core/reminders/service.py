"""Reminders over the store: planning on every change, the user's actions, the outbox steps.

Every public method opens its own unit of work unless it takes one (`tx`), so the bot calls
`await reminders.record_event(...)` and the import calls `await reminders.replan(tx, ...)`
inside its own transaction. Each change that can move an alert calls `on_change` (the
dispatcher's `wake`).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import logging
import multiprocessing as mp
from collections import deque
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor
from typing import Any

from core.deadlines import CaseFacts, Event, EventKind
from core.errors import N_, InputError
from core.reminders.bulk import (
    FINGERPRINT_KEY,
    PlannedCase,
    default_workers,
    plan_snapshot,
    rules_fingerprint,
)
from core.reminders.models import Alert, AlertItem
from core.reminders.planning import (
    DEFAULT_TZ,
    Plan,
    Prefs,
    after_sent,
    open_deadlines,
    plan_next,
    prune,
    snooze_until,
    zone,
)
from core.storage import (
    Case,
    CaseInput,
    EventSource,
    Origin,
    OutboxState,
    Store,
    StoredEvent,
    UnitOfWork,
    User,
    case_facts,
)
from core.storage.models import PlanningSnapshot, to_epoch

log = logging.getLogger(__name__)

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


def prefs_of(user: User | None, default_tz: str = DEFAULT_TZ) -> Prefs:
    """The user's alert settings with the defaults filled in."""
    base = Prefs(tz=zone(default_tz))
    if user is None:
        return base
    return Prefs(
        tz=zone(user.tz) if user.tz else base.tz,
        alert_time=user.alert_time if user.alert_time is not None else base.alert_time,
        quiet_start=user.quiet_start if user.quiet_start is not None else base.quiet_start,
        quiet_end=user.quiet_end if user.quiet_end is not None else base.quiet_end,
        lead_days=user.lead_days if user.lead_days is not None else base.lead_days,
        grace_lead_days=(
            user.grace_lead_days if user.grace_lead_days is not None else base.grace_lead_days
        ),
    )


def payload_of(case: Case, plan: Plan, chat_id: int) -> dict[str, Any]:
    return {
        "v": 1,
        "case_id": case.id,
        "ref": case.ref,
        "title": case.title,
        "kind": case.kind.value,
        "chat_id": chat_id,
        "items": [i.to_json() for i in plan.items],
        "assumed_paid_through": plan.assumed_paid_through,
    }


class Reminders:
    """Plans, records and dispatches the alerts of every case in `store`."""

    def __init__(
        self,
        store: Store,
        *,
        default_tz: str = DEFAULT_TZ,
        on_change: Callable[[], None] | None = None,
    ) -> None:
        zone(default_tz)  # fails fast on a bad zone name
        self.store = store
        self.default_tz = default_tz
        self.on_change = on_change

    def _now(self) -> dt.datetime:
        return self.store.clock()

    def _changed(self) -> None:
        if self.on_change is not None:
            self.on_change()

    def prefs(self, user: User | None) -> Prefs:
        return prefs_of(user, self.default_tz)

    # --- planning inside a unit of work ----------------------------------------------------

    async def replan(self, tx: UnitOfWork, owner: int, case_id: int) -> Plan | None:
        """Rebuilds the case's next regular alert from its current facts."""
        case = await tx.cases.get(owner, case_id)
        if case is None:
            return None
        if case.muted:
            await tx.outbox.cancel_case(owner, case_id, Origin.PLAN)
            return None
        user = await tx.users.get(owner)
        assert user is not None
        facts = case_facts(case, await tx.cases.events(owner, case_id))
        plan = plan_next(facts, self.prefs(user), case.alert_state, self._now())
        if plan is None:
            await tx.outbox.cancel_case(owner, case_id, Origin.PLAN)
            return None
        await tx.outbox.put_plan(
            owner, case_id, to_epoch(plan.fire), payload_of(case, plan, user.chat_id)
        )
        return plan

    async def replan_user(self, tx: UnitOfWork, owner: int) -> None:
        for case in await tx.cases.all(owner):
            await self.replan(tx, owner, case.id)

    async def replan_all(
        self,
        *,
        batch: int = 5000,
        workers: int | None = None,
        progress: Callable[[int], None] | None = None,
    ) -> int:
        """Replans every case of every user (after an upgrade of the rules or the fee schedule;
        `pctby replan`). Safe while the bot runs: see `core.reminders.bulk`.

        `workers`: processes that plan batches in parallel (default: one per core; 1 plans in
        a thread of this process). Returns the number of cases planned.
        """
        workers = default_workers() if workers is None else max(1, workers)
        now = self._now()
        pool: ProcessPoolExecutor | None = None
        loop = asyncio.get_running_loop()
        # (snapshot, its plans being made) — a few batches ahead, so the pool never waits
        queue: deque[tuple[PlanningSnapshot, asyncio.Future[list[PlannedCase]]]] = deque()
        done = 0
        last_id = 0
        try:
            while True:
                async with self.store.transaction() as tx:
                    snapshot = await tx.cases.system_planning_batch(last_id, batch)
                if snapshot is None:
                    break
                last_id = snapshot.last
                if pool is None and workers > 1 and len(snapshot.cases) == batch:
                    # more than one batch: worth starting the processes
                    pool = ProcessPoolExecutor(workers, mp_context=mp.get_context("spawn"))
                # without a pool, in a thread: the bot's event loop stays responsive meanwhile
                future = loop.run_in_executor(pool, plan_snapshot, snapshot, self.default_tz, now)
                queue.append((snapshot, future))
                if len(queue) > workers:
                    done += await self._write_planned(*queue.popleft())
                    if progress is not None:
                        progress(done)
            while queue:
                done += await self._write_planned(*queue.popleft())
                if progress is not None:
                    progress(done)
        finally:
            for _, future in queue:
                future.cancel()
            if pool is not None:
                pool.shutdown(cancel_futures=True)
        async with self.store.transaction() as tx:
            await tx.meta.set(FINGERPRINT_KEY, rules_fingerprint())
        self._changed()
        return done

    async def replan_if_rules_changed(
        self, *, workers: int | None = None, progress: Callable[[int], None] | None = None
    ) -> int | None:
        """`replan_all` where the plans were made by other rules, fee schedules or holidays
        than this code's (a deploy changed them); the number of cases planned, or None."""
        async with self.store.transaction() as tx:
            if await tx.meta.get(FINGERPRINT_KEY) == rules_fingerprint():
                return None
        return await self.replan_all(workers=workers, progress=progress)

    async def _write_planned(
        self, snapshot: PlanningSnapshot, future: asyncio.Future[list[PlannedCase]]
    ) -> int:
        """Writes one planned batch; cases changed since `snapshot` are planned again here."""
        planned = await future
        async with self.store.transaction() as tx:
            current = await tx.cases.system_planning_range(snapshot.first, snapshot.last)
            puts: list[tuple[int, int, int, str]] = []
            cancels: list[int] = []
            for p in planned:
                if p.error is not None:
                    log.error("case %d could not be planned: %s", p.case_id, p.error)
                elif not snapshot.same_case(current, p.case_id):
                    await self.replan(tx, p.owner, p.case_id)  # a no-op for a deleted case
                elif p.due_at is None or p.payload is None:
                    cancels.append(p.case_id)
                else:
                    puts.append((p.owner, p.case_id, p.due_at, p.payload))
            await tx.outbox.put_plans(puts)
            await tx.outbox.system_cancel_plans(cancels)
        return len(planned)

    # --- what the user does ----------------------------------------------------------------

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

    async def _after_facts_change(self, tx: UnitOfWork, owner: int, case_id: int) -> None:
        await tx.outbox.cancel_case(owner, case_id, Origin.SNOOZE)
        case = await tx.cases.get(owner, case_id)
        assert case is not None
        facts = case_facts(case, await tx.cases.events(owner, case_id))
        user = await tx.users.get(owner)
        today = self.prefs(user).today(self._now())
        await tx.cases.set_alert_state(owner, case_id, prune(case.alert_state, facts, today))
        await self.replan(tx, owner, case_id)

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
            await tx.outbox.add_snooze(owner, row.case_id, to_epoch(when), row.payload)
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
        async with self.store.transaction() as tx:
            was_blocked = await tx.users.seen(owner, chat_id, language)
            if was_blocked:
                await self.replan_user(tx, owner)
        if was_blocked:
            self._changed()

    # --- the dispatcher's steps ------------------------------------------------------------

    async def release_claims(self) -> int:
        async with self.store.transaction() as tx:
            return await tx.outbox.release_claims()

    async def due(self, limit: int = 100) -> list[tuple[int, int, int]]:
        """(outbox id, user id, chat id) of the alerts due now."""
        async with self.store.transaction() as tx:
            return await tx.outbox.due_ids(to_epoch(self._now()), limit)

    async def next_due(self) -> dt.datetime | None:
        async with self.store.transaction() as tx:
            stamp = await tx.outbox.next_due()
        return None if stamp is None else dt.datetime.fromtimestamp(stamp, dt.UTC)

    async def claim(self, outbox_id: int) -> Alert | None:
        """planned → claimed, with the alert rebuilt from the case as it is now (so an alert
        that waited while the bot was down carries only the latest lead time). None when the
        row is no longer due: rescheduled, cancelled, or its case has an alert in flight."""
        now = self._now()
        async with self.store.transaction() as tx:
            row = await tx.outbox.row(outbox_id)
            if row is None or row.state is not OutboxState.PLANNED or row.due_at > now:
                return None
            user = await tx.users.get(row.user_id)
            case = await tx.cases.get(row.user_id, row.case_id)
            if user is None or case is None or user.blocked:
                return None
            if case.muted:
                await tx.outbox.mark(row.id, OutboxState.CANCELLED, error="muted")
                return None
            if await tx.outbox.in_flight(case.id):
                return None
            prefs = self.prefs(user)
            facts = case_facts(case, await tx.cases.events(user.id, case.id))
            payload: dict[str, Any] | None
            if row.origin is Origin.PLAN:
                plan = plan_next(facts, prefs, case.alert_state, now)
                if plan is None:
                    await tx.outbox.mark(row.id, OutboxState.CANCELLED, error="nothing due")
                    return None
                payload = payload_of(case, plan, user.chat_id)
                if plan.fire > now or not plan.items:
                    await tx.outbox.mark(
                        row.id, OutboxState.PLANNED, due_at=to_epoch(plan.fire), payload=payload
                    )
                    return None
            else:
                payload = self._still_open(row.payload, facts, prefs, now)
                if payload is None:
                    await tx.outbox.mark(row.id, OutboxState.CANCELLED, error="closed")
                    return None
            await tx.outbox.mark(row.id, OutboxState.CLAIMED, payload=payload)
        return Alert.from_payload(
            payload,
            outbox_id=row.id,
            user_id=user.id,
            chat_id=user.chat_id,
            language=user.language,
            snoozed=row.origin is Origin.SNOOZE,
            attempts=row.attempts,
        )

    @staticmethod
    def _still_open(
        payload: dict[str, Any], facts: CaseFacts, prefs: Prefs, now: dt.datetime
    ) -> dict[str, Any] | None:
        """A snoozed alert keeps the items that are still open."""
        today = prefs.today(now)
        deadlines, _ = open_deadlines(facts, today)
        by_code = {d.code: d for d in deadlines}
        items: list[dict[str, Any]] = []
        for raw in payload["items"]:
            d = by_code.get(raw["code"])
            if d is None or d.date < today:
                continue
            item = dict(raw)
            item["days_left"] = (d.date - today).days
            items.append(item)
        if not items:
            return None
        return {**payload, "items": items}

    async def delivered(self, alert: Alert, message_id: int | None) -> None:
        """claimed → sent; the case's alert state moves on and its next alert is planned."""
        async with self.store.transaction() as tx:
            await tx.outbox.mark(alert.outbox_id, OutboxState.SENT, message_id=message_id)
            await self._advance(tx, alert)

    async def _advance(self, tx: UnitOfWork, alert: Alert) -> None:
        if alert.snoozed:
            return
        case = await tx.cases.get(alert.user_id, alert.case_id)
        if case is None:
            return
        state = after_sent(case.alert_state, alert.items)
        await tx.cases.set_alert_state(alert.user_id, alert.case_id, state)
        await self.replan(tx, alert.user_id, alert.case_id)

    async def blocked(self, alert: Alert, error: str = "blocked") -> None:
        """The chat is gone: the alert failed, the user is marked blocked, data stays."""
        async with self.store.transaction() as tx:
            await tx.outbox.mark(alert.outbox_id, OutboxState.FAILED, error=error)
            await tx.users.set_blocked(alert.user_id, True)

    async def retry(self, alert: Alert, at: dt.datetime, error: str, count: bool = True) -> None:
        """claimed → planned again, due at `at` (429, network error)."""
        async with self.store.transaction() as tx:
            await tx.outbox.mark(
                alert.outbox_id,
                OutboxState.PLANNED,
                due_at=to_epoch(at),
                attempts=alert.attempts + 1 if count else alert.attempts,
                error=error[:500],
            )

    async def give_up(self, alert: Alert, error: str) -> None:
        """claimed → failed after too many attempts; the case moves on to its next alert."""
        async with self.store.transaction() as tx:
            await tx.outbox.mark(alert.outbox_id, OutboxState.FAILED, error=error[:500])
            await self._advance(tx, alert)


def alerts_json(alerts: Iterable[Alert]) -> str:
    """For logs and tests."""
    return json.dumps([a.payload() for a in alerts], ensure_ascii=False, indent=1)
