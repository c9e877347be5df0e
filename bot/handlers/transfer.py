"""/export (the user's cases as ICS and CSV documents) and /import (cases from a CSV file).

The export holds the cases the user sees: their own, then each team's (its `team` column
names the team, `recorded_by` who recorded each event). An import saves into the user's own
cases, or into a team where they are an owner or attorney — chosen with `/import TEAM` or with
the buttons /import offers such a member — and a row whose `team` cell names one of those teams
goes there; any other team name is a bad row, whether that team exists or not. The rows are
parsed with the chosen account as the only user (`parse_csv(default_user=…)`), so a row whose
`telegram_user_id` names somebody else is never written elsewhere. Every row is checked
first; if any is bad, nothing is written.
"""

from __future__ import annotations

import asyncio
import contextlib
import csv
import datetime as dt
import functools
import io
from dataclasses import dataclass
from typing import Annotated, TextIO, cast

from telegram import Document, Message, Update
from telegram.error import TelegramError
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler, MessageHandler, filters

from bot.context import BotContext
from bot.parse import caption_command
from bot.parse.callbacks import MAX_INT, Between, CallbackData, Id
from bot.render.html import Markup, bold, esc, join, render
from bot.render.reply import Button, ack, answer, button
from bot.render.text import short
from bot.render.views import UNPAID_YEARS, days_left, paid_years_text, years_text
from core.errors import N_, InputError
from core.explain import deadline_title
from core.i18n import Translator
from core.importexport import (
    COLUMNS,
    CSV_PART_CASES,
    ICS_MAX_CASES,
    MAX_CASES_PER_USER,
    MAX_IMPORT_BYTES,
    MAX_IMPORT_ROWS,
    ImportErrors,
    ImportProgress,
    ImportRow,
    ImportSummary,
    check_case_cap,
    count_cases,
    export_csv_parts,
    export_ics,
    import_rows,
    import_summary,
    parse_csv,
    too_big,
)

FLOW = "import"
CANCELLED = N_("The import is cancelled; nothing was imported.")  # /cancel
MAX_LISTED_ERRORS = 30
MAX_SUMMARY_LINES = 20  # deadlines (and cases with unpaid years) named in the import summary
PROGRESS_LINES = 500  # a file with more lines gets progress updates
PROGRESS_EVERY = 1.0  # seconds between edits of the status message
CSV_TYPES = {"text/csv", "text/plain", "application/csv", "application/vnd.ms-excel"}
_NOT_CSV = N_("“{name}” is not a CSV file. Send a .csv file (comma-separated, UTF-8).")
_UNDECODABLE = N_(
    "I could not read this file as CSV text. Save it as “CSV UTF-8 (comma-delimited)” "
    "and send it again."
)


@dataclass(frozen=True)
class PaidImported(CallbackData, feature="imp", action="paid"):
    """ "Record them all as paid" under an import's summary: the unpaid past annual fees of
    the cases that import saved (those saved at or after `since`, unix seconds)."""

    since: Annotated[int, Between(0, 2**40)]


@dataclass(frozen=True)
class PaidImportedTeam(CallbackData, feature="imp", action="paidt"):
    """`PaidImported` for an import into a team (the team's id)."""

    since: Annotated[int, Between(0, 2**40)]
    team_id: Id


@dataclass(frozen=True)
class ImportInto(CallbackData, feature="imp", action="into"):
    """/import's choice: into the user's own cases (0) or a team's (its id)."""

    team_id: Annotated[int, Between(0, MAX_INT)]


# -- /export ----------------------------------------------------------------------------------


async def export(update: Update, context: BotContext) -> None:
    t = context.t
    user_id = context.owner
    chat = update.effective_chat
    n = await count_cases(context.reminders, user_id)  # their own and their teams'
    if not n or chat is None:
        await answer(
            update, context, t.gettext("You have no cases to export yet. Add one with /addcase.")
        )
        return
    reminders = context.reminders
    if n <= ICS_MAX_CASES:
        await context.bot.send_document(
            chat.id,
            await export_ics(reminders, user_id),
            filename="pctby-deadlines.ics",
            caption=esc(
                t.nfmt(
                    "The deadlines of your {n} case as a calendar (ICS).",
                    "The deadlines of your {n} cases as a calendar (ICS).",
                    n,
                )
            ),
        )
    else:
        await answer(update, context, too_many_for_a_calendar(t, n))
    await send_csv_parts(context, chat.id, user_id, n)


def too_many_for_a_calendar(t: Translator, n: int) -> str:
    return t.fmt(
        "You have {n} cases: too many for one calendar file (up to {max} cases), so there is "
        "no ICS this time. Here are your cases as CSV files of up to {part} cases each.",
        n=t.number(n, "#,##0"),
        max=t.number(ICS_MAX_CASES, "#,##0"),
        part=t.number(CSV_PART_CASES, "#,##0"),
    )


async def send_csv_parts(context: BotContext, chat_id: int, user_id: int, n: int) -> None:
    """The table in one file, or in files of `CSV_PART_CASES` cases, each sent when made."""
    t = context.t
    total = -(-n // CSV_PART_CASES)
    number = 0
    async for part in export_csv_parts(context.reminders, user_id, CSV_PART_CASES):
        number += 1
        if total == 1:
            name = "pctby-cases.csv"
            caption = t.gettext("Your cases as a table (CSV); /import reads this file back.")
        else:
            name = f"pctby-cases-{number}-of-{total}.csv"
            caption = t.fmt(
                "Your cases as a table (CSV), part {part} of {total}; /import reads these "
                "files back.",
                part=number,
                total=total,
            )
        await context.bot.send_document(
            chat_id, part.encode("utf-8"), filename=name, caption=esc(caption)
        )


# -- /import ----------------------------------------------------------------------------------


def columns_hint(t: Translator) -> str:
    return t.fmt(
        "Columns: {columns}. Required: ref, kind (patent or utility-model), filing_date; "
        "dates as 2024-03-15 or 15.03.2024.",
        columns=", ".join(COLUMNS),
    )


async def import_command(update: Update, context: BotContext) -> None:
    t = context.t
    args = context.args or []
    team_id: int | None = None
    if args:  # /import TEAM: into a team of theirs where they add cases
        team_id = (await context.teams.target(context.owner, " ".join(args))).id
    else:
        teams = await context.teams.writable(context.owner)
        if teams:
            rows = [[button(t.gettext("Into my own cases"), ImportInto(0))]]
            rows += [
                [button(t.fmt("Into {team}", team=team.name), ImportInto(team.id))]
                for team in teams
            ]
            await answer(
                update, context, t.gettext("Import into your own cases or into a team's?"), rows
            )
            return
    await ask_for_file(update, context, team_id)


async def on_into(update: Update, context: BotContext) -> None:
    """/import's choice of the user's own cases or a team's."""
    data = ImportInto.read(update)
    await ack(update)
    if data is None:
        return
    team_id = None
    if data.team_id:
        writable = {team.id: team for team in await context.teams.writable(context.owner)}
        if data.team_id not in writable:  # no longer theirs to add to: said as for a name
            raise InputError(N_("You cannot add cases to this team."))
        team_id = data.team_id
    await ask_for_file(update, context, team_id)


async def ask_for_file(update: Update, context: BotContext, team_id: int | None) -> None:
    t = context.t
    context.start_flow(FLOW, "file", team=team_id)
    await answer(
        update,
        context,
        t.nfmt(
            "Send me a CSV file with your cases as a document (up to {mb} MB and {rows} row).",
            "Send me a CSV file with your cases as a document (up to {mb} MB and {rows} rows).",
            MAX_IMPORT_ROWS,
            mb=MAX_IMPORT_BYTES // (1024 * 1024),
            rows=t.number(MAX_IMPORT_ROWS, "#,##0"),
        )
        + "\n"
        + columns_hint(t),
    )


async def on_text(update: Update, context: BotContext) -> None:
    """Typed text while /import waits for the file."""
    await answer(
        update,
        context,
        context.t.gettext(
            "Please send the CSV as a file (a document). Any command cancels the import."
        ),
    )


def looks_like_csv(doc: Document) -> bool:
    name = (doc.file_name or "").lower()
    if name.endswith((".csv", ".txt")):
        return True
    return not name and (doc.mime_type or "") in CSV_TYPES


class _Counting:
    """Lines for the CSV reader, counting those it took (read from the event loop)."""

    def __init__(self, text: str) -> None:
        self._lines = iter(io.StringIO(text))
        self.lines = 0

    def __iter__(self) -> _Counting:
        return self

    def __next__(self) -> str:
        line = next(self._lines)
        self.lines += 1
        return line


async def on_document(update: Update, context: BotContext) -> None:
    message = update.effective_message
    if message is None or message.document is None:
        return
    t = context.t
    flow = context.flow
    waiting = flow is not None and flow.get("name") == FLOW
    if not waiting and caption_command(message.caption) != "import":
        await answer(
            update,
            context,
            t.gettext(
                "To import cases from this file, send /import first "
                "or send the file with the caption /import."
            ),
        )
        return
    team_id = flow.get("team") if waiting and flow is not None else None
    context.end_flow()
    caption = (message.caption or "").split()
    if not waiting and len(caption) > 1:  # the caption "/import TEAM"
        team_id = (await context.teams.target(context.owner, " ".join(caption[1:]))).id
    doc = message.document
    if not looks_like_csv(doc):
        raise InputError(_NOT_CSV, name=short(doc.file_name or doc.mime_type or "?", 60))
    if doc.file_size is not None and doc.file_size > MAX_IMPORT_BYTES:
        raise too_big()
    file = await doc.get_file()
    raw = bytes(await file.download_as_bytearray())
    if len(raw) > MAX_IMPORT_BYTES:
        raise too_big()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InputError(_UNDECODABLE) from None
    if "\x00" in text:
        raise InputError(_UNDECODABLE)
    await run_import(update, context, text, team_id if isinstance(team_id, int) else None)


async def _edit(status: Message | None, text: str) -> None:
    if status is None:
        return
    with contextlib.suppress(TelegramError):
        await status.edit_text(esc(text))


async def run_import(
    update: Update, context: BotContext, text: str, team_id: int | None = None
) -> None:
    t = context.t
    user_id = context.owner
    writable = {team.id: team for team in await context.teams.writable(user_id)}
    team = writable.get(team_id) if team_id is not None else None
    if team_id is not None and team is None:  # no longer an owner or attorney there
        raise InputError(N_("You cannot add cases to this team."))
    account = team.account if team is not None else user_id  # the rows' default owner
    allowed = {w.name.casefold(): w.account for w in writable.values()}
    total = text.count("\n") + (0 if text.endswith("\n") else 1)
    status = await answer(update, context, t.gettext("Reading the file…"))
    stream = _Counting(text)
    today = await context.reminders.today_for(user_id)  # no event after it (core.recording)
    parse = functools.partial(parse_csv, today=today, teams=allowed)
    task = asyncio.ensure_future(
        asyncio.to_thread(parse, cast(TextIO, stream), account, MAX_IMPORT_ROWS)
    )
    shown = -1
    while total > PROGRESS_LINES:
        done, _pending = await asyncio.wait({task}, timeout=PROGRESS_EVERY)
        if done:
            break
        if stream.lines != shown:
            shown = stream.lines
            await _edit(
                status,
                t.fmt(
                    "Reading the file… {done} of {total} lines checked.", done=shown, total=total
                ),
            )
    try:
        rows: list[ImportRow] = await task
    except ImportErrors as exc:
        await _edit(status, t.gettext("The file is read."))
        await answer(update, context, errors_text(t, exc))
        return
    except csv.Error:
        await _edit(status, t.gettext("The file is read."))
        raise InputError(_UNDECODABLE) from None
    mine = {account, *allowed.values()}
    if any(row.user_id not in mine for row in rows):  # parse_csv guarantees it; never write
        raise RuntimeError("an import row for another user")
    if not rows:
        await _edit(status, t.gettext("The file is read."))
        await answer(update, context, t.gettext("The file has no rows to import."))
        return
    await check_case_cap(context.reminders, rows, MAX_CASES_PER_USER)
    await _edit(status, t.gettext("The file is read. Saving…"))
    progress = ImportProgress()
    since = context.store.clock()  # the cases this import saves are saved from now on
    try:
        # one summary below instead of an alert per case for what is due now
        user = update.effective_user
        by = (user_id, user.full_name if user is not None else None)
        result = await import_rows(context.reminders, rows, progress=progress, told=True, by=by)
    except asyncio.CancelledError:  # the bot is stopping (bot/updates.py): say what is saved
        await interrupted(update, context, progress.saved, len(rows))
        raise
    await _edit(status, t.gettext("The file is read."))
    summary = await summary_of(context, rows)
    lines: list[str] = [
        bold(t.gettext("Import done.")),
        t.nfmt("{n} case added", "{n} cases added", result.created),
        t.nfmt("{n} case updated", "{n} cases updated", result.updated),
        t.gettext("No rows rejected.") + " " + t.gettext("See your cases with /cases."),
    ]
    lines += summary_lines(t, summary, context.today)
    rows_: list[list[Button]] = []
    if summary.unpaid_total:
        stamp = int(since.timestamp())
        paid: CallbackData = (
            PaidImported(stamp) if team is None else PaidImportedTeam(stamp, team.id)
        )
        rows_ = [[button(t.gettext("Record them all as paid"), paid)]]
    await answer(update, context, join(lines), rows_)


async def summary_of(context: BotContext, rows: list[ImportRow]) -> ImportSummary:
    """The import's summary over every account it saved into (the user's own, a team's)."""
    refs: dict[int, list[str]] = {}
    for row in rows:
        refs.setdefault(row.user_id, []).append(row.case.ref)
    parts = [
        await import_summary(context.reminders, account, named, limit=MAX_SUMMARY_LINES)
        for account, named in refs.items()
    ]
    if len(parts) == 1:
        return parts[0]
    due = sorted((d for p in parts for d in p.due), key=lambda d: (d.deadline.date, d.ref))
    unpaid = sorted((u for p in parts for u in p.unpaid), key=lambda u: u.ref)
    return ImportSummary(
        tuple(due[:MAX_SUMMARY_LINES]),
        sum(p.due_total for p in parts),
        tuple(unpaid[:MAX_SUMMARY_LINES]),
        sum(p.unpaid_total for p in parts),
    )


def summary_lines(t: Translator, summary: ImportSummary, today: dt.date) -> list[str]:
    """The import's news in one message (instead of an alert per case): the deadlines near
    or overdue, and the cases whose annual fees are overdue with no payment recorded."""
    lines: list[str] = []
    if summary.due_total:
        lines += [
            "",
            bold(
                t.nfmt(
                    "{n} deadline is near or overdue:",
                    "{n} deadlines are near or overdue:",
                    summary.due_total,
                )
            ),
        ]
        for item in summary.due:
            lines.append(
                render(
                    Markup("• <b>{ref}</b> — {title}: {date} ({left})"),
                    ref=item.ref,
                    title=deadline_title(t, item.deadline),
                    date=t.date(item.deadline.date),
                    left=days_left(t, item.deadline.date, today),
                )
            )
        rest = summary.due_total - len(summary.due)
        if rest > 0:
            lines.append(t.nfmt("…and {n} more: see /cases.", "…and {n} more: see /cases.", rest))
        lines.append(
            t.gettext(
                "This message replaces the reminders for these deadlines now; the next ones "
                "come as usual."
            )
        )
    if summary.unpaid_total:
        lines += [
            "",
            bold(
                t.nfmt(
                    "{n} case has annual fees with no payment recorded:",
                    "{n} cases have annual fees with no payment recorded:",
                    summary.unpaid_total,
                )
            ),
        ]
        for unpaid in summary.unpaid:
            lines.append(
                render(
                    Markup("• <b>{ref}</b>: {years}"),
                    ref=unpaid.ref,
                    years=years_text(t, unpaid.years),
                )
            )
        rest = summary.unpaid_total - len(summary.unpaid)
        if rest > 0:
            lines.append(t.nfmt("…and {n} more case.", "…and {n} more cases.", rest))
        lines.append(t.gettext(UNPAID_YEARS))
    return lines


async def on_paid_button(update: Update, context: BotContext) -> None:
    """ "Record them all as paid" under an import's summary."""
    data = PaidImported.read(update) or PaidImportedTeam.read(update)
    await ack(update)
    if data is None:
        return
    since = dt.datetime.fromtimestamp(data.since, dt.UTC)
    account = None
    if isinstance(data, PaidImportedTeam):
        writable = {team.id: team for team in await context.teams.writable(context.owner)}
        if data.team_id not in writable:
            raise InputError(N_("You cannot add cases to this team."))
        account = writable[data.team_id].account
    done = await context.reminders.record_unpaid_years(
        context.owner, updated_since=since, account=account
    )
    await answer(update, context, paid_years_text(context.t, done))


async def interrupted(update: Update, context: BotContext, saved: int, total: int) -> None:
    """An import cut off by a restart: how many rows are saved, and that the same file again
    finishes it (a ref is updated, never duplicated). Best effort: the stop is waiting."""
    t = context.t
    text = t.nfmt(
        "The import was interrupted by a restart of the bot: {saved} row of {total} is saved.",
        "The import was interrupted by a restart of the bot: {saved} rows of {total} are saved.",
        saved,
        saved=t.number(saved, "#,##0"),
        total=t.number(total, "#,##0"),
    )
    more = t.gettext(
        "Send the same file again in a minute to import the rest: the rows already saved "
        "will not be added twice."
    )
    with contextlib.suppress(TelegramError):
        await answer(update, context, text + " " + more)


def errors_text(t: Translator, exc: ImportErrors) -> Markup:
    n = len(exc.errors)
    lines: list[str] = [
        bold(
            t.nfmt(
                "Nothing was imported: {n} row has an error.",
                "Nothing was imported: {n} rows have errors.",
                n,
            )
        ),
        t.gettext("Fix the file and send it again with /import."),
        "",
    ]
    for e in exc.errors[:MAX_LISTED_ERRORS]:
        reason = t.error(e.error)  # text: `join` escapes the line
        lines.append("• " + t.fmt("line {line}: {reason}", line=e.line, reason=reason))
        lines += ["   – " + t.error(more) for more in e.more]  # every problem of the row
    rest = n - MAX_LISTED_ERRORS
    if rest > 0:
        lines.append(t.nfmt("…and {n} more error.", "…and {n} more errors.", rest))
    return join(lines)


def handlers() -> list[BaseHandler[Update, BotContext, None]]:
    return [
        CommandHandler("export", export),
        CommandHandler("import", import_command),
        MessageHandler(filters.Document.ALL, on_document),
        CallbackQueryHandler(on_paid_button, pattern=PaidImported.matches),
        CallbackQueryHandler(on_paid_button, pattern=PaidImportedTeam.matches),
        CallbackQueryHandler(on_into, pattern=ImportInto.matches),
    ]


TEXT_STEPS = {FLOW: on_text}
