"""One outbound sender: every Bot API call the bot makes passes one limiter and one error map.

`Sender` is the application's `telegram.ext.BaseRateLimiter` (PTB's `AIORateLimiter` is the
model; this one shares its budget with the alert dispatcher, is fair between chats and needs no
`aiolimiter`): replies, edits, documents, alerts and broadcasts all take their slot from one
`core.ratelimit.RateLimiter` —

- at most `PER_SECOND` (29) messages a second in all, evenly paced; per chat a burst of three,
  then one a second (a group: one every three seconds);
- the next free slot goes to the chat served least recently; replies go before alerts and
  broadcasts (`LOW`: `rate_limit_args={"priority": LOW}`), which still get a fifth of the slots;
- a 429 (`RetryAfter`) pauses *everything* for the time Telegram asks and lowers the rate for a
  while, then the call is tried again (`RETRIES` times; the dispatcher's alerts are not retried
  here: the dispatcher reschedules them itself, and took their slot before sending — `COUNTED`);
- calls without a chat (getUpdates, answerCallbackQuery, getFile, setMyCommands) are not counted.

Waits are on the injected clock (`core.clock`: `monotonic`, `sleep`), never the wall clock.

`map_error` is the one mapping of Telegram's errors to the core's (`RetryAfter`, `Blocked`,
`TransientError`), used by the alerts and the broadcasts.

Tests and the benchmark run on the offline Bot API without it (`build_application(limits=…)`),
except the tests that exercise it.
"""

from __future__ import annotations

import datetime as dt
import logging
import warnings
from collections.abc import Callable, Coroutine
from typing import Any, Final

from telegram import error as tg
from telegram.ext import BaseRateLimiter

from core.clock import Clock
from core.ratelimit import HIGH, LOW, PER_SECOND, RateLimiter
from core.reminders import Blocked, NotifierError, RetryAfter, TransientError

log = logging.getLogger("pctby.sender")

# What a Bot API method answers (PTB's own alias lives in its private `telegram._utils`).
JSONDict = dict[str, Any]
Result = bool | JSONDict | list[JSONDict]

__all__ = ["COUNTED", "LOW_PRIORITY", "PER_SECOND", "RETRIES", "Sender", "map_error"]

RETRIES: Final = 2
COUNTED: Final = {"counted": True}  # `rate_limit_args` of a call whose slot is already taken
LOW_PRIORITY: Final = {"priority": LOW}  # `rate_limit_args` of a broadcast message


def retry_seconds(exc: tg.RetryAfter) -> float:
    with warnings.catch_warnings():  # PTB 22.2+: an int now, a timedelta in a future version
        warnings.simplefilter("ignore")
        delay: Any = exc.retry_after
    return delay.total_seconds() if isinstance(delay, dt.timedelta) else float(delay)


def map_error(exc: Exception) -> NotifierError | None:
    """The core's name for a Telegram error (None: not one of these — a bug, or a bad request)."""
    if isinstance(exc, tg.RetryAfter):
        return RetryAfter(retry_seconds(exc))
    if isinstance(exc, tg.Forbidden):
        return Blocked(str(exc))
    if isinstance(exc, tg.BadRequest):
        return Blocked(str(exc)) if "chat not found" in str(exc).lower() else None
    if isinstance(exc, tg.TimedOut | tg.NetworkError):
        return TransientError(str(exc))
    return None


def _chat_of(data: JSONDict) -> int | None:
    chat = data.get("chat_id")
    if isinstance(chat, int):
        return chat
    if isinstance(chat, str) and chat.lstrip("-").isdecimal():
        return int(chat)
    return None


class Sender(BaseRateLimiter[dict[str, Any]]):
    """The limiter of every call that goes to a chat (see the module's docstring)."""

    def __init__(
        self,
        clock: Clock,
        limiter: RateLimiter | None = None,
        *,
        retries: int = RETRIES,
    ) -> None:
        self.clock = clock
        self.limiter = limiter if limiter is not None else RateLimiter(clock)
        self.retries = retries
        self.sent = 0
        self.flood_waits = 0

    async def initialize(self) -> None:
        return None

    async def shutdown(self) -> None:
        await self.limiter.close()

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, Result]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: dict[str, Any] | None,
    ) -> Result:
        chat = _chat_of(data)
        limits = rate_limit_args or {}
        counted = bool(limits.get("counted"))
        priority = LOW if limits.get("priority") == LOW else HIGH
        attempt = 0
        while True:
            if chat is not None and not counted:
                await self.limiter.acquire(chat, priority)
            try:
                result = await callback(*args, **kwargs)
            except tg.RetryAfter as exc:
                seconds = retry_seconds(exc)
                self.flood_waits += 1
                self.limiter.flood(seconds + 0.1)
                log.warning("429 on %s: everything waits %.1f s", endpoint, seconds)
                if counted or attempt >= self.retries:
                    raise
                attempt += 1
                if chat is None:  # not paced by the limiter: wait here
                    await self.clock.sleep(seconds + 0.1)
                continue  # the limiter's pause holds the next try back
            if chat is not None:
                self.sent += 1
            return result
