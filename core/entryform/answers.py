"""The chat's side of the entry request, framework-free: what a stored case already tells the
form, and the answers a user gave last time (applicants, inventors, representative,
correspondence address), remembered in the database for their next form."""

from __future__ import annotations

import logging
from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError

from core.entryform.model import (
    Applicant,
    Correspondence,
    Inventor,
    Representative,
    RepresentativeRole,
    parse_pct_number,
)
from core.storage import Case, Store

log = logging.getLogger(__name__)


class Remembered(BaseModel):
    """The answers that carry over from one form to the user's next."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    applicants: tuple[Applicant, ...] = ()
    inventors: tuple[Inventor, ...] = ()
    representative: Representative | None = None
    representative_is: RepresentativeRole | None = None
    correspondence_address: Correspondence | None = None


FIELDS = tuple(Remembered.model_fields)


def pct_from_ref(ref: str) -> str | None:
    """The case reference as an international application number, where it is one."""
    try:
        return parse_pct_number(ref)
    except ValueError:
        return None


def from_case(case: Case) -> dict[str, Any]:
    """What the case knows for certain, as fields of the request: kind, filing date and — where
    the reference is one — the international application number."""
    data: dict[str, Any] = {"kind": case.kind.value, "filing_date": case.filing}
    number = pct_from_ref(case.ref)
    if number is not None:
        data["pct_number"] = number
    return data


# The fields the form offers from the case ("On the case: …", one tap to use) and saves back.
CASE_FIELDS = ("title", "wo_number", "publication_date")


def case_offers(case: Case) -> dict[str, str]:
    """What the case remembers of the form's fields (its title, and the WO number and the
    publication date an earlier form or an import gave it), as JSON-ready text."""
    offers: dict[str, str] = {}
    if case.title.strip():
        offers["title"] = case.title.strip()
    if case.wo_number:
        offers["wo_number"] = case.wo_number
    if case.publication_date is not None:
        offers["publication_date"] = case.publication_date.isoformat()
    return offers


async def recall(store: Store, user_id: int) -> Remembered:
    """The user's answers from their last form (nothing, if they have none or it is unreadable)."""
    async with store.transaction() as tx:
        raw = await tx.entryforms.get(user_id)
    if raw is None:
        return Remembered()
    try:
        return Remembered.model_validate_json(raw)
    except ValidationError:
        log.warning("unreadable entry-form answers of user %s: starting afresh", user_id)
        return Remembered()


async def remember(store: Store, user_id: int, answers: dict[str, Any]) -> Remembered:
    """Keeps what `answers` holds of the carried-over fields (given ones replace the old)."""
    async with store.transaction() as tx:
        raw = await tx.entryforms.get(user_id)
        try:
            old = Remembered.model_validate_json(raw).model_dump() if raw else {}
        except ValidationError:
            old = {}
        merged = {**old, **{k: answers[k] for k in FIELDS if k in answers}}
        value = Remembered.model_validate(merged)
        await tx.users.ensure(user_id)
        await tx.entryforms.put(user_id, value.model_dump_json())
    return value
