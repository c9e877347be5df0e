"""`Sent`: one message the bot sent (or edited), as the user sees it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from bot.render.html import plain


@dataclass
class Sent:
    """One message the bot sent or edited (or a callback answer with text), as received."""

    method: str
    chat_id: int
    message_id: int
    text: str = ""  # HTML as sent
    keyboard: list[list[dict[str, Any]]] = field(default_factory=list)
    document: tuple[str, bytes] | None = None  # (file name, content)

    @property
    def plain(self) -> str:
        return plain(self.text)

    @property
    def buttons(self) -> list[dict[str, Any]]:
        return [b for row in self.keyboard for b in row]

    @property
    def labels(self) -> list[str]:
        return [str(b.get("text", "")) for b in self.buttons]

    def __str__(self) -> str:
        return self.plain
