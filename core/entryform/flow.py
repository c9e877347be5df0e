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
  within it `part` (the basis asked part by part) or `pending` (the part of a person the answer
  lacked: `{"index": i, "part": "address" | "country", "same": bool}`).

Applicants, inventors and attachments are lists, one per answer, each answer in parts separated
by line breaks or semicolons — `ООО «Аквапур»; 220030, г. Минск, ул. Ленина, 1; BY;
+375 17 123 45 67` is an applicant's name, address, country code and phone. Each part is checked
as `pctby entry-form` checks DATA.toml (`core.entryform.model`), and what the Office's form
needs and the answer lacks — an applicant's address or country code, an inventor's address — is
asked for (`Missing`), never guessed: the answers the chat remembers then fill in a form the
CLI accepts.

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
from core.text import clean, printable

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
    "early_start",
    "basis",
    "amended_on_entry",
    "attachments",
)
PEOPLE: Final = ("applicants", "inventors")
LISTS: Final = (*PEOPLE, "attachments")  # one per answer, until "Done"
# What the Office's form needs of each person (`check_complete`), asked for when missing.
REQUIRED_PARTS: Final[dict[str, tuple[str, ...]]] = {
    "applicants": ("address", "country"),
    "inventors": ("address",),
}
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


def parts(text: str) -> list[str]:
    """An answer's parts: separated by line breaks or semicolons, white space as one space; an
    empty part between two others keeps its place (`name;; BY`: no address), trailing empty
    ones go."""
    found = [
        " ".join(piece.split())
        for line in printable(text).splitlines()
        if line.strip()
        for piece in line.split(";")
    ]
    while found and not found[-1]:
        found.pop()
    return found


_PHONE: Final = re.compile(r"\+?[\d\s().\-/]+(?:\s*(?:ext|доб|дад)\.?\s*\d+)?", re.IGNORECASE)
_EMAIL: Final = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
_FAX: Final = re.compile(r"(?:fax|факс)\s*:?\s*", re.IGNORECASE)


def _phone(text: str) -> bool:
    return bool(_PHONE.fullmatch(text)) and sum(c.isdigit() for c in text) >= 5


def _contact(text: str) -> bool:
    """A phone number, a fax number or an e-mail address (not a country code)."""
    return "@" in text or _phone(_FAX.sub("", text, count=1))


def _add(person: dict[str, Any], key: str, value: str) -> None:
    person[key] = f"{person[key]}, {value}" if person.get(key) else value


def _contacts(person: dict[str, Any], found: list[str]) -> None:
    """Phone numbers, fax numbers (`fax …`, `факс …`) and e-mail addresses, in any order."""
    for part in found:
        if not part:
            continue
        if "@" in part:
            if not _EMAIL.fullmatch(part):
                raise InputError(N_("“{value}” is not an e-mail address."), value=short(part, 40))
            _add(person, "email", part)
        elif _FAX.match(part) and _phone(_FAX.sub("", part, count=1)):
            _add(person, "fax", _FAX.sub("", part, count=1))
        elif _phone(part):
            _add(person, "phone", part)
        else:
            raise InputError(
                N_(
                    "“{value}” is neither a phone number nor an e-mail address: an applicant "
                    "is sent as the name; the address; the country code; then phone numbers "
                    "or e-mail addresses."
                ),
                value=short(part, 40),
            )


def parse_person(text: str, *, applicant: bool) -> dict[str, Any]:
    """One applicant (`name; address; country code; phone or e-mail…`) or inventor (`name;
    address; country code`): the parts given, each checked; a missing address or country is
    left out, for `answer` to ask."""
    found = parts(text)
    if not found or not found[0]:
        raise InputError(
            N_("Please send the name, the address and the country code, separated by “;”.")
            if applicant
            else N_("Please send the name and the address, separated by “;”.")
        )
    person: dict[str, Any] = {"name": found[0]}
    if len(found) > 1 and found[1]:
        person["address"] = found[1]
    if len(found) > 2:
        third = found[2]
        code = st3.normalize(third) if third else None
        if code is not None:
            person["country"] = code
            rest = 3
        elif not third:  # `name; address;; phone`: no country code (asked for, not guessed)
            rest = 3
        elif applicant and _contact(third):  # `name; address; phone`: the same
            rest = 2
        else:
            raise InputError(
                N_(
                    "The third part, “{value}”, is not a WIPO ST.3 country code (such as BY, DE "
                    "or EP): the code comes after the name and the address."
                ),
                value=short(third, 30),
            )
        if applicant:
            _contacts(person, found[rest:])
        elif len(found) > 3:
            raise InputError(
                N_(
                    "An inventor is sent as the name; the address; the country code — "
                    "“{value}” is one part too many."
                ),
                value=short(found[3], 30),
            )
    return person


def parse_attachment(text: str) -> dict[str, Any]:
    """`name; sheets in one copy; copies` (the numbers may be left out)."""
    found = parts(text)
    if not found or not found[0]:
        raise InputError(N_("Please send the document's name, then the sheets and the copies."))
    if len(found) > 3:
        raise InputError(
            N_(
                "A document is sent as its name; the number of sheets in one copy; the number "
                "of copies — “{value}” is one part too many."
            ),
            value=short(found[3], 30),
        )
    item: dict[str, Any] = {"name": found[0]}
    for key, value, top, template in (
        ("sheets", found[1] if len(found) > 1 else "", 100_000, _BAD_SHEETS),
        ("copies", found[2] if len(found) > 2 else "", 100, _BAD_COPIES),
    ):
        if not value:
            continue
        if not value.isdecimal() or not 1 <= int(value) <= top:
            raise InputError(template, value=short(value, 20), max=top)
        item[key] = int(value)
    return item


_BAD_SHEETS = N_("The number of sheets, “{value}”, is not a whole number from 1 to {max}.")
_BAD_COPIES = N_("The number of copies, “{value}”, is not a whole number from 1 to {max}.")


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
    """An applicant, inventor or attachment added to `step`'s list (the `n`th): the front-end
    asks for the next one or Done."""

    step: str
    n: int
    name: str


@dataclass(frozen=True, slots=True)
class Missing:
    """The `n`th person of `step` lacks `part` ("address", "country"): ask for it."""

    step: str
    n: int
    name: str
    part: str


@dataclass(frozen=True, slots=True)
class UseButtons:
    """The question is answered with its buttons, not by typing."""


Reply = Next | Added | Missing | UseButtons


def incomplete(flow: dict[str, Any], step: str) -> tuple[int, str] | None:
    """The first person of `step` (index) and the part of theirs the form needs and lacks."""
    needed = REQUIRED_PARTS.get(step, ())
    for index, person in enumerate(flow["data"].get(step, [])):
        for part in needed:
            if not str(person.get(part) or "").strip():
                return index, part
    return None


def _missing_or(flow: dict[str, Any], step: str, done: Reply, *, same: bool) -> Reply:
    """`Missing` for the next part a person of `step` lacks (remembered as `pending`), else
    `done`."""
    gap = incomplete(flow, step)
    if gap is None:
        flow.pop("pending", None)
        return done
    index, part = gap
    flow["pending"] = {"index": index, "part": part, "same": same}
    name = str(flow["data"][step][index].get("name", ""))
    return Missing(step, index + 1, name, part)


def answer(flow: dict[str, Any], text: str) -> Reply:
    """The typed answer to the question asked (`flow["step"]`); InputError names what is wrong
    and leaves the flow as it was."""
    text = printable(text).strip()
    step = flow.get("step")
    if step in PEOPLE and flow.get("pending"):
        return _fill_pending(flow, step, text)
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
        return _missing_or(flow, step, Added(step, len(people), person["name"]), same=False)
    elif step == "attachments":
        item = parse_attachment(text)
        items = [*flow["data"].get(step, []), item]
        checked(flow, step, items)
        return Added(step, len(items), item["name"])
    elif step == "representative":
        checked(flow, step, {"name": " ".join(text.split())})
    elif step == "correspondence_address":
        checked(flow, step, {"address": " ".join(text.split())})
    elif step == "early_start":
        checked(flow, step, parse_date(text).isoformat())
    else:
        return UseButtons()
    return Next()


def _fill_pending(flow: dict[str, Any], step: str, text: str) -> Reply:
    """The part a person lacked (`pending`), typed."""
    pending = flow["pending"]
    index, part = int(pending["index"]), str(pending["part"])
    value = " ".join(text.split())
    if not value:
        raise InputError(N_("Please send the address.") if part == "address" else _NO_CODE)
    if part == "country":
        code = st3.normalize(value)
        if code is None:
            raise InputError(
                N_("“{value}” is not a WIPO ST.3 country code (such as BY, DE or EP)."),
                value=short(value, 30),
            )
        value = code
    people = [dict(p) for p in flow["data"][step]]
    people[index][part] = value
    checked(flow, step, people)
    name = str(people[index].get("name", ""))
    done: Reply = Next() if pending.get("same") else Added(step, index + 1, name)
    return _missing_or(flow, step, done, same=bool(pending.get("same")))


_NO_CODE = N_("Please send the country code, such as BY, DE or EP.")


# -- choices ----------------------------------------------------------------------------------


def skip(flow: dict[str, Any]) -> None:
    """The question asked is left blank on the form (an applicant or inventor still lacking a
    part is left out: what the form has of them stays complete)."""
    step = flow.get("step", "")
    flow["skipped"].append(step)
    if step in PEOPLE and flow.pop("pending", None) is not None:
        needed = REQUIRED_PARTS[step]
        kept = [p for p in flow["data"][step] if all(str(p.get(k) or "").strip() for k in needed)]
        checked(flow, step, kept)


def done(flow: dict[str, Any]) -> Reply:
    """No more applicants (inventors, attachments): `Next`, or the part a person still lacks."""
    step = flow.get("step", "")
    if step in PEOPLE:
        return _missing_or(flow, step, Next(), same=bool(flow.get("pending", {}).get("same")))
    return Next()


def use_offer(flow: dict[str, Any]) -> Reply | None:
    """Takes what the case or the last form offers for the question asked (None: nothing);
    a remembered person who lacks a part the form needs is asked for it (`Missing`)."""
    step = flow.get("step", "")
    offered = offer(flow, step)
    if offered is None:
        return None
    checked(flow, step, offered)
    if step == "representative" and flow["remembered"].get("representative_is"):
        checked(flow, "representative_is", flow["remembered"]["representative_is"])
    if step in PEOPLE:
        return _missing_or(flow, step, Next(), same=True)
    return Next()


def early_start(flow: dict[str, Any], early: bool) -> None:
    """Early processing asked (from the receipt of the documents), or not (the form's box)."""
    checked(flow, "early_start", early)


def toggle_amended(flow: dict[str, Any], part: Part) -> None:
    """A part amended on entry into the national phase is checked, or unchecked again."""
    chosen = set(flow["data"].get("amended_on_entry", [])) ^ {part}
    checked(flow, "amended_on_entry", [p for p in PARTS if p in chosen])


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
