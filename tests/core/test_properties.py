"""Properties of every computed deadline (hypothesis)."""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from core.calendar import is_working_day
from core.deadlines import compute, facts_from
from core.models import Kind

dates = st.dates(dt.date(2015, 1, 1), dt.date(2030, 12, 31))


@st.composite
def cases(draw: st.DrawFn) -> tuple[dt.date, dt.date, Kind, dt.date | None, dt.date | None]:
    priority = draw(dates)
    filing = priority + dt.timedelta(days=draw(st.integers(0, 366)))
    kind = draw(st.sampled_from(list(Kind)))
    entry = draw(st.none() | st.just(filing + dt.timedelta(days=draw(st.integers(300, 900)))))
    grant = draw(st.none() | st.just(filing + dt.timedelta(days=draw(st.integers(600, 2000)))))
    return priority, filing, kind, entry, grant


@settings(max_examples=300, deadline=None)
@given(cases())
def test_effective_is_the_first_working_day_on_or_after_nominal(
    case: tuple[dt.date, dt.date, Kind, dt.date | None, dt.date | None],
) -> None:
    priority, filing, kind, entry, grant = case
    facts = facts_from(
        priority=priority, filing=filing, kind=kind, entry=entry, grant_decision=grant
    )
    for d in compute(facts):
        assert d.date >= d.nominal
        assert is_working_day(d.date)
        day = d.nominal
        while day < d.date:
            assert not is_working_day(day), (d, day)
            day += dt.timedelta(days=1)


@settings(max_examples=300, deadline=None)
@given(cases(), st.integers(1, 400), st.integers(0, 400))
def test_later_inputs_never_give_earlier_deadlines(
    case: tuple[dt.date, dt.date, Kind, dt.date | None, dt.date | None], dp: int, df: int
) -> None:
    priority, filing, kind, entry, grant = case
    before = {
        d.code: d
        for d in compute(
            facts_from(
                priority=priority, filing=filing, kind=kind, entry=entry, grant_decision=grant
            )
        )
    }
    later_priority = priority + dt.timedelta(days=dp)
    later_filing = max(filing + dt.timedelta(days=df), later_priority)
    after = {
        d.code: d
        for d in compute(
            facts_from(
                priority=later_priority,
                filing=later_filing,
                kind=kind,
                entry=entry,
                grant_decision=grant,
            )
        )
    }
    for code, d in before.items():
        if code in after:
            assert after[code].nominal >= d.nominal, code
            assert after[code].date >= d.date, code
