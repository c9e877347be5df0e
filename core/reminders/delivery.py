"""The dispatcher's steps over the outbox: what is due, claim, delivered, blocked, retry, give up.

An alert is rebuilt from its case when claimed, so one that waited while the bot was down
carries only the latest lead time; every step is one unit of work.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from dataclasses import replace
from typing import Any

from core.deadlines import CaseFacts
from core.reminders.models import Alert, Recipient, alert_key
from core.reminders.next_alert import Planner, payload_of
from core.reminders.timing import (
    Prefs,
    after_sent,
    open_deadlines,
    plan_next,
)
from core.storage import (
    Origin,
    OutboxState,
    UnitOfWork,
    case_facts,
)
from core.storage.models import to_epoch
from core.teams.alerts import recipients_of
from core.teams.models import team_of


class OutboxSteps(Planner):
    """The outbox steps the dispatcher takes for each alert."""

    async def release_claims(self) -> int:
        async with self.store.transaction() as tx:
            return await tx.outbox.release_claims()

    async def due(
        self, limit: int = 100, exclude: Collection[int] = ()
    ) -> list[tuple[int, int, int]]:
        """(outbox id, user id, chat id) of the alerts due now, but for the chats `exclude`."""
        async with self.store.transaction() as tx:
            return await tx.outbox.due_ids(to_epoch(self._now()), limit, exclude)

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
                # the case as it is now names it (a title saved since the snooze)
                payload = {**payload, "ref": case.ref, "title": case.title}
            alert = Alert.from_payload(
                payload,
                outbox_id=row.id,
                user_id=user.id,
                chat_id=user.chat_id,
                language=user.language,
                snoozed=row.origin is Origin.SNOOZE,
                attempts=row.attempts,
            )
            team_id = team_of(user.id)
            if team_id is not None:  # a team's case: its chats, as they are now
                team = await recipients_of(tx, team_id, case.id)
                key = alert_key(payload, alert.snoozed)
                done = await tx.outbox.sent_to(row.id, key)
                left = [] if team is None else [r for r in team.recipients if r.chat_id not in done]
                if not left:  # every chat has it (a restart after the last send), or none is left
                    await tx.outbox.mark(row.id, OutboxState.SENT, payload=payload)
                    await self._advance(tx, alert)
                    return None
                assert team is not None
                alert = replace(
                    alert,
                    team=team.team.name,
                    assignee=None if team.assignee is None else team.assignee.label,
                    recipients=team.recipients,
                    done=frozenset(done),
                    alert_key=key,
                )
            await tx.outbox.mark(row.id, OutboxState.CLAIMED, payload=payload)
        return alert

    @staticmethod
    def _still_open(
        payload: dict[str, Any], facts: CaseFacts, prefs: Prefs, now: dt.datetime
    ) -> dict[str, Any] | None:
        """A snoozed alert keeps the items that are still open, with their amounts now."""
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
            # the amounts as the case is now (its applicant marked a natural person since)
            item["amount"] = None if d.amount is None else str(d.amount)
            item["late_amount"] = None if d.late_amount is None else str(d.late_amount)
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

    async def delivered_to(
        self, alert: Alert, recipient: Recipient, message_id: int | None, error: str | None = None
    ) -> None:
        """One chat of a team alert has it (or, with `error`, never will: it blocked the bot,
        or the group is gone): a retry or a restart does not send it there again. A person who
        blocked the bot is marked so; a group the bot cannot write to is unlinked."""
        async with self.store.transaction() as tx:
            await tx.outbox.mark_sent(
                alert.outbox_id, alert.alert_key, recipient.chat_id, message_id, error
            )
            if error is not None and recipient.user_id is not None:
                await tx.users.set_blocked(recipient.user_id, True)
            elif error is not None:
                team = await tx.teams.by_group(recipient.chat_id)
                if team is not None:
                    await tx.teams.set_group(team.id, None)

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
