"""Fee quotes from the schedule in force on the payment date (Annex BY.I; docs/RULES.md §3).

Every line item: quantity × unit amount × reductions, rounded to 0.01 BYN half up *after* the
reductions. Reductions multiply: examination for a natural person with an ISR is
588 × 0.5 × 0.25 = 73.50.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from core.clock import SYSTEM_CLOCK
from core.errors import N_, InputError
from core.models import Alternative, FeeItem, Kind, Quote, Reduction, Surcharge, money
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
        value = self.reduced(code, unit * quantity)
        added: Surcharge | None = None
        if surcharge is not None:
            pct = self.schedule.surcharges[surcharge]
            value *= 1 + pct.factor
            added = Surcharge(code=surcharge, percent=pct.percent, basis=pct.basis)
        self.items.append(
            FeeItem(
                code=code,
                quantity=quantity,
                unit_amount=money(unit),
                amount=money(value),
                basis=basis,
                reductions=reductions,
                note=note,
                surcharge=added,
            )
        )

    def reduced(self, code: str, value: Decimal) -> Decimal:
        """`value` with the reductions that concern fee `code`, not rounded."""
        for r in self._reductions(code):
            value *= 1 - r.percent / 100
        return value

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
    day = on or SYSTEM_CLOCK.today()
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
    basis = fee.basis
    if late:
        basis = join_bases(basis, b.schedule.surcharges["late_grant"].basis)
    b.add(
        "grant",
        1,
        b.schedule.amount(kind, "grant"),
        basis,
        surcharge="late_grant" if late else None,
        note="late" if late else None,
    )
    quote = b.quote(day)
    return quote.model_copy(update={"warnings": ("late_grant",)}) if late else quote


def join_bases(*bases: str) -> str:
    """Citations joined once each: "BY.10" and "BY.10" → "BY.10"; "BY.10", "Annex BY.I; BY.10"
    → "BY.10; Annex BY.I"."""
    parts = [p.strip() for basis in bases for p in basis.split(";")]
    return "; ".join(dict.fromkeys(p for p in parts if p))


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
    if late:
        basis = join_bases(basis, b.schedule.surcharges["late_annual"].basis)
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
    quote = b.quote(day)
    # BY.12: paid late only with a request for extension of time, beside the 50%
    return quote.model_copy(update={"warnings": ("late_annual",)}) if late else quote


MAX_EXTENSION_MONTHS = 12

# BY.15, Annex BY.I, "per month": up to three months 24.50; from three to six months 73.50; above
# six months 122.50. The bands: 1–3, 4–6 and 7–12 months ("up to three" includes three, as BY.15's
# "up to three months" for preliminary examination does; "above six" excludes six).
_EXTENSION_BANDS: tuple[tuple[str, int, int], ...] = (
    ("extension_month_1_3", 1, 3),
    ("extension_month_4_6", 4, 6),
    ("extension_month_7_plus", 7, MAX_EXTENSION_MONTHS),
)
EXTENSION_BASIS = "Annex BY.I; BY.15"


# BY.15: "up to three months in case of preliminary examination and to 12 months in case of
# patent examination". A utility model has no substantive examination (BY.20): 3 at most.
MAX_EXTENSION_MONTHS_PRELIMINARY = 3


def check_months(months: int) -> None:
    if not 1 <= months <= MAX_EXTENSION_MONTHS:
        raise InputError(
            N_("An extension runs from 1 to {max} months; got {value}."),
            max=MAX_EXTENSION_MONTHS,
            value=months,
        )


def check_extension(kind: Kind, months: int) -> None:
    """An extension of `months` this kind can have (BY.15): 1 to 12 months for a patent (more
    than 3 only in substantive examination, which the quote says), at most 3 for a utility
    model; else one sentence citing BY.15."""
    check_months(months)
    if kind is Kind.UTILITY_MODEL and months > MAX_EXTENSION_MONTHS_PRELIMINARY:
        raise InputError(
            N_(
                "A utility model has no substantive examination, so a time limit can be "
                "extended by at most {max} months (BY.15); got {value}."
            ),
            max=MAX_EXTENSION_MONTHS_PRELIMINARY,
            value=months,
        )


def extension_band(months: int) -> str:
    """The band (fee code) an extension of `months` falls in."""
    check_months(months)
    return next(code for code, first, last in _EXTENSION_BANDS if first <= months <= last)


def extension_fee(
    kind: Kind, months: int, *, natural_person: bool = False, on: dt.date | None = None
) -> Quote:
    """The fee for extending a time limit for response by `months` (BY.15).

    Quoted by the safe reading (docs/RULES.md §3): every month at the rate of the band the whole
    extension falls in (4 months = 4 × 73.50 = 294.00; a short payment loses the extension).
    The other reading — each month at its own band's rate (3 × 24.50 + 73.50 = 147.00) — goes
    beside it as an `Alternative` where it differs.
    """
    check_extension(kind, months)
    b, day = _builder(kind, on, natural_person, True)
    b.fee(extension_band(months), months)
    # The other reading is one fee too: each band's months at its rate, summed, reduced and
    # rounded once (docs/RULES.md §3), not rounded band by band (36.76 for 36.75).
    exact = Decimal(0)
    for code, first, last in _EXTENSION_BANDS:
        count = max(0, min(months, last) - first + 1)
        if count:
            exact += b.reduced(code, b.schedule.amount(kind, code) * count)
    other = money(exact)
    alternatives: tuple[Alternative, ...] = ()
    quote = b.quote(day)
    if other != quote.total:
        alternatives = (
            Alternative(reading="extension_month_by_month", total=other, basis=EXTENSION_BASIS),
        )
    return quote.model_copy(
        update={
            "item": "extension",
            "readings": ("extension_whole_at_band_rate",),
            "alternatives": alternatives,
            # BY.15: beyond 3 months only in a patent's substantive examination
            "warnings": ("extension_beyond_3",) if months > 3 else (),
        }
    )


def single_fee(
    kind: Kind, code: str, *, natural_person: bool = False, on: dt.date | None = None
) -> Quote:
    """One fee of the schedule by its code (e.g. `amendment`, `reinstatement_rule_49_6`)."""
    b, day = _builder(kind, on, natural_person, True)
    if code not in b.schedule.kinds[kind].fees:
        raise InputError(N_("The published schedule has no fee {code} for this kind."), code=code)
    b.fee(code)
    return b.quote(day)


# --- every Annex BY.I item by its public name (`pctby fees --item`, /fees "other fees") -------

ITEMS: tuple[str, ...] = (
    "national",
    "grant",
    "annual",
    "amendment",
    "extension",
    "reinstatement",
    "reinstatement-rights",
    "priority-restoration",
    "renewal",
    "conversion",
)
# The items that are one fee of the schedule: item → fee code.
_SINGLE: dict[str, str] = {
    "amendment": "amendment",
    "reinstatement": "reinstatement_rule_49_6",
    "reinstatement-rights": "reinstatement_bpl27",
    "priority-restoration": "priority_restoration",
    "renewal": "renewal",
    "conversion": "conversion",
}
# Fees the Annex lists under patents only; for a utility model the same amounts are applied
# (BY.20: the requirements are basically the same as for patents) — a reading, said with them.
PATENT_SECTION_ONLY: frozenset[str] = frozenset(
    {"amendment", "reinstatement", "reinstatement-rights", "priority-restoration", "extension"}
)
LATE_ITEMS: frozenset[str] = frozenset({"grant", "annual"})


def parse_item(text: str) -> str:
    key = text.strip().lower().replace("_", "-")
    if key not in ITEMS:
        raise InputError(
            N_("Unknown fee “{item}”: use one of {items}."),
            item=text[:40],
            items=", ".join(ITEMS),
        )
    return key


def quote_item(
    item: str,
    kind: Kind,
    *,
    independent: int = 1,
    dependent: int = 0,
    natural_person: bool = False,
    isr: bool = True,
    late: bool = False,
    months: int | None = None,
    year: int | None = None,
    extended: bool = False,
    on: dt.date,
) -> Quote:
    """A quote for one Annex BY.I item (ITEMS), with the readings applied and the other ones."""
    item = parse_item(item)
    if late and item not in LATE_ITEMS:
        raise InputError(N_("A late surcharge applies only to the fee for grant and annual fees."))
    readings: list[str] = []
    if item == "national":
        quote = national_fee(
            kind, independent, dependent, natural_person=natural_person, isr=isr, on=on
        )
    elif item == "grant":
        quote = grant_fee(kind, natural_person=natural_person, late=late, on=on)
    elif item == "annual":
        if year is None:
            raise InputError(N_("Say which year the annual fee is for (--year N)."))
        check_year(kind, year, extended=True)
        if late and kind is Kind.PATENT and year == 3:
            raise InputError(
                N_(
                    "The fee for the 3rd year has no grace period: it is paid with the national "
                    "fee at entry."
                )
            )
        quote = annual_fees(
            kind, [year], natural_person=natural_person, late=late, extended=True, on=on
        )
    elif item == "extension":
        if months is None:
            raise InputError(N_("Say how many months the extension is for (--months N)."))
        quote = extension_fee(kind, months, natural_person=natural_person, on=on)
        readings += quote.readings
    elif item == "renewal" and kind is not Kind.UTILITY_MODEL:
        raise InputError(N_("The renewal fee is for utility models only (BY.21)."))
    else:
        # Conversion (BY.22) runs either way; the Annex lists its one fee under utility models.
        fee_kind = Kind.UTILITY_MODEL if item == "conversion" else kind
        quote = single_fee(fee_kind, _SINGLE[item], natural_person=natural_person, on=on)
        quote = quote.model_copy(update={"kind": kind})
        if item == "conversion" and kind is Kind.PATENT:
            readings.append("conversion_fee_either_way")
    if kind is Kind.UTILITY_MODEL and item in PATENT_SECTION_ONLY:
        readings.append("utility_model_from_patent_section")
    alternatives = list(quote.alternatives)
    if natural_person:
        full = quote_item(
            item,
            kind,
            independent=independent,
            dependent=dependent,
            isr=isr,
            late=late,
            months=months,
            year=year,
            on=on,
        )
        alternatives.append(
            Alternative(
                reading="without_natural_person_reduction",
                total=full.total,
                basis="Annex BY.I, footnote 1",
            )
        )
    return quote.model_copy(
        update={
            "item": item,
            "readings": tuple(dict.fromkeys(readings)),
            "alternatives": tuple(alternatives),
        }
    )


# --- a request as people type it: `/fees патент 3 20`, `полезная модель 1 0 физлицо` ---------

KIND_WORDS: dict[str, Kind] = {
    **dict.fromkeys(
        ("patent", "p", "invention", "патент", "изобретение", "патэнт", "вынаходства"),
        Kind.PATENT,
    ),
    **dict.fromkeys(
        (
            "um",
            "utility-model",
            "utility model",
            "utility",
            "пм",
            "полезная модель",
            "полезной модели",
            "полезную модель",
            "карысная мадэль",
            "карыснай мадэлі",
            "карысную мадэль",
            "км",
        ),
        Kind.UTILITY_MODEL,
    ),
}
NATURAL_WORDS: frozenset[str] = frozenset(
    {
        "natural",
        "natural-person",
        "natural person",
        "individual",
        "np",
        "физлицо",
        "физ.лицо",
        "физ. лицо",
        "физическое лицо",
        "фл",
        "фізасоба",
        "фізічная асоба",
        "фіз. асоба",
    }
)
ITEM_WORDS: dict[str, str] = {
    **{i: i for i in ITEMS},
    "пошлина за выдачу": "grant",
    "выдача": "grant",
    "ежегодная": "annual",
    "поддержание": "annual",
    "продление": "extension",
    "восстановление": "reinstatement",
    "изменения": "amendment",
    "преобразование": "conversion",
}


def _normal(text: str) -> str:
    return " ".join(text.lower().replace("ё", "е").replace("_", "-").split())


def kind_of(text: str) -> Kind | None:
    """`патент`, `полезная модель`, `карысная мадэль`, `um`… → the kind; None if not a kind."""
    return KIND_WORDS.get(_normal(text))


@dataclass(frozen=True, slots=True)
class FeeRequest:
    item: str
    kind: Kind
    numbers: tuple[str, ...]
    natural_person: bool


def parse_request(text: str) -> FeeRequest:
    """The words of `/fees …` in any order: an item, a kind (one or two words), numbers, and
    "natural person" in ru/be/en. The first word that is none of these is reported as a kind
    when no kind was found yet, else as a number."""
    words = _normal(text).split()
    item, kind, natural = "national", None, False
    numbers: list[str] = []
    i = 0
    while i < len(words):
        two = " ".join(words[i : i + 2])
        if len(words) > i + 1 and (two in KIND_WORDS or two in NATURAL_WORDS or two in ITEM_WORDS):
            phrase, i = two, i + 2
        else:
            phrase, i = words[i], i + 1
        if phrase in KIND_WORDS and kind is None:
            kind = KIND_WORDS[phrase]
        elif phrase in NATURAL_WORDS:
            natural = True
        elif phrase in ITEM_WORDS and item == "national" and not numbers:
            item = ITEM_WORDS[phrase]
        elif kind is None and not numbers and not phrase[:1].isdigit():
            raise InputError(
                N_("Unknown kind “{kind}”: use patent or utility-model."), kind=phrase[:30]
            )
        else:
            numbers.append(phrase)
    if kind is None:
        kind = Kind.UTILITY_MODEL if item == "renewal" else Kind.PATENT
    return FeeRequest(item, kind, tuple(numbers), natural)
