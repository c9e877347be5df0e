"""Fair and fast at Telegram's ceiling: pctby and python-telegram-bot's echo bot with its
`AIORateLimiter`, side by side in one run, each on a flood-controlled offline Bot API.

    .venv/bin/python bench/bench_flood.py [--seconds 15] [--rounds 2] [--flooders 40]
                                          [--polite 3] [--latency 0.02]

The Bot API (`FloodControlled`, the offline one of `bot.offline`) answers every call after
`--latency` seconds and, as Telegram does, 429 ("retry after 1") to a message above 30 in the
last second in all, or to a chat beyond a burst of 3 messages, then 1 a second (a token bucket).
Users: `--flooders` who ask again the moment they are answered (or 3 s after an answer that never
came), and `--polite` people who ask one question, read the answer and think 1.5–3 s before the
next. The rates API hangs (pctby's quotes wait their 0.5 s budget once, then use what they have).
Both bots are fed as polling feeds them (`update_queue`), in alternating rounds of `--seconds`.

Shown per bot: questions answered a second (the first message back), messages delivered a
second (the Bot API's 200s), 429s, the polite users' answer time (question → first answer
delivered) p50, p95 and max. Targets: pctby ≥ 1.0 × the echo bot's answers/s, 0 flood 429s,
polite p95 ≤ 1 s.

The echo bot is PTB's `echobot.py` (updates one at a time) with `AIORateLimiter()` at its
defaults (30 a second in all, 20 a minute per group, no retry); `--echo-concurrent` gives it
`concurrent_updates(True)`.
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import itertools
import logging
import random
import statistics
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
from telegram import Update
from telegram.ext import AIORateLimiter, ApplicationBuilder, MessageHandler, filters

from bot.app import Options, build_application, running
from bot.offline import OFFLINE_TOKEN, ApiError, Client, OfflineBotApi, Sent
from core.rates import RateService
from core.settings import Settings

FLOOD_MESSAGES = (
    "/fees patent 2 15",
    "/deadlines 15.03.2024 10.03.2025",
    "/help",
    "/fees um 1 3",
    "/deadlines 1.2.2024 no priority",
    "/start",
)
POLITE_MESSAGES = ("/fees patent 1 10", "/deadlines 15.03.2024 14.03.2025")
GLOBAL_PER_SECOND = 30
CHAT_BURST = 3
CHAT_INTERVAL = 1.0


@dataclass
class Stats:
    delivered: list[float] = field(default_factory=list)  # times of the 200s
    answers: list[float] = field(default_factory=list)  # times questions got their answer
    floods: list[tuple[float, str]] = field(default_factory=list)  # (time, "all" | "chat")
    polite: list[tuple[float, float]] = field(default_factory=list)  # (asked at, answer time)


class FloodControlled(OfflineBotApi):
    """The offline Bot API with Telegram's flood control and a round trip of `latency`."""

    COUNTED = ("send", "edit", "copy", "forward")

    def __init__(self, latency: float) -> None:
        super().__init__(check_html=False)  # Telegram's work, not the bot's
        self.latency = latency
        self.stats = Stats()
        self._window: collections.deque[float] = collections.deque()
        self._tat: dict[int, float] = {}

    async def do_request(self, url: str, method: str, *args: Any, **kwargs: Any) -> Any:
        name = url.rsplit("/", 1)[-1]
        request_data = args[0] if args else kwargs.get("request_data")
        params = dict(request_data.parameters) if request_data else {}
        refused = None
        if name.startswith(self.COUNTED) and "chat_id" in params:
            refused = self._flood_control(int(params["chat_id"]))
        if self.latency:
            await asyncio.sleep(self.latency)
        if refused is not None:
            self.refused.append((name, params, refused.description))
            return refused.code, refused.body()
        return await super().do_request(url, method, *args, **kwargs)

    def _flood_control(self, chat: int) -> ApiError | None:
        now = time.monotonic()
        while self._window and self._window[0] <= now - 1.0:
            self._window.popleft()
        tat = max(self._tat.get(chat, now), now)
        if len(self._window) >= GLOBAL_PER_SECOND:
            self.stats.floods.append((now, "all"))
        elif tat - now > (CHAT_BURST - 1) * CHAT_INTERVAL + 1e-9:
            self.stats.floods.append((now, "chat"))
        else:
            self._window.append(now)
            self._tat[chat] = tat + CHAT_INTERVAL
            self.stats.delivered.append(now)
            return None
        return ApiError(429, "Too Many Requests: retry after 1", 1)


class Users:
    """Flooders and polite people writing to one bot through its update queue."""

    def __init__(self, app: Any, server: FloodControlled, flooders: int, polite: int) -> None:
        self.app, self.server = app, server
        self.flooders = [Client(server, 10_000 + i, language_code="en") for i in range(flooders)]
        self.polite = [Client(server, 20_000 + i, language_code="en") for i in range(polite)]
        self.answered: dict[int, asyncio.Event] = {}
        self.asked_at: dict[int, float] = {}
        self.running = False
        server.listeners.append(self._on_sent)

    def _on_sent(self, sent: Sent) -> None:
        event = self.answered.get(sent.chat_id)
        if event is not None:
            event.set()

    async def _ask(self, user: Client, text: str, timeout: float) -> float | None:
        event = self.answered.setdefault(user.user_id, asyncio.Event())
        event.clear()
        asked = time.monotonic()
        data = user.message_update(text)
        self.server.seen(data["message"])
        await self.app.update_queue.put(Update.de_json(data, self.app.bot))
        try:
            await asyncio.wait_for(event.wait(), timeout)
        except TimeoutError:
            return None  # the answer never came (a 429 the bot did not retry)
        now = time.monotonic()
        self.server.stats.answers.append(now)
        return now - asked

    async def flood(self, user: Client, texts: Any) -> None:
        while self.running:
            await self._ask(user, next(texts), 3.0)

    async def politely(self, user: Client, rng: random.Random) -> None:
        await asyncio.sleep(rng.uniform(0, 2))
        texts = itertools.cycle(POLITE_MESSAGES)
        while self.running:
            asked = time.monotonic()
            took = await self._ask(user, next(texts), 10.0)
            self.server.stats.polite.append((asked, took if took is not None else 10.0))
            await asyncio.sleep(rng.uniform(1.5, 3.0))

    async def round(self, seconds: float, seed: int) -> tuple[float, float]:
        self.running = True
        rng = random.Random(seed)
        tasks = [
            asyncio.create_task(self.flood(u, itertools.cycle(FLOOD_MESSAGES[i % 3 :])))
            for i, u in enumerate(self.flooders)
        ]
        tasks += [asyncio.create_task(self.politely(u, rng)) for u in self.polite]
        start = time.monotonic()
        await asyncio.sleep(seconds)
        end = time.monotonic()
        self.running = False
        await asyncio.wait(tasks, timeout=12)
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        await asyncio.sleep(1.5)  # what is still queued drains before the other bot's round
        return start, end


async def echo(update: Update, context: Any) -> None:
    assert update.message is not None
    await update.message.reply_text(update.message.text or "")


async def hang(request: httpx.Request) -> httpx.Response:
    await asyncio.Event().wait()
    raise AssertionError("never answers")


@dataclass
class Result:
    rates: list[float] = field(default_factory=list)
    answers: list[float] = field(default_factory=list)
    floods: int = 0
    polite: list[float] = field(default_factory=list)


def measure(stats: Stats, window: tuple[float, float], into: Result) -> None:
    start, end = window
    into.rates.append(sum(1 for t in stats.delivered if start <= t < end) / (end - start))
    into.answers.append(sum(1 for t in stats.answers if start <= t < end) / (end - start))
    into.floods += sum(1 for t, _kind in stats.floods if start <= t < end + 3)
    into.polite += [took for asked, took in stats.polite if start <= asked < end]


async def bench(args: argparse.Namespace, db: Path) -> tuple[Result, Result]:
    logging.getLogger("telegram").setLevel(logging.CRITICAL)  # the echo bot's unhandled 429s
    settings = Settings(_env_file=None, db=db)  # type: ignore[call-arg]
    rates = RateService(db.parent / "rates.json", transport=httpx.MockTransport(hang))
    ours = FloodControlled(args.latency)
    full = build_application(
        settings,
        Options(rates=rates, freeze_gc=True, set_commands=False),
        request=ours,
        limits=True,
    )
    theirs = FloodControlled(args.latency)
    builder = ApplicationBuilder().token(OFFLINE_TOKEN).request(theirs)
    builder = builder.rate_limiter(AIORateLimiter()).concurrent_updates(args.echo_concurrent)
    echo_bot = builder.build()
    echo_bot.add_handler(MessageHandler(filters.TEXT, echo))
    results = (Result(), Result())
    async with running(full), echo_bot:
        pairs = ((echo_bot, theirs), (full, ours))
        users = [Users(app, server, args.flooders, args.polite) for app, server in pairs]
        for app, _server in pairs:
            await app.start()
        for n in range(args.rounds):
            order = (0, 1) if n % 2 == 0 else (1, 0)  # A B, B A: drift hits both alike
            for i in order:
                window = await users[i].round(args.seconds, seed=n)
                measure(pairs[i][1].stats, window, results[i])
        for app, _server in pairs:
            await app.stop()
    await rates.aclose()
    return results


def p(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=15.0, help="length of one round")
    parser.add_argument("--rounds", type=int, default=2, help="rounds of each bot, alternating")
    parser.add_argument("--flooders", type=int, default=40)
    parser.add_argument("--polite", type=int, default=3)
    parser.add_argument("--latency", type=float, default=0.02, help="Bot API round trip, s")
    parser.add_argument("--echo-concurrent", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        echo_r, ours_r = asyncio.run(bench(args, Path(tmp) / "bench.sqlite3"))
    print(
        f"{args.flooders} flooders, {args.polite} polite users, Bot API round trip "
        f"{args.latency * 1000:.0f} ms, {args.rounds} × {args.seconds:.0f} s each, the rates API "
        "hanging"
    )
    head = f"{'':26} {'answers/s':>9} {'messages/s':>10} {'429s':>5} {'polite p50':>10}"
    print(f"{head} {'p95':>6} {'max':>6}")
    for name, r in (("echo bot + AIORateLimiter", echo_r), ("pctby", ours_r)):
        print(
            f"{name:26} {statistics.median(r.answers):9.1f} {statistics.median(r.rates):10.1f}"
            f" {r.floods:5d} {p(r.polite, 50):9.2f}s {p(r.polite, 95):5.2f}s"
            f" {max(r.polite):5.2f}s"
        )
    for what in ("answers", "rates"):
        ratios = [o / e for o, e in zip(getattr(ours_r, what), getattr(echo_r, what), strict=True)]
        print(
            f"pctby ÷ echo bot, {'messages' if what == 'rates' else what}/s: "
            f"{statistics.median(ratios):.2f} (rounds {min(ratios):.2f}–{max(ratios):.2f};"
            " target ≥ 1.0)"
        )


if __name__ == "__main__":
    main()
