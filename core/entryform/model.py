"""What the national-phase entry request says (Annex BY.II for patents, BY.III for utility
models), validated: numbers in the Office's formats, ST.3 country codes, dates not before the
international filing date.

`parse_request(data)` reads a mapping (a parsed DATA.toml, or what the chat collected) and
raises `InputError` with one sentence that names the field, as DATA.toml spells it
(`applicants[2].country`, counted from 1). `check_complete(request)` adds what a form for the
Office cannot do without (the CLI asks for it; the chat leaves skipped answers blank).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import re
from collections.abc import Mapping, Sequence
from enum import StrEnum
from typing import Annotated, Any, Final

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainValidator,
    ValidationError,
    field_validator,
)
from pydantic_core import PydanticCustomError

import core.entryform.st3 as st3
from core.dates import parse_date
from core.errors import N_, InputError
from core.models import Kind
from core.text import printable

MAX_TEXT: Final = 2000
MAX_PEOPLE: Final = 100
MAX_ATTACHMENTS: Final = 50


class Basis(StrEnum):
    """On what text the national processing starts, for each part (the form's check boxes)."""

    ORIGINAL = "original"
    ART19 = "art19"  # claims only: amended under PCT Article 19
    ART34 = "art34"  # amended under PCT Article 34(2)(b)


class Part(StrEnum):
    DESCRIPTION = "description"
    CLAIMS = "claims"
    DRAWINGS = "drawings"


class RepresentativeRole(StrEnum):
    PATENT_ATTORNEY = "patent_attorney"
    COMMON_REPRESENTATIVE = "common_representative"


# -- field types ------------------------------------------------------------------------------

_PCT = re.compile(r"^(?:PCT)?/?([A-Z]{2})(\d{4}|\d{2})/(\d{6}|\d{5})$")
_WO = re.compile(r"^WO/?(\d{4}|\d{2})/?(\d{6}|\d{5})(?:[AB]\d)?$")


def parse_pct_number(value: Any) -> str:
    """`PCT/IB2024/050123` (also `pct/ib2024/050123`, `IB2024/050123`): the normalized form."""
    text = re.sub(r"\s+", "", str(value)).upper()
    m = _PCT.match(text)
    if not m or st3.normalize(m.group(1)) is None:
        raise PydanticCustomError("pct_number", "not a PCT number", {"value": value})
    return f"PCT/{m.group(1)}{m.group(2)}/{m.group(3)}"


def parse_wo_number(value: Any) -> str:
    """`WO 2024/123456` (also `WO2024/123456`, `WO2024123456`, with a kind code `A1`)."""
    text = re.sub(r"\s+", "", str(value)).upper()
    m = _WO.match(text)
    if not m:
        raise PydanticCustomError("wo_number", "not a WO number", {"value": value})
    return f"WO {m.group(1)}/{m.group(2)}"


def wo_year(number: str) -> int:
    """The publication year a WO number carries (two-digit years before 2004)."""
    year = int(number[3:].split("/")[0])
    return year if year > 99 else 1900 + year if year >= 78 else 2000 + year


def a_date(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        raise PydanticCustomError("date", "not a date", {"value": value})
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return parse_date(value)
        except InputError:
            pass
    raise PydanticCustomError("date", "not a date", {"value": value})


def parse_early_start(value: Any) -> bool | dt.date:
    """`false`, `true` (from the receipt of the documents) or a date."""
    if isinstance(value, bool):
        return value
    return a_date(value)


def country(value: Any) -> str:
    code = st3.normalize(str(value)) if isinstance(value, str) else None
    if code is None:
        raise PydanticCustomError("st3", "not an ST.3 code", {"value": value})
    return code


def _named(key: str) -> Any:
    """A table that may be written as one string: `representative = "…"` → {key: "…"}."""

    def convert(value: Any) -> Any:
        return {key: value} if isinstance(value, str) else value

    return BeforeValidator(convert)


Text = Annotated[str, Field(max_length=MAX_TEXT), BeforeValidator(lambda v: _strip(v))]
Name = Annotated[
    str, Field(min_length=1, max_length=MAX_TEXT), BeforeValidator(lambda v: _strip(v))
]
Country = Annotated[str, PlainValidator(lambda v: country(v) if v not in ("", None) else "")]
ADate = Annotated[dt.date, PlainValidator(a_date)]


def _strip(value: Any) -> Any:
    """Runs of white space as one space, without what no document can carry
    (`core.text.printable`: control characters…); a number written without quotes as its
    digits."""
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    return " ".join(printable(value).split()) if isinstance(value, str) else value


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Applicant(_Model):
    name: Name
    address: Text = ""
    country: Country = ""
    phone: Text = ""
    fax: Text = ""
    email: Text = ""
    okpo: Text = ""  # Belarusian legal entities only
    unp: Text = ""
    parent_org: Text = ""


class Inventor(_Model):
    name: Name
    address: Text = ""
    country: Country = ""


class Representative(_Model):
    name: Name
    phone: Text = ""
    fax: Text = ""
    email: Text = ""


class Correspondence(_Model):
    address: Name
    phone: Text = ""
    fax: Text = ""
    email: Text = ""


class Attachment(_Model):
    name: Name
    sheets: int | None = Field(default=None, ge=1, le=100_000)
    copies: int | None = Field(default=None, ge=1, le=100)


class BasisChoice(_Model):
    """Which box is checked for each part; None: none (e.g. an application without drawings)."""

    description: Basis | None = None
    claims: Basis | None = None
    drawings: Basis | None = None

    @field_validator("description", "drawings")
    @classmethod
    def _no_art19(cls, value: Basis | None) -> Basis | None:
        if value is Basis.ART19:
            raise PydanticCustomError("art19", "art19 is for the claims only", {"value": value})
        return value


class EntryRequest(_Model):
    kind: Kind
    pct_number: Annotated[
        str | None, PlainValidator(lambda v: None if v is None else parse_pct_number(v))
    ] = None
    filing_date: ADate | None = None
    wo_number: Annotated[
        str | None, PlainValidator(lambda v: None if v is None else parse_wo_number(v))
    ] = None
    publication_date: ADate | None = None
    title: Text = ""
    applicants: tuple[Applicant, ...] = Field(default=(), max_length=MAX_PEOPLE)
    inventors: tuple[Inventor, ...] = Field(default=(), max_length=MAX_PEOPLE)
    representative: Annotated[Representative | None, _named("name")] = None
    representative_is: RepresentativeRole | None = None
    correspondence_address: Annotated[Correspondence | None, _named("address")] = None
    early_start: Annotated[bool | dt.date, PlainValidator(parse_early_start)] = False
    basis: BasisChoice = BasisChoice()
    amended_on_entry: tuple[Part, ...] = ()
    attachments: tuple[Attachment, ...] = Field(default=(), max_length=MAX_ATTACHMENTS)


# -- errors as one sentence naming the field -------------------------------------------------

_MISSING = N_("The field “{field}” is missing.")
_MESSAGES: Final[dict[str, str]] = {
    "missing": _MISSING,
    "extra_forbidden": N_("This form has no field “{field}”: check its spelling."),
    "st3": N_(
        "The field “{field}” has “{value}”, which is not a WIPO ST.3 country code "
        "(such as BY, DE or EP)."
    ),
    "pct_number": N_(
        "The field “{field}” has “{value}”, which is not an international application number "
        "like PCT/IB2024/050123."
    ),
    "wo_number": N_(
        "The field “{field}” has “{value}”, which is not an international publication number "
        "like WO 2024/123456."
    ),
    "date": N_("The field “{field}” has “{value}”, which is not a date like 15.03.2024."),
    "art19": N_(
        "The field “{field}” has “art19”, but amendments under PCT Article 19 concern "
        "the claims only."
    ),
    "string_too_short": _MISSING,
    "string_too_long": N_("The field “{field}” is too long: up to {max} characters."),
    "too_long": N_("The field “{field}” has too many entries: up to {max}."),
}
_CHOICES = N_("The field “{field}” has “{value}”; use one of: {choices}.")
_WHOLE = N_("The field “{field}” has “{value}”; use a whole number from {min} to {max}.")
_WRONG = N_("The field “{field}” has “{value}”, which is not a value this field takes.")
_BEFORE_FILING = N_(
    "The field “{field}” ({date}) is before the international filing date ({filing})."
)
_WO_YEAR = N_(
    "The field “wo_number” ({number}) does not match publication_date ({date}): "
    "a WO number carries the year of publication."
)


def field_name(loc: Sequence[int | str]) -> str:
    """`('applicants', 1, 'country')` → `applicants[2].country` (counted from 1)."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part + 1}]"
        else:
            out += f".{part}" if out else part
    return out


def _shown(value: Any) -> str:
    text = value.isoformat() if isinstance(value, dt.date) else str(value)
    text = " ".join(text.split())
    return text if len(text) <= 60 else text[:59] + "…"


def _choices(kind: str) -> str:
    options: dict[str, Sequence[str]] = {
        "kind": [k.value for k in Kind],
        "representative_is": [r.value for r in RepresentativeRole],
        "amended_on_entry": [p.value for p in Part],
        "basis": [b.value for b in Basis],
    }
    return ", ".join(options.get(kind, ()))


def input_error(exc: ValidationError) -> InputError:
    """The first problem pydantic found, as one translatable sentence."""
    err = exc.errors()[0]
    loc = err["loc"]
    field = field_name(loc)
    kind = err["type"]
    value = _shown(err.get("input", ""))
    if kind in ("enum", "literal_error") or (kind == "value_error" and loc[0] == "kind"):
        group = "basis" if loc[0] == "basis" else str(loc[0])
        return InputError(_CHOICES, field=field, value=value, choices=_choices(group))
    if kind.startswith(("int_", "greater_than", "less_than")):
        top = 100 if loc[-1] == "copies" else 100_000
        return InputError(_WHOLE, field=field, value=value, min=1, max=top)
    if kind == "string_too_long":
        return InputError(_MESSAGES[kind], field=field, max=MAX_TEXT)
    if kind == "too_long":
        top = MAX_ATTACHMENTS if loc[0] == "attachments" else MAX_PEOPLE
        return InputError(_MESSAGES[kind], field=field, max=top)
    template = _MESSAGES.get(kind)
    if template is None:
        return InputError(_WRONG, field=field, value=value)
    return InputError(template, field=field, value=value)


def _kind_first(data: Mapping[str, Any]) -> dict[str, Any]:
    out = dict(data)
    if isinstance(out.get("kind"), str):
        with contextlib.suppress(ValueError):  # else reported by the model with the choices
            out["kind"] = Kind.parse(out["kind"]).value
    return out


def parse_request(data: Mapping[str, Any]) -> EntryRequest:
    """The request from a mapping (a parsed DATA.toml); InputError names the first bad field."""
    try:
        request = EntryRequest.model_validate(_kind_first(data))
    except ValidationError as exc:
        raise input_error(exc) from None
    check_dates(request)
    return request


def check_dates(request: EntryRequest) -> None:
    """No date before the international filing date; the WO number's year is the publication's."""
    filing = request.filing_date
    dates: list[tuple[str, dt.date | None]] = [("publication_date", request.publication_date)]
    if isinstance(request.early_start, dt.date):
        dates.append(("early_start", request.early_start))
    for field, day in dates:
        if filing is not None and day is not None and day < filing:
            raise InputError(
                _BEFORE_FILING, field=field, date=form_date(day), filing=form_date(filing)
            )
    published = request.publication_date
    if request.wo_number and published is not None and wo_year(request.wo_number) != published.year:
        raise InputError(_WO_YEAR, number=request.wo_number, date=form_date(published))


def check_publication(
    kind: Kind, filing: dt.date, wo_number: Any, published: Any
) -> tuple[str | None, dt.date | None]:
    """A case's WO number and publication date (None: not known), read and checked as the
    form reads them (`wo_number`, `publication_date` named in the error): the normal form of
    the number, a date not before `filing`, and the number's year the date's."""
    data: dict[str, Any] = {"kind": kind.value, "filing_date": filing}
    if wo_number not in (None, ""):
        data["wo_number"] = wo_number
    if published not in (None, ""):
        data["publication_date"] = published
    request = parse_request(data)
    return request.wo_number, request.publication_date


# What a form for the Office cannot do without, in the form's order.
REQUIRED: Final[tuple[str, ...]] = ("pct_number", "filing_date", "title")


def check_complete(request: EntryRequest) -> None:
    """InputError naming the first field the Office's form needs that is missing."""
    for field in REQUIRED:
        if not getattr(request, field):
            raise InputError(_MISSING, field=field)
    if not request.applicants:
        raise InputError(_MISSING, field="applicants")
    for i, applicant in enumerate(request.applicants, start=1):
        for attr in ("address", "country"):
            if not getattr(applicant, attr):
                raise InputError(_MISSING, field=f"applicants[{i}].{attr}")
    if request.representative is not None and request.representative_is is None:
        raise InputError(_MISSING, field="representative_is")
    if request.basis.description is None:
        raise InputError(_MISSING, field="basis.description")
    if request.basis.claims is None:
        raise InputError(_MISSING, field="basis.claims")
    if not request.inventors:
        raise InputError(_MISSING, field="inventors")
    for i, inventor in enumerate(request.inventors, start=1):
        if not inventor.address:
            raise InputError(_MISSING, field=f"inventors[{i}].address")


def form_date(day: dt.date) -> str:
    """Dates on the form: dd.mm.yyyy."""
    return day.strftime("%d.%m.%Y")
