"""The typed context every handler receives (PTB `examples/contexttypesbot.py`).

`context.t` is the user's translator, `context.services` the resources the application opened in
`post_init` (database, rates, FAQ); reading them before `post_init` ran fails loudly.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from collections.abc import Callable, Coroutine
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from telegram.ext import Application, CallbackContext, ExtBot

from bot.jobs.broadcasts import Broadcasts
from bot.render.i18n import BotTranslator, translator
from bot.render.text import short
from core.clock import Clock
from core.deadlines import CaseFacts
from core.errors import N_, InputError
from core.faq import FaqBase
from core.faq.learning import FaqLearning
from core.flows import expired
from core.i18n import Lang, normalize_lang
from core.rates import Rates
from core.reminders import Dispatcher, Reminders
from core.storage import Case, Store, case_facts
from core.support import SupportDesk
from core.teams.access import find_ref, holding_of, reach
from core.teams.models import Holding
from core.text import clean

if TYPE_CHECKING:
    from core.settings import Settings
    from core.teams.service import Teams

log = logging.getLogger("pctby.bot")

SERVICES_KEY = "pctby.services"
LANG_KEY = "lang"
STORED_LANG_KEY = "lang.stored"  # the language the database holds for the user, once known
FLOW_KEY = "flow"  # the user's guided flow: saved to the database after each change (bot/flows.py)
FLOW_AT_KEY = "flow.at"  # the moment of the flow's last step (its age: core.flows.MAX_AGE)


@dataclass(frozen=True, slots=True)
class Found:
    """A case found by reference: its facts, how the user reaches it, and the team cases of
    the same plain reference (TEAM/REF) where the user's own was chosen."""

    case: Case
    facts: CaseFacts
    holding: Holding
    others: tuple[str, ...] = ()


@dataclass
class Services:
    """What lives as long as the application: opened in `post_init` (bot/app.py), closed in
    `post_shutdown`. Every field is typed; a feature reads what it needs from here."""

    settings: Settings
    clock: Clock
    rates: Rates | None = None  # currency equivalents (core.rates.RateService)
    faq: FaqBase | None = None  # with the staff's taught paraphrases, as last read
    faq_learning: FaqLearning | None = None  # kept questions, taught paraphrases (core.faq)
    store: Store | None = None  # None: the bot runs without a database (some tests)
    reminders: Reminders | None = None  # every write of the case features
    teams: Teams | None = None  # the firms' teams (core.teams.service), over the same store
    dispatcher: Dispatcher | None = None  # sends the alerts that fall due (bot/jobs/alerts.py)
    desk: SupportDesk | None = None  # the support tickets
    broadcasts: Broadcasts | None = None  # the staff's broadcast job (bot/jobs/broadcasts.py)
    # users whose record was checked in this process; a user found blocked leaves it, so that
    # their next update checks (and unblocks) them again
    seen: set[int] = field(default_factory=set)
    staff_members: dict[int, tuple[bool, float]] = field(default_factory=dict)  # id → (is, until)
    groups_told: set[int] = field(default_factory=set)  # groups told to write privately, once
    startup: list[asyncio.Task[None]] = field(default_factory=list)
    background: set[asyncio.Task[None]] = field(default_factory=set)
    # A task the bot cannot live without died (`watch`): its reason, and who ends the process
    # (`bot.runner` sets it; without one — tests — it is only logged and recorded).
    failure: str | None = None
    on_fatal: Callable[[str], None] | None = None

    async def started(self) -> None:
        """Waits for the background work begun at start-up (e.g. the replan after a deploy)."""
        if self.startup:
            await asyncio.gather(*self.startup, return_exceptions=True)

    def watch(self, task: asyncio.Task[Any], what: str) -> None:
        """`task` must live as long as the bot (the reminder dispatcher, a broadcast, the
        exchange-rate refresh): if it ends with an error, that is logged at once with its
        traceback and the bot stops with a non-zero status (`fail`), so that the service
        manager starts it again. Cancelled or ended normally: nothing to say."""

        def ended(done: asyncio.Task[Any]) -> None:
            if done.cancelled():
                return
            exc = done.exception()
            if exc is not None:
                self.fail(f"{what} failed: {type(exc).__name__}: {exc}"[:300], exc)

        task.add_done_callback(ended)

    def fail(self, reason: str, exc: BaseException | None = None) -> None:
        """The bot cannot go on: logged now; `on_fatal` stops it (exit status 1)."""
        log.critical("%s; the bot stops, to be started again", reason, exc_info=exc)
        if self.failure is None:
            self.failure = reason
        if self.on_fatal is not None:
            self.on_fatal(reason)

    def spawn(self, work: Coroutine[Any, Any, None], name: str) -> asyncio.Task[None]:
        """Runs `work` in the background, holding the task until it ends."""
        task = asyncio.create_task(work, name=name)
        self.background.add(task)
        task.add_done_callback(self.background.discard)
        return task


class BotContext(CallbackContext[ExtBot[None], dict[Any, Any], dict[Any, Any], dict[Any, Any]]):
    """CallbackContext with typed access to the services, the user's language and flow."""

    def __init__(
        self,
        application: Application[Any, Any, Any, Any, Any, Any],
        chat_id: int | None = None,
        user_id: int | None = None,
    ) -> None:
        super().__init__(application=application, chat_id=chat_id, user_id=user_id)

    @property
    def services(self) -> Services:
        services = self.bot_data.get(SERVICES_KEY)
        if not isinstance(services, Services):
            raise RuntimeError(
                "services are not set up: build the application with bot.app.build_application "
                "and start it (post_init opens the services)"
            )
        return services

    @property
    def settings(self) -> Settings:
        return self.services.settings

    @property
    def clock(self) -> Clock:
        return self.services.clock

    @property
    def reminders(self) -> Reminders:
        """The reminders service (`core.reminders`): every write of the case features."""
        found = self.services.reminders
        if found is None:
            raise RuntimeError("the reminders are not running")
        return found

    @property
    def teams(self) -> Teams:
        """The teams service (`core.teams.service`): members, roles, shared cases, groups."""
        found = self.services.teams
        if found is None:
            raise RuntimeError("the teams service is not running")
        return found

    @property
    def desk_open(self) -> bool:
        """Users can write to the staff: there is a database and a staff chat."""
        return self.services.desk is not None and self.settings.staff_chat_id is not None

    @property
    def today(self) -> dt.date:
        """Today in the bot's time zone, from the application's one clock."""
        return self.services.clock.today()

    # -- request helpers: the user of the update, the store, their cases -------------------

    @property
    def owner(self) -> int:
        """The user of the update: the owner of every case a feature reads or writes."""
        if self._user_id is None:
            raise RuntimeError("no user in this update")
        return self._user_id

    @property
    def store(self) -> Store:
        """The database (the case features need it; the bot opens it unless a test says not)."""
        store = self.services.store
        if store is None:
            raise RuntimeError("the case features need the database (core.storage)")
        return store

    async def find(self, ref: str) -> tuple[Case, CaseFacts]:
        """The case the user means by `ref` (any letter case; their own, or their team's as
        TEAM/REF: `core.teams.access.find_ref`) and its facts; `InputError` if none — the same
        whether another user or team has one by that reference."""
        found = await self.find_case(ref)
        return found.case, found.facts

    async def find_case(self, ref: str) -> Found:
        """`find`, with how the user reaches the case and the team cases of the same plain
        reference (where their own was chosen)."""
        async with self.store.reading() as tx:
            reached = await find_ref(tx, self.owner, clean(ref))
            if reached is None:
                raise InputError(
                    N_("You have no case “{ref}”. See your cases with /cases."),
                    ref=short(ref, 50),
                )
            events = await tx.cases.events(reached.account, reached.case.id)
        return Found(
            reached.case, case_facts(reached.case, events), reached.holding, reached.others
        )

    async def case_by_id(self, case_id: int) -> tuple[Case, CaseFacts] | None:
        """The case with this id (from a button) if the user reaches it (their own, or their
        team's), or None: deleted, or not theirs to see — checked again at every press."""
        async with self.store.reading() as tx:
            reached = await reach(tx, self.owner, case_id)
            if reached is None:
                return None
            events = await tx.cases.events(reached.account, case_id)
        return reached.case, case_facts(reached.case, events)

    async def holding(self, case: Case) -> Holding | None:
        """How the user reaches `case`: their own (`team` None) or their team's, with their
        role; None where they no longer do."""
        async with self.store.reading() as tx:
            return await holding_of(tx, self.owner, case.owner_id)

    @property
    def lang(self) -> Lang:
        data = self.user_data if self._user_id is not None else None
        return normalize_lang(data.get(LANG_KEY) if data is not None else None)

    @lang.setter
    def lang(self, value: str) -> None:
        if self._user_id is not None and self.user_data is not None:
            self.user_data[LANG_KEY] = normalize_lang(value)

    @property
    def t(self) -> BotTranslator:
        data = self.user_data if self._user_id is not None else None
        return translator(data.get(LANG_KEY) if data is not None else None)  # normalizes

    @property
    def flow(self) -> dict[str, Any] | None:
        """The user's guided flow, unless its last step is older than `core.flows.MAX_AGE`:
        a stale one ends here, and the user's text goes where it would without a flow."""
        if self._user_id is None or self.user_data is None:
            return None
        found = self.user_data.get(FLOW_KEY)
        if not isinstance(found, dict):
            return None
        at = self.user_data.get(FLOW_AT_KEY)
        if isinstance(at, dt.datetime) and expired(at, self.clock.now()):
            self.end_flow()
            return None
        return found

    def start_flow(self, name: str, step: str, **data: Any) -> dict[str, Any]:
        """A new flow (stored after the update: its data must be JSON — dates as ISO text)."""
        flow = {"name": name, "step": step, **data}
        if self.user_data is not None:
            self.user_data[FLOW_KEY] = flow
            self.user_data[FLOW_AT_KEY] = self.clock.now()
        return flow

    def end_flow(self) -> None:
        if self._user_id is not None and self.user_data is not None:
            self.user_data.pop(FLOW_KEY, None)
            self.user_data.pop(FLOW_AT_KEY, None)
