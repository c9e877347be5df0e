"""Scripted users (`tests/scripted.py`) on the offline Bot API (`bot.offline`, no network):
`chat("ru")` is a Telegram user who writes to the bot and reads what it answers; `server` is the
Bot API the `app` talks to (what the bot sent, injected faults, who is in which chat).

Every bot test runs on a frozen clock: on the first of `BOT_DAYS`, and — a test marked `dated`
(its answers change with the day: deadlines, alerts, the calendar, the rates and schedules of
the payment date) — once on each of them, far-apart days (a January Monday, late November, a
leap day), so that no such test passes only on the day it was written. The reminder dispatcher
does not run unless a test asks for it (`dispatching`): an alert planned on the test's date
must not arrive in the middle of a conversation. The helpers the tests share are in
`helpers.py`."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any

import httpx
import pytest

from bot.app import BotApp, Options, build_application, running
from bot.offline import OfflineBotApi, Sent
from core.clock import FrozenClock
from core.rates import RateService
from core.settings import Settings
from tests.bot.helpers import BOT_DAYS, FlowWatch, nbrb
from tests.scripted import Chat


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """A `dated` test runs once on each of `BOT_DAYS`."""
    if "clock" in metafunc.fixturenames and metafunc.definition.get_closest_marker("dated"):
        metafunc.parametrize("clock", BOT_DAYS, indirect=True, ids=str)


@pytest.fixture
def clock(request: pytest.FixtureRequest) -> FrozenClock:
    """09:00 in Minsk on the test's day: the first of `BOT_DAYS`, or each in turn (`dated`)."""
    return FrozenClock(getattr(request, "param", BOT_DAYS[0]))


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
        settings, Options(rates=rates, clock=clock, dispatch=dispatching), request=server
    )
    flows = FlowWatch(application)
    async with running(application):
        yield application
        await flows.check_all()
    await rates.aclose()
    assert flows.wrong == []


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
