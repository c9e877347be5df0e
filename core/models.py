"""Domain models shared by the engines (pydantic; Decimal money; ISO dates)."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

CENT = Decimal("0.01")


def money(value: Decimal) -> Decimal:
    """Round to 0.01 BYN, half up (docs/RULES.md §3)."""
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


class Kind(StrEnum):
    PATENT = "patent"
    UTILITY_MODEL = "utility-model"

    @classmethod
    def parse(cls, text: str) -> Kind:
        """Accepts `patent`, `utility-model`, and the short forms `um`, `utility_model`."""
        key = text.strip().lower().replace("_", "-")
        aliases = {"um": cls.UTILITY_MODEL, "utility": cls.UTILITY_MODEL, "p": cls.PATENT}
        if key in aliases:
            return aliases[key]
        return cls(key)


class Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)


class Reduction(Frozen):
    code: str  # natural_person | examination_isr
    percent: Decimal
    basis: str


class Surcharge(Frozen):
    code: str  # late_annual | late_grant
    percent: Decimal
    basis: str


class FeeItem(Frozen):
    code: str
    quantity: int
    unit_amount: Decimal  # before reductions
    amount: Decimal  # after reductions (and the surcharge), rounded
    basis: str
    reductions: tuple[Reduction, ...] = ()
    note: str | None = None  # e.g. "late: +50%"
    surcharge: Surcharge | None = None  # paid late: +50% (BY.10, BY.12)


class ScheduleInfo(Frozen):
    id: str
    title: str
    source: str
    effective_from: dt.date
    stated_for: dt.date
    base_value: Decimal
    currency: str
    superseded_on: dt.date | None = None  # when a later rate change made the amounts outdated
    superseded_reason: str | None = None  # why (English, from the schedule's data)
    current_fees_at: str | None = None  # where to check the amounts in force (the Office's page)

    def superseded(self, on: dt.date) -> bool:
        """True when the amounts were already outdated on `on`."""
        return self.superseded_on is not None and self.superseded_on <= on


class Alternative(Frozen):
    """Another reading of an ambiguous rule, shown beside the one quoted (docs/RULES.md §3)."""

    reading: str  # extension_month_by_month | without_natural_person_reduction
    total: Decimal
    basis: str


class Quote(Frozen):
    kind: Kind
    schedule: ScheduleInfo
    items: tuple[FeeItem, ...]
    total: Decimal
    currency: str = "BYN"
    on: dt.date
    natural_person: bool = False
    isr: bool = True
    base_value_on_date: Decimal | None = None  # the base value in force on `on`, for the note
    item: str = "national"  # which Annex BY.I item (core.fees.ITEMS)
    readings: tuple[str, ...] = ()  # the readings of an ambiguous rule applied (codes)
    alternatives: tuple[Alternative, ...] = ()  # the other readings, with their totals
    warnings: tuple[str, ...] = ()  # codes of core.labels.WARNINGS the quote carries


class Deadline(Frozen):
    code: str
    nominal: dt.date
    date: dt.date  # effective last day
    basis: str
    skipped: tuple[tuple[dt.date, str], ...] = ()  # (day, "weekend" | holiday name in English)
    conditional: str | None = None  # a condition code, e.g. "if_not_at_entry"
    year: int | None = None  # for annual fees
    amount: Decimal | None = None  # the fee due, where the rule names one
    late_amount: Decimal | None = None

    @property
    def shifted(self) -> bool:
        return self.date != self.nominal

    @property
    def shift_reason(self) -> str | None:
        """The reason for the shift in English: the first holiday skipped, else "weekend"."""
        if not self.skipped:
            return None
        for _day, reason in self.skipped:
            if reason != "weekend":
                return reason
        return "weekend"


class AnnuityYear(Frozen):
    year: int
    # effective last day of the normal period; None for a utility-model year paid with the
    # grant fee while no decision to grant is known (BY.21: no date of its own)
    due: dt.date | None
    due_nominal: dt.date | None
    # effective last day of the 6-month grace period (+50%); None where there is none (year 3
    # of a patent: paid with the national fee at entry)
    grace_end: dt.date | None
    grace_end_nominal: dt.date | None
    amount: Decimal
    late_amount: Decimal | None
    basis: str
    with_grant_fee: bool = False  # a utility-model year paid with the grant fee (BY.21)
    warnings: tuple[str, ...] = ()  # codes of core.labels.WARNINGS (years 9–10, 21–25)


class AnnuitySchedule(Frozen):
    kind: Kind
    filing: dt.date
    extended: bool
    natural_person: bool
    schedule: ScheduleInfo
    years: tuple[AnnuityYear, ...] = Field(default_factory=tuple)
