"""The database as a file: checked before use, backed up, restored (standard `sqlite3`, no loop).

- `check_file(path)` — at the start of `pctby run`, before anything is written: `PRAGMA
  quick_check` (every page readable, the b-trees well formed; O(size): 0.44 s for a 287 MB
  file on this project's machine, `integrity_check` 6.1 s), and the file must be a pctby
  database (or none yet). `Damaged`, `NotPctbyDatabase` or `SchemaTooNew` otherwise: one
  sentence and exit status 4, never a bot that runs on with its dispatcher failing on every
  round.
- `backup_file(source, dest)` — a consistent copy of a database another process may be writing
  (SQLite's online backup API), stamped with the moment it was taken (`meta`
  `backup_taken_at`).
- `restore_file(backup, target)` — the other way, for `pctby restore`: the backup is checked
  whole first (`integrity_check`, a pctby database, a schema this program knows); the database
  it replaces is kept beside it; the copy goes into place with the backup API, page by page
  through SQLite's own locking — so the target's `-wal` (an unclean stop leaves one, with
  transactions newer than the backup) and `-shm` are SQLite's to settle: its rows are replaced
  with the backup's, and the journal is checkpointed and truncated. Copying the file over the
  database with `cp` instead lets SQLite apply the old `-wal` to the new file at the next open:
  "database disk image is malformed", or rows written after the backup silently back. A target
  SQLite cannot open is moved aside with its `-wal` and `-shm`, and the backup copied into a new
  file. The result is checked with `integrity_check` before `restore_file` returns.

The caller holds the instance lock (`pctby.instance`) around a restore: no bot runs on it.
"""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from core.storage.db import (
    BACKUP_AT_KEY,
    BUSY_TIMEOUT_MS,
    Damaged,
    NotPctbyDatabase,
    SchemaTooNew,
    foreign_tables,
    private_file,
    stamp_backup,
)
from core.storage.migrations import LATEST

SIDE_FILES = ("-wal", "-shm", "-journal")


def _connect(path: Path, *, read_only: bool = False) -> sqlite3.Connection:
    if read_only:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    else:
        conn = sqlite3.connect(str(path))
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    return conn


def _tables(conn: sqlite3.Connection) -> list[str]:
    return [str(r[0]) for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")]


def _problems(conn: sqlite3.Connection, pragma: str) -> list[str]:
    """`quick_check` or `integrity_check`: [] when SQLite says ok."""
    rows = [str(r[0]) for r in conn.execute(f"PRAGMA {pragma}(5)")]
    return [] if rows == ["ok"] else rows


def _schema(conn: sqlite3.Connection, path: Path) -> int:
    """The pctby schema version of an open database (0: empty); raises for a foreign one."""
    tables = _tables(conn)
    foreign = foreign_tables(tables)
    if foreign:
        raise NotPctbyDatabase(path, f"it holds the tables {', '.join(foreign[:5])}")
    if "schema_version" not in tables:
        return 0
    found = int(conn.execute("SELECT coalesce(max(version), 0) FROM schema_version").fetchone()[0])
    if found > LATEST:
        raise SchemaTooNew(found, LATEST)
    return found


def _examine(path: Path, pragma: str, *, read_only: bool) -> tuple[sqlite3.Connection, int]:
    """An open connection to `path`, checked with `pragma`, and its schema version."""
    try:
        conn = _connect(path, read_only=read_only)
    except sqlite3.Error as exc:
        raise NotPctbyDatabase(path, f"SQLite cannot open it: {exc}") from exc
    try:
        try:
            problems = _problems(conn, pragma)
        except sqlite3.DatabaseError as exc:
            if "not a database" in str(exc):
                raise NotPctbyDatabase(path, "it is not an SQLite database") from exc
            raise Damaged(path, str(exc)) from exc
        if problems:
            raise Damaged(path, f"{pragma}: {problems[0]}")
        return conn, _schema(conn, path)
    except BaseException:
        conn.close()
        raise


def check_file(path: Path) -> None:
    """The database at `path` can be opened and migrated by this program (nothing there yet is
    fine): `PRAGMA quick_check` passes and it is a pctby database of a known schema."""
    if not path.exists():
        return
    conn, _version = _examine(path, "quick_check", read_only=False)
    conn.close()


# --- backup -----------------------------------------------------------------------------------


def backup_file(source: str | Path, dest: str | Path, now: dt.datetime | None = None) -> None:
    """A consistent copy of a database that another process may be writing (backup API),
    stamped with `now` (the moment it was taken) when given."""
    target = Path(dest)
    if not Path(source).is_file():
        raise FileNotFoundError(str(source))
    private_file(target)
    src = _connect(Path(source))
    try:
        out = sqlite3.connect(str(target))
        try:
            src.backup(out)
            if now is not None:
                stamp_backup(out, now)
        finally:
            out.close()
    finally:
        src.close()


# --- restore ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class BackupInfo:
    """What a backup holds: counted before it is restored."""

    path: Path
    taken_at: dt.datetime | None  # stamped by `pctby backup`; None for other copies
    modified: dt.datetime  # the file's own time (the date of a copy that was not stamped)
    schema: int
    users: int
    cases: int


def inspect_backup(path: Path) -> BackupInfo:
    """Checks a backup whole (`integrity_check`, read-only) and counts what it holds."""
    if not path.is_file():
        raise FileNotFoundError(str(path))
    conn, version = _examine(path, "integrity_check", read_only=True)
    try:
        tables = _tables(conn)
        if version == 0 or "users" not in tables or "cases" not in tables:
            raise NotPctbyDatabase(path, "it holds no pctby tables")
        users = int(conn.execute("SELECT count(*) FROM users WHERE id > 0").fetchone()[0])
        cases = int(conn.execute("SELECT count(*) FROM cases").fetchone()[0])
        taken: dt.datetime | None = None
        if "meta" in tables:
            row = conn.execute("SELECT value FROM meta WHERE key = ?", (BACKUP_AT_KEY,)).fetchone()
            if row is not None:
                try:
                    taken = dt.datetime.fromisoformat(str(row[0]))
                except ValueError:
                    taken = None
    finally:
        conn.close()
    modified = dt.datetime.fromtimestamp(path.stat().st_mtime, dt.UTC)
    return BackupInfo(path, taken, modified, version, users, cases)


@dataclass(frozen=True, slots=True)
class Restored:
    backup: BackupInfo
    target: Path
    kept: Path | None  # the database it replaced, kept beside it (None: there was none)
    damaged: bool  # the replaced database could not be read: moved aside as it was


def _side(path: Path, suffix: str) -> Path:
    return path.with_name(path.name + suffix)


def _move_aside(target: Path, to: Path) -> None:
    """The damaged database and its side files, renamed as they are."""
    os.replace(target, to)
    for suffix in SIDE_FILES:
        side = _side(target, suffix)
        if side.exists():
            os.replace(side, _side(to, suffix))


def restore_file(backup: Path, target: Path, *, stamp: str, keep: bool = True) -> Restored:
    """Replaces the database at `target` with the backup (module docstring). `stamp` names
    the copy of the replaced database (`<target>.before-restore-<stamp>`); `keep=False` keeps
    no copy of a readable one (a damaged one is always moved aside, never deleted)."""
    info = inspect_backup(backup)
    if backup.resolve() == target.resolve():
        raise ValueError("the backup is the database itself")
    kept: Path | None = None
    damaged = False
    if target.exists():
        aside = _side(target, f".before-restore-{stamp}")
        try:
            conn, _version = _examine(target, "quick_check", read_only=False)
            conn.close()
        except (Damaged, NotPctbyDatabase, SchemaTooNew, sqlite3.Error):
            _move_aside(target, aside)  # not readable as it is: kept for a post-mortem
            kept, damaged = aside, True
        else:
            if keep:
                backup_file(target, aside)
                kept = aside
    private_file(target)
    try:
        _copy_into(backup, target)
    except sqlite3.Error:  # e.g. another page size in WAL mode: a new file instead
        if not damaged:
            _move_aside(target, _side(target, f".failed-restore-{stamp}"))
        private_file(target)
        _copy_into(backup, target)
    conn = _connect(target)
    try:
        problems = _problems(conn, "integrity_check")
    finally:
        conn.close()
    if problems:
        raise Damaged(target, f"integrity_check after the restore: {problems[0]}")
    return Restored(info, target, kept, damaged)


def _copy_into(backup: Path, target: Path) -> None:
    src = _connect(backup, read_only=True)
    try:
        dst = _connect(target)
        try:
            src.backup(dst)
            # what the backup API wrote may sit in the target's WAL: into the file, WAL emptied
            mode = str(dst.execute("PRAGMA journal_mode").fetchone()[0]).lower()
            if mode == "wal":
                dst.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        finally:
            dst.close()
    finally:
        src.close()
