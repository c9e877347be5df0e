"""`Client`: a Telegram user's side of a private chat with the bot, on the offline server.

It turns what the user does — types a line, uploads a file, presses an inline button — into the
update Telegram would deliver, with ids from the server (which remembers the message, for
replies and copies, and meets the user for `getChatMember`). Who delivers the update is up to
the caller: the console pushes it to `getUpdates`; the tests' scripted user
(`tests/scripted.py`) feeds it to `Application.process_update`.
"""

from __future__ import annotations

import time
from typing import Any

from bot.offline.sent import Sent
from bot.offline.server import OfflineBotApi


class Client:
    def __init__(
        self,
        server: OfflineBotApi,
        user_id: int,
        *,
        language_code: str | None = "en",
        first_name: str = "Test",
        username: str | None = None,
    ) -> None:
        self.server = server
        self.user_id = user_id
        self.user: dict[str, Any] = {"id": user_id, "is_bot": False, "first_name": first_name}
        if language_code:
            self.user["language_code"] = language_code
        if username:
            self.user["username"] = username
        server.members.meet(self.user)

    @property
    def chat(self) -> dict[str, Any]:
        return {"id": self.user_id, "type": "private", "first_name": self.user["first_name"]}

    def _message(self) -> dict[str, Any]:
        return {
            "message_id": self.server.next_message_id(),
            "date": int(time.time()),
            "chat": self.chat,
            "from": self.user,
        }

    def message_update(self, text: str) -> dict[str, Any]:
        """The update for a typed line (a leading /command marked as Telegram marks it)."""
        msg = self._message()
        msg["text"] = text
        if text.startswith("/"):
            command = text.split()[0]
            msg["entities"] = [{"type": "bot_command", "offset": 0, "length": len(command)}]
        return {"update_id": self.server.next_update_id(), "message": msg}

    def document_update(
        self, name: str, content: bytes, caption: str | None = None
    ) -> dict[str, Any]:
        """The update for an uploaded file (kept on the server for `getFile`)."""
        file_id = self.server.store_file(name, content)
        msg = self._message()
        msg["document"] = {
            "file_id": file_id,
            "file_unique_id": f"u{file_id}",
            "file_name": name,
            "mime_type": "text/csv",
            "file_size": len(content),
        }
        if caption:
            msg["caption"] = caption
        return {"update_id": self.server.next_update_id(), "message": msg}

    def press_update(self, sent: Sent, button: str | int) -> dict[str, Any]:
        """The update for pressing a button of `sent`: by index, or the first whose label
        contains `button` (case-insensitive)."""
        buttons = [b for b in sent.buttons if "callback_data" in b]
        if isinstance(button, int):
            chosen = buttons[button]
        else:
            matches = [b for b in buttons if button.lower() in str(b["text"]).lower()]
            if not matches:
                raise LookupError(f"no button {button!r} in {[b['text'] for b in buttons]}")
            chosen = matches[0]
        found = self.server.messages.get((sent.chat_id, sent.message_id))
        # The press comes from this user's chat (a forged press replays the data elsewhere).
        message = (
            {**found, "chat": self.chat}
            if found
            else {
                "message_id": sent.message_id,
                "date": int(time.time()),
                "chat": self.chat,
                "text": sent.plain,
            }
        )
        update_id = self.server.next_update_id()
        query_id = str(self.server.next_update_id())
        self.server.queries[query_id] = self.user_id  # its answer counts as this chat's call
        return {
            "update_id": update_id,
            "callback_query": {
                "id": query_id,
                "from": self.user,
                "chat_instance": str(self.user_id),
                "message": message,
                "data": chosen["callback_data"],
            },
        }
