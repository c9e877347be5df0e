"""A self-hosted Bot API (PCTBY_BOT_API_URL): the files users send are downloaded from it, under
its own `…/file/bot<token>/`, not from api.telegram.org — the offline Bot API serves them only
there, as a real self-hosted server does."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.app import BotApp, Options, build_application, running
from bot.context import SERVICES_KEY
from bot.offline import OfflineBotApi
from core.clock import FrozenClock
from core.settings import Settings
from tests.scripted import Chat, text_of

API = "http://botapi.internal:8081/bot"
HEADER = (
    "telegram_user_id,ref,kind,priority_date,filing_date,entry_date,grant_decision_date,title\n"
)


@pytest.fixture
def clock() -> FrozenClock:
    """One day is enough: nothing here depends on the date."""
    return FrozenClock(dt.date(2026, 11, 27))


def test_the_file_url_is_the_api_servers() -> None:
    def url(api: str) -> str:
        return Settings(_env_file=None, bot_api_url=api).file_url  # type: ignore[call-arg]

    assert url("https://api.telegram.org/bot") == "https://api.telegram.org/file/bot"
    assert url(API) == "http://botapi.internal:8081/file/bot"
    assert url("https://example.org/tg/bot") == "https://example.org/tg/file/bot"


@pytest.fixture
async def bot(tmp_path: Path, clock: FrozenClock) -> AsyncIterator[tuple[BotApp, OfflineBotApi]]:
    settings = Settings(
        _env_file=None,  # type: ignore[call-arg]
        db=tmp_path / "pctby.sqlite3",
        bot_api_url=API,
    )
    server = OfflineBotApi(api_url=API)
    app = build_application(
        settings, Options(set_commands=False, clock=clock, dispatch=False), request=server
    )
    async with running(app):
        yield app, server


async def test_an_import_is_downloaded_from_the_self_hosted_server(
    bot: tuple[BotApp, OfflineBotApi],
) -> None:
    app, _server = bot
    user = Chat(app, 5001, language_code="en")
    content = (HEADER + ",A-1,patent,2024-03-15,2025-03-10,,,Title\n").encode()
    text = text_of(await user.upload("cases.csv", content, caption="/import"))
    assert "Sorry" not in text, text
    store = app.bot_data[SERVICES_KEY].store
    async with store.transaction() as tx:
        case = await tx.cases.by_ref(5001, "A-1")
    assert case is not None  # read from the file the self-hosted server served


async def test_the_offline_server_serves_files_only_under_its_own_url(tmp_path: Path) -> None:
    """The stand-in refuses a download from another host (what the bot did before it took
    the file URL from PCTBY_BOT_API_URL)."""
    server = OfflineBotApi(api_url=API)
    file_id = server.store_file("a.csv", b"x")
    ok = await server.do_request(f"http://botapi.internal:8081/file/bot1:T/{file_id}", "GET")
    assert ok == (200, b"x")
    wrong, _ = await server.do_request(f"https://api.telegram.org/file/bot1:T/{file_id}", "GET")
    assert wrong == 404
