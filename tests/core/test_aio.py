"""core.aio: host lookups on threads of their own, so a DNS server that never answers holds
neither the loop's shared threads nor the exit."""

from __future__ import annotations

import asyncio
import concurrent.futures
import socket
import threading
from typing import Any

import pytest

from core import aio
from tests.core.helpers import BlackHole


def test_a_lookup_that_never_answers_holds_no_shared_thread_and_not_the_exit(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    hole = BlackHole()
    monkeypatch.setattr(socket, "getaddrinfo", hole)
    shared = concurrent.futures.ThreadPoolExecutor(max_workers=2)

    async def main() -> int:
        loop = asyncio.get_running_loop()
        loop.set_default_executor(shared)
        for _ in range(8):  # four times the shared threads
            with pytest.raises(TimeoutError):
                async with asyncio.timeout(0.05):
                    await loop.getaddrinfo("api.nbrb.by", 443)
        return await asyncio.wait_for(loop.run_in_executor(None, lambda: 42), 2)

    try:
        assert aio.run(main()) == 42
        assert len(hole.threads) == 8
        assert all(t.daemon and t.is_alive() for t in hole.threads)  # dropped at exit
    finally:
        hole.release.set()
        shared.shutdown(wait=True)


def test_lookups_answer_as_asyncio_s_own(monkeypatch: pytest.MonkeyPatch) -> None:
    async def main() -> tuple[list[Any], list[Any], str]:
        loop = asyncio.get_running_loop()
        ours = await loop.getaddrinfo("localhost", 80, type=socket.SOCK_STREAM)
        theirs = await asyncio.BaseEventLoop.getaddrinfo(
            loop, "localhost", 80, type=socket.SOCK_STREAM
        )
        with pytest.raises(socket.gaierror) as failed:
            await loop.getaddrinfo("nowhere.invalid", 80)
        return ours, theirs, str(failed.value)

    ours, theirs, error = aio.run(main())
    assert ours == theirs and ours
    assert "internet" in error  # tests/conftest.py's refusal, carried through as asyncio does


def test_a_late_answer_after_the_loop_has_closed_is_dropped(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    hole = BlackHole()
    monkeypatch.setattr(socket, "getaddrinfo", hole)
    raised: list[threading.ExceptHookArgs] = []
    monkeypatch.setattr(threading, "excepthook", raised.append)

    async def main() -> None:
        with pytest.raises(TimeoutError):
            async with asyncio.timeout(0.05):
                await asyncio.get_running_loop().getaddrinfo("api.nbrb.by", 443)

    aio.run(main())  # the loop is closed now
    hole.release.set()
    hole.threads[0].join(5)
    assert not hole.threads[0].is_alive() and raised == []  # it ended quietly
