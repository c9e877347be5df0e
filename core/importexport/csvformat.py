"""The CSV format of cases, both ways: the columns, a row read and checked, a row written.

Columns (header required, any order): `telegram_user_id` (optional where a default user is
given), `ref`, `kind` (`patent` | `utility-model`), `priority_date` (optional), `filing_date`,
`entry_date` (optional), `grant_decision_date` (optional), `title` (optional),
`natural_person`, `events`, the international publication `wo_number` and
`publication_date` (optional; checked as the entry form checks them), `team` (optional: the
team whose case the row is — one the importer may add cases to; empty: the importer's own, or
the team the import was made for) and `recorded_by` (written by the export: for each event of
`events`, in order, who recorded it and when — "Anna Petrova 2027-02-03", empty where not known;
read back as nothing, since an import's events are recorded by whoever imports). Dates as
2024-03-15 or 15.03.2024 (any form the chat reads). A file without the publication columns
(older exports) leaves the cases' publication as it was; with them, an empty cell clears it.
Columns may be separated by commas or, as the chat's and Excel's habit in Belarus and Russia
has it, by semicolons; a cell a spreadsheet would run as a formula is written quoted
(`core/text.py`).

`parse_csv` checks every row first and reports every bad row with its line number and every
problem of it (`ImportErrors`), so that nothing is written from a file with a bad row
(`core.importexport.importing` writes the rows). A file is capped at `MAX_IMPORT_BYTES` and
`MAX_IMPORT_ROWS` rows, the same for the bot's /import and `pctby import`. `csv_row` writes a
case the way `parse_row` reads it: an export imported again loses nothing.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import itertools
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TextIO, TypeVar

from core.dates import MAX_YEAR, MIN_YEAR, parse_date
from core.deadlines import CaseFacts, Event, EventKind
from core.errors import N_, InputError
from core.models import Kind
from core.recording import event_problems
from core.storage import MAX_TITLE as STORED_MAX_TITLE
from core.storage import Case, CaseInput, StoredEvent, case_facts
from core.text import clean, csv_cell, csv_uncell

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
    "team",
    "recorded_by",
)
EVENT_SEP = "|"  # between the events of one cell: never a CSV separator
REQUIRED: tuple[str, ...] = ("ref", "kind", "filing_date")
MAX_REF = 100
MAX_TITLE = STORED_MAX_TITLE
MAX_USER_ID = 2**52 - 1  # Telegram: a user id has at most 52 significant bits
MAX_IMPORT_ROWS = 100_000  # rows of one imported file (the bot's /import, `pctby import`)
MAX_IMPORT_BYTES = 10 * 1024 * 1024  # bytes of one imported file (≈ MAX_IMPORT_ROWS rows)
TOO_BIG = N_("The file is too large: up to {max} MB, please. Split it into several files.")
TOO_MANY_ROWS = N_("Too many rows in one file: up to {max}. Split it into several files.")


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


def too_big() -> InputError:
    return InputError(TOO_BIG, max=MAX_IMPORT_BYTES // (1024 * 1024))


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


def _user(
    row: dict[str, str], default_user: int | None, teams: Mapping[str, int] | None = None
) -> int:
    """The row's owner: the team its `team` cell names (one of `teams`: name key → the team's
    account); else `default_user` where the import is for one user or team (the chat's /import,
    `--user`, `--team`) — a file exported by another user is then taken over whole — else the
    row's telegram_user_id."""
    team = clean(uncell((row.get("team") or "").strip()))
    if team:
        account = (teams or {}).get(team.casefold())
        if account is None:
            raise InputError(
                N_("team: “{team}” is not a team you may add cases to."), team=team[:40]
            )
        return account
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


def parse_row(
    line: int,
    row: dict[str, str],
    default_user: int | None,
    today: Today,
    teams: Mapping[str, int] | None = None,
) -> ImportRow:
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

    user = read(lambda: _user(row, default_user, teams))
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
    teams: Mapping[str, int] | None = None,
) -> list[ImportRow]:
    """Every row, checked; ImportErrors with every bad row (its line number and every problem
    of it) otherwise. `today`: the date in the zone of the row's user, which no event may be
    after. `teams`: the teams a `team` cell may name (name key → account), those the importer may
    add cases to; any other name is a bad row — whether that team exists or not."""
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
            row = parse_row(line, raw, default_user, today, teams)
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


def csv_header() -> str:
    """The header line: every column, in `COLUMNS` order."""
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerow(COLUMNS)
    return out.getvalue()


def recorded_cell(events: Iterable[StoredEvent]) -> str:
    """Who recorded each event and when, in the order of the `events` cell."""
    parts: list[str] = []
    for e in events:
        name = " ".join((e.recorded_name or "").replace(EVENT_SEP, "/").split())
        day = "" if e.recorded_at is None else e.recorded_at.date().isoformat()
        parts.append(" ".join(p for p in (name, day) if p) if name else "")
    return EVENT_SEP.join(parts) if any(parts) else ""


def csv_row(
    owner: int, case: Case, events: list[StoredEvent], team: str | None = None
) -> list[str]:
    """The cells of one case, as `parse_row` reads them back (a team's case: with its team's
    name, and no user)."""
    facts = case_facts(case, events)
    # entry and grant decision also have columns of their own (older files, people);
    # `events` carries every recorded event, payments included: nothing is lost
    entry = facts.last(EventKind.ENTRY_MADE) or facts.last(EventKind.ENTRY_INCOMPLETE)
    grant = facts.last(EventKind.GRANT_DECISION_RECEIVED)
    return [
        cell(v)
        for v in [
            "" if team is not None else owner,
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
            team or "",
            recorded_cell(events),
        ]
    ]
