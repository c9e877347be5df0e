"""The case desk opened from the chat: with PCTBY_WEBAPP_URL (https) the bot's menu button
and /desk open it (a web_app button: Telegram signs the user in); without it, /desk says the
desk is not set up and nothing points to it."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from bot.offline import OfflineBotApi
from core.i18n import translator
from core.settings import Settings

URL = "https://desk.example.org/app/"


def with_desk(tmp_path: Path) -> Settings:
    return Settings(
        _env_file=None,  # type: ignore[call-arg]
        bot_token=None,
        db=tmp_path / "pctby.sqlite3",
        console_dir=tmp_path / "console",
        webapp_url=URL,
    )


class TestWithTheDesk:
    @pytest.fixture
    def settings(self, tmp_path: Path) -> Settings:
        return with_desk(tmp_path)

    async def test_desk_answers_with_a_button_that_opens_it(self, app, chat) -> None:
        user = chat("ru")
        sent = await user.send("/desk")
        assert len(sent) == 1
        (button,) = sent[0].buttons
        assert button["web_app"] == {"url": URL}
        assert button["text"] == translator("ru").gettext("Open the case desk")

    async def test_the_menu_button_and_the_command_list(self, app, server: OfflineBotApi) -> None:
        assert server.menu_button == {
            "type": "web_app",
            "text": "Case desk",
            "web_app": {"url": URL},
        }
        for lang in ("ru", "be", "en", ""):
            names = [c["command"] for c in server.commands[lang]]
            assert names[names.index("cases") + 1] == "desk", lang

    async def test_a_chats_menu_button_speaks_its_users_language(
        self, app, chat, server: OfflineBotApi
    ) -> None:
        ru, en = chat("ru"), chat("en")
        await ru.send("/start")
        assert server.chat_menu_buttons[ru.user_id] == {
            "type": "web_app",
            "text": translator("ru").gettext("Case desk"),
            "web_app": {"url": URL},
        }
        assert server.chat_menu_buttons[ru.user_id]["text"] != "Case desk"
        await en.send("/start")  # English is the default's language: no call of its own
        assert en.user_id not in server.chat_menu_buttons
        mine = server.chat_menu_buttons.pop(ru.user_id)
        await ru.send("/start")  # once per chat, not at every /start: no call this time
        assert ru.user_id not in server.chat_menu_buttons
        server.chat_menu_buttons[ru.user_id] = mine
        await ru.send("/language be")
        assert server.chat_menu_buttons[ru.user_id]["text"] == translator("be").gettext("Case desk")
        await ru.send("/language en")  # back to the default button
        assert ru.user_id not in server.chat_menu_buttons
        assert server.menu_button is not None and server.menu_button["text"] == "Case desk"


async def test_without_the_url_desk_says_so(app, chat, server: OfflineBotApi) -> None:
    sent = await chat("en").send("/desk")
    assert sent[0].plain == "The case desk is not set up on this bot." and not sent[0].buttons
    assert server.menu_button is None
    await chat("ru").send("/start")
    assert server.chat_menu_buttons == {}
    assert "desk" not in [c["command"] for c in server.commands["en"]]


@pytest.mark.parametrize("url", ["http://desk.example.org/app/", "desk.example.org", "https://"])
def test_the_desk_needs_a_public_https_address(tmp_path: Path, url: str) -> None:
    with pytest.raises(ValidationError, match="https URL"):
        Settings(_env_file=None, db=tmp_path / "x.sqlite3", webapp_url=url)  # type: ignore[call-arg]
