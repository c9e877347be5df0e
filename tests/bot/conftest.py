"""Scripted users (`tests/scripted.py`) on the offline Bot API (`bot.offline`, no network):
`chat("ru")` is a Telegram user who writes to the bot and reads what it answers; `server` is the
Bot API the `app` talks to (what the bot sent, injected faults, who is in which chat).

Every bot test runs on a frozen clock, once for each of `BOT_DAYS` — far-apart dates (a January
Monday, late November, a leap day) — so that no test passes only on the day it was written. The
reminder dispatcher does not run unless a test asks for it (`dispatching`): an alert planned on
the test's date must not arrive in the middle of a conversation."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any

import httpx
import pytest
from telegram import Update
from telegram.ext import TypeHandler

from bot.app import BotApp, build_application, running
from bot.context import FLOW_KEY, SERVICES_KEY, BotContext
from bot.offline import OfflineBotApi, Sent
from core.clock import FrozenClock
from core.flows import dump
from core.rates import RateService
from core.settings import Settings
from tests.scripted import Chat

# NBRB answers as recorded (rates of 2024-03-15): BYN per Cur_Scale units.
RATES = {"USD": (1, "3.2672"), "EUR": (1, "3.5656"), "CHF": (1, "3.7003"), "RUB": (100, "3.5587")}


def nbrb(request: httpx.Request) -> httpx.Response:
    currency = request.url.path.rsplit("/", 1)[-1]
    scale, rate = RATES[currency]
    day = request.url.params.get("ondate", "2024-03-15")
    body = {"Cur_Abbreviation": currency, "Cur_Scale": scale, "Cur_OfficialRate": float(rate)}
    body["Date"] = f"{day}T00:00:00"
    return httpx.Response(200, content=json.dumps(body))


# The dates every bot test runs on (09:00 in Minsk).
BOT_DAYS = (dt.date(2027, 1, 4), dt.date(2026, 11, 27), dt.date(2028, 2, 29))


@pytest.fixture(params=BOT_DAYS, ids=str)
def clock(request: pytest.FixtureRequest) -> FrozenClock:
    return FrozenClock(request.param)


@pytest.fixture
def dispatching() -> bool:
    """Overridden (or requested through `app_with_dispatcher`) by tests of the alerts."""
    return False


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(
        _env_file=None,  # type: ignore[call-arg]
        bot_token=None,
        db=tmp_path / "pctby.sqlite3",
        console_dir=tmp_path / "console",
    )


@pytest.fixture
def server() -> OfflineBotApi:
    """The offline Bot API the `app` talks to: what the bot sent, faults, members."""
    return OfflineBotApi()


@pytest.fixture
async def app(
    settings: Settings, tmp_path: Path, clock: FrozenClock, dispatching: bool, server: OfflineBotApi
) -> AsyncIterator[BotApp]:
    rates = RateService(tmp_path / "rates.json", transport=httpx.MockTransport(nbrb), clock=clock)
    application = build_application(
        settings, request=server, rates=rates, clock=clock, dispatch=dispatching
    )
    flows = FlowWatch(application)
    async with running(application):
        yield application
        await flows.check_all()
    await rates.aclose()
    assert flows.wrong == []


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


@pytest.fixture
def chat(app: BotApp) -> Callable[..., Chat]:
    ids = iter(range(5001, 6000))

    def make(lang: str | None = "en", **kwargs: Any) -> Chat:
        return Chat(app, next(ids), language_code=lang, **kwargs)

    return make


@pytest.fixture
def alert_arrived(server: OfflineBotApi) -> Callable[[], Awaitable[Sent]]:
    """Waits (without polling) for the next alert (⏰) the bot sends by itself; returns it."""
    arrived = asyncio.Event()

    def watch(sent: Sent) -> None:
        if "⏰" in sent.text:
            arrived.set()

    server.listeners.append(watch)

    async def wait() -> Sent:
        await asyncio.wait_for(arrived.wait(), 10)
        return [s for s in server.sent if "⏰" in s.plain][-1]

    return wait
