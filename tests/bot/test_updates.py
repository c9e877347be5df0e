"""The update processor: each user's updates in order, users concurrently, bounds."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import pytest
from telegram import Update

from bot.app import BotApp
from bot.offline import OfflineBotApi
from bot.updates import UserLanes
from tests.scripted import Chat


def update_of(app: BotApp, user: int, text: str = "hi") -> Update:
    return Update.de_json(Chat(app, user, language_code="en").message_update(text), app.bot)


async def feed(processor: UserLanes, update: Update, coroutine: Any) -> asyncio.Task[None]:
    """As PTB's update fetcher does: a task per update, in arrival order."""
    task = asyncio.create_task(processor.process_update(update, coroutine))
    await asyncio.sleep(0)
    return task


async def test_one_users_updates_run_in_order_others_overtake_a_slow_one(app: BotApp) -> None:
    processor = UserLanes(max_running=8, per_user=10)
    log: list[str] = []
    slow = asyncio.Event()

    async def handle(name: str, gate: asyncio.Event | None = None) -> None:
        log.append(f"start {name}")
        if gate is not None:
            await gate.wait()
        await asyncio.sleep(0)
        log.append(f"end {name}")

    tasks = [await feed(processor, update_of(app, 1), handle("a1", slow))]
    tasks += [await feed(processor, update_of(app, 1), handle(f"a{i}")) for i in (2, 3)]
    tasks += [await feed(processor, update_of(app, 2), handle(f"b{i}")) for i in (1, 2)]
    others = asyncio.gather(*tasks[3:])
    await asyncio.wait_for(others, 5)  # user 2 is done while user 1's first update hangs
    assert log == ["start a1", "start b1", "end b1", "start b2", "end b2"]
    slow.set()
    await asyncio.gather(*tasks)
    mine = [entry for entry in log if "a" in entry.split()[1]]
    assert mine == ["start a1", "end a1", "start a2", "end a2", "start a3", "end a3"]
    assert processor.lanes == 0


async def test_a_flood_is_bounded_and_told_once(app: BotApp) -> None:
    told: list[int] = []

    async def overflow(update: Update) -> None:
        assert update.effective_user is not None
        told.append(update.effective_user.id)

    processor = UserLanes(max_running=4, per_user=3, on_overflow=overflow)
    gate = asyncio.Event()
    ran: list[int] = []

    async def handle(n: int) -> None:
        await gate.wait()
        ran.append(n)

    tasks = [await feed(processor, update_of(app, 7), handle(n)) for n in range(10)]
    other = await feed(processor, update_of(app, 8), handle(100))
    assert processor.dropped == 7
    gate.set()
    await asyncio.gather(*tasks, other)
    await processor.shutdown()
    assert sorted(ran) == [0, 1, 2, 100]
    assert ran.index(0) < ran.index(1) < ran.index(2)
    assert told == [7]  # one notice for the whole burst


async def test_the_global_cap_holds_and_a_flooder_takes_one_place(app: BotApp) -> None:
    processor = UserLanes(max_running=2, per_user=50)
    gate = asyncio.Event()
    running = 0
    peak = 0
    order: list[int] = []

    async def handle(user: int) -> None:
        nonlocal running, peak
        running += 1
        peak = max(peak, running)
        await gate.wait()
        order.append(user)
        running -= 1

    tasks = [await feed(processor, update_of(app, 1), handle(1)) for _ in range(20)]
    tasks += [await feed(processor, update_of(app, u), handle(u)) for u in (2, 3)]
    assert running == 2  # user 1's first and user 2's: user 1's other 19 wait in their lane
    gate.set()
    await asyncio.gather(*tasks)
    assert peak == 2
    assert order.index(3) < 5  # user 3 was not queued behind user 1's twenty


async def test_the_bot_answers_through_the_update_queue(app: BotApp, server: OfflineBotApi) -> None:
    """Polling's path: updates put on the queue are handled by the processor, per user."""
    assert isinstance(app.update_processor, UserLanes)
    await app.start()
    try:
        for user in (11, 12):
            for text in ("/help", "/language ru", "/help"):
                await app.update_queue.put(update_of(app, user, text))
        await asyncio.wait_for(app.update_queue.join(), 10)  # each is done when marked
    finally:
        await app.stop()
    for user in (11, 12):
        texts = [s.plain for s in server.sent if s.chat_id == user]
        assert len(texts) == 3
        assert texts[0] != texts[2]  # the second /help came after the switch to Russian


async def test_one_log_line_per_update_without_the_text(
    app: BotApp, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="pctby.updates")
    await app.start()
    try:
        await app.update_queue.put(update_of(app, 21, "/help"))
        await app.update_queue.put(update_of(app, 21, "my secret question about fees"))
        await asyncio.wait_for(app.update_queue.join(), 10)
    finally:
        await app.stop()
    lines = [r.getMessage() for r in caplog.records if r.name == "pctby.updates"]
    assert len(lines) == 2, lines
    assert lines[0].startswith("update user=21 kind=command handler=common.help_command ms=")
    assert lines[1].startswith("update user=21 kind=text handler=")
    assert not any("secret" in line for line in lines)
