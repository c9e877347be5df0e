"""A case's next alert, written to the outbox inside a unit of work — the base of the
reminders services.

`Planner.replan(tx, owner, case_id)` rebuilds a case's next regular alert from its current
facts (when: `timing.plan_next`). The user's changes (`case_writes.py`, `user_writes.py`), the
dispatcher's steps (`delivery.py`) and the replan of every case (`replan_all.py`) each build on
it in their own module; `service.Reminders` joins them.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from typing import Any

from core.reminders.timing import (
    DEFAULT_TZ,
    Plan,
    Prefs,
    plan_next,
    prune,
    told,
    zone,
)
from core.storage import (
    Case,
    Origin,
    Store,
    UnitOfWork,
    User,
    case_facts,
)
from core.storage.models import to_epoch
from core.teams.access import Reached, reach
from core.teams.models import is_team_account

log = logging.getLogger(__name__)

# Who recorded an event: their Telegram id (None: nobody in particular — the command line on a
# team's cases) and the name they have in the case's team.
By = tuple[int | None, str | None]


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


class Planner:
    """The store, the default zone, and the hook that wakes the dispatcher after a change."""

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

    @staticmethod
    async def _reach(
        tx: UnitOfWork, actor: int, case_id: int, *, write: bool = True
    ) -> Reached | None:
        """The case as `actor` reaches it — their own, or their team's (`core.teams.access`;
        with `write`, a viewer's attempt is `NotAllowed`) — inside the unit of work that acts,
        so that a member removed a moment ago reaches nothing."""
        return await reach(tx, actor, case_id, write=write)

    @staticmethod
    async def _by(tx: UnitOfWork, actor: int, reached: Reached) -> By:
        """Who records on the reached case: the actor, with their name in its team (a team's
        own account — the command line acting for the team — is nobody in particular)."""
        if is_team_account(actor):
            return None, None
        team = reached.team
        if team is None:
            return actor, None
        member = await tx.teams.member(team.id, actor)
        return actor, (member.label if member is not None else None)

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

    async def _tell(self, tx: UnitOfWork, owner: int, case_id: int) -> None:
        """The case's alert moments already past are done: a summary told of them
        (`planning.told`)."""
        case = await tx.cases.get(owner, case_id)
        if case is None or case.muted:
            return
        user = await tx.users.get(owner)
        facts = case_facts(case, await tx.cases.events(owner, case_id))
        state = told(facts, self.prefs(user), case.alert_state, self._now())
        if state != case.alert_state:
            await tx.cases.set_alert_state(owner, case_id, state)

    async def replan_user(self, tx: UnitOfWork, owner: int) -> None:
        for case in await tx.cases.all(owner):
            await self.replan(tx, owner, case.id)

    async def _after_facts_change(self, tx: UnitOfWork, owner: int, case_id: int) -> None:
        await tx.outbox.cancel_case(owner, case_id, Origin.SNOOZE)
        case = await tx.cases.get(owner, case_id)
        assert case is not None
        facts = case_facts(case, await tx.cases.events(owner, case_id))
        user = await tx.users.get(owner)
        today = self.prefs(user).today(self._now())
        await tx.cases.set_alert_state(owner, case_id, prune(case.alert_state, facts, today))
        await self.replan(tx, owner, case_id)
