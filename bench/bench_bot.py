"""Updates per second through the full bot versus a bare echo bot on the same stand-in, and the
time from start to the first answer.

    .venv/bin/python bench/bench_bot.py [--updates 2000]

Both applications are driven the same way (`Application.process_update` with scripted users on
the in-process Bot API stand-in, no network), so the ratio isolates the cost of our handlers,
translations, rendering and database. Target: ratio ≥ 0.6.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import tempfile
import time
from pathlib import Path
from typing import Any

from telegram import Update
from telegram.ext import ApplicationBuilder, MessageHandler, filters

from bot.app import build_application, running
from bot.settings import Settings
from bot.standin import STANDIN_TOKEN, Chat, StandIn

# A realistic mix: greetings, help, quick quotes and deadline look-ups, language switches.
MESSAGES = (
    "/start",
    "/help",
    "/fees patent 2 15",
    "/deadlines 15.03.2024 10.03.2025",
    "/language ru",
    "/fees um 1 3",
    "/deadlines 1.2.2024",
    "/language en",
)


async def echo(update: Update, context: Any) -> None:
    assert update.effective_message is not None
    await update.effective_message.reply_text(update.effective_message.text or "")


async def drive(app: Any, n: int, users: int = 50) -> float:
    chats = [Chat(app, 100 + i, language_code="en") for i in range(users)]
    script = itertools.cycle(MESSAGES)
    updates = [chats[i % users].message_update(next(script)) for i in range(n)]
    start = time.perf_counter()
    for data in updates:
        await app.process_update(Update.de_json(data, app.bot))
    return n / (time.perf_counter() - start)


async def bench_echo(n: int) -> float:
    app = ApplicationBuilder().token(STANDIN_TOKEN).request(StandIn()).build()
    app.add_handler(MessageHandler(filters.ALL, echo))
    async with app:
        return await drive(app, n)


async def bench_bot(n: int, db: Path) -> tuple[float, float]:
    settings = Settings(_env_file=None, db=db)  # type: ignore[call-arg]
    t0 = time.perf_counter()
    app = build_application(settings, request=StandIn(), rates=NoRates())
    async with running(app):
        await Chat(app, 1, language_code="en").send("/start")
        first_answer = time.perf_counter() - t0
        await drive(app, 200)  # warm-up: catalogs, holiday tables, caches
        return await drive(app, n), first_answer


class NoRates:
    """Currency rates are a network call in production; the benchmark measures the bot."""

    async def equivalents(self, *_: Any, **__: Any) -> list[Any]:
        return []


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--updates", type=int, default=2000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        echo_rate = asyncio.run(bench_echo(args.updates))
        bot_rate, first = asyncio.run(bench_bot(args.updates, Path(tmp) / "bench.sqlite3"))
    print(f"echo bot:      {echo_rate:8.0f} updates/s")
    print(f"full bot:      {bot_rate:8.0f} updates/s")
    print(f"ratio:         {bot_rate / echo_rate:8.2f}  (target ≥ 0.6)")
    print(f"start → first answer: {first * 1000:.0f} ms")


if __name__ == "__main__":
    main()
