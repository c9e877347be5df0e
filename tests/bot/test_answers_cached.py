"""/fees and /deadlines answers are built once per input (bot/render/answers.py) — and built
again when the staff install a fee schedule, whose amounts they show."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

from bot.app import BotApp, Options, build_application, running
from bot.offline import OfflineBotApi
from bot.render import answers
from core.clock import FrozenClock
from core.schedule import uninstall_all
from core.settings import Settings
from tests.bot.helpers import dated
from tests.scripted import Chat, text_of

STAFF_ID = 42
NEW = (Path(__file__).parents[1] / "fixtures" / "schedules" / "test-2026.toml").read_bytes()


@pytest.fixture(autouse=True)
def _clean() -> Iterator[None]:
    uninstall_all()
    yield
    uninstall_all()


@pytest.fixture
async def app(tmp_path: Path, clock: FrozenClock) -> AsyncIterator[BotApp]:
    settings = Settings(
        _env_file=None,  # type: ignore[call-arg]
        db=tmp_path / "pctby.sqlite3",
        staff_ids=frozenset({STAFF_ID}),
    )
    application = build_application(
        settings, Options(set_commands=False, clock=clock, dispatch=False), request=OfflineBotApi()
    )
    async with running(application):
        yield application


@dated
async def test_the_same_question_is_answered_from_the_cache_until_a_schedule_comes(
    app: BotApp,
) -> None:
    user = Chat(app, 5002, language_code="en")
    fees = text_of(await user.send("/fees patent 2 15"))
    table = text_of(await user.send("/deadlines 15.03.2024 14.03.2025"))
    hits = answers.national_quote.cache_info().hits, answers.deadlines_answer.cache_info().hits
    other = Chat(app, 5003, language_code="en")
    assert text_of(await other.send("/fees patent 2 15")) == fees
    assert text_of(await other.send("/deadlines 15.03.2024 14.03.2025")) == table
    assert answers.national_quote.cache_info().hits == hits[0] + 1
    assert answers.deadlines_answer.cache_info().hits == hits[1] + 1
    assert "2018" in fees

    staff = Chat(app, STAFF_ID, language_code="en")
    assert "Installed the fee schedule test-2026" in text_of(
        await staff.upload("new.toml", NEW, caption="/schedule")
    )
    after = text_of(await user.send("/fees patent 2 15"))
    assert after != fees and "Amounts of the 2026 schedule" in after  # not the cached 2018 one
    assert text_of(await user.send("/deadlines 15.03.2024 14.03.2025")) != table
