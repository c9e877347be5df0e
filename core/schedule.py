"""Fee schedules (Annex BY.I) and base values, loaded from `core/data/` (rules as data)."""

from __future__ import annotations

import datetime as dt
import tomllib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any

from core.errors import N_, InputError
from core.errors import ScheduleProblems as ScheduleProblems  # imported from here
from core.models import Kind, ScheduleInfo, money

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


def _from_raw(raw: dict[str, Any]) -> FeeSchedule:
    info = ScheduleInfo(
        id=raw["id"],
        title=raw["title"],
        source=raw["source"],
        effective_from=raw["effective_from"],
        stated_for=raw["stated_for"],
        base_value=Decimal(raw["base_value"]),
        currency=raw["currency"],
        superseded_on=raw.get("superseded_on"),
        superseded_reason=raw.get("superseded_reason"),
        current_fees_at=raw.get("current_fees_at"),
    )
    kinds = {
        Kind.PATENT: _kind_fees(raw["patent"]),
        Kind.UTILITY_MODEL: _kind_fees(raw["utility_model"]),
    }
    pct = {k: Percent(Decimal(v["percent"]), v["basis"]) for k, v in raw["surcharges"].items()}
    red = {k: Percent(Decimal(v["percent"]), v["basis"]) for k, v in raw["reductions"].items()}
    return FeeSchedule(info, kinds, pct, red)


def _load(path: Path) -> FeeSchedule:
    return _from_raw(tomllib.loads(path.read_text(encoding="utf-8")))


@lru_cache(maxsize=4)
def load_schedules(folder: Path = DATA / "fees") -> tuple[FeeSchedule, ...]:
    """Every schedule in `folder`, oldest first."""
    found = [_load(p) for p in sorted(folder.glob("*.toml"))]
    if not found:
        raise FileNotFoundError(f"no fee schedule in {folder}")
    return tuple(sorted(found, key=lambda s: s.info.effective_from))


# Schedules installed at run time by the staff (`/schedule`, stored in the database and
# installed again at start-up): id → schedule, and the TOML document it came from.
_INSTALLED: dict[str, FeeSchedule] = {}
_DOCUMENTS: dict[str, str] = {}
# Caches elsewhere in core that hold amounts: cleared when the schedules change.
_ON_CHANGE: list[Callable[[], None]] = []


def on_change(hook: Callable[[], None]) -> None:
    _ON_CHANGE.append(hook)


def _changed() -> None:
    for hook in _ON_CHANGE:
        hook()


def install(schedule: FeeSchedule, document: str | None = None) -> None:
    """Puts `schedule` in force from its `effective_from` (replacing one with the same id)."""
    _INSTALLED[schedule.info.id] = schedule
    if document is not None:
        _DOCUMENTS[schedule.info.id] = document
    _changed()


def install_documents(documents: Sequence[str]) -> None:
    """Installs schedules stored earlier: at start-up, and in each worker process of a bulk
    replan. Each is read through the same strict model as when it was stored
    (`read_schedule`: `ScheduleProblems` for one that no longer passes)."""
    for document in documents:
        install(read_schedule(document), document)


def uninstall(schedule_id: str) -> None:
    """Takes the installed schedule `schedule_id` out of force (`/schedule undo`)."""
    _INSTALLED.pop(schedule_id, None)
    _DOCUMENTS.pop(schedule_id, None)
    _changed()


def installed_documents() -> tuple[str, ...]:
    return tuple(_DOCUMENTS[i] for i in sorted(_DOCUMENTS))


def installed_fingerprint() -> str:
    """What the installed schedules add to the rules that alert plans are made by."""
    return "\n".join(installed_documents())


def uninstall_all() -> None:
    """Forgets every installed schedule (tests; a process serving another database)."""
    _INSTALLED.clear()
    _DOCUMENTS.clear()
    _changed()


def previous(schedule: FeeSchedule) -> FeeSchedule:
    """The schedule `schedule` follows: the latest other one in force before it takes effect
    (the one a diff compares it with)."""
    others = [s for s in all_schedules() if s.info.id != schedule.info.id]
    before = [s for s in others if s.info.effective_from < schedule.info.effective_from]
    return (before or others)[-1]


def all_schedules(folder: Path = DATA / "fees") -> tuple[FeeSchedule, ...]:
    """The shipped schedules and the installed ones, oldest first."""
    shipped = load_schedules(folder)
    if not _INSTALLED:
        return shipped
    ids = {s.info.id for s in shipped}
    extra = [s for s in _INSTALLED.values() if s.info.id not in ids]
    return tuple(sorted((*shipped, *extra), key=lambda s: s.info.effective_from))


def schedule_for(on: dt.date, folder: Path = DATA / "fees") -> FeeSchedule:
    """The schedule in force on the payment date `on`."""
    schedules = all_schedules(folder)
    current = [s for s in schedules if s.info.effective_from <= on]
    if not current:
        raise NoScheduleError(on, schedules[0].info.effective_from)
    return current[-1]


# --- a schedule sent by the staff: validated, compared, installed ---------------------------


def reference_codes(reference: FeeSchedule) -> tuple[tuple[str, ...], ...]:
    """The fee codes every schedule must price: those the engine reads (the first shipped
    schedule's), per kind, then the surcharges and the reductions."""
    return (
        tuple(reference.kinds[Kind.PATENT].fees),
        tuple(reference.kinds[Kind.UTILITY_MODEL].fees),
        tuple(reference.surcharges),
        tuple(reference.reductions),
    )


def _kind_from(section: Any) -> KindFees:
    fees = {
        code: Fee(entry.bv, entry.basis)
        for code, entry in section
        if code != "annual" and entry is not None
    }
    bands = tuple(AnnualBand(a, b, bv) for a, b, bv in section.annual.bands)
    return KindFees(fees, bands, section.annual.basis)


def _from_document(doc: Any) -> FeeSchedule:
    """A schedule from its validated document (`core.schedule_document`)."""
    info = ScheduleInfo(
        id=doc.id,
        title=doc.title,
        source=doc.source,
        effective_from=doc.effective_from,
        stated_for=doc.stated_for,
        base_value=doc.base_value,
        currency=doc.currency,
        superseded_on=doc.superseded_on,
        superseded_reason=doc.superseded_reason,
        current_fees_at=doc.current_fees_at,
    )
    kinds = {Kind.PATENT: _kind_from(doc.patent), Kind.UTILITY_MODEL: _kind_from(doc.utility_model)}
    pct = {code: Percent(v.percent, v.basis) for code, v in doc.surcharges}
    red = {code: Percent(v.percent, v.basis) for code, v in doc.reductions}
    return FeeSchedule(info, kinds, pct, red)


def read_schedule(text: str) -> FeeSchedule:
    """A schedule document, validated in every part but its place among the others (a stored
    schedule, installed again at start-up); `ScheduleProblems` otherwise."""
    from core.schedule_document import read_document  # a staff document only: pydantic models

    return _from_document(read_document(text, reference_codes(load_schedules()[0])))


def _coverage(schedule: FeeSchedule, reference: FeeSchedule) -> list[InputError]:
    found: list[InputError] = []
    for kind, section in ((Kind.PATENT, "patent"), (Kind.UTILITY_MODEL, "utility_model")):
        want = [y for b in reference.kinds[kind].annual for y in range(b.first, b.last + 1)]
        got = [y for b in schedule.kinds[kind].annual for y in range(b.first, b.last + 1)]
        if got != want:  # (years bounded to 1..25 by the document's model before expanding)
            found.append(
                InputError(
                    N_(
                        "{section}.annual: the bands must cover years {first} to {last} in "
                        "order, each once."
                    ),
                    section=section,
                    first=want[0],
                    last=want[-1],
                )
            )
    return found


def parse_schedule(
    text: str,
    *,
    against: Sequence[FeeSchedule] | None = None,
    today: dt.date | None = None,
) -> FeeSchedule:
    """A fee schedule from a TOML document in the format of `core/data/fees/*.toml`, validated
    completely (`core.schedule_document`: types, ranges, sizes), then against the others:
    annual fees for the same years as the shipped schedule, dates in order, in force after the
    schedules it follows (`against`: the schedules on record), and — given `today` — not after
    the end of next year; an id of its own (not a shipped one, not one installed already:
    withdraw that first). `ScheduleProblems` with every problem, one sentence each."""
    schedules = tuple(against) if against is not None else all_schedules()
    reference = schedules[0]
    from core.schedule_document import read_document

    schedule = _from_document(read_document(text, reference_codes(reference)))
    info = schedule.info
    problems = _coverage(schedule, reference)
    if info.superseded_on is not None and info.superseded_on <= info.effective_from:
        problems.append(InputError(N_("superseded_on must be after effective_from.")))
    if info.superseded_on is not None and info.superseded_on <= info.stated_for:
        problems.append(InputError(N_("superseded_on must be after stated_for.")))
    if today is not None:
        last = dt.date(today.year + 1, 12, 31)
        if info.effective_from > last:
            problems.append(
                InputError(
                    N_("effective_from must not be after {date}, the end of next year."),
                    date=last.isoformat(),
                )
            )
    shipped = {s.info.id for s in load_schedules()}
    if info.id in shipped:
        problems.append(
            InputError(N_("The id “{id}” is a shipped schedule: choose a new id."), id=info.id)
        )
    elif info.id in {s.info.id for s in schedules}:
        problems.append(
            InputError(
                N_(
                    "The schedule “{id}” is installed already: give this one another id, or "
                    "withdraw that one first (/schedule undo)."
                ),
                id=info.id,
            )
        )
    if schedules and info.effective_from <= schedules[-1].info.effective_from:
        problems.append(
            InputError(
                N_("effective_from must be after {date}, when the latest schedule took effect."),
                date=schedules[-1].info.effective_from.isoformat(),
            )
        )
    if problems:
        raise ScheduleProblems(problems)
    return schedule


@dataclass(frozen=True, slots=True)
class Change:
    """One line of a schedule diff: `what` (e.g. `patent.filing`), old and new (None: absent)."""

    what: str
    old: str | None
    new: str | None


def diff(old: FeeSchedule, new: FeeSchedule) -> list[Change]:
    """What changes from `old` to `new`: the facts of the schedule and every amount in BYN."""
    changes: list[Change] = []

    def put(what: str, a: Any, b: Any) -> None:
        if a != b:
            changes.append(
                Change(what, None if a is None else str(a), None if b is None else str(b))
            )

    for key in ("id", "effective_from", "stated_for", "base_value", "superseded_on", "source"):
        put(key, getattr(old.info, key), getattr(new.info, key))
    for kind, section in ((Kind.PATENT, "patent"), (Kind.UTILITY_MODEL, "utility_model")):
        codes = dict.fromkeys([*old.kinds[kind].fees, *new.kinds[kind].fees])
        for code in codes:
            a = money(old.amount(kind, code)) if code in old.kinds[kind].fees else None
            b = money(new.amount(kind, code)) if code in new.kinds[kind].fees else None
            put(f"{section}.{code}", a, b)
        years = sorted(
            {
                y
                for s in (old, new)
                for band in s.kinds[kind].annual
                for y in range(band.first, band.last + 1)
            }
        )
        for year in years:
            a_amt, b_amt = old.annual_amount(kind, year), new.annual_amount(kind, year)
            put(
                f"{section}.annual_{year}",
                None if a_amt is None else money(a_amt),
                None if b_amt is None else money(b_amt),
            )
    for group in ("surcharges", "reductions"):
        mine, theirs = getattr(old, group), getattr(new, group)
        for code in dict.fromkeys([*mine, *theirs]):
            put(
                f"{group}.{code}",
                f"{mine[code].percent}%" if code in mine else None,
                f"{theirs[code].percent}%" if code in theirs else None,
            )
    return changes


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
