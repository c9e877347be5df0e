"""CSV without loss: an export carries every event and payment, and importing it —
for the same user or another — recreates the same cases with the same open deadlines."""

from __future__ import annotations

import asyncio
import datetime as dt
import io
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.clock import FrozenClock
from core.deadlines import Event, EventKind, compute
from core.importexport import ImportErrors, export_csv, import_rows, parse_csv
from core.models import Kind
from core.reminders import Reminders
from core.storage import CaseInput, Store, case_facts

A, B = 111, 222
E = EventKind
TODAY = dt.date(2035, 1, 1)  # after every drawn event: the round trip is about the data


@st.composite
def cases(draw: st.DrawFn) -> tuple[CaseInput, list[Event]]:
    kind = draw(st.sampled_from(list(Kind)))
    filing = draw(st.dates(dt.date(2015, 1, 1), dt.date(2026, 6, 1)))
    priority = draw(st.none() | st.integers(1, 365).map(lambda d: filing - dt.timedelta(days=d)))
    title = draw(
        st.text(st.characters(codec="utf-8", categories=("L", "N", "Zs", "P")), max_size=20)
    )
    natural = draw(st.booleans())

    def on() -> dt.date:
        return filing + dt.timedelta(days=draw(st.integers(0, 3000)))

    # a history that can be recorded (core.recording): each event after what it follows from
    order = [
        E.ENTRY_MADE,
        E.TRANSLATION_FILED,
        E.GRANT_DECISION_RECEIVED,
        E.GRANT_FEE_PAID,
        E.PATENT_GRANTED,
        E.LAPSED,
        E.RESTORED,
    ]
    needs = {
        E.GRANT_DECISION_RECEIVED: E.ENTRY_MADE,
        E.GRANT_FEE_PAID: E.GRANT_DECISION_RECEIVED,
        E.PATENT_GRANTED: E.ENTRY_MADE,
        E.LAPSED: E.ENTRY_MADE,
        E.RESTORED: E.LAPSED,
    }
    chosen = set(draw(st.lists(st.sampled_from(order), max_size=4, unique=True)))
    for kind_ in reversed(order):
        if kind_ in chosen and kind_ in needs:
            chosen.add(needs[kind_])
    kinds = [k for k in order if k in chosen]
    days = sorted(on() for _ in kinds)
    events: list[Event] = [Event(kind=k, date=d) for k, d in zip(kinds, days, strict=True)]
    first = 3 if kind is Kind.PATENT else 1
    for year in draw(st.lists(st.integers(first, first + 8), max_size=3, unique=True)):
        events.append(Event(kind=E.ANNUITY_PAID, date=on(), year=year))
    ref = draw(st.from_regex(r"[A-Za-z0-9/-]{1,12}", fullmatch=True))
    return CaseInput(ref, kind, filing, priority, title.strip(), natural), events


Publication = tuple[str | None, dt.date | None]


@st.composite
def publications(draw: st.DrawFn, filing: dt.date) -> Publication:
    """What an entry form may have told the case: nothing, the WO number, the date or both."""
    day = filing + dt.timedelta(days=draw(st.integers(0, 900)))
    number = f"WO {day.year}/{draw(st.integers(0, 999_999)):06d}"
    return draw(st.sampled_from([(None, None), (number, None), (None, day), (number, day)]))


async def _state(store: Store, owner: int) -> dict[str, object]:
    found: dict[str, object] = {}
    async with store.transaction() as tx:
        for case in await tx.cases.all(owner):
            events = await tx.cases.events(owner, case.id)
            facts = case_facts(case, events)
            found[case.ref] = (
                case.kind,
                case.filing,
                case.priority,
                case.title,
                case.natural_person,
                case.wo_number,
                case.publication_date,
                sorted((e.kind.value, e.date, e.year or 0) for e in events),
                [(d.code, d.date) for d in compute(facts)],
            )
    return found


async def _round_trip(
    data: list[tuple[CaseInput, list[Event]]], published: list[Publication], tmp: Path
) -> None:
    store = await Store.open(tmp / "t.sqlite3", clock=FrozenClock(dt.date(2026, 12, 1)))
    try:
        rem = Reminders(store)
        for (case_input, events), (number, day) in zip(data, published, strict=False):
            case, _ = await rem.save_case(A, case_input)
            async with store.transaction() as tx:
                for event in events:
                    await tx.cases.add_event(A, case.id, event)
            await rem.update_case_details(A, case.id, wo_number=number, publication_date=day)
        original = await _state(store, A)
        text = await export_csv(rem, A)
        await import_rows(rem, parse_csv(io.StringIO(text), B, today=TODAY))  # another user
        await import_rows(
            rem, parse_csv(io.StringIO(text), A, today=TODAY)
        )  # and back onto the same
        assert await _state(store, B) == original
        assert await _state(store, A) == original  # nothing doubled
        assert (await export_csv(rem, B)).replace(f"\n{B},", f"\n{A},") == text
    finally:
        await store.close()


@st.composite
def case_lists(
    draw: st.DrawFn,
) -> tuple[list[tuple[CaseInput, list[Event]]], list[Publication]]:
    data = draw(st.lists(cases(), min_size=1, max_size=4, unique_by=lambda c: c[0].ref.casefold()))
    return data, [draw(publications(case.filing)) for case, _events in data]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(case_lists())
def test_export_then_import_is_the_identity(
    drawn: tuple[list[tuple[CaseInput, list[Event]]], list[Publication]],
) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        asyncio.run(_round_trip(*drawn, Path(tmp)))


def test_semicolons_and_dates_as_the_chat_writes_them() -> None:
    text = (
        "ref;kind;filing_date;priority_date;events\n"
        "Z-2;patent;10.03.2025;15.03.2024;entry_made:01.10.2026|annuity_paid:2027-03-01:4\n"
    )
    (row,) = parse_csv(io.StringIO(text), A, today=TODAY)
    assert row.case.filing == dt.date(2025, 3, 10) and row.case.priority == dt.date(2024, 3, 15)
    assert row.events == (
        Event(kind=E.ENTRY_MADE, date=dt.date(2026, 10, 1)),
        Event(kind=E.ANNUITY_PAID, date=dt.date(2027, 3, 1), year=4),
    )


def test_each_bad_row_is_named_by_its_line() -> None:
    text = (
        "ref,kind,filing_date,events\n"
        "A-1,patent,2025-03-10,entry_made:2026-10-01\n"
        "A-2,patent,2025-03-10,paid:yesterday\n"
        "A-3,patent,2025-03-10,annuity_paid:2026-01-01:2\n"  # a patent has no year 2
        "A-4,patent,2025-03-10,entry_made:2020-01-01\n"  # before filing
    )
    with pytest.raises(ImportErrors) as err:
        parse_csv(io.StringIO(text), A, today=TODAY)
    assert [e.line for e in err.value.errors] == [3, 4, 5]
    assert "not an event like entry_made" in str(err.value.errors[0])


def test_a_header_with_other_columns_says_what_it_expected() -> None:
    with pytest.raises(ImportErrors) as err:
        parse_csv(io.StringIO("ref\tkind\tfiling_date\nA\tpatent\t2025-01-01\n"), A, today=TODAY)
    assert "separated by commas or semicolons" in str(err.value)


async def test_the_publication_columns_old_files_and_bad_cells(tmp_path: Path) -> None:
    """A file without the publication columns (an older export) leaves the case's as they
    were; an empty cell clears them; a bad number or date is a row error naming the column."""
    store = await Store.open(tmp_path / "t.sqlite3", clock=FrozenClock(dt.date(2026, 12, 1)))
    try:
        rem = Reminders(store)
        case, _ = await rem.save_case(A, CaseInput("P-1", Kind.PATENT, dt.date(2024, 4, 22)))
        await rem.update_case_details(
            A, case.id, wo_number="wo2024/223456", publication_date=dt.date(2024, 10, 31)
        )
        old = "ref,kind,filing_date,title\nP-1,patent,2024-04-22,Filter\n"
        await import_rows(rem, parse_csv(io.StringIO(old), A, today=TODAY))
        async with store.transaction() as tx:
            kept = await tx.cases.get(A, case.id)
        assert kept is not None and kept.title == "Filter"
        assert (kept.wo_number, kept.publication_date) == ("WO 2024/223456", dt.date(2024, 10, 31))
        text = await export_csv(rem, A)
        assert text.splitlines()[1].endswith(",WO 2024/223456,2024-10-31,,")

        with pytest.raises(ImportErrors) as err:
            parse_csv(
                io.StringIO(
                    "ref,kind,filing_date,wo_number,publication_date\n"
                    "P-1,patent,2024-04-22,WO 2023/000001,31.10.2024\n"  # the year differs
                    "P-2,patent,2024-04-22,W0 12,\n"
                    "P-3,patent,2024-04-22,,01.01.2024\n"  # before filing
                ),
                A,
                today=TODAY,
            )
        assert [e.line for e in err.value.errors] == [2, 3, 4]
        assert "a WO number carries the year of publication" in str(err.value.errors[0])
        assert "“wo_number”" in str(err.value.errors[1])
        assert "“publication_date”" in str(err.value.errors[2])

        cleared = "ref,kind,filing_date,wo_number,publication_date\nP-1,patent,2024-04-22,,\n"
        await import_rows(rem, parse_csv(io.StringIO(cleared), A, today=TODAY))
        async with store.transaction() as tx:
            gone = await tx.cases.get(A, case.id)
        assert gone is not None and (gone.wo_number, gone.publication_date) == (None, None)
    finally:
        await store.close()
