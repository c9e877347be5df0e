"""Import: checked rows (`core.importexport.csvformat.parse_csv`) into the store, and the one
summary the user is told after it.

Rows are written in batches of `IMPORT_BATCH`, each its own transaction, so that other users'
reads and writes go on between them (a failure in the middle leaves the batches before it
written; importing the same file again finishes the job, since a ref is updated, never
duplicated). Re-importing the same (user, ref) updates the case, never duplicates it (the dates
an import gave are replaced, what the user recorded in the bot stays). A user who never talked
to the bot is created with no language, so the bot renders their alerts in its default
language. A user has at most `MAX_CASES_PER_USER` cases (`check_case_cap`), the same for the
bot's /import and `pctby import`.
"""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from core.errors import N_, InputError
from core.importexport.csvformat import ImportRow
from core.models import Deadline
from core.storage import case_facts

if TYPE_CHECKING:
    from core.reminders import Reminders

MAX_CASES_PER_USER = 100_000
IMPORT_BATCH = 100  # rows per transaction (≈25 ms each: others are served in between)


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
    by: tuple[int | None, str | None] | None = None,
) -> ImportResult:
    """Writes checked rows and plans their alerts, `batch` rows per transaction, each batch
    in a few statements (`Reminders.import_cases_in`; `one_by_one`: a row at a time, as
    `save_case_in` — the same result, slower: for comparisons). `progress` counts the rows of
    the batches committed so far — also when the import is cancelled (a stop): the batches
    committed stay, the one in the middle is rolled back. `told`: the user is told of what is
    due now in one summary (`import_summary`) instead of an alert per case: the alert moments
    already past are marked done (`core.reminders.timing.told`). `by`: who imports (their
    Telegram id and name), kept with every event the import records."""
    from core.reminders.case_writes import CaseImport, given_events

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
                    news = [
                        await reminders.import_one_in(tx, save, told=told, by=by) for save in saves
                    ]
                else:
                    news = await reminders.import_cases_in(tx, saves, told=told, by=by)
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
    now (`core.reminders.timing.due_now`, the user's lead times) and those overdue — annual
    fees aside: the years whose due date passed unpaid are listed per case
    (`core.recording.unpaid_years`), earliest first."""
    from core.deadlines import compute
    from core.recording import unpaid_years
    from core.reminders.timing import due_now, open_deadlines

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
