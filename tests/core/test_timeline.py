"""What the timeline says (core/timeline.py), without drawing it: every row and fact in the
user's language, each deadline's status and colour, the axis from the first fact to the last
deadline. The picture itself is tested in tests/draw/; that core never imports matplotlib (an
installation without the `timeline` extra still computes all of this), in
tests/test_architecture.py."""

from __future__ import annotations

import datetime as dt

from core.deadlines import CaseFacts, Event, EventKind, compute
from core.i18n import translator
from core.models import Deadline, Kind
from core.timeline import (
    DUE_TODAY,
    FACT_LABELS,
    OPEN,
    OVERDUE,
    PICTURE_MISSING,
    Status,
    build_timeline,
    past_facts,
)

TODAY = dt.date(2026, 12, 1)
PATENT = CaseFacts(kind=Kind.PATENT, priority=dt.date(2024, 3, 15), filing=dt.date(2025, 3, 10))


def test_rows_are_the_open_deadlines_earliest_first_with_their_status() -> None:
    deadlines = compute(PATENT)
    timeline = build_timeline(PATENT, deadlines, TODAY, translator("en"), title="Case A-1")
    assert [r.deadline for r in timeline.rows] == sorted(deadlines, key=lambda d: d.date)
    entry = next(r for r in timeline.rows if r.deadline.code == "national_phase_entry")
    assert entry.status is Status.OVERDUE and entry.colour == OVERDUE
    assert (entry.date_text, entry.title, entry.note) == (
        "Oct 15, 2026",
        "Entry into the national phase",
        "47 days overdue",  # 15 October 2026 → 1 December 2026
    )
    exam = next(r for r in timeline.rows if r.deadline.code == "examination_request")
    assert exam.status is Status.OPEN and exam.colour == OPEN and exam.note is None
    assert (timeline.title, timeline.empty_text) == ("Case A-1", None)
    assert timeline.today_text == "Today, Dec 1, 2026"


def test_a_deadline_due_today_is_not_overdue() -> None:
    due = Deadline(code="grant_fee", nominal=TODAY, date=TODAY, basis="BY.19")
    [row] = build_timeline(PATENT, [due], TODAY, translator("en")).rows
    assert row.status is Status.DUE_TODAY and row.colour == DUE_TODAY != OVERDUE
    assert row.note == "today is the last day"


def test_a_conditional_deadline_is_hollow_but_a_grace_period_is_not() -> None:
    lapsed = CaseFacts(
        kind=Kind.PATENT,
        filing=dt.date(2020, 3, 10),
        events=(Event(kind=EventKind.ENTRY_MADE, date=dt.date(2022, 9, 1)),),
    )
    rows = build_timeline(lapsed, compute(lapsed), TODAY, translator("en")).rows
    by_code = {r.deadline.code: r for r in rows}
    grace = next(r for code, r in by_code.items() if code.endswith("_grace"))
    assert grace.deadline.conditional == "late_surcharge_50" and not grace.hollow
    for r in rows:
        assert r.hollow == (r.deadline.conditional not in (None, "late_surcharge_50")), r


def test_the_axis_runs_from_the_first_fact_to_the_last_deadline() -> None:
    timeline = build_timeline(PATENT, compute(PATENT), TODAY, translator("en"))
    assert timeline.start == dt.date(2024, 3, 15)  # the priority date
    assert timeline.end == max(d.date for d in compute(PATENT))
    empty = build_timeline(PATENT, [], dt.date(2030, 1, 1), translator("ru"))
    assert (empty.start, empty.end, empty.rows) == (dt.date(2024, 3, 15), dt.date(2030, 1, 1), ())
    assert empty.empty_text == "Открытых сроков нет."


def test_russian_and_belarusian_words() -> None:
    ru = build_timeline(PATENT, compute(PATENT), TODAY, translator("ru"))
    assert ru.rows[0].title == "Переход на национальную фазу"
    assert ru.rows[0].note == "просрочено на 47 дней"
    assert " ".join(ru.today_text.split()) == "Сегодня, 1 дек. 2026 г."  # a narrow no-break space
    assert ru.and_more[2] == "и ещё 2"  # facts that share one label: priority, filing
    be = build_timeline(PATENT, compute(PATENT), TODAY, translator("be"))
    assert " ".join(be.today_text.split()) == "Сёння, 1 снежня 2026 г."  # not CLDR's "1 сне"
    assert be.facts[0].label == "Дата прыярытэту"


def test_every_event_kind_has_a_label_in_every_language() -> None:
    assert set(EventKind) <= set(FACT_LABELS)
    for lang in ("ru", "be"):
        t = translator(lang)
        for kind, msgid in FACT_LABELS.items():
            assert t.gettext(msgid) != msgid, (lang, kind)
        assert t.gettext(PICTURE_MISSING) != PICTURE_MISSING


def test_facts_are_priority_filing_and_events_in_date_order() -> None:
    t = translator("en")
    facts = CaseFacts(
        priority=dt.date(2024, 3, 15),
        filing=dt.date(2025, 3, 10),
        events=(
            Event(kind=EventKind.EXAMINATION_REQUESTED, date=dt.date(2026, 11, 2)),
            Event(kind=EventKind.ENTRY_MADE, date=dt.date(2026, 9, 1)),
        ),
    )
    assert [(f.date.isoformat(), f.label, f.date_text) for f in past_facts(facts, t)] == [
        ("2024-03-15", "Priority date", "Mar 15, 2024"),
        ("2025-03-10", "International filing date", "Mar 10, 2025"),
        ("2026-09-01", "National phase entered", "Sep 1, 2026"),
        ("2026-11-02", "Examination requested", "Nov 2, 2026"),
    ]
    no_priority = CaseFacts(filing=dt.date(2025, 3, 10))
    assert [f.label for f in past_facts(no_priority, t)] == ["International filing date"]
