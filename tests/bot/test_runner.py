"""The bot's runner (bot/runner.py): a background task that dies stops the bot at once with its
reason (logged with the traceback), so that a service manager restarts it; a stop signal is a
clean stop; a Bot API outage is logged once, not a traceback per poll."""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
import sqlite3
from pathlib import Path

import httpx
import pytest

from bot import runner
from bot.app import Options, build_application
from bot.context import SERVICES_KEY, Services
from bot.offline import OfflineBotApi
from core.clock import FrozenClock
from core.settings import Settings


@pytest.fixture
def clock() -> FrozenClock:
    """One day is enough: nothing here depends on the date."""
    return FrozenClock(dt.date(2026, 11, 27))


def _settings(tmp_path: Path) -> Settings:
    return Settings(_env_file=None, db=tmp_path / "pctby.sqlite3")  # type: ignore[call-arg]


async def _started(app: object, task: asyncio.Task[str | None]) -> Services:
    for _ in range(500):
        if getattr(app, "running", False):
            services = app.bot_data.get(SERVICES_KEY)  # type: ignore[attr-defined]
            assert isinstance(services, Services)
            return services
        if task.done():
            task.result()
        await asyncio.sleep(0.01)
    raise AssertionError("the bot did not start")


async def test_a_dispatcher_that_dies_stops_the_bot_with_its_reason(
    tmp_path: Path, clock: FrozenClock, caplog: pytest.LogCaptureFixture
) -> None:
    app = build_application(
        _settings(tmp_path), Options(set_commands=False, clock=clock), request=OfflineBotApi()
    )
    task = asyncio.create_task(runner.run(app, allowed_updates=("message",), stop_signals=()))
    services = await _started(app, task)
    assert services.reminders is not None and services.dispatcher is not None

    async def damaged(*args: object, **kwargs: object) -> object:
        raise sqlite3.DatabaseError("database disk image is malformed")

    services.reminders.due = damaged  # type: ignore[method-assign]
    with caplog.at_level(logging.CRITICAL, logger="pctby.bot"):
        services.dispatcher.wake()
        reason = await asyncio.wait_for(task, 15)
    assert reason == (
        "the reminder dispatcher failed: DatabaseError: database disk image is malformed"
    )
    (record,) = [r for r in caplog.records if r.levelno == logging.CRITICAL]
    assert record.exc_info is not None  # the traceback, at once
    assert not app.running  # stopped cleanly: the services closed
    assert SERVICES_KEY not in app.bot_data


async def test_a_round_that_fails_for_a_passing_reason_does_not_stop_it(
    tmp_path: Path, clock: FrozenClock
) -> None:
    app = build_application(
        _settings(tmp_path), Options(set_commands=False, clock=clock), request=OfflineBotApi()
    )
    task = asyncio.create_task(runner.run(app, allowed_updates=("message",), stop_signals=()))
    services = await _started(app, task)
    assert services.reminders is not None and services.dispatcher is not None
    calls = 0

    async def locked(*args: object, **kwargs: object) -> object:
        nonlocal calls
        calls += 1
        raise sqlite3.OperationalError("database is locked")

    services.reminders.due = locked  # type: ignore[method-assign]
    services.dispatcher.wake()
    while calls == 0:
        await asyncio.sleep(0.01)
    await asyncio.sleep(0.1)
    assert not task.done() and services.dispatcher.running
    services.on_fatal and services.on_fatal("test over")  # the way a signal ends it, too
    assert await asyncio.wait_for(task, 15) == "test over"


async def test_a_broadcast_that_fails_stops_the_bot(tmp_path: Path, clock: FrozenClock) -> None:
    app = build_application(
        _settings(tmp_path), Options(set_commands=False, clock=clock), request=OfflineBotApi()
    )
    task = asyncio.create_task(runner.run(app, allowed_updates=("message",), stop_signals=()))
    services = await _started(app, task)
    assert services.broadcasts is not None and services.desk is not None

    async def broken(*args: object, **kwargs: object) -> object:
        raise RuntimeError("the recipients query failed")

    services.desk.recipients = broken  # type: ignore[method-assign]
    assert await services.broadcasts.start("Hello", -100)
    reason = await asyncio.wait_for(task, 15)
    assert reason is not None and reason.startswith("broadcast #1 failed: RuntimeError")


async def test_a_stop_signal_is_a_clean_stop(tmp_path: Path, clock: FrozenClock) -> None:
    import os
    import signal

    app = build_application(
        _settings(tmp_path), Options(set_commands=False, clock=clock), request=OfflineBotApi()
    )
    task = asyncio.create_task(runner.run(app, allowed_updates=("message",)))
    await _started(app, task)
    os.kill(os.getpid(), signal.SIGTERM)
    assert await asyncio.wait_for(task, 15) is None
    assert not app.running


# --- Bot API outages ------------------------------------------------------------------------


async def test_an_outage_is_logged_once_with_a_count(caplog: pytest.LogCaptureFixture) -> None:
    answers = ["down"] * 3 + ["502"] * 2 + ["ok", "ok", "down", "ok"]

    def api(request: httpx.Request) -> httpx.Response:
        answer = answers.pop(0)
        if answer == "down":
            raise httpx.ConnectError("connection refused", request=request)
        if answer == "502":
            return httpx.Response(502, text="Bad Gateway")
        return httpx.Response(200, json={"ok": True, "result": []})

    outages = runner.Outages()
    request = runner.PollingRequest(outages, httpx_kwargs={"transport": httpx.MockTransport(api)})
    await request.initialize()
    try:
        with caplog.at_level(logging.DEBUG, logger="pctby.bot"):
            for _ in range(9):
                with contextlib.suppress(Exception):  # PTB's polling loop retries
                    await request.post("https://api.telegram.org/bot1:T/getUpdates")
    finally:
        await request.shutdown()
    lines = [r for r in caplog.records if r.name == "pctby.bot" and r.levelno >= logging.WARNING]
    assert [r.getMessage().split(" (")[0].split(" after")[0] for r in lines] == [
        "the Telegram Bot API cannot be reached",
        "the Telegram Bot API is reachable again",
        "the Telegram Bot API cannot be reached",
        "the Telegram Bot API is reachable again",
    ]
    assert "(5 failed poll(s))" in lines[1].getMessage()
    assert "(1 failed poll(s))" in lines[3].getMessage()
    assert all(r.exc_info is None for r in lines)  # no traceback
    assert outages.outages == 2
