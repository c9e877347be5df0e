"""Import of cases from CSV, export as CSV or iCalendar (`pctby import` / `pctby export`).

CSV columns (header required, any order): `telegram_user_id` (optional where a default user is
given), `ref`, `kind` (`patent` | `utility-model`), `priority_date` (optional), `filing_date`,
`entry_date` (optional), `grant_decision_date` (optional), `title` (optional),
`natural_person`, `events`, and the international publication `wo_number` and
`publication_date` (optional; checked as the entry form checks them). Dates as 2024-03-15 or
15.03.2024 (any form the chat reads). A file without
the publication columns (older exports) leaves the cases' publication as it was; with them, an
empty cell clears it.

Import checks every row first and reports every bad row with its line number before anything
is written; then writes the rows in batches of `IMPORT_BATCH`, each its own transaction, so that
other users' reads and writes go on between them (a failure in the middle leaves the batches
before it written; importing the same file again finishes the job, since a ref is updated, never
duplicated). Caps, the same for the bot's /import and `pctby import`: `MAX_IMPORT_BYTES` and
`MAX_IMPORT_ROWS` per file, `MAX_CASES_PER_USER` cases per user (`check_case_cap`).
Re-importing the same (user, ref) updates the case, never duplicates it (the dates an import
gave are replaced, what the user recorded in the bot stays). A user who never talked to the bot
is created with no language, so the bot renders their alerts in its default language.

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
import functools
import io
import itertools
from collections.abc import AsyncIterator, Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, TextIO, TypeVar

from core.dates import MAX_YEAR, MIN_YEAR, parse_date
from core.deadlines import CaseFacts, Event, EventKind
from core.errors import N_, InputError
from core.models import Deadline, Kind
from core.recording import event_problems
from core.storage import MAX_TITLE as STORED_MAX_TITLE
from core.storage import Case, CaseInput, StoredEvent, case_facts
from core.text import clean, csv_cell, csv_uncell, for_ics

if TYPE_CHECKING:
    from core.i18n import Translator
    from core.reminders import Reminders
    from core.reminders.planning import Prefs

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
    "wo_number",
    "publication_date",
)
EVENT_SEP = "|"  # between the events of one cell: never a CSV separator
REQUIRED: tuple[str, ...] = ("ref", "kind", "filing_date")
MAX_REF = 100
MAX_TITLE = STORED_MAX_TITLE
MAX_ROWS = 2_000_000  # `export_csv`: the whole table in one text
MAX_IMPORT_ROWS = 100_000  # rows of one imported file (the bot's /import, `pctby import`)
MAX_IMPORT_BYTES = 10 * 1024 * 1024  # bytes of one imported file (≈ MAX_IMPORT_ROWS rows)
MAX_CASES_PER_USER = 100_000
TOO_BIG = N_("The file is too large: up to {max} MB, please. Split it into several files.")
TOO_MANY_ROWS = N_("Too many rows in one file: up to {max}. Split it into several files.")
IMPORT_BATCH = 100  # rows per transaction (≈25 ms each: others are served in between)
EXPORT_PAGE = 200  # cases per transaction
CSV_PART_CASES = 10_000  # cases per CSV file of a split export
ICS_MAX_CASES = 5_000  # cases in one calendar file


@dataclass(frozen=True, slots=True)
class ImportRow:
    line: int
    user_id: int
    case: CaseInput
    entry: dt.date | None
    grant_decision: dt.date | None
    events: tuple[Event, ...] = ()
    # (WO number, publication date) where the file has those columns; None: it has not
    publication: tuple[str | None, dt.date | None] | None = None


@dataclass(frozen=True, slots=True)
class RowError:
    """A bad row: its line number and every problem it has (`error` the first)."""

    line: int
    error: InputError
    more: tuple[InputError, ...] = ()

    @property
    def errors(self) -> tuple[InputError, ...]:
        return (self.error, *self.more)

    def __str__(self) -> str:
        return f"line {self.line}: " + " ".join(str(e) for e in self.errors)


class RowInvalid(Exception):
    """Every problem of one row (`parse_row`)."""

    def __init__(self, problems: Sequence[InputError]) -> None:
        self.problems = tuple(problems)
        super().__init__(" ".join(str(p) for p in problems))


# Today in the zone of the row's user: a date (one user), or a function of the user's id.
Today = dt.date | Callable[[int], dt.date]


class ImportErrors(Exception):
    """Every bad row of a file (nothing was written)."""

    def __init__(self, errors: Sequence[RowError]) -> None:
        self.errors = tuple(errors)
        super().__init__("\n".join(str(e) for e in errors))

    @property
    def too_many_rows(self) -> InputError | None:
        """The file is over `max_rows` (reading stopped there): this, not the rows, is the news."""
        for e in self.errors:
            if e.error.template == TOO_MANY_ROWS:
                return e.error
        return None


class CaseCapExceeded(InputError):
    """The import would take `user` to `total` cases, over `cap`."""

    def __init__(self, user: int, total: int, cap: int) -> None:
        super().__init__(
            N_(
                "This import would give you {total} cases; up to {max} cases per user. "
                "Delete cases you no longer need, or import fewer rows."
            ),
            total=total,
            max=cap,
        )
        self.user = user
        self.total = total
        self.cap = cap


def too_big() -> InputError:
    return InputError(TOO_BIG, max=MAX_IMPORT_BYTES // (1024 * 1024))


@dataclass(frozen=True, slots=True)
class ImportResult:
    created: int
    updated: int
    users: int


@dataclass(slots=True)
class ImportProgress:
    """What an import has committed so far (updated as each batch commits): an import cut off
    by a stop can say how many rows it saved."""

    created: int = 0
    updated: int = 0
    users: set[int] = field(default_factory=set)

    @property
    def saved(self) -> int:
        return self.created + self.updated

    def result(self) -> ImportResult:
        return ImportResult(self.created, self.updated, len(self.users))


MAX_USER_ID = 2**52 - 1  # Telegram: a user id has at most 52 significant bits


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


# A problem of one value of a row, named with the column and the value (the event's part).
IN_COLUMN = N_("In {column}, “{value}”: {problem}")


def events_cell(events: Iterable[Event]) -> str:
    """`entry_made:2026-10-01|annuity_paid:2027-03-10:4` — every recorded event."""
    return EVENT_SEP.join(
        f"{e.kind.value}:{e.date.isoformat()}" + ("" if e.year is None else f":{e.year}")
        for e in events
    )


def parse_events(text: str) -> tuple[Event, ...]:
    """The events of an `events` cell; the first bad one raises (`read_events` reports all)."""
    events, problems = read_events(text)
    if problems:
        raise problems[0][1]
    return tuple(e for e, _part in events)


def read_events(text: str) -> tuple[list[tuple[Event, str]], list[tuple[str, InputError]]]:
    """The events of an `events` cell, each with its text, and each part that is not one."""
    found: list[tuple[Event, str]] = []
    problems: list[tuple[str, InputError]] = []
    for part in (p.strip() for p in text.split(EVENT_SEP)):
        if not part:
            continue
        kind, _, rest = part.partition(":")
        day, _, year = rest.partition(":")
        try:
            event = Event(
                kind=EventKind(kind.strip()),
                date=_day(day.strip(), "events"),
                year=int(year) if year.strip() else None,
            )
        except (ValueError, InputError):
            problems.append(
                (
                    part,
                    InputError(
                        N_("events: {value!r} is not an event like entry_made:2026-10-01."),
                        value=part[:60],
                    ),
                )
            )
            continue
        if event.kind is EventKind.ANNUITY_PAID and event.year is None:
            problems.append(
                (
                    part,
                    InputError(
                        N_(
                            "events: “{value}” does not say which year was paid: write it as "
                            "{value}:YEAR, for example {value}:4."
                        ),
                        value=part[:60],
                    ),
                )
            )
            continue
        found.append((event, part))
    return found, problems


# CSV cells a spreadsheet will not run (the sink's rules are in core/text.py).
cell = csv_cell
uncell = csv_uncell


def _user(row: dict[str, str], default_user: int | None) -> int:
    """The row's owner: `default_user` where the import is for one user (the chat's /import,
    `--user`) — a file exported by another user is then taken over whole — else the row's
    telegram_user_id."""
    if default_user is not None:
        return default_user
    text = (row.get("telegram_user_id") or "").strip()
    if not text:
        raise InputError(N_("No telegram_user_id: give one in the row or with --user."))
    if not text.isdecimal() or not 0 < int(text) <= MAX_USER_ID:
        raise InputError(N_("telegram_user_id: {value!r} is not a Telegram user id."), value=text)
    return int(text)


T = TypeVar("T")


def _kind(row: dict[str, str]) -> Kind:
    kind_text = (row.get("kind") or "").strip()
    try:
        return Kind.parse(kind_text)
    except ValueError:
        raise InputError(
            N_("kind: {value!r} is neither patent nor utility-model."), value=kind_text
        ) from None


def parse_row(line: int, row: dict[str, str], default_user: int | None, today: Today) -> ImportRow:
    """One row, checked whole: `RowInvalid` with every problem it has — each column on its
    own, and each event (the `entry_date` and `grant_decision_date` columns, each part of
    `events`) as the chat and the command line check it (`core.recording.event_problems`:
    not after `today` in the user's zone, not before the filing date, its prerequisites
    recorded in the row)."""
    problems: list[InputError] = []

    def read(get: Callable[[], T]) -> T | None:
        try:
            return get()
        except InputError as exc:
            problems.append(exc)
            return None

    user = read(lambda: _user(row, default_user))
    ref = clean(uncell((row.get("ref") or "").strip()))
    if not ref:
        problems.append(InputError(N_("The column {column} is empty."), column="ref"))
    elif len(ref) > MAX_REF:
        problems.append(InputError(N_("The ref is longer than {max} characters."), max=MAX_REF))
    kind = read(lambda: _kind(row))
    filing = read(lambda: _date(row, "filing_date", required=True))
    priority = read(lambda: _date(row, "priority_date"))
    entry = read(lambda: _date(row, "entry_date"))
    grant = read(lambda: _date(row, "grant_decision_date"))
    title = clean(uncell((row.get("title") or "").strip()))
    if len(title) > MAX_TITLE:
        problems.append(InputError(N_("The title is longer than {max} characters."), max=MAX_TITLE))
    natural = (row.get("natural_person") or "").strip().lower()
    if natural not in ("", "yes", "no", "true", "false", "1", "0"):
        problems.append(
            InputError(N_("natural_person: {value!r} is neither yes nor no."), value=natural)
        )
    read_ok, bad_events = read_events(row.get("events") or "")
    problems += [problem for _part, problem in bad_events]
    events = tuple(e for e, _part in read_ok)
    base: CaseFacts | None = None
    if kind is not None and filing is not None:
        base = read(lambda: CaseFacts(kind=kind, filing=filing, priority=priority))
    publication = None
    if "wo_number" in row or "publication_date" in row:
        from core.entryform.model import check_publication

        day = read(lambda: _date(row, "publication_date"))
        if kind is not None and filing is not None:
            publication = read(
                lambda: check_publication(
                    kind, filing, uncell((row.get("wo_number") or "").strip()), day
                )
            )
    if base is not None:
        # every event of the row together: a prerequisite may be any of them
        given: list[tuple[Event, str, str]] = []
        if entry is not None:
            given.append((Event(kind=EventKind.ENTRY_MADE, date=entry), "entry_date", str(entry)))
        if grant is not None:
            given.append(
                (
                    Event(kind=EventKind.GRANT_DECISION_RECEIVED, date=grant),
                    "grant_decision_date",
                    str(grant),
                )
            )
        given += [(event, "events", part) for event, part in read_ok]
        facts = base.model_copy(update={"events": tuple(dict.fromkeys(e for e, _c, _v in given))})
        day_now = dt.date.max if user is None else (today(user) if callable(today) else today)
        seen: set[str] = set()
        for event, column, value in given:
            for problem in event_problems(facts, event, day_now):
                if str(problem) not in seen:
                    seen.add(str(problem))
                    problems.append(
                        InputError(IN_COLUMN, column=column, value=value[:60], problem=problem)
                    )
    if problems:
        raise RowInvalid(problems)
    assert user is not None and kind is not None and filing is not None
    case = CaseInput(ref, kind, filing, priority, title, natural in ("yes", "true", "1"))
    return ImportRow(line, user, case, entry, grant, events, publication)


def parse_csv(
    stream: TextIO,
    default_user: int | None = None,
    max_rows: int = MAX_IMPORT_ROWS,
    *,
    today: Today,
) -> list[ImportRow]:
    """Every row, checked; ImportErrors with every bad row (its line number and every problem
    of it) otherwise. `today`: the date in the zone of the row's user, which no event may be
    after."""
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
            row = parse_row(line, raw, default_user, today)
        except RowInvalid as exc:
            errors.append(RowError(line, exc.problems[0], exc.problems[1:]))
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
        if len(rows) > max_rows:
            errors.append(RowError(line, _too_many_rows(max_rows)))
            break
    if errors:
        raise ImportErrors(errors)
    return rows


def _too_many_rows(max_rows: int) -> InputError:
    return InputError(TOO_MANY_ROWS, max=max_rows)


async def check_case_cap(
    reminders: Reminders, rows: Sequence[ImportRow], cap: int = MAX_CASES_PER_USER
) -> None:
    """`CaseCapExceeded` if the rows would take a user above `cap` cases (updates do not
    count)."""
    refs: dict[int, set[str]] = {}
    for row in rows:
        refs.setdefault(row.user_id, set()).add(row.case.ref)
    for user, new in refs.items():
        async with reminders.store.transaction() as tx:
            have = {case.ref for case in await tx.cases.all(user)}
        if len(have | new) > cap:
            raise CaseCapExceeded(user, len(have | new), cap)


async def import_rows(
    reminders: Reminders,
    rows: Iterable[ImportRow],
    *,
    batch: int = IMPORT_BATCH,
    progress: ImportProgress | None = None,
    one_by_one: bool = False,
    told: bool = False,
) -> ImportResult:
    """Writes checked rows and plans their alerts, `batch` rows per transaction, each batch
    in a few statements (`Reminders.import_cases_in`; `one_by_one`: a row at a time, as
    `save_case_in` — the same result, slower: for comparisons). `progress` counts the rows of
    the batches committed so far — also when the import is cancelled (a stop): the batches
    committed stay, the one in the middle is rolled back. `told`: the user is told of what is
    due now in one summary (`import_summary`) instead of an alert per case: the alert moments
    already past are marked done (`core.reminders.planning.told`)."""
    from core.reminders.actions import CaseImport, given_events

    done = progress if progress is not None else ImportProgress()
    pending = list(rows)
    try:
        for start in range(0, len(pending), batch):
            chunk = pending[start : start + batch]
            saves = [
                CaseImport(
                    row.user_id,
                    row.case,
                    tuple(given_events(row.events, row.entry, row.grant_decision)),
                    row.publication,
                )
                for row in chunk
            ]
            async with reminders.store.transaction() as tx:
                if one_by_one:
                    news = [await reminders.import_one_in(tx, save, told=told) for save in saves]
                else:
                    news = await reminders.import_cases_in(tx, saves, told=told)
                tx.on_commit(functools.partial(_count, done, chunk, sum(news)))
            await asyncio.sleep(0)  # the others' turn
    finally:
        if reminders.on_change is not None:
            reminders.on_change()
    return done.result()


@dataclass(frozen=True, slots=True)
class DueCase:
    """A deadline of an imported case that is near (its alerts have begun) or overdue."""

    ref: str
    deadline: Deadline
    overdue: bool


@dataclass(frozen=True, slots=True)
class UnpaidCase:
    """An imported case with annual years whose due date passed with no payment recorded."""

    ref: str
    years: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class ImportSummary:
    """What the one message after an import tells (the chat's /import): the deadlines near
    or overdue and the cases with unpaid past years — the first `limit` of each, with the
    totals."""

    due: tuple[DueCase, ...]
    due_total: int
    unpaid: tuple[UnpaidCase, ...]
    unpaid_total: int


async def import_summary(
    reminders: Reminders, owner: int, refs: Sequence[str], *, limit: int = 20, page: int = 500
) -> ImportSummary:
    """The owner's imported cases `refs`, read back as they are now (with what the user had
    recorded in the bot), `page` cases per transaction: the deadlines an alert would tell of
    now (`core.reminders.planning.due_now`, the user's lead times) and those overdue — annual
    fees aside: the years whose due date passed unpaid are listed per case
    (`core.recording.unpaid_years`), earliest first."""
    from core.deadlines import compute
    from core.recording import unpaid_years
    from core.reminders.planning import due_now, open_deadlines

    due: list[DueCase] = []
    unpaid: list[UnpaidCase] = []
    now = reminders.store.clock()
    async with reminders.store.transaction() as tx:
        prefs = reminders.prefs(await tx.users.get(owner))
    today = prefs.today(now)
    for start in range(0, len(refs), page):
        async with reminders.store.transaction() as tx:
            cases = list((await tx.cases.by_refs(owner, refs[start : start + page])).values())
            events = await tx.cases.events_of(owner, [c.id for c in cases])
        for case in cases:
            facts = case_facts(case, events.get(case.id, []))
            planned, assumed = open_deadlines(facts, today)
            # overdue as the card shows them (nothing assumed paid); the annual fees below
            for d in planned if assumed is None else compute(facts):
                if d.date < today and not d.code.startswith("annual_"):
                    due.append(DueCase(case.ref, d, True))
            near = due_now(facts, prefs, {}, now, planned)
            due += [DueCase(case.ref, d, False) for d, _moment in near]
            years = tuple(d.year for d in unpaid_years(facts, today))
            if years:
                unpaid.append(UnpaidCase(case.ref, years))
        await asyncio.sleep(0)
    due.sort(key=lambda d: (d.deadline.date, d.ref, d.deadline.code))
    unpaid.sort(key=lambda u: u.ref)
    return ImportSummary(tuple(due[:limit]), len(due), tuple(unpaid[:limit]), len(unpaid))


def _count(progress: ImportProgress, chunk: Sequence[ImportRow], created: int) -> None:
    progress.created += created
    progress.updated += len(chunk) - created
    progress.users.update(row.user_id for row in chunk)


CasePage = list[tuple[Case, list[StoredEvent]]]


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
    return parts[0] if parts else _csv_header()


async def export_csv_parts(
    reminders: Reminders, owner: int, part_cases: int = CSV_PART_CASES
) -> AsyncIterator[str]:
    """The owner's cases as CSV texts of at most `part_cases` cases each (header in each)."""
    out, rows = io.StringIO(_csv_header()), 0
    out.seek(0, io.SEEK_END)
    writer = csv.writer(out, lineterminator="\n")
    async for page in case_pages(reminders, owner):
        for case, events in page:
            if rows == part_cases:
                yield out.getvalue()
                out, rows = io.StringIO(_csv_header()), 0
                out.seek(0, io.SEEK_END)
                writer = csv.writer(out, lineterminator="\n")
            writer.writerow(_csv_row(owner, case, events))
            rows += 1
    if rows:
        yield out.getvalue()


def _csv_header() -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerow(COLUMNS)
    return out.getvalue()


def _csv_row(owner: int, case: Case, events: list[StoredEvent]) -> list[str]:
    facts = case_facts(case, events)
    # entry and grant decision also have columns of their own (older files, people);
    # `events` carries every recorded event, payments included: nothing is lost
    entry = facts.last(EventKind.ENTRY_MADE) or facts.last(EventKind.ENTRY_INCOMPLETE)
    grant = facts.last(EventKind.GRANT_DECISION_RECEIVED)
    return [
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
            case.wo_number or "",
            "" if case.publication_date is None else case.publication_date.isoformat(),
        ]
    ]


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
    async for page in case_pages(reminders, owner):
        yield b"".join(_ics_events(t, prefs, stamp, case, events) for case, events in page)
    yield end


def _ics_events(
    t: Translator, prefs: Prefs, stamp: dt.datetime, case: Case, events: list[StoredEvent]
) -> bytes:
    """The case's open deadlines as VEVENTs, each with its alarms."""
    from icalendar import Alarm
    from icalendar import Event as IcsEvent

    from core.labels import CONDITION_LABELS, deadline_label
    from core.reminders.planning import GRACE, open_deadlines

    today = prefs.today(stamp)
    alert_offset = dt.timedelta(hours=prefs.alert_time.hour, minutes=prefs.alert_time.minute)
    facts = case_facts(case, events)
    deadlines, _assumed = open_deadlines(facts, today)
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
        ev.add("summary", for_ics(f"{case.ref}: {label}"))
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
            alarm.add("description", for_ics(f"{case.ref}: {label}"))
            alarm.add("trigger", -dt.timedelta(days=n) + alert_offset)
            ev.add_component(alarm)
        out.append(bytes(ev.to_ical()))
    return b"".join(out)
