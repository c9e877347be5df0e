"""Fee schedules (Annex BY.I) and base values, loaded from `core/data/` (rules as data)."""

from __future__ import annotations

import datetime as dt
import tomllib
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any

from core.models import Kind, ScheduleInfo

DATA = Path(__file__).parent / "data"


class NoScheduleError(LookupError):
    """No fee schedule is in force on the asked date."""

    def __init__(self, on: dt.date, first: dt.date) -> None:
        super().__init__(f"no fee schedule in force on {on.isoformat()} (first: {first})")
        self.on = on
        self.first = first


@dataclass(frozen=True, slots=True)
class Fee:
    bv: Decimal
    basis: str


@dataclass(frozen=True, slots=True)
class AnnualBand:
    first: int
    last: int
    bv: Decimal


@dataclass(frozen=True, slots=True)
class KindFees:
    fees: dict[str, Fee]
    annual: tuple[AnnualBand, ...]
    annual_basis: str


@dataclass(frozen=True, slots=True)
class Percent:
    percent: Decimal
    basis: str

    @property
    def factor(self) -> Decimal:
        return self.percent / Decimal(100)


@dataclass(frozen=True, slots=True)
class FeeSchedule:
    info: ScheduleInfo
    kinds: dict[Kind, KindFees]
    surcharges: dict[str, Percent]
    reductions: dict[str, Percent]

    def fee(self, kind: Kind, code: str) -> Fee:
        return self.kinds[kind].fees[code]

    def amount(self, kind: Kind, code: str) -> Decimal:
        return self.info.base_value * self.fee(kind, code).bv

    def annual_bv(self, kind: Kind, year: int) -> Decimal | None:
        for band in self.kinds[kind].annual:
            if band.first <= year <= band.last:
                return band.bv
        return None

    def annual_amount(self, kind: Kind, year: int) -> Decimal | None:
        bv = self.annual_bv(kind, year)
        return None if bv is None else self.info.base_value * bv


def _kind_fees(raw: dict[str, Any]) -> KindFees:
    annual = raw["annual"]
    fees = {code: Fee(Decimal(v["bv"]), v["basis"]) for code, v in raw.items() if code != "annual"}
    bands = tuple(AnnualBand(int(a), int(b), Decimal(bv)) for a, b, bv in annual["bands"])
    return KindFees(fees, bands, annual["basis"])


def _load(path: Path) -> FeeSchedule:
    raw = tomllib.loads(path.read_text(encoding="utf-8"))
    info = ScheduleInfo(
        id=raw["id"],
        title=raw["title"],
        source=raw["source"],
        effective_from=raw["effective_from"],
        stated_for=raw["stated_for"],
        base_value=Decimal(raw["base_value"]),
        currency=raw["currency"],
    )
    kinds = {
        Kind.PATENT: _kind_fees(raw["patent"]),
        Kind.UTILITY_MODEL: _kind_fees(raw["utility_model"]),
    }
    pct = {k: Percent(Decimal(v["percent"]), v["basis"]) for k, v in raw["surcharges"].items()}
    red = {k: Percent(Decimal(v["percent"]), v["basis"]) for k, v in raw["reductions"].items()}
    return FeeSchedule(info, kinds, pct, red)


@lru_cache(maxsize=4)
def load_schedules(folder: Path = DATA / "fees") -> tuple[FeeSchedule, ...]:
    """Every schedule in `folder`, oldest first."""
    found = [_load(p) for p in sorted(folder.glob("*.toml"))]
    if not found:
        raise FileNotFoundError(f"no fee schedule in {folder}")
    return tuple(sorted(found, key=lambda s: s.info.effective_from))


def schedule_for(on: dt.date, folder: Path = DATA / "fees") -> FeeSchedule:
    """The schedule in force on the payment date `on`."""
    schedules = load_schedules(folder)
    current = [s for s in schedules if s.info.effective_from <= on]
    if not current:
        raise NoScheduleError(on, schedules[0].info.effective_from)
    return current[-1]


@dataclass(frozen=True, slots=True)
class BaseValue:
    since: dt.date
    value: Decimal
    source: str


@lru_cache(maxsize=1)
def base_values() -> tuple[BaseValue, ...]:
    raw = tomllib.loads((DATA / "base_values.toml").read_text(encoding="utf-8"))
    return tuple(
        sorted(
            (
                BaseValue(dt.date.fromisoformat(k), Decimal(v), raw["source"])
                for k, v in raw["values"].items()
            ),
            key=lambda b: b.since,
        )
    )


def base_value_on(on: dt.date) -> BaseValue | None:
    """The base value in force on `on`, or None before the first recorded one."""
    found = [b for b in base_values() if b.since <= on]
    return found[-1] if found else None
