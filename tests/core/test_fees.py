"""Fee quotes against Annex BY.I and the Summary of the BY chapter (docs/RULES.md §3)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from core.errors import InputError
from core.fees import (
    annual_fees,
    extension_fee,
    grant_fee,
    national_fee,
    quote_item,
    single_fee,
)
from core.models import Kind, Quote
from core.schedule import NoScheduleError, base_value_on, schedule_for

ON = dt.date(2026, 11, 21)
P, UM = Kind.PATENT, Kind.UTILITY_MODEL


def assert_fee(quote: Quote, code: str, amount: str, quantity: int = 1) -> None:
    item = {i.code: i for i in quote.items}[code]
    assert item.amount == Decimal(amount), (code, item)
    assert item.quantity == quantity
    assert item.basis


def codes(quote: Quote) -> list[str]:
    return [i.code for i in quote.items]


def test_patent_minimum_national_fee() -> None:
    # Summary: filing 122.50, examination 588 (−50% with ISR: 294), annual fee year 3 122.50.
    q = national_fee(P, 1, 10, on=ON)
    assert codes(q) == ["filing", "examination", "annual_3"]
    assert_fee(q, "filing", "122.50")
    assert_fee(q, "examination", "294.00")
    assert_fee(q, "annual_3", "122.50")
    assert q.total == Decimal("539.00")


def test_patent_claim_fees() -> None:
    # Summary: 49 per independent claim over 1; claim examination 343 per independent over 1,
    # 49 per dependent over 10.
    q = national_fee(P, 3, 15, on=ON)
    assert_fee(q, "claims_independent", "98.00", 2)
    assert_fee(q, "exam_claims_independent", "686.00", 2)
    assert_fee(q, "exam_claims_dependent", "245.00", 5)
    assert q.total == Decimal("122.50") + 98 + 294 + 686 + 245 + Decimal("122.50")


def test_patent_without_isr_pays_full_examination() -> None:
    q = national_fee(P, 1, 0, isr=False, on=ON)  # BY.09: the 50% cut needs an ISR/IPER
    assert_fee(q, "examination", "588.00")
    assert not q.items[1].reductions


def test_natural_person_reductions_multiply() -> None:
    # docs/RULES.md §3: 588 × 0.5 × 0.25 = 73.50; 122.50 × 0.25 = 30.625 → 30.63 (half up).
    q = national_fee(P, 1, 0, natural_person=True, on=ON)
    assert_fee(q, "examination", "73.50")
    assert_fee(q, "filing", "30.63")
    assert [r.code for r in q.items[1].reductions] == ["examination_isr", "natural_person"]


def test_utility_model_national_fee() -> None:
    # Annex BY.I: filing 245; 122.50 per independent claim over 1; 49 per dependent over 10.
    q = national_fee(UM, 2, 12, on=ON)
    assert codes(q) == ["filing", "claims_independent", "claims_dependent"]
    assert_fee(q, "filing", "245.00")
    assert_fee(q, "claims_independent", "122.50")
    assert_fee(q, "claims_dependent", "98.00", 2)
    assert q.total == Decimal("465.50")


@pytest.mark.parametrize(
    ("kind", "year", "amount", "source"),
    [
        (P, 3, "122.50", "Annex BY.I: 3rd and 4th years"),
        (P, 5, "171.50", "5th and 6th"),
        (P, 8, "245.00", "7th and 8th"),
        (P, 10, "294.00", "9th and 10th"),
        (P, 12, "343.00", "11th and 12th"),
        (P, 13, "416.50", "13th and 14th"),
        (P, 16, "465.50", "15th and 16th"),
        (P, 17, "539.00", "17th and 18th"),
        (P, 20, "588.00", "19th and 20th"),
        (P, 25, "808.50", "21st to 25th"),
        (UM, 1, "98.00", "utility model 1st to 3rd"),
        (UM, 6, "147.00", "4th to 6th"),
        (UM, 8, "245.00", "7th and 8th"),
        (UM, 10, "171.50", "9th and 10th, as printed in the Annex"),
    ],
)
def test_annual_fee_bands(kind: Kind, year: int, amount: str, source: str) -> None:
    q = annual_fees(kind, [year], extended=True, on=ON)
    assert q.total == Decimal(amount)


def test_late_annual_and_grant_fees_add_half() -> None:
    assert annual_fees(P, [5], late=True, on=ON).total == Decimal("257.25")  # 171.50 × 1.5
    assert grant_fee(P, on=ON).total == Decimal("245.00")  # Annex BY.I
    assert grant_fee(P, late=True, on=ON).total == Decimal("367.50")  # BY.10: +50%
    assert grant_fee(UM, natural_person=True, on=ON).total == Decimal("61.25")


@pytest.mark.parametrize(
    ("months", "total", "other"),
    [
        (1, "24.50", None),  # Annex BY.I "up to three months 24.50" (per month)
        (3, "73.50", None),  # "up to three" includes three: 3 × 24.50; both readings agree
        (4, "294.00", "147.00"),  # "from three to six months 73.50": 4 × 73.50 | 3 × 24.50 + 73.50
        (6, "441.00", "294.00"),  # 6 × 73.50 | 3 × 24.50 + 3 × 73.50
        (8, "980.00", "539.00"),  # "above six months 122.50": 8 × 122.50 | 73.50 + 220.50 + 245
    ],
)
def test_extension_fee_takes_the_safe_reading_and_shows_the_other(
    months: int, total: str, other: str | None
) -> None:
    # BY.15, Annex BY.I; docs/RULES.md §3: the whole extension at the rate of its band (safe: a
    # short payment loses the extension); month by month at each band's rate shown beside it.
    q = extension_fee(P, months, on=ON)
    assert q.total == Decimal(total)
    assert q.readings == ("extension_whole_at_band_rate",)
    assert [(a.reading, str(a.total)) for a in q.alternatives] == (
        [] if other is None else [("extension_month_by_month", other)]
    )


def test_single_fees() -> None:
    assert single_fee(P, "priority_restoration", on=ON).total == Decimal("98.00")
    assert single_fee(P, "reinstatement_rule_49_6", on=ON).total == Decimal("465.50")
    assert single_fee(UM, "renewal", on=ON).total == Decimal("465.50")
    with pytest.raises(InputError):
        single_fee(P, "renewal", on=ON)


@pytest.mark.parametrize(
    ("independent", "dependent"), [(-1, 0), (1, -1), (1001, 0), (1, 1001), (0, 5)]
)
def test_absurd_claim_counts_are_refused(independent: int, dependent: int) -> None:
    with pytest.raises(InputError):
        national_fee(P, independent, dependent, on=ON)


def test_every_amount_is_a_multiple_of_the_2018_base_value() -> None:
    sched = schedule_for(ON)
    assert sched.info.base_value == Decimal("24.50")
    assert sched.info.stated_for == dt.date(2018, 1, 1)
    for kind in Kind:
        for code in sched.kinds[kind].fees:
            assert sched.amount(kind, code) % Decimal("24.50") == 0


def test_schedule_in_force_and_base_values() -> None:
    with pytest.raises(NoScheduleError):
        schedule_for(dt.date(2017, 6, 1))
    bv = base_value_on(dt.date(2026, 3, 1))
    assert bv is not None and bv.value == Decimal("45.00")
    assert base_value_on(dt.date(2018, 12, 31)).value == Decimal("24.50")  # type: ignore[union-attr]
    assert base_value_on(dt.date(2016, 12, 31)) is None
    q = national_fee(P, 1, 0, on=dt.date(2024, 5, 1))
    assert q.base_value_on_date == Decimal("40.00")
    assert q.schedule.id == "annex-by-i-2018"  # the published schedule is not rescaled


# --- every Annex BY.I item by its public name ----------------------------------------------


@pytest.mark.parametrize(
    ("item", "kind", "extra", "total", "annex_line"),
    [
        ("national", P, {}, "539.00", "Summary: filing 122.50 + examination 588/2 + year 3 122.50"),
        ("national", UM, {}, "245.00", "Utility models: Filing fee 245"),
        ("grant", P, {}, "245.00", "Patents: Fee for grant 245"),
        ("grant", P, {"late": True}, "367.50", "Fee for grant 245; BY.10: +50%"),
        ("grant", UM, {}, "245.00", "Utility models: Fee for grant 245"),
        ("annual", P, {"year": 7}, "245.00", "Maintenance, 7th and 8th years, per year 245"),
        ("annual", P, {"year": 7, "late": True}, "367.50", "245 + surcharge 50% of the fee"),
        ("annual", UM, {"year": 2}, "98.00", "UM maintenance, 1st to 3rd year, per year 98"),
        ("amendment", P, {}, "49.00", "Fee for amendment 49"),
        ("extension", P, {"months": 4}, "294.00", "extension per month, three to six: 73.50"),
        ("reinstatement", P, {}, "465.50", "Reinstatement of rights (PCT Rule 49.6) 465.50"),
        ("reinstatement-rights", P, {}, "122.50", "Reinstatement of rights (BPL Art. 27) 122.50"),
        ("priority-restoration", P, {}, "98.00", "Restoration of the right of priority 98"),
        ("renewal", UM, {}, "465.50", "Utility models: Renewal fee 465.50"),
        ("conversion", UM, {}, "122.50", "Utility models: Conversion fee 122.50"),
        ("conversion", P, {}, "122.50", "Conversion fee 122.50 (the one listed), BY.22"),
    ],
)
def test_every_annex_item_can_be_quoted(
    item: str, kind: Kind, extra: dict[str, object], total: str, annex_line: str
) -> None:
    q = quote_item(item, kind, on=ON, **extra)  # type: ignore[arg-type]
    assert q.item == item
    assert q.total == Decimal(total), annex_line
    assert all(i.basis.startswith(("Summary", "Annex BY.I")) for i in q.items)


def test_readings_said_with_the_fee() -> None:
    # The Annex lists amendment under patents only: applied to a utility model (BY.20) and said.
    q = quote_item("amendment", UM, on=ON)
    assert q.total == Decimal("49.00")
    assert q.readings == ("utility_model_from_patent_section",)
    # Conversion of a patent application (BY.22): the Annex's one conversion fee, said.
    assert quote_item("conversion", P, on=ON).readings == ("conversion_fee_either_way",)


def test_natural_person_quote_shows_the_unreduced_total_beside_it() -> None:
    # Footnote 1 speaks of residents of Belarus: the full amount goes beside the reduced one.
    q = quote_item("reinstatement", P, natural_person=True, on=ON)
    assert q.total == Decimal("116.38")  # 465.50 × 0.25 = 116.375 → 116.38 (half up)
    assert [(a.reading, a.total) for a in q.alternatives] == [
        ("without_natural_person_reduction", Decimal("465.50"))
    ]


@pytest.mark.parametrize(
    ("item", "kind", "extra", "message"),
    [
        ("rocket", P, {}, "Unknown fee"),
        ("renewal", P, {}, "utility models only"),
        ("annual", P, {}, "which year"),
        ("annual", P, {"year": 2}, "years {first} to {last}"),
        ("annual", P, {"year": 3, "late": True}, "no grace period"),  # RULES.md §2: year 3
        ("extension", P, {}, "how many months"),
        ("extension", P, {"months": 13}, "from 1 to {max}"),
        ("amendment", P, {"late": True}, "late surcharge applies only"),
    ],
)
def test_bad_item_requests_are_one_sentence(
    item: str, kind: Kind, extra: dict[str, object], message: str
) -> None:
    with pytest.raises(InputError) as err:
        quote_item(item, kind, on=ON, **extra)  # type: ignore[arg-type]
    assert message in err.value.template


def test_the_seed_schedule_is_marked_superseded() -> None:
    # docs/RULES.md §3: the Tax Code rates changed on 1 January 2019 (and again in 2021).
    info = schedule_for(ON).info
    assert info.superseded_on == dt.date(2019, 1, 1)
    assert info.superseded_reason and "2019" in info.superseded_reason
    assert info.superseded(ON) and not info.superseded(dt.date(2018, 6, 1))
