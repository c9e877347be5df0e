"""One outbound sender: every Bot API call the bot makes passes one limiter and one error map.

`Sender` is the application's `telegram.ext.BaseRateLimiter` (PTB's `AIORateLimiter` is the
model; this one shares its counter with the alert dispatcher instead of needing `aiolimiter`):
replies, edits, documents, alerts and broadcasts all take their slot from one
`core.reminders.RateLimiter` —

- at most `PER_SECOND` (25) messages a second in total, evenly paced, and one a second per chat;
- a 429 (`RetryAfter`) pauses *everything* for the time Telegram asks, then the call is tried
  again (`RETRIES` times; the dispatcher's alerts are not retried here: the dispatcher
  reschedules them itself, and took their slot before sending — `COUNTED`);
- calls without a chat (getUpdates, answerCallbackQuery, getFile, setMyCommands) are not counted.

`map_error` is the one mapping of Telegram's errors to the core's (`RetryAfter`, `Blocked`,
`TransientError`), used by the alerts and the broadcasts.

Tests and the benchmark run on the offline Bot API without it (`build_application(limits=…)`).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import time
import warnings
from collections.abc import Callable, Coroutine
from typing import Any, Final

from telegram import error as tg
from telegram._utils.types import JSONDict
from telegram.ext import BaseRateLimiter

from core.reminders import Blocked, NotifierError, RetryAfter, TransientError
from core.reminders.dispatcher import RateLimiter

log = logging.getLogger("pctby.sender")

PER_SECOND: Final = 25
PER_CHAT_INTERVAL: Final = 1.0
RETRIES: Final = 2
COUNTED: Final = {"counted": True}  # `rate_limit_args` of a call whose slot is already taken


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
        limiter: RateLimiter | None = None,
        *,
        retries: int = RETRIES,
    ) -> None:
        self.limiter = limiter or RateLimiter(
            None,
            asyncio.sleep,
            per_second=PER_SECOND,
            per_chat_interval=PER_CHAT_INTERVAL,
            now=time.monotonic,
        )
        self.retries = retries
        self.sent = 0
        self.flood_waits = 0

    async def initialize(self) -> None:
        return None

    async def shutdown(self) -> None:
        return None

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, bool | JSONDict | list[JSONDict]]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: dict[str, Any] | None,
    ) -> bool | JSONDict | list[JSONDict]:
        chat = _chat_of(data)
        counted = bool(rate_limit_args and rate_limit_args.get("counted"))
        attempt = 0
        while True:
            if chat is not None and not counted:
                await self.limiter.acquire(chat)
            try:
                result = await callback(*args, **kwargs)
            except tg.RetryAfter as exc:
                seconds = retry_seconds(exc)
                self.flood_waits += 1
                self.limiter.pause_until(self.limiter.now() + seconds + 0.1)
                log.warning("429 on %s: everything waits %.1f s", endpoint, seconds)
                if counted or attempt >= self.retries:
                    raise
                attempt += 1
                await asyncio.sleep(seconds + 0.1)
                continue
            if chat is not None:
                self.sent += 1
            return result
