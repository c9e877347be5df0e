"""A quote while the NBRB API hangs: answered within the budget, with the last known rate."""

from __future__ import annotations

import asyncio
from pathlib import Path

import httpx

from bot.app import Options, build_application, running
from bot.offline import OfflineBotApi
from core.clock import FrozenClock
from core.rates import RateService
from core.settings import Settings
from tests.scripted import Chat, text_of


async def hang(request: httpx.Request) -> httpx.Response:
    await asyncio.Event().wait()
    raise AssertionError("never")


async def test_fees_answers_while_the_rates_api_hangs(
    settings: Settings, tmp_path: Path, clock: FrozenClock
) -> None:
    rates = RateService(tmp_path / "r.json", transport=httpx.MockTransport(hang), clock=clock)
    app = build_application(
        settings, Options(rates=rates, clock=clock, dispatch=False), request=OfflineBotApi()
    )
    async with running(app):
        user = Chat(app, 42, language_code="en")
        first = text_of(await asyncio.wait_for(user.send("/fees patent 1 5"), 5))
        again = text_of(await asyncio.wait_for(user.send("/fees patent 1 5"), 5))
    await rates.aclose()
    for answer in (first, again):
        assert "Total" in answer or "BYN" in answer
        assert "Currency equivalents are not available right now." in answer
    # one request, hanging; the other currencies wait behind it; the second quote asked nothing
    assert rates.requests == 1
