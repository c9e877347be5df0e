"""National-phase deadlines as a table of sourced rules (DOMAIN.md §2) and a small engine.

Each rule says which moment it counts from (`anchor`), how far (`months`), which paragraph it
rests on (`basis`), for which kinds it applies, and which recorded event closes it. The engine
computes the nominal last day (PCT Rules 80.2/80.3) and the effective one on the Belarus
working-day calendar (Civil Code art. 194; PCT Rule 80.5), keeping the reason for any shift.
A period that runs from the end of another period runs from that period's *nominal* end.

Where the law is ambiguous the earlier date is computed (DOMAIN.md, guiding principle).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from functools import lru_cache

from pydantic import BaseModel, ConfigDict

from core import fees
from core.calendar import add_months, add_years, shift_to_working_day
from core.errors import N_, InputError
from core.models import Deadline, Kind
from core.schedule import NoScheduleError, schedule_for
from core.schedule import on_change as schedule_changed

ENTRY_MONTHS = 31
PRIORITY_YEAR_MONTHS = 12


class EventKind(StrEnum):
    """What a user can record about a case."""

    ENTRY_MADE = "entry_made"  # national phase entered (with translation and national fee)
    ENTRY_INCOMPLETE = "entry_incomplete"  # entered without translation or without the fee
    TRANSLATION_FILED = "translation_filed"
    NATIONAL_FEE_PAID = "national_fee_paid"
    EXAMINATION_REQUESTED = "examination_requested"
    GRANT_DECISION_RECEIVED = "grant_decision_received"
    GRANT_FEE_PAID = "grant_fee_paid"
    ANNUITY_PAID = "annuity_paid"  # with `year`
    CLAIMS_INVITATION_RECEIVED = "claims_invitation_received"
    CLAIMS_FEE_PAID = "claims_fee_paid"
    EXTENSION_INVITATION_SENT = "extension_invitation_sent"
    EXTENSION_REQUESTED = "extension_requested"
    TIME_LIMIT_MISSED = "time_limit_missed"  # date = expiry of the missed limit
    REINSTATEMENT_REQUESTED = "reinstatement_requested"
    ART25_DECISION_RECEIVED = "art25_decision_received"
    APPEAL_FILED = "appeal_filed"
    EXTENDED_TERM = "extended_term"  # patent term extended (years 21–25) / UM term extended
    PATENT_GRANTED = "patent_granted"  # the patent (utility model) was granted: fees go on
    LAPSED = "lapsed"  # ceased through non-payment of an annual fee (BY.17)
    RESTORED = "restored"  # restored on request with the fee and the arrears (BY.17)


class Event(BaseModel):
    model_config = ConfigDict(frozen=True)

    kind: EventKind
    date: dt.date
    year: int | None = None


class CaseFacts(BaseModel):
    """What is known of one application; the deadlines follow from it."""

    model_config = ConfigDict(frozen=True)

    kind: Kind = Kind.PATENT
    filing: dt.date  # international filing date (IFD)
    priority: dt.date | None = None  # earliest priority; None → the IFD
    natural_person: bool = False  # fees reduced by 75% (Summary, footnote 3)
    events: tuple[Event, ...] = ()

    def model_post_init(self, context: object, /) -> None:
        # Not a validator: a bad order is the user's input, reported as an InputError.
        if self.priority is not None and self.priority > self.filing:
            raise InputError(
                N_("The priority date {priority} is after the international filing date {filing}."),
                priority=self.priority.isoformat(),
                filing=self.filing.isoformat(),
            )

    @property
    def priority_date(self) -> dt.date:
        return self.priority or self.filing

    @property
    def priority_late(self) -> bool:
        """Filed more than 12 months after priority: the priority claim needs restoring."""
        return self.priority is not None and self.filing > add_months(
            self.priority, PRIORITY_YEAR_MONTHS
        )

    def last(self, kind: EventKind) -> Event | None:
        found = [e for e in self.events if e.kind is kind]
        return max(found, key=lambda e: e.date) if found else None

    def has(self, kind: EventKind) -> bool:
        return any(e.kind is kind for e in self.events)

    def paid_years(self) -> set[int]:
        return {e.year for e in self.events if e.kind is EventKind.ANNUITY_PAID and e.year}


@dataclass(frozen=True, slots=True)
class Rule:
    """One deadline rule: `anchor` + `months`, with its basis."""

    code: str
    anchor: str
    months: int
    basis: str
    kinds: frozenset[Kind]
    closed_by: frozenset[EventKind]
    conditional: str | None = None  # shown as a condition: applies only in that situation


BOTH = frozenset(Kind)
PATENT_ONLY = frozenset({Kind.PATENT})
E = EventKind

# DOMAIN.md §2, in the order the user meets them. Annual fees are planned separately (below).
RULES: tuple[Rule, ...] = (
    Rule(
        "national_phase_entry",
        "priority",
        ENTRY_MONTHS,
        "PCT Art. 22(3), 39(1)(b)",
        BOTH,
        frozenset({E.ENTRY_MADE, E.ENTRY_INCOMPLETE}),
    ),
    Rule(
        "translation",
        "entry_nominal",
        2,
        "Summary, footnotes 1, 7",
        BOTH,
        # not closed by the entry: the translation may follow within 2 months (DOMAIN.md §2)
        frozenset({E.TRANSLATION_FILED}),
        conditional="if_not_at_entry",
    ),
    Rule(
        "national_fee_invitation",
        "entry_actual_incomplete",
        2,
        "Summary, footnote 5",
        BOTH,
        frozenset({E.ENTRY_MADE, E.NATIONAL_FEE_PAID}),
        conditional="if_fee_not_paid_at_entry",
    ),
    Rule(
        "entry_reinstatement",
        "entry_nominal",
        12,
        "BY.16, PCT Rule 49.6",
        BOTH,
        frozenset({E.ENTRY_MADE, E.ENTRY_INCOMPLETE}),
        conditional="if_entry_missed",
    ),
    Rule(
        "examination_request",
        "ifd",
        36,
        "BY.08",
        PATENT_ONLY,
        # a decision to grant makes the request moot (DOMAIN.md §2)
        frozenset({E.EXAMINATION_REQUESTED, E.GRANT_DECISION_RECEIVED}),
    ),
    Rule(
        "grant_fee",
        "grant_decision",
        2,
        "BY.10",
        BOTH,
        frozenset({E.GRANT_FEE_PAID}),
    ),
    Rule(
        "grant_fee_grace",
        "grant_fee_nominal",
        6,
        "BY.10",
        BOTH,
        frozenset({E.GRANT_FEE_PAID}),
        conditional="late_surcharge_50",
    ),
    Rule(
        "claims_fee_shortfall",
        "claims_invitation",
        2,
        "BY.06",
        BOTH,
        frozenset({E.CLAIMS_FEE_PAID}),
    ),
    Rule(
        "extension_request",
        "extension_invitation",
        3,
        "BY.15",
        BOTH,
        frozenset({E.EXTENSION_REQUESTED}),
    ),
    Rule(
        "reinstatement",
        "time_limit_missed",
        12,
        "BY.14",
        BOTH,
        frozenset({E.REINSTATEMENT_REQUESTED}),
    ),
    Rule(
        "appeal_art25",
        "art25_decision",
        12,
        "BY.18",
        BOTH,
        frozenset({E.APPEAL_FILED}),
    ),
)

# BY.17: a patent that ceased through non-payment may be restored while its term runs; the
# Office sets the time limit and the fee (not in the published schedule). The only deadline of
# a lapsed case; its date is the end of the term — the latest possible, so it says to ask.
RESTORATION = Rule(
    "patent_restoration",
    "term_end",
    0,
    "BY.17",
    BOTH,
    frozenset({E.RESTORED}),
    conditional="ask_office",
)

RULES_BY_CODE = {r.code: r for r in (*RULES, RESTORATION)}

ANNUAL_BASIS = {Kind.PATENT: "BY.12", Kind.UTILITY_MODEL: "BY.21"}
ANNUAL_3_BASIS = "Summary, BY.12"
GRACE_MONTHS = 6


def first_annual_year(kind: Kind) -> int:
    return 3 if kind is Kind.PATENT else 1


def last_annual_year(kind: Kind, extended: bool) -> int:
    if kind is Kind.PATENT:
        return 25 if extended else 20
    return 10 if extended else 5


# Deadlines counted from the last event of a kind (DOMAIN.md §2).
_EVENT_ANCHORS: dict[EventKind, str] = {
    E.ENTRY_INCOMPLETE: "entry_actual_incomplete",
    E.GRANT_DECISION_RECEIVED: "grant_decision",
    E.CLAIMS_INVITATION_RECEIVED: "claims_invitation",
    E.EXTENSION_INVITATION_SENT: "extension_invitation",
    E.TIME_LIMIT_MISSED: "time_limit_missed",
    E.ART25_DECISION_RECEIVED: "art25_decision",
}


def term_end(facts: CaseFacts) -> dt.date:
    """The end of the term of protection: the last annual year's end (IFD + 20 years for a
    patent, 25 if extended; 5 or 10 for a utility model)."""
    return add_years(facts.filing, last_annual_year(facts.kind, facts.has(E.EXTENDED_TERM)))


def lapsed(facts: CaseFacts) -> bool:
    """Recorded as lapsed (BY.17) and not restored since."""
    gone, back = facts.last(E.LAPSED), facts.last(E.RESTORED)
    return gone is not None and (back is None or back.date < gone.date)


def settled_years(facts: CaseFacts) -> set[int]:
    """The annual years that need no payment of their own: those paid; for a patent, year 3
    once the entry is made (paid with the national fee); for a utility model, the years paid
    with the grant fee (BY.21); and, after a restoration, every year begun before it (the
    arrears are paid with the restoration, BY.17)."""
    years = facts.paid_years()
    kind = facts.kind
    if kind is Kind.PATENT and facts.has(E.ENTRY_MADE):
        years.add(3)  # the annual fee for the 3rd year is part of the national fee (Summary)
    restored = facts.last(E.RESTORED)
    decision = facts.last(E.GRANT_DECISION_RECEIVED)
    paid_with_grant = kind is Kind.UTILITY_MODEL and facts.has(E.GRANT_FEE_PAID)
    for year in range(first_annual_year(kind), last_annual_year(kind, True) + 1):
        start = add_years(facts.filing, year - 1)
        if (restored is not None and start <= restored.date) or (
            paid_with_grant and decision is not None and start <= decision.date
        ):
            years.add(year)
    return years


def _anchors(facts: CaseFacts) -> dict[str, dt.date]:
    found: dict[str, dt.date] = {
        "priority": facts.priority_date,
        "ifd": facts.filing,
        "entry_nominal": add_months(facts.priority_date, ENTRY_MONTHS),
    }
    for event in facts.events:  # one pass; the latest event of each kind wins
        anchor = _EVENT_ANCHORS.get(event.kind)
        if anchor is not None and (anchor not in found or event.date > found[anchor]):
            found[anchor] = event.date
    if "grant_decision" in found:
        found["grant_fee_nominal"] = add_months(found["grant_decision"], 2)
    return found


_DEADLINE_FIELDS = set(Deadline.model_fields)


@lru_cache(maxsize=1 << 15)
def _deadline(
    code: str,
    nominal: dt.date,
    basis: str,
    conditional: str | None = None,
    year: int | None = None,
    amount: Decimal | None = None,
    late: Decimal | None = None,
) -> Deadline:
    shift = shift_to_working_day(nominal)
    return Deadline.model_construct(
        _DEADLINE_FIELDS,  # one shared set: ~700 bytes less for each of the many cached ones
        code=code,
        nominal=nominal,
        date=shift.effective,
        basis=basis,
        skipped=tuple((s.day, s.reason) for s in shift.skipped),
        conditional=conditional,
        year=year,
        amount=amount,
        late_amount=late,
    )


def annual_amounts(
    kind: Kind, year: int, natural_person: bool, on: dt.date
) -> tuple[Decimal | None, Decimal | None]:
    """The fee for `year` and the fee paid in grace (+50%), by the schedule in force on `on`."""
    try:
        schedule = schedule_for(on)
    except NoScheduleError:
        return None, None
    return _annual_amounts(kind, year, natural_person, schedule.info.effective_from)


@lru_cache(maxsize=1024)
def _annual_amounts(
    kind: Kind, year: int, natural_person: bool, on: dt.date
) -> tuple[Decimal | None, Decimal | None]:
    normal = fees.annual_fees(kind, [year], natural_person=natural_person, extended=True, on=on)
    late = fees.annual_fees(
        kind, [year], natural_person=natural_person, extended=True, late=True, on=on
    )
    return normal.total, late.total


schedule_changed(_annual_amounts.cache_clear)  # a schedule installed at run time


@dataclass(frozen=True, slots=True)
class AnnualDue:
    """When the fee for one year is due, and the end of its 6-month grace (+50%)."""

    year: int
    due: dt.date  # nominal
    grace_end: dt.date | None  # nominal; None where the law gives no grace (year 3 of a patent)
    basis: str
    with_fee: str | None = None  # "national_fee" | "grant_fee": paid together with that fee


@lru_cache(maxsize=1 << 14)
def annual_due(
    kind: Kind,
    filing: dt.date,
    year: int,
    *,
    entry_nominal: dt.date,
    grant_decision: dt.date | None = None,
    anniversary_if_no_decision: bool = False,
) -> AnnualDue | None:
    """The nominal due date of the annual fee for `year` (BY.12, BY.21; DOMAIN.md §2).

    None for a utility-model year begun before the grant while no decision to grant is known:
    that fee is paid with the grant fee, whose date is not known yet — unless
    `anniversary_if_no_decision`, which counts such a year from its anniversary (a plan).
    """
    start = add_years(filing, year - 1)
    if kind is Kind.PATENT and year == 3:
        # Paid with the national fee: due by the entry deadline (Summary; BY.12).
        return AnnualDue(year, entry_nominal, None, ANNUAL_3_BASIS, "national_fee")
    if kind is Kind.UTILITY_MODEL and grant_decision is None and not anniversary_if_no_decision:
        return None
    if kind is Kind.UTILITY_MODEL and grant_decision is not None and start <= grant_decision:
        # BY.21: the fee for year 1, and for any year begun before the grant, is paid with the
        # grant fee (BY.10: 2 months from the decision, then 6 months with +50%).
        grant_nominal = add_months(grant_decision, 2)
        return AnnualDue(
            year,
            grant_nominal,
            add_months(grant_nominal, GRACE_MONTHS),
            "BY.21, BY.10",
            "grant_fee",
        )
    # The fee for year N is paid within year N−1, which ends on the anniversary IFD + (N−1) years;
    # then 6 months of grace with a 50% surcharge.
    basis = ANNUAL_BASIS[kind]
    return AnnualDue(year, start, add_months(start, GRACE_MONTHS), f"{basis}, Annex BY.I")


def next_annual_dues(
    facts: CaseFacts,
    *,
    paid_through: int | None = None,
    anchors: dict[str, dt.date] | None = None,
) -> list[AnnualDue]:
    """The annual fees that `compute` reports: the first unpaid year (BY.12) — for a utility
    model, every year that goes with the grant fee (BY.21). Years up to `paid_through` count
    as paid."""
    anchors = _anchors(facts) if anchors is None else anchors
    kind = facts.kind
    paid = settled_years(facts)
    last = last_annual_year(kind, facts.has(E.EXTENDED_TERM))
    first = first_annual_year(kind)
    if paid_through is not None:
        first = max(first, paid_through + 1)
    found: list[AnnualDue] = []
    for year in range(first, last + 1):
        if year in paid:
            continue
        due = annual_due(
            kind,
            facts.filing,
            year,
            entry_nominal=anchors["entry_nominal"],
            grant_decision=anchors.get("grant_decision"),
        )
        if due is None:
            break
        if found and due.with_fee != "grant_fee":
            break
        found.append(due)
        if due.with_fee != "grant_fee":
            break
    return found


def _annual(
    facts: CaseFacts, anchors: dict[str, dt.date], paid_through: int | None = None
) -> list[Deadline]:
    """The deadlines of `next_annual_dues`: each fee and the end of its grace."""
    found: list[Deadline] = []
    for due in next_annual_dues(facts, paid_through=paid_through, anchors=anchors):
        year = due.year
        amount, late = annual_amounts(facts.kind, year, facts.natural_person, due.due)
        found.append(
            _deadline(f"annual_{year}", due.due, due.basis, year=year, amount=amount, late=late)
        )
        if due.grace_end is not None:
            found.append(
                _deadline(
                    f"annual_{year}_grace",
                    due.grace_end,
                    due.basis,
                    conditional="late_surcharge_50",
                    year=year,
                    amount=late,
                    late=late,
                )
            )
    return found


def compute(facts: CaseFacts, *, paid_through: int | None = None) -> list[Deadline]:
    """The open deadlines of a case, earliest first.

    `paid_through`: annual fees up to that year count as paid though no payment is recorded
    (the reminder planner's assumption for old cases, `core.reminders.planning`).
    """
    if lapsed(facts):  # every other deadline is closed (DOMAIN.md §2)
        return [_deadline(RESTORATION.code, term_end(facts), RESTORATION.basis, "ask_office")]
    anchors = _anchors(facts)
    recorded = {e.kind for e in facts.events}
    found: list[Deadline] = []
    for rule in RULES:
        if facts.kind not in rule.kinds or rule.anchor not in anchors:
            continue
        if not rule.closed_by.isdisjoint(recorded):
            continue
        nominal = add_months(anchors[rule.anchor], rule.months)
        found.append(_deadline(rule.code, nominal, rule.basis, rule.conditional))
    found.extend(_annual(facts, anchors, paid_through))
    found.sort(key=lambda d: d.date)  # stable: rules in their table order on the same day
    return found


def facts_from(
    *,
    filing: dt.date,
    priority: dt.date | None = None,
    kind: Kind = Kind.PATENT,
    entry: dt.date | None = None,
    grant_decision: dt.date | None = None,
    events: Iterable[Event] = (),
) -> CaseFacts:
    """Facts from the simple inputs of `pctby deadlines` and the bot's quick form."""
    evs = list(events)
    if entry is not None:
        evs.append(Event(kind=E.ENTRY_MADE, date=entry))
    if grant_decision is not None:
        evs.append(Event(kind=E.GRANT_DECISION_RECEIVED, date=grant_decision))
    return CaseFacts(kind=kind, filing=filing, priority=priority, events=tuple(evs))
