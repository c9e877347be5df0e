"""The one outbound sender: 29 messages a second in all, a burst then one a second per chat,
429 honoured, and the one mapping of Telegram's errors. On a frozen clock that only the
limiter's sleeps move (core/clock.py); the limiter itself is tested in
tests/core/test_ratelimit.py, the production sender inside the bot in test_sender_in_the_bot."""

from __future__ import annotations

import asyncio
import datetime as dt
import itertools
from typing import Any

import pytest
from telegram import error as tg

from bot.sender import COUNTED, LOW_PRIORITY, PER_SECOND, Sender, map_error
from core.clock import FrozenClock
from core.reminders import Blocked, RetryAfter, TransientError

START = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


@pytest.fixture
def clock() -> FrozenClock:
    return FrozenClock(START)


def seconds(clock: FrozenClock) -> float:
    return (clock.now() - START).total_seconds()


async def test_29_a_second_in_all_and_a_burst_then_one_a_second_per_chat(
    clock: FrozenClock,
) -> None:
    s = Sender(clock)
    sent: list[tuple[float, int]] = []

    async def call(chat: int) -> bool:
        sent.append((seconds(clock), chat))
        return True

    for n in range(200):
        chat = n % 60
        await s.process_request(call, (chat,), {}, "sendMessage", {"chat_id": chat}, None)
    before = clock.now()
    await s.process_request(call, (0,), {}, "answerCallbackQuery", {}, None)  # not counted
    assert clock.now() == before
    times = [at for at, _chat in sent[:-1]]
    for i, at in enumerate(times):
        assert sum(1 for other in times[i:] if other < at + 1.0) <= PER_SECOND == 29
    by_chat: dict[int, list[float]] = {}
    for at, chat in sent[:-1]:
        by_chat.setdefault(chat, []).append(at)
    for ats in by_chat.values():  # at most three within any second, then one a second
        assert all(c - a >= 1.0 for a, c in zip(ats, ats[3:], strict=False))
        assert all(b - a >= 1.0 for a, b in itertools.pairwise(ats[3:]))
    assert s.sent == 200


async def test_a_429_pauses_everything_and_the_call_is_tried_again(clock: FrozenClock) -> None:
    s = Sender(clock)
    tries: list[float] = []
    others: list[float] = []

    async def other(chat: int) -> bool:
        others.append(seconds(clock))
        return True

    async def flood_once(chat: int) -> bool:
        tries.append(seconds(clock))
        if len(tries) == 1:
            # meanwhile another chat's reply is on its way to the limiter
            pending.append(
                asyncio.create_task(
                    s.process_request(other, (2,), {}, "sendMessage", {"chat_id": 2}, None)
                )
            )
            await asyncio.sleep(0)
            raise tg.RetryAfter(3)
        return True

    pending: list[asyncio.Task[Any]] = []
    assert await s.process_request(flood_once, (1,), {}, "sendMessage", {"chat_id": 1}, None)
    await asyncio.gather(*pending)
    assert tries[1] >= tries[0] + 3
    assert others and others[0] >= tries[0] + 3  # the other chat waited out the pause as well
    assert s.flood_waits == 1 and s.limiter.floods == 1
    assert s.limiter.rate < PER_SECOND  # and the rate came down for a while


async def test_a_broadcast_waits_for_the_replies(clock: FrozenClock) -> None:
    s = Sender(clock)
    order: list[str] = []

    async def call(name: str) -> bool:
        order.append(name)
        return True

    await s.process_request(call, ("first",), {}, "sendMessage", {"chat_id": 1}, None)
    await asyncio.gather(
        s.process_request(call, ("broadcast",), {}, "sendMessage", {"chat_id": 2}, LOW_PRIORITY),
        s.process_request(call, ("reply",), {}, "sendMessage", {"chat_id": 3}, None),
    )
    assert order == ["first", "reply", "broadcast"]


async def test_the_dispatchers_alerts_are_not_counted_twice_nor_retried(
    clock: FrozenClock,
) -> None:
    s = Sender(clock)
    calls: list[float] = []

    async def flood(chat: int) -> bool:
        calls.append(seconds(clock))
        raise tg.RetryAfter(5)

    for _ in range(3):
        await s.limiter.acquire(7)  # the dispatcher took the slots (the chat's whole burst)
    before = clock.now()
    with pytest.raises(tg.RetryAfter):
        await s.process_request(flood, (7,), {}, "sendMessage", {"chat_id": 7}, COUNTED)
    assert clock.now() == before and len(calls) == 1  # no wait for the chat's slot, no retry


def test_one_mapping_of_telegram_errors() -> None:
    mapped = map_error(tg.RetryAfter(4))
    assert isinstance(mapped, RetryAfter) and mapped.seconds == 4
    assert isinstance(map_error(tg.Forbidden("blocked by the user")), Blocked)
    assert isinstance(map_error(tg.BadRequest("Chat not found")), Blocked)
    assert map_error(tg.BadRequest("can't parse entities")) is None
    assert isinstance(map_error(tg.TimedOut()), TransientError)
    assert isinstance(map_error(tg.NetworkError("reset")), TransientError)
