"""Memory and time of `/export` for a user with many cases.

    .venv/bin/python bench/bench_export.py [--cases 20000]

A database with `--cases` cases of one user is made first (through the import, in a child
process); then a fresh process starts the full bot on it (the offline Bot API, no alerts sent)
and the user sends /export. Printed: the process's peak resident memory before and after the
export (`ru_maxrss`), the export's time and the files sent. Above 5,000 cases there is no
calendar (ICS): the table comes as CSV files of up to 10,000 cases. Target: < 200 MB.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import io
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

USER = 777


def make_database(db: Path, cases: int) -> None:
    from core.importexport import import_rows, parse_csv
    from core.reminders import Reminders
    from core.storage import Store

    head = "ref,kind,priority_date,filing_date,entry_date,grant_decision_date,title\n"
    body = "".join(
        f"EXP-{n:06},patent,2023-{n % 12 + 1:02}-10,2024-{n % 12 + 1:02}-05,,,Case {n}\n"
        for n in range(cases)
    )

    async def go() -> None:
        store = await Store.open(db)
        await import_rows(
            Reminders(store), parse_csv(io.StringIO(head + body), USER, today=dt.date(2100, 1, 1))
        )
        await store.close()

    asyncio.run(go())


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


async def export(db: Path) -> None:
    from telegram import Update

    from bot.app import Options, build_application, running
    from bot.offline import Client, OfflineBotApi, Sent
    from core.settings import Settings

    class NoRates:
        async def equivalents(self, *_: object, **__: object) -> list[object]:
            return []

    settings = Settings(_env_file=None, db=db)  # type: ignore[call-arg]
    server = OfflineBotApi()
    app = build_application(settings, Options(rates=NoRates(), dispatch=False), request=server)

    async def send(text: str) -> list[Sent]:
        mark = len(server.sent)
        await app.process_update(Update.de_json(user.message_update(text), app.bot))
        return server.sent[mark:]

    async with running(app):
        user = Client(server, USER, language_code="en")
        await send("/start")
        before = peak_mb()
        start = time.perf_counter()
        replies = await send("/export")
        took = time.perf_counter() - start
        after = peak_mb()
    files = [(s.document[0], len(s.document[1])) for s in replies if s.document]
    print(f"/export: {took:.1f} s; peak RSS {before:.0f} MB before, {after:.0f} MB after")
    for name, size in files:
        print(f"  {name}: {size / 1e6:.1f} MB")
    notes = [s.plain[:100] for s in replies if not s.document]
    for note in notes:
        print(f"  said: {note}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cases", type=int, default=20_000)
    parser.add_argument("--db", help="(internal) export from this database")
    args = parser.parse_args()
    if args.db:
        asyncio.run(export(Path(args.db)))
        return
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "export.sqlite3"
        start = time.perf_counter()
        make_database(db, args.cases)
        print(f"{args.cases:,} cases imported in {time.perf_counter() - start:.0f} s")
        subprocess.run([sys.executable, __file__, "--db", str(db)], check=True)


if __name__ == "__main__":
    main()
