"""National-phase deadlines as a table of sourced rules (docs/RULES.md §2) and a small engine.

Each rule says which moment it counts from (`anchor`), how far (`months`), which paragraph it
rests on (`basis`), for which kinds it applies, and which recorded event closes it. The engine
computes the nominal last day (PCT Rules 80.2/80.3) and the effective one on the Belarus
working-day calendar (Civil Code art. 194; PCT Rule 80.5), keeping the reason for any shift.
A period that runs from the end of another period runs from that period's *nominal* end.

Where the law is ambiguous the earlier date is computed (docs/RULES.md, guiding principle).
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
    EXTENSION_REQUESTED = "extension_requested"  # with the months paid for (`Event.months`)
    RESPONSE_FILED = "response_filed"  # the response to the Office's invitation (BY.15)
    TIME_LIMIT_MISSED = "time_limit_missed"  # date = expiry of the missed limit
    REINSTATEMENT_REQUESTED = "reinstatement_requested"
    ART25_DECISION_RECEIVED = "art25_decision_received"
    APPEAL_FILED = "appeal_filed"
    # the request to extend the term (a utility model's `um_term_extension`, BY.21: years
    # 6–10; a patent's, for a product that needs marketing authorisation: years 21–25)
    EXTENDED_TERM = "extended_term"
    PATENT_GRANTED = "patent_granted"  # the patent (utility model) was granted: fees go on
    LAPSED = "lapsed"  # ceased through non-payment of an annual fee (BY.17)
    RESTORED = "restored"  # restored on request with the fee and the arrears (BY.17)


class Event(BaseModel):
    """One recorded event. `year` is the event's number: the year of an annual fee paid, the
    months an extension of time was requested for (stored in the same place)."""

    model_config = ConfigDict(frozen=True)

    kind: EventKind
    date: dt.date
    year: int | None = None

    @property
    def months(self) -> int | None:
        """The months of an extension requested (BY.15); None for any other event."""
        return self.year if self.kind is EventKind.EXTENSION_REQUESTED else None


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
        """Filed after the priority year ended, even counted with a weekend at its end (PCT
        Rule 80.5): the priority claim holds only if the right of priority is restored."""
        return self.priority is not None and self.filing > priority_year_end(self.priority)

    @property
    def priority_year_weekend(self) -> bool:
        """Filed after the twelfth month's day, which fell on a weekend, and by the Monday
        after it: in time at the receiving Office (PCT Rule 80.5)."""
        return (
            self.priority is not None
            and add_months(self.priority, PRIORITY_YEAR_MONTHS) < self.filing
            and not self.priority_late
        )

    def last(self, kind: EventKind) -> Event | None:
        found = [e for e in self.events if e.kind is kind]
        return max(found, key=lambda e: e.date) if found else None

    def has(self, kind: EventKind) -> bool:
        return any(e.kind is kind for e in self.events)

    def paid_years(self) -> set[int]:
        return {e.year for e in self.events if e.kind is EventKind.ANNUITY_PAID and e.year}


def priority_year_end(priority: dt.date) -> dt.date:
    """The last day of the priority year as the receiving Office counts it: 12 months (PCT
    Rule 80.2), and a Saturday or Sunday runs to the next Monday (PCT Rule 80.5). The receiving
    Office's holidays are not known here: they may extend it further (docs/RULES.md §1)."""
    end = add_months(priority, PRIORITY_YEAR_MONTHS)
    while end.weekday() >= 5:
        end += dt.timedelta(days=1)
    return end


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

# docs/RULES.md §2, in the order the user meets them. Annual fees are planned separately (below).
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
        # not closed by the entry: the translation may follow within 2 months (docs/RULES.md §2)
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
        # and an entry made in time (`closed_codes`): a late one leaves it open (BY.16)
        frozenset({E.REINSTATEMENT_REQUESTED}),
        conditional="if_entry_missed",
    ),
    Rule(
        "examination_request",
        "ifd",
        36,
        "BY.08",
        PATENT_ONLY,
        # a decision to grant makes the request moot (docs/RULES.md §2)
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
        # a response in time makes the extension moot
        frozenset({E.EXTENSION_REQUESTED, E.RESPONSE_FILED}),
    ),
    Rule(
        # the time limit for response, extended by the months paid (`response_due`)
        "office_response",
        "extension_requested",
        0,
        "BY.15",
        BOTH,
        frozenset({E.RESPONSE_FILED}),
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


# Deadlines counted from the last event of a kind (docs/RULES.md §2).
_EVENT_ANCHORS: dict[EventKind, str] = {
    E.ENTRY_INCOMPLETE: "entry_actual_incomplete",
    E.GRANT_DECISION_RECEIVED: "grant_decision",
    E.CLAIMS_INVITATION_RECEIVED: "claims_invitation",
    E.EXTENSION_INVITATION_SENT: "extension_invitation",
    E.EXTENSION_REQUESTED: "extension_requested",
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


def entry_in_time(facts: CaseFacts) -> bool:
    """An entry (complete or not) is recorded on or before the entry deadline's last day."""
    last_day = shift_to_working_day(add_months(facts.priority_date, ENTRY_MONTHS)).effective
    return any(
        e.kind in (E.ENTRY_MADE, E.ENTRY_INCOMPLETE) and e.date <= last_day for e in facts.events
    )


def entry_late(facts: CaseFacts) -> bool:
    """The entry was recorded after its deadline: the reinstatement route (BY.16) stays open."""
    return (facts.has(E.ENTRY_MADE) or facts.has(E.ENTRY_INCOMPLETE)) and not entry_in_time(facts)


def grant_fee_through(facts: CaseFacts) -> dt.date | None:
    """The last day on which a utility-model year may begin and still be paid with the fee for
    grant (BY.21; docs/RULES.md §2): the day the grant fee was paid; until then the last day
    of its time limit (BY.10); None while no decision to grant is recorded."""
    paid = facts.last(E.GRANT_FEE_PAID)
    if paid is not None:
        return paid.date
    decision = facts.last(E.GRANT_DECISION_RECEIVED)
    if decision is None:
        return None
    return shift_to_working_day(add_months(decision.date, 2)).effective


def settled_years(facts: CaseFacts) -> set[int]:
    """The annual years that need no payment of their own: those paid; for a patent, year 3
    once the national fee is paid (at entry or on the invitation); for a utility model, the
    years paid with the grant fee (BY.21: year 1 and every year begun by the day it was paid);
    and, after a restoration, every year begun before it (the arrears, BY.17)."""
    years = facts.paid_years()
    kind = facts.kind
    if kind is Kind.PATENT and (facts.has(E.ENTRY_MADE) or facts.has(E.NATIONAL_FEE_PAID)):
        years.add(3)  # the annual fee for the 3rd year is part of the national fee (Summary)
    restored = facts.last(E.RESTORED)
    grant_paid = facts.last(E.GRANT_FEE_PAID) if kind is Kind.UTILITY_MODEL else None
    if grant_paid is not None:
        years.add(1)
    bounds = [e.date for e in (restored, grant_paid) if e is not None]
    if bounds:
        latest = max(bounds)
        for year in range(first_annual_year(kind), last_annual_year(kind, True) + 1):
            start = add_years(facts.filing, year - 1)
            if start > latest:
                break  # later years begin later still
            if (restored is not None and start <= restored.date) or (
                grant_paid is not None and start <= grant_paid.date
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


_EVENT_ANCHORED = frozenset(_EVENT_ANCHORS.values())


def response_due(facts: CaseFacts) -> dt.date | None:
    """The time limit for response after an extension was requested (BY.15), nominal: the
    months paid for, counted from the date the request was filed ("from the date of filing the
    extension request") — and never later than the original limit (the invitation + 3 months)
    moved by those months: the earlier reading (docs/RULES.md §2). None without the months."""
    request = facts.last(E.EXTENSION_REQUESTED)
    if request is None or not request.months:
        return None
    due = add_months(request.date, request.months)
    invitation = facts.last(E.EXTENSION_INVITATION_SENT)
    if invitation is not None and invitation.date <= request.date:
        due = min(due, add_months(add_months(invitation.date, 3), request.months))
    return due


def _reinstatement_answers(facts: CaseFacts, anchors: dict[str, dt.date]) -> set[str]:
    """The routes the recorded requests for reinstatement answer: each request answers the
    latest missed time limit on or before its date — the entry's (BY.16) or the one recorded
    as missed (BY.14) — or, filed before any, the first."""
    routes: list[tuple[dt.date, str]] = []
    if not entry_in_time(facts):
        routes.append(
            (shift_to_working_day(anchors["entry_nominal"]).effective, "entry_reinstatement")
        )
    if "time_limit_missed" in anchors:
        routes.append((anchors["time_limit_missed"], "reinstatement"))
    if not routes:
        return set()
    answered: set[str] = set()
    for event in facts.events:
        if event.kind is E.REINSTATEMENT_REQUESTED:
            before = [r for r in routes if r[0] <= event.date]
            answered.add(max(before)[1] if before else min(routes)[1])
    return answered


def closed_codes(facts: CaseFacts, anchors: dict[str, dt.date] | None = None) -> set[str]:
    """The deadlines of the table the recorded events closed (docs/RULES.md §2, "Each event
    closes exactly these"). An event closes a deadline counted from another event only when
    it is dated on or after that event (a second invitation opens a new period); an entry
    closes the reinstatement route only when made in time (BY.16); a request for
    reinstatement closes the route it answers."""
    anchors = _anchors(facts) if anchors is None else anchors
    closed: set[str] = set()
    for rule in RULES:
        if rule.code in ("entry_reinstatement", "reinstatement"):
            continue
        since = anchors.get(rule.anchor) if rule.anchor in _EVENT_ANCHORED else None
        if any(
            e.kind in rule.closed_by and (since is None or e.date >= since) for e in facts.events
        ):
            closed.add(rule.code)
    if entry_in_time(facts):
        closed.add("entry_reinstatement")
    return closed | _reinstatement_answers(facts, anchors)


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

WITH_GRANT_FEE = "with_grant_fee"  # the condition of a utility-model year paid with the grant fee


@dataclass(frozen=True, slots=True)
class AnnualDue:
    """When the fee for one year is due, and the end of its 6-month grace (+50%) — for a year
    paid with the grant fee, the end of the grant fee's grace (the year's fee stays normal)."""

    year: int
    due: dt.date  # nominal
    grace_end: dt.date | None  # nominal; None where the law gives no grace (year 3 of a patent)
    basis: str
    with_fee: str | None = None  # "national_fee" | "grant_fee": paid together with that fee


GRANT_YEAR_BASIS = "BY.21, BY.10"


def paid_with_grant_fee(filing: dt.date, year: int, through: dt.date | None) -> bool:
    """A utility-model year paid together with the fee for grant (BY.21): year 1, and every
    year that begins on or before `through` (`grant_fee_through`)."""
    return year == 1 or (through is not None and add_years(filing, year - 1) <= through)


@lru_cache(maxsize=1 << 14)
def annual_due(
    kind: Kind,
    filing: dt.date,
    year: int,
    *,
    entry_nominal: dt.date,
    grant_decision: dt.date | None = None,
    grant_through: dt.date | None = None,
) -> AnnualDue | None:
    """The nominal due date of the annual fee for `year` (BY.12, BY.21; docs/RULES.md §2).

    A utility-model year paid with the grant fee (`paid_with_grant_fee` up to `grant_through`)
    is due with it: 2 months from the decision to grant, then 6 months with +50% (BY.10). None
    where that date is not known: such a year before a decision to grant, and any year while
    neither a decision nor `grant_through` is known (it may yet go with the grant fee).
    """
    start = add_years(filing, year - 1)
    if kind is Kind.PATENT and year == 3:
        # Paid with the national fee: due by the entry deadline (Summary; BY.12).
        return AnnualDue(year, entry_nominal, None, ANNUAL_3_BASIS, "national_fee")
    if kind is Kind.UTILITY_MODEL:
        if paid_with_grant_fee(filing, year, grant_through):
            if grant_decision is None:
                return None
            grant_nominal = add_months(grant_decision, 2)
            return AnnualDue(
                year,
                grant_nominal,
                add_months(grant_nominal, GRACE_MONTHS),
                GRANT_YEAR_BASIS,
                "grant_fee",
            )
        if grant_decision is None and grant_through is None:
            return None
    # The fee for year N is paid within year N−1, which ends on the anniversary IFD + (N−1) years;
    # then 6 months of grace with a 50% surcharge.
    basis = ANNUAL_BASIS[kind]
    return AnnualDue(year, start, add_months(start, GRACE_MONTHS), f"{basis}, Annex BY.I")


def due_of(facts: CaseFacts, year: int) -> AnnualDue | None:
    """`annual_due` for one year of a case."""
    decision = facts.last(E.GRANT_DECISION_RECEIVED)
    return annual_due(
        facts.kind,
        facts.filing,
        year,
        entry_nominal=add_months(facts.priority_date, ENTRY_MONTHS),
        grant_decision=None if decision is None else decision.date,
        grant_through=grant_fee_through(facts),
    )


def next_annual_dues(
    facts: CaseFacts,
    *,
    paid_through: int | None = None,
    anchors: dict[str, dt.date] | None = None,
) -> list[AnnualDue]:
    """The annual fees that `compute` reports: the first unpaid year (BY.12) — for a utility
    model, every year that goes with the grant fee (BY.21), then the first on its own date.
    Years up to `paid_through` count as paid."""
    anchors = _anchors(facts) if anchors is None else anchors
    kind = facts.kind
    paid = settled_years(facts)
    last = last_annual_year(kind, facts.has(E.EXTENDED_TERM))
    first = first_annual_year(kind)
    if paid_through is not None:
        first = max(first, paid_through + 1)
    through = grant_fee_through(facts) if kind is Kind.UTILITY_MODEL else None
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
            grant_through=through,
        )
        if due is None:
            break
        found.append(due)
        if due.with_fee != "grant_fee":
            break
    return found


def years_with_grant_fee(facts: CaseFacts, today: dt.date) -> list[int]:
    """A utility model's years still to be paid with the grant fee (BY.21) while no decision to
    grant is recorded — they have no date of their own yet: year 1 and every year begun by the
    earliest day the grant fee can fall due (today + 2 months). Empty for a patent, once a
    decision is recorded (the years are then deadlines) and once the grant fee is paid."""
    if facts.kind is not Kind.UTILITY_MODEL or lapsed(facts):
        return []
    if facts.has(E.GRANT_DECISION_RECEIVED) or facts.has(E.GRANT_FEE_PAID):
        return []
    through = add_months(today, 2)
    paid = settled_years(facts)
    last = last_annual_year(facts.kind, facts.has(E.EXTENDED_TERM))
    return [
        y
        for y in range(1, last + 1)
        if y not in paid and paid_with_grant_fee(facts.filing, y, through)
    ]


def _annual(
    facts: CaseFacts, anchors: dict[str, dt.date], paid_through: int | None = None
) -> list[Deadline]:
    """The deadlines of `next_annual_dues`: each fee and the end of its grace. A year paid with
    the grant fee has no grace of its own: it goes with the grant fee, at the normal amount,
    also within the grant fee's grace (`grant_fee_grace`; BY.21, docs/RULES.md §2)."""
    found: list[Deadline] = []
    for due in next_annual_dues(facts, paid_through=paid_through, anchors=anchors):
        year = due.year
        amount, late = annual_amounts(facts.kind, year, facts.natural_person, due.due)
        with_grant = due.with_fee == "grant_fee"
        if due.grace_end is None or with_grant:
            late = None  # year 3 of a patent (with the national fee); a year with the grant fee
        condition = WITH_GRANT_FEE if with_grant else None
        found.append(_deadline(f"annual_{year}", due.due, due.basis, condition, year, amount, late))
        if due.grace_end is not None and not with_grant:
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
    (the reminder planner's assumption for old cases, `core.reminders.timing`).
    """
    if lapsed(facts):  # every other deadline is closed (docs/RULES.md §2)
        return [_deadline(RESTORATION.code, term_end(facts), RESTORATION.basis, "ask_office")]
    anchors = _anchors(facts)
    closed = closed_codes(facts, anchors)
    # restored after a lapse: what the lapse closed stays closed, the annual fees go on
    lapse = facts.last(E.LAPSED)
    found: list[Deadline] = []
    for rule in RULES:
        if facts.kind not in rule.kinds or rule.anchor not in anchors or rule.code in closed:
            continue
        start = anchors[rule.anchor]
        if lapse is not None and start <= lapse.date:
            continue
        if rule.code == "office_response":
            due = response_due(facts)
            if due is None:
                continue
            nominal = due
        else:
            nominal = add_months(start, rule.months)
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
