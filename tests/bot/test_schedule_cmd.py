"""Staff /schedule: a newer fee schedule installed without a release (issue 13)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

from bot.app import BotApp, build_application, running
from bot.offline import OfflineBotApi, Sent
from bot.settings import Settings
from core.clock import FrozenClock
from core.schedule import uninstall_all
from tests.scripted import Chat, text_of

STAFF_ID = 42
NEW = (Path(__file__).parents[1] / "fixtures" / "schedules" / "test-2026.toml").read_bytes()


def said(replies: list[Sent]) -> str:
    return text_of(replies).replace("\u00a0", " ").replace("\u202f", " ")


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
        settings, request=OfflineBotApi(), set_commands=False, clock=clock, dispatch=False
    )
    async with running(application):
        yield application


async def test_only_staff_may_use_it(app: BotApp) -> None:
    text = said(await Chat(app, 5001, language_code="en").send("/schedule"))
    assert "Installed" not in text and "TOML" not in text


async def test_staff_install_a_schedule_that_then_prices_every_fee(
    app: BotApp, settings: Settings, clock: FrozenClock
) -> None:
    staff = Chat(app, STAFF_ID, language_code="en")
    assert "In force today: annex-by-i-2018" in said(await staff.send("/schedule"))
    bad = NEW.replace(b'grant = { bv = "10", basis = "Annex BY.I; BY.10" }\n', b"", 1)
    text = said(await staff.upload("new.toml", bad, caption="/schedule"))
    assert "Not installed:" in text and "patent.grant is missing (bv and basis)." in text
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
        settings, request=OfflineBotApi(), set_commands=False, clock=clock, dispatch=False
    )
    async with running(again):
        text = said(await Chat(again, 5003, language_code="en").send("/fees grant"))
    assert "Total: 450.00 BYN" in text


async def test_staff_may_send_it_as_text(app: BotApp) -> None:
    staff = Chat(app, STAFF_ID, language_code="en")
    text = said(await staff.send("/schedule\n" + NEW.decode()))
    assert "Installed the fee schedule test-2026" in text
