"""One bot per database: a second `pctby run` exits 1 naming the first; the other commands
work beside it."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from pathlib import Path

from core.storage import Store
from pctby import exits
from pctby.instance import InstanceLock
from tests.cli.test_startup import ROOT, one_sentence, pctby_run


async def make(db: Path) -> None:
    store = await Store.open(db)
    await store.close()


def test_a_second_run_on_the_same_database_is_refused(tmp_path: Path) -> None:
    db = tmp_path / "pctby.sqlite3"
    asyncio.run(make(db))
    with InstanceLock(db):  # a bot is running on it
        second = pctby_run(tmp_path, "--console", PCTBY_DB=str(db))
        assert second.returncode == exits.FAILED
        sentence = one_sentence(second.stderr)
        assert "another pctby run is already using the database" in sentence
        assert f"pid {os.getpid()}" in sentence
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
