"""The batched import (`Reminders.import_cases_in`: a batch's cases looked up, written and
planned in a few statements) leaves the database exactly as the import one row at a time
(`save_case_in` for each row) does: the same users, cases, events and planned alerts — over
cases that exist already (with events the user recorded, muted, with a publication), refs alike
in another letter case (ASCII and beyond), several users, several batches."""

from __future__ import annotations

import asyncio
import datetime as dt
import tempfile
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.clock import FrozenClock
from core.deadlines import Event, EventKind
from core.importexport import ImportRow, import_rows
from core.models import Kind
from core.reminders import Reminders
from core.storage import CaseInput, EventSource, Store

E = EventKind
REFS = ["P-1", "p-1", "P-2", "Q/7", "q/7", "Ω-1", "ω-1", "Ж"]  # alike in another letter case
USERS = [111, 222]
DAY = dt.date(2026, 12, 1)


@st.composite
def facts(draw: st.DrawFn, owner: int) -> tuple[CaseInput, list[Event], Any]:
    kind = draw(st.sampled_from(list(Kind)))
    filing = draw(st.dates(dt.date(2019, 1, 1), dt.date(2026, 6, 1)))
    priority = draw(st.none() | st.integers(1, 365).map(lambda d: filing - dt.timedelta(days=d)))
    ref = draw(st.sampled_from(REFS))
    title = draw(st.sampled_from(["", "Widget", "Гаджэт"]))
    events: list[Event] = []
    for kind_ in draw(
        st.lists(
            st.sampled_from([E.ENTRY_MADE, E.TRANSLATION_FILED, E.GRANT_DECISION_RECEIVED]),
            max_size=2,
            unique=True,
        )
    ):
        events.append(Event(kind=kind_, date=filing + dt.timedelta(days=draw(st.integers(0, 900)))))
    day = filing + dt.timedelta(days=draw(st.integers(0, 900)))
    publication = draw(
        st.sampled_from([None, (None, None), (f"WO {day.year}/000123", day), (None, day)])
    )
    data = CaseInput(ref, kind, filing, priority, title, draw(st.booleans()))
    return data, events, publication


@st.composite
def scenarios(draw: st.DrawFn) -> tuple[list[Any], list[ImportRow], int]:
    before = []
    for owner in USERS[:1]:
        drawn = draw(st.lists(facts(owner), max_size=4, unique_by=lambda f: f[0].ref.casefold()))
        before += [(owner, *f, draw(st.booleans())) for f in drawn]
    rows: list[ImportRow] = []
    seen: set[tuple[int, str]] = set()
    for line, owner in enumerate(draw(st.lists(st.sampled_from(USERS), max_size=8)), start=2):
        data, events, publication = draw(facts(owner))
        if (owner, data.ref) in seen:  # parse_csv refuses the same ref twice for a user
            continue
        seen.add((owner, data.ref))
        entry = draw(st.none() | st.just(data.filing + dt.timedelta(days=40)))
        rows.append(ImportRow(line, owner, data, entry, None, tuple(events), publication))
    return before, rows, draw(st.integers(1, 4))


async def dump(store: Store) -> dict[str, list[tuple[Any, ...]]]:
    conn: Any = store._conn
    tables = {
        "users": "SELECT * FROM users ORDER BY id",
        "cases": "SELECT * FROM cases ORDER BY id",
        "events": "SELECT case_id, kind, date, year, source, created_at FROM events"
        " ORDER BY case_id, id",
        "outbox": "SELECT * FROM outbox ORDER BY id",
    }
    return {
        name: [tuple(r) for r in await conn.execute_fetchall(sql)] for name, sql in tables.items()
    }


async def imported(
    before: list[Any], rows: list[ImportRow], batch: int, one_by_one: bool, tmp: Path
) -> dict[str, Any]:
    store = await Store.open(tmp / f"{one_by_one}.sqlite3", clock=FrozenClock(DAY))
    try:
        rem = Reminders(store)
        for owner, data, events, publication, muted in before:
            case, _ = await rem.save_case(owner, data)
            async with store.transaction() as tx:
                for event in events:
                    await tx.cases.add_event(owner, case.id, event, EventSource.USER)
                if muted:
                    await tx.cases.set_muted(owner, case.id, True)
                if publication is not None:
                    await tx.cases.set_publication(owner, case.id, *publication)
                await rem.replan(tx, owner, case.id)
        result = await import_rows(rem, rows, batch=batch, one_by_one=one_by_one)
        return {"result": result, **await dump(store)}
    finally:
        await store.close()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenarios())
def test_a_batched_import_writes_what_one_row_at_a_time_writes(
    drawn: tuple[list[Any], list[ImportRow], int],
) -> None:
    before, rows, batch = drawn

    async def both(tmp: Path) -> None:
        slow = await imported(before, rows, batch, True, tmp)
        fast = await imported(before, rows, batch, False, tmp)
        assert fast == slow

    with tempfile.TemporaryDirectory() as tmp:
        asyncio.run(both(Path(tmp)))
