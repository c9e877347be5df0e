"""The outbound budget (core/ratelimit.py): fair between chats, a per-chat token bucket,
replies before alerts without starving them, and a rate that comes down after a 429 and goes
back up slowly. Every test runs on a frozen clock that only the limiter's sleeps move: what is
checked is the order of the slots and the clock's time at each, never the wall clock."""

from __future__ import annotations

import asyncio
import datetime as dt
import itertools

import pytest

from core.clock import FrozenClock
from core.ratelimit import HIGH, LOW, PER_SECOND, RateLimiter

START = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


@pytest.fixture
def clock() -> FrozenClock:
    return FrozenClock(START)


class Trace:
    """Takes slots for chats and writes down who got each, at which time of the clock."""

    def __init__(self, limiter: RateLimiter, clock: FrozenClock) -> None:
        self.limiter = limiter
        self.clock = clock
        self.slots: list[tuple[int, float]] = []  # (chat, seconds since START)

    async def send(self, chat: int, priority: int = HIGH) -> float:
        await self.limiter.acquire(chat, priority)
        at = (self.clock.now() - START).total_seconds()
        self.slots.append((chat, at))
        return at

    async def flood(self, chat: int, times: int, priority: int = HIGH) -> None:
        """A user who asks again the moment they are answered."""
        for _ in range(times):
            await self.send(chat, priority)

    def of(self, chat: int) -> list[float]:
        return [at for c, at in self.slots if c == chat]


def at_most_per_second(times: list[float], n: int) -> bool:
    return all(sum(1 for u in times[i:] if u < t + 1.0) <= n for i, t in enumerate(times))


async def test_a_chat_gets_a_burst_of_three_then_one_a_second(clock: FrozenClock) -> None:
    trace = Trace(RateLimiter(clock), clock)
    await trace.flood(7, 6)
    times = trace.of(7)
    assert times[2] < 0.1  # a reply of three messages goes out at once
    # then a token a second: the fourth a second after the first, and so on
    assert [round(b - a, 2) for a, b in itertools.pairwise([times[0], *times[3:]])] == [1.0] * 3
    clock.advance(3.0)  # idle: the bucket fills again
    before = clock.monotonic()
    for _ in range(3):
        await trace.send(7)
    assert clock.monotonic() - before < 0.1


async def test_a_group_gets_one_message_every_three_seconds(clock: FrozenClock) -> None:
    trace = Trace(RateLimiter(clock), clock)
    await trace.flood(-100123, 4)
    times = trace.of(-100123)
    assert all(b - a >= 3.0 for a, b in itertools.pairwise(times))  # 20 a minute, no burst


async def test_29_a_second_in_all_whoever_waits(clock: FrozenClock) -> None:
    trace = Trace(RateLimiter(clock), clock)
    await asyncio.gather(*(trace.flood(chat, 8) for chat in range(1, 61)))
    times = sorted(at for _c, at in trace.slots)
    assert len(times) == 480
    assert PER_SECOND == 29 and at_most_per_second(times, 29)  # Telegram: 30
    assert times[-1] - times[0] < 480 / 29 * 1.03  # and the budget is used, not wasted
    for chat in range(1, 61):
        mine = trace.of(chat)
        assert all(b - a >= 1.0 for a, b in itertools.pairwise(mine[2:]))


async def test_the_next_slot_goes_to_the_chat_served_least_recently(clock: FrozenClock) -> None:
    """Forty users flood; a person asks one question among them: their answer takes the next
    free slot, not the place behind forty waiting flooders (first come, first served)."""
    limiter = RateLimiter(clock)
    trace = Trace(limiter, clock)
    flooders = [asyncio.create_task(trace.flood(chat, 20)) for chat in range(1, 41)]
    while len(trace.slots) < 200:  # the flood is in full swing: every flooder waits
        await asyncio.sleep(0)
    asked = len(trace.slots)
    await trace.send(999)
    assert len(trace.slots) - asked <= 2  # at most the slot already being handed out before it
    # and the flooders took turns: each got its share, nobody was left behind
    counts = [len(trace.of(chat)) for chat in range(1, 41)]
    assert max(counts) - min(counts) <= 1
    await asyncio.gather(*flooders)
    assert all(len(trace.of(chat)) == 20 for chat in range(1, 41))


async def test_a_chats_own_messages_keep_their_order(clock: FrozenClock) -> None:
    limiter = RateLimiter(clock)
    order: list[str] = []

    async def send(chat: int, name: str) -> None:
        await limiter.acquire(chat)
        order.append(name)

    await asyncio.gather(*(send(5, f"m{n}") for n in range(6)), send(6, "other"))
    assert [name for name in order if name != "other"] == [f"m{n}" for n in range(6)]


async def test_replies_go_before_alerts_and_alerts_still_get_a_fifth(clock: FrozenClock) -> None:
    limiter = RateLimiter(clock)
    trace = Trace(limiter, clock)
    replies = [asyncio.create_task(trace.flood(chat, 10)) for chat in range(1, 51)]
    alerts = asyncio.create_task(trace.flood(10_000, 1, LOW))
    await asyncio.sleep(0)
    # the alert chat waits among fifty busy reply chats: every fifth slot is low
    more_alerts = [asyncio.create_task(trace.flood(chat, 4, LOW)) for chat in range(10_001, 10_021)]
    await asyncio.gather(*replies)
    during = trace.slots[: len(trace.slots)]
    low_chats = {10_000, *range(10_001, 10_021)}
    low_share = sum(1 for chat, _at in during[:400] if chat in low_chats) / 400
    assert 0.15 <= low_share <= 0.25  # not starved, not ahead of the replies
    await asyncio.gather(alerts, *more_alerts)
    assert len([c for c, _at in trace.slots if c in low_chats]) == 81


async def test_a_reply_and_an_alert_waiting_together_the_reply_goes_first(
    clock: FrozenClock,
) -> None:
    limiter = RateLimiter(clock)
    order: list[str] = []
    await limiter.acquire(1)  # the next slot is 1/29 s away: both will wait for it

    async def take(chat: int, priority: int, name: str) -> None:
        await limiter.acquire(chat, priority)
        order.append(name)

    await asyncio.gather(take(2, LOW, "alert"), take(3, HIGH, "reply"))
    assert order == ["reply", "alert"]


async def test_a_429_pauses_everything_lowers_the_rate_and_it_recovers_slowly(
    clock: FrozenClock,
) -> None:
    limiter = RateLimiter(clock)
    trace = Trace(limiter, clock)
    await trace.send(1)
    limiter.flood(4.0)
    limiter.flood(4.0)  # another request in flight reports the same flood: counted once
    assert limiter.floods == 1 and limiter.rate == pytest.approx(29 * 0.75)
    after = await trace.send(2)
    assert after >= 4.0
    await asyncio.gather(*(trace.flood(chat, 3) for chat in range(10, 60)))
    slow = sorted(at for chat, at in trace.slots if chat >= 10)
    assert at_most_per_second(slow[:60], 22)  # 21.75 a second right after the flood
    clock.advance(60.0)  # a quiet minute: one a second more for each 5 s, back to 29
    await trace.send(3)
    assert limiter.rate == 29


async def test_a_waiter_that_gives_up_frees_its_place(clock: FrozenClock) -> None:
    limiter = RateLimiter(clock)
    await limiter.acquire(1)
    await limiter.acquire(1)
    await limiter.acquire(1)  # chat 1's burst is spent: its next slot is a second away
    gone = asyncio.create_task(limiter.acquire(1))
    await asyncio.sleep(0)
    gone.cancel()
    with pytest.raises(asyncio.CancelledError):
        await gone
    before = clock.monotonic()
    await limiter.acquire(2)  # not held up by the one who left
    assert clock.monotonic() - before < 0.1


async def test_busy_chats_and_when_they_are_ready(clock: FrozenClock) -> None:
    limiter = RateLimiter(clock)
    for _ in range(3):
        await limiter.acquire(4)
    await limiter.acquire(5)
    assert limiter.busy_chats() == [4]
    assert 0.8 < limiter.chat_ready_in(4) <= 1.0 and limiter.chat_ready_in(5) == 0


async def test_closed_at_shutdown_whoever_waits_is_cancelled(clock: FrozenClock) -> None:
    limiter = RateLimiter(clock, sleep=lambda _s: asyncio.Event().wait())  # time never comes
    await limiter.acquire(1)
    waiting = asyncio.create_task(limiter.acquire(2))
    await asyncio.sleep(0)
    await asyncio.sleep(0)
    await limiter.close()
    with pytest.raises(asyncio.CancelledError):
        await waiting
    assert limiter._pump is None
