"""`pctby health`: the database answers and the reminder dispatcher ticked within a minute."""

from __future__ import annotations

import datetime as dt
import itertools
from pathlib import Path

import pytest

from core.health import MAX_AGE, check, record_tick
from core.reminders import Dispatcher, Reminders
from core.storage import Store
from pctby import cli, exits
from pctby.instance import InstanceLock
from tests.reminders.fakes import FakeClock, RecordingNotifier


async def test_the_dispatcher_records_its_rounds_and_never_idles_past_the_beat(
    store: Store, clock: FakeClock
) -> None:
    beats: list[dt.datetime] = []
    idles: list[float] = []

    async def heartbeat(now: dt.datetime) -> None:
        beats.append(now)
        await record_tick(store, now)

    async def sleep(seconds: float) -> None:
        idles.append(seconds)
        clock.advance(seconds)
        if len(idles) >= 6:
            d._stopping = True

    d = Dispatcher(
        Reminders(store),
        RecordingNotifier(clock),
        clock=clock,
        sleep=sleep,
        heartbeat=heartbeat,
        heartbeat_every=15.0,
    )
    await d.start()
    assert idles and max(idles) <= 15.0  # nothing is due: it would idle 60 s without a beat
    assert len(beats) >= 5
    assert all((b - a).total_seconds() >= 15.0 for a, b in itertools.pairwise(beats))
    assert check(store.path, clock.now()).healthy


async def test_healthy_only_while_the_tick_is_younger_than_a_minute(
    store: Store, clock: FakeClock
) -> None:
    assert not check(store.path, clock.now()).healthy  # the dispatcher never ran
    await record_tick(store, clock.now())
    assert check(store.path, clock.now() + dt.timedelta(seconds=30)).healthy
    late = check(store.path, clock.now() + dt.timedelta(seconds=MAX_AGE + 1))
    assert not late.healthy and "61 s ago" in late.reason


def test_no_database_is_unhealthy_and_creates_nothing(tmp_path: Path) -> None:
    missing = tmp_path / "none.sqlite3"
    assert not check(missing, dt.datetime.now(dt.UTC)).healthy
    assert not missing.exists()
    garbage = tmp_path / "garbage.sqlite3"
    garbage.write_bytes(b"not a database at all" * 100)
    assert "does not answer" in check(garbage, dt.datetime.now(dt.UTC)).reason


async def test_the_command_exits_0_or_1(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "bot.sqlite3"
    store = await Store.open(db)
    try:
        with InstanceLock(db):  # the bot that runs on it
            assert cli.main(["health", "--db", str(db)]) == exits.FAILED
            assert "the reminder dispatcher has not run yet" in capsys.readouterr().err
            await record_tick(store, dt.datetime.now(dt.UTC))
            assert cli.main(["health", "--db", str(db)]) == exits.OK
            assert capsys.readouterr().out.startswith("pctby: healthy")
    finally:
        await store.close()


async def test_the_database_named_in_dot_env_is_the_one_checked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("PCTBY_DB", raising=False)
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".env").write_text("PCTBY_BOT_TOKEN=\nPCTBY_DB=state/bot.sqlite3\n")
    store = await Store.open(tmp_path / "state" / "bot.sqlite3")
    try:
        await record_tick(store, dt.datetime.now(dt.UTC))
        with InstanceLock(tmp_path / "state" / "bot.sqlite3"):
            assert cli.main(["health"]) == exits.OK
    finally:
        await store.close()
    # a bad bot setting is the bot's business: health reads PCTBY_DB only
    (tmp_path / ".env").write_text("PCTBY_DB=\nPCTBY_STAFF_CHAT_ID=not-a-number\n")
    assert cli.main(["health"]) == exits.FAILED  # ./data/pctby.sqlite3: none; never status 3
    assert "no database at data/pctby.sqlite3" in capsys.readouterr().err
    # a .env that cannot be read: unhealthy with the sentence (0 or 1 only, for Docker)
    (tmp_path / ".env").write_bytes(b"PCTBY_DB=caf\xe9.sqlite3\n")
    assert cli.main(["health"]) == exits.FAILED
    assert ".env is not UTF-8 text" in capsys.readouterr().err
