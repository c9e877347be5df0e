"""Updates per second through the full bot versus a bare echo bot on the same offline Bot API,
with the NBRB rates API hanging, and the time from start to the first answer.

    .venv/bin/python bench/bench_bot.py [--updates 1000] [--rounds 5] [--latency 0.02]

Both applications are driven the same way, as polling drives them: every round's updates (from
100 scripted users) are put on `Application.update_queue` at once, and the round ends when the
last one is handled (`update_queue.join()`); the offline Bot API (`bot.offline`) answers each
call after `--latency` seconds (a round trip to Telegram; 0: at once). The echo bot is PTB's default
(one update at a time; also shown: the echo bot with `concurrent_updates`); the full bot
handles users concurrently (bot/updates.py) and its rates
service talks to an API that accepts the connection and never answers (the first quote waits
its 0.5 s budget, no other quote waits). Target: ratio ≥ 0.8.
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

import httpx
from telegram import Update
from telegram.ext import ApplicationBuilder, MessageHandler, filters

from bot.app import Options, build_application, running
from bot.offline import OFFLINE_TOKEN, Client, OfflineBotApi, server_of
from bot.updates import UserLanes
from core.rates import RateService
from core.settings import Settings

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


class Latent(OfflineBotApi):
    """The offline Bot API, answering every call after `latency` seconds."""

    def __init__(self, latency: float) -> None:
        # no HTML check: that is Telegram's work, not the bot's (the tests keep it on)
        super().__init__(check_html=False)
        self.latency = latency

    async def do_request(self, *args: Any, **kwargs: Any) -> tuple[int, bytes]:
        if self.latency:
            await asyncio.sleep(self.latency)
        return await super().do_request(*args, **kwargs)


async def drive(app: Any, n: int, users: int = 100) -> float:
    chats = [Client(server_of(app), 100 + i, language_code="en") for i in range(users)]
    script = itertools.cycle(MESSAGES)
    updates = [chats[i % users].message_update(next(script)) for i in range(n)]
    start = time.perf_counter()
    for data in updates:
        app.update_queue.put_nowait(Update.de_json(data, app.bot))
    await app.update_queue.join()
    return n / (time.perf_counter() - start)


def echo_app(latency: float, concurrent: bool = False) -> Any:
    builder = ApplicationBuilder().token(OFFLINE_TOKEN).request(Latent(latency))
    app = builder.concurrent_updates(concurrent).build()
    app.add_handler(MessageHandler(filters.ALL, echo))
    return app


async def hang(request: httpx.Request) -> httpx.Response:
    await asyncio.Event().wait()
    raise AssertionError("never answers")


async def bench(
    n: int, rounds: int, db: Path, latency: float
) -> tuple[list[float], list[float], list[float], float]:
    """The bots open side by side, warmed up alike, then driven in alternating rounds (so that
    drift of the machine's speed hits both); the rates of every round and the full bot's time
    from start to its first answer."""
    settings = Settings(_env_file=None, db=db)  # type: ignore[call-arg]
    rates = RateService(db.parent / "rates.json", transport=httpx.MockTransport(hang))
    t0 = time.perf_counter()
    full = build_application(
        settings, Options(rates=rates, freeze_gc=True), request=Latent(latency)
    )
    async with running(full), echo_app(latency) as bare, echo_app(latency, True) as wide:
        start = Client(server_of(full), 1, language_code="en").message_update("/start")
        await full.process_update(Update.de_json(start, full.bot))
        first_answer = time.perf_counter() - t0
        apps = (bare, wide, full)
        for app in apps:
            await app.start()
        for app in apps:  # warm-up: catalogs, holiday tables, caches
            await drive(app, 200)
        rates_of: list[list[float]] = [[], [], []]
        for _ in range(rounds):
            for app, found in zip(apps, rates_of, strict=True):
                found.append(await drive(app, n))
        for app in apps:
            await app.stop()
        processor = full.update_processor
        assert isinstance(processor, UserLanes) and processor.dropped == 0
        assert rates.requests <= 8, rates.requests  # today's quotes: one request per currency
    await rates.aclose()
    return rates_of[0], rates_of[1], rates_of[2], first_answer


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--updates", type=int, default=1000, help="updates per round")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--latency", type=float, default=0.0, help="Bot API round trip, s")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        echo_rates, wide_rates, full_rates, first = asyncio.run(
            bench(args.updates, args.rounds, Path(tmp) / "bench.sqlite3", args.latency)
        )
    ratios = sorted(f / e for e, f in zip(echo_rates, full_rates, strict=True))
    echo_rate, full_rate = statistics.median(echo_rates), statistics.median(full_rates)
    print(f"Bot API latency {args.latency * 1000:.0f} ms; the rates API hangs")
    print(f"echo bot:      {echo_rate:8.0f} updates/s (median of {args.rounds} rounds)")
    wide_rate = statistics.median(wide_rates)
    print(f"echo bot, concurrent_updates: {wide_rate:8.0f} updates/s")
    print(f"full bot:      {full_rate:8.0f} updates/s")
    print(f"full ÷ concurrent echo: {full_rate / wide_rate:.2f}")
    print(
        f"ratio:         {full_rate / echo_rate:8.2f}  (target ≥ 0.8; rounds"
        f" {ratios[0]:.2f}–{ratios[-1]:.2f})"
    )
    print(f"start → first answer: {first * 1000:.0f} ms")


if __name__ == "__main__":
    main()
