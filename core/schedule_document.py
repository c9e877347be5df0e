"""A fee schedule document (TOML, the format of `core/data/fees/*.toml`) validated completely
before anything is stored: a staff schedule (`/schedule`, `pctby schedule check`) that passes
here can be read by every feature — quotes, deadlines with amounts, annuities, a case's card —
and cannot break them later, also after a restart (tests/core/test_schedule_property.py
checks that with generated documents).

- Types, strictly (pydantic, strict mode): amounts are numbers (TOML text such as "24.50", or
  an integer); dates are TOML dates; texts are text; nothing else is accepted and no key is
  unknown.
- Ranges: amounts in base-value units from 0 to `MAX_BV` and the base value from `MIN_BASE` to
  `MAX_BASE` BYN, each with at most two decimal places (a quote of 1,000 claims at the largest
  of them stays far inside Decimal's 28 digits); percentages from 0 to 100; annual-fee bands
  `[first year, last year, bv]` with years from 1 to 25 — checked before any band is expanded
  into its years (`[3, 100000000, "5"]` once took 4.8 GB); at most 25 bands.
- Sizes: an `id` of at most `MAX_ID` characters (letters, digits, `.`, `_`, `-`: it is shown in
  every quote and in the staff's confirmation), texts of at most `MAX_TEXT`, the whole document
  at most `MAX_BYTES`, nesting too deep for the TOML reader refused with a sentence.
- Dates from `EARLIEST` on; `effective_from` not after the end of next year (checked when a
  document is installed: a schedule "in force from 9999-12-31" would block every later one).

Each problem is one sentence (`InputError`, translated by the front-end), all of them at once
(`ScheduleProblems`; `pctby schedule check`: exit status 2), and nothing is stored.
"""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from collections.abc import Mapping, Sequence
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import Annotated, Any, Final, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StrictInt,
    ValidationError,
    create_model,
)
from pydantic_core import PydanticCustomError

from core.errors import N_, InputError, ScheduleProblems

MAX_BYTES: Final = 256 * 1024
MAX_ID: Final = 60
MAX_TEXT: Final = 300
MAX_BV: Final = Decimal(1000)  # base-value units of one fee (Annex BY.I: at most 33)
MIN_BASE: Final = Decimal(1)  # BYN (2018: 24.50; 2026: 45.00)
MAX_BASE: Final = Decimal(10_000)
MAX_YEAR: Final = 25  # annual fees: a patent lasts 20 years (+5 extended), BY.12
MAX_BANDS: Final = 25
EARLIEST: Final = dt.date(2000, 1, 1)
LATEST_DATE: Final = dt.date(2100, 12, 31)
_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")
CENT: Final = Decimal("0.01")

STRICT = ConfigDict(strict=True, extra="forbid", frozen=True)
Currency = Literal["BYN"]  # the Annex's amounts are in Belarusian roubles


# --- field types ---------------------------------------------------------------------------


def _number(value: object) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise PydanticCustomError("number", "not a number")
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        raise PydanticCustomError("number", "not a number") from None
    if not number.is_finite():
        raise PydanticCustomError("number", "not a number")
    return number


def _within(low: Decimal, high: Decimal) -> AfterValidator:
    def check(value: Decimal) -> Decimal:
        if not low <= value <= high:
            raise PydanticCustomError("range", "out of range", {"min": low, "max": high})
        if value != value.quantize(CENT):
            raise PydanticCustomError("decimals", "too many decimal places")
        return value

    return AfterValidator(check)


Units = Annotated[Decimal, BeforeValidator(_number), _within(Decimal(0), MAX_BV)]
BaseValue = Annotated[Decimal, BeforeValidator(_number), _within(MIN_BASE, MAX_BASE)]
Percentage = Annotated[Decimal, BeforeValidator(_number), _within(Decimal(0), Decimal(100))]


def _text(value: str) -> str:
    if not value.strip():
        raise PydanticCustomError("empty", "empty")
    if len(value) > MAX_TEXT:
        raise PydanticCustomError("long", "too long", {"max": MAX_TEXT})
    if not value.isprintable():
        raise PydanticCustomError("control", "control characters")
    return value


Text = Annotated[str, AfterValidator(_text)]


def _id(value: str) -> str:
    if len(value) > MAX_ID:
        raise PydanticCustomError("long", "too long", {"max": MAX_ID})
    if not _ID.fullmatch(value):
        raise PydanticCustomError("id", "bad id")
    return value


ScheduleId = Annotated[str, AfterValidator(_id)]


def _date(value: dt.date) -> dt.date:
    if not EARLIEST <= value <= LATEST_DATE:
        raise PydanticCustomError("range", "out of range", {"min": EARLIEST, "max": LATEST_DATE})
    return value


Day = Annotated[dt.date, AfterValidator(_date)]


def _url(value: str) -> str:
    _text(value)
    if not re.fullmatch(r"https?://[^\s<>\"]+", value):
        raise PydanticCustomError("url", "not a URL")
    return value


Url = Annotated[str, AfterValidator(_url)]


def _as_tuple(value: object) -> object:
    """A band is a TOML array (a list); strict mode takes a tuple only."""
    return tuple(value) if isinstance(value, list) else value


def _band(value: tuple[int, int, Decimal]) -> tuple[int, int, Decimal]:
    first, last, _units = value
    if not 1 <= first <= last <= MAX_YEAR:
        raise PydanticCustomError("band", "bad years")
    return value


Band = Annotated[
    tuple[StrictInt, StrictInt, Units], BeforeValidator(_as_tuple), AfterValidator(_band)
]


class Fee(BaseModel):
    model_config = STRICT
    bv: Units
    basis: Text


class Annual(BaseModel):
    model_config = STRICT
    basis: Text
    bands: Annotated[list[Band], Field(min_length=1, max_length=MAX_BANDS)]


class Percent(BaseModel):
    model_config = STRICT
    percent: Percentage
    basis: Text


@lru_cache(maxsize=8)
def document_model(
    patent: tuple[str, ...],
    utility_model: tuple[str, ...],
    surcharges: tuple[str, ...],
    reductions: tuple[str, ...],
) -> type[BaseModel]:
    """The document's model for the fee codes the engine reads (those of the first shipped
    schedule): every one present, no other."""

    def section(name: str, codes: tuple[str, ...], kind: Any, **more: Any) -> type[BaseModel]:
        fields: dict[str, Any] = {code: (kind, ...) for code in codes}
        return create_model(name, __config__=STRICT, **fields, **more)

    return create_model(
        "FeeScheduleDocument",
        __config__=STRICT,
        id=(ScheduleId, ...),
        title=(Text, ...),
        source=(Text, ...),
        effective_from=(Day, ...),
        stated_for=(Day, ...),
        base_value=(BaseValue, ...),
        currency=(Currency, ...),
        superseded_on=(Day | None, None),
        superseded_reason=(Text | None, None),
        current_fees_at=(Url | None, None),
        patent=(section("PatentFees", patent, Fee, annual=(Annual, ...)), ...),
        utility_model=(section("UtilityModelFees", utility_model, Fee, annual=(Annual, ...)), ...),
        surcharges=(section("Surcharges", surcharges, Percent), ...),
        reductions=(section("Reductions", reductions, Percent), ...),
    )


# --- problems as sentences -----------------------------------------------------------------


def _key(loc: Sequence[int | str]) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part + 1}]"  # counted from 1, as a person counts the lines
        elif part in ("function-after", "function-before", "function-plain"):
            continue
        else:
            out += f".{part}" if out else str(part)
    return out


def _sentence(error: Mapping[str, Any]) -> InputError:
    loc = [p for p in error.get("loc", ()) if not (isinstance(p, str) and "[" in p)]
    key = _key(loc)
    kind = str(error.get("type"))
    ctx = error.get("ctx") or {}
    if kind == "missing":
        return InputError(N_("“{key}” is missing."), key=key)
    if kind == "extra_forbidden":
        return InputError(N_("“{key}” is not part of a fee schedule."), key=key)
    if kind in ("date_type", "date_parsing", "date_from_datetime_inexact"):
        return InputError(N_("“{key}” must be a date such as 2026-01-01."), key=key)
    if kind == "number":
        return InputError(N_('“{key}” must be a number, such as "24.50".'), key=key)
    if kind == "range":
        low, high = ctx.get("min"), ctx.get("max")
        return InputError(N_("“{key}” must be from {min} to {max}."), key=key, min=low, max=high)
    if kind == "decimals":
        return InputError(N_("“{key}” may have at most two decimal places."), key=key)
    if kind == "long":
        return InputError(N_("“{key}” must be at most {max} characters."), key=key, max=ctx["max"])
    if kind == "empty":
        return InputError(N_("“{key}” must not be empty."), key=key)
    if kind == "control":
        return InputError(N_("“{key}” must not hold control characters."), key=key)
    if kind == "id":
        return InputError(
            N_("“{key}” may hold only Latin letters, digits, dots, hyphens and underscores."),
            key=key,
        )
    if kind == "url":
        return InputError(N_("“{key}” must be a web address (https://…)."), key=key)
    if kind == "band":
        return InputError(
            N_("“{key}”: a band is [first year, last year, bv], years from 1 to {max}."),
            key=key,
            max=MAX_YEAR,
        )
    if kind in ("too_short", "too_long") and not key.endswith("]"):
        return InputError(N_("“{key}” must have from 1 to {max} entries."), key=key, max=MAX_BANDS)
    if kind == "literal_error":
        return InputError(N_("“{key}” must be BYN."), key=key)
    if kind in ("string_type",):
        return InputError(N_("“{key}” must be text in quotes."), key=key)
    if kind in ("int_type",):
        return InputError(N_("“{key}” must be a whole number."), key=key)
    if kind in ("model_type", "model_attributes_type", "dict_type"):
        return InputError(N_("“{key}” must be a table."), key=key)
    if kind in ("tuple_type", "list_type", "too_short", "too_long"):
        if "bands" in key:
            return InputError(
                N_("“{key}”: a band is [first year, last year, bv], years from 1 to {max}."),
                key=key,
                max=MAX_YEAR,
            )
        return InputError(N_("“{key}” must be a list."), key=key)
    return InputError(N_("“{key}” is not valid."), key=key)


def read_document(text: str, codes: tuple[tuple[str, ...], ...]) -> BaseModel:
    """The document as its strict model; `ScheduleProblems` with every problem found."""
    if len(text.encode("utf-8", "surrogatepass")) > MAX_BYTES:
        raise ScheduleProblems(
            [InputError(N_("The document is larger than {size} KB."), size=MAX_BYTES // 1024)]
        )
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        raise ScheduleProblems(
            [InputError(N_("This is not a TOML document: {error}."), error=str(err)[:200])]
        ) from None
    except RecursionError:
        raise ScheduleProblems(
            [InputError(N_("The document is nested too deeply to be a fee schedule."))]
        ) from None
    model = document_model(*codes)
    try:
        return model.model_validate(raw)
    except ValidationError as err:
        problems = [_sentence(e) for e in err.errors(include_url=False)]
        raise ScheduleProblems(problems[:60]) from None
