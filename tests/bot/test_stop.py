"""A bounded stop (bot/updates.py `BoundedStop`): a SIGTERM during a long /import does not wait
for the import. The handler still running after the bound is cancelled: the batches it
committed stay, the batch in the middle is rolled back, the user is told how many rows are
saved, and the same file sent again finishes the import without a duplicate."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from typing import Any

import pytest
from telegram import Update

from bot.app import BotApp
from bot.handlers import transfer
from bot.offline import OfflineBotApi
from bot.updates import BoundedStop
from core.importexport import IMPORT_BATCH
from core.storage import Store, UnitOfWork
from tests.bot.helpers import said, store_of
from tests.scripted import Chat

HEADER = "telegram_user_id,ref,kind,priority_date,filing_date,entry_date,grant_decision_date\n"
ROWS = 5 * IMPORT_BATCH
COMMITTED = 2  # batches committed before the import hangs in the third


def table() -> bytes:
    rows = "".join(f",R-{i},patent,2024-03-15,2025-03-10,2025-09-01,\n" for i in range(ROWS))
    return (HEADER + rows).encode()


def upload(app: BotApp, user: Chat) -> Update:
    return Update.de_json(user.document_update("c.csv", table(), "/import"), app.bot)


async def counts(store: Store, user_id: int) -> tuple[int, int, int]:
    """Cases, distinct refs and events of the user."""
    async with store.transaction() as tx:
        cases = await tx.cases.all(user_id)
        events = [e for c in cases for e in await tx.cases.events(user_id, c.id)]
    return len(cases), len({c.ref for c in cases}), len(events)


def hang_in_batch(
    monkeypatch: pytest.MonkeyPatch, store: Store, batch: int
) -> tuple[asyncio.Event, asyncio.Event]:
    """The import's `batch`-th transaction (1-based) hangs after its writes, before its commit,
    until `release` is set (never, in the stop test): `reached` says it is there."""
    reached, release = asyncio.Event(), asyncio.Event()
    real_import = transfer.import_rows
    real_transaction = store.transaction

    @contextlib.asynccontextmanager
    async def slow_transaction() -> AsyncIterator[UnitOfWork]:
        nonlocal opened
        opened += 1
        async with real_transaction() as tx:
            yield tx
            if opened == batch:
                reached.set()
                await release.wait()

    async def import_rows(*args: Any, **kwargs: Any) -> Any:
        monkeypatch.setattr(store, "transaction", slow_transaction)
        try:
            return await real_import(*args, **kwargs)
        finally:
            monkeypatch.setattr(store, "transaction", real_transaction)

    opened = 0
    monkeypatch.setattr(transfer, "import_rows", import_rows)
    return reached, release


async def test_a_stop_cancels_a_long_import_which_keeps_its_batches_and_says_so(
    app: BotApp, server: OfflineBotApi, monkeypatch: pytest.MonkeyPatch, caplog: Any
) -> None:
    assert isinstance(app, BoundedStop)
    store = store_of(app)
    user = Chat(app, 501, language_code="en")
    other = Chat(app, 502, language_code="en")
    reached, _never = hang_in_batch(monkeypatch, store, COMMITTED + 1)
    app.stop_timeout, app.stop_grace = 0.2, 0.1  # small bounds: the import never ends by itself
    await app.start()
    try:
        await app.update_queue.put(upload(app, user))
        await app.update_queue.put(Update.de_json(other.message_update("/help"), app.bot))
        await reached.wait()  # two batches committed, the third written and not committed
    finally:
        with caplog.at_level(logging.WARNING, logger="pctby.updates"):
            await app.stop()
    assert not app.running
    assert "1 update(s) still handled" in caplog.text
    assert [s for s in server.sent if s.chat_id == other.user_id]  # others were answered
    saved = COMMITTED * IMPORT_BATCH
    assert await counts(store, user.user_id) == (saved, saved, saved)  # batch 3 rolled back
    told = " ".join(s.plain for s in server.sent if s.chat_id == user.user_id)
    assert (
        f"The import was interrupted by a restart of the bot: {saved} rows of {ROWS} are saved."
        in told
    )
    assert "Send the same file again" in told

    monkeypatch.undo()  # the restarted bot: the same file again finishes the import
    text = said(await user.upload("c.csv", table(), caption="/import"))
    assert f"{ROWS - saved} cases added" in text and f"{saved} cases updated" in text
    assert await counts(store, user.user_id) == (ROWS, ROWS, ROWS)  # nothing twice


async def test_a_stop_waits_for_a_handler_that_ends_within_the_bound(
    app: BotApp, server: OfflineBotApi, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = store_of(app)
    user = Chat(app, 503, language_code="en")
    reached, release = hang_in_batch(monkeypatch, store, 2)
    app.stop_timeout, app.stop_grace = 1000.0, 1.0  # never reached: the import ends first
    await app.start()
    await app.update_queue.put(upload(app, user))
    await reached.wait()
    stopping = asyncio.ensure_future(app.stop())
    await asyncio.sleep(0)
    assert not stopping.done()
    release.set()
    await stopping
    assert await counts(store, user.user_id) == (ROWS, ROWS, ROWS)
    told = " ".join(s.plain for s in server.sent if s.chat_id == user.user_id)
    assert f"{ROWS} cases added" in told and "interrupted" not in told
