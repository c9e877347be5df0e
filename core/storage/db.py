"""The store: one SQLite database (aiosqlite), migrated at open, used through units of work.

    store = await Store.open(path)          # or: async with await Store.open(path) as store
    async with store.transaction() as tx:   # BEGIN IMMEDIATE … COMMIT (ROLLBACK on error)
        user = await tx.users.ensure(telegram_id)
        case, created = await tx.cases.upsert(user.id, CaseInput(...))
    await store.close()

Repositories never commit: the unit of work that spans several of their calls does. One
connection serves the whole process; an asyncio lock makes every unit of work exclusive, so
coroutines cannot interleave statements inside each other's transactions.

A unit of work may be cancelled (a bounded stop cancels the handlers still running): its
statements are rolled back. Its BEGIN, COMMIT and ROLLBACK run in aiosqlite's thread whatever
happens to the caller, so they always run to their end before the cancellation goes on — the
connection is never left inside a transaction, and a COMMIT that went through counts: the
callbacks given to `tx.on_commit` run once it is done, even if the caller was cancelled meanwhile.

Connection settings: WAL journal (readers never block the writer), `synchronous=NORMAL`
(in WAL mode a committed transaction survives a crash or SIGKILL of the process; only a power
cut may lose the last ones), foreign keys on, and a busy timeout for the CLI working on the
same file as the running bot.

Files: the database (and SQLite's `-wal`/`-shm` files, which take its mode) and every backup
are created readable by their owner only (0600), in folders created 0700: they hold users'
cases and chat ids. Checking a file before use, backups and restores: `core/storage/files.py`.

A database this program must not use is refused with one sentence (`DatabaseUnusable`, exit
status 4): one a newer pctby migrated (`SchemaTooNew`), one that holds other tables and none of
pctby's (`NotPctbyDatabase`: never migrated into), one SQLite reports damaged (`Damaged`).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import os
import sqlite3
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from types import TracebackType
from typing import TypeVar

import aiosqlite

from core.clock import SYSTEM_CLOCK, Clock
from core.errors import DatabaseUnusable
from core.storage.migrations import LATEST, MIGRATIONS
from core.storage.models import Stats, to_epoch
from core.storage.repos import (
    BroadcastRepo,
    CaseRepo,
    EntryFormRepo,
    FaqRepo,
    FeeScheduleRepo,
    FlowRepo,
    HeldUpdateRepo,
    MetaRepo,
    OutboxRepo,
    TeamRepo,
    TicketRepo,
    UserRepo,
)

BUSY_TIMEOUT_MS = 10_000
BACKUP_AT_KEY = "backup_taken_at"  # meta: when a backup was taken (`stamp_backup`)
FILE_MODE = 0o600
DIR_MODE = 0o700

T = TypeVar("T")


def _tighten(path: Path) -> None:
    """An existing database readable by others (made by an older pctby) becomes owner-only."""
    try:
        mode = path.stat().st_mode & 0o777
        if mode & 0o077:
            path.chmod(mode & 0o700)
    except OSError:  # not ours to change: leave it as the administrator made it
        pass


class SchemaTooNew(DatabaseUnusable):
    """The database was written by a newer pctby: this program must not touch it."""

    def __init__(self, found: int, latest: int) -> None:
        super().__init__(
            f"the database is at schema version {found}, newer than this program's {latest}"
            " (it was written by a newer pctby; upgrade pctby or restore an older backup)"
        )
        self.found = found
        self.latest = latest


class NotPctbyDatabase(DatabaseUnusable):
    """A SQLite database of another program (tables, none of them pctby's), or no SQLite
    database at all: never migrated into."""

    def __init__(self, path: str | Path, detail: str) -> None:
        super().__init__(f"{path} is not a pctby database ({detail})")
        self.path = Path(path)


class Damaged(DatabaseUnusable):
    """SQLite reports the file damaged (`quick_check`/`integrity_check`, or "malformed")."""

    def __init__(self, path: str | Path, detail: str) -> None:
        super().__init__(
            f"the database {path} is damaged ({detail}); restore the last backup with"
            " `pctby restore BACKUP`"
        )
        self.path = Path(path)


# SQLite's primary result codes that mean the file itself is unusable: a process that goes on
# would fail the same way at every statement (a restart, with its start-up check, says why).
_SQLITE_IOERR, _SQLITE_CORRUPT, _SQLITE_NOTADB = 10, 11, 26


def is_damage(exc: BaseException) -> bool:
    """`exc` says the database file is damaged or unreadable (not busy, not a bad row)."""
    if not isinstance(exc, sqlite3.DatabaseError) or isinstance(exc, sqlite3.IntegrityError):
        return False
    code = getattr(exc, "sqlite_errorcode", None)
    if isinstance(code, int):
        return code & 0xFF in (_SQLITE_IOERR, _SQLITE_CORRUPT, _SQLITE_NOTADB)
    text = str(exc)
    return "malformed" in text or "not a database" in text or "disk I/O error" in text


def foreign_tables(names: list[str]) -> list[str]:
    """The tables of a database without pctby's `schema_version`: another program's (SQLite's
    own `sqlite_*` tables do not count)."""
    if "schema_version" in names:
        return []
    return sorted(n for n in names if not n.startswith("sqlite_"))


def private_folder(path: Path) -> None:
    """Creates the folder `path` and each missing folder above it owner-only (0700: `mkdir -p`,
    and `Path.mkdir(parents=True)`, give the missing parents the default mode instead)."""
    missing: list[Path] = []
    for folder in (path, *path.parents):
        if folder.exists():
            break
        missing.append(folder)
    for folder in reversed(missing):
        try:
            folder.mkdir(mode=DIR_MODE)
        except FileExistsError:  # made meanwhile by another process
            continue
        folder.chmod(DIR_MODE)  # whatever the umask


def private_file(path: Path) -> None:
    """Creates `path` (and its missing folders) readable by its owner only; an existing file
    keeps its content and is made so too."""
    private_folder(path.parent)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT, FILE_MODE)
    try:
        os.fchmod(fd, FILE_MODE)
    finally:
        os.close(fd)


def stamp_backup(copy: sqlite3.Connection, now: dt.datetime) -> None:
    """Writes into a fresh backup the moment it was taken (databases before the `meta` table,
    schema 3, are not stamped)."""
    tables = copy.execute("SELECT name FROM sqlite_master WHERE type='table'")
    if "meta" not in {str(r[0]) for r in tables}:
        return
    copy.execute(
        "INSERT INTO meta (key, value, updated_at) VALUES (?, ?, ?) ON CONFLICT (key) DO UPDATE"
        " SET value = excluded.value, updated_at = excluded.updated_at",
        (BACKUP_AT_KEY, now.astimezone(dt.UTC).isoformat(timespec="seconds"), int(now.timestamp())),
    )
    copy.commit()


class UnitOfWork:
    """The repositories of one open transaction."""

    def __init__(self, conn: aiosqlite.Connection, clock: Clock) -> None:
        self.conn = conn
        self.clock = clock
        now = lambda: to_epoch(clock())  # noqa: E731
        self.users = UserRepo(conn, now)
        self.cases = CaseRepo(conn, now)
        self.outbox = OutboxRepo(conn, now)
        self.tickets = TicketRepo(conn, now)
        self.meta = MetaRepo(conn, now)
        self.broadcasts = BroadcastRepo(conn, now)
        self.entryforms = EntryFormRepo(conn, now)
        self.schedules = FeeScheduleRepo(conn, now)
        self.flows = FlowRepo(conn, now)
        self.held = HeldUpdateRepo(conn, now)
        self.faq = FaqRepo(conn, now)
        self.teams = TeamRepo(conn, now)
        self._on_commit: list[Callable[[], None]] = []

    def on_commit(self, callback: Callable[[], None]) -> None:
        """`callback()` once this unit of work is committed (never if it is rolled back)."""
        self._on_commit.append(callback)

    def _committed(self) -> None:
        for callback in self._on_commit:
            callback()

    async def stats(self) -> Stats:
        """Counts for `/stats`."""
        sql = """
        SELECT (SELECT count(*) FROM users WHERE id > 0),
               (SELECT count(*) FROM users WHERE blocked = 1 AND id > 0),
               (SELECT count(*) FROM cases),
               (SELECT count(*) FROM outbox WHERE state = 'sent'),
               (SELECT count(*) FROM outbox WHERE state = 'planned'),
               (SELECT count(*) FROM tickets WHERE status = 'open')
        """
        async with self.conn.execute(sql) as cur:
            row = await cur.fetchone()
        assert row is not None
        return Stats(*(int(v) for v in row))


async def _configure(conn: aiosqlite.Connection) -> None:
    await conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    await conn.execute("PRAGMA journal_mode = WAL")
    await conn.execute("PRAGMA synchronous = NORMAL")
    await conn.execute("PRAGMA foreign_keys = ON")


async def schema_version(conn: aiosqlite.Connection) -> int:
    async with conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_version'"
    ) as cur:
        if await cur.fetchone() is None:
            return 0
    async with conn.execute("SELECT coalesce(max(version), 0) FROM schema_version") as cur:
        row = await cur.fetchone()
    return int(row[0]) if row else 0


async def migrate(
    conn: aiosqlite.Connection, target: int = LATEST, *, clock: Clock = SYSTEM_CLOCK
) -> list[int]:
    """Applies the missing migrations up to `target`, each atomically; returns those applied."""
    await conn.execute(
        "CREATE TABLE IF NOT EXISTS schema_version ("
        " version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)"
    )
    current = await schema_version(conn)
    if current > LATEST:
        raise SchemaTooNew(current, LATEST)
    applied: list[int] = []
    for m in MIGRATIONS:
        if m.version <= current or m.version > target:
            continue
        stamp = clock.now().isoformat(timespec="seconds")
        script = (
            "BEGIN IMMEDIATE;\n"
            f"{m.sql}\n"
            f"INSERT INTO schema_version (version, name, applied_at)"
            f" VALUES ({m.version}, '{m.name}', '{stamp}');\n"
            "COMMIT;"
        )
        try:
            await conn.executescript(script)
        except BaseException:
            if conn.in_transaction:
                await conn.rollback()
            raise
        applied.append(m.version)
    return applied


class Store:
    """The database of users, cases, events, the reminder outbox and support tickets."""

    def __init__(self, conn: aiosqlite.Connection, path: Path, clock: Clock) -> None:
        self._conn = conn
        self._lock = asyncio.Lock()
        self.path = path
        self.clock = clock

    @classmethod
    async def open(cls, path: str | Path, *, clock: Clock = SYSTEM_CLOCK) -> Store:
        """Opens (creating the folder and file if needed, owner-only) and migrates to the
        latest schema; `SchemaTooNew` for a database of a newer program."""
        target = Path(path)
        if str(target) != ":memory:":
            if target.exists():
                _tighten(target)
            else:
                private_file(target)
        conn = await aiosqlite.connect(str(target), isolation_level=None)
        try:
            async with conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'") as cur:
                foreign = foreign_tables([str(r[0]) for r in await cur.fetchall()])
            if foreign:
                raise NotPctbyDatabase(target, f"it holds the tables {', '.join(foreign[:5])}")
            await _configure(conn)
            await migrate(conn, clock=clock)
        except BaseException:
            await conn.close()
            raise
        return cls(conn, target, clock)

    async def close(self) -> None:
        async with self._lock:
            await self._conn.close()

    async def __aenter__(self) -> Store:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.close()

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[UnitOfWork]:
        """One exclusive unit of work: committed if the block ends normally, else rolled back."""
        async with self._lock:
            uow = UnitOfWork(self._conn, self.clock)
            try:
                await to_the_end(self._begin())
                yield uow
                await to_the_end(self._commit(uow))
            except BaseException:
                await to_the_end(self._conn.rollback())  # nothing to undo after a COMMIT
                raise

    @asynccontextmanager
    async def reading(self) -> AsyncIterator[UnitOfWork]:
        """A unit of work that only reads: a deferred transaction (it takes no write lock, so a
        writer in another process never makes it wait), rolled back at the end."""
        async with self._lock:
            uow = UnitOfWork(self._conn, self.clock)
            try:
                await to_the_end(self._conn.execute("BEGIN"))
                yield uow
            finally:
                await to_the_end(self._conn.rollback())

    async def _begin(self) -> None:
        await self._conn.execute("BEGIN IMMEDIATE")

    async def _commit(self, uow: UnitOfWork) -> None:
        await self._conn.commit()
        uow._committed()

    async def schema_version(self) -> int:
        async with self._lock:
            return await schema_version(self._conn)

    async def stats(self) -> Stats:
        async with self.transaction() as tx:
            return await tx.stats()

    async def backup(self, dest: str | Path) -> None:
        """A consistent copy of the live database (SQLite online backup API), stamped with the
        moment it was taken (`BACKUP_AT_KEY`, read by `pctby restore`)."""
        target = Path(dest)
        private_file(target)
        async with self._lock:
            out = sqlite3.connect(str(target))
            try:
                await self._conn.backup(out)
                stamp_backup(out, self.clock.now())
            finally:
                out.close()


async def to_the_end(work: Awaitable[T]) -> T:
    """`work`, run to its end even if the caller is cancelled meanwhile (a statement handed to
    aiosqlite's thread runs anyway: the caller must not go on as if it had not); a cancellation
    that came meanwhile is raised once it is done."""
    task = asyncio.ensure_future(work)
    cancelled: asyncio.CancelledError | None = None
    while not task.done():
        try:
            await asyncio.wait({task})
        except asyncio.CancelledError as exc:
            cancelled = exc
    if cancelled is not None:
        if not task.cancelled():
            task.exception()  # retrieved: the cancellation is what the caller gets
        raise cancelled
    return task.result()
