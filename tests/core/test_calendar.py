"""Belarus working days and the counting of periods.

Sources: Civil Code art. 194 and PCT Rule 80.5 (a period ending on a non-working day ends on the
next working day); PCT Rules 80.2/80.3 (month-end clipping); the Belarus calendar as published
in the `holidays` package (Resolution of the Council of Ministers on transfers of working days).
"""

from __future__ import annotations

import calendar
import datetime as dt
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import core.calendar as cal
from core.calendar import (
    WEEKEND,
    add_months,
    holiday_name,
    is_working_day,
    known_through_year,
    shift_to_working_day,
)

D = dt.date.fromisoformat
HOLIDAY_0703 = "Independence Day of the Republic of Belarus (Day of the Republic)"
SUBSTITUTED_0425 = "Day off (substituted from 04/25/2026)"
RADUNITSA = "Radunitsa (Day of Rejoicing)"


def assert_shift(nominal: str, effective: str, *reasons: str) -> None:
    shift = shift_to_working_day(D(nominal))
    assert shift.effective == D(effective), (nominal, shift)
    assert [s.reason for s in shift.skipped] == list(reasons)


@pytest.mark.parametrize(
    ("nominal", "effective", "reasons", "source"),
    [
        ("2026-10-15", "2026-10-15", (), "an ordinary Thursday"),
        ("2026-10-17", "2026-10-19", (WEEKEND, WEEKEND), "weekend: Sat → Mon"),
        (
            "2026-07-03",
            "2026-07-06",
            ("Independence Day of the Republic of Belarus (Day of the Republic)", WEEKEND, WEEKEND),
            "public holiday on a Friday, then the weekend",
        ),
        (
            "2026-04-20",
            "2026-04-22",
            ("Day off (substituted from 04/25/2026)", "Radunitsa (Day of Rejoicing)"),
            "substituted day off (20.04.2026 for Saturday 25.04.2026), then Radunitsa",
        ),
        ("2026-04-25", "2026-04-25", (), "worked Saturday 25.04.2026 is a working day"),
        ("2025-12-20", "2025-12-20", (), "worked Saturday 20.12.2025 is a working day"),
        ("2026-01-07", "2026-01-08", ("Orthodox Christmas Day",), "Orthodox Christmas"),
        ("2026-11-07", "2026-11-09", ("October Revolution Day", WEEKEND), "holiday on Saturday"),
        ("2027-02-28", "2027-03-01", (WEEKEND,), "Sunday at a month's end → next month"),
    ],
)
def test_shift_to_next_working_day(
    nominal: str, effective: str, reasons: tuple[str, ...], source: str
) -> None:
    assert_shift(nominal, effective, *reasons)


def test_worked_saturday_and_substituted_day_off() -> None:
    assert is_working_day(D("2026-04-25"))  # Saturday, worked
    assert not is_working_day(D("2026-04-20"))  # Monday, substituted day off
    assert not is_working_day(D("2026-04-18"))  # an ordinary Saturday
    assert is_working_day(D("2026-04-23"))


@pytest.mark.parametrize(
    ("start", "months", "end", "source"),
    [
        ("2024-07-31", 31, "2027-02-28", "PCT Rule 80.2: no 31 February → last day"),
        ("2021-07-29", 31, "2024-02-29", "leap day exists in 2024"),
        ("2024-02-29", 36, "2027-02-28", "PCT Rule 80.3: 29 Feb + 3 years → 28 Feb"),
        ("2024-01-31", 1, "2024-02-29", "leap-year February"),
        ("2023-03-15", 31, "2025-10-15", "plain 31 months"),
    ],
)
def test_add_months_clips_to_month_end(start: str, months: int, end: str, source: str) -> None:
    assert add_months(D(start), months) == D(end)


@given(st.dates(dt.date(1990, 1, 1), dt.date(2080, 12, 31)), st.integers(-400, 400))
def test_add_months_ends_on_the_same_day_or_the_months_last(start: dt.date, months: int) -> None:
    """PCT Rules 80.2/80.3, stated as properties: the month is `months` later, the day is the
    same one, or the month's last where it has no such day."""
    end = add_months(start, months)
    assert (end.year * 12 + end.month) - (start.year * 12 + start.month) == months
    last = calendar.monthrange(end.year, end.month)[1]
    assert end.day == min(start.day, last)


def test_holiday_names_in_every_language() -> None:
    day = D("2026-01-07")
    assert holiday_name(day, "ru") == "Рождество Христово (православное Рождество)"
    assert holiday_name(day, "be") == "Нараджэнне Хрыстова (праваслаўнае Раство)"
    assert holiday_name(day, "en") == "Orthodox Christmas Day"
    assert holiday_name(D("2026-01-08"), "en") is None


def test_known_calendar_years() -> None:
    assert known_through_year() >= 2026


# The calendar `holidays` computes is kept on disk between runs (importing the package costs
# more than the rest of a cold `pctby deadlines`); what is read back must be what it computes.

YEARS = range(2000, 2061)


def _fresh(lang: str, year: int) -> Any:
    import holidays

    return holidays.country_holidays("BY", language={"en": "en_US"}.get(lang, lang), years=year)


@pytest.fixture
def stored(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    path = tmp_path / "cache" / "calendar-by.json"
    monkeypatch.setenv("PCTBY_CALENDAR_CACHE", str(path))
    cal._STORED.forget()
    yield path
    monkeypatch.undo()
    cal._STORED.forget()


def _every_answer() -> list[object]:
    answers: list[object] = [known_through_year()]
    for year in YEARS:
        day = dt.date(year, 1, 1)
        while day.year == year:
            answers.append((day, is_working_day(day), shift_to_working_day(day)))
            answers += [holiday_name(day, lang) for lang in ("ru", "be", "en")]
            day += dt.timedelta(days=1)
    return answers


def test_the_stored_calendar_answers_as_the_package_does(stored: Path) -> None:
    computed = _every_answer()
    assert stored.exists()
    data = json.loads(stored.read_text(encoding="utf-8"))
    assert set(data["years"]) == {str(y) for y in YEARS}
    cal._STORED.forget()  # now every answer comes from the file
    assert _every_answer() == computed
    for year in (2000, 2026, 2060):  # and the file holds what the package says, day by day
        ref = _fresh("en", year)
        assert data["years"][str(year)]["names"] == {
            d.isoformat(): str(n) for d, n in ref.items() if d.year == year
        }
        assert data["years"][str(year)]["worked"] == sorted(
            d.isoformat() for d in ref.weekend_workdays if d.year == year
        )
        for lang in ("ru", "be"):
            assert data["names"][f"{lang}-{year}"] == {
                d.isoformat(): str(n) for d, n in _fresh(lang, year).items() if d.year == year
            }


def test_a_file_of_another_source_or_a_broken_one_is_not_believed(stored: Path) -> None:
    assert_shift("2026-07-03", "2026-07-06", HOLIDAY_0703, WEEKEND, WEEKEND)
    good = json.loads(stored.read_text(encoding="utf-8"))
    # Another release of `holidays` (another key): its table for 2026 says 3 July is worked.
    other = {**good, "key": "another", "years": {"2026": {"worked": ["2026-07-03"], "names": {}}}}
    for text in (json.dumps(other), "{not json", json.dumps([1, 2]), ""):
        stored.write_text(text, encoding="utf-8")
        cal._STORED.forget()
        assert_shift("2026-07-03", "2026-07-06", HOLIDAY_0703, WEEKEND, WEEKEND)
        assert json.loads(stored.read_text(encoding="utf-8"))["key"] == good["key"]


def test_the_key_follows_the_package_and_this_module(
    stored: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    key = cal._source_key()
    assert key is not None and key == cal._source_key()
    real = Path.read_bytes

    def patched(self: Path) -> bytes:
        data = real(self)
        return data + b"# changed" if self.name == "belarus.py" else data

    monkeypatch.setattr(Path, "read_bytes", patched)
    assert cal._source_key() not in (None, key)


def test_nowhere_to_keep_it_still_answers(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    for setting in ("", str(blocker / "calendar-by.json")):  # none; a folder that cannot be made
        monkeypatch.setenv("PCTBY_CALENDAR_CACHE", setting)
        cal._STORED.forget()
        try:
            assert_shift("2026-04-20", "2026-04-22", SUBSTITUTED_0425, RADUNITSA)
            assert (
                holiday_name(D("2026-01-07"), "be") == "Нараджэнне Хрыстова (праваслаўнае Раство)"
            )
        finally:
            cal._STORED.forget()
    assert list(tmp_path.iterdir()) == [blocker]


def test_a_cold_run_with_the_stored_calendar_does_not_import_holidays(stored: Path) -> None:
    probe = (
        "import sys, datetime as dt; from core.calendar import shift_to_working_day as s,"
        " holiday_name as h; r = s(dt.date(2026, 7, 3)); print(r.effective,"
        " h(dt.date(2026, 7, 3), 'ru'), 'holidays' in sys.modules)"
    )
    env = {**os.environ, "PCTBY_CALENDAR_CACHE": str(stored)}
    run = [sys.executable, "-c", probe]
    first = subprocess.run(run, env=env, capture_output=True, text=True, check=True).stdout
    again = subprocess.run(run, env=env, capture_output=True, text=True, check=True).stdout
    assert first.split()[-1] == "True" and again.split()[-1] == "False"
    assert first.split()[:-1] == again.split()[:-1]
    assert again.startswith("2026-07-06 День Независимости")


def test_threads_computing_years_at_once_keep_one_whole_file(stored: Path) -> None:
    """CSV imports and the entry form compute in worker threads beside the event loop."""
    from concurrent.futures import ThreadPoolExecutor

    def year(y: int) -> list[object]:
        return [is_working_day(dt.date(y, m, d)) for m in (1, 5, 11) for d in (1, 2, 7, 9)]

    with ThreadPoolExecutor(8) as pool:
        together = list(pool.map(year, range(2001, 2041)))
    data = json.loads(stored.read_text(encoding="utf-8"))
    assert set(data["years"]) == {str(y) for y in range(2001, 2041)}
    cal._STORED.forget()
    assert [year(y) for y in range(2001, 2041)] == together
    assert not [p for p in stored.parent.iterdir() if p.name.startswith(".calendar-")]
