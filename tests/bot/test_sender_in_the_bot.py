"""The production sender inside the bot: `build_application(limits=True)` — the limiter real
Telegram gets — on the offline Bot API and the bot's own frozen clock. The limiter's sleeps
move that clock, so what is checked is the clock's time of each answer, never the wall clock."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from bot.app import BotApp, Options, build_application, running
from bot.offline import OfflineBotApi, Sent
from bot.sender import Sender
from core.clock import FrozenClock
from core.rates import RateService
from core.settings import Settings
from tests.bot.helpers import nbrb
from tests.scripted import Chat

DAY = dt.date(2027, 1, 4)


@pytest.fixture
def clock() -> FrozenClock:
    return FrozenClock(DAY)


@pytest.fixture
async def limited(
    settings: Settings, tmp_path: Path, clock: FrozenClock, server: OfflineBotApi
) -> AsyncIterator[BotApp]:
    rates = RateService(tmp_path / "rates.json", transport=httpx.MockTransport(nbrb), clock=clock)
    app = build_application(
        settings, Options(rates=rates, clock=clock, dispatch=False), request=server, limits=True
    )
    async with running(app):
        yield app
    await rates.aclose()


async def test_the_bots_sender_paces_a_chat_on_the_bots_clock_and_honours_a_429(
    limited: BotApp, server: OfflineBotApi, clock: FrozenClock
) -> None:
    sender = limited.bot.rate_limiter
    assert isinstance(sender, Sender) and sender.clock is clock
    start = clock.monotonic()
    at: list[float] = []

    def stamp(sent: Sent) -> None:
        if sent.chat_id == 7001:
            at.append(clock.monotonic() - start)

    server.listeners.append(stamp)
    user = Chat(limited, 7001)
    for _ in range(5):  # a user who asks again the moment they are answered
        assert await user.send("/help")
    assert len(at) == 5
    assert at[2] < 0.2  # a burst of three goes out at once
    assert at[3] >= 1.0 and at[4] - at[3] >= 1.0  # then one a second
    other = Chat(limited, 7002)
    before = clock.monotonic()
    assert await other.send("/help")  # another chat is not held up by the first one's pace
    assert clock.monotonic() - before < 0.2

    server.fail("sendMessage", "429", retry_after=4, chat_id=7002)
    before = clock.monotonic()
    answer = await other.send("/help")
    assert answer and answer[0].method == "sendMessage"  # tried again, delivered
    assert clock.monotonic() - before >= 4  # after the pause Telegram asked for
    assert sender.flood_waits == 1 and sender.limiter.floods == 1
    assert [r for r in server.refused if "Too Many Requests" in r[2]]
