"""A case's life as users live it (DOMAIN.md §2): the events a user records, what each
deadline's button does, and the open deadlines with their status and warnings.

- `parse_event("annual-7", on)` / `parse_event("вход", on)` → the `Event` to record; the words
  are English, Russian and Belarusian (`EVENT_WORDS`).
- `action_of(code)`: a fee is **paid**, an act (entry, translation, examination request…) is
  **done**, a route (reinstatement, restoration) is **explained** — never "paid" (it is a
  request to the Office, not a payment that closes a deadline).
- `closing_event(code, on)`: the event that closes exactly that deadline.
- `case_status(facts, today)`: every open deadline with `open` or `overdue` and the warnings it
  must carry (BY.08, BY.12, BY.16, BY.17).

Nothing here speaks HTML or Telegram; the warnings are msgids a front-end translates.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from enum import StrEnum

from core.deadlines import (
    CaseFacts,
    Event,
    EventKind,
    compute,
)
from core.errors import N_, InputError
from core.models import Deadline

E = EventKind


class Action(StrEnum):
    PAID = "paid"  # a fee: the Paid button records its payment
    DONE = "done"  # an act before the Office: the Done button records it
    ROUTE = "route"  # a way back after a missed limit: the button explains it


# The event that closes each deadline, and what its button is.
CLOSES: dict[str, tuple[EventKind, Action]] = {
    "national_phase_entry": (E.ENTRY_MADE, Action.DONE),
    "translation": (E.TRANSLATION_FILED, Action.DONE),
    "national_fee_invitation": (E.NATIONAL_FEE_PAID, Action.PAID),
    "examination_request": (E.EXAMINATION_REQUESTED, Action.DONE),
    "grant_fee": (E.GRANT_FEE_PAID, Action.PAID),
    "grant_fee_grace": (E.GRANT_FEE_PAID, Action.PAID),
    "claims_fee_shortfall": (E.CLAIMS_FEE_PAID, Action.PAID),
    "extension_request": (E.EXTENSION_REQUESTED, Action.DONE),
    "appeal_art25": (E.APPEAL_FILED, Action.DONE),
}
# Deadlines whose button explains the route instead of recording anything.
ROUTES: dict[str, str] = {
    "entry_reinstatement": N_(
        "The entry time limit was missed. Rights can be reinstated (BY.16, PCT Rule 49.6): "
        "within 12 months of the missed limit, file a request stating the reasons, perform "
        "the omitted acts (entry, translation, national fee) and pay the reinstatement fee "
        "(Annex BY.I). When the entry is made, record it: /record {ref} entry DATE."
    ),
    "reinstatement": N_(
        "A time limit was missed. Rights can be reinstated (BY.14): within one year of the "
        "missed limit, file a request stating the facts that justify it, perform the omitted "
        "act and pay the reinstatement fee (Annex BY.I)."
    ),
    "patent_restoration": N_(
        "The patent lapsed through non-payment. While its term runs it can be restored on "
        "request (BY.17), with the restoration fee and the unpaid annual fees. The fee is not "
        "in the published schedule: ask the Office for it and for the time limit. When it is "
        "restored, record it: /record {ref} restored DATE."
    ),
}


def action_of(code: str) -> Action:
    if code.startswith("annual_"):
        return Action.PAID
    if code in ROUTES:
        return Action.ROUTE
    if code in CLOSES:
        return CLOSES[code][1]
    raise InputError(N_("Unknown deadline code {code}."), code=code)


def closing_event(code: str, on: dt.date) -> Event:
    """The event that closes deadline `code` (annual_N and annual_N_grace → year N paid).
    A route (reinstatement, restoration) has none: it is explained, not recorded."""
    if code.startswith("annual_"):
        year = code.removeprefix("annual_").removesuffix("_grace")
        if year.isdecimal():
            return Event(kind=E.ANNUITY_PAID, date=on, year=int(year))
    elif code in CLOSES:
        return Event(kind=CLOSES[code][0], date=on)
    raise InputError(N_("Unknown deadline code {code}."), code=code)


# --- the events a user records ---------------------------------------------------------------

# `/record REF EVENT [DATE]`: the words for each event in English, Russian and Belarusian
# (compared lowercased, without spaces, hyphens or underscores, ё read as е).
EVENT_WORDS: dict[EventKind, tuple[str, ...]] = {
    E.ENTRY_MADE: (
        "entry",
        "entered",
        "вход",
        "переход",
        "вступление",
        "пераход",
        "уваход",
        "ўваход",
    ),
    E.TRANSLATION_FILED: ("translation", "перевод", "пераклад"),
    E.EXAMINATION_REQUESTED: (
        "examination",
        "exam",
        "экспертиза",
        "ходатайствоэкспертиза",
        "экспертыза",
    ),
    E.GRANT_DECISION_RECEIVED: (
        "grantdecision",
        "decision",
        "решение",
        "решениеовыдаче",
        "рашэнне",
        "рашэннеавыдачы",
    ),
    E.GRANT_FEE_PAID: ("grantfee", "пошлиназавыдачу", "пошліназавыдачу"),
    E.PATENT_GRANTED: ("granted", "выдан", "патентвыдан", "выдадзены", "патэнтвыдадзены"),
    E.LAPSED: ("lapsed", "прекратил", "прекращен", "спынены", "спыніўся"),
    E.RESTORED: ("restored", "восстановлен", "адноўлены"),
}
ANNUAL_WORDS = ("annual", "годовая", "год", "пошлина", "гадавая", "гадавы")
EVENT_NAMES: dict[EventKind, str] = {kind: words[0] for kind, words in EVENT_WORDS.items()}
EVENT_NAMES[E.GRANT_DECISION_RECEIVED] = "grant-decision"
EVENT_NAMES[E.GRANT_FEE_PAID] = "grant-fee"

_WORD = {w: kind for kind, words in EVENT_WORDS.items() for w in words}
_ANNUAL = re.compile(r"^(?P<word>[^\d]*?)(?P<year>\d{1,3})(?P<tail>[^\d]*)$")


def _key(word: str) -> str:
    word = unicodedata.normalize("NFKC", word).casefold().replace("ё", "е")
    return re.sub(r"[\s\-_.]+", "", word)


EVENT_USAGE = N_(
    "Unknown event “{event}”. Record one of: entry, translation, examination, "
    "grant-decision, grant-fee, annual-N (for example annual-4), granted, lapsed, restored."
)


def parse_event(word: str, on: dt.date) -> Event:
    """The event a user names (`entry`, `annual-4`, `годовая 4`, `рашэнне`…) dated `on`."""
    key = _key(word)
    kind = _WORD.get(key)
    if kind is not None:
        return Event(kind=kind, date=on)
    found = _ANNUAL.match(key)
    annual = found and (found["word"] in ANNUAL_WORDS or found["word"] == "")
    if found and annual and found["tail"] in ("", "год", "year", "y"):
        return Event(kind=E.ANNUITY_PAID, date=on, year=int(found["year"]))
    raise InputError(EVENT_USAGE, event=word[:40])


# --- the open deadlines of a case --------------------------------------------------------------


class Status(StrEnum):
    OPEN = "open"
    OVERDUE = "overdue"


WARNINGS: dict[str, str] = {
    "no_extension": N_(
        "This time limit cannot be extended or reinstated: without the request the Office "
        "refuses the grant (BY.08)."
    ),
    "entry_missed": N_(
        "The entry time limit has passed: rights can be reinstated within 12 months "
        "(BY.16, PCT Rule 49.6) — see the reinstatement deadline."
    ),
    "late_annual": N_(
        "Late: until the end of the grace period it can still be paid with a surcharge of "
        "50%, together with a request for extension (BY.12)."
    ),
    "may_have_lapsed": N_(
        "The grace period has ended with no payment recorded: the patent may have lapsed. "
        "It can be restored on request (BY.17). If it was paid, record the payment; if it "
        "lapsed, record that (lapsed) to see the restoration route."
    ),
    "ask_office": N_(
        "The restoration fee and its time limit are not in the published schedule: ask the "
        "Office (consultation +375 17 272 97 14, as published on 2 April 2021; current "
        "numbers on ncip.by)."
    ),
}


@dataclass(frozen=True, slots=True)
class OpenDeadline:
    deadline: Deadline
    status: Status
    warnings: tuple[str, ...]  # keys of WARNINGS

    @property
    def code(self) -> str:
        return self.deadline.code


def case_status(facts: CaseFacts, today: dt.date) -> list[OpenDeadline]:
    """Every deadline still open (not closed by a recorded event), earliest first, with its
    status on `today` and the warnings it carries."""
    deadlines = compute(facts)
    by_code = {d.code: d for d in deadlines}
    found: list[OpenDeadline] = []
    for d in deadlines:
        overdue = d.date < today
        warnings: list[str] = []
        if d.code == "examination_request":
            warnings.append("no_extension")
        elif d.code == "national_phase_entry" and overdue:
            warnings.append("entry_missed")
        elif d.code.startswith("annual_") and d.code.endswith("_grace") and overdue:
            warnings.append("may_have_lapsed")
        elif d.code.startswith("annual_") and overdue:
            grace = by_code.get(f"{d.code}_grace")
            if grace is not None and grace.date >= today:
                warnings.append("late_annual")
        elif d.code == "patent_restoration":
            warnings.append("ask_office")
        found.append(OpenDeadline(d, Status.OVERDUE if overdue else Status.OPEN, tuple(warnings)))
    return found
