"""A case's life (docs/RULES.md §2, "Each event closes exactly these"): each event's
effect on the deadline set, the action each deadline offers, the words users record events
with, and the status and warnings of the open deadlines."""

from __future__ import annotations

import datetime as dt

import pytest

from core.deadlines import CaseFacts, Event, EventKind, compute
from core.errors import InputError
from core.lifecycle import (
    Action,
    Status,
    action_of,
    case_status,
    closing_event,
    parse_event,
)
from core.models import Kind
from core.recording import check_event

E = EventKind
D = dt.date.fromisoformat
PRIORITY, FILING = D("2024-03-15"), D("2025-03-10")  # entry due 15.10.2026


def codes(facts: CaseFacts) -> set[str]:
    return {d.code for d in compute(facts)}


def case(*events: Event, kind: Kind = Kind.PATENT) -> CaseFacts:
    return CaseFacts(kind=kind, filing=FILING, priority=PRIORITY, events=events)


def ev(kind: EventKind, day: str = "2026-10-01", year: int | None = None) -> Event:
    return Event(kind=kind, date=D(day), year=year)


# (event, closes, opens, where the rule is written)
EFFECTS = [
    (
        ev(E.ENTRY_MADE),
        {"national_phase_entry", "entry_reinstatement", "annual_3"},
        set(),
        "DOMAIN §2 entry made; Summary (annual 3 with the national fee); translation stays open",
    ),
    (ev(E.TRANSLATION_FILED), {"translation"}, set(), "DOMAIN §2 translation furnished"),
    (ev(E.EXAMINATION_REQUESTED), {"examination_request"}, set(), "BY.08"),
    (
        ev(E.GRANT_DECISION_RECEIVED, "2027-05-03"),
        {"examination_request"},
        {"grant_fee", "grant_fee_grace"},
        "BY.10; DOMAIN §2 (the request becomes moot)",
    ),
    (ev(E.ANNUITY_PAID, year=4), {"annual_4", "annual_4_grace"}, set(), "BY.12"),
    (ev(E.PATENT_GRANTED), set(), set(), "DOMAIN §2: patent granted, annual fees continue"),
]


@pytest.mark.parametrize(("event", "closes", "opens", "source"), EFFECTS, ids=lambda x: str(x)[:30])
def test_each_event_closes_exactly_its_deadlines(
    event: Event, closes: set[str], opens: set[str], source: str
) -> None:
    base = case(ev(E.ANNUITY_PAID, year=3)) if event.year == 4 else case()
    before, after = codes(base), codes(case(*base.events, event))
    assert before - after == closes, source
    assert after - before >= opens, source
    assert (
        not (after - before) - opens - {"annual_4", "annual_4_grace", "annual_5", "annual_5_grace"}
    )


def test_entry_made_does_not_close_the_translation() -> None:
    after = codes(case(ev(E.ENTRY_MADE)))
    assert "translation" in after and "national_phase_entry" not in after


def test_grant_fee_paid_closes_the_grant_fee_and_the_utility_model_years_before_grant() -> None:
    """BY.21: a utility model's years begun before the grant are paid with the grant fee."""
    decision = ev(E.GRANT_DECISION_RECEIVED, "2027-06-01")  # years 1–3 began before it
    um = case(ev(E.ENTRY_MADE), decision, kind=Kind.UTILITY_MODEL)
    before = codes(um)
    assert {"grant_fee", "annual_1", "annual_2", "annual_3"} <= before
    after = codes(case(*um.events, ev(E.GRANT_FEE_PAID, "2027-06-10"), kind=Kind.UTILITY_MODEL))
    assert not after & {"grant_fee", "grant_fee_grace", "annual_1", "annual_2", "annual_3"}
    assert "annual_4" in after  # year 4 begins 10.03.2028, after the grant: its own fee


def test_lapsed_closes_everything_and_opens_restoration_then_restored_resumes() -> None:
    """DOMAIN §2 lapsed / restored; BY.17."""
    lapsed = case(ev(E.ENTRY_MADE), ev(E.LAPSED, "2028-12-01"))
    assert codes(lapsed) == {"patent_restoration"}
    (restoration,) = compute(lapsed)
    assert restoration.basis == "BY.17" and restoration.conditional == "ask_office"
    assert restoration.nominal == D("2045-03-10")  # the end of the 20-year term
    restored = case(*lapsed.events, ev(E.RESTORED, "2029-02-01"))
    after = codes(restored)
    assert "patent_restoration" not in after
    # years begun before the restoration (year 4 began 10.03.2028) are arrears paid with it;
    # the next fee is year 5 (due 10.03.2029)
    assert "annual_5" in after and "annual_4" not in after


def test_each_deadline_offers_its_own_action() -> None:
    assert action_of("annual_7") is Action.PAID and action_of("annual_7_grace") is Action.PAID
    assert action_of("grant_fee") is Action.PAID
    for act in ("national_phase_entry", "translation", "examination_request"):
        assert action_of(act) is Action.DONE
    for route in ("entry_reinstatement", "reinstatement", "patent_restoration"):
        assert action_of(route) is Action.ROUTE
        with pytest.raises(InputError):
            closing_event(route, FILING)  # a route is never "paid"
    assert closing_event("annual_7_grace", FILING) == Event(
        kind=E.ANNUITY_PAID, date=FILING, year=7
    )


@pytest.mark.parametrize(
    ("word", "kind", "year"),
    [
        ("entry", E.ENTRY_MADE, None),
        ("Вход", E.ENTRY_MADE, None),
        ("ўваход", E.ENTRY_MADE, None),
        ("translation", E.TRANSLATION_FILED, None),
        ("перевод", E.TRANSLATION_FILED, None),
        ("пераклад", E.TRANSLATION_FILED, None),
        ("examination", E.EXAMINATION_REQUESTED, None),
        ("экспертиза", E.EXAMINATION_REQUESTED, None),
        ("grant-decision", E.GRANT_DECISION_RECEIVED, None),
        ("решение о выдаче", E.GRANT_DECISION_RECEIVED, None),
        ("рашэнне", E.GRANT_DECISION_RECEIVED, None),
        ("grant-fee", E.GRANT_FEE_PAID, None),
        ("annual-7", E.ANNUITY_PAID, 7),
        ("годовая 7", E.ANNUITY_PAID, 7),
        ("гадавая-12", E.ANNUITY_PAID, 12),
        ("granted", E.PATENT_GRANTED, None),
        ("lapsed", E.LAPSED, None),
        ("прекращен", E.LAPSED, None),
        ("restored", E.RESTORED, None),
        ("адноўлены", E.RESTORED, None),
    ],
)
def test_events_are_named_in_three_languages(word: str, kind: EventKind, year: int | None) -> None:
    assert parse_event(word, FILING) == Event(kind=kind, date=FILING, year=year)


@pytest.mark.parametrize("word", ["paid", "annual", "annual-x", "<b>", ""])
def test_unknown_events_are_refused_with_the_list(word: str) -> None:
    with pytest.raises(InputError) as err:
        parse_event(word, FILING)
    assert "annual-N" in str(err.value) and "extension-N" in str(err.value)


@pytest.mark.parametrize(
    "event",
    [
        ev(E.ENTRY_MADE, "2024-01-01"),  # before the priority date
        ev(E.ANNUITY_PAID, year=2),  # a patent has no year 2 (BY.12: years 3–20)
        ev(E.ANNUITY_PAID, year=26),
    ],
)
def test_events_that_cannot_belong_to_the_case_are_refused(event: Event) -> None:
    with pytest.raises(InputError):
        check_event(case(), event, D("2030-01-01"))


def test_status_and_warnings_of_the_open_deadlines() -> None:
    """An overdue entry points to reinstatement (BY.16); the examination request
    cannot be extended (BY.08); an annual fee past its grace may mean a lapse (BY.17)."""
    today = D("2026-12-01")
    found = {o.code: o for o in case_status(case(), today)}
    assert found["national_phase_entry"].status is Status.OVERDUE
    assert found["national_phase_entry"].warnings == ("entry_missed",)
    assert found["translation"].status is Status.OPEN  # 15.12.2026
    assert found["entry_reinstatement"].status is Status.OPEN
    assert found["examination_request"].warnings == ("no_extension",)
    later = {o.code: o for o in case_status(case(ev(E.ENTRY_MADE)), D("2029-12-01"))}
    assert later["annual_4_grace"].status is Status.OVERDUE  # grace ended 10.09.2027
    assert later["annual_4_grace"].warnings == ("may_have_lapsed",)
    assert later["annual_4"].warnings == ()  # its grace is listed (and over) on its own line
