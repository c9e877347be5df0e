"""When to alert about which deadline: pure functions of the facts, the user's settings, what
was already alerted, and the present moment (no store: `next_alert.py` writes what they plan).

Rules (the deadlines are those of docs/RULES.md §2):
- Every open deadline is alerted `lead_days` before its effective last day (default 90, 30, 7,
  1 and 0 days), at the user's alert time (default 10:00) in the user's zone (default the
  configured zone, Europe/Minsk), never inside quiet hours (default 22:00–08:00: a moment in
  them moves to their end; one that would then fall after the last day is dropped).
- Grace periods (`conditional == "late_surcharge_50"`: `annual_N_grace`, `grant_fee_grace`):
  an alert on the first day of grace, then `grace_lead_days` (default 30 and 7) before it ends;
  the item quotes the surcharged amount.
- `entry_reinstatement` (`if_entry_missed`): alerted only once the entry deadline has passed
  with no entry recorded — the day after it, then at the usual lead times; after an entry
  made late, at the usual lead times (the request for reinstatement is still due, BY.16).
- `translation` (`if_not_at_entry`): alerted once an entry is recorded (it is not closed by
  the entry: it may follow within 2 months) or once the entry deadline passed unmet; until
  then the entry deadline's own alerts cover it.
- `national_fee_invitation` (`if_fee_not_paid_at_entry`) only exists after an incomplete
  entry, and is alerted like any deadline.
- Catch-up: of the alert moments of one deadline that passed without being sent (the bot was
  down, the case came late, the deadline was just opened by an event) only the latest is sent,
  at once (out of quiet hours); older lead times are skipped. A deadline whose last day is over
  is never alerted.
- One message per case: the items whose alert falls on the same local day go out together,
  at the earliest of their moments.
- An import is told in one summary message (the chat's /import), not one alert per case: the
  moments that had passed when it was saved are marked done (`told`); later ones are alerted.
- Annual fees: the engine reports the first unpaid year. Where its grace is already over with
  no payment recorded (an old case imported without its payments), the planner assumes the
  fees up to the current year were paid — else the right has lapsed and no alert helps — and
  says so in the alert (`assumed_paid_through`).

What was alerted is kept per case as {"code@date": moment}: moments at or before it are done.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import lru_cache
from zoneinfo import ZoneInfo

from core.calendar import shift_to_working_day
from core.deadlines import (
    WITH_GRANT_FEE,
    CaseFacts,
    EventKind,
    compute,
    due_of,
    entry_late,
    first_annual_year,
    last_annual_year,
    next_annual_dues,
)
from core.lifecycle import deadline_warnings
from core.models import Deadline
from core.reminders.models import AlertItem, Lead

DEFAULT_TZ = "Europe/Minsk"
DEFAULT_ALERT_TIME = dt.time(10, 0)
DEFAULT_QUIET_START = dt.time(22, 0)
DEFAULT_QUIET_END = dt.time(8, 0)
DEFAULT_LEAD_DAYS: tuple[int, ...] = (90, 30, 7, 1, 0)
DEFAULT_GRACE_LEAD_DAYS: tuple[int, ...] = (30, 7)
GRACE = "late_surcharge_50"
ENTRY_MISSED = "if_entry_missed"
NOT_AT_ENTRY = "if_not_at_entry"
ONE_DAY = dt.timedelta(days=1)


@lru_cache(maxsize=256)
def zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


@dataclass(frozen=True, slots=True)
class Prefs:
    """A user's alert settings, defaults filled in."""

    tz: ZoneInfo = field(default_factory=lambda: zone(DEFAULT_TZ))
    alert_time: dt.time = DEFAULT_ALERT_TIME
    quiet_start: dt.time = DEFAULT_QUIET_START
    quiet_end: dt.time = DEFAULT_QUIET_END
    lead_days: tuple[int, ...] = DEFAULT_LEAD_DAYS
    grace_lead_days: tuple[int, ...] = DEFAULT_GRACE_LEAD_DAYS

    def at(self, day: dt.date, time: dt.time) -> dt.datetime:
        return dt.datetime.combine(day, time, tzinfo=self.tz)

    def is_quiet(self, moment: dt.datetime) -> bool:
        t = moment.astimezone(self.tz).time()
        qs, qe = self.quiet_start, self.quiet_end
        if qs == qe:
            return False
        if qs < qe:
            return qs <= t < qe
        return t >= qs or t < qe

    def out_of_quiet(self, moment: dt.datetime) -> dt.datetime:
        """`moment`, or the end of the quiet hours it falls in."""
        if not self.is_quiet(moment):
            return moment
        local = moment.astimezone(self.tz)
        end = self.at(local.date(), self.quiet_end)
        if end <= local:
            end = self.at(local.date() + ONE_DAY, self.quiet_end)
        return end

    def today(self, now: dt.datetime) -> dt.date:
        return now.astimezone(self.tz).date()


@dataclass(frozen=True, slots=True)
class Plan:
    """The next alert of a case; with no items, only the moment to plan again."""

    fire: dt.datetime
    items: tuple[AlertItem, ...]
    assumed_paid_through: int | None = None


def _stale(deadlines: list[Deadline], today: dt.date) -> int | None:
    """The annual year whose every deadline is already over, if any (a year paid with the
    grant fee runs as long as the grant fee's grace)."""
    by_code = {d.code: d for d in deadlines}
    years: dict[int, bool] = {}
    for d in deadlines:
        if d.year is not None and d.code.startswith("annual_"):
            years[d.year] = years.get(d.year, True) and last_day(d, by_code) < today
    stale = [y for y, over in years.items() if over]
    return max(stale) if stale else None


def _stale_before_compute(facts: CaseFacts, today: dt.date) -> int | None:
    """`_stale(compute(facts), today)` from the annual fees alone — cheaper, and most cases
    an old import brings have one: the first `compute` can then be skipped. (The last day of
    a fee's grace ends after its due day, and moving both to working days keeps that order.)"""
    over = [
        due.year
        for due in next_annual_dues(facts)
        if shift_to_working_day(due.grace_end or due.due).effective < today
    ]
    return max(over) if over else None


def _over(facts: CaseFacts, year: int, today: dt.date) -> bool:
    """The fee for `year` is past its grace (with a few days' slack for holidays)."""
    due = due_of(facts, year)
    return due is not None and (due.grace_end or due.due) < today - dt.timedelta(days=10)


def open_deadlines(facts: CaseFacts, today: dt.date) -> tuple[list[Deadline], int | None]:
    """`compute(facts)`, with annual fees whose grace is over assumed paid (see module doc).

    Returns the deadlines and the last year assumed paid (None where nothing was assumed).
    """
    assumed: int | None = None
    stale = _stale_before_compute(facts, today)
    deadlines = None if stale is not None else compute(facts)
    for _ in range(4):
        if deadlines is not None:
            stale = _stale(deadlines, today)
        if stale is None:
            break
        last = last_annual_year(facts.kind, facts.has(EventKind.EXTENDED_TERM))

        through = stale
        # jump close to the current year (an under-estimate), then walk year by year
        guess = min(last, ((today - facts.filing).days - 200) // 366)
        if guess > stale + 1 and _over(facts, guess, today):
            through = guess
        for year in range(max(through + 1, first_annual_year(facts.kind)), last + 1):
            due = due_of(facts, year)
            if due is None:
                break
            end = due.grace_end or due.due
            # a few days' slack for a last day moved by holidays; compute() decides below
            if end >= today - dt.timedelta(days=10):
                break
            through = year
        assumed = through
        deadlines = compute(facts, paid_through=through)
    assert deadlines is not None
    return deadlines, assumed


def _base_code(code: str) -> str:
    return code.removesuffix("_grace")


def last_day(d: Deadline, by_code: dict[str, Deadline]) -> dt.date:
    """The last legal day for snoozing an item: an annual or grant fee's grace end (for a
    utility-model year paid with the grant fee, the grant fee's)."""
    own = "grant_fee" if d.conditional == WITH_GRANT_FEE else _base_code(d.code)
    grace = by_code.get(f"{own}_grace")
    return grace.date if grace is not None and grace.date > d.date else d.date


def slots(
    d: Deadline, by_code: dict[str, Deadline], facts: CaseFacts, prefs: Prefs
) -> tuple[tuple[int, str], ...]:
    """Every alert moment of one deadline (unix seconds, quiet hours applied), earliest first."""
    start: dt.date | None = None
    leads = prefs.lead_days
    start_lead: str | None = None
    if d.conditional == GRACE:
        base = by_code.get(_base_code(d.code))
        if base is not None:
            start, start_lead = base.date + ONE_DAY, Lead.GRACE_START.value
        leads = prefs.grace_lead_days
    elif d.conditional == ENTRY_MISSED:
        entry = by_code.get("national_phase_entry")
        if entry is not None:
            start, start_lead = entry.date + ONE_DAY, Lead.ENTRY_MISSED.value
        elif not entry_late(facts):
            return ()
        # else the entry was made late: the request for reinstatement and its fee are still
        # due by this date (BY.16), alerted at the usual lead times
    elif d.conditional == NOT_AT_ENTRY and not (
        facts.has(EventKind.ENTRY_INCOMPLETE) or facts.has(EventKind.ENTRY_MADE)
    ):
        # before any entry the entry deadline's alerts cover it; once that passed unmet, the
        # translation is alerted with the reinstatement route
        entry = by_code.get("national_phase_entry")
        if entry is None:
            return ()
        start, start_lead = entry.date + ONE_DAY, Lead.ENTRY_MISSED.value
    return _moments(d.date, start, start_lead, leads, prefs)


@lru_cache(maxsize=65536)
def _moments(
    last: dt.date,
    start: dt.date | None,
    start_lead: str | None,
    leads: tuple[int, ...],
    prefs: Prefs,
) -> tuple[tuple[int, str], ...]:
    days: list[tuple[dt.date, str]] = []
    if start is not None and start_lead is not None:
        days.append((start, start_lead))
    days.extend((last - dt.timedelta(days=n), str(n)) for n in leads)
    end = prefs.at(last + ONE_DAY, dt.time(0))
    found: dict[int, str] = {}
    for day, lead in days:
        if start is not None and day < start:
            continue
        moment = prefs.out_of_quiet(prefs.at(day, prefs.alert_time))
        stamp = int(moment.timestamp())
        if moment < end and stamp not in found:
            found[stamp] = lead
    return tuple(sorted(found.items()))


@dataclass(frozen=True, slots=True)
class _Candidate:
    fire: dt.datetime
    moment: int
    lead: str
    deadline: Deadline


def plan_next(
    facts: CaseFacts, prefs: Prefs, state: dict[str, int], now: dt.datetime
) -> Plan | None:
    """The next alert of a case, or None when nothing is left to alert."""
    today = prefs.today(now)
    deadlines, assumed = open_deadlines(facts, today)
    by_code = {d.code: d for d in deadlines}
    candidates: list[_Candidate] = []
    now_ts = now.timestamp()
    for d in deadlines:
        if d.date < today:
            continue
        done = state.get(f"{d.code}@{d.date.isoformat()}")
        pending = [s for s in slots(d, by_code, facts, prefs) if done is None or s[0] > done]
        if not pending:
            continue
        past = [p for p in pending if p[0] <= now_ts]
        if past:
            stamp, lead = past[-1]
            fire = prefs.out_of_quiet(now)
            if fire >= prefs.at(d.date + ONE_DAY, dt.time(0)):
                continue  # the quiet hours outlast the last day
        else:
            stamp, lead = pending[0]
            fire = dt.datetime.fromtimestamp(stamp, prefs.tz)
        candidates.append(_Candidate(fire, stamp, lead, d))
    if not candidates:
        # Nothing left to alert now; where a deadline is still running, look again the day
        # after the last one ends (an annual fee then rolls on to the next year).
        running = [d.date for d in deadlines if d.date >= today]
        if not running:
            return None
        recheck = prefs.out_of_quiet(prefs.at(max(running) + ONE_DAY, prefs.alert_time))
        return Plan(recheck, (), assumed) if recheck > now else None
    first = min(c.fire for c in candidates)
    day = first.astimezone(prefs.tz).date()
    chosen = [c for c in candidates if c.fire.astimezone(prefs.tz).date() == day]
    items = tuple(
        AlertItem(
            code=c.deadline.code,
            date=c.deadline.date,
            nominal=c.deadline.nominal,
            basis=c.deadline.basis,
            conditional=c.deadline.conditional,
            year=c.deadline.year,
            amount=c.deadline.amount,
            late_amount=c.deadline.late_amount,
            days_left=(c.deadline.date - day).days,
            lead=c.lead,
            last_day=last_day(c.deadline, by_code),
            moment=c.moment,
            skipped=c.deadline.skipped,
            warnings=deadline_warnings(c.deadline, facts, day, by_code),
        )
        for c in sorted(chosen, key=lambda c: (c.deadline.date, c.deadline.code))
    )
    return Plan(first, items, assumed)


def due_now(
    facts: CaseFacts,
    prefs: Prefs,
    state: dict[str, int],
    now: dt.datetime,
    deadlines: list[Deadline] | None = None,
) -> list[tuple[Deadline, int]]:
    """The open deadlines a catch-up alert would tell of now — each with its latest alert
    moment already past and not yet done — with that moment. `deadlines`: `open_deadlines`
    of the case today, where the caller has them."""
    today = prefs.today(now)
    if deadlines is None:
        deadlines, _ = open_deadlines(facts, today)
    by_code = {d.code: d for d in deadlines}
    now_ts = now.timestamp()
    found: list[tuple[Deadline, int]] = []
    for d in deadlines:
        if d.date < today:
            continue
        done = state.get(f"{d.code}@{d.date.isoformat()}")
        past = [s for s, _lead in slots(d, by_code, facts, prefs) if s <= now_ts]
        if past and (done is None or past[-1] > done):
            found.append((d, past[-1]))
    return found


def told(facts: CaseFacts, prefs: Prefs, state: dict[str, int], now: dt.datetime) -> dict[str, int]:
    """The alert state once a summary (an import's) has told the user of every deadline a
    catch-up alert would bring now (`due_now`): those moments are done, so no alert repeats
    the summary; the moments still to come are alerted as usual."""
    new = dict(state)
    for d, moment in due_now(facts, prefs, state, now):
        key = f"{d.code}@{d.date.isoformat()}"
        new[key] = max(new.get(key, 0), moment)
    return new


def after_sent(state: dict[str, int], items: tuple[AlertItem, ...]) -> dict[str, int]:
    """The alert state once `items` went out: their moments and everything before are done."""
    new = dict(state)
    for item in items:
        new[item.key] = max(new.get(item.key, 0), item.moment)
    return new


def prune(state: dict[str, int], facts: CaseFacts, today: dt.date) -> dict[str, int]:
    """Drops the keys of deadlines that are no longer open (keeps the state small)."""
    deadlines, _ = open_deadlines(facts, today)
    keys = {f"{d.code}@{d.date.isoformat()}" for d in deadlines}
    return {k: v for k, v in state.items() if k in keys}


def snooze_until(
    items: tuple[AlertItem, ...], prefs: Prefs, now: dt.datetime, days: int
) -> dt.datetime | None:
    """When a snoozed alert comes back: `days` later, never past the last legal day of its
    items (at the alert time), out of quiet hours; None where every last day is over."""
    today = prefs.today(now)
    open_items = [i for i in items if i.last_day >= today]
    if not open_items:
        return None
    wanted = prefs.out_of_quiet(now + dt.timedelta(days=days))
    cap_day = min(i.last_day for i in open_items)
    cap = prefs.out_of_quiet(prefs.at(cap_day, prefs.alert_time))
    if cap >= prefs.at(cap_day + ONE_DAY, dt.time(0)):
        cap = prefs.at(cap_day, prefs.quiet_start) - dt.timedelta(minutes=1)
    fire = min(wanted, cap)
    return max(fire, prefs.out_of_quiet(now))
