"""Annuity (maintenance fee) schedules: BY.12 for patents, BY.21 for utility models.

Patents: years 3–20, and 21–25 for a patent whose term was extended. Utility models: years 1–5,
6–10 when the term is extended. Each year: the due date (the fee for year N is paid within year
N−1, which ends on IFD + (N−1) years), the end of the 6-month grace period (+50%), the amount and
the late amount — each amount by the schedule in force on that year's due date.

A utility model's year 1, and every year that begins on or before the day the grant fee falls
due, is paid with the grant fee (BY.21; docs/RULES.md §2): such a year is marked
`with_grant_fee` and has the grant fee's dates once a decision to grant is known, none of its
own before — never a date counted from the filing date.
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
from core.lifecycle import annual_warnings
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
    today: dt.date | None = None,
) -> AnnuitySchedule:
    """Every year's annual fee for a case filed (IFD) on `filing`.

    For a utility model, the years paid with the grant fee (BY.21) are those that begin on or
    before the grant fee's last day: with a `grant_decision`, 2 months after it (BY.10); without
    one, the earliest day it can fall due — `today` + 2 months (year 1 alone without `today`).
    """
    entry_nominal = add_months(priority or filing, ENTRY_MONTHS)
    through: dt.date | None = None
    if kind is Kind.UTILITY_MODEL:
        if grant_decision is not None:
            through = shift_to_working_day(add_months(grant_decision, 2)).effective
        elif today is not None:
            through = add_months(today, 2)
        else:
            through = filing  # year 1 only
    years: list[AnnuityYear] = []
    for year in range(first_annual_year(kind), last_annual_year(kind, extended) + 1):
        due = annual_due(
            kind,
            filing,
            year,
            entry_nominal=entry_nominal,
            grant_decision=grant_decision,
            grant_through=through,
        )
        if due is None:  # with the grant fee, before a decision: no date of its own
            on = through or filing
            amount, _late = annual_amounts(kind, year, natural_person, on)
            if amount is None:
                continue
            years.append(
                AnnuityYear(
                    year=year,
                    due=None,
                    due_nominal=None,
                    grace_end=None,
                    grace_end_nominal=None,
                    amount=amount,
                    late_amount=None,  # the normal amount, also in the grant fee's grace
                    basis="BY.21, BY.10",
                    with_grant_fee=True,
                    warnings=annual_warnings(kind, year),
                )
            )
            continue
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
                # no late amount without a grace period, nor with the grant fee (BY.21)
                late_amount=None if grace_nominal is None or due.with_fee == "grant_fee" else late,
                basis=due.basis,
                with_grant_fee=due.with_fee == "grant_fee",
                warnings=annual_warnings(kind, year),
            )
        )
    first_due = next((y.due_nominal for y in years if y.due_nominal is not None), filing)
    return AnnuitySchedule(
        kind=kind,
        filing=filing,
        extended=extended,
        natural_person=natural_person,
        schedule=schedule_for(first_due).info,
        years=tuple(years),
    )
