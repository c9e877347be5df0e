"""Recording a case's events: the one rule that the chat (/record, the card's and the alerts'
buttons), the command line (`pctby case record`) and the CSV import apply alike (docs/RULES.md
§2, "Recording and removing events").

- `check_event(facts, event, today)`: an event is dated no later than today in the user's time
  zone (a typo of 2062 for 2026 would silence real alerts) and not before the international
  filing date; an annual fee names a year the case has; and what the event follows from is
  recorded on or before its date (`PREREQUISITES`: the entry before anything the Office does in
  the national phase, a decision to grant before the fee for grant — BY.10 —, a lapse before a
  restoration — BY.17 —, …). `event_problems` lists every problem (an import row reports them
  all); each is one sentence naming what is wrong or missing.
- `check_removal(facts, event)`: a recorded event can be removed unless another recorded event
  needs it (the fee for grant needs its decision): that one is named, to be removed first.
- `unpaid_years(facts, today)`: the annual years whose due date has passed with no payment
  recorded — shown as not recorded, never assumed paid; a case added or imported with such years
  is offered one action that records them all as paid.

Nothing here reads a clock: `today` is the caller's (the user's zone).
"""

from __future__ import annotations

import datetime as dt

from core.calendar import add_months, add_years, shift_to_working_day
from core.deadlines import (
    ENTRY_MONTHS,
    AnnualDue,
    CaseFacts,
    Event,
    EventKind,
    annual_due,
    first_annual_year,
    lapsed,
    last_annual_year,
    settled_years,
)
from core.errors import N_, InputError, Phrase
from core.fees import check_extension
from core.labels import event_label
from core.models import Kind

E = EventKind
ENTRY = (E.ENTRY_MADE, E.ENTRY_INCOMPLETE)

# What each event needs recorded first — any one of these kinds, dated on or before it.
# The translation may be furnished with the entry or within 2 months of it (Summary, footnote
# 1), and an annual fee falls due whether or not the entry is recorded (an old case imported
# without it): neither needs anything. Every `EventKind` is listed (a test checks it).
PREREQUISITES: dict[EventKind, tuple[EventKind, ...]] = {
    E.ENTRY_MADE: (),
    E.ENTRY_INCOMPLETE: (),
    E.TRANSLATION_FILED: (),
    E.NATIONAL_FEE_PAID: ENTRY,  # on the Office's invitation after the entry (Summary, fn. 5)
    E.EXAMINATION_REQUESTED: ENTRY,  # BY.08: a request to the Office in the national phase
    E.GRANT_DECISION_RECEIVED: ENTRY,
    E.GRANT_FEE_PAID: (E.GRANT_DECISION_RECEIVED,),  # BY.10: 2 months from the decision
    E.ANNUITY_PAID: (),
    E.CLAIMS_INVITATION_RECEIVED: ENTRY,  # BY.06
    E.CLAIMS_FEE_PAID: (E.CLAIMS_INVITATION_RECEIVED,),
    E.EXTENSION_INVITATION_SENT: ENTRY,  # BY.15: an examiner's invitation
    E.EXTENSION_REQUESTED: (E.EXTENSION_INVITATION_SENT,),
    E.RESPONSE_FILED: (E.EXTENSION_INVITATION_SENT,),  # BY.15: the response to the invitation
    E.TIME_LIMIT_MISSED: ENTRY,  # BY.14: a time limit before the Office
    # BY.14 after a missed time limit, or BY.16 once the entry time limit has passed
    E.REINSTATEMENT_REQUESTED: (E.TIME_LIMIT_MISSED,),
    E.ART25_DECISION_RECEIVED: (),  # BY.18: a review instead of the ordinary entry
    E.APPEAL_FILED: (E.ART25_DECISION_RECEIVED,),
    E.EXTENDED_TERM: (),
    E.PATENT_GRANTED: ENTRY,
    E.LAPSED: ENTRY,  # BY.17: a patent ceases through non-payment
    E.RESTORED: (E.LAPSED,),  # BY.17
}

AFTER_TODAY = N_(
    "The date {date} is after today ({today}): an event is recorded once it has happened "
    "— is the year right?"
)
BEFORE_FILING = N_(
    "The date {date} is before the international filing date of the case ({filing})."
)
NO_YEAR = N_(
    "Say which year the annual fee was paid for: years {first} to {last} here, for example "
    "annual-{first}."
)
YEAR_RANGE = N_("An annual fee is due for years {first} to {last} here; got year {year}.")
UM_EXAMINATION = N_("A utility model has no substantive examination (BY.20).")
TERM_EXTENSION_LATE = N_(
    "The request to extend the term is filed before the term ends, on {date} "
    "(BY.21 for a utility model); got {got}."
)
NOT_RECORDED = N_(
    "Cannot record “{event}”: “{needed}” is not recorded on this case — record that first."
)
RECORDED_LATER = N_(
    "Cannot record “{event}” on {date}: “{needed}” is recorded on {recorded}, later — "
    "check the dates."
)
NEEDED_BY = N_("Remove “{other}” of {date} first: it follows from “{event}”.")


def phrase(event: Event) -> Phrase:
    """The event's name, translated with the sentence it is put in."""
    return Phrase(event_label(event.kind.value, event.year), event.year)


def entry_passed(facts: CaseFacts, day: dt.date) -> bool:
    """The entry time limit (31 months, PCT Art. 22(3)) had passed by `day`."""
    nominal = add_months(facts.priority_date, ENTRY_MONTHS)
    return day > shift_to_working_day(nominal).effective


def missing(facts: CaseFacts, event: Event) -> InputError | None:
    """What `event` needs that `facts` lack (or have only later than the event), as the
    sentence that names it; None when nothing is missing."""
    needs = PREREQUISITES.get(event.kind, ())
    if not needs:
        return None
    if event.kind is E.REINSTATEMENT_REQUESTED and entry_passed(facts, event.date):
        return None  # BY.16: the reinstatement of a missed entry
    found = [e for e in facts.events if e.kind in needs]
    needed = Phrase(event_label(needs[0].value))
    if not found:
        return InputError(NOT_RECORDED, event=phrase(event), needed=needed)
    first = min(found, key=lambda e: e.date)
    if first.date > event.date:
        return InputError(
            RECORDED_LATER,
            event=phrase(event),
            date=event.date,
            needed=Phrase(event_label(first.kind.value)),
            recorded=first.date,
        )
    return None


def event_problems(facts: CaseFacts, event: Event, today: dt.date) -> list[InputError]:
    """Every reason `event` cannot be recorded on the case of `facts` on `today` (the user's
    date), each one sentence; empty when it can. `facts` may already hold the event itself
    (an import row checks its events together)."""
    found: list[InputError] = []
    if event.date > today:
        found.append(InputError(AFTER_TODAY, date=event.date, today=today))
    if event.date < facts.filing:
        found.append(InputError(BEFORE_FILING, date=event.date, filing=facts.filing))
    if event.kind is E.ANNUITY_PAID:
        first = first_annual_year(facts.kind)
        last = last_annual_year(facts.kind, True)
        if event.year is None:
            term = last_annual_year(facts.kind, facts.has(E.EXTENDED_TERM))
            found.append(InputError(NO_YEAR, first=first, last=term))
        elif not first <= event.year <= last:
            found.append(InputError(YEAR_RANGE, first=first, last=last, year=event.year))
    if event.kind is E.EXAMINATION_REQUESTED and facts.kind is Kind.UTILITY_MODEL:
        found.append(InputError(UM_EXAMINATION))
    if event.kind is E.EXTENSION_REQUESTED and event.months is not None:
        try:
            check_extension(facts.kind, event.months)  # BY.15: a utility model 3 months at most
        except InputError as exc:
            found.append(exc)
    if event.kind is E.EXTENDED_TERM:
        # the term is extended on a request filed before it ends: a utility model's 5 years
        # (BY.21), a patent's 20
        ends = add_years(facts.filing, 5 if facts.kind is Kind.UTILITY_MODEL else 20)
        if event.date > ends:
            found.append(InputError(TERM_EXTENSION_LATE, date=ends, got=event.date))
    lacking = missing(facts, event)
    if lacking is not None:
        found.append(lacking)
    return found


def check_event(facts: CaseFacts, event: Event, today: dt.date) -> None:
    """Refuses (`InputError`, the first problem) an event that cannot be recorded: see
    `event_problems`."""
    problems = event_problems(facts, event, today)
    if problems:
        raise problems[0]


def without(facts: CaseFacts, event: Event) -> CaseFacts:
    """`facts` with one recording of `event` removed."""
    events = list(facts.events)
    events.remove(event)
    return facts.model_copy(update={"events": tuple(events)})


def check_removal(facts: CaseFacts, event: Event) -> None:
    """Refuses to remove `event` while another recorded event follows from it (a fee for grant
    from its decision, a restoration from the lapse): names that one, to be removed first."""
    after = without(facts, event)
    for other in after.events:
        if missing(after, other) is not None and missing(facts, other) is None:
            raise InputError(NEEDED_BY, other=phrase(other), date=other.date, event=phrase(event))


def unpaid_years(facts: CaseFacts, today: dt.date) -> list[AnnualDue]:
    """The annual fees whose last day (on the working-day calendar) is before `today` with no
    payment recorded, earliest first (BY.12, BY.21). Not the years paid with another fee — a
    patent's 3rd year with the national fee at entry, a utility model's years with the grant
    fee: those close with that fee — and none for a case recorded as lapsed (BY.17)."""
    if lapsed(facts):
        return []
    kind = facts.kind
    settled = settled_years(facts)
    entry_nominal = add_months(facts.priority_date, ENTRY_MONTHS)
    decision = facts.last(E.GRANT_DECISION_RECEIVED)
    found: list[AnnualDue] = []
    for year in range(
        first_annual_year(kind), last_annual_year(kind, facts.has(E.EXTENDED_TERM)) + 1
    ):
        if year in settled:
            continue
        due = annual_due(
            kind,
            facts.filing,
            year,
            entry_nominal=entry_nominal,
            grant_decision=None if decision is None else decision.date,
        )
        if due is None:
            break
        if due.with_fee is not None:
            continue
        if shift_to_working_day(due.due).effective >= today:
            break
        found.append(due)
    return found


def paid_on_due_dates(dues: list[AnnualDue]) -> list[Event]:
    """The payments "record them all as paid" records: each year paid on its due date."""
    return [Event(kind=E.ANNUITY_PAID, date=due.due, year=due.year) for due in dues]
