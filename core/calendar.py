"""Belarus working-day calendar and the counting of periods.

Rules (docs/RULES.md §1):
- A period of months or years ends on the same-numbered day of the last month/year; where that
  month has no such day, on its last day (PCT Rules 80.2, 80.3).
- A period that ends on a non-working day ends on the next working day (Civil Code art. 194;
  PCT Rule 80.5). Non-working days: Saturdays and Sundays that are not transferred working days,
  public holidays and substituted days off. Worked Saturdays are working days.

The public holidays, substituted days off and worked Saturdays come from the `holidays`
package (`holidays.country_holidays("BY", language=...)`), always with an explicit language.

Importing `holidays` costs more than the rest of a `pctby deadlines` run (it loads every
country). What it computes for a year is kept in a small JSON file (`calendar_cache_path()`),
under a key made of the installed `holidays` release, the bytes of its Belarus module and
catalogs, and this module's own source: any change to either recomputes it. Without a usable
file (unwritable, corrupt, another key) the package is asked, as before.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import importlib.util
import json
import os
import threading
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from dateutil.relativedelta import relativedelta

from core.jsonfile import write_atomically

if TYPE_CHECKING:
    import holidays

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


def calendar_cache_path() -> Path | None:
    """Where the computed calendar is kept: PCTBY_CALENDAR_CACHE (empty: nowhere), else the
    user's cache folder."""
    named = os.environ.get("PCTBY_CALENDAR_CACHE")
    if named is not None:
        return Path(named) if named.strip() else None
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "pctby" / "calendar-by.json"


_FORMAT = 1


def _source_key() -> str | None:
    """What the stored calendar was computed from; None when the package cannot be found
    without importing it (then nothing is stored)."""
    spec = importlib.util.find_spec("holidays")
    if spec is None or spec.origin is None:
        return None
    package = Path(spec.origin).parent
    digest = hashlib.sha256(f"{_FORMAT}".encode())
    releases = sorted(p.name for p in package.parent.glob("holidays-*.dist-info"))
    digest.update(repr(releases).encode())
    sources = [package / "countries" / "belarus.py", Path(__file__)]
    sources += [
        package / "locale" / lang / "LC_MESSAGES" / "BY.mo" for lang in _HOLIDAY_LANG.values()
    ]
    for source in sources:
        try:
            digest.update(source.read_bytes())
        except OSError:
            return None
    return digest.hexdigest()


class _Stored:
    """The calendar computed by `holidays`, kept between runs (one JSON file, written
    atomically): per year the worked Saturdays and the non-working weekdays' names (in English,
    the reference language), the holidays' names per language, and the last year whose
    transfers the package knows."""

    def __init__(self) -> None:
        self._data: dict[str, Any] | None = None
        self._path: Path | None = None
        # CSV imports and the entry form run in worker threads beside the event loop's
        self._lock = threading.RLock()

    def _loaded(self) -> dict[str, Any]:
        if self._data is None:
            self._path = calendar_cache_path()
            key = _source_key() if self._path is not None else None
            data: dict[str, Any] = {}
            if self._path is not None and key is not None:
                try:
                    raw = json.loads(self._path.read_text(encoding="utf-8"))
                    if isinstance(raw, dict) and raw.get("key") == key:
                        data = raw
                except (OSError, ValueError):
                    pass
            else:
                self._path = None
            data["key"] = key
            self._data = data
        return self._data

    def get(self, section: str, name: str) -> Any:
        with self._lock:
            part = self._loaded().get(section)
            return part.get(name) if isinstance(part, dict) else None

    def put(self, section: str, name: str, value: Any) -> None:
        with self._lock:
            self._put(section, name, value)

    def _put(self, section: str, name: str, value: Any) -> None:
        data = self._loaded()
        data.setdefault(section, {})[name] = value
        if self._path is None:
            return
        if not write_atomically(
            self._path, data, prefix=".calendar-", ensure_ascii=False, sort_keys=True
        ):
            self._path = None  # a read-only home, a full disk: kept in memory from now on

    def forget(self) -> None:
        """Read the file again at the next question (tests; a changed setting)."""
        with self._lock:
            self._data = None
        for cached in (_year_table, _names, known_through_year, shift_to_working_day):
            cached.cache_clear()


_STORED = _Stored()


def _country(lang: str, year: int) -> holidays.HolidayBase:
    import holidays  # only when the stored calendar lacks this year

    return holidays.country_holidays("BY", language=_HOLIDAY_LANG[lang], years=year)


@cache
def known_through_year() -> int:
    """The last calendar year whose transfers of working days the package knows.

    Later years are computed on the calendar known today (docs/RULES.md §1): a transfer the
    Government publishes later may still move a date.
    """
    stored = _STORED.get("known", "through")
    if isinstance(stored, int):
        return stored
    from holidays.countries.belarus import BelarusStaticHolidays

    known = max(BelarusStaticHolidays.special_public_holidays)
    _STORED.put("known", "through", known)
    return known


@cache
def _year_table(year: int) -> tuple[frozenset[dt.date], dict[dt.date, str]]:
    """Working-day exceptions for one year: worked Saturdays, and non-working weekdays → name."""
    stored = _STORED.get("years", str(year))
    if stored is None:
        ref = _country(_REF_LANG, year)
        stored = {
            "worked": sorted(d.isoformat() for d in ref.weekend_workdays if d.year == year),
            "names": {d.isoformat(): str(name) for d, name in ref.items() if d.year == year},
        }
        _STORED.put("years", str(year), stored)
    worked = frozenset(dt.date.fromisoformat(d) for d in stored["worked"])
    names = {dt.date.fromisoformat(d): name for d, name in stored["names"].items()}
    return worked, names


@cache
def _names(lang: str, year: int) -> dict[dt.date, str]:
    """The holidays' names of one year in `lang`."""
    if lang == _REF_LANG:
        return _year_table(year)[1]
    stored = _STORED.get("names", f"{lang}-{year}")
    if stored is None:
        ref = _country(lang, year)
        stored = {d.isoformat(): str(name) for d, name in ref.items() if d.year == year}
        _STORED.put("names", f"{lang}-{year}", stored)
    return {dt.date.fromisoformat(d): name for d, name in stored.items()}


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
    return _names(lang if lang in _HOLIDAY_LANG else _REF_LANG, day.year).get(day)
