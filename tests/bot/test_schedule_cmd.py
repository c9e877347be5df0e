"""Staff /schedule: a newer fee schedule installed without a release (docs/RULES.md §3)."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

from bot.app import BotApp, Options, build_application, running
from bot.context import SERVICES_KEY
from bot.offline import OfflineBotApi
from core.clock import FrozenClock
from core.schedule import uninstall_all
from core.settings import Settings
from tests.bot.helpers import dated, said
from tests.scripted import Chat

STAFF_ID = 42
NEW = (Path(__file__).parents[1] / "fixtures" / "schedules" / "test-2026.toml").read_bytes()


@pytest.fixture(autouse=True)
def _clean() -> Iterator[None]:
    uninstall_all()
    yield
    uninstall_all()


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(
        _env_file=None,  # type: ignore[call-arg]
        db=tmp_path / "pctby.sqlite3",
        staff_ids=frozenset({STAFF_ID}),
    )


@pytest.fixture
async def app(settings: Settings, clock: FrozenClock) -> AsyncIterator[BotApp]:
    application = build_application(
        settings, Options(set_commands=False, clock=clock, dispatch=False), request=OfflineBotApi()
    )
    async with running(application):
        yield application


async def test_only_staff_may_use_it(app: BotApp) -> None:
    text = said(await Chat(app, 5001, language_code="en").send("/schedule"))
    assert "Installed" not in text and "TOML" not in text


@dated
async def test_staff_install_a_schedule_that_then_prices_every_fee(
    app: BotApp, settings: Settings, clock: FrozenClock
) -> None:
    staff = Chat(app, STAFF_ID, language_code="en")
    assert "In force today: annex-by-i-2018" in said(await staff.send("/schedule"))
    bad = NEW.replace(b'grant = { bv = "10", basis = "Annex BY.I; BY.10" }\n', b"", 1)
    text = said(await staff.upload("new.toml", bad, caption="/schedule"))
    assert "Not installed:" in text and "“patent.grant” is missing." in text
    text = said(await staff.upload("new.toml", NEW, caption="/schedule"))
    assert "Installed the fee schedule test-2026, in force from 2026-01-01." in text
    assert "patent.grant: 245.00 → 450.00" in text  # 10 BV at 24.50 → at 45.00
    user = Chat(app, 5002, language_code="en")
    text = said(await user.send("/fees grant"))
    assert "Total: 450.00 BYN" in text
    assert "Amounts of the 2026 schedule — check the current ones" in text
    # a restart: the schedule comes back from the database
    uninstall_all()
    again = build_application(
        settings, Options(set_commands=False, clock=clock, dispatch=False), request=OfflineBotApi()
    )
    async with running(again):
        text = said(await Chat(again, 5003, language_code="en").send("/fees grant"))
    assert "Total: 450.00 BYN" in text


async def test_staff_may_send_it_as_text(app: BotApp) -> None:
    staff = Chat(app, STAFF_ID, language_code="en")
    text = said(await staff.send("/schedule\n" + NEW.decode()))
    assert "Installed the fee schedule test-2026" in text


# --- validated completely; withdrawn with /schedule undo -------------------------------------

EXTREME = re.sub(
    r'(bv = |\[\d+, \d+, )"[^"]*"',
    r'\1"1000"',  # every fee at the largest amount a schedule may have
    NEW.decode()
    .replace('id = "test-2026"', 'id = "' + "x" * 60 + '"')
    .replace('base_value = "45.00"', 'base_value = "10000"')
    .replace('source = "tests/fixtures/schedules/test-2026.toml"', 'source = "' + "s" * 300 + '"'),
)


@dated
async def test_a_schedule_at_every_limit_is_confirmed_and_breaks_no_answer(
    app: BotApp, clock: FrozenClock
) -> None:
    staff = Chat(app, STAFF_ID, language_code="en")
    replies = await staff.upload("new.toml", EXTREME.encode(), caption="/schedule")
    text = said(replies)
    assert "Installed the fee schedule " + "x" * 60 in text and "Sorry" not in text
    assert all(len(r.text) <= 4096 for r in replies)
    user = Chat(app, 5004, language_code="be")
    answers = [
        await user.send("/fees national 1000 1000"),
        await user.send("/fees grant"),
        await user.send("/fees annual 25"),
        await user.send("/addcase A-1 15.03.2024 10.03.2025 patent"),
        await user.send(f"/record A-1 grant-decision {clock.today():%d.%m.%Y}"),
        await user.send("/case A-1"),
        await user.send("/deadlines 15.03.2024 10.03.2025"),
        await user.send("/cases"),
    ]
    for replies in answers:
        assert replies and "Прабачце" not in said(replies), said(replies)
    assert "10 000" in said(answers[1]).replace("\u00a0", " ") or "10000" in said(answers[1])


async def test_what_once_broke_every_answer_is_refused_and_nothing_stored(
    app: BotApp, settings: Settings
) -> None:
    staff = Chat(app, STAFF_ID, language_code="en")
    for bad, sentence in (
        (NEW.replace(b'[21, 25, "33"]', b'[21, 25, "2e24"]'), "must be from 0 to 1000"),
        (NEW.replace(b"effective_from = 2026-01-01", b"effective_from = 9999-12-31"), "2100"),
        (NEW.replace(b'[3, 4, "5"]', b'[3, 100000000, "5"]'), "years from 1 to 25"),
        (NEW.replace(b'id = "test-2026"', b'id = "' + b"x" * 5000 + b'"'), "at most 60"),
    ):
        text = said(await staff.upload("new.toml", bad, caption="/schedule"))
        assert "Not installed:" in text and sentence in text, text
    store = app.bot_data[SERVICES_KEY].store
    async with store.transaction() as tx:
        assert await tx.schedules.documents() == []


@dated
async def test_staff_withdraw_the_newest_schedule(
    app: BotApp, settings: Settings, clock: FrozenClock
) -> None:
    staff = Chat(app, STAFF_ID, language_code="en")
    assert "nothing to withdraw" in said(await staff.send("/schedule undo"))
    said(await staff.upload("new.toml", NEW, caption="/schedule"))
    again = said(await staff.upload("new.toml", NEW, caption="/schedule"))
    assert "The schedule “test-2026” is installed already" in again
    user = Chat(app, 5005, language_code="en")
    assert "Total: 450.00 BYN" in said(await user.send("/fees grant"))
    text = said(await staff.send("/schedule undo"))
    assert "Withdrew the fee schedule test-2026 (in force from 2026-01-01)." in text
    assert "In force today: annex-by-i-2018, from 2018-01-01." in text
    assert "Total: 245.00 BYN" in said(await user.send("/fees grant"))
    # and after a restart it stays withdrawn
    uninstall_all()
    again_app = build_application(
        settings, Options(set_commands=False, clock=clock, dispatch=False), request=OfflineBotApi()
    )
    async with running(again_app):
        text = said(await Chat(again_app, 5006, language_code="en").send("/fees grant"))
    assert "Total: 245.00 BYN" in text


@dated
async def test_a_stored_schedule_that_no_longer_passes_is_left_out_at_start(
    settings: Settings, clock: FrozenClock, caplog: pytest.LogCaptureFixture
) -> None:
    """Stored by an older pctby, before the checks: the bot starts and answers from the rest."""
    import logging

    from core.storage import Store

    store = await Store.open(settings.db)
    async with store.transaction() as tx:
        bad = NEW.decode().replace('[21, 25, "33"]', '[21, 25, "2e24"]')
        await tx.schedules.put("test-2026", "2026-01-01", bad, 42)
    await store.close()
    application = build_application(
        settings, Options(set_commands=False, clock=clock, dispatch=False), request=OfflineBotApi()
    )
    with caplog.at_level(logging.ERROR):
        async with running(application):
            text = said(await Chat(application, 5007, language_code="en").send("/fees grant"))
    assert "Total: 245.00 BYN" in text
    assert any("a stored fee schedule is not installed" in r.getMessage() for r in caplog.records)
