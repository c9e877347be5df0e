"""A case's life as users live it (docs/RULES.md §2): the events a user records, what each
deadline's button does, and the open deadlines with their status and warnings.

- `parse_event("annual-7", on)` / `parse_event("вход", on)` → the `Event` to record; the words
  are English, Russian and Belarusian (`EVENT_WORDS`).
- `action_of(code)`: a fee is **paid**, an act (entry, translation, examination request…) is
  **done**, a route (reinstatement, restoration) is **explained** — never "paid" (it is a
  request to the Office, not a payment that closes a deadline).
- `closing_event(code, on)`: the event that closes exactly that deadline.
- `case_status(facts, today)`: every open deadline with `open` or `overdue` and the warnings it
  must carry (`deadline_warnings`: BY.08, BY.10, BY.12, BY.15, BY.16, BY.17, BY.21); the
  sentences are `core.labels.WARNINGS`, the same in every answer (chat, alerts, CLI, JSON).

Nothing here speaks HTML or Telegram; the warnings are msgids a front-end translates.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from enum import StrEnum

from core.deadlines import (
    WITH_GRANT_FEE,
    CaseFacts,
    Event,
    EventKind,
    compute,
    entry_late,
)
from core.errors import N_, InputError
from core.fees import MAX_EXTENSION_MONTHS
from core.labels import WARNINGS as WARNINGS  # the sentences, by code
from core.models import Deadline, Kind

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
    "office_response": (E.RESPONSE_FILED, Action.DONE),
    "appeal_art25": (E.APPEAL_FILED, Action.DONE),
}
# Deadlines whose button explains the route instead of recording anything.
ROUTES: dict[str, str] = {
    "entry_reinstatement": N_(
        "The entry time limit was missed. Rights can be reinstated (BY.16, PCT Rule 49.6): "
        "within 12 months of the missed limit, file a request stating the reasons, perform "
        "the omitted acts (entry, translation, national fee) and pay the reinstatement fee "
        "(Annex BY.I). Record the entry when it is made (/record {ref} entry DATE) and the "
        "request when it is filed (/record {ref} reinstatement DATE)."
    ),
    "reinstatement": N_(
        "A time limit was missed. Rights can be reinstated (BY.14): within one year of the "
        "missed limit, file a request stating the facts that justify it, perform the omitted "
        "act and pay the reinstatement fee (Annex BY.I). When the request is filed, record "
        "it: /record {ref} reinstatement DATE."
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
# (compared lowercased, without spaces, hyphens or underscores, ё read as е). Every event the
# engine knows can be recorded (the first word is the one answers name).
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
    E.ENTRY_INCOMPLETE: (
        "entry-incomplete",
        "incompleteentry",
        "неполныйвход",
        "входнеполный",
        "няпоўныуваход",
        "няпоўныўваход",
    ),
    E.TRANSLATION_FILED: ("translation", "перевод", "пераклад"),
    E.NATIONAL_FEE_PAID: (
        "national-fee",
        "nationalfeepaid",
        "национальнаяпошлина",
        "нацпошлина",
        "нацыянальнаяпошліна",
    ),
    E.EXAMINATION_REQUESTED: (
        "examination",
        "exam",
        "экспертиза",
        "ходатайствоэкспертиза",
        "экспертыза",
    ),
    E.GRANT_DECISION_RECEIVED: (
        "grant-decision",
        "decision",
        "решение",
        "решениеовыдаче",
        "рашэнне",
        "рашэннеавыдачы",
    ),
    E.GRANT_FEE_PAID: ("grant-fee", "пошлиназавыдачу", "пошліназавыдачу"),
    E.CLAIMS_INVITATION_RECEIVED: (
        "claims-invitation",
        "claimsfeeinvitation",
        "приглашениекдоплате",
        "уведомлениеодоплате",
        "запрашэннедаплаціць",
        "паведамленнепрадаплату",
    ),
    E.CLAIMS_FEE_PAID: ("claims-fee", "доплата", "доплатазапункты", "даплата", "даплатазапункты"),
    E.EXTENSION_INVITATION_SENT: (
        "invitation",
        "officeaction",
        "запрос",
        "запросэксперта",
        "запыт",
        "запытэксперта",
    ),
    # with the months: extension-3 (`NUMBERED`)
    E.EXTENSION_REQUESTED: ("extension", "продление", "продлениесрока", "падаўжэнне"),
    E.RESPONSE_FILED: ("response", "reply", "ответ", "ответназапрос", "адказ", "адказназапыт"),
    E.TIME_LIMIT_MISSED: (
        "missed",
        "timelimitmissed",
        "срокпропущен",
        "пропущен",
        "тэрмінпрапушчаны",
        "прапушчаны",
    ),
    E.REINSTATEMENT_REQUESTED: (
        "reinstatement",
        "reinstatementrequested",
        "восстановлениеправ",
        "ходатайствоовосстановлении",
        "аднаўленнеправоў",
        "хадайніцтваабаднаўленні",
    ),
    E.ART25_DECISION_RECEIVED: (
        "art25-decision",
        "art25",
        "ст25",
        "решениест25",
        "арт25",
        "рашэннеарт25",
    ),
    E.APPEAL_FILED: (
        "appeal",
        "возражение",
        "апелляция",
        "жалоба",
        "апеляцыя",
        "скарга",
        "пярэчанне",
    ),
    E.EXTENDED_TERM: (
        "term-extension",
        "um-term-extension",
        "extendedterm",
        "продлениесрокадействия",
        "продлениепм",
        "падаўжэннетэрмінудзеяння",
        "падаўжэннекм",
    ),
    E.PATENT_GRANTED: ("granted", "выдан", "патентвыдан", "выдадзены", "патэнтвыдадзены"),
    E.LAPSED: ("lapsed", "прекратил", "прекращен", "спынены", "спыніўся"),
    E.RESTORED: ("restored", "восстановлен", "адноўлены"),
}
ANNUAL_WORDS = ("annual", "годовая", "год", "пошлина", "гадавая", "гадавы")
EXTENSION_WORDS = EVENT_WORDS[E.EXTENSION_REQUESTED]
# The events that take a number after the word: annual-4 (the year), extension-3 (the months).
NUMBERED: dict[EventKind, tuple[tuple[str, ...], tuple[str, ...]]] = {
    E.ANNUITY_PAID: (ANNUAL_WORDS, ("", "год", "year", "y")),
    E.EXTENSION_REQUESTED: (
        EXTENSION_WORDS,
        (
            "",
            "m",
            "mo",
            "month",
            "months",
            "мес",
            "месяц",
            "месяца",
            "месяцев",
            "месяцы",
            "месяцаў",
        ),
    ),
}
EVENT_NAMES: dict[EventKind, str] = {kind: words[0] for kind, words in EVENT_WORDS.items()}
EVENT_NAMES[E.ANNUITY_PAID] = "annual-N"
EVENT_NAMES[E.EXTENSION_REQUESTED] = "extension-N"


def _key(word: str) -> str:
    word = unicodedata.normalize("NFKC", word).casefold().replace("ё", "е")
    return re.sub(r"[\s\-_.]+", "", word)


_WORD = {_key(w): kind for kind, words in EVENT_WORDS.items() for w in words}
_NUMBERED = re.compile(r"^(?P<word>[^\d]*?)(?P<number>\d{1,3})(?P<tail>[^\d]*)$")


def event_names() -> str:
    """Every event's name, for the usage sentences: `entry, translation, …, restored`."""
    return ", ".join(EVENT_NAMES[kind] for kind in EventKind if kind in EVENT_NAMES)


EVENT_USAGE = N_("Unknown event “{event}”. Record one of: {events}.")


def parse_event(word: str, on: dt.date) -> Event:
    """The event a user names (`entry`, `annual-4`, `годовая 4`, `extension-3`, `рашэнне`…)
    dated `on`."""
    key = _key(word)
    kind = _WORD.get(key)
    if kind is E.EXTENSION_REQUESTED:
        raise InputError(
            N_(
                "Say for how many months the extension was requested, from 1 to {max}: "
                "for example extension-3 (BY.15)."
            ),
            max=MAX_EXTENSION_MONTHS,
        )
    if kind is not None:
        return Event(kind=kind, date=on)
    found = _NUMBERED.match(key)
    if found:
        for numbered, (words, tails) in NUMBERED.items():
            word_ok = found["word"] in words or (numbered is E.ANNUITY_PAID and not found["word"])
            if word_ok and found["tail"] in tails:
                return Event(kind=numbered, date=on, year=int(found["number"]))
    raise InputError(EVENT_USAGE, event=word[:40], events=event_names())


# --- the open deadlines of a case --------------------------------------------------------------


class Status(StrEnum):
    OPEN = "open"
    OVERDUE = "overdue"


@dataclass(frozen=True, slots=True)
class OpenDeadline:
    deadline: Deadline
    status: Status
    warnings: tuple[str, ...]  # keys of WARNINGS

    @property
    def code(self) -> str:
        return self.deadline.code


def annual_warnings(kind: Kind, year: int) -> tuple[str, ...]:
    """What a year of the term carries wherever it is shown (a case, `annuities`): years 9–10
    of a utility model exist only with a term extended beyond 8 years (BY.21, to confirm);
    years 21–25 only for a patent whose term was extended."""
    if kind is Kind.UTILITY_MODEL and year in (9, 10):
        return ("um_years_9_10",)
    if kind is Kind.PATENT and year >= 21:
        return ("extended_patent_only",)
    return ()


def deadline_warnings(
    d: Deadline, facts: CaseFacts, today: dt.date, by_code: dict[str, Deadline]
) -> tuple[str, ...]:
    """The warnings deadline `d` of a case carries on `today` (codes of `WARNINGS`,
    docs/RULES.md §2 "Warnings")."""
    code = d.code
    overdue = d.date < today
    found: list[str] = []
    if code == "examination_request":
        found.append("no_extension")  # BY.08
    elif code == "national_phase_entry" and overdue:
        found.append("entry_missed")  # BY.16
    elif code == "entry_reinstatement" and entry_late(facts):
        found.append("entry_late")  # BY.16: the request and its fee are still due
    elif code == "grant_fee" and overdue:
        found.append("late_grant")  # BY.10
    elif code == "grant_fee_grace":
        found.append("grant_fee_unpaid" if overdue else "late_grant")
    elif code == "office_response":
        request = facts.last(E.EXTENSION_REQUESTED)
        if request is not None and (request.months or 0) > 3:
            found.append("extension_beyond_3")  # BY.15
    elif code == "patent_restoration":
        found.append("ask_office")  # BY.17
    elif code.startswith("annual_") and d.year is not None:
        if d.conditional == WITH_GRANT_FEE:  # a utility-model year paid with the grant fee
            grace = by_code.get("grant_fee_grace")
            if overdue:  # the grant fee's grace decides (BY.10)
                running = grace is not None and grace.date >= today
                found.append("late_grant" if running else "grant_fee_unpaid")
        elif code.endswith("_grace"):
            if not overdue:
                found.append("late_annual")  # BY.12
            else:  # BY.17: never assume it was paid
                um = facts.kind is Kind.UTILITY_MODEL
                found.append("may_have_lapsed_um" if um else "may_have_lapsed")
        else:
            grace = by_code.get(f"{code}_grace")
            if overdue and grace is not None and grace.date >= today:
                found.append("late_annual")  # BY.12
        if not code.endswith("_grace"):
            found += annual_warnings(facts.kind, d.year)
    return tuple(found)


def case_status(facts: CaseFacts, today: dt.date) -> list[OpenDeadline]:
    """Every deadline still open (not closed by a recorded event), earliest first, with its
    status on `today` and the warnings it carries."""
    deadlines = compute(facts)
    by_code = {d.code: d for d in deadlines}
    return [
        OpenDeadline(
            d,
            Status.OVERDUE if d.date < today else Status.OPEN,
            deadline_warnings(d, facts, today, by_code),
        )
        for d in deadlines
    ]
