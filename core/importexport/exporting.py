"""Export: a user's cases as CSV (`core.importexport.csvformat`) or as an iCalendar file —
the cases the user sees: their own, then each team's of theirs (`accounts_of`); a team's
account (the command line's `--team`) exports that team's alone.

ICS: one calendar per user, all-day events (no time-zone surprises) for every open deadline,
each with alarms at the user's lead times (at the user's alert time on that day).

Exports read the cases a page (`EXPORT_PAGE`) at a time, each page its own transaction, and
render one case at a time: memory stays flat, and other users are served between pages.
`export_csv_parts` cuts a large table into files of at most `CSV_PART_CASES` cases; the bot makes
no calendar above `ICS_MAX_CASES` cases (≈4 KB a case: the file would near Telegram's 50 MB).
"""

from __future__ import annotations

import asyncio
import csv
import datetime as dt
import io
from collections.abc import AsyncIterator
from typing import TYPE_CHECKING

from core.importexport.csvformat import csv_header, csv_row
from core.storage import Case, StoredEvent, case_facts
from core.text import for_ics

if TYPE_CHECKING:
    from core.i18n import Translator
    from core.reminders import Reminders
    from core.reminders.timing import Prefs

MAX_ROWS = 2_000_000  # `export_csv`: the whole table in one text
EXPORT_PAGE = 200  # cases per transaction
CSV_PART_CASES = 10_000  # cases per CSV file of a split export
ICS_MAX_CASES = 5_000  # cases in one calendar file


CasePage = list[tuple[Case, list[StoredEvent]]]


async def accounts_of(reminders: Reminders, owner: int) -> list[tuple[int, str | None]]:
    """The accounts whose cases `owner` sees, each with its team's name: their own (None),
    then each team of theirs — or, for a team's account, that team alone."""
    from core.teams.models import team_of

    async with reminders.store.transaction() as tx:
        team_id = team_of(owner)
        if team_id is not None:
            team = await tx.teams.get(team_id)
            return [(owner, team.name if team is not None else None)]
        return [(owner, None), *((t.account, t.name) for t, _m in await tx.teams.of_user(owner))]


async def count_cases(reminders: Reminders, owner: int) -> int:
    """How many cases `owner` sees (their own and their teams')."""
    total = 0
    for account, _team in await accounts_of(reminders, owner):
        async with reminders.store.transaction() as tx:
            total += await tx.cases.count(account)
    return total


async def case_pages(
    reminders: Reminders, owner: int, size: int = EXPORT_PAGE
) -> AsyncIterator[CasePage]:
    """The owner's cases with their events, `size` at a time, each page its own transaction."""
    after: tuple[str, int] | None = None
    while True:
        async with reminders.store.transaction() as tx:
            cases = await tx.cases.page(owner, after, size)
            page = [(case, await tx.cases.events(owner, case.id)) for case in cases]
        if not page:
            return
        yield page
        after = (cases[-1].ref, cases[-1].id)
        await asyncio.sleep(0)


async def export_csv(reminders: Reminders, owner: int) -> str:
    parts = [part async for part in export_csv_parts(reminders, owner, MAX_ROWS)]
    return parts[0] if parts else csv_header()


async def export_csv_parts(
    reminders: Reminders, owner: int, part_cases: int = CSV_PART_CASES
) -> AsyncIterator[str]:
    """The cases `owner` sees (their own, then each team's: `accounts_of`) as CSV texts of at
    most `part_cases` cases each (header in each)."""
    out, rows = io.StringIO(csv_header()), 0
    out.seek(0, io.SEEK_END)
    writer = csv.writer(out, lineterminator="\n")
    for account, team in await accounts_of(reminders, owner):
        async for page in case_pages(reminders, account):
            for case, events in page:
                if rows == part_cases:
                    yield out.getvalue()
                    out, rows = io.StringIO(csv_header()), 0
                    out.seek(0, io.SEEK_END)
                    writer = csv.writer(out, lineterminator="\n")
                writer.writerow(csv_row(account, case, events, team))
                rows += 1
    if rows:
        yield out.getvalue()


async def export_ics(reminders: Reminders, owner: int) -> bytes:
    """One calendar of the owner's open deadlines: all-day events with alarms at lead times."""
    return b"".join([chunk async for chunk in export_ics_chunks(reminders, owner)])


async def export_ics_chunks(reminders: Reminders, owner: int) -> AsyncIterator[bytes]:
    """`export_ics` a case at a time (the calendar's head, each case's events, its end)."""
    from icalendar import Calendar

    from core.i18n import translator

    cal = Calendar()
    cal.add("prodid", "-//pctby//PCT national phase BY//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", "pctby")
    head = bytes(cal.to_ical())
    end = b"END:VCALENDAR\r\n"
    yield head[: -len(end)]
    stamp = reminders.store.clock()
    async with reminders.store.transaction() as tx:
        user = await tx.users.get(owner)
    prefs = reminders.prefs(user)
    t = translator(user.language if user else None)
    for account, team in await accounts_of(reminders, owner):
        async for page in case_pages(reminders, account):
            yield b"".join(
                _ics_events(t, prefs, stamp, case, events, team) for case, events in page
            )
    yield end


def _ics_events(
    t: Translator,
    prefs: Prefs,
    stamp: dt.datetime,
    case: Case,
    events: list[StoredEvent],
    team: str | None = None,
) -> bytes:
    """The case's open deadlines as VEVENTs, each with its alarms."""
    from icalendar import Alarm
    from icalendar import Event as IcsEvent

    from core.labels import CONDITION_LABELS, deadline_label
    from core.reminders.timing import GRACE, open_deadlines

    today = prefs.today(stamp)
    alert_offset = dt.timedelta(hours=prefs.alert_time.hour, minutes=prefs.alert_time.minute)
    facts = case_facts(case, events)
    deadlines, _assumed = open_deadlines(facts, today)
    ref = case.ref if team is None else f"{team}/{case.ref}"  # TEAM/REF: as the chat names it
    out: list[bytes] = []
    for d in deadlines:
        if d.date < today:
            continue
        label = t.fmt(deadline_label(d.code), year=d.year)
        ev = IcsEvent()
        ev.add("uid", f"{case.id}-{d.code}-{d.date.isoformat()}@pctby")
        ev.add("dtstamp", stamp)
        ev.add("dtstart", d.date)
        ev.add("dtend", d.date + dt.timedelta(days=1))
        ev.add("summary", for_ics(f"{ref}: {label}"))
        lines = [f"{d.basis}"]
        if d.conditional:
            lines.append(t.gettext(CONDITION_LABELS.get(d.conditional, d.conditional)))
        if d.amount is not None:
            lines.append(t.money(d.amount))
        if d.shifted:
            lines.append(f"{d.nominal.isoformat()} → {d.date.isoformat()}")
        ev.add("description", for_ics("\n".join(lines)))
        ev.add("transp", "TRANSPARENT")
        leads = prefs.grace_lead_days if d.conditional == GRACE else prefs.lead_days
        for n in leads:
            alarm = Alarm()
            alarm.add("action", "DISPLAY")
            alarm.add("description", for_ics(f"{ref}: {label}"))
            alarm.add("trigger", -dt.timedelta(days=n) + alert_offset)
            ev.add_component(alarm)
        out.append(bytes(ev.to_ical()))
    return b"".join(out)
