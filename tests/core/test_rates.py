"""NBRB exchange rates: recorded responses, cache, offline fallback (docs/RULES.md §3)."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
from decimal import Decimal
from pathlib import Path

import httpx
import pytest

from core.clock import FrozenClock
from core.rates import RateService, RateUnavailableError

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "nbrb"
DAY = dt.date(2026, 11, 20)


class Recorded:
    """Serves the recorded NBRB responses; counts the requests; can go offline."""

    def __init__(self) -> None:
        self.calls: list[httpx.URL] = []
        self.offline = False

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.calls.append(request.url)
        if self.offline:
            raise httpx.ConnectError("offline", request=request)
        currency = request.url.path.rsplit("/", 1)[-1]
        path = FIXTURES / f"{currency}-{request.url.params['ondate']}.json"
        if request.url.params.get("parammode") != "2" or not path.exists():
            return httpx.Response(404, json={"error": "not found"})
        return httpx.Response(200, json=json.loads(path.read_text(encoding="utf-8")))


@pytest.fixture
def api() -> Recorded:
    return Recorded()


def service(api: Recorded, tmp_path: Path) -> RateService:
    return RateService(
        tmp_path / "rates.json", transport=httpx.MockTransport(api), clock=FrozenClock(DAY)
    )


async def test_rate_and_equivalents(api: Recorded, tmp_path: Path) -> None:
    async with service(api, tmp_path) as rates:
        usd = await rates.rate("usd", DAY)
        assert usd.official_rate == Decimal("2.9523") and usd.scale == 1 and not usd.offline
        eq = {e.currency: e for e in await rates.equivalents(Decimal("539.00"), DAY)}
    assert eq["USD"].amount == Decimal("182.57")  # 539 / 2.9523
    assert eq["RUB"].amount == Decimal("14679.45")  # 539 × 100 / 3.6718 (per 100 RUB)
    assert set(eq) == {"USD", "EUR", "CHF", "RUB"}
    assert "/exrates/rates/USD" in str(api.calls[0])


async def test_cached_rate_needs_no_request(api: Recorded, tmp_path: Path) -> None:
    async with service(api, tmp_path) as rates:
        await rates.rate("EUR", DAY)
    async with service(api, tmp_path) as rates:
        await rates.rate("EUR", DAY)
    assert len(api.calls) == 1


async def test_offline_gives_the_last_known_rate_with_its_date(
    api: Recorded, tmp_path: Path
) -> None:
    async with service(api, tmp_path) as rates:
        await rates.rate("USD", DAY)
    api.offline = True
    async with service(api, tmp_path) as rates:
        later = await rates.rate("USD", DAY + dt.timedelta(days=1))
        assert later.offline and later.date == DAY
        with pytest.raises(RateUnavailableError):
            await rates.rate("CHF", DAY)
        assert await rates.equivalents(Decimal("100"), DAY, ("CHF",)) == []


async def test_future_payment_date_uses_the_latest_published_rate(
    api: Recorded, tmp_path: Path
) -> None:
    async with RateService(
        tmp_path / "r.json",
        transport=httpx.MockTransport(api),
        clock=FrozenClock(DAY - dt.timedelta(days=1)),
    ) as rates:
        rate = await rates.rate("USD", dt.date(2027, 5, 1))
    assert rate.date == DAY  # the NBRB publishes up to the next day


class Hanging:
    """An API that accepts the connection and never answers (until released)."""

    def __init__(self) -> None:
        self.calls = 0
        self.release = asyncio.Event()

    async def __call__(self, request: httpx.Request) -> httpx.Response:
        self.calls += 1
        await self.release.wait()
        raise httpx.ConnectError("gone", request=request)


class Ticks:
    """A monotonic clock moved by hand."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


async def seed(api: Recorded, path: Path) -> None:
    async with RateService(path, transport=httpx.MockTransport(api), clock=FrozenClock(DAY)) as r:
        await r.equivalents(Decimal("1"), DAY)


async def test_a_hanging_api_costs_one_quote_its_budget_and_the_rest_nothing(
    api: Recorded, tmp_path: Path
) -> None:
    await seed(api, tmp_path / "r.json")
    hanging, ticks = Hanging(), Ticks()
    later = DAY + dt.timedelta(days=3)
    async with RateService(
        tmp_path / "r.json",
        transport=httpx.MockTransport(hanging),
        clock=FrozenClock(later),
        monotonic=ticks,
        timeout=0.5,  # the request's own time-out (5 s in the bot)
    ) as rates:
        first = await asyncio.wait_for(rates.equivalents(Decimal("100"), later, budget=0.01), 5)
        assert {e.currency for e in first} == {"USD", "EUR", "CHF", "RUB"}
        assert all(e.rate.offline and e.rate.date == DAY for e in first)
        # one request per currency, shared by every quote — and one at a time: the other
        # three wait behind the first
        assert hanging.calls == 1
        for _ in range(50):  # the first of these waits for the request to time out
            again = await asyncio.wait_for(rates.equivalents(Decimal("100"), later, budget=9), 5)
            assert [e.rate.date for e in again] == [DAY] * 4
        # it failed: the API counts as down, the three queued were never sent, nobody asked again
        assert hanging.calls == 1
        ticks.now += 301  # the failure is forgotten after FAILURE_TTL: one more try
        await asyncio.wait_for(rates.equivalents(Decimal("100"), later, budget=0.01), 5)
        assert hanging.calls == 2


async def test_a_resolver_that_never_answers_leaves_the_threads_to_the_rest(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The real HTTP stack, its host lookup on the loop's shared threads (six, as on the
    two-core machine): a black-holed DNS server holds one of them, not all — the rest of the
    process (documents, imports, the console's input) still gets a thread. Eight lookups at
    once, as the refresh used to send, took them all until the resolver gave up."""
    import concurrent.futures
    import socket

    from tests.core.helpers import BlackHole

    black_hole = BlackHole()
    for proxy in ("HTTPS_PROXY", "https_proxy", "ALL_PROXY", "all_proxy"):
        monkeypatch.delenv(proxy, raising=False)  # the lookup is the API's own, not a proxy's
    monkeypatch.setattr(socket, "getaddrinfo", black_hole)
    loop = asyncio.get_running_loop()
    threads = concurrent.futures.ThreadPoolExecutor(max_workers=6)
    loop.set_default_executor(threads)
    try:
        async with RateService(tmp_path / "r.json", clock=FrozenClock(DAY), timeout=0.2) as rates:
            assert not await asyncio.wait_for(rates.refresh(), 5)  # 4 currencies × 2 days
            assert black_hole.hosts == ["api.nbrb.by"]  # one; the seven behind it: not sent
            assert await asyncio.wait_for(loop.run_in_executor(None, lambda: 42), 2) == 42
    finally:
        black_hole.release.set()
        threads.shutdown(wait=True)


async def test_a_fetch_that_never_ends_times_out_and_counts_as_down(tmp_path: Path) -> None:
    hanging = Hanging()
    async with RateService(
        tmp_path / "r.json",
        transport=httpx.MockTransport(hanging),
        clock=FrozenClock(DAY),
        timeout=0.01,
    ) as rates:
        with pytest.raises(RateUnavailableError):
            await asyncio.wait_for(rates.rate("USD", DAY), 5)  # no budget: the fetch's time-out
        assert await rates.equivalents(Decimal("1"), DAY, budget=9) == []
    assert hanging.calls == 1


async def test_the_background_refresh_fetches_today_and_tomorrow(
    api: Recorded, tmp_path: Path
) -> None:
    async with RateService(
        tmp_path / "r.json", transport=httpx.MockTransport(api), clock=FrozenClock(DAY)
    ) as rates:  # 09:00 in Minsk; tomorrow's rates are not out yet (404)
        assert await rates.refresh()
        asked = sorted({c.params["ondate"] for c in api.calls})
        assert asked == ["2026-11-20", "2026-11-21"]
        assert rates.next_refresh_in(True) == 3 * 3600 + 15 * 60  # today 12:15 in Minsk
        assert rates.next_refresh_in(False) == 300
        api.offline = True
        calls = len(api.calls)
        usd = await rates.rate("USD", DAY, budget=0.5)
        assert not usd.offline and len(api.calls) == calls  # cached by the refresh
