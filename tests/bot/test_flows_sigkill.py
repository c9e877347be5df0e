"""A guided flow survives a SIGKILL of the bot (it is written through after each step, not
flushed at stop): the bot is killed in a child process half-way through /addcase
(`flow_child.py`) and a new one on the same database takes the next answer."""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from tests.bot.helpers import bot_run, said
from tests.scripted import Chat

ROOT = Path(__file__).resolve().parents[2]

ALICE = 7001  # the child's user (flow_child.py)

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")


async def test_a_flow_survives_sigkill(settings, clock, tmp_path) -> None:
    child = subprocess.Popen(
        [sys.executable, "-m", "tests.bot.flow_child", str(settings.db), clock.today().isoformat()],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert child.stdout is not None
    try:
        assert child.stdout.readline().strip() == b"ready"
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait()
        child.stdout.close()
    assert child.returncode == -signal.SIGKILL

    async with bot_run(settings, clock, tmp_path) as app:
        user = Chat(app, ALICE, language_code="en")
        assert "patent or a utility model" in said(await user.send("10.03.2025"))
        assert "natural person" in said(await user.press("Patent"))
        assert "Case K-1 saved." in said(await user.press("No"))
        async with app.bot_data["pctby.services"].store.transaction() as tx:
            (case,) = await tx.cases.all(ALICE)
        assert (case.priority, case.filing) == (dt.date(2024, 3, 15), dt.date(2025, 3, 10))
