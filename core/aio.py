"""The event loop pctby runs on: asyncio's, with host lookups that cannot stall the process.

asyncio looks a host name up (`loop.getaddrinfo`, used by httpx for the exchange rates and by
python-telegram-bot for the Bot API) on the loop's shared thread pool — six threads on a
two-core machine — with the system's resolver, which no time-out of ours can interrupt: a DNS
server that never answers holds the thread until the resolver gives up (glibc: 5 s × 2 tries
per server, longer with `options timeout:`), long after the request itself has timed out.
Enough such lookups take every shared thread, and with them every other job that needs one
(documents, imports, the console's input); and Python's exit waits for each of them.

`EventLoop` runs each lookup on a daemon thread of its own instead: the request's time-out
ends the wait, the thread finishes (or is dropped at exit) on its own, and the shared pool
stays free. `run` is `asyncio.run` on that loop: `pctby run` runs the bot on it
(`bot/runner.py`), the console and the commands too.
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
import threading
from collections.abc import Coroutine
from typing import Any, TypeVar

T = TypeVar("T")

AddrInfo = list[tuple[Any, ...]]  # what socket.getaddrinfo returns


class EventLoop(asyncio.SelectorEventLoop):
    """asyncio's default loop on Linux, but every host lookup on a daemon thread of its own."""

    async def getaddrinfo(
        self,
        host: bytes | str | None,
        port: bytes | str | int | None,
        *,
        family: int = 0,
        type: int = 0,
        proto: int = 0,
        flags: int = 0,
    ) -> AddrInfo:
        answer: asyncio.Future[AddrInfo] = self.create_future()

        def settle(result: AddrInfo | None, error: Exception | None) -> None:
            if answer.done():  # the caller has stopped waiting (time-out, cancel)
                return
            if error is not None:
                answer.set_exception(error)
            else:
                answer.set_result(result or [])

        def look_up() -> None:
            result: AddrInfo | None = None
            error: Exception | None = None
            try:
                result = socket.getaddrinfo(host, port, family, type, proto, flags)
            except Exception as exc:  # handed to the caller, as asyncio does
                error = exc
            with contextlib.suppress(RuntimeError):  # the loop has closed: nobody waits
                self.call_soon_threadsafe(settle, result, error)

        threading.Thread(target=look_up, name=f"getaddrinfo {host!r}", daemon=True).start()
        return await answer


def run(main: Coroutine[Any, Any, T]) -> T:
    """`asyncio.run(main)` on an `EventLoop`."""
    with asyncio.Runner(loop_factory=EventLoop) as runner:
        return runner.run(main)
