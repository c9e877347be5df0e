"""Recording and removing events (docs/RULES.md §2 "Recording and removing events"): the one
rule the chat, the command line and the CSV import apply — not after today in the user's zone,
not before the international filing date, prerequisites recorded first — each refusal one
sentence naming what is wrong; removal refused while another event follows from it; the annual
years whose deadline passed unpaid, never assumed paid."""

from __future__ import annotations

import datetime as dt

import pytest

from core.deadlines import CaseFacts, Event, EventKind
from core.errors import InputError
from core.i18n import translator
from core.labels import EVENT_LABELS
from core.models import Kind
from core.recording import (
    PREREQUISITES,
    check_event,
    check_removal,
    event_problems,
    unpaid_years,
)

E = EventKind
D = dt.date.fromisoformat
PRIORITY, FILING = D("2024-03-15"), D("2025-03-10")  # entry due 15.10.2026
TODAY = D("2026-12-01")


def case(*events: Event, kind: Kind = Kind.PATENT) -> CaseFacts:
    return CaseFacts(kind=kind, filing=FILING, priority=PRIORITY, events=events)


def ev(kind: EventKind, day: str = "2026-10-01", year: int | None = None) -> Event:
    return Event(kind=kind, date=D(day), year=year)


def refusal(facts: CaseFacts, event: Event, lang: str = "en", today: dt.date = TODAY) -> str:
    with pytest.raises(InputError) as err:
        check_event(facts, event, today)
    return translator(lang).error(err.value)


def test_every_event_kind_has_its_prerequisites_and_its_name() -> None:
    assert set(PREREQUISITES) == set(EventKind)
    assert set(EVENT_LABELS) == {k.value for k in EventKind}


def test_a_date_after_today_is_refused_saying_so() -> None:
    """A typo of 2062 for 2026 would close real deadlines and silence their alerts."""
    text = refusal(case(), ev(E.ENTRY_MADE, "2062-10-01"))
    assert text == (
        "The date October 1, 2062 is after today (December 1, 2026): an event is recorded "
        "once it has happened — is the year right?"
    )
    assert "15 марта" not in refusal(case(), ev(E.ENTRY_MADE, "2062-10-01"), "ru")
    assert "1 кастрычніка 2062" in refusal(case(), ev(E.ENTRY_MADE, "2062-10-01"), "be")
    check_event(case(), ev(E.ENTRY_MADE, "2026-12-01"), TODAY)  # today itself is fine


def test_a_date_before_the_filing_date_is_refused() -> None:
    # after the priority date, but before the international filing date
    text = refusal(case(), ev(E.TRANSLATION_FILED, "2024-06-01"))
    assert "before the international filing date of the case (March 10, 2025)" in text


@pytest.mark.parametrize(
    ("event", "missing"),
    [
        (ev(E.GRANT_FEE_PAID), "decision to grant received"),  # BY.10
        (ev(E.PATENT_GRANTED), "national phase entered"),
        (ev(E.LAPSED), "national phase entered"),
        (ev(E.GRANT_DECISION_RECEIVED), "national phase entered"),
        (ev(E.EXAMINATION_REQUESTED), "national phase entered"),
        (ev(E.RESTORED), "patent lapsed"),  # BY.17
        (ev(E.APPEAL_FILED), "Office's decision on a review under PCT Art. 25 received"),
    ],
)
def test_an_event_whose_prerequisite_is_missing_names_it(event: Event, missing: str) -> None:
    text = refusal(case(), event)
    assert text.startswith("Cannot record “")
    assert f"“{missing}” is not recorded on this case — record that first." in text


def test_a_prerequisite_recorded_later_is_named_with_its_date() -> None:
    facts = case(ev(E.ENTRY_MADE, "2026-10-01"), ev(E.GRANT_DECISION_RECEIVED, "2026-11-20"))
    text = refusal(facts, ev(E.GRANT_FEE_PAID, "2026-11-02"))
    assert text == (
        "Cannot record “fee for grant paid” on November 2, 2026: “decision to grant "
        "received” is recorded on November 20, 2026, later — check the dates."
    )
    check_event(facts, ev(E.GRANT_FEE_PAID, "2026-11-20"), TODAY)  # the same day is fine


def test_refusals_are_translated_with_the_events_they_name() -> None:
    ru = refusal(case(), ev(E.GRANT_FEE_PAID), "ru")
    assert ru == (
        "Нельзя записать «пошлина за выдачу патента уплачена»: в деле не записано «решение "
        "о выдаче патента получено» — сначала запишите это."
    )
    be = refusal(case(), ev(E.PATENT_GRANTED), "be")
    assert "«патэнт выдадзены»" in be and "«пераход на нацыянальную фазу выкананы»" in be


def test_reinstatement_follows_a_missed_limit_or_the_passed_entry_time_limit() -> None:
    # BY.16: once the entry time limit (15.10.2026) has passed, no missed limit is needed
    check_event(case(), ev(E.REINSTATEMENT_REQUESTED, "2026-11-01"), TODAY)
    assert "“time limit missed” is not recorded" in refusal(
        case(), ev(E.REINSTATEMENT_REQUESTED, "2026-10-01")
    )


def test_every_problem_of_an_event_is_listed() -> None:
    """An import row reports them all; the chat says the first."""
    problems = event_problems(case(), ev(E.GRANT_FEE_PAID, "2062-01-01"), TODAY)
    assert len(problems) == 2
    assert "after today" in str(problems[0]) and "decision to grant" in str(problems[1])


def test_an_annual_fee_without_a_year_says_so() -> None:
    text = refusal(case(), ev(E.ANNUITY_PAID, year=None))
    assert "Say which year the annual fee was paid for: years 3 to 20 here" in text
    assert "?" not in text


def test_removal_is_refused_while_another_event_follows_from_it() -> None:
    decision, fee = ev(E.GRANT_DECISION_RECEIVED, "2026-11-01"), ev(E.GRANT_FEE_PAID, "2026-11-20")
    facts = case(ev(E.ENTRY_MADE), decision, fee)
    with pytest.raises(InputError) as err:
        check_removal(facts, decision)
    assert translator("en").error(err.value) == (
        "Remove “fee for grant paid” of November 20, 2026 first: it follows from “decision "
        "to grant received”."
    )
    check_removal(facts, fee)  # nothing follows from the fee
    with pytest.raises(InputError):
        check_removal(facts, ev(E.ENTRY_MADE))  # the decision needs the entry


def test_years_passed_unpaid_are_listed_never_assumed_paid() -> None:
    """BY.12: year N is due on IFD + (N−1) years; year 3 goes with the national fee."""
    facts = case(ev(E.ENTRY_MADE))
    assert [d.year for d in unpaid_years(facts, D("2029-12-01"))] == [4, 5]
    paid = case(ev(E.ENTRY_MADE), ev(E.ANNUITY_PAID, "2028-03-01", 4))
    assert [d.year for d in unpaid_years(paid, D("2029-12-01"))] == [5]
    assert unpaid_years(facts, D("2028-03-10")) == []  # the last day of year 4's fee
    assert [d.due for d in unpaid_years(facts, D("2028-03-11"))] == [D("2028-03-10")]
    lapsed = case(ev(E.ENTRY_MADE), ev(E.LAPSED, "2029-01-01"))
    assert unpaid_years(lapsed, D("2029-12-01")) == []  # BY.17: the restoration route
    # a utility model's years before the grant go with the grant fee (BY.21)
    assert unpaid_years(case(kind=Kind.UTILITY_MODEL), D("2029-12-01")) == []
