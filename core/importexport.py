"""Import of cases from CSV, export as CSV or iCalendar (`pctby import` / `pctby export`).

CSV columns (header required, any order): `telegram_user_id` (optional where a default user is
given), `ref`, `kind` (`patent` | `utility-model`), `priority_date` (optional), `filing_date`,
`entry_date` (optional), `grant_decision_date` (optional), `title` (optional). Dates ISO.

Import checks every row first and reports every bad row with its line number before anything
is written; then writes all rows in one transaction. Re-importing the same (user, ref) updates
the case, never duplicates it (the dates an import gave are replaced, what the user recorded
in the bot stays). A user who never talked to the bot is created with no language, so the bot
renders their alerts in its default language.

ICS: one calendar per user, all-day events (no time-zone surprises) for every open deadline,
each with alarms at the user's lead times (at the user's alert time on that day).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import itertools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, TextIO

from core.dates import MAX_YEAR, MIN_YEAR, parse_date
from core.deadlines import CaseFacts, Event, EventKind
from core.errors import N_, InputError
from core.lifecycle import check_event
from core.models import Kind
from core.storage import CaseInput, EventSource, case_facts
from core.text import clean

if TYPE_CHECKING:
    from core.reminders import Reminders

COLUMNS: tuple[str, ...] = (
    "telegram_user_id",
    "ref",
    "kind",
    "priority_date",
    "filing_date",
    "entry_date",
    "grant_decision_date",
    "title",
    "natural_person",
    "events",
)
EVENT_SEP = "|"  # between the events of one cell: never a CSV separator
REQUIRED: tuple[str, ...] = ("ref", "kind", "filing_date")
MAX_REF = 100
MAX_TITLE = 500
MAX_ROWS = 2_000_000


@dataclass(frozen=True, slots=True)
class ImportRow:
    line: int
    user_id: int
    case: CaseInput
    entry: dt.date | None
    grant_decision: dt.date | None
    events: tuple[Event, ...] = ()


@dataclass(frozen=True, slots=True)
class RowError:
    line: int
    error: InputError

    def __str__(self) -> str:
        return f"line {self.line}: {self.error}"


class ImportErrors(Exception):
    """Every bad row of a file (nothing was written)."""

    def __init__(self, errors: Sequence[RowError]) -> None:
        self.errors = tuple(errors)
        super().__init__("\n".join(str(e) for e in errors))


@dataclass(frozen=True, slots=True)
class ImportResult:
    created: int
    updated: int
    users: int


def _date(row: dict[str, str], column: str, required: bool = False) -> dt.date | None:
    text = (row.get(column) or "").strip()
    if not text:
        if required:
            raise InputError(N_("The column {column} is empty."), column=column)
        return None
    day = _day(text, column)
    if not MIN_YEAR <= day.year <= MAX_YEAR:
        raise InputError(
            N_("The year must be between {min} and {max}; got {year}."),
            min=MIN_YEAR,
            max=MAX_YEAR,
            year=day.year,
        )
    return day


def _day(text: str, column: str) -> dt.date:
    """A date cell: ISO (as the export writes) or as the chat reads them (15.03.2024)."""
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        pass
    try:
        return parse_date(text)
    except InputError:
        raise InputError(
            N_("{column}: {value!r} is not a date (write 2024-03-15 or 15.03.2024)."),
            column=column,
            value=text,
        ) from None


def events_cell(events: Iterable[Event]) -> str:
    """`entry_made:2026-10-01|annuity_paid:2027-03-10:4` — every recorded event."""
    return EVENT_SEP.join(
        f"{e.kind.value}:{e.date.isoformat()}" + ("" if e.year is None else f":{e.year}")
        for e in events
    )


def parse_events(text: str) -> tuple[Event, ...]:
    found: list[Event] = []
    for part in (p.strip() for p in text.split(EVENT_SEP)):
        if not part:
            continue
        kind, _, rest = part.partition(":")
        day, _, year = rest.partition(":")
        try:
            found.append(
                Event(
                    kind=EventKind(kind.strip()),
                    date=_day(day.strip(), "events"),
                    year=int(year) if year.strip() else None,
                )
            )
        except (ValueError, InputError):
            raise InputError(
                N_("events: {value!r} is not an event like entry_made:2026-10-01."),
                value=part[:60],
            ) from None
    return tuple(found)


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def cell(value: object) -> str:
    """A CSV cell a spreadsheet will not run: text starting with = + - @, a tab or a carriage
    return gets a leading apostrophe (which the import takes off again, `uncell`)."""
    text = str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def uncell(text: str) -> str:
    """The value of a cell written by `cell`."""
    return text[1:] if text.startswith("'") and text[1:].startswith(_FORMULA_START) else text


def _user(row: dict[str, str], default_user: int | None) -> int:
    """The row's owner: `default_user` where the import is for one user (the chat's /import,
    `--user`) — a file exported by another user is then taken over whole — else the row's
    telegram_user_id."""
    if default_user is not None:
        return default_user
    text = (row.get("telegram_user_id") or "").strip()
    if not text:
        raise InputError(N_("No telegram_user_id: give one in the row or with --user."))
    if not text.isdigit() or int(text) <= 0:
        raise InputError(N_("telegram_user_id: {value!r} is not a Telegram user id."), value=text)
    return int(text)


def parse_row(line: int, row: dict[str, str], default_user: int | None) -> ImportRow:
    user = _user(row, default_user)
    ref = clean(uncell((row.get("ref") or "").strip()))
    if not ref:
        raise InputError(N_("The column {column} is empty."), column="ref")
    if len(ref) > MAX_REF:
        raise InputError(N_("The ref is longer than {max} characters."), max=MAX_REF)
    kind_text = (row.get("kind") or "").strip()
    try:
        kind = Kind.parse(kind_text)
    except ValueError:
        raise InputError(
            N_("kind: {value!r} is neither patent nor utility-model."), value=kind_text
        ) from None
    filing = _date(row, "filing_date", required=True)
    assert filing is not None
    priority = _date(row, "priority_date")
    entry = _date(row, "entry_date")
    grant = _date(row, "grant_decision_date")
    title = clean(uncell((row.get("title") or "").strip()))
    if len(title) > MAX_TITLE:
        raise InputError(N_("The title is longer than {max} characters."), max=MAX_TITLE)
    CaseFacts(kind=kind, filing=filing, priority=priority)  # priority after filing → InputError
    for column, day in (("entry_date", entry), ("grant_decision_date", grant)):
        if day is not None and day < (priority or filing):
            raise InputError(
                N_("{column} {value} is before the priority date."),
                column=column,
                value=day.isoformat(),
            )
    natural = (row.get("natural_person") or "").strip().lower()
    if natural not in ("", "yes", "no", "true", "false", "1", "0"):
        raise InputError(N_("natural_person: {value!r} is neither yes nor no."), value=natural)
    events = parse_events(row.get("events") or "")
    facts = CaseFacts(kind=kind, filing=filing, priority=priority)
    for event in events:
        check_event(facts, event)
    case = CaseInput(ref, kind, filing, priority, title, natural in ("yes", "true", "1"))
    return ImportRow(line, user, case, entry, grant, events)


def parse_csv(stream: TextIO, default_user: int | None = None) -> list[ImportRow]:
    """Every row, checked; ImportErrors with every bad row (and its line number) otherwise."""
    lines = iter(stream)
    first = next(lines, "")
    # the chat's and Excel's habit in Belarus and Russia: ';' between columns
    delimiter = ";" if first.count(";") > first.count(",") else ","
    reader = csv.DictReader(itertools.chain([first], lines), delimiter=delimiter)
    header = [h.strip().lstrip("\ufeff") for h in (reader.fieldnames or [])]
    reader.fieldnames = header
    errors: list[RowError] = []
    missing = [c for c in REQUIRED if c not in header]
    if "telegram_user_id" not in header and default_user is None:
        missing.append("telegram_user_id")
    unknown = [c for c in header if c not in COLUMNS]
    if missing or unknown:
        if missing:
            errors.append(
                RowError(
                    1,
                    InputError(
                        N_("The header lacks the column(s) {columns}."),
                        columns=", ".join(missing),
                    ),
                )
            )
        if unknown:
            errors.append(
                RowError(
                    1,
                    InputError(
                        N_(
                            "Unknown column(s) {columns}; expected {expected}, separated by "
                            "commas or semicolons."
                        ),
                        columns=", ".join(unknown),
                        expected=", ".join(COLUMNS),
                    ),
                )
            )
        raise ImportErrors(errors)
    rows: list[ImportRow] = []
    seen: dict[tuple[int, str], int] = {}
    line = 1
    for raw in reader:
        line = reader.line_num
        if not any((v or "").strip() for v in raw.values() if isinstance(v, str)):
            continue  # blank line
        if None in raw:
            errors.append(
                RowError(line, InputError(N_("The row has more fields than the header.")))
            )
            continue
        try:
            row = parse_row(line, raw, default_user)
        except InputError as exc:
            errors.append(RowError(line, exc))
            continue
        key = (row.user_id, row.case.ref)
        if key in seen:
            errors.append(
                RowError(
                    line,
                    InputError(
                        N_("The ref {ref} of this user is already on line {first}."),
                        ref=row.case.ref,
                        first=seen[key],
                    ),
                )
            )
            continue
        seen[key] = line
        rows.append(row)
        if len(rows) > MAX_ROWS:
            errors.append(RowError(line, InputError(N_("Too many rows in one file."))))
            break
    if errors:
        raise ImportErrors(errors)
    return rows


async def import_rows(reminders: Reminders, rows: Iterable[ImportRow]) -> ImportResult:
    """Writes checked rows in one transaction and plans their alerts."""
    created = updated = 0
    users: set[int] = set()
    async with reminders.store.transaction() as tx:
        for row in rows:
            users.add(row.user_id)
            _case, new = await reminders.save_case_in(
                tx,
                row.user_id,
                row.case,
                entry=row.entry,
                grant_decision=row.grant_decision,
                events=row.events,
                source=EventSource.IMPORT,
            )
            created += new
            updated += not new
    if reminders.on_change is not None:
        reminders.on_change()
    return ImportResult(created, updated, len(users))


async def export_csv(reminders: Reminders, owner: int) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    async with reminders.store.transaction() as tx:
        for case in await tx.cases.all(owner):
            facts = case_facts(case, await tx.cases.events(owner, case.id))
            # entry and grant decision also have columns of their own (older files, people);
            # `events` carries every recorded event, payments included: nothing is lost
            entry = facts.last(EventKind.ENTRY_MADE) or facts.last(EventKind.ENTRY_INCOMPLETE)
            grant = facts.last(EventKind.GRANT_DECISION_RECEIVED)
            writer.writerow(
                cell(v)
                for v in [
                    owner,
                    case.ref,
                    case.kind.value,
                    "" if case.priority is None else case.priority.isoformat(),
                    case.filing.isoformat(),
                    "" if entry is None else entry.date.isoformat(),
                    "" if grant is None else grant.date.isoformat(),
                    case.title,
                    "yes" if case.natural_person else "no",
                    events_cell(facts.events),
                ]
            )
    return out.getvalue()


async def export_ics(reminders: Reminders, owner: int) -> bytes:
    """One calendar of the owner's open deadlines: all-day events with alarms at lead times."""
    from icalendar import Alarm, Calendar
    from icalendar import Event as IcsEvent

    from core.i18n import translator
    from core.labels import CONDITION_LABELS, deadline_label
    from core.reminders.planning import GRACE, open_deadlines

    cal = Calendar()
    cal.add("prodid", "-//pctby//PCT national phase BY//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", "pctby")
    stamp = reminders.store.clock()
    async with reminders.store.transaction() as tx:
        user = await tx.users.get(owner)
        prefs = reminders.prefs(user)
        t = translator(user.language if user else None)
        today = prefs.today(stamp)
        alert_offset = dt.timedelta(hours=prefs.alert_time.hour, minutes=prefs.alert_time.minute)
        for case in await tx.cases.all(owner):
            facts = case_facts(case, await tx.cases.events(owner, case.id))
            deadlines, _assumed = open_deadlines(facts, today)
            for d in deadlines:
                if d.date < today:
                    continue
                label = t.gettext(deadline_label(d.code)).format(year=d.year)
                ev = IcsEvent()
                ev.add("uid", f"{case.id}-{d.code}-{d.date.isoformat()}@pctby")
                ev.add("dtstamp", stamp)
                ev.add("dtstart", d.date)
                ev.add("dtend", d.date + dt.timedelta(days=1))
                ev.add("summary", f"{case.ref}: {label}")
                lines = [f"{d.basis}"]
                if d.conditional:
                    lines.append(t.gettext(CONDITION_LABELS.get(d.conditional, d.conditional)))
                if d.amount is not None:
                    lines.append(t.money(d.amount))
                if d.shifted:
                    lines.append(f"{d.nominal.isoformat()} → {d.date.isoformat()}")
                ev.add("description", "\n".join(lines))
                ev.add("transp", "TRANSPARENT")
                leads = prefs.grace_lead_days if d.conditional == GRACE else prefs.lead_days
                for n in leads:
                    alarm = Alarm()
                    alarm.add("action", "DISPLAY")
                    alarm.add("description", f"{case.ref}: {label}")
                    alarm.add("trigger", -dt.timedelta(days=n) + alert_offset)
                    ev.add_component(alarm)
                cal.add_component(ev)
    return bytes(cal.to_ical())
