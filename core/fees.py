"""Fee quotes from the schedule in force on the payment date (Annex BY.I; DOMAIN.md §3).

Every line item: quantity × unit amount × reductions, rounded to 0.01 BYN half up *after* the
reductions. Reductions multiply: examination for a natural person with an ISR is
588 × 0.5 × 0.25 = 73.50.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal

from core.errors import N_, InputError
from core.models import FeeItem, Kind, Quote, Reduction, money
from core.schedule import FeeSchedule, base_value_on, schedule_for

MAX_CLAIMS = 1000
FREE_DEPENDENT_CLAIMS = 10
FREE_INDEPENDENT_CLAIMS = 1


def check_claims(independent: int, dependent: int) -> None:
    for count in (independent, dependent):
        if count < 0 or count > MAX_CLAIMS:
            raise InputError(
                N_("A claim count must be a whole number from 0 to {max}; got {value}."),
                max=MAX_CLAIMS,
                value=count,
            )
    if independent < 1:
        raise InputError(N_("A set of claims has at least one independent claim."))


class _Builder:
    """Collects line items, applying the reductions that concern each."""

    def __init__(self, schedule: FeeSchedule, kind: Kind, natural_person: bool, isr: bool) -> None:
        self.schedule = schedule
        self.kind = kind
        self.natural_person = natural_person
        self.isr = isr
        self.items: list[FeeItem] = []

    def _reductions(self, code: str) -> tuple[Reduction, ...]:
        found: list[Reduction] = []
        red = self.schedule.reductions
        if code == "examination" and self.isr:
            r = red["examination_isr"]
            found.append(Reduction(code="examination_isr", percent=r.percent, basis=r.basis))
        if self.natural_person:
            r = red["natural_person"]
            found.append(Reduction(code="natural_person", percent=r.percent, basis=r.basis))
        return tuple(found)

    def add(
        self,
        code: str,
        quantity: int,
        unit: Decimal,
        basis: str,
        *,
        surcharge: str | None = None,
        note: str | None = None,
    ) -> None:
        if quantity <= 0:
            return
        reductions = self._reductions(code)
        value = unit * quantity
        if surcharge is not None:
            value *= 1 + self.schedule.surcharges[surcharge].factor
        for r in reductions:
            value *= 1 - r.percent / 100
        self.items.append(
            FeeItem(
                code=code,
                quantity=quantity,
                unit_amount=money(unit),
                amount=money(value),
                basis=basis,
                reductions=reductions,
                note=note,
            )
        )

    def fee(self, code: str, quantity: int = 1, *, item_code: str | None = None) -> None:
        fee = self.schedule.fee(self.kind, code)
        self.add(item_code or code, quantity, self.schedule.amount(self.kind, code), fee.basis)

    def quote(self, on: dt.date) -> Quote:
        bv = base_value_on(on)
        return Quote(
            kind=self.kind,
            schedule=self.schedule.info,
            items=tuple(self.items),
            total=sum((i.amount for i in self.items), Decimal("0.00")),
            on=on,
            natural_person=self.natural_person,
            isr=self.isr,
            base_value_on_date=None if bv is None else bv.value,
        )


def _builder(
    kind: Kind, on: dt.date | None, natural_person: bool, isr: bool
) -> tuple[_Builder, dt.date]:
    day = on or dt.date.today()
    return _Builder(schedule_for(day), kind, natural_person, isr), day


def national_fee(
    kind: Kind,
    independent: int,
    dependent: int,
    *,
    natural_person: bool = False,
    isr: bool = True,
    on: dt.date | None = None,
) -> Quote:
    """The national fee due at entry into the national phase (Summary; Annex BY.I)."""
    check_claims(independent, dependent)
    b, day = _builder(kind, on, natural_person, isr)
    extra_independent = independent - FREE_INDEPENDENT_CLAIMS
    extra_dependent = max(0, dependent - FREE_DEPENDENT_CLAIMS)
    b.fee("filing")
    b.fee("claims_independent", extra_independent)
    if kind is Kind.PATENT:
        b.fee("examination")
        b.fee("exam_claims_independent", extra_independent)
        b.fee("exam_claims_dependent", extra_dependent)
        annual = b.schedule.annual_amount(kind, 3)
        assert annual is not None
        b.add("annual_3", 1, annual, b.schedule.kinds[kind].annual_basis)
    else:
        b.fee("claims_dependent", extra_dependent)
    return b.quote(day)


def grant_fee(
    kind: Kind, *, natural_person: bool = False, late: bool = False, on: dt.date | None = None
) -> Quote:
    """The fee for grant (BY.10); `late`: paid in the 6 months after the time limit, +50%."""
    b, day = _builder(kind, on, natural_person, True)
    fee = b.schedule.fee(kind, "grant")
    b.add(
        "grant",
        1,
        b.schedule.amount(kind, "grant"),
        fee.basis if not late else f"{fee.basis}; {b.schedule.surcharges['late_grant'].basis}",
        surcharge="late_grant" if late else None,
        note="late" if late else None,
    )
    return b.quote(day)


def check_year(kind: Kind, year: int, *, extended: bool = False) -> None:
    first = 3 if kind is Kind.PATENT else 1
    last = (25 if extended else 20) if kind is Kind.PATENT else (10 if extended else 5)
    if not first <= year <= last:
        raise InputError(
            N_("An annual fee is due for years {first} to {last} here; got year {year}."),
            first=first,
            last=last,
            year=year,
        )


def annual_fees(
    kind: Kind,
    years: Iterable[int],
    *,
    natural_person: bool = False,
    late: bool = False,
    extended: bool = False,
    on: dt.date | None = None,
) -> Quote:
    """Maintenance fees for `years` (BY.12, BY.21); `late`: in the grace period, +50%."""
    b, day = _builder(kind, on, natural_person, True)
    basis = b.schedule.kinds[kind].annual_basis
    for year in years:
        check_year(kind, year, extended=extended)
        amount = b.schedule.annual_amount(kind, year)
        assert amount is not None
        b.add(
            f"annual_{year}",
            1,
            amount,
            basis,
            surcharge="late_annual" if late else None,
            note="late" if late else None,
        )
    return b.quote(day)


MAX_EXTENSION_MONTHS = 12

# BY.15, Annex BY.I: per month, read as tiered — months 1–3 at the first rate, 4–6 at the
# second, every month beyond 6 at the third (DOMAIN.md §3).
_EXTENSION_TIERS: tuple[tuple[str, int, int], ...] = (
    ("extension_month_1_3", 1, 3),
    ("extension_month_4_6", 4, 6),
    ("extension_month_7_plus", 7, MAX_EXTENSION_MONTHS),
)


def extension_fee(
    kind: Kind, months: int, *, natural_person: bool = False, on: dt.date | None = None
) -> Quote:
    """The fee for extending a time limit for response by `months` (BY.15), tiered."""
    if not 1 <= months <= MAX_EXTENSION_MONTHS:
        raise InputError(
            N_("An extension runs from 1 to {max} months; got {value}."),
            max=MAX_EXTENSION_MONTHS,
            value=months,
        )
    b, day = _builder(kind, on, natural_person, True)
    for code, first, last in _EXTENSION_TIERS:
        b.fee(code, max(0, min(months, last) - first + 1))
    return b.quote(day)


def single_fee(
    kind: Kind, code: str, *, natural_person: bool = False, on: dt.date | None = None
) -> Quote:
    """One fee of the schedule by its code (e.g. `amendment`, `reinstatement_rule_49_6`)."""
    b, day = _builder(kind, on, natural_person, True)
    if code not in b.schedule.kinds[kind].fees:
        raise InputError(N_("The published schedule has no fee {code} for this kind."), code=code)
    b.fee(code)
    return b.quote(day)
