"""`pctby restore`: a backup put back after an unclean stop — with SQLite's backup API, never a
file copy — refused while a bot holds the database, checked before and after, and telling what
it restored. (The copy that README once suggested, `cp backup.sqlite3 pctby.sqlite3`, lets
SQLite apply the old `-wal` to the new file: shown below, as the reason.)"""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from core import aio
from core.storage import LATEST, Store, migrate
from pctby import cli, exits
from pctby.instance import InstanceLock

HEADER = (
    "telegram_user_id,ref,kind,priority_date,filing_date,entry_date,grant_decision_date,title\n"
)
FIRST = HEADER + (
    "111,A-1,patent,2023-01-10,2023-06-01,,,Widget\n"
    "111,A-2,utility-model,,2022-02-01,2024-08-01,2025-01-15,Gadget\n"
    "222,B-1,patent,,2024-03-04,,,\n"
)
LATER = HEADER + "".join(f"333,C-{i},patent,,2024-03-04,,,Later {i}\n" for i in range(1, 41))

# A writer killed in the middle of its work: its committed transactions sit in the -wal (no
# checkpoint), as after `kill -KILL` of a bot that was importing.
KILLED_WRITER = """
import os, signal, sqlite3, sys
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
conn.execute("PRAGMA journal_mode = WAL")
conn.execute("PRAGMA wal_autocheckpoint = 0")
for i in range(400):
    conn.execute("BEGIN IMMEDIATE")
    conn.execute("UPDATE cases SET title = ? WHERE ref LIKE 'C-%'", ("x" * 500 + str(i),))
    conn.execute("INSERT OR REPLACE INTO meta (key, value, updated_at) VALUES (?, ?, 0)",
                 (f"filler-{i}", "y" * 2000))
    conn.execute("COMMIT")
os.kill(os.getpid(), signal.SIGKILL)
"""


def _cases(db: Path) -> list[str]:
    with sqlite3.connect(db) as conn:
        return sorted(str(r[0]) for r in conn.execute("SELECT ref FROM cases"))


def _integrity(db: Path) -> list[str]:
    conn = sqlite3.connect(db)
    try:
        return [str(r[0]) for r in conn.execute("PRAGMA integrity_check")]
    finally:
        conn.close()


@pytest.fixture
def killed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path]:
    """A database with a backup of 3 cases, 40 more imported after it, then a writer killed
    with SIGKILL (a -wal of a few MB stays); the database and the backup."""
    db = tmp_path / "data" / "pctby.sqlite3"
    backup = tmp_path / "backups" / "b.sqlite3"
    monkeypatch.setenv("PCTBY_DB", str(db))
    (tmp_path / "first.csv").write_text(FIRST, encoding="utf-8")
    (tmp_path / "later.csv").write_text(LATER, encoding="utf-8")
    assert cli.main(["import", str(tmp_path / "first.csv")]) == exits.OK
    assert cli.main(["backup", str(backup)]) == exits.OK
    assert cli.main(["import", str(tmp_path / "later.csv")]) == exits.OK
    done = subprocess.run([sys.executable, "-c", KILLED_WRITER, str(db)], timeout=120)
    assert done.returncode == -9
    wal = db.with_name(db.name + "-wal")
    assert wal.is_file() and wal.stat().st_size > 1_000_000
    return db, backup


def test_a_file_copy_over_a_database_with_a_wal_is_not_a_restore(
    killed: tuple[Path, Path], tmp_path: Path
) -> None:
    """Why `pctby restore` exists: `cp` leaves the old -wal, which SQLite applies to the copy."""
    db, backup = killed
    shutil.copyfile(backup, db)
    broken = _integrity(db) != ["ok"]
    rows_survived = not broken and len(_cases(db)) != 3
    assert broken or rows_survived


def test_restore_after_an_unclean_stop(
    killed: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    db, backup = killed
    capsys.readouterr()
    assert cli.main(["restore", str(backup)]) == exits.OK
    said = capsys.readouterr().out
    assert f"restored {db} from {backup}, a backup taken " in said
    assert "2 user(s), 3 case(s)" in said
    kept = next(db.parent.glob("pctby.sqlite3.before-restore-*"))
    assert f"The database it replaced is kept as {kept}." in said
    assert _integrity(db) == ["ok"]
    assert _cases(db) == ["A-1", "A-2", "B-1"]  # nothing written after the backup survives
    assert not db.with_name(db.name + "-wal").exists() or (
        db.with_name(db.name + "-wal").stat().st_size == 0
    )
    assert len(_cases(kept)) == 43 and _integrity(kept) == ["ok"]  # the replaced one, whole
    assert kept.stat().st_mode & 0o777 == 0o600
    # the store opens it as always, and the CLI reads it
    assert cli.main(["export", "--user", "111"]) == exits.OK
    assert "A-2" in capsys.readouterr().out


def test_restore_is_refused_while_a_bot_holds_the_database(
    killed: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    db, backup = killed
    with InstanceLock(db):
        assert cli.main(["restore", str(backup), "--db", str(db)]) == exits.BUSY
    err = capsys.readouterr().err
    assert "is in use (pctby run, pid" in err and "stop the bot first" in err
    assert len(_cases(db)) == 43  # untouched
    assert not list(db.parent.glob("*.before-restore-*"))


def test_a_bad_backup_touches_nothing(
    killed: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db, _ = killed
    notes = tmp_path / "notes.sqlite3"
    notes.write_text("not a database\n" * 500)
    other = tmp_path / "other.sqlite3"
    with sqlite3.connect(other) as conn:
        conn.execute("CREATE TABLE photos (id INTEGER)")
    assert cli.main(["restore", str(tmp_path / "missing.sqlite3")]) == exits.BAD_INPUT
    assert cli.main(["restore", str(notes)]) == exits.DATABASE
    assert cli.main(["restore", str(other)]) == exits.DATABASE
    err = capsys.readouterr().err
    assert "there is no backup at" in err
    assert "is not a pctby database (it is not an SQLite database)" in err
    assert "is not a pctby database (it holds the tables photos)" in err
    assert len(_cases(db)) == 43
    assert not list(db.parent.glob("*.before-restore-*"))


def test_a_damaged_database_is_moved_aside_and_replaced(
    killed: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    db, backup = killed
    with open(db, "r+b") as fh:  # pages in the middle overwritten: a damaged file
        fh.seek(8192)
        fh.write(b"\xff" * 16384)
    (db.with_name(db.name + "-wal")).unlink()
    assert cli.main(["restore", str(backup)]) == exits.OK
    said = capsys.readouterr().out
    moved = next(db.parent.glob("pctby.sqlite3.before-restore-*"))
    assert f"The damaged database it replaced was moved as {moved}." in said
    assert _integrity(db) == ["ok"] and _cases(db) == ["A-1", "A-2", "B-1"]


def test_a_backup_of_an_older_schema_is_restored_and_migrated_by_the_next_start(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    old = tmp_path / "old.sqlite3"

    async def make_old() -> None:
        import aiosqlite

        async with aiosqlite.connect(old, isolation_level=None) as conn:
            await migrate(conn, target=5)
            await conn.execute(
                "INSERT INTO users (id, chat_id, created_at, updated_at) VALUES (7, 7, 0, 0)"
            )

    aio.run(make_old())
    db = tmp_path / "pctby.sqlite3"
    assert cli.main(["restore", str(old), "--db", str(db)]) == exits.OK
    said = capsys.readouterr().out
    assert "a copy dated" in said and "1 user(s), 0 case(s), schema version 5" in said
    assert f"The next `pctby run` brings it from schema version 5 to {LATEST}." in said

    async def opened() -> int:
        async with await Store.open(db) as store:
            return await store.schema_version()

    assert aio.run(opened()) == LATEST
