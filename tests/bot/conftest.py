"""Scripted users on the in-process Bot API stand-in (no network): `chat("ru")` is a Telegram
user who writes to the bot and reads what it answers."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import httpx
import pytest

from bot.app import BotApp, build_application, running
from bot.settings import Settings
from bot.standin import Chat, StandIn
from core.rates import RateService

# NBRB answers as recorded (rates of 2024-03-15): BYN per Cur_Scale units.
RATES = {"USD": (1, "3.2672"), "EUR": (1, "3.5656"), "CHF": (1, "3.7003"), "RUB": (100, "3.5587")}


def nbrb(request: httpx.Request) -> httpx.Response:
    currency = request.url.path.rsplit("/", 1)[-1]
    scale, rate = RATES[currency]
    day = request.url.params.get("ondate", "2024-03-15")
    body = {"Cur_Abbreviation": currency, "Cur_Scale": scale, "Cur_OfficialRate": float(rate)}
    body["Date"] = f"{day}T00:00:00"
    return httpx.Response(200, content=json.dumps(body))


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(
        _env_file=None,  # type: ignore[call-arg]
        bot_token=None,
        db=tmp_path / "pctby.sqlite3",
        console_dir=tmp_path / "console",
    )


@pytest.fixture
async def app(settings: Settings, tmp_path: Path) -> AsyncIterator[BotApp]:
    rates = RateService(
        tmp_path / "rates.json", transport=httpx.MockTransport(nbrb), today=dt.date.today()
    )
    application = build_application(settings, request=StandIn(), rates=rates)
    async with running(application):
        yield application
    await rates.aclose()


@pytest.fixture
def standin(app: BotApp) -> StandIn:
    request = app.bot._request[1]
    assert isinstance(request, StandIn)
    return request


@pytest.fixture
def chat(app: BotApp) -> Callable[..., Chat]:
    ids = iter(range(5001, 6000))

    def make(lang: str | None = "en", **kwargs: Any) -> Chat:
        return Chat(app, next(ids), language_code=lang, **kwargs)

    return make
