"""The store: migrations, connection settings, owner isolation, tickets, backup."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

import aiosqlite
import pytest

from core.deadlines import Event, EventKind
from core.models import Kind
from core.storage import (
    LATEST,
    CaseInput,
    Direction,
    DuplicateRef,
    Store,
    TicketStatus,
    backup_file,
    migrate,
    schema_version,
)
from core.storage.migrations import MIGRATIONS

A, B = 1001, 2002
CASE = CaseInput("PCT/BY2024/1", Kind.PATENT, dt.date(2024, 3, 1), None, "Widget")


async def test_migrates_from_empty_and_from_every_earlier_version(tmp_path: Path) -> None:
    for start in range(0, LATEST + 1):
        path = tmp_path / f"v{start}.sqlite3"
        async with aiosqlite.connect(path, isolation_level=None) as conn:
            assert await migrate(conn, target=start) == list(range(1, start + 1))
            assert await schema_version(conn) == start
        store = await Store.open(path)
        assert await store.schema_version() == LATEST
        await store.close()
        store = await Store.open(path)  # a second start applies nothing
        assert await store.schema_version() == LATEST
        await store.close()
    assert [m.version for m in MIGRATIONS] == list(range(1, LATEST + 1))


async def test_connection_settings(store: Store) -> None:
    async with store.transaction() as tx:
        async with tx.conn.execute("PRAGMA journal_mode") as cur:
            assert (await cur.fetchone())[0] == "wal"  # type: ignore[index]
        async with tx.conn.execute("PRAGMA foreign_keys") as cur:
            assert (await cur.fetchone())[0] == 1  # type: ignore[index]
        async with tx.conn.execute("PRAGMA busy_timeout") as cur:
            assert (await cur.fetchone())[0] >= 1000  # type: ignore[index]


async def test_a_failed_unit_of_work_leaves_nothing(store: Store) -> None:
    with pytest.raises(RuntimeError):
        async with store.transaction() as tx:
            await tx.users.ensure(A)
            await tx.cases.add(A, CASE)
            raise RuntimeError("boom")
    async with store.transaction() as tx:
        assert await tx.users.get(A) is None


async def test_one_user_can_never_touch_another_users_case(store: Store) -> None:
    async with store.transaction() as tx:
        await tx.users.ensure(A)
        await tx.users.ensure(B)
        mine = await tx.cases.add(A, CASE)
        await tx.cases.add_event(
            A, mine.id, Event(kind=EventKind.ENTRY_MADE, date=dt.date(2025, 1, 1))
        )
        await tx.outbox.put_plan(A, mine.id, 0, {"items": []})
    async with store.transaction() as tx:
        # B guesses the id and the ref
        assert await tx.cases.get(B, mine.id) is None
        assert await tx.cases.by_ref(B, CASE.ref) is None
        assert await tx.cases.all(B) == []
        assert await tx.cases.update(B, mine.id, CASE) is None
        assert not await tx.cases.delete(B, mine.id)
        assert not await tx.cases.set_muted(B, mine.id, True)
        assert await tx.cases.events(B, mine.id) == []
        assert (
            await tx.cases.add_event(
                B, mine.id, Event(kind=EventKind.ENTRY_MADE, date=dt.date(2025, 1, 2))
            )
            is None
        )
        assert len(await tx.cases.events(A, mine.id)) == 1  # the other user's event stayed out
        rows = await tx.outbox.for_case(A, mine.id)
        assert await tx.outbox.get(B, rows[0].id) is None
        assert await tx.outbox.for_case(B, mine.id) == []
        assert await tx.outbox.cancel_case(B, mine.id) == 0
        # B may use the same ref for a case of their own
        theirs = await tx.cases.add(B, CASE)
        assert theirs.id != mine.id
    async with store.transaction() as tx:
        still = await tx.cases.get(A, mine.id)
        assert still is not None and not still.muted
        assert len(await tx.cases.events(A, mine.id)) == 1


async def test_ref_is_unique_per_owner_and_upsert_never_duplicates(store: Store) -> None:
    async with store.transaction() as tx:
        await tx.users.ensure(A)
        await tx.cases.add(A, CASE)
        with pytest.raises(DuplicateRef):
            await tx.cases.add(A, CASE)
        case, created = await tx.cases.upsert(
            A, CaseInput(CASE.ref, Kind.UTILITY_MODEL, CASE.filing)
        )
        assert not created and case.kind is Kind.UTILITY_MODEL
        assert await tx.cases.count(A) == 1


async def test_deleting_a_case_takes_its_events_and_alerts(store: Store) -> None:
    async with store.transaction() as tx:
        await tx.users.ensure(A)
        case = await tx.cases.add(A, CASE)
        await tx.cases.add_event(
            A, case.id, Event(kind=EventKind.ENTRY_MADE, date=dt.date(2025, 1, 1))
        )
        await tx.outbox.put_plan(A, case.id, 0, {"items": []})
        assert await tx.cases.delete(A, case.id)
        async with tx.conn.execute("SELECT count(*) FROM events") as cur:
            assert (await cur.fetchone())[0] == 0  # type: ignore[index]
        async with tx.conn.execute("SELECT count(*) FROM outbox") as cur:
            assert (await cur.fetchone())[0] == 0  # type: ignore[index]


async def test_user_settings_and_blocked_flag(store: Store) -> None:
    async with store.transaction() as tx:
        user = await tx.users.ensure(A)
        assert user.language is None and user.tz is None and not user.blocked
        await tx.users.update(A, tz="Europe/Berlin", quiet_start=dt.time(21, 0), lead_days=[7, 30])
        await tx.users.set_blocked(A)
        user = await tx.users.get(A)  # type: ignore[assignment]
        assert user.tz == "Europe/Berlin" and user.quiet_start == dt.time(21, 0)
        assert user.lead_days == (30, 7) and user.blocked
        assert await tx.users.seen(A, chat_id=A, language="be")
        user = await tx.users.get(A)  # type: ignore[assignment]
        assert not user.blocked and user.language == "be"


async def test_tickets_owner_scoped_and_found_by_staff_message(store: Store) -> None:
    async with store.transaction() as tx:
        await tx.users.ensure(A)
        await tx.users.ensure(B)
        ticket = await tx.tickets.open(A, "ru")
        await tx.tickets.add_message(
            A, ticket.id, Direction.USER_TO_STAFF, "Вопрос", telegram_message_id=5
        )
        await tx.tickets.set_relayed(ticket.id, staff_message_id=77)
        assert await tx.tickets.add_message(B, ticket.id, Direction.USER_TO_STAFF, "x") is None
        assert await tx.tickets.get(B, ticket.id) is None
        found = await tx.tickets.by_staff_message(77)
        assert found is not None and found.id == ticket.id
        await tx.tickets.add_message(
            A, ticket.id, Direction.STAFF_TO_USER, "Ответ", staff_message_id=78
        )
        assert (await tx.tickets.by_staff_message(78)).id == ticket.id  # type: ignore[union-attr]
        assert (await tx.tickets.get(A, ticket.id)).status is TicketStatus.ANSWERED  # type: ignore[union-attr]
        assert len(await tx.tickets.messages(A, ticket.id)) == 2
        assert await tx.tickets.messages(B, ticket.id) == []
        assert (await tx.tickets.current(A)).id == ticket.id  # type: ignore[union-attr]
    await_stats = await store.stats()
    assert await_stats.users == 2 and await_stats.open_tickets == 0


async def test_backup_is_a_consistent_copy(store: Store, tmp_path: Path) -> None:
    async with store.transaction() as tx:
        await tx.users.ensure(A)
        await tx.cases.add(A, CASE)
    await store.backup(tmp_path / "b1.sqlite3")
    backup_file(store.path, tmp_path / "b2.sqlite3")
    for name in ("b1.sqlite3", "b2.sqlite3"):
        conn = sqlite3.connect(tmp_path / name)
        assert conn.execute("SELECT ref FROM cases").fetchall() == [(CASE.ref,)]
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        conn.close()
