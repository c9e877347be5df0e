"""The buttons of the case feature (typed callback data, `v1:case:…`), in one place, so that
every module of the package reads the same wire form.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from bot.parse.buttons import CaseButton, DeadlineCode
from bot.parse.callbacks import MAX_INT, Between, Id, KindField
from core.labels import EVENT_LABELS as EVENT_LABELS

# -- buttons (CaseButton and the deadline buttons: bot/parse/buttons.py) ---------------------


@dataclass(frozen=True)
class AddNoPriority(CaseButton, action="nopri"):
    """/addcase: no priority claimed."""


@dataclass(frozen=True)
class AddKind(CaseButton, action="kind"):
    """/addcase: the kind, the last question."""

    kind: KindField


@dataclass(frozen=True)
class AddNatural(CaseButton, action="np"):
    """/addcase: is the applicant a natural person? The last question."""

    yes: bool


@dataclass(frozen=True)
class ShowCard(CaseButton, action="show"):
    case_id: Id


@dataclass(frozen=True)
class CasesPage(CaseButton, action="page"):
    """/cases: another page of the list (pages of `PAGE` cases)."""

    page: Annotated[int, Between(0, MAX_INT)]


@dataclass(frozen=True)
class SetNatural(CaseButton, action="setnp"):
    """The card's switch: the applicant is (`natural`) or is not a natural person."""

    case_id: Id
    natural: bool


@dataclass(frozen=True)
class Events(CaseButton, action="events"):
    """ "Remove a recorded event…" under the card: the events, one button each."""

    case_id: Id


@dataclass(frozen=True)
class Unrecord(CaseButton, action="unrec"):
    """Removes one recorded event (its stored id) from the case."""

    case_id: Id
    event_id: Id


@dataclass(frozen=True)
class PaidPast(CaseButton, action="paidpast"):
    """ "Record them as paid": the case's annual fees overdue with no payment recorded."""

    case_id: Id


@dataclass(frozen=True)
class Why(CaseButton, action="why"):
    """ "Why this date?" for one open deadline of the case."""

    case_id: Id
    code: DeadlineCode


@dataclass(frozen=True)
class Resume(CaseButton, action="resume"):
    case_id: Id


@dataclass(frozen=True)
class Delete(CaseButton, action="del"):
    case_id: Id


@dataclass(frozen=True)
class DeleteYes(CaseButton, action="delyes"):
    case_id: Id


@dataclass(frozen=True)
class Keep(CaseButton, action="keep"):
    """ "No, keep it" under /delete (the case's id) and /forget (0)."""

    case_id: Annotated[int, Between(0, MAX_INT)]


@dataclass(frozen=True)
class ForgetYes(CaseButton, action="forgetyes"):
    pass
