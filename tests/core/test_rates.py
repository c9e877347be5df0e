"""NBRB exchange rates: recorded responses, cache, offline fallback (DOMAIN.md §3)."""

from __future__ import annotations

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
