"""What the case desk tests share: the bot token the launch data is signed with (`TOKEN`) and
two Telegram users (`ALICE`, `BOB`)."""

from __future__ import annotations

TOKEN = "123456:TEST-token-of-the-desk"
ALICE = 1001
BOB = 2002
