"""The rules at the edges users walk (docs/RULES.md §1–§3), each test naming the paragraph of
the Guide it checks: a utility model's years paid with the grant fee (BY.21, BY.10), a late
entry (BY.16), an extension of time (BY.15), the warnings every answer carries, the priority
year ending on a weekend (PCT Rule 80.5), and every event the engine knows being recordable."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from core.annuities import annuity_schedule
from core.deadlines import (
    CaseFacts,
    Event,
    EventKind,
    compute,
    priority_year_end,
    response_due,
    years_with_grant_fee,
)
from core.errors import InputError
from core.explain import deadline_notes, payment_text, shift_sentence, warning_texts
from core.fees import check_extension, grant_fee, quote_item
from core.i18n import translator
from core.labels import EVENT_LABELS, WARNINGS
from core.lifecycle import (
    EVENT_NAMES,
    EVENT_WORDS,
    annual_warnings,
    case_status,
    parse_event,
)
from core.models import Deadline, Kind
from core.recording import event_problems

D = dt.date.fromisoformat
E = EventKind
UM, PATENT = Kind.UTILITY_MODEL, Kind.PATENT
LATER = D("2099-12-31")  # "today" for the checks of an event: none of these is after it


def ev(kind: EventKind, day: str, year: int | None = None) -> Event:
    return Event(kind=kind, date=D(day), year=year)


def facts(kind: Kind, filing: str, *events: Event, priority: str | None = None) -> CaseFacts:
    return CaseFacts(
        kind=kind,
        filing=D(filing),
        priority=None if priority is None else D(priority),
        events=events,
    )


def by_code(f: CaseFacts) -> dict[str, Deadline]:
    return {d.code: d for d in compute(f)}


def warnings_on(f: CaseFacts, today: str) -> dict[str, tuple[str, ...]]:
    return {o.code: o.warnings for o in case_status(f, D(today))}


# --- a utility model's years paid with the grant fee (BY.21, BY.10) ----------------------------

UM_A = (ev(E.ENTRY_MADE, "2025-07-10"), ev(E.GRANT_DECISION_RECEIVED, "2025-10-25"))


def test_um_years_begun_before_the_grant_fee_date_go_with_it() -> None:
    """BY.21 ("the first maintenance fee must be paid jointly with the grant fee") and
    docs/RULES.md §2: every year that begins on or before the grant_fee date — year 3 begins
    20.12.2025, the grant fee is due 25.12.2025, moved to 29.12.2025 (BY.10; 25.12 and the
    substituted 26.12 are days off) — is paid with it, at the normal amount."""
    found = by_code(facts(UM, "2023-12-20", *UM_A))
    for year in (1, 2, 3):
        d = found[f"annual_{year}"]
        assert (d.nominal, d.date) == (D("2025-12-25"), D("2025-12-29"))
        assert d.conditional == "with_grant_fee"
        assert d.amount == Decimal("98.00")  # Annex BY.I: years 1–3 of a utility model, 98
        assert d.late_amount is None  # the normal amount, also in the grant fee's grace
        assert f"annual_{year}_grace" not in found
    assert found["annual_4"].nominal == D("2026-12-20")  # begins later: its own date
    assert not found["annual_4"].conditional


def test_recording_the_grant_fee_closes_those_years_and_none_is_overdue() -> None:
    """BY.21: paid with the grant fee on 29.12.2025, years 1–3 are settled — not annual_3
    overdue with +50%; the next fee (year 4) follows on its own date."""
    paid = facts(UM, "2023-12-20", *UM_A, ev(E.GRANT_FEE_PAID, "2025-12-29"))
    found = by_code(paid)
    assert not {"annual_1", "annual_2", "annual_3", "grant_fee"} & set(found)
    assert found["annual_4"].nominal == D("2026-12-20")
    assert found["annual_4"].late_amount == Decimal("220.50")  # its own grace, later
    assert all(o.status.value == "open" for o in case_status(paid, D("2026-01-05")))


def test_a_year_begun_after_the_decision_but_before_payment_goes_with_the_grant_fee() -> None:
    """BY.21: IFD 10.01.2024, decision 05.01.2025, the grant fee paid 05.03.2025 — year 2 began
    10.01.2025, after the decision but before the payment: paid with it, not overdue."""
    f = facts(
        UM,
        "2024-01-10",
        ev(E.ENTRY_MADE, "2024-06-10"),
        ev(E.GRANT_DECISION_RECEIVED, "2025-01-05"),
        ev(E.GRANT_FEE_PAID, "2025-03-05"),
    )
    found = by_code(f)
    assert "annual_2" not in found and "annual_2_grace" not in found
    assert found["annual_3"].nominal == D("2026-01-10")


def test_a_grant_fee_paid_in_grace_also_pays_the_years_begun_by_then() -> None:
    """docs/RULES.md §2: until it is paid, the years begun by the grant_fee date; once paid,
    every year begun by the day of payment. Year 3 begins 10.01.2026, after the grant fee's
    date (22.12.2025) — its own fee until the grant fee is paid in grace on 02.02.2026."""
    base = (ev(E.ENTRY_MADE, "2024-06-10"), ev(E.GRANT_DECISION_RECEIVED, "2025-10-20"))
    unpaid = by_code(facts(UM, "2024-01-10", *base))
    assert unpaid["annual_3"].nominal == D("2026-01-10") and not unpaid["annual_3"].conditional
    paid = by_code(facts(UM, "2024-01-10", *base, ev(E.GRANT_FEE_PAID, "2026-02-02")))
    assert "annual_3" not in paid and paid["annual_4"].nominal == D("2027-01-10")


def test_before_a_decision_the_years_have_no_date_of_their_own() -> None:
    """docs/RULES.md §2: before a decision to grant, the years the grant fee will pay show "with
    the grant fee" and no date: year 1 and those begun by today + 2 months (the earliest the
    grant fee can fall due)."""
    f = facts(UM, "2023-12-20", ev(E.ENTRY_MADE, "2025-07-10"))
    assert not [d for d in compute(f) if d.code.startswith("annual_")]
    assert years_with_grant_fee(f, D("2025-11-01")) == [1, 2, 3]  # year 3 begins 20.12.2025
    assert years_with_grant_fee(f, D("2025-10-01")) == [1, 2]
    assert years_with_grant_fee(facts(PATENT, "2023-12-20"), D("2025-11-01")) == []
    t = translator("en")
    assert any("(BY.21)" in n for n in deadline_notes(t, f, compute(f)))


def test_annuities_never_date_the_years_the_grant_fee_pays_on_the_filing_date() -> None:
    """docs/RULES.md §2: `annuities` for a utility model without a decision shows those years
    "with the grant fee", without dates; with a decision, on the grant_fee date."""
    sched = annuity_schedule(UM, D("2023-12-20"), today=D("2025-11-01"))
    first = sched.years[:3]
    assert [(y.year, y.with_grant_fee, y.due, y.grace_end) for y in first] == [
        (1, True, None, None),
        (2, True, None, None),
        (3, True, None, None),
    ]
    assert sched.years[3].due_nominal == D("2026-12-20") and not sched.years[3].with_grant_fee
    decided = annuity_schedule(UM, D("2023-12-20"), grant_decision=D("2025-10-25"))
    assert {y.due for y in decided.years[:3]} == {D("2025-12-29")}
    assert decided.years[3].due == D("2026-12-21")  # 20.12.2026 is a Sunday


# --- a late entry (BY.16) ----------------------------------------------------------------------

Z = dict(priority="2024-03-15")  # entry due 15.10.2026, a Thursday


def test_a_late_entry_keeps_the_reinstatement_route_open_with_its_warning() -> None:
    """BY.16: the omitted acts *and* the request with its fee within 12 months; an entry after
    the time limit closes the entry deadline only — the request is still due."""
    late = facts(PATENT, "2025-03-10", ev(E.ENTRY_MADE, "2026-11-20"), **Z)
    found = by_code(late)
    assert "national_phase_entry" not in found
    assert found["entry_reinstatement"].nominal == D("2027-10-15")
    assert warnings_on(late, "2026-11-25")["entry_reinstatement"] == ("entry_late",)
    asked = facts(
        PATENT, "2025-03-10", *late.events, ev(E.REINSTATEMENT_REQUESTED, "2026-12-01"), **Z
    )
    assert "entry_reinstatement" not in by_code(asked)
    in_time = facts(PATENT, "2025-03-10", ev(E.ENTRY_MADE, "2026-10-15"), **Z)
    assert "entry_reinstatement" not in by_code(in_time)  # on the last day: in time


def test_a_request_for_reinstatement_answers_the_latest_missed_limit() -> None:
    """docs/RULES.md §2: the request closes `entry_reinstatement` or the BY.14 `reinstatement`
    it answers — the latest missed time limit on or before it."""
    missed = ev(E.TIME_LIMIT_MISSED, "2027-03-01")
    f = facts(PATENT, "2025-03-10", ev(E.ENTRY_MADE, "2026-11-20"), missed, **Z)
    after = by_code(
        facts(PATENT, "2025-03-10", *f.events, ev(E.REINSTATEMENT_REQUESTED, "2027-03-05"), **Z)
    )
    assert "reinstatement" not in after and "entry_reinstatement" in after
    before = by_code(
        facts(PATENT, "2025-03-10", *f.events, ev(E.REINSTATEMENT_REQUESTED, "2026-12-01"), **Z)
    )
    assert "entry_reinstatement" not in before and "reinstatement" in before


# --- extension of time (BY.15) ----------------------------------------------------------------


def test_extension_requested_moves_the_response_deadline_by_the_months_paid() -> None:
    """BY.15: "will extend the time limit for response … from the date of filing the extension
    request … depending on the amount of the extension fee paid" — from the request's date
    (the earlier reading than the original limit moved by the same months)."""
    invited = ev(E.EXTENSION_INVITATION_SENT, "2027-01-11")
    asked = Event(kind=E.EXTENSION_REQUESTED, date=D("2027-03-01"), year=3)
    f = facts(PATENT, "2025-03-14", invited, asked)
    found = by_code(f)
    assert "extension_request" not in found
    assert found["office_response"].nominal == D("2027-06-01") == response_due(f)
    assert found["office_response"].basis == "BY.15"
    done = by_code(facts(PATENT, "2025-03-14", invited, asked, ev(E.RESPONSE_FILED, "2027-05-20")))
    assert "office_response" not in done
    # a response within the original time limit makes the extension moot
    answered = by_code(facts(PATENT, "2025-03-14", invited, ev(E.RESPONSE_FILED, "2027-02-01")))
    assert "extension_request" not in answered and "office_response" not in answered


def test_a_utility_model_is_extended_by_three_months_at_most() -> None:
    """BY.15 "up to three months in case of preliminary examination"; BY.20: a utility model
    has no substantive examination — a longer extension is refused, citing BY.15."""
    check_extension(UM, 3)
    with pytest.raises(InputError) as err:
        check_extension(UM, 4)
    assert "(BY.15)" in translator("en").error(err.value)
    requested = Event(kind=E.EXTENSION_REQUESTED, date=D("2027-03-01"), year=6)
    problems = event_problems(facts(UM, "2025-03-14"), requested, LATER)
    assert any("(BY.15)" in translator("en").error(p) for p in problems)
    with pytest.raises(InputError):
        quote_item("extension", UM, months=12, on=D("2026-11-21"))


def test_a_patent_beyond_three_months_is_told_only_in_substantive_examination() -> None:
    """BY.15 "to 12 months in case of patent examination": allowed, and said so."""
    quote = quote_item("extension", PATENT, months=4, on=D("2026-11-21"))
    assert quote.warnings == ("extension_beyond_3",)
    assert quote_item("extension", PATENT, months=3, on=D("2026-11-21")).warnings == ()
    f = facts(
        PATENT,
        "2025-03-14",
        ev(E.EXTENSION_INVITATION_SENT, "2027-01-11"),
        Event(kind=E.EXTENSION_REQUESTED, date=D("2027-03-01"), year=6),
    )
    assert warnings_on(f, "2027-03-02")["office_response"] == ("extension_beyond_3",)


def test_the_other_extension_reading_is_reduced_and_rounded_once() -> None:
    """Docs/RULES.md §3 ("round each line item … after reductions"): a natural person's 4
    months by the month-by-month reading is 147 × 0.25 = 36.75, not 18.38 + 18.38."""
    quote = quote_item("extension", PATENT, months=4, natural_person=True, on=D("2026-11-21"))
    other = next(a for a in quote.alternatives if a.reading == "extension_month_by_month")
    assert other.total == Decimal("36.75")


# --- the warnings every answer carries --------------------------------------------------------


def test_each_deadline_carries_its_warnings_naming_their_paragraphs() -> None:
    """docs/RULES.md §2 "Warnings": BY.08, BY.12, BY.16, BY.17 — and each sentence names its
    paragraph."""
    entered = ev(E.ENTRY_MADE, "2026-10-01")
    f = facts(PATENT, "2025-03-10", entered, **Z)
    assert warnings_on(f, "2026-11-01")["examination_request"] == ("no_extension",)  # BY.08
    in_grace = warnings_on(f, "2028-04-01")  # annual_4 due 10.03.2028, grace to 11.09.2028
    assert in_grace["annual_4"] == ("late_annual",)  # BY.12
    assert in_grace["annual_4_grace"] == ("late_annual",)
    assert warnings_on(f, "2028-10-01")["annual_4_grace"] == ("may_have_lapsed",)  # BY.17
    missed = facts(PATENT, "2025-03-10", **Z)
    assert warnings_on(missed, "2026-11-01")["national_phase_entry"] == ("entry_missed",)  # BY.16
    for code, sentence in WARNINGS.items():
        assert "(BY." in sentence or "Annex BY.I" in sentence, code


def test_a_utility_models_unpaid_grant_year_does_not_warn_of_a_lapsed_patent() -> None:
    """BY.10: the grace of the grant fee ended unpaid — no grant without the fee — rather than
    "the patent may have lapsed" (BY.17), which is said of a later year of a utility model in
    its own words."""
    f = facts(UM, "2023-12-20", *UM_A)
    assert warnings_on(f, "2026-02-01")["annual_1"] == ("late_grant",)  # in the grant's grace
    found = warnings_on(f, "2026-07-01")  # the grant fee's grace ended 25.06.2026
    assert found["annual_1"] == ("grant_fee_unpaid",)
    assert found["grant_fee_grace"] == ("grant_fee_unpaid",)
    later = facts(UM, "2023-12-20", *UM_A, ev(E.GRANT_FEE_PAID, "2025-12-29"))
    assert warnings_on(later, "2027-07-01")["annual_4_grace"] == ("may_have_lapsed_um",)
    assert (
        "utility model may have lapsed"
        in warning_texts(translator("en"), ["may_have_lapsed_um"])[0]
    )


def test_years_9_10_of_a_utility_model_and_21_25_of_a_patent_carry_their_warning() -> None:
    """BY.21 (a term extended "for a period not exceeding five years"; some firms cite three:
    confirm years 9–10); years 21–25 only for a patent whose term was extended (Annex BY.I)."""
    assert annual_warnings(UM, 9) == annual_warnings(UM, 10) == ("um_years_9_10",)
    assert annual_warnings(UM, 8) == ()
    assert annual_warnings(PATENT, 21) == ("extended_patent_only",)
    assert annual_warnings(PATENT, 20) == ()
    sched = annuity_schedule(UM, D("2023-12-20"), extended=True, today=D("2025-11-01"))
    assert [y.year for y in sched.years if y.warnings] == [9, 10]


def test_year_3_of_a_patent_has_no_late_amount_anywhere() -> None:
    """Summary, BY.12: the 3rd year's fee is part of the national fee at entry — no late period,
    so no "later, in the grace period" amount in the one money line every answer uses."""
    d = by_code(facts(PATENT, "2025-03-10", **Z))["annual_3"]
    assert d.amount == Decimal("122.50") and d.late_amount is None
    assert "annual_3_grace" not in by_code(facts(PATENT, "2025-03-10", **Z))
    t = translator("en")
    assert payment_text(t, d.code, d.amount, d.late_amount) == "122.50\u00a0BYN"
    annual_4 = by_code(facts(PATENT, "2025-03-10", ev(E.ENTRY_MADE, "2026-10-01"), **Z))["annual_4"]
    assert "later, in the grace period: 183.75" in payment_text(
        t, "annual_4", annual_4.amount, annual_4.late_amount
    )


def test_a_late_annual_quote_names_the_request_for_extension_and_labels_the_surcharge() -> None:
    """BY.12: "upon filing a request for extension of time together with a 50% surcharge"."""
    quote = quote_item("annual", PATENT, year=4, late=True, on=D("2026-11-21"))
    assert quote.warnings == ("late_annual",)
    (item,) = quote.items
    assert item.surcharge is not None and item.surcharge.code == "late_annual"
    assert item.surcharge.percent == Decimal("50")
    assert "request for extension of time" in WARNINGS["late_annual"]


def test_a_late_grant_fee_cites_by10_once() -> None:
    """BY.10: the late grant fee's basis is not "BY.10; BY.10"."""
    (item,) = grant_fee(PATENT, late=True, on=D("2026-11-21")).items
    assert item.basis.count("BY.10") == 1


# --- the priority year at the receiving Office (PCT Rule 80.5) -------------------------------


def test_a_priority_year_ending_on_a_weekend_runs_to_the_monday() -> None:
    """docs/RULES.md §1, PCT Rule 80.5: 15.03.2025 was a Saturday — filing on Monday 17.03.2025
    keeps the priority claim (no restoration); filing on Tuesday 18.03.2025 does not, and the
    note says a holiday of the receiving Office may have extended the year."""
    assert priority_year_end(D("2024-03-15")) == D("2025-03-17")
    monday = facts(PATENT, "2025-03-17", priority="2024-03-15")
    assert not monday.priority_late and monday.priority_year_weekend
    t = translator("en")
    notes = " ".join(deadline_notes(t, monday, compute(monday)))
    assert "49ter.2" not in notes and "ran to March 17, 2025" in notes
    tuesday = facts(PATENT, "2025-03-18", priority="2024-03-15")
    assert tuesday.priority_late
    notes = " ".join(deadline_notes(t, tuesday, compute(tuesday)))
    assert "49ter.2" in notes and "PCT Rule 80.5" in notes
    weekday = facts(PATENT, "2025-03-14", priority="2024-03-14")
    assert not weekday.priority_late and not weekday.priority_year_weekend


# --- every event the engine knows is recordable ------------------------------------------------


@pytest.mark.parametrize("kind", list(EventKind))
def test_every_event_has_words_a_name_and_a_label(kind: EventKind) -> None:
    """docs/RULES.md §2: every event the engine knows can be recorded from the chat and the
    CLI, by its English name and its Russian and Belarusian words."""
    assert kind in EVENT_NAMES and kind.value in EVENT_LABELS
    if kind is E.ANNUITY_PAID:
        assert parse_event("annual-4", D("2027-01-01")) == ev(kind, "2027-01-01", 4)
        return
    if kind is E.EXTENSION_REQUESTED:
        for word in ("extension-3", "продление 3 месяца", "падаўжэнне-2"):
            assert parse_event(word, D("2027-01-01")).kind is kind
        assert parse_event("extension 3", D("2027-01-01")).months == 3
        with pytest.raises(InputError):  # BY.15: the months decide the new date
            parse_event("extension", D("2027-01-01"))
        return
    for word in EVENT_WORDS[kind]:
        assert parse_event(word, D("2027-01-01")) == ev(kind, "2027-01-01"), word


def test_the_term_extension_opens_years_6_to_10_and_is_asked_before_the_term_ends() -> None:
    """BY.21: "after the expiration of five years, the term … may be extended … at the request
    of the owner" — the request (um_term_extension) opens years 6–10; after the term ended it
    is refused."""
    paid = [ev(E.ANNUITY_PAID, "2027-01-01", y) for y in range(4, 6)]
    base = (*UM_A, ev(E.GRANT_FEE_PAID, "2025-12-29"), *paid)
    assert not [d for d in compute(facts(UM, "2023-12-20", *base)) if d.code.startswith("annual_")]
    extended = facts(UM, "2023-12-20", *base, ev(E.EXTENDED_TERM, "2028-06-01"))
    assert by_code(extended)["annual_6"].nominal == D("2028-12-20")
    assert parse_event("term-extension", D("2028-06-01")).kind is E.EXTENDED_TERM
    assert parse_event("um_term_extension", D("2028-06-01")).kind is E.EXTENDED_TERM
    late = event_problems(facts(UM, "2023-12-20", *base), ev(E.EXTENDED_TERM, "2029-01-05"), LATER)
    assert any("(BY.21" in translator("en").error(p) for p in late)


# --- the low ones ------------------------------------------------------------------------------


def test_a_utility_models_examination_refusal_cites_by20() -> None:
    """BY.20: "the applicant is not required to make a request for substantive examination"."""
    problems = event_problems(
        facts(UM, "2025-03-14"), ev(E.EXAMINATION_REQUESTED, "2026-01-05"), LATER
    )
    assert any("(BY.20)" in p.template for p in problems)


@pytest.mark.parametrize("lang", ["ru", "be"])
def test_a_shift_sentence_ends_with_one_full_stop(lang: str) -> None:
    """Civil Code art. 194; PCT Rule 80.5: "… последний день — 19 октября 2026 г." not "г.."."""
    d = by_code(facts(PATENT, "2025-03-17", priority="2024-03-17"))["national_phase_entry"]
    text = shift_sentence(translator(lang), d)  # type: ignore[arg-type]
    assert text.endswith("г.") and not text.endswith("..")


def test_after_a_restoration_only_the_annual_fees_come_back() -> None:
    """BY.17, docs/RULES.md §2: lapsed closes every open deadline; restored reopens the annual
    fees, not the translation the lapse closed."""
    entered = ev(E.ENTRY_INCOMPLETE, "2026-10-01")
    lapsed = ev(E.LAPSED, "2026-11-01")
    restored = facts(PATENT, "2025-03-10", entered, lapsed, ev(E.RESTORED, "2027-01-10"), **Z)
    found = by_code(restored)
    assert "translation" not in found and "national_fee_invitation" not in found
    assert any(code.startswith("annual_") for code in found)
    # an invitation after the restoration opens its own period as usual
    later = facts(
        PATENT, "2025-03-10", *restored.events, ev(E.CLAIMS_INVITATION_RECEIVED, "2027-02-01"), **Z
    )
    assert "claims_fee_shortfall" in by_code(later)
