"""National-phase deadlines (docs/RULES.md §2), each case citing the rule it checks."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from core.deadlines import CaseFacts, Event, EventKind, compute, facts_from
from core.errors import InputError
from core.models import Deadline, Kind

D = dt.date.fromisoformat
E = EventKind


def by_code(deadlines: list[Deadline]) -> dict[str, Deadline]:
    return {d.code: d for d in deadlines}


def assert_deadline(
    facts: CaseFacts, code: str, nominal: str, date: str | None = None, basis: str | None = None
) -> Deadline:
    found = by_code(compute(facts))
    assert code in found, (code, sorted(found))
    d = found[code]
    assert d.nominal == D(nominal), (code, d)
    assert d.date == D(date or nominal), (code, d)
    if basis is not None:
        assert d.basis == basis
    return d


def test_entry_31_months_from_priority() -> None:
    # PCT Art. 22(3), 39(1)(b): 31 months from the priority date.
    f = facts_from(priority=D("2024-03-15"), filing=D("2025-03-14"))
    assert_deadline(f, "national_phase_entry", "2026-10-15", basis="PCT Art. 22(3), 39(1)(b)")
    # Summary, footnotes 1 and 7: translation 2 months after the (nominal) entry time limit.
    assert_deadline(f, "translation", "2026-12-15")
    # BY.16, PCT Rule 49.6: 12 months from the expiry of the Art. 22 time limit.
    assert_deadline(f, "entry_reinstatement", "2027-10-15")
    # BY.08: 3 years from the international filing date.
    assert_deadline(f, "examination_request", "2028-03-14", basis="BY.08")
    # Summary, BY.12: the 3rd-year annual fee goes with the national fee.
    assert_deadline(f, "annual_3", "2026-10-15")


def test_without_priority_periods_run_from_the_filing_date() -> None:
    f = facts_from(filing=D("2024-04-18"))
    # 2026-11-18 is a Wednesday.
    assert_deadline(f, "national_phase_entry", "2026-11-18")


def test_entry_on_a_weekend_moves_to_monday_and_keeps_the_reason() -> None:
    # 2026-10-17 is a Saturday: Civil Code art. 194, PCT Rule 80.5.
    f = facts_from(priority=D("2024-03-17"), filing=D("2025-03-17"))
    d = assert_deadline(f, "national_phase_entry", "2026-10-17", "2026-10-19")
    assert d.shift_reason == "weekend"
    # The translation runs from the *nominal* end of the entry period (docs/RULES.md §1).
    assert_deadline(f, "translation", "2026-12-17")


def test_entry_on_substituted_day_off_and_radunitsa() -> None:
    f = facts_from(priority=D("2023-09-20"), filing=D("2024-09-20"))
    d = assert_deadline(f, "national_phase_entry", "2026-04-20", "2026-04-22")
    assert d.shift_reason == "Day off (substituted from 04/25/2026)"


def test_month_end_clipping_and_leap_days() -> None:
    # PCT Rule 80.2: 31.07.2024 + 31 months → 28.02.2027 (Sunday) → 01.03.2027.
    f = facts_from(priority=D("2024-07-31"), filing=D("2025-07-31"))
    assert_deadline(f, "national_phase_entry", "2027-02-28", "2027-03-01")
    # 29.02.2024 + 3 years → 28.02.2027 (PCT Rule 80.3) → Monday 01.03.2027.
    g = facts_from(priority=D("2023-03-01"), filing=D("2024-02-29"))
    assert_deadline(g, "examination_request", "2027-02-28", "2027-03-01")


def test_entry_made_closes_entry_and_opens_the_next_annuity() -> None:
    f = facts_from(priority=D("2024-03-15"), filing=D("2025-03-14"), entry=D("2026-10-01"))
    codes = by_code(compute(f))
    assert "national_phase_entry" not in codes
    assert "translation" in codes  # may follow within 2 months of the entry (RULES.md §2)
    assert "entry_reinstatement" not in codes
    assert "annual_3" not in codes
    # BY.12: the fee for year 4 is paid within year 3, which ends on IFD + 3 years.
    d = assert_deadline(f, "annual_4", "2028-03-14", basis="BY.12, Annex BY.I")
    assert d.amount == Decimal("122.50")
    grace = assert_deadline(f, "annual_4_grace", "2028-09-14")
    assert grace.amount == Decimal("183.75") and grace.conditional == "late_surcharge_50"


def test_incomplete_entry_opens_the_invitation_period() -> None:
    # Summary, footnote 5: 2 months from the date of entry.
    f = CaseFacts(
        filing=D("2025-03-14"),
        priority=D("2024-03-15"),
        events=(Event(kind=E.ENTRY_INCOMPLETE, date=D("2026-09-30")),),
    )
    assert_deadline(f, "national_fee_invitation", "2026-11-30")
    assert_deadline(f, "translation", "2026-12-15")


def test_annuity_paid_opens_the_next_year() -> None:
    f = facts_from(
        priority=D("2024-03-15"),
        filing=D("2025-03-14"),
        entry=D("2026-10-01"),
        events=[Event(kind=E.ANNUITY_PAID, date=D("2028-01-10"), year=4)],
    )
    assert "annual_4" not in by_code(compute(f))
    assert_deadline(f, "annual_5", "2029-03-14")


def test_patent_annuities_stop_after_year_20_unless_extended() -> None:
    paid = [Event(kind=E.ANNUITY_PAID, date=D("2030-01-01"), year=y) for y in range(3, 21)]
    f = facts_from(filing=D("2025-03-14"), entry=D("2026-10-01"), events=paid)
    assert not [d for d in compute(f) if d.code.startswith("annual_")]
    ext = facts_from(
        filing=D("2025-03-14"),
        entry=D("2026-10-01"),
        events=[*paid, Event(kind=E.EXTENDED_TERM, date=D("2040-01-01"))],
    )
    assert_deadline(ext, "annual_21", "2045-03-14")


def test_grant_fee_and_its_grace() -> None:
    # BY.10: 2 months from receipt of the decision; then 6 months from that expiry, +50%.
    f = facts_from(filing=D("2025-03-14"), entry=D("2026-10-01"), grant_decision=D("2027-05-03"))
    assert_deadline(f, "grant_fee", "2027-07-03", "2027-07-05")  # Saturday → Monday
    assert_deadline(f, "grant_fee_grace", "2028-01-03")


def test_utility_model_years_begun_before_grant_go_with_the_grant_fee() -> None:
    # BY.21: the fee for year 1, and every year begun by the grant fee's date, with it.
    f = facts_from(
        kind=Kind.UTILITY_MODEL,
        priority=D("2024-03-15"),
        filing=D("2025-03-14"),
        entry=D("2026-10-01"),
        grant_decision=D("2027-05-03"),
    )
    found = by_code(compute(f))
    assert "examination_request" not in found  # BY.20: no substantive examination
    for year in (1, 2, 3):
        assert found[f"annual_{year}"].nominal == D("2027-07-03")
    # year 4 begins 14.03.2028, after the grant fee's date: the next fee, on its own date
    assert found["annual_4"].nominal == D("2028-03-14")
    assert "annual_5" not in found


def test_utility_model_without_decision_has_no_annual_deadline_yet() -> None:
    f = facts_from(kind=Kind.UTILITY_MODEL, filing=D("2025-03-14"), entry=D("2026-10-01"))
    assert not [d for d in compute(f) if d.code.startswith("annual_")]


@pytest.mark.parametrize(
    ("event", "code", "date", "expected", "basis"),
    [
        (E.CLAIMS_INVITATION_RECEIVED, "claims_fee_shortfall", "2027-01-11", "2027-03-11", "BY.06"),
        (E.EXTENSION_INVITATION_SENT, "extension_request", "2027-01-11", "2027-04-11", "BY.15"),
        (E.TIME_LIMIT_MISSED, "reinstatement", "2027-01-11", "2028-01-11", "BY.14"),
        (E.ART25_DECISION_RECEIVED, "appeal_art25", "2027-01-11", "2028-01-11", "BY.18"),
    ],
)
def test_event_started_periods(
    event: EventKind, code: str, date: str, expected: str, basis: str
) -> None:
    f = facts_from(filing=D("2025-03-14"), events=[Event(kind=event, date=D(date))])
    assert by_code(compute(f))[code].nominal == D(expected)
    assert by_code(compute(f))[code].basis == basis


def test_priority_after_filing_is_refused() -> None:
    with pytest.raises(InputError):
        facts_from(priority=D("2025-03-15"), filing=D("2025-03-14"))


def test_late_filing_is_flagged_for_priority_restoration() -> None:
    assert facts_from(priority=D("2024-03-01"), filing=D("2025-03-05")).priority_late
    assert not facts_from(priority=D("2024-03-01"), filing=D("2025-03-01")).priority_late
