"""What the bot tests share, in one place: every bot test imports its helpers from here, never
from another test module (the scripted user is `tests/scripted.py`, the fixtures `conftest.py`).

- the dates a test runs on (`BOT_DAYS`, `dated`);
- what the user read (`said`);
- the exchange rates as the National Bank answered them (`nbrb`);
- every guided flow checked as it is written (`FlowWatch`), one run of the bot on a database
  (`bot_run`);
- the staff chat (`staff_settings`, `staff_bot`, `StaffChat` and its people);
- a firm: its team of three (`firm`), an invitation (`invite`), a user in its group (`InGroup`);
- the database behind the bot (`store_of`, `cases_of`, `case_of`, `events_of`, …);
- an alert as the planner makes one (`alert_for`);
- the entry form's last steps (`no_early_start`, `after_the_basis`, `document`).
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import re
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx
import pytest
from telegram import Update
from telegram.ext import TypeHandler

from bot.app import BotApp, Options, build_application, running
from bot.context import FLOW_KEY, SERVICES_KEY, BotContext, Services
from bot.offline import OfflineBotApi, Sent, server_of
from core.clock import FrozenClock
from core.deadlines import EventKind
from core.entryform import document_text
from core.faq import load_faq
from core.flows import dump
from core.models import Kind
from core.rates import RateService
from core.reminders import Alert, AlertItem
from core.settings import Settings
from core.storage import Case, Store
from tests.scripted import Chat, text_of

# --- the dates ---------------------------------------------------------------------------------

# Far-apart days, each at 09:00 in Minsk: a January Monday, late November, a leap day.
BOT_DAYS = (dt.date(2027, 1, 4), dt.date(2026, 11, 27), dt.date(2028, 2, 29))

# A test whose outcome depends on the day runs on each of `BOT_DAYS` (conftest.py); every other
# bot test runs on the first. Mark a test (or a module, `pytestmark = dated`) that computes
# deadlines or alerts from today, or reads the calendar: what the user reads there changes with
# the day, so a bug of one day only shows on that day.
dated = pytest.mark.dated


# --- what the user read ------------------------------------------------------------------------


def said(replies: list[Sent]) -> str:
    """What the user read in `replies`, as one string, with no-break spaces (Babel's grouping,
    `1 176,00`) as plain spaces."""
    return text_of(replies).replace("\u00a0", " ").replace("\u202f", " ")


# --- the exchange rates --------------------------------------------------------------------------

# NBRB answers as recorded (rates of 2024-03-15): BYN per Cur_Scale units.
RATES = {"USD": (1, "3.2672"), "EUR": (1, "3.5656"), "CHF": (1, "3.7003"), "RUB": (100, "3.5587")}


def nbrb(request: httpx.Request) -> httpx.Response:
    """The National Bank's rates API, answering from `RATES` (`httpx.MockTransport(nbrb)`)."""
    currency = request.url.path.rsplit("/", 1)[-1]
    scale, rate = RATES[currency]
    day = request.url.params.get("ondate", "2024-03-15")
    body = {"Cur_Abbreviation": currency, "Cur_Scale": scale, "Cur_OfficialRate": float(rate)}
    body["Date"] = f"{day}T00:00:00"
    return httpx.Response(200, content=json.dumps(body))


# --- guided flows, and a bot that stops and starts again ----------------------------------------


class FlowWatch:
    """Every guided flow of every bot test is walked here: when an update arrives, and for every
    user when the test ends, the user's flow must be plain JSON (it comes back equal after a
    restart) and be what the database holds (bot/flows.py wrote it through after the update
    before, whichever handler took or stopped it). What is wrong is collected, for the fixture
    to assert."""

    def __init__(self, application: BotApp) -> None:
        self.app = application
        self.wrong: list[str] = []
        application.add_handler(TypeHandler(Update, self.on_update), group=-99)

    async def on_update(self, update: Update, context: BotContext) -> None:
        if update.effective_user is not None and context.user_data is not None:
            await self.check(update.effective_user.id, context.user_data)

    async def check_all(self) -> None:
        for user_id, data in list(self.app.user_data.items()):
            await self.check(user_id, data)

    async def check(self, user_id: int, data: dict[str, Any]) -> None:
        flow = data.get(FLOW_KEY)
        store = self.app.bot_data[SERVICES_KEY].store
        async with store.transaction() as tx:
            row = await tx.flows.get(user_id)
        if flow is None:
            if row is not None:
                self.wrong.append(f"user {user_id}: no flow, but the database holds {row[0]}")
            return
        try:
            text = dump(flow)
        except TypeError as exc:
            self.wrong.append(f"user {user_id}: flow {flow} is not JSON: {exc}")
            return
        if json.loads(text) != flow:
            self.wrong.append(f"user {user_id}: flow {flow} comes back as {text}")
        if row is None or row[0] != text:
            self.wrong.append(f"user {user_id}: flow {text}, but the database holds {row}")


@asynccontextmanager
async def bot_run(settings: Settings, clock: FrozenClock, tmp_path: Path) -> AsyncIterator[BotApp]:
    """One run of the bot on the test's database: started, and at the end stopped
    (`post_shutdown`), as `pctby run` is between two restarts."""
    rates = RateService(tmp_path / "rates.json", transport=httpx.MockTransport(nbrb), clock=clock)
    app = build_application(
        settings, Options(rates=rates, clock=clock, dispatch=False), request=OfflineBotApi()
    )
    flows = FlowWatch(app)
    async with running(app):
        yield app
        await flows.check_all()
    await rates.aclose()
    assert flows.wrong == []


# --- the staff chat ------------------------------------------------------------------------------

STAFF_CHAT = -100_777
STAFF_ID = 42  # in PCTBY_STAFF_IDS
MEMBER_ID = 43  # a member of the staff chat, not in PCTBY_STAFF_IDS
OUTSIDER_ID = 44  # posts in the staff chat without being a member (e.g. a discussion group)
ALICE, BOB, CAROL = 101, 202, 303
FAQ = load_faq()


def staff_settings(tmp_path: Path) -> Settings:
    return Settings(
        _env_file=None,  # type: ignore[call-arg]
        db=tmp_path / "pctby.sqlite3",
        staff_chat_id=STAFF_CHAT,
        staff_ids=frozenset({STAFF_ID}),
    )


@asynccontextmanager
async def staff_bot(
    tmp_path: Path, clock: FrozenClock, members: tuple[int, ...] = (STAFF_ID, MEMBER_ID)
) -> AsyncIterator[BotApp]:
    """The bot with a database, the FAQ and a staff chat whose `members` are in it; every
    guided flow checked as it is written (`FlowWatch`)."""
    server = OfflineBotApi()
    for member in members:
        server.members.join(STAFF_CHAT, member)
    application = build_application(
        staff_settings(tmp_path),
        Options(faq=FAQ, set_commands=False, clock=clock, dispatch=False),
        request=server,
    )
    flows = FlowWatch(application)  # the /support flow ends in a stopped update: still written
    async with running(application):
        yield application
        await flows.check_all()
    assert flows.wrong == []


class StaffChat:
    """The staff group: members post and reply to the bot's relays."""

    def __init__(self, app: BotApp) -> None:
        self.app = app
        self.server = server_of(app)
        self.chat = {"id": STAFF_CHAT, "type": "supergroup", "title": "NCIP desk"}
        self._ids = itertools.count(10_000)

    def relays(self) -> list[Sent]:
        return [s for s in self.server.sent if s.chat_id == STAFF_CHAT]

    def last_relay(self) -> Sent:
        return self.relays()[-1]

    async def post(
        self,
        user_id: int,
        text: str,
        *,
        reply_to: Sent | None = None,
        content: dict[str, Any] | None = None,
        edits: int | None = None,
    ) -> list[Sent]:
        """Feeds a message from `user_id` in the staff chat; returns everything the bot sent.
        `content`: a message without text instead (a document, a photo…, with its caption);
        `edits`: the id of an earlier message this one is an edit of."""
        msg: dict[str, Any] = {
            "message_id": next(self._ids) if edits is None else edits,
            "date": int(time.time()),
            "chat": self.chat,
            "from": {"id": user_id, "is_bot": False, "first_name": f"Staff{user_id}"},
        }
        if content is not None:
            msg.update(content)
        else:
            msg["text"] = text
        if text.startswith("/"):
            command = text.split()[0]
            msg["entities"] = [{"type": "bot_command", "offset": 0, "length": len(command)}]
        if reply_to is not None:
            original = dict(self.server.messages[(reply_to.chat_id, reply_to.message_id)])
            original["chat"] = self.chat
            msg["reply_to_message"] = original
        mark = len(self.server.sent)
        self.last_posted = int(msg["message_id"])
        kind = "message"
        if edits is not None:
            msg["edit_date"] = msg["date"]
            kind = "edited_message"
        data = {"update_id": self.server.next_update_id(), kind: msg}
        self.server.seen(msg)
        await self.app.process_update(Update.de_json(data, self.app.bot))
        return self.server.sent[mark:]


# --- a firm: a team, its members and its group -------------------------------------------------

GROUP = -1001234567890  # the team's group, where Anna is an administrator
CODE = re.compile(r"/team join ([A-Z2-7]{4}(?:-[A-Z2-7]{4}){3})")


class InGroup(Chat):
    """A user writing in the team's group (and pressing the buttons there)."""

    def __init__(self, user: Chat, group_id: int = GROUP) -> None:
        super().__init__(
            user.app,
            user.user_id,
            language_code=user.user.get("language_code"),
            first_name=user.user["first_name"],
            username=user.user.get("username"),
        )
        self.group_id = group_id

    @property
    def chat(self) -> dict[str, Any]:
        return {"id": self.group_id, "type": "supergroup", "title": "Sidorenko IP"}

    async def feed(self, data: dict[str, Any]) -> list[Sent]:
        mark = len(self.server.sent)
        await super().feed(data)
        return [s for s in self.server.sent[mark:] if s.chat_id in (self.group_id, 0)]


async def invite(owner: Chat, role: str = "attorney", team: str = "") -> str:
    """The code of a new invitation to `owner`'s team (or to `team`) with `role`."""
    text = said(await owner.send(f"/team invite {team} {role}".replace("  ", " ")))
    found = CODE.search(text)
    assert found is not None, text
    return found.group(1)


async def firm(chat: Any) -> tuple[Chat, Chat, Chat]:
    """Sidorenko-IP with Anna (owner), Boris (attorney) and Vera (viewer)."""
    anna = chat("en", first_name="Anna", username="anna")
    boris = chat("en", first_name="Boris", username="boris")
    vera = chat("en", first_name="Vera", username="vera")
    for user in (anna, boris, vera):
        await user.send("/start")
    assert "Team Sidorenko-IP created" in said(await anna.send("/team new Sidorenko-IP"))
    joined = said(await boris.send(f"/team join {await invite(anna, 'attorney')}"))
    assert "Welcome to Sidorenko-IP: you are its attorney" in joined
    joined = said(await vera.send(f"/team join {await invite(anna, 'viewer')}"))
    assert "you are its viewer" in joined
    return anna, boris, vera


# --- the database behind the bot -----------------------------------------------------------------


def services(app: BotApp) -> Services:
    found = app.bot_data[SERVICES_KEY]
    assert isinstance(found, Services)
    return found


def store_of(app: BotApp) -> Store:
    found = services(app).store
    assert isinstance(found, Store)
    return found


async def cases_of(app: BotApp, user_id: int) -> dict[str, tuple[Case, list[Any]]]:
    """The user's cases by reference, each with its recorded events."""
    async with store_of(app).transaction() as tx:
        cases = await tx.cases.all(user_id)
        return {c.ref: (c, await tx.cases.events(user_id, c.id)) for c in cases}


async def case_of(app: BotApp, user_id: int, ref: str) -> Case | None:
    async with store_of(app).transaction() as tx:
        return await tx.cases.by_ref(user_id, ref)


async def case_id_of(app: BotApp, user_id: int, ref: str) -> int:
    case = await case_of(app, user_id, ref)
    assert case is not None
    return int(case.id)


async def events_of(app: BotApp, user_id: int, ref: str) -> list[tuple[EventKind, int | None]]:
    """The case's recorded events, as (kind, year or months)."""
    async with store_of(app).transaction() as tx:
        case = await tx.cases.by_ref(user_id, ref)
        assert case is not None
        return [(e.kind, e.year) for e in await tx.cases.events(user_id, case.id)]


async def stored_answers(app: BotApp, user_id: int) -> Any:
    """The entry form's answers remembered for the user (None: nothing remembered)."""
    async with store_of(app).transaction() as tx:
        return await tx.entryforms.get(user_id)


# --- alerts --------------------------------------------------------------------------------------


def alert_for(user_id: int, case_id: int, lang: str, today: dt.date, outbox_id: int = 1) -> Alert:
    """An alert for a patent's annual fee of year 5 in its grace period (BY.12: +50%), due in a
    week."""
    day = today + dt.timedelta(days=7)
    item = AlertItem(
        code="annual_5_grace",
        date=day,
        nominal=day,
        basis="BY.12, Annex BY.I",
        conditional="late_surcharge_50",
        year=5,
        amount=Decimal("183.75"),
        late_amount=Decimal("183.75"),
        days_left=7,
        lead="7",
        last_day=day,
        moment=0,
    )
    return Alert(
        outbox_id=outbox_id,
        user_id=user_id,
        chat_id=user_id,
        language=lang,
        case_id=case_id,
        ref="A-1",
        title="",
        kind=Kind.PATENT,
        items=(item,),
    )


# --- the entry form ------------------------------------------------------------------------------

# An applicant typed whole in one message: name, address, country, phone.
AQUAPUR = "ООО «Аквапур»; 220030, г. Минск, ул. Ленина, 1; BY; +375 17 123 45 67"
SKIP = {"ru": "Пропустить", "be": "Прапусціць", "en": "Skip"}
DONE = {"ru": "Готово", "be": "Гатова", "en": "Done"}
NO = {"ru": "Нет", "be": "Не", "en": "No"}


def document(replies: list[Sent]) -> tuple[str, str, str]:
    """(file name, caption, the document's text) of the one document among the replies."""
    docs = [s for s in replies if s.document]
    assert len(docs) == 1, [s.plain for s in replies]
    assert docs[0].document is not None
    name, content = docs[0].document
    return name, docs[0].plain, document_text(content)


def buttons_of(replies: list[Sent]) -> Sent:
    """The reply with buttons (not an alert that a reminder may have sent meanwhile)."""
    return [s for s in replies if s.buttons and "⏰" not in s.plain][-1]


async def no_early_start(user: Any, replies: list[Sent], lang: str = "en") -> list[Sent]:
    """The early-start question (after the correspondence address) answered "No"."""
    return await user.press(NO[lang], buttons_of(replies))


async def after_the_basis(user: Any, replies: list[Sent], lang: str = "en") -> list[Sent]:
    """No part amended on entry (Done), no attachments (Skip): the document."""
    replies = await user.press(DONE[lang], buttons_of(replies))
    return await user.press(SKIP[lang], buttons_of(replies))
