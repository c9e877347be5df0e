"""The chat's entry request as a guided flow, framework-free: which question comes next, what a
typed answer or a choice does to the request, and what the finished form saves to the case.

The flow is a JSON-ready dict (a front-end stores it between steps; the bot in its `flows`
table):

- `case_id`, `ref`: the case the form is for;
- `data`: the request's fields so far, spelled as DATA.toml spells them (`parse_request` reads
  it), always a request that holds together — `checked` sets a field only if it does;
- `remembered`: the user's answers from their last form (`core.entryform.answers`), offered
  with "Use the same"; `on_case`: what the case itself offers (title, WO number, publication
  date);
- `skipped`: the steps skipped (left blank on the form); `step`: the question asked now, and
  within it `part` (the basis asked part by part).

A front-end (`bot/handlers/entryform.py`) asks `flow["step"]`'s question, passes a typed answer
to `answer` and a choice to the functions below, calls `advance` for the next question, and
makes the document (`parse_request`, `render`) once `advance` returns None.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any, Final, Literal, get_args

from core.dates import parse_date
from core.entryform import st3
from core.entryform.answers import CASE_FIELDS, Remembered, case_offers, from_case
from core.entryform.model import (
    Basis,
    form_date,
    parse_pct_number,
    parse_request,
    parse_wo_number,
)
from core.errors import N_, InputError
from core.models import Kind
from core.storage import MAX_TITLE, Case
from core.text import clean

MAX_LINE: Final = 300

# The questions, in the form's order; a step is asked only where `wanted` says so.
STEPS: Final[tuple[str, ...]] = (
    "pct_number",
    "title",
    "title_case",  # only where the typed title differs from the case's: replace it there?
    "wo_number",
    "publication_date",
    "applicants",
    "inventors",
    "representative",
    "representative_is",
    "correspondence_address",
    "basis",
)
PEOPLE: Final = ("applicants", "inventors")
Part = Literal["description", "claims", "drawings"]
PARTS: Final[tuple[Part, ...]] = get_args(Part)
Option = Literal["original", "art19", "art34", "none"]
# The basis choices offered for each part (the form's check boxes).
OPTIONS: Final[dict[Part, tuple[Option, ...]]] = {
    "description": ("original", "art34"),
    "claims": ("original", "art19", "art34"),
    "drawings": ("original", "art34", "none"),
}


def short(value: object, limit: int = 60) -> str:
    """A value on one line, cut to `limit` characters."""
    text = " ".join(str(value).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def annex_of(kind: Kind) -> str:
    return "BY.II" if kind is Kind.PATENT else "BY.III"


# -- starting ---------------------------------------------------------------------------------


def start(case: Case, remembered: Remembered) -> dict[str, Any]:
    """A new flow for `case`, offering the user's `remembered` answers; no step asked yet."""
    data = from_case(case)
    data["filing_date"] = case.filing.isoformat()
    return {
        "case_id": case.id,
        "ref": case.ref,
        "data": data,
        "remembered": remembered.model_dump(mode="json", exclude_none=True),
        "on_case": case_offers(case),
        "skipped": [],
    }


# -- which question -----------------------------------------------------------------------------


def wanted(flow: dict[str, Any], step: str) -> bool:
    data = flow["data"]
    if step in ("pct_number", "title"):
        return not data.get(step)
    if step == "title_case":
        return title_differs(flow) and "title_replace" not in flow
    if step == "representative_is":
        return bool(data.get("representative")) and not data.get("representative_is")
    return True


def advance(flow: dict[str, Any]) -> str | None:
    """Moves the flow to the next wanted question after the current step and returns it; None
    when every question has been asked (the document can be made)."""
    current = flow.get("step", "")
    index = STEPS.index(current) + 1 if current in STEPS else 0
    for step in STEPS[index:]:
        if wanted(flow, step):
            flow["step"] = step
            return step
    return None


def title_differs(flow: dict[str, Any]) -> bool:
    """A title was given that is not the case's own (which the case has)."""
    on_case = str(flow.get("on_case", {}).get("title", ""))
    given = str(flow["data"].get("title", ""))
    return bool(on_case and given and given != on_case)


def offer(flow: dict[str, Any], step: str) -> Any:
    """What the case (its title, WO number, publication date) or the user's last form (people,
    addresses) offers for `step`; None where nothing."""
    if step in CASE_FIELDS:
        return flow.get("on_case", {}).get(step) or None
    return flow["remembered"].get(step) or None


def summary(field: str, value: Any) -> str:
    """A remembered answer in one line."""
    if field in PEOPLE:
        return "; ".join(short(str(p.get("name", "")), 60) for p in value)
    if field == "representative":
        return short(str(value.get("name", "")), 80)
    if field == "correspondence_address":
        return short(str(value.get("address", "")), 120)
    if field == "publication_date":
        return form_date(dt.date.fromisoformat(str(value)))
    return short(str(value), 80)


# -- answers ----------------------------------------------------------------------------------


def _lines(text: str) -> list[str]:
    return [" ".join(line.split())[:MAX_LINE] for line in text.splitlines() if line.strip()]


def parse_person(text: str, *, applicant: bool) -> dict[str, Any]:
    """`name / address / country code / phone or e-mail…`, one per line."""
    lines = _lines(text)
    if not lines:
        raise InputError(N_("Please send the name, the address and the country code."))
    person: dict[str, Any] = {"name": lines[0]}
    if len(lines) > 1:
        person["address"] = lines[1]
    if len(lines) > 2:
        code = st3.normalize(lines[2])
        if code is None:
            raise InputError(
                N_(
                    "“{value}” is not a WIPO ST.3 country code (such as BY, DE or EP): "
                    "put the code on the third line."
                ),
                value=short(lines[2], 30),
            )
        person["country"] = code
    for line in lines[3:] if applicant else ():
        key = "email" if "@" in line else "phone"
        person[key] = f"{person[key]}, {line}" if key in person else line
    return person


def _number(parser: Any, text: str, template: str) -> str:
    try:
        return str(parser(text))
    except ValueError:
        raise InputError(template, value=short(text.strip(), 40)) from None


_BAD_PCT = N_("“{value}” is not an international application number like PCT/IB2024/050123.")
_BAD_WO = N_("“{value}” is not an international publication number like WO 2024/123456.")


def checked(flow: dict[str, Any], field: str, value: Any) -> None:
    """Sets `field` only if the whole request still holds together (dates after filing…)."""
    data = dict(flow["data"])
    data[field] = value
    parse_request(data)
    flow["data"] = data


@dataclass(frozen=True, slots=True)
class Next:
    """The answer is taken: ask the next question (`advance`)."""


@dataclass(frozen=True, slots=True)
class Added:
    """A person added to `step`'s list (the `n`th): the front-end asks for the next or Done."""

    step: str
    n: int
    name: str


@dataclass(frozen=True, slots=True)
class UseButtons:
    """The question is answered with its buttons, not by typing."""


Reply = Next | Added | UseButtons


def answer(flow: dict[str, Any], text: str) -> Reply:
    """The typed answer to the question asked (`flow["step"]`); InputError names what is wrong
    and leaves the flow as it was."""
    text = text.strip()
    step = flow.get("step")
    if step == "pct_number":
        checked(flow, step, _number(parse_pct_number, text, _BAD_PCT))
    elif step == "title":
        title = " ".join(clean(text).split())
        if len(title) > MAX_TITLE:
            raise InputError(N_("The title is longer than {max} characters."), max=MAX_TITLE)
        checked(flow, step, title)
        flow.pop("title_replace", None)
    elif step == "wo_number":
        checked(flow, step, _number(parse_wo_number, text, _BAD_WO))
    elif step == "publication_date":
        checked(flow, step, parse_date(text).isoformat())
    elif step in PEOPLE:
        person = parse_person(text, applicant=step == "applicants")
        people = [*flow["data"].get(step, []), person]
        checked(flow, step, people)
        return Added(step, len(people), person["name"])
    elif step == "representative":
        checked(flow, step, {"name": " ".join(text.split())[:2000]})
    elif step == "correspondence_address":
        checked(flow, step, {"address": " ".join(text.split())[:2000]})
    else:
        return UseButtons()
    return Next()


# -- choices ----------------------------------------------------------------------------------


def skip(flow: dict[str, Any]) -> None:
    """The question asked is left blank on the form."""
    flow["skipped"].append(flow.get("step", ""))


def use_offer(flow: dict[str, Any]) -> bool:
    """Takes what the case or the last form offers for the question asked (False: nothing)."""
    step = flow.get("step", "")
    offered = offer(flow, step)
    if offered is None:
        return False
    checked(flow, step, offered)
    if step == "representative" and flow["remembered"].get("representative_is"):
        checked(flow, "representative_is", flow["remembered"]["representative_is"])
    return True


def everything_as_filed(flow: dict[str, Any]) -> None:
    checked(flow, "basis", {p: Basis.ORIGINAL.value for p in PARTS})


def each_part(flow: dict[str, Any]) -> Part:
    """The basis is chosen part by part: the first part to ask."""
    flow["data"]["basis"] = {}
    flow["part"] = PARTS[0]
    return PARTS[0]


def part_basis(flow: dict[str, Any], part: Part, choice: Option) -> Part | None:
    """`choice` for `part` (the one asked); the next part to ask, or None after the last."""
    if choice not in OPTIONS[part]:
        raise InputError(N_("Please choose with the buttons above."))
    basis = dict(flow["data"].get("basis", {}))
    if choice != "none":
        basis[part] = choice
    checked(flow, "basis", basis)
    following = PARTS.index(part) + 1
    if following < len(PARTS):
        flow["part"] = PARTS[following]
        return PARTS[following]
    flow.pop("part", None)
    return None


# -- the document -----------------------------------------------------------------------------


def file_name(ref: str) -> str:
    return "entry-request-" + (re.sub(r"[^A-Za-z0-9._-]+", "-", ref).strip("-") or "case") + ".docx"


@dataclass(frozen=True, slots=True)
class CaseDetails:
    """What the finished form saves to its case (None: leave the case's as it is)."""

    title: str | None
    replacing: str | None  # the case's title the new one replaces (None: the case had none)
    wo_number: str | None
    publication_date: dt.date | None


def case_details(flow: dict[str, Any]) -> CaseDetails | None:
    """The title, the WO number and the publication date of the form, for its case (skipped
    ones leave the case's as they are); None where there is nothing to save."""
    data = flow["data"]
    title: str | None = data.get("title") or None
    replacing: str | None = None
    if title is not None and title_differs(flow):
        if flow.get("title_replace"):
            replacing = str(flow["on_case"]["title"])
        else:
            title = None  # the user keeps the case's title
    elif title is not None:
        replacing = str(flow.get("on_case", {}).get("title", ""))
    published = data.get("publication_date")
    wo_number = data.get("wo_number")
    if title is None and wo_number is None and published is None:
        return None
    return CaseDetails(
        title=title,
        replacing=replacing,
        wo_number=wo_number,
        publication_date=None if published is None else dt.date.fromisoformat(published),
    )
