"""The case desk under test: its ASGI app on a fresh database, called in-process through
httpx's ASGI transport (no socket), signed in as Telegram signs launch data.

`desk_client(user)` is the client of one Telegram user: every call carries launch data
signed with `TOKEN` for that user at the clock's time (`Authorization: tma <initData>`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator, Callable
from pathlib import Path

import httpx
import pytest

from core.clock import FrozenClock
from core.reminders import Reminders
from core.storage import Store
from tests.web.helpers import TOKEN
from web import create_app
from web.auth import launch_data

# 12 January 2026, 09:00 in Minsk
NOW = dt.datetime(2026, 1, 12, 6, 0, tzinfo=dt.UTC)


@pytest.fixture
def clock() -> FrozenClock:
    return FrozenClock(NOW)


@pytest.fixture
async def reminders(tmp_path: Path, clock: FrozenClock) -> AsyncIterator[Reminders]:
    store = await Store.open(tmp_path / "desk.sqlite3", clock=clock)
    yield Reminders(store)
    await store.close()


@pytest.fixture
def signed(clock: FrozenClock) -> Callable[..., str]:
    def sign(user: int, **extra: str) -> str:
        return launch_data(user, TOKEN, clock.now(), **extra)

    return sign


@pytest.fixture
async def desk_client(
    reminders: Reminders, clock: FrozenClock, signed: Callable[..., str]
) -> AsyncIterator[Callable[..., httpx.AsyncClient]]:
    app = create_app(reminders, clock, bot_token=TOKEN)
    clients: list[httpx.AsyncClient] = []

    def make(user: int | None, lang: str = "en", init_data: str | None = None) -> httpx.AsyncClient:
        headers = {}
        data = (
            init_data
            if init_data is not None
            else (signed(user, language_code=lang) if user is not None else None)
        )
        if data is not None:
            headers["Authorization"] = f"tma {data}"
        client = httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="http://desk.test", headers=headers
        )
        clients.append(client)
        return client

    yield make
    for client in clients:
        await client.aclose()
