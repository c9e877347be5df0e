"""`pctby import` / `pctby export` / `pctby backup`."""

from __future__ import annotations

import datetime as dt
import io
import sqlite3
from pathlib import Path

import pytest
from icalendar import Calendar

from core.importexport import ImportErrors, export_csv, export_ics, import_rows, parse_csv
from core.reminders import Reminders
from core.storage import Store
from pctby.cli import main

TODAY = dt.date(2026, 12, 1)  # the rows' events are before it

HEADER = (
    "telegram_user_id,ref,kind,priority_date,filing_date,entry_date,grant_decision_date,title\n"
)
GOOD = HEADER + (
    "111,A-1,patent,2023-01-10,2023-06-01,,,Widget\n"
    "111,A-2,utility-model,,2022-02-01,2024-08-01,2025-01-15,Gadget\n"
    "222,B-1,patent,,2024-03-04,,,\n"
)


def test_every_bad_row_is_reported_with_its_line() -> None:
    bad = HEADER + (
        "111,A-1,patent,,2023-06-01,,,ok\n"
        "x,A-2,patent,,2022-02-01,,,\n"
        "111,,patent,,2022-02-01,,,\n"
        "111,A-3,design,,2022-01-01,,,\n"
        "111,A-4,patent,2024-01-10,2023-06-01,,,\n"
        "111,A-1,patent,,2023-06-01,,,again\n"
        "111,A-5,patent,,2023-02-30,,,\n"
    )
    with pytest.raises(ImportErrors) as err:
        parse_csv(io.StringIO(bad), today=TODAY)
    assert [e.line for e in err.value.errors] == [3, 4, 5, 6, 7, 8]


def test_user_option_fills_missing_ids() -> None:
    rows = parse_csv(io.StringIO("ref,kind,filing_date\nX,patent,2024-01-01\n"), 555, today=TODAY)
    assert rows[0].user_id == 555
    with pytest.raises(ImportErrors):
        parse_csv(io.StringIO("ref,kind,filing_date\nX,patent,2024-01-01\n"), today=TODAY)


async def test_reimport_updates_never_duplicates(store: Store) -> None:
    rem = Reminders(store)
    first = await import_rows(rem, parse_csv(io.StringIO(GOOD), today=TODAY))
    again = await import_rows(
        rem, parse_csv(io.StringIO(GOOD.replace("Widget", "Widget 2")), today=TODAY)
    )
    assert (first.created, first.updated) == (3, 0)
    assert (again.created, again.updated) == (0, 3)
    async with store.transaction() as tx:
        cases = await tx.cases.all(111)
        assert [c.title for c in cases] == ["Widget 2", "Gadget"]
        assert len(await tx.cases.events(111, cases[1].id)) == 2  # entry + grant, not four
        user = await tx.users.get(222)
        assert user is not None and user.language is None  # default language until they write
        async with tx.conn.execute(
            "SELECT count(*) FROM outbox WHERE state = 'planned' AND origin = 'plan'"
        ) as cur:
            assert (await cur.fetchone())[0] == 3  # type: ignore[index]


async def test_export_csv_round_trips_and_ics_has_all_day_events_with_alarms(store: Store) -> None:
    rem = Reminders(store)
    await import_rows(rem, parse_csv(io.StringIO(GOOD), today=TODAY))
    text = await export_csv(rem, 111)
    assert text.splitlines()[1:] == [
        "111,A-1,patent,2023-01-10,2023-06-01,,,Widget,no,,,,,",
        "111,A-2,utility-model,,2022-02-01,2024-08-01,2025-01-15,Gadget,no,"
        "entry_made:2024-08-01|grant_decision_received:2025-01-15,,,,",
    ]  # then: the international publication (none), the team (none), who recorded (not known)
    cal = Calendar.from_ical(await export_ics(rem, 222))
    events = list(cal.walk("VEVENT"))
    assert events
    for ev in events:
        assert not hasattr(ev.decoded("dtstart"), "hour")  # all-day
        assert ev.walk("VALARM")


def test_cli_import_export_backup(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "data" / "x.sqlite3"
    monkeypatch.setenv("PCTBY_DB", str(db))
    src = tmp_path / "in.csv"
    src.write_text(GOOD.replace("2023-06-01", "2023-13-01"), encoding="utf-8")
    assert main(["import", str(src)]) == 2
    assert "line 2" in capsys.readouterr().err and not db.exists()
    src.write_text(GOOD, encoding="utf-8")
    assert main(["import", str(src)]) == 0
    assert (
        main(["export", "--user", "111", "--out", str(tmp_path / "o.ics"), "--format", "ics"]) == 0
    )
    assert (tmp_path / "o.ics").read_bytes().startswith(b"BEGIN:VCALENDAR")
    assert main(["export", "--user", "9"]) == 2
    assert main(["backup", str(tmp_path / "b.sqlite3")]) == 0
    assert sqlite3.connect(tmp_path / "b.sqlite3").execute(
        "SELECT count(*) FROM cases"
    ).fetchone() == (3,)
    assert main(["import", str(tmp_path / "missing.csv")]) == 2


def test_cli_replan_plans_every_case_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "x.sqlite3"
    monkeypatch.setenv("PCTBY_DB", str(db))
    assert main(["replan"]) == 2
    assert "no database" in capsys.readouterr().err
    src = tmp_path / "in.csv"
    src.write_text(GOOD, encoding="utf-8")
    assert main(["import", str(src)]) == 0
    query = "SELECT case_id, due_at, payload FROM outbox WHERE state = 'planned' ORDER BY case_id"
    with sqlite3.connect(db) as conn:
        planned = conn.execute(query).fetchall()
        conn.execute("UPDATE outbox SET state = 'cancelled'")
    assert len(planned) >= 2  # the utility model without a grant decision may have none
    capsys.readouterr()

    assert main(["replan", "--workers", "1"]) == 0

    assert "3 case(s)" in capsys.readouterr().out
    with sqlite3.connect(db) as conn:
        again = conn.execute(query).fetchall()
    # the same alerts (a catch-up alert goes "now": a few seconds later this time)
    assert [(c, p) for c, _, p in again] == [(c, p) for c, _, p in planned]
    assert all(abs(a[1] - b[1]) < 60 for a, b in zip(again, planned, strict=True))
    with pytest.raises(SystemExit) as exit_:
        main(["replan", "--workers", "0"])
    assert exit_.value.code == 2


async def test_an_import_writes_in_batches_that_others_interleave(store: Store) -> None:
    import asyncio

    rem = Reminders(store)
    rows = parse_csv(
        io.StringIO(HEADER + "".join(f"333,R-{n},patent,,2024-01-10,,,\n" for n in range(40))),
        today=TODAY,
    )
    job = asyncio.create_task(import_rows(rem, rows, batch=10))
    await asyncio.sleep(0)
    async with store.transaction() as tx:  # waits for the first batch only
        seen = await tx.cases.count(333)
    result = await job
    assert 0 < seen < 40 and result.created == 40


async def test_export_csv_in_parts_and_the_case_cap(store: Store) -> None:
    from core.errors import InputError
    from core.importexport import check_case_cap, export_csv_parts

    rem = Reminders(store)
    rows = parse_csv(
        io.StringIO(HEADER + "".join(f"333,R-{n:02},patent,,2024-01-10,,,\n" for n in range(25))),
        today=TODAY,
    )
    await import_rows(rem, rows)
    parts = [p async for p in export_csv_parts(rem, 333, 10)]
    assert [p.count("\n") for p in parts] == [11, 11, 6]  # header + rows
    assert (
        "".join(p.split("\n", 1)[1] for p in parts)
        == (await export_csv(rem, 333)).split("\n", 1)[1]
    )
    await check_case_cap(rem, rows, cap=25)  # re-importing the same refs adds nothing
    more = parse_csv(io.StringIO(HEADER + "333,NEW,patent,,2024-01-10,,,\n"), today=TODAY)
    with pytest.raises(InputError):
        await check_case_cap(rem, more, cap=25)


@pytest.mark.parametrize("user", ["²", "-5", "0", "1e9", "4503599627370496", "9" * 30])
def test_a_user_id_that_is_not_one_is_a_row_error(user: str) -> None:
    """Telegram ids are positive and fit 52 bits; "²" passes str.isdigit but not int()."""
    with pytest.raises(ImportErrors) as err:
        parse_csv(io.StringIO(HEADER + f"{user},A-1,patent,,2023-06-01,,,\n"), today=TODAY)
    assert [e.line for e in err.value.errors] == [2]
    assert "not a Telegram user id" in err.value.errors[0].error.template


def test_a_user_id_in_other_decimal_digits_is_read() -> None:
    rows = parse_csv(io.StringIO(HEADER + "١١١,A-1,patent,,2023-06-01,,,\n"), today=TODAY)
    assert rows[0].user_id == 111


def test_cli_import_has_the_bots_caps(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Bytes and rows per file, cases per user: each refused in one sentence, exit status 2,
    nothing written (the caps are core's, shared with the bot's /import)."""
    import core.importexport as ie

    db = tmp_path / "x.sqlite3"
    monkeypatch.setenv("PCTBY_DB", str(db))
    src = tmp_path / "in.csv"
    src.write_text(GOOD, encoding="utf-8")

    def refused() -> str:
        err = capsys.readouterr().err
        assert err.count("\n") == 1, err  # one line
        return err

    monkeypatch.setattr(ie, "MAX_IMPORT_BYTES", len(GOOD.encode()) - 1)
    assert main(["import", str(src)]) == 2
    assert refused().startswith("pctby: The file is too large: up to ")
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(GOOD.encode())))
    assert main(["import", "-"]) == 2
    assert "The file is too large" in refused()
    monkeypatch.setattr(ie, "MAX_IMPORT_BYTES", len(GOOD.encode()))
    monkeypatch.setattr(ie, "MAX_IMPORT_ROWS", 2)
    assert main(["import", str(src)]) == 2
    assert refused() == "pctby: Too many rows in one file: up to 2. Split it into several files.\n"
    assert not db.exists()

    monkeypatch.setattr(ie, "MAX_IMPORT_ROWS", 3)
    monkeypatch.setattr(ie, "MAX_CASES_PER_USER", 2)
    assert main(["import", str(src)]) == 0  # 111 gets 2 cases, 222 one
    capsys.readouterr()
    src.write_text(GOOD + "111,A-3,patent,,2024-03-04,,,\n", encoding="utf-8")
    monkeypatch.setattr(ie, "MAX_IMPORT_ROWS", 4)
    monkeypatch.setattr(ie, "MAX_IMPORT_BYTES", 10_000)
    assert main(["import", str(src)]) == 2
    assert refused() == (
        "pctby: Nothing was imported: the user 111 would have 3 cases; up to 2 cases per user.\n"
    )
    assert sqlite3.connect(db).execute("SELECT count(*) FROM cases").fetchone() == (3,)
    src.write_text(GOOD, encoding="utf-8")
    assert main(["import", str(src)]) == 0  # the same cases again: updates, under the cap
