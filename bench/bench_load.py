"""Answer times of 20 users while another user imports 100,000 rows through the bot.

    .venv/bin/python bench/bench_load.py [--rows 100000] [--users 20]

The full bot runs as polling runs it (updates on `Application.update_queue`, the update
processor of bot/updates.py) on the offline Bot API (`bot.offline`). One user sends a CSV of
`--rows` cases with the caption /import; while that import is read, checked and written, each
of `--users` users sends a message, waits for the answer, and sends the next (a mix of /fees,
/deadlines, /cases, /help). The answer time is from putting the update on the queue to the
bot's first message to that chat. Target: p95 < 300 ms.
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

from bot.app import Options, build_application, running
from bot.offline import Client, OfflineBotApi, Sent
from core.settings import Settings

MESSAGES = ("/fees patent 2 15", "/deadlines 15.03.2024 10.03.2025", "/cases", "/help")
IMPORTER = 999


class NoRates:
    async def equivalents(self, *_: Any, **__: Any) -> list[Any]:
        return []


def csv_of(rows: int) -> bytes:
    head = "ref,kind,priority_date,filing_date,entry_date,grant_decision_date,title\n"
    body = "".join(
        f"IMP-{n:06},patent,2023-{n % 12 + 1:02}-10,2024-{n % 12 + 1:02}-05,,,Case {n}\n"
        for n in range(rows)
    )
    return (head + body).encode()


class Waiter:
    """The first message the bot sends to each chat after it was asked."""

    def __init__(self) -> None:
        self.events: dict[int, asyncio.Event] = {}
        self.sent_to: dict[int, list[Sent]] = {}
        self.saving: float | None = None  # when the import's status said "Saving…"

    def on_sent(self, sent: Sent) -> None:
        self.sent_to.setdefault(sent.chat_id, []).append(sent)
        if sent.chat_id == IMPORTER and "Saving" in sent.plain and self.saving is None:
            self.saving = time.perf_counter()
        event = self.events.get(sent.chat_id)
        if event is not None:
            event.set()

    async def ask(self, app: Any, chat: Client, text: str) -> float:
        event = self.events[chat.user_id] = asyncio.Event()
        start = time.perf_counter()
        app.update_queue.put_nowait(Update.de_json(chat.message_update(text), app.bot))
        await asyncio.wait_for(event.wait(), 60)
        return time.perf_counter() - start


async def user_loop(
    app: Any, waiter: Waiter, chat: Client, done: asyncio.Event, times: list[float]
) -> None:
    await waiter.ask(app, chat, "/start")
    for text in itertools.cycle(MESSAGES):
        if done.is_set():
            return
        times.append(await waiter.ask(app, chat, text))


async def bench(rows: int, users: int, db: Path) -> tuple[list[float], float, float, str]:
    waiter = Waiter()
    server = OfflineBotApi(on_sent=waiter.on_sent)
    settings = Settings(_env_file=None, db=db)  # type: ignore[call-arg]
    app = build_application(settings, Options(rates=NoRates(), freeze_gc=True), request=server)
    async with running(app):
        await app.start()
        importer = Client(server, IMPORTER, language_code="en")
        content = csv_of(rows)
        done = asyncio.Event()
        times: list[float] = []
        chats = [Client(server, 100 + i, language_code="en") for i in range(users)]
        loops = [asyncio.create_task(user_loop(app, waiter, c, done, times)) for c in chats]
        start = time.perf_counter()
        update = Update.de_json(importer.document_update("cases.csv", content, "/import"), app.bot)
        app.update_queue.put_nowait(update)
        while not any("Import done" in s.plain for s in waiter.sent_to.get(IMPORTER, [])):
            await asyncio.sleep(0.2)
        end = time.perf_counter()
        took = end - start
        saved = end - (waiter.saving or start)
        done.set()
        await asyncio.gather(*loops)
        await app.stop()
        last = waiter.sent_to[IMPORTER][-1].plain.replace("\n", " ")
    return times, took, saved, last


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--users", type=int, default=20)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        times, took, saved, last = asyncio.run(
            bench(args.rows, args.users, Path(tmp) / "b.sqlite3")
        )
    ms = sorted(t * 1000 for t in times)
    p95 = ms[int(len(ms) * 0.95) - 1]
    print(f"import of {args.rows:,} rows: {took:.1f} s ({last[:80]})")
    print(
        f"  read and checked in {took - saved:.1f} s, saved in {saved:.1f} s "
        f"({args.rows / saved:,.0f} rows/s)"
    )
    print(f"{args.users} users, {len(ms):,} answers during the import:")
    print(
        f"answer time: median {statistics.median(ms):.0f} ms, p95 {p95:.0f} ms, "
        f"max {ms[-1]:.0f} ms  (target p95 < 300 ms)"
    )


if __name__ == "__main__":
    main()
