"""The bot's own cost per answer: /fees and /deadlines through the full bot (every handler
group, the flows, the rendering), on an instant offline Bot API, no limiter — CPU per answer.

    .venv/bin/python bench/bench_answers.py [--updates 2000] [--rounds 5] [--profile]

100 users send a mix of quick quotes and deadline look-ups (as bench_bot.py's users, without
the cheap /start, /help, /language), fed like polling feeds them (`update_queue`). Shown:
answers a second and CPU milliseconds per answer (median of the rounds); `--profile` prints
where the time goes (cProfile, the functions with the most time of their own).
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import itertools
import pstats
import statistics
import tempfile
import time
from pathlib import Path

import httpx
from telegram import Update

from bot.app import Options, build_application, running
from bot.offline import Client, OfflineBotApi, server_of
from core.rates import RateService
from core.settings import Settings

MESSAGES = (
    "/fees patent 2 15",
    "/deadlines 15.03.2024 10.03.2025",
    "/fees um 1 3",
    "/deadlines 1.2.2024 no priority",
    "/fees patent 1 25 natural person",
    "/deadlines 20.06.2023 18.06.2024",
)


async def nbrb(request: httpx.Request) -> httpx.Response:
    """The NBRB rates API: a rate for any currency on the day asked."""
    currency = request.url.path.rsplit("/", 1)[-1]
    day = request.url.params.get("ondate", "")[:10]
    return httpx.Response(
        200,
        json={"Cur_Abbreviation": currency, "Cur_Scale": 1, "Cur_OfficialRate": 3.2,
              "Date": f"{day}T00:00:00"},
    )  # fmt: skip


async def drive(app: object, n: int, users: int = 100) -> tuple[float, float]:
    """(answers a second, CPU ms per answer) of `n` updates."""
    from typing import Any, cast

    bot = cast(Any, app)
    chats = [Client(server_of(bot), 100 + i, language_code="en") for i in range(users)]
    script = itertools.cycle(MESSAGES)
    updates = [chats[i % users].message_update(next(script)) for i in range(n)]
    cpu, wall = time.process_time(), time.perf_counter()
    for data in updates:
        bot.update_queue.put_nowait(Update.de_json(data, bot.bot))
    await bot.update_queue.join()
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    return n / wall, cpu / n * 1000


async def bench(args: argparse.Namespace, db: Path) -> tuple[list[float], list[float]]:
    settings = Settings(_env_file=None, db=db)  # type: ignore[call-arg]
    rates = RateService(db.parent / "rates.json", transport=httpx.MockTransport(nbrb))
    app = build_application(
        settings,
        Options(rates=rates, freeze_gc=True, set_commands=False, dispatch=False),
        request=OfflineBotApi(check_html=False),
    )
    speeds: list[float] = []
    costs: list[float] = []
    async with running(app):
        await app.start()
        await drive(app, 300)  # warm-up: catalogs, holiday tables, the rates of the day
        profile = cProfile.Profile() if args.profile else None
        for _ in range(args.rounds):
            if profile is not None:
                profile.enable()
            speed, cost = await drive(app, args.updates)
            if profile is not None:
                profile.disable()
            speeds.append(speed)
            costs.append(cost)
        await app.stop()
    await rates.aclose()
    if profile is not None:
        stats = pstats.Stats(profile)
        stats.sort_stats("tottime").print_stats(args.top)
        stats.sort_stats("cumulative").print_stats(r"/(bot|core)/", args.top)
    return speeds, costs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--updates", type=int, default=2000, help="updates per round")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--top", type=int, default=30, help="functions shown by --profile")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        speeds, costs = asyncio.run(bench(args, Path(tmp) / "bench.sqlite3"))
    print(
        f"/fees and /deadlines: {statistics.median(speeds):.0f} answers/s, "
        f"{statistics.median(costs):.2f} ms CPU per answer (median of {args.rounds} rounds of "
        f"{args.updates}; rounds {min(costs):.2f}–{max(costs):.2f} ms)"
    )


if __name__ == "__main__":
    main()
