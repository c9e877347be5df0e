"""The case desk's table for a user with many cases, and the weight of its page.

    .venv/bin/python bench/bench_web.py [--cases 1000] [--rounds 30] [--http]

A database with `--cases` cases of one user is made through the import (a mix of kinds and
dates, some with events, so that every standing occurs); then `GET api/cases` — what the page
asks for the table: every case read, its open deadlines and standing computed, sorted, the
first 100 rows rendered — is timed `--rounds` times with signed launch data, in-process
through the ASGI app (the server's own time): first with the standings forgotten (every
case's rules computed), then again (remembered: `web.views.standing_now`), then a search with
a filter and another order; with `--http`, also through uvicorn on a loopback port (a real
request, as the page makes it). Printed: median, p95 and max in ms. Target: < 200 ms for
1,000 cases.

The page's weight: every file the page loads (index.html, the script, the style, the icon),
as shipped and gzipped (the server compresses what is over 1 KB). Target: < 150 KB.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import gzip
import io
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

USER = 4242
TOKEN = "1:bench"


def csv_of(cases: int) -> str:
    head = "ref,kind,priority_date,filing_date,entry_date,title,events\n"
    rows = []
    for n in range(cases):
        year = 2019 + n % 7
        month = n % 12 + 1
        kind = "utility-model" if n % 5 == 0 else "patent"
        entry = f"{year + 2}-{month:02}-01" if n % 3 == 0 and year < 2024 else ""
        exam = entry and kind == "patent"
        events = f"examination_requested:{year + 2}-{month:02}-02" if exam else ""
        rows.append(
            f"DESK-{n:05},{kind},{year}-{month:02}-10,{year + 1}-{month:02}-05,{entry},"
            f"Case number {n},{events}\n"
        )
    return head + "".join(rows)


async def make(db: Path, cases: int) -> None:
    from core.importexport import import_rows, parse_csv
    from core.reminders import Reminders
    from core.storage import Store

    store = await Store.open(db)
    try:
        await import_rows(
            Reminders(store), parse_csv(io.StringIO(csv_of(cases)), USER, today=dt.date(2100, 1, 1))
        )
    finally:
        await store.close()


def stats(times: list[float]) -> str:
    ms = sorted(t * 1000 for t in times)
    p95 = ms[min(len(ms) - 1, round(0.95 * (len(ms) - 1)))]
    return f"median {statistics.median(ms):.1f} ms, p95 {p95:.1f} ms, max {ms[-1]:.1f} ms"


async def in_process(db: Path, rounds: int) -> dict[str, list[float]]:
    import httpx

    from core.clock import SystemClock
    from core.reminders import Reminders
    from core.storage import Store
    from web import create_app
    from web.auth import launch_data

    clock = SystemClock()
    store = await Store.open(db)
    app = create_app(Reminders(store), clock, bot_token=TOKEN)
    from web.views import _standing

    found: dict[str, list[float]] = {"cold": [], "table": [], "search": []}
    try:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://desk") as client:
            for _ in range(rounds):
                headers = {"Authorization": "tma " + launch_data(USER, TOKEN, clock.now())}
                _standing.cache_clear()  # the first answer: every case's rules computed
                for name, params in (
                    ("cold", {}),
                    ("table", {}),
                    ("search", {"q": "number 1", "status": "overdue", "sort": "ref"}),
                ):
                    t0 = time.perf_counter()
                    response = await client.get("/api/cases", params=params, headers=headers)
                    found[name].append(time.perf_counter() - t0)
                    assert response.status_code == 200, response.text
            total = response.json()["total"]
    finally:
        await store.close()
    print(f"  cases in the table: {total}")
    return found


def over_http(db: Path, rounds: int) -> list[float]:
    import httpx

    from core.clock import SystemClock
    from tests.web.browser import serving
    from web.auth import launch_data

    clock = SystemClock()
    times = []
    with (
        serving(db, clock, TOKEN) as url,
        httpx.Client(base_url=url, trust_env=False, timeout=30) as client,
    ):
        for _ in range(rounds):
            headers = {"Authorization": "tma " + launch_data(USER, TOKEN, clock.now())}
            t0 = time.perf_counter()
            response = client.get("api/cases", headers=headers)
            times.append(time.perf_counter() - t0)
            assert response.status_code == 200
    return times


def page_weight() -> None:
    static = ROOT / "web" / "static"
    raw = zipped = 0
    for path in sorted(static.iterdir()):
        data = path.read_bytes()
        small = len(gzip.compress(data)) if len(data) > 1024 else len(data)
        raw += len(data)
        zipped += small
        print(f"  {path.name:12} {len(data):7,} bytes ({small:,} sent)")
    print(f"  page weight: {raw:,} bytes as shipped, {zipped:,} bytes sent (target < 153,600)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=30)
    parser.add_argument("--http", action="store_true", help="also through uvicorn (loopback)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "desk.sqlite3"
        t0 = time.perf_counter()
        asyncio.run(make(db, args.cases))
        print(f"database of {args.cases:,} cases made in {time.perf_counter() - t0:.1f} s")
        found = asyncio.run(in_process(db, args.rounds))
        print(f"GET api/cases, {args.cases:,} cases, in-process, first: {stats(found['cold'])}")
        print(f"  again (the standings remembered): {stats(found['table'])}")
        print(f"  a search, a filter and another order: {stats(found['search'])}")
        if args.http:
            print(
                f"GET api/cases over HTTP (uvicorn, loopback): {stats(over_http(db, args.rounds))}"
            )
    page_weight()


if __name__ == "__main__":
    main()
