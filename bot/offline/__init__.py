"""The offline Bot API: the bot runs without Telegram (the console, the tests, the benchmarks).

- `OfflineBotApi` (server.py): a `telegram.request.BaseRequest` that answers the Bot API methods
  itself — one table of methods, messages and files kept, updates queued for `getUpdates`,
  faults injected on demand, HTML read as Telegram reads it;
- `Members` (members.py): who is in which chat, for `getChatMember`;
- `Sent` (sent.py): one message the bot sent, as the user sees it;
- `Client` (client.py): a user's side of a private chat — the updates for a typed line, an
  upload, a button press.

Pass the server to `build_application(settings, request=server)`; `server_of(app)` finds it
again. The scripted test user lives with the tests (`tests/scripted.py`).
"""

from __future__ import annotations

from typing import Any

from telegram.ext import Application

from bot.offline.client import Client
from bot.offline.members import Members, NotFound, Status
from bot.offline.sent import Sent
from bot.offline.server import (
    BOT_ID,
    FAULTS,
    OFFLINE_TOKEN,
    ApiError,
    Call,
    Fault,
    Method,
    OfflineBotApi,
)


def server_of(app: Application[Any, Any, Any, Any, Any, Any]) -> OfflineBotApi:
    """The offline server `app` was built on (`TypeError` if it talks to Telegram)."""
    request = app.bot.request
    if not isinstance(request, OfflineBotApi):
        raise TypeError("this application does not run on the offline Bot API")
    return request


__all__ = [
    "BOT_ID",
    "FAULTS",
    "OFFLINE_TOKEN",
    "ApiError",
    "Call",
    "Client",
    "Fault",
    "Members",
    "Method",
    "NotFound",
    "OfflineBotApi",
    "Sent",
    "Status",
    "server_of",
]
