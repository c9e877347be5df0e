"""Belarus working days and the counting of periods.

Sources: Civil Code art. 194 and PCT Rule 80.5 (a period ending on a non-working day ends on the
next working day); PCT Rules 80.2/80.3 (month-end clipping); the Belarus calendar as published
in the `holidays` package (Resolution of the Council of Ministers on transfers of working days).
"""

from __future__ import annotations

import calendar
import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.calendar import (
    WEEKEND,
    add_months,
    holiday_name,
    is_working_day,
    known_through_year,
    shift_to_working_day,
)

D = dt.date.fromisoformat


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
