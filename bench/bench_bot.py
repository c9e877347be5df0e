"""Updates per second through the full bot versus a bare echo bot on the same stand-in, and the
time from start to the first answer.

    .venv/bin/python bench/bench_bot.py [--updates 1000] [--rounds 5]

Both applications are driven the same way (`Application.process_update` with scripted users on
the in-process Bot API stand-in, no network), so the ratio isolates the cost of our handlers,
translations, rendering and database. Target: ratio ≥ 0.6.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import statistics
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


def echo_app() -> Any:
    app = ApplicationBuilder().token(STANDIN_TOKEN).request(StandIn()).build()
    app.add_handler(MessageHandler(filters.ALL, echo))
    return app


async def bench(n: int, rounds: int, db: Path) -> tuple[list[float], list[float], float]:
    """Both bots open side by side, warmed up alike, then driven in alternating rounds (so that
    drift of the machine's speed hits both); the rates of every round and the full bot's time
    from start to its first answer."""
    settings = Settings(_env_file=None, db=db)  # type: ignore[call-arg]
    t0 = time.perf_counter()
    full = build_application(settings, request=StandIn(), rates=NoRates(), freeze_gc=True)
    async with running(full), echo_app() as bare:
        await Chat(full, 1, language_code="en").send("/start")
        first_answer = time.perf_counter() - t0
        for app in (bare, full):  # warm-up: catalogs, holiday tables, caches
            await drive(app, 200)
        echo_rates: list[float] = []
        full_rates: list[float] = []
        for _ in range(rounds):
            echo_rates.append(await drive(bare, n))
            full_rates.append(await drive(full, n))
        return echo_rates, full_rates, first_answer


class NoRates:
    """Currency rates are a network call in production; the benchmark measures the bot."""

    async def equivalents(self, *_: Any, **__: Any) -> list[Any]:
        return []


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--updates", type=int, default=1000, help="updates per round")
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        echo_rates, full_rates, first = asyncio.run(
            bench(args.updates, args.rounds, Path(tmp) / "bench.sqlite3")
        )
    ratios = sorted(f / e for e, f in zip(echo_rates, full_rates, strict=True))
    echo_rate, full_rate = statistics.median(echo_rates), statistics.median(full_rates)
    print(f"echo bot:      {echo_rate:8.0f} updates/s (median of {args.rounds} rounds)")
    print(f"full bot:      {full_rate:8.0f} updates/s")
    print(
        f"ratio:         {full_rate / echo_rate:8.2f}  (target ≥ 0.6; rounds"
        f" {ratios[0]:.2f}–{ratios[-1]:.2f})"
    )
    print(f"start → first answer: {first * 1000:.0f} ms")


if __name__ == "__main__":
    main()
