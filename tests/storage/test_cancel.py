"""A unit of work cancelled (a bounded stop cancels the handlers still running) is rolled
back; a cancellation during its BEGIN or COMMIT waits for the statement, which aiosqlite's
thread runs anyway: the connection is never left inside a transaction, and a commit that went
through is reported (`tx.on_commit`)."""

from __future__ import annotations

import asyncio
import threading
from typing import Any

import pytest

from core.storage import Store
from core.storage.db import to_the_end


async def users(store: Store) -> int:
    async with store.transaction() as tx:
        return (await tx.stats()).users


async def test_a_unit_of_work_cancelled_in_its_body_is_rolled_back(store: Store) -> None:
    inside, never = asyncio.Event(), asyncio.Event()
    committed: list[str] = []

    async def work() -> None:
        async with store.transaction() as tx:
            await tx.users.ensure(1)
            tx.on_commit(lambda: committed.append("1"))
            inside.set()
            await never.wait()

    task = asyncio.create_task(work())
    await inside.wait()
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert await users(store) == 0 and committed == []
    async with store.transaction() as tx:  # the connection is usable
        await tx.users.ensure(2)
        tx.on_commit(lambda: committed.append("2"))
    assert await users(store) == 1 and committed == ["2"]


@pytest.mark.parametrize("step", ["_begin", "_commit"])
async def test_a_cancellation_during_begin_or_commit_waits_for_it(
    store: Store, monkeypatch: pytest.MonkeyPatch, step: str
) -> None:
    """The caller is cancelled while its BEGIN or COMMIT waits in aiosqlite's queue (behind a
    statement that holds the thread): the statement still runs, and the caller learns of it."""
    loop = asyncio.get_running_loop()
    reached, release = asyncio.Event(), threading.Event()
    real = getattr(store, step)

    async def held(*args: Any) -> Any:
        entered = asyncio.Event()

        def hold() -> None:
            loop.call_soon_threadsafe(entered.set)
            release.wait()

        holder = asyncio.ensure_future(store._conn._execute(hold))
        await entered.wait()  # the thread is busy: the statement below waits in its queue
        reached.set()
        try:
            return await real(*args)
        finally:
            await holder

    monkeypatch.setattr(store, step, held)
    committed: list[bool] = []

    async def work() -> None:
        async with store.transaction() as tx:
            await tx.users.ensure(1)
            tx.on_commit(lambda: committed.append(True))

    task = asyncio.create_task(work())
    await reached.wait()
    task.cancel()
    await asyncio.sleep(0)
    release.set()
    with pytest.raises(asyncio.CancelledError):
        await task
    monkeypatch.undo()
    if step == "_begin":  # cancelled before the body: nothing written
        assert committed == [] and await users(store) == 0
    else:  # the commit went through: it counts
        assert committed == [True] and await users(store) == 1
    async with store.transaction() as tx:  # no transaction was left open
        await tx.users.ensure(2)


async def test_to_the_end_returns_the_result_or_raises_the_cancellation_after_it() -> None:
    gate = asyncio.Event()
    done: list[int] = []

    async def work() -> int:
        await gate.wait()
        done.append(1)
        return 7

    assert await to_the_end(asyncio.sleep(0, 7)) == 7
    task = asyncio.create_task(to_the_end(work()))
    await asyncio.sleep(0)
    task.cancel()
    await asyncio.sleep(0)
    task.cancel()  # twice: still waits
    await asyncio.sleep(0)
    assert not task.done()
    gate.set()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert done == [1]
