"""Belarus working-day calendar and the counting of periods.

Rules (docs/RULES.md §1):
- A period of months or years ends on the same-numbered day of the last month/year; where that
  month has no such day, on its last day (PCT Rules 80.2, 80.3).
- A period that ends on a non-working day ends on the next working day (Civil Code art. 194;
  PCT Rule 80.5). Non-working days: Saturdays and Sundays that are not transferred working days,
  public holidays and substituted days off. Worked Saturdays are working days.

The public holidays, substituted days off and worked Saturdays come from the `holidays`
package (`holidays.country_holidays("BY", language=...)`), always with an explicit language.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Literal

import holidays
from dateutil.relativedelta import relativedelta
from holidays.countries.belarus import BelarusStaticHolidays

Lang = Literal["ru", "be", "en"]
LANGS: tuple[Lang, ...] = ("ru", "be", "en")

# `holidays` language codes for our UI languages.
_HOLIDAY_LANG: dict[str, str] = {"ru": "ru", "be": "be", "en": "en_US"}

# The reference language in which shift reasons are stored (names translated on display).
_REF_LANG: Lang = "en"

WEEKEND = "weekend"

LAW_SHIFT = "Civil Code of the Republic of Belarus art. 194; PCT Rule 80.5"
LAW_MONTHS = "PCT Rules 80.2, 80.3"


@lru_cache(maxsize=1 << 14)
def add_months(start: dt.date, months: int) -> dt.date:
    """`start` + `months`, clipped to the month's last day (PCT Rules 80.2/80.3):
    `dateutil.relativedelta` counts a period this way. Cached: the planner asks the same few
    thousand sums again and again."""
    result: dt.date = start + _months(months)
    return result


@cache
def _months(months: int) -> relativedelta:
    """One `relativedelta` per length: the deadline rules use a handful of them."""
    return relativedelta(months=months)


def add_years(start: dt.date, years: int) -> dt.date:
    return add_months(start, 12 * years)


@dataclass(frozen=True, slots=True)
class SkippedDay:
    """A non-working day that pushed a deadline: `reason` is WEEKEND or a holiday key."""

    day: dt.date
    reason: str


@dataclass(frozen=True, slots=True)
class Shift:
    """The effective last day of a period and the non-working days it skipped."""

    nominal: dt.date
    effective: dt.date
    skipped: tuple[SkippedDay, ...]

    @property
    def shifted(self) -> bool:
        return self.effective != self.nominal


@lru_cache(maxsize=8)
def _holidays(lang: str) -> holidays.HolidayBase:
    return holidays.country_holidays("BY", language=_HOLIDAY_LANG[lang])


def known_through_year() -> int:
    """The last calendar year whose transfers of working days the package knows.

    Later years are computed on the calendar known today (docs/RULES.md §1): a transfer the
    Government publishes later may still move a date.
    """
    return max(BelarusStaticHolidays.special_public_holidays)


@cache
def _year_table(year: int) -> tuple[frozenset[dt.date], dict[dt.date, str]]:
    """Working-day exceptions for one year: worked Saturdays, and non-working weekdays → name."""
    ref = holidays.country_holidays("BY", language=_HOLIDAY_LANG[_REF_LANG], years=year)
    worked = frozenset(d for d in ref.weekend_workdays if d.year == year)
    names = {d: str(name) for d, name in ref.items() if d.year == year}
    return worked, names


def is_working_day(day: dt.date) -> bool:
    worked, names = _year_table(day.year)
    if day in worked:
        return True
    if day in names:
        return False
    return day.weekday() < 5


@lru_cache(maxsize=65536)
def shift_to_working_day(nominal: dt.date) -> Shift:
    """The period ending on `nominal` ends on this effective day (Civil Code art. 194)."""
    day = nominal
    skipped: list[SkippedDay] = []
    while True:
        worked, names = _year_table(day.year)
        if day in worked:
            break
        if day in names:
            skipped.append(SkippedDay(day, names[day]))
        elif day.weekday() >= 5:
            skipped.append(SkippedDay(day, WEEKEND))
        else:
            break
        day += dt.timedelta(days=1)
    return Shift(nominal, day, tuple(skipped))


def holiday_name(day: dt.date, lang: str) -> str | None:
    """The holiday's name on `day` in `lang` (ru, be, en), or None on an ordinary day."""
    name = _holidays(lang if lang in _HOLIDAY_LANG else _REF_LANG).get(day)
    return None if name is None else str(name)
