"""What teams cost: the same work on a user's own case and on a team's case, side by side.

    .venv/bin/python bench/bench_teams.py [--cases 200] [--repeat 300]

A user with `--cases` cases of their own, in two teams of `--cases` cases each (one as an
attorney), on a fresh database (WAL, a temporary folder). Measured, each `--repeat` times, the
median per call:

- finding a case by reference as the chat does (`core.teams.access.find_ref`, which looks in the
  user's own cases and each of their teams) against the plain owner look-up it replaced
  (`CaseRepo.by_ref`);
- reaching a case by id as a button does (`core.teams.access.reach`) against `CaseRepo.get`;
- recording an event and removing it again (`Reminders.record` / `unrecord`: one unit of work
  each, with the access check, who recorded it, and the replan) on an own case and a team case;
- an alert from claim to delivered (a notifier that only counts): an own case's (one chat) and a
  team case's (its assignee and the group: two chats, each send recorded).
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import statistics
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

from core.clock import FrozenClock
from core.deadlines import Event, EventKind
from core.models import Kind
from core.reminders import Alert, Dispatcher, Reminders
from core.storage import CaseInput, Store
from core.teams.access import find_ref, reach
from core.teams.models import Role
from core.teams.service import Teams, Who

ME, OTHER = 1001, 2002
GROUP = -100123
ALERTS = 40  # alerts of each kind


class Counting:
    def __init__(self) -> None:
        self.sent = 0

    async def send(self, alert: Alert) -> int | None:
        self.sent += 1
        return self.sent


async def median(fn: Callable[[], Awaitable[object]], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        await fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1e6  # µs


async def run(cases: int, repeat: int) -> None:
    clock = FrozenClock(dt.datetime(2026, 1, 12, 7, 0, tzinfo=dt.UTC))
    with tempfile.TemporaryDirectory() as tmp:
        async with await Store.open(Path(tmp) / "b.sqlite3", clock=clock) as store:
            rows = await measure(store, clock, cases, repeat)
    width = max(len(r[0]) for r in rows)
    for label, micros in rows:
        print(f"{label.ljust(width)}  {micros:9.1f} µs")


async def measure(
    store: Store, clock: FrozenClock, cases: int, repeat: int
) -> list[tuple[str, float]]:
    rem = Reminders(store)
    teams = Teams(rem)
    filed = dt.date(2024, 1, 10)
    for i in range(cases):
        await rem.save_case(ME, CaseInput(f"OWN-{i}", Kind.PATENT, filed))
    for name in ("Alpha-IP", "Beta-IP"):
        await teams.create(Who(OTHER, "Olga"), name)
        await teams.join(Who(ME, "Me"), (await teams.invite(OTHER, name, Role.ATTORNEY)).code)
        for i in range(cases):
            case, _ = await rem.save_case(OTHER, CaseInput(f"{name}-{i}", Kind.PATENT, filed))
            await teams.share(OTHER, case.id, name)
    near = dt.date(2023, 7, 1)  # its entry is due on 1 February 2026: an alert is due now
    own = await rem.add_case(ME, CaseInput("ME-1", Kind.PATENT, near))
    shared, _ = await rem.save_case(OTHER, CaseInput("T-1", Kind.PATENT, near))
    await teams.share(OTHER, shared.id, "Alpha-IP")

    async def by_ref() -> None:
        async with store.reading() as tx:
            await tx.cases.by_ref(ME, "ME-1")

    async def found_own() -> None:
        async with store.reading() as tx:
            await find_ref(tx, ME, "ME-1")

    async def found_team() -> None:
        async with store.reading() as tx:
            await find_ref(tx, ME, "Alpha-IP/T-1")

    async def get() -> None:
        async with store.reading() as tx:
            await tx.cases.get(ME, own.id)

    async def reached() -> None:
        async with store.reading() as tx:
            await reach(tx, ME, shared.id)

    day = dt.date(2026, 1, 5)

    def cycle(case_id: int) -> Callable[[], Awaitable[object]]:
        async def go() -> None:
            await rem.record(ME, case_id, Event(kind=EventKind.ENTRY_MADE, date=day))
            await rem.unrecord(ME, case_id, kind=EventKind.ENTRY_MADE)

        return go

    rows = [
        ("case by reference: owner's by_ref (before)", await median(by_ref, repeat)),
        ("case by reference: find_ref, own case", await median(found_own, repeat)),
        ("case by reference: find_ref, TEAM/REF", await median(found_team, repeat)),
        ("case by id: owner's get (before)", await median(get, repeat)),
        ("case by id: reach, team case", await median(reached, repeat)),
        ("record + unrecord, own case", await median(cycle(own.id), repeat // 3)),
        ("record + unrecord, team case", await median(cycle(shared.id), repeat // 3)),
    ]

    # alerts: own cases (one chat each) and team cases (assignee + group: two chats each), each
    # claimed (the alert rebuilt from the case, its chats found) and delivered
    await teams.link(OTHER, "Alpha-IP", GROUP, admin=True)
    own_ids, team_ids = [], []
    for i in range(ALERTS):
        mine = await rem.add_case(ME, CaseInput(f"AL-{i}", Kind.PATENT, near))
        theirs, _ = await rem.save_case(OTHER, CaseInput(f"TA-{i}", Kind.PATENT, near))
        await teams.share(OTHER, theirs.id, "Alpha-IP")
        await teams.assign(OTHER, theirs.id, str(ME))
        own_ids.append(mine.id)
        team_ids.append(theirs.id)
    notifier = Counting()
    dispatcher = Dispatcher(rem, notifier, clock=clock, sleep=clock.sleep, per_chat_interval=0)

    async def one(case_id: int) -> float:
        async with store.reading() as tx:
            account = await tx.teams.case_account(case_id)
            assert account is not None
            planned = [
                r for r in await tx.outbox.for_case(account, case_id) if r.state.value == "planned"
            ]
        start = time.perf_counter()
        alert = await rem.claim(planned[0].id)
        assert alert is not None
        await dispatcher._slots.acquire()
        await dispatcher._deliver(alert)
        return (time.perf_counter() - start) * 1e6

    for ids, label, chats in (
        (own_ids, "alert claimed and delivered, own case", 1),
        (team_ids, "alert claimed and delivered, team case", 2),
    ):
        before = notifier.sent
        spent = statistics.median([await one(case_id) for case_id in ids])
        assert notifier.sent - before == chats * len(ids)
        rows.append((f"{label} ({chats} chat{'s' if chats > 1 else ''})", spent))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cases", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=300)
    args = parser.parse_args()
    asyncio.run(run(args.cases, args.repeat))


if __name__ == "__main__":
    main()
