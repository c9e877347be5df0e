"""Planning of alerts (the deadlines of docs/RULES.md §2)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from core.deadlines import CaseFacts, Event, EventKind, facts_from
from core.models import Kind
from core.reminders import Prefs, plan_next
from core.reminders.timing import after_sent, snooze_until

MINSK = ZoneInfo("Europe/Minsk")
PREFS = Prefs()


def minsk(y: int, m: int, d: int, h: int = 10, mi: int = 0) -> dt.datetime:
    return dt.datetime(y, m, d, h, mi, tzinfo=MINSK)


def run_all(facts: CaseFacts, prefs: Prefs, start: dt.datetime, limit: int = 60):  # type: ignore[no-untyped-def]
    """Every alert the case gets from `start` on, sending each at its planned moment."""
    state: dict[str, int] = {}
    now = start
    out = []
    for _ in range(limit):
        plan = plan_next(facts, prefs, state, now)
        if plan is None:
            break
        now = max(now, plan.fire)
        if not plan.items:
            continue
        out.append((now, plan.items))
        state = after_sent(state, plan.items)
    return out


def test_annuity_alerts_at_90_30_7_1_0_then_grace_start_30_7_with_surcharge() -> None:
    # BY.12: patent filed 2022-03-04, entered: annual_5 due 2026-03-04, grace to 2026-09-04
    facts = facts_from(filing=dt.date(2022, 3, 4), entry=dt.date(2024, 9, 1))
    facts = facts.model_copy(
        update={
            "events": (
                *facts.events,
                Event(kind=EventKind.ANNUITY_PAID, date=dt.date(2025, 3, 1), year=4),
            )
        }
    )
    alerts = run_all(facts, PREFS, minsk(2025, 11, 1))
    seen = [(t, [(i.code, i.lead) for i in items]) for t, items in alerts[:8]]
    assert seen == [
        (minsk(2025, 12, 4), [("annual_5", "90")]),
        (minsk(2026, 2, 2), [("annual_5", "30")]),
        (minsk(2026, 2, 25), [("annual_5", "7")]),
        (minsk(2026, 3, 3), [("annual_5", "1")]),
        (minsk(2026, 3, 4), [("annual_5", "0")]),
        (minsk(2026, 3, 5), [("annual_5_grace", "grace_start")]),
        (minsk(2026, 8, 5), [("annual_5_grace", "30")]),
        (minsk(2026, 8, 28), [("annual_5_grace", "7")]),
    ]
    grace = alerts[5][1][0]
    assert grace.amount == grace.late_amount and grace.amount is not None
    assert alerts[0][1][0].amount is not None and grace.amount > alerts[0][1][0].amount
    assert alerts[0][1][0].last_day == dt.date(2026, 9, 4)  # snooze cap: end of grace


def test_catch_up_sends_only_the_latest_passed_lead_at_once() -> None:
    facts = facts_from(filing=dt.date(2022, 3, 4), entry=dt.date(2024, 9, 1))
    facts = facts.model_copy(
        update={
            "events": (
                *facts.events,
                Event(kind=EventKind.ANNUITY_PAID, date=dt.date(2025, 3, 1), year=4),
            )
        }
    )
    # added on 2026-02-27 at 15:00: the 90, 30 and 7-day moments of annual_5 have passed
    now = minsk(2026, 2, 27, 15)
    plan = plan_next(facts, PREFS, {}, now)
    assert plan is not None and plan.fire == now
    assert [(i.code, i.lead, i.days_left) for i in plan.items] == [("annual_5", "7", 5)]
    again = plan_next(facts, PREFS, after_sent({}, plan.items), now)
    assert again is not None and again.fire == minsk(2026, 3, 3)  # the 1-day alert


def test_catch_up_waits_for_the_end_of_quiet_hours() -> None:
    facts = facts_from(filing=dt.date(2022, 3, 4), entry=dt.date(2024, 9, 1))
    plan = plan_next(facts, PREFS, {}, minsk(2026, 2, 27, 23, 30))
    assert plan is not None and plan.fire == minsk(2026, 2, 28, 8)


def test_per_user_zone_time_and_quiet_hours() -> None:
    prefs = Prefs(tz=ZoneInfo("Asia/Tokyo"), alert_time=dt.time(23, 0))
    facts = facts_from(filing=dt.date(2022, 3, 4), entry=dt.date(2024, 9, 1))
    alerts = run_all(facts, prefs, dt.datetime(2025, 6, 1, tzinfo=dt.UTC))
    assert len(alerts) > 6
    for t, _items in alerts[1:]:  # the first is a catch-up, sent at once
        local = t.astimezone(prefs.tz)
        assert local.time() == dt.time(8, 0)  # 23:00 falls in quiet hours: moved to 08:00


def test_deadlines_due_together_go_out_as_one_message() -> None:
    # BY.08 examination request and BY.12 annual_4 both fall on IFD + 3 years
    translated = Event(kind=EventKind.TRANSLATION_FILED, date=dt.date(2025, 11, 1))
    facts = facts_from(filing=dt.date(2023, 5, 10), entry=dt.date(2025, 11, 1), events=[translated])
    plan = plan_next(facts, PREFS, {}, minsk(2026, 1, 12))
    assert plan is not None
    assert {i.code for i in plan.items} == {"annual_4", "examination_request"}
    assert {i.lead for i in plan.items} == {"90"}


def test_entry_reinstatement_only_after_the_entry_deadline_passed() -> None:
    # BY.16: priority 2024-01-15 → entry by 2026-08-17 (2026-08-15 is a Saturday)
    facts = facts_from(filing=dt.date(2025, 1, 10), priority=dt.date(2024, 1, 15))
    alerts = run_all(facts, PREFS, minsk(2026, 1, 1))
    reinst = [(t, i) for t, items in alerts for i in items if i.code == "entry_reinstatement"]
    entry = [i for _t, items in alerts for i in items if i.code == "national_phase_entry"]
    assert entry and reinst
    assert min(t for t, _ in reinst).date() > entry[0].date
    assert reinst[0][1].lead == "entry_missed"
    recorded = facts.model_copy(
        update={"events": (Event(kind=EventKind.ENTRY_MADE, date=dt.date(2026, 5, 1)),)}
    )
    assert not any(
        i.code == "entry_reinstatement"
        for _t, items in run_all(recorded, PREFS, minsk(2026, 1, 1))
        for i in items
    )


def test_old_case_without_payments_is_alerted_for_the_current_year() -> None:
    facts = facts_from(filing=dt.date(2012, 3, 4), entry=dt.date(2014, 9, 1))
    plan = plan_next(facts, PREFS, {}, minsk(2026, 1, 12))
    assert plan is not None and plan.assumed_paid_through == 14
    assert plan.items[0].code == "annual_15"


def test_snooze_never_passes_the_last_legal_day() -> None:
    facts = facts_from(filing=dt.date(2022, 3, 4), entry=dt.date(2024, 9, 1))
    plan = plan_next(facts, PREFS, {}, minsk(2026, 8, 30, 12))
    assert plan is not None
    last = plan.items[0].last_day
    when = snooze_until(plan.items, PREFS, minsk(2026, 8, 30, 12), 7)
    assert when is not None and when.astimezone(MINSK).date() <= last
    assert snooze_until(plan.items, PREFS, minsk(2026, 8, 30, 12), 1) == minsk(2026, 8, 31, 12)


@settings(max_examples=60, deadline=None)
@given(
    filing=st.dates(dt.date(2005, 1, 1), dt.date(2027, 12, 31)),
    back=st.integers(0, 365),
    kind=st.sampled_from(list(Kind)),
    entry=st.booleans(),
    start=st.datetimes(dt.datetime(2024, 1, 1), dt.datetime(2028, 1, 1)),
    tz=st.sampled_from(["Europe/Minsk", "America/New_York", "Asia/Kolkata", "Europe/London"]),
)
def test_planning_properties(
    filing: dt.date, back: int, kind: Kind, entry: bool, start: dt.datetime, tz: str
) -> None:
    """Alerts move forward in time, never in quiet hours, never after an item's last day,
    and each (deadline, lead) is sent at most once."""
    priority = filing - dt.timedelta(days=back)
    ev = [Event(kind=EventKind.ENTRY_MADE, date=filing + dt.timedelta(days=900))] if entry else []
    facts = CaseFacts(kind=kind, filing=filing, priority=priority, events=tuple(ev))
    prefs = Prefs(tz=ZoneInfo(tz))
    now = start.replace(tzinfo=dt.UTC)
    seen: set[tuple[str, str]] = set()
    last = now
    for t, items in run_all(facts, prefs, now, limit=40):
        assert t >= last
        last = t
        assert not prefs.is_quiet(t)
        assert items
        local_day = t.astimezone(prefs.tz).date()
        for item in items:
            assert local_day <= item.date
            assert item.days_left == (item.date - local_day).days >= 0
            key = (item.key, item.lead)
            assert key not in seen
            seen.add(key)


@settings(max_examples=300, deadline=None)
@given(
    filing=st.dates(dt.date(2000, 1, 1), dt.date(2027, 12, 31)),
    kind=st.sampled_from(list(Kind)),
    entry=st.booleans(),
    grant_after=st.one_of(st.none(), st.integers(100, 3000)),
    paid=st.sets(st.integers(1, 20), max_size=6),
    extended=st.booleans(),
    age=st.integers(0, 366 * 26),
)
def test_the_stale_year_is_found_without_computing_every_deadline(
    filing: dt.date,
    kind: Kind,
    entry: bool,
    grant_after: int | None,
    paid: set[int],
    extended: bool,
    age: int,
) -> None:
    """The planner's shortcut for old cases (`_stale_before_compute`) finds the same annual
    year whose grace is over as the full computation does."""
    from core.deadlines import compute
    from core.reminders.timing import _stale, _stale_before_compute

    ev = [Event(kind=EventKind.ANNUITY_PAID, date=filing, year=y) for y in sorted(paid)]
    if entry:
        ev.append(Event(kind=EventKind.ENTRY_MADE, date=filing + dt.timedelta(days=900)))
    if grant_after is not None:
        day = filing + dt.timedelta(days=grant_after)
        ev.append(Event(kind=EventKind.GRANT_DECISION_RECEIVED, date=day))
    if extended:
        ev.append(Event(kind=EventKind.EXTENDED_TERM, date=filing + dt.timedelta(days=7000)))
    facts = CaseFacts(kind=kind, filing=filing, events=tuple(ev))
    today = filing + dt.timedelta(days=age)
    assert _stale_before_compute(facts, today) == _stale(compute(facts), today)
