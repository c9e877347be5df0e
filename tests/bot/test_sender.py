"""The one outbound sender: 25 messages a second in all, one a second per chat, 429 honoured,
and the one mapping of Telegram's errors."""

from __future__ import annotations

import itertools
from typing import Any

import pytest
from telegram import error as tg

from bot.sender import COUNTED, Sender, map_error
from core.reminders import Blocked, RetryAfter, TransientError
from core.reminders.dispatcher import RateLimiter


class Time:
    """Monotonic time that only a sleep moves."""

    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.now += max(seconds, 0.0)


def sender(time: Time, **kw: Any) -> Sender:
    limiter = RateLimiter(None, time.sleep, per_second=25, per_chat_interval=1.0, now=time)
    return Sender(limiter, **kw)


async def test_25_a_second_in_all_and_one_a_second_per_chat() -> None:
    time = Time()
    s = sender(time)
    sent: list[tuple[float, int]] = []

    async def call(chat: int) -> bool:
        sent.append((time.now, chat))
        return True

    for n in range(200):
        chat = n % 60
        await s.process_request(call, (chat,), {}, "sendMessage", {"chat_id": chat}, None)
    await s.process_request(call, (0,), {}, "answerCallbackQuery", {}, None)  # not counted
    times = [at for at, _chat in sent[:-1]]
    for i, at in enumerate(times):
        assert sum(1 for other in times[i:] if other < at + 1.0) <= 25
    by_chat: dict[int, list[float]] = {}
    for at, chat in sent[:-1]:
        by_chat.setdefault(chat, []).append(at)
    for ats in by_chat.values():
        assert all(b - a >= 1.0 for a, b in itertools.pairwise(ats))
    assert s.sent == 200


async def test_a_429_pauses_everything_and_the_call_is_tried_again() -> None:
    time = Time()
    s = sender(time)
    tries: list[float] = []

    async def flood_once(chat: int) -> bool:
        tries.append(time.now)
        if len(tries) == 1:
            raise tg.RetryAfter(3)
        return True

    assert await s.process_request(flood_once, (1,), {}, "sendMessage", {"chat_id": 1}, None)
    assert tries[1] >= tries[0] + 3
    start = time.now

    async def ok(chat: int) -> bool:
        return True

    await s.process_request(ok, (2,), {}, "sendMessage", {"chat_id": 2}, None)
    assert time.now >= start  # another chat waited out the pause as well
    assert s.flood_waits == 1


async def test_the_dispatchers_alerts_are_not_counted_twice_nor_retried() -> None:
    time = Time()
    s = sender(time)

    async def flood(chat: int) -> bool:
        raise tg.RetryAfter(5)

    await s.limiter.acquire(7)  # the dispatcher took the slot
    before = time.now
    with pytest.raises(tg.RetryAfter):
        await s.process_request(flood, (7,), {}, "sendMessage", {"chat_id": 7}, COUNTED)
    assert time.now == before  # no wait for the chat's own slot, no retry


def test_one_mapping_of_telegram_errors() -> None:
    mapped = map_error(tg.RetryAfter(4))
    assert isinstance(mapped, RetryAfter) and mapped.seconds == 4
    assert isinstance(map_error(tg.Forbidden("blocked by the user")), Blocked)
    assert isinstance(map_error(tg.BadRequest("Chat not found")), Blocked)
    assert map_error(tg.BadRequest("can't parse entities")) is None
    assert isinstance(map_error(tg.TimedOut()), TransientError)
    assert isinstance(map_error(tg.NetworkError("reset")), TransientError)
