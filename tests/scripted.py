"""A scripted Telegram user for the tests and the benchmarks: sends text, presses buttons,
uploads documents, and reads what the bot answered.

Each call builds the update the user's client would (`bot.offline.Client`), feeds it straight
to `Application.process_update` (no polling) and returns what the bot sent to this chat
(messages, edits, documents) and the callback answers with text.
"""

from __future__ import annotations

from typing import Any

from telegram import Update
from telegram.ext import Application

from bot.offline import Client, Sent, server_of


class Chat(Client):
    """A user in a private chat with the bot of `app` (built on the offline Bot API)."""

    def __init__(
        self,
        app: Application[Any, Any, Any, Any, Any, Any],
        user_id: int,
        *,
        language_code: str | None = "en",
        first_name: str = "Test",
        username: str | None = None,
    ) -> None:
        super().__init__(
            server_of(app),
            user_id,
            language_code=language_code,
            first_name=first_name,
            username=username,
        )
        self.app = app

    async def feed(self, data: dict[str, Any]) -> list[Sent]:
        """Delivers the update `data`; returns what the bot sent this user in answer."""
        mark = len(self.server.sent)
        if "message" in data:
            self.server.seen(data["message"])
        update = Update.de_json(data, self.app.bot)
        await self.app.process_update(update)
        return [s for s in self.server.sent[mark:] if s.chat_id in (self.user_id, 0)]

    async def send(self, text: str) -> list[Sent]:
        return await self.feed(self.message_update(text))

    async def upload(self, name: str, content: bytes, caption: str | None = None) -> list[Sent]:
        return await self.feed(self.document_update(name, content, caption))

    def last_with_buttons(self) -> Sent:
        for sent in reversed(self.server.sent):
            if sent.chat_id == self.user_id and sent.buttons:
                return sent
        raise LookupError("the bot has sent no buttons to this chat")

    async def press(self, button: str | int, sent: Sent | None = None) -> list[Sent]:
        return await self.feed(self.press_update(sent or self.last_with_buttons(), button))

    def said(self) -> list[Sent]:
        return [s for s in self.server.sent if s.chat_id == self.user_id]


def text_of(replies: list[Sent]) -> str:
    """Everything the user read in `replies`, as one plain string."""
    return "\n".join(s.plain for s in replies)
