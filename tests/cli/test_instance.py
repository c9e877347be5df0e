"""One bot per database: a second `pctby run` exits 7 naming the first — also when it reaches
the database through a symlink; the other commands work beside it; the lock file says how the
last bot ended, and `pctby health` reads it."""

from __future__ import annotations

import asyncio
import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import pytest

from core.health import record_tick
from core.storage import Store
from pctby import cli, exits
from pctby.instance import InstanceLock, lock_path, probe
from tests.cli.helpers import ROOT, one_sentence, pctby_run


async def make(db: Path) -> None:
    store = await Store.open(db)
    await store.close()


def test_a_second_run_on_the_same_database_is_refused(tmp_path: Path) -> None:
    db = tmp_path / "pctby.sqlite3"
    asyncio.run(make(db))
    with InstanceLock(db):  # a bot is running on it
        second = pctby_run(tmp_path, "--console", PCTBY_DB=str(db))
        assert second.returncode == exits.BUSY
        sentence = one_sentence(second.stderr)
        assert "another pctby is already using the database" in sentence
        assert f"pctby run, pid {os.getpid()}" in sentence
        env = {k: v for k, v in os.environ.items() if not k.startswith("PCTBY_")}
        backup = subprocess.run(
            [sys.executable, "-m", "pctby.cli", "backup", str(tmp_path / "copy.sqlite3")],
            cwd=tmp_path,
            env={**env, "PYTHONPATH": str(ROOT), "PCTBY_DB": str(db)},
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert backup.returncode == exits.OK, backup.stderr
    again = pctby_run(tmp_path, "--console", PCTBY_DB=str(db))  # the first one stopped
    assert again.returncode == exits.OK, again.stderr


def test_a_symlink_to_the_database_finds_the_same_lock(tmp_path: Path) -> None:
    real = tmp_path / "state" / "pctby.sqlite3"
    real.parent.mkdir()
    asyncio.run(make(real))
    link = tmp_path / "bot.sqlite3"
    link.symlink_to(real)
    assert lock_path(link) == lock_path(real) == real.with_name("pctby.sqlite3.run.lock")
    with InstanceLock(real):
        second = pctby_run(tmp_path, "--console", PCTBY_DB=str(link))
        assert second.returncode == exits.BUSY, second.stderr
    with InstanceLock(tmp_path / "state" / ".." / "state" / "pctby.sqlite3"):
        assert probe(real) is not None and probe(real).held  # type: ignore[union-attr]


def test_the_folders_it_makes_are_private(tmp_path: Path) -> None:
    pctby_run(tmp_path, "--console", PCTBY_DB="new/deeper/pctby.sqlite3")
    for folder in ("new", "new/deeper"):
        assert (tmp_path / folder).stat().st_mode & 0o777 == 0o700, folder


def test_the_lock_file_says_how_the_last_bot_ended(tmp_path: Path) -> None:
    db = tmp_path / "pctby.sqlite3"
    lock = InstanceLock(db)
    lock.acquire()
    state = probe(db)
    assert state is not None and state.held and state.line.startswith("pctby run, pid")
    lock.release("the reminder dispatcher failed: DatabaseError: database disk image is malformed")
    state = probe(db)
    assert state is not None and not state.held
    assert "stopped" in state.line and "the reminder dispatcher failed" in state.line


async def test_health_is_1_as_soon_as_the_bot_has_stopped(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "bot.sqlite3"
    store = await Store.open(db)
    try:
        await record_tick(store, dt.datetime.now(dt.UTC))  # a tick of a second ago
        lock = InstanceLock(db)
        lock.acquire()
        assert cli.main(["health", "--db", str(db)]) == exits.OK
        lock.release("the reminder dispatcher failed: DatabaseError: disk I/O error")
        assert cli.main(["health", "--db", str(db)]) == exits.FAILED  # at once, not after 60 s
        said = capsys.readouterr().err
        assert f"no pctby run holds the database {db}" in said
        assert "the reminder dispatcher failed: DatabaseError: disk I/O error" in said
    finally:
        await store.close()
