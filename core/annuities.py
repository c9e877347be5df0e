"""Annuity (maintenance fee) schedules: BY.12 for patents, BY.21 for utility models.

Patents: years 3–20, and 21–25 for a patent whose term was extended. Utility models: years 1–5,
6–10 when the term is extended. Each year: the due date (the fee for year N is paid within year
N−1, which ends on IFD + (N−1) years), the end of the 6-month grace period (+50%), the amount and
the late amount — each amount by the schedule in force on that year's due date.
"""

from __future__ import annotations

import datetime as dt

from core.calendar import add_months, shift_to_working_day
from core.deadlines import (
    ENTRY_MONTHS,
    annual_amounts,
    annual_due,
    first_annual_year,
    last_annual_year,
)
from core.models import AnnuitySchedule, AnnuityYear, Kind
from core.schedule import schedule_for


def annuity_schedule(
    kind: Kind,
    filing: dt.date,
    *,
    priority: dt.date | None = None,
    natural_person: bool = False,
    extended: bool = False,
    grant_decision: dt.date | None = None,
) -> AnnuitySchedule:
    """Every year's annual fee for a case filed (IFD) on `filing`.

    For a utility model without a known decision to grant, each year is shown on its own
    anniversary date; the fee for year 1 and any year begun before the grant then goes with the
    grant fee (BY.21), which the schedule marks once the decision is known.
    """
    entry_nominal = add_months(priority or filing, ENTRY_MONTHS)
    years: list[AnnuityYear] = []
    for year in range(first_annual_year(kind), last_annual_year(kind, extended) + 1):
        due = annual_due(
            kind,
            filing,
            year,
            entry_nominal=entry_nominal,
            grant_decision=grant_decision,
            anniversary_if_no_decision=True,
        )
        assert due is not None
        grace_nominal = due.grace_end  # None: no late period (year 3 of a patent)
        amount, late = annual_amounts(kind, year, natural_person, due.due)
        if amount is None or late is None:
            continue  # due before the first schedule on record: no amount to state
        years.append(
            AnnuityYear(
                year=year,
                due=shift_to_working_day(due.due).effective,
                due_nominal=due.due,
                grace_end=(
                    None if grace_nominal is None else shift_to_working_day(grace_nominal).effective
                ),
                grace_end_nominal=grace_nominal,
                amount=amount,
                late_amount=None if grace_nominal is None else late,
                basis=due.basis,
                with_grant_fee=due.with_fee == "grant_fee",
            )
        )
    return AnnuitySchedule(
        kind=kind,
        filing=filing,
        extended=extended,
        natural_person=natural_person,
        schedule=schedule_for(years[0].due_nominal if years else filing).info,
        years=tuple(years),
    )
