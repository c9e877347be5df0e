"""Official exchange rates of the National Bank of Belarus (NBRB), cached, offline-tolerant.

Non-residents pay in USD, EUR, CHF or RUB at the NBRB rate applicable on the date of payment
(Summary, footnote 4; Annex BY.I, footnote 2). API (DOMAIN.md §3):
`GET https://api.nbrb.by/exrates/rates/{CUR}?parammode=2&ondate=YYYY-MM-DD` →
`Cur_OfficialRate` BYN per `Cur_Scale` units (RUB: per 100).

Every rate fetched is cached in a JSON file; when the API cannot be reached the last known rate
(on or before the asked date, else the latest) is returned with its own date and `offline=True`.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import os
import tempfile
from decimal import Decimal
from pathlib import Path
from typing import Final

import httpx
from pydantic import BaseModel, ConfigDict

from core.clock import SYSTEM_CLOCK, Clock
from core.models import money

API: Final = "https://api.nbrb.by/exrates/rates/{currency}"
SOURCE: Final = "National Bank of the Republic of Belarus, official rate (api.nbrb.by)"
CURRENCIES: Final[tuple[str, ...]] = ("USD", "EUR", "CHF", "RUB")
TIMEOUT: Final = 5.0


class RateUnavailableError(LookupError):
    """No rate could be fetched and none is cached."""

    def __init__(self, currency: str) -> None:
        super().__init__(f"no NBRB rate known for {currency}")
        self.currency = currency


class Rate(BaseModel):
    model_config = ConfigDict(frozen=True)

    currency: str
    scale: int  # units of `currency` that `official_rate` BYN buy
    official_rate: Decimal
    date: dt.date  # the date the rate applies to
    offline: bool = False  # True: the API was unreachable; this is the last known rate

    def from_byn(self, amount: Decimal) -> Decimal:
        return money(amount * self.scale / self.official_rate)


class Equivalent(BaseModel):
    model_config = ConfigDict(frozen=True)

    currency: str
    amount: Decimal
    rate: Rate


def default_cache_path() -> Path:
    env = os.environ.get("PCTBY_RATES_CACHE")
    if env:
        return Path(env)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "pctby" / "nbrb-rates.json"


class _Cache:
    """{currency: {iso date: [scale, rate]}} in one JSON file, written atomically."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._data: dict[str, dict[str, list[str]]] | None = None

    def _load(self) -> dict[str, dict[str, list[str]]]:
        if self._data is None:
            try:
                raw = json.loads(self.path.read_text(encoding="utf-8"))
                self._data = raw if isinstance(raw, dict) else {}
            except (OSError, ValueError):
                self._data = {}
        return self._data

    def get(self, currency: str, on: dt.date) -> Rate | None:
        entry = self._load().get(currency, {}).get(on.isoformat())
        if entry is None:
            return None
        return Rate(
            currency=currency, scale=int(entry[0]), official_rate=Decimal(entry[1]), date=on
        )

    def last_known(self, currency: str, on: dt.date) -> Rate | None:
        days = sorted(self._load().get(currency, {}))
        if not days:
            return None
        before = [d for d in days if d <= on.isoformat()]
        day = dt.date.fromisoformat(before[-1] if before else days[-1])
        rate = self.get(currency, day)
        return None if rate is None else rate.model_copy(update={"offline": True})

    def put(self, rate: Rate) -> None:
        data = self._load()
        data.setdefault(rate.currency, {})[rate.date.isoformat()] = [
            str(rate.scale),
            str(rate.official_rate),
        ]
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=".rates-")
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                json.dump(data, fh, indent=1, sort_keys=True)
            os.replace(tmp, self.path)
        except OSError:
            pass  # a cache that cannot be written only costs a later request


class RateService:
    """Fetches NBRB rates through an `httpx.AsyncClient` (a test passes a MockTransport)."""

    def __init__(
        self,
        cache_path: Path | None = None,
        *,
        transport: httpx.AsyncBaseTransport | None = None,
        clock: Clock = SYSTEM_CLOCK,
    ) -> None:
        self._cache = _Cache(cache_path or default_cache_path())
        self._client = httpx.AsyncClient(timeout=TIMEOUT, transport=transport)
        self._clock = clock

    async def aclose(self) -> None:
        await self._client.aclose()

    async def __aenter__(self) -> RateService:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    def _effective_day(self, on: dt.date) -> dt.date:
        """The NBRB sets a rate for each day up to tomorrow; a later date uses today's."""
        today = self._clock.today()
        return min(on, today + dt.timedelta(days=1))

    async def rate(self, currency: str, on: dt.date) -> Rate:
        currency = currency.upper()
        if currency not in CURRENCIES:
            raise ValueError(f"unsupported currency {currency}")
        day = self._effective_day(on)
        cached = self._cache.get(currency, day)
        if cached is not None:
            return cached
        try:
            response = await self._client.get(
                API.format(currency=currency),
                params={"parammode": "2", "ondate": day.isoformat()},
            )
            response.raise_for_status()
            body = response.json()
            rate = Rate(
                currency=currency,
                scale=int(body["Cur_Scale"]),
                official_rate=Decimal(str(body["Cur_OfficialRate"])),
                date=dt.date.fromisoformat(str(body["Date"])[:10]),
            )
        except (httpx.HTTPError, ValueError, KeyError, TypeError):
            last = self._cache.last_known(currency, day)
            if last is None:
                raise RateUnavailableError(currency) from None
            return last
        self._cache.put(rate)
        return rate

    async def equivalents(
        self, amount_byn: Decimal, on: dt.date, currencies: tuple[str, ...] = CURRENCIES
    ) -> list[Equivalent]:
        """`amount_byn` in each currency; a currency with no rate at all is left out."""
        results = await asyncio.gather(
            *(self.rate(c, on) for c in currencies), return_exceptions=True
        )
        found: list[Equivalent] = []
        for currency, result in zip(currencies, results, strict=True):
            if isinstance(result, Rate):
                found.append(
                    Equivalent(currency=currency, amount=result.from_byn(amount_byn), rate=result)
                )
            elif not isinstance(result, RateUnavailableError):
                raise result
        return found
