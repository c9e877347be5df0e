"""Dates as people write them: `15.03.2024`, `5.3.2024`, `2024-03-15`, `15/03/2024`,
`15 марта 2024`, `15 сакавіка 2024 г.`, `15 March 2024`, `March 15, 2024`.

`parse_date(text)` returns a `datetime.date` or raises `core.errors.InputError` with one clear,
translatable sentence (an impossible date such as 31.02.2024 says which is the month's last day).
Month names come from Babel's CLDR data for ru, be and en, in both the format (genitive) and the
stand-alone forms, wide and abbreviated, so `15 марта`, `15 март`, `15 мар.` all read.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from functools import cache
from typing import Final

from babel.dates import get_month_names

from core.errors import N_, InputError

MIN_YEAR: Final = 1970
MAX_YEAR: Final = 2100

_NUMERIC_DMY: Final = re.compile(r"^(\d{1,2})[./\-](\d{1,2})[./\-](\d{2}|\d{4})$")
_ISO: Final = re.compile(r"^(\d{4})[-./](\d{1,2})[-./](\d{1,2})$")
_DAY_MONTH_YEAR: Final = re.compile(r"^(\d{1,2})\s+([^\W\d_]+)\.?,?\s+(\d{4})$")
_MONTH_DAY_YEAR: Final = re.compile(r"^([^\W\d_]+)\.?\s+(\d{1,2}),?\s+(\d{4})$")
# "2024 г.", "2024 года", "2024 г" (ru), "2024 г." (be)
_YEAR_SUFFIX: Final = re.compile(r"\s*(г\.?|года|году)$", re.IGNORECASE)


def _fold(name: str) -> str:
    """Lower case, no trailing dot; `ў`→`у`, `ё`→`е`, a Latin `i` typed for `і`."""
    return name.lower().rstrip(".").replace("ў", "у").replace("ё", "е").replace("i", "і")


@cache
def month_names() -> dict[str, int]:
    """Every spelling of a month name we accept (lower case, no trailing dot) → month number."""
    found: dict[str, int] = {}
    for locale in ("en_US", "ru_RU", "be_BY"):
        for context in ("format", "stand-alone"):
            for width in ("wide", "abbreviated"):
                for number, name in get_month_names(width, context, locale).items():
                    found[_fold(str(name))] = int(number)
    # Common short forms CLDR does not list.
    extra = {"sept": 9, "сент": 9, "мая": 5, "май": 5, "трав": 5}
    for name, number in extra.items():
        found.setdefault(_fold(name), number)
    return found


def _month(name: str, text: str) -> int:
    month = month_names().get(_fold(name))
    if month is None:
        raise InputError(N_("I do not know the month “{name}” in “{text}”."), name=name, text=text)
    return month


def _build(year: int, month: int, day: int, text: str, *, short_year: bool = False) -> dt.date:
    """`short_year`: the year was written with two digits (24 → 2024); "0001" is year 1."""
    if short_year:
        year += 2000
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise InputError(
            N_("The year must be between {min} and {max}; got {year}."),
            min=MIN_YEAR,
            max=MAX_YEAR,
            year=year,
        )
    if not 1 <= month <= 12:
        raise InputError(
            N_("There is no month {month} in “{text}”: months run from 1 to 12."),
            month=month,
            text=text,
        )
    last = calendar.monthrange(year, month)[1]
    if not 1 <= day <= last:
        raise InputError(
            N_("The date “{text}” does not exist: the last day of that month is {last}."),
            text=text,
            last=dt.date(year, month, last).strftime("%d.%m.%Y"),
        )
    return dt.date(year, month, day)


def parse_date(text: str) -> dt.date:
    """One date from `text`, in any of the accepted forms; InputError otherwise."""
    raw = " ".join(str(text).split())
    if not raw:
        raise InputError(N_("Please give a date, for example 15.03.2024."))
    if len(raw) > 40:
        raise InputError(N_("“{text}” is not a date. Write it like 15.03.2024."), text=raw[:40])
    cleaned = _YEAR_SUFFIX.sub("", raw)
    if m := _NUMERIC_DMY.match(cleaned):
        day, month, year = (int(g) for g in m.groups())
        return _build(year, month, day, raw, short_year=len(m.group(3)) == 2)
    if m := _ISO.match(cleaned):
        year, month, day = (int(g) for g in m.groups())
        return _build(year, month, day, raw)
    if m := _DAY_MONTH_YEAR.match(cleaned):
        return _build(int(m.group(3)), _month(m.group(2), raw), int(m.group(1)), raw)
    if m := _MONTH_DAY_YEAR.match(cleaned):
        return _build(int(m.group(3)), _month(m.group(1), raw), int(m.group(2)), raw)
    raise InputError(N_("“{text}” is not a date. Write it like 15.03.2024."), text=raw)


def split_dates(text: str) -> list[str]:
    """Split `15 марта 2024 1.2.2025` or `15.03.2024, 2024-06-01` into date-shaped chunks."""
    tokens = text.replace(",", " ").replace(";", " ").split()
    chunks: list[str] = []
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        if re.fullmatch(r"\d{1,2}", tok) and i + 2 < len(tokens) and tokens[i + 2].isdecimal():
            # 15 марта 2024 [г.]
            chunk = " ".join(tokens[i : i + 3])
            i += 3
        elif re.fullmatch(r"[^\W\d_]+\.?", tok) and i + 2 < len(tokens):
            # March 15 2024
            chunk = " ".join(tokens[i : i + 3])
            i += 3
        else:
            chunk = tok
            i += 1
        if i < len(tokens) and _YEAR_SUFFIX.fullmatch(" " + tokens[i]):
            i += 1
        chunks.append(chunk)
    return chunks
