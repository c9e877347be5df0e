"""/cancel ends any guided flow and says which (in the user's language); with no flow waiting
it says there is nothing to cancel. After it, the user's text is a question again and the
flow's buttons have expired."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.app import BotApp
from bot.handlers import CANCELLED, TEXT_STEPS
from core.clock import FrozenClock
from tests.bot.helpers import (
    AQUAPUR,
    STAFF_CHAT,
    STAFF_ID,
    buttons_of,
    said,
    staff_bot,
    stored_answers,
)
from tests.scripted import Chat

# Each flow: how it starts, and the sentence /cancel answers with (en).
FLOWS = [
    ("/fees", "The fee quote is cancelled."),
    ("/deadlines", "The deadline calculation is cancelled."),
    ("/addcase", "Adding the case is cancelled; nothing was saved."),
    ("/reminders time", "The change is cancelled; your reminder settings stay as they were."),
    ("/import", "The import is cancelled; nothing was imported."),
]


def test_every_flow_has_its_sentence() -> None:
    assert set(CANCELLED) == set(TEXT_STEPS) | {"support"}


@pytest.mark.parametrize(("start", "sentence"), FLOWS)
async def test_cancel_ends_the_flow_and_says_which(chat, start: str, sentence: str) -> None:
    user = chat("en")
    started = await user.send(start)
    replies = await user.send("/cancel")
    assert said(replies) == f"{sentence} /help lists what I can do."
    # the next text is not an answer to the cancelled question
    assert "Nothing to cancel" not in said(await user.send("/cancel"))
    assert "There is nothing to cancel" in said(await user.send("/cancel"))
    if any(s.buttons for s in started):
        pressed = await user.press(0, buttons_of(started))
        assert "expired" in said(pressed)


@pytest.mark.parametrize(
    ("lang", "nothing", "cancelled"),
    [
        ("ru", "Отменять нечего", "Заявление о переходе отменено; ваши ответы не сохранены."),
        ("be", "Няма чаго адмяняць", "Заява аб пераходзе адменена; вашы адказы не захаваны."),
        ("en", "There is nothing to cancel", "The entry request is cancelled"),
    ],
)
async def test_cancel_in_the_entry_form_keeps_nothing(
    app, chat, lang: str, nothing: str, cancelled: str
) -> None:
    user = chat(lang)
    assert nothing in said(await user.send("/cancel"))
    await user.send("/addcase PCT/EP2024/061234 15.03.2024 22.04.2024 patent")
    await user.send("/entryform PCT/EP2024/061234")
    await user.send("Water filter")
    await user.send("WO 2024/223456")
    await user.send("31.10.2024")
    added = await user.send(AQUAPUR)
    replies = await user.send("/cancel")
    assert cancelled in said(replies) and "/help" in said(replies)
    assert await stored_answers(app, user.user_id) is None
    await user.press(0, buttons_of(added))  # Done, of the cancelled form: expired
    assert app.user_data[user.user_id].get("flow") is None


@pytest.fixture
async def desk_app(tmp_path: Path, clock: FrozenClock) -> AsyncIterator[BotApp]:
    async with staff_bot(tmp_path, clock, members=(STAFF_ID,)) as application:
        yield application


async def test_cancel_the_message_to_the_staff(desk_app: BotApp) -> None:
    user = Chat(desk_app, 101, language_code="en")
    server = user.server
    await user.send("/support")
    assert desk_app.user_data[user.user_id]["flow"]["name"] == "support"
    replies = await user.send("/cancel")
    assert said(replies).startswith("Your message to the staff is cancelled; nothing was sent.")
    mark = len(server.sent)
    await user.send("hello")  # a question for the FAQ now, not a ticket
    assert not [s for s in server.sent[mark:] if s.chat_id == STAFF_CHAT]
