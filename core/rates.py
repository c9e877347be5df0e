"""Official exchange rates of the National Bank of Belarus (NBRB), cached, offline-tolerant.

Non-residents pay in USD, EUR, CHF or RUB at the NBRB rate applicable on the date of payment
(Summary, footnote 4; Annex BY.I, footnote 2). API (docs/RULES.md §3):
`GET https://api.nbrb.by/exrates/rates/{CUR}?parammode=2&ondate=YYYY-MM-DD` →
`Cur_OfficialRate` BYN per `Cur_Scale` units (RUB: per 100).

Every rate fetched is cached in a JSON file; when the API cannot be reached the last known rate
(on or before the asked date, else the latest) is returned with its own date and `offline=True`.

In the bot no answer waits for the bank (the API may hang for minutes):
- `start()` runs a background refresh: today's and tomorrow's rates at start-up and every day
  after the bank publishes them (`PUBLISH_AT`, Minsk time), again `FAILURE_TTL` after a failure;
- `rate(..., budget=0.5)` waits for a fetch at most `budget` seconds — and only while that fetch
  is younger than `budget`: everyone asking during one slow fetch shares it (one request per
  currency and day), and nobody waits twice for it; afterwards the last known rate is used;
- a failed fetch (time-out, network, bad answer) is remembered for `FAILURE_TTL` seconds: no
  request for that currency and day, and after a network failure none at all, until then;
- requests go out one at a time (over one kept-alive connection). The system's resolver runs
  on the event loop's shared threads (six on two cores) and a lookup that never answers holds
  its thread after the request has timed out: eight lookups at once would take them all, and
  with them every other job of the process that needs a thread (the bot's documents, imports,
  the console's input). One at a time, a dead resolver holds one thread, and the requests
  queued behind a network failure fail without being sent.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import os
import time
from collections.abc import Awaitable, Callable
from decimal import Decimal
from pathlib import Path
from typing import Final, Protocol

import httpx
from pydantic import BaseModel, ConfigDict

from core.clock import SYSTEM_CLOCK, Clock
from core.jsonfile import write_atomically
from core.models import money

API: Final = "https://api.nbrb.by/exrates/rates/{currency}"
SOURCE: Final = "National Bank of the Republic of Belarus, official rate (api.nbrb.by)"
CURRENCIES: Final[tuple[str, ...]] = ("USD", "EUR", "CHF", "RUB")
TIMEOUT: Final = 5.0
QUOTE_BUDGET: Final = 0.5  # seconds an answer may wait for the bank
FAILURE_TTL: Final = 300.0  # seconds a failure is remembered
PUBLISH_AT: Final = dt.time(12, 15)  # Minsk: the next day's rates are out by then


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


class Rates(Protocol):
    """What the front-ends use of a rate service (`RateService`; tests pass their own)."""

    async def equivalents(
        self,
        amount_byn: Decimal,
        on: dt.date,
        currencies: tuple[str, ...] = ...,
        *,
        budget: float | None = None,
    ) -> list[Equivalent]: ...


def default_cache_path() -> Path:
    """The user's cache folder (a front end passes its own setting, PCTBY_RATES_CACHE)."""
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
        # a cache that cannot be written only costs a later request
        write_atomically(self.path, data, prefix=".rates-", indent=1, sort_keys=True)


class _FetchFailedError(Exception):
    """A fetch failed; `network`: the API could not be reached at all."""

    def __init__(self, network: bool) -> None:
        super().__init__("network" if network else "bad answer")
        self.network = network


Sleep = Callable[[float], Awaitable[None]]


class RateService:
    """Fetches NBRB rates through an `httpx.AsyncClient` (a test passes a MockTransport)."""

    def __init__(
        self,
        cache_path: Path | None = None,
        *,
        transport: httpx.AsyncBaseTransport | None = None,
        clock: Clock = SYSTEM_CLOCK,
        timeout: float = TIMEOUT,
        failure_ttl: float = FAILURE_TTL,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self._cache = _Cache(cache_path or default_cache_path())
        self._client = httpx.AsyncClient(timeout=timeout, transport=transport)
        self._clock = clock
        self._timeout = timeout
        self._failure_ttl = failure_ttl
        self._monotonic = monotonic
        self._fetching: dict[tuple[str, dt.date], tuple[float, asyncio.Task[Rate]]] = {}
        self._failed: dict[tuple[str, dt.date], float] = {}  # key → remembered until
        self._down_until = 0.0  # the API could not be reached: no request before this
        self._refresher: asyncio.Task[None] | None = None
        self._one_at_a_time = asyncio.Lock()
        self.requests = 0  # requests sent, for tests and the logs

    async def aclose(self) -> None:
        tasks = [task for _t, task in self._fetching.values()]
        if self._refresher is not None:
            tasks.append(self._refresher)  # type: ignore[arg-type]
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        await self._client.aclose()

    async def __aenter__(self) -> RateService:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    def _effective_day(self, on: dt.date) -> dt.date:
        """The NBRB sets a rate for each day up to tomorrow; a later date uses today's."""
        today = self._clock.today()
        return min(on, today + dt.timedelta(days=1))

    async def rate(self, currency: str, on: dt.date, *, budget: float | None = None) -> Rate:
        """The rate for `on`: cached, else fetched — waiting at most `budget` seconds (None:
        until the fetch ends, `timeout` at most) — else the last known one (`offline`)."""
        currency = currency.upper()
        if currency not in CURRENCIES:
            raise ValueError(f"unsupported currency {currency}")
        day = self._effective_day(on)
        cached = self._cache.get(currency, day)
        if cached is not None:
            return cached
        fetched = await self._wait_for_fetch(currency, day, budget)
        if fetched is not None:
            return fetched
        last = self._cache.last_known(currency, day)
        if last is None:
            raise RateUnavailableError(currency)
        return last

    async def _wait_for_fetch(
        self, currency: str, day: dt.date, budget: float | None
    ) -> Rate | None:
        started_task = self._fetch(currency, day)
        if started_task is None:
            return None
        started, task = started_task
        wait = None if budget is None else started + budget - self._monotonic()
        if wait is not None and wait <= 0:
            return None  # somebody already waited for this fetch: not again
        try:
            return await asyncio.wait_for(asyncio.shield(task), wait)
        except (TimeoutError, _FetchFailedError):
            return None

    def _fetch(self, currency: str, day: dt.date) -> tuple[float, asyncio.Task[Rate]] | None:
        """The fetch of (currency, day) in flight, or a new one; None while a failure is
        remembered."""
        key = (currency, day)
        found = self._fetching.get(key)
        if found is not None:
            return found
        now = self._monotonic()
        if now < self._down_until or now < self._failed.get(key, 0.0):
            return None
        task = asyncio.create_task(self._request(currency, day), name=f"nbrb-{currency}-{day}")
        self._fetching[key] = (now, task)
        task.add_done_callback(lambda done: self._fetched(key, done))
        return now, task

    def _fetched(self, key: tuple[str, dt.date], task: asyncio.Task[Rate]) -> None:
        self._fetching.pop(key, None)
        if task.cancelled():
            return
        error = task.exception()
        if isinstance(error, _FetchFailedError):  # (a network failure: `_request` marks it)
            self._failed[key] = self._monotonic() + self._failure_ttl

    async def _request(self, currency: str, day: dt.date) -> Rate:
        try:
            async with self._one_at_a_time:
                if self._monotonic() < self._down_until:  # the one before could not reach it
                    raise _FetchFailedError(network=True)
                self.requests += 1
                async with asyncio.timeout(self._timeout):  # the request, however it trickles
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
        except (httpx.TransportError, TimeoutError):
            # here, not in `_fetched`: the next request in the queue is woken before that runs
            self._down_until = self._monotonic() + self._failure_ttl
            raise _FetchFailedError(network=True) from None
        except (httpx.HTTPError, ValueError, KeyError, TypeError):
            raise _FetchFailedError(network=False) from None
        self._cache.put(rate)
        return rate

    # --- the background refresh -------------------------------------------------------------

    def start(self, sleep: Sleep = asyncio.sleep) -> asyncio.Task[None]:
        """Refresh today's and tomorrow's rates now and after every publication."""
        if self._refresher is None or self._refresher.done():
            self._refresher = asyncio.create_task(self._refresh_loop(sleep), name="nbrb-refresh")
        return self._refresher

    async def refresh(self) -> bool:
        """Fetches today's and tomorrow's rates that are not cached; True if today's are known."""
        today = self._clock.today()
        await asyncio.gather(
            *(
                self.rate(c, day)
                for c in CURRENCIES
                for day in (today, today + dt.timedelta(days=1))
            ),
            return_exceptions=True,
        )
        return all(self._cache.get(c, today) is not None for c in CURRENCIES)

    def next_refresh_in(self, ok: bool) -> float:
        """Seconds to the next refresh: after the next publication, or soon after a failure."""
        if not ok:
            return self._failure_ttl
        now = self._clock.local_now()
        at = dt.datetime.combine(now.date(), PUBLISH_AT, tzinfo=now.tzinfo)
        if at <= now:
            at = dt.datetime.combine(now.date() + dt.timedelta(days=1), PUBLISH_AT, now.tzinfo)
        return (at - now).total_seconds()

    async def _refresh_loop(self, sleep: Sleep) -> None:
        while True:
            ok = await self.refresh()
            await sleep(self.next_refresh_in(ok))

    async def equivalents(
        self,
        amount_byn: Decimal,
        on: dt.date,
        currencies: tuple[str, ...] = CURRENCIES,
        *,
        budget: float | None = None,
    ) -> list[Equivalent]:
        """`amount_byn` in each currency; a currency with no rate at all is left out."""
        results = await asyncio.gather(
            *(self.rate(c, on, budget=budget) for c in currencies), return_exceptions=True
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
