"""/paid, /record, /unrecord: what happened on a case, recorded (checked as everywhere:
`core.recording`) or removed again; the card's list of events to remove.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from telegram import Update

from bot.cases.buttons import Unrecord
from bot.context import BotContext
from bot.render.html import Markup, bold, join, render
from bot.render.reply import answer, button
from bot.render.text import short
from bot.render.views import (
    MAX_LISTED_BUTTONS,
    deadline_line,
    event_text,
)
from core.dates import parse_date
from core.deadlines import CaseFacts, Event, EventKind, compute
from core.errors import N_, InputError
from core.explain import (
    deadline_title,
)
from core.fees import check_year
from core.labels import EVENT_LABELS as EVENT_LABELS
from core.lifecycle import case_status, event_names, parse_event
from core.reminders import Outcome
from core.storage import Case, StoredEvent

# -- /paid ------------------------------------------------------------------------------------


def next_annual_year(facts: CaseFacts) -> int | None:
    for d in compute(facts):
        if d.code.startswith("annual_") and d.year is not None:
            return d.year
    return None


async def record_paid(
    update: Update, context: BotContext, case: Case, facts: CaseFacts, year: int | None
) -> None:
    if year is None:
        year = next_annual_year(facts)
        if year is None:
            await answer(
                update, context, context.t.gettext("No annual fee is due on this case now.")
            )
            return
    check_year(case.kind, year, extended=facts.has(EventKind.EXTENDED_TERM))
    event = Event(kind=EventKind.ANNUITY_PAID, date=context.today, year=year)
    await record_event(update, context, case, event, dated=False)


async def record_event(
    update: Update, context: BotContext, case: Case, event: Event, *, dated: bool
) -> None:
    """Records the event through the reminders service (one unit of work: the event, the
    deadlines it closes and opens, the alerts) and answers with what is open next. Without a
    date (`dated` False) the event is dated today in the user's zone, as the buttons do."""
    t = context.t
    reminders = context.reminders
    user_id = context.owner
    if not dated:
        event = event.model_copy(update={"date": await reminders.today_for(user_id)})
    result = await reminders.record(user_id, case.id, event)
    what = event_text(t, event)
    ref = bold(case.ref)
    if result.outcome is Outcome.NO_CASE:
        await answer(update, context, t.gettext("This case no longer exists. See /cases."))
        return
    if result.outcome is Outcome.ALREADY:
        await answer(
            update,
            context,
            t.markup(
                "Already recorded for {ref}: {what}. Nothing changed.",
                ref=ref,
                what=what,
            ),
        )
        return
    text = t.markup(
        "Recorded for {ref}: {what}, on {date}.",
        ref=ref,
        what=what,
        date=t.date(event.date),
    )
    open_now = case_status(result.facts, context.today) if result.facts is not None else []
    if open_now:
        line = deadline_line(t, open_now[0].deadline, context.today, bullet=False)
        text = join([text, t.markup("Next: {line}", line=line)])
    else:
        text = join([text, t.gettext("No open deadlines.")])
    await answer(update, context, text)


RECORD_USAGE = N_(
    "Use: /record REF EVENT [DATE], for example /record A-1 entry 01.10.2026 or "
    "/record A-1 annual-4. Events: {events}."
)
UNRECORD_USAGE = N_(
    "Use: /unrecord REF EVENT [DATE], for example /unrecord A-1 entry or /unrecord A-1 "
    "annual-4: removes what /record recorded."
)
# The last words of a message that were meant as a date: digits with separators
# (45.10.2026, 2026-13-01) or a day, a word and a year (45 октября 2026).
_DATE_LIKE = re.compile(r"^\d{1,4}[./\-]\d{1,2}[./\-]\d{1,4}$")
_DAY_WORD_YEAR = re.compile(r"^\d{1,2} [^\W\d_]+\.? \d{4}$")


def split_record_args(
    args: list[str], usage: str = RECORD_USAGE
) -> tuple[str, str, dt.date | None]:
    """REF, the event's words and its date (None: today) — the date is the longest tail of
    the arguments that reads as one (`01.10.2026`, `1 октября 2026`). A tail shaped like a
    date that is not one (`45.10.2026`) is refused as a date, naming what is wrong with it —
    not read as part of the event's name."""
    if len(args) < 2:
        raise InputError(usage, events=event_names())
    ref, rest = args[0], args[1:]
    for size in (3, 2, 1):
        if len(rest) > size:
            try:
                day = parse_date(" ".join(rest[-size:]))
            except InputError:
                continue
            return ref, " ".join(rest[:-size]), day
    for size in (3, 1):
        tail = " ".join(rest[-size:])
        if len(rest) > size and (_DATE_LIKE.match(tail) or _DAY_WORD_YEAR.match(tail)):
            parse_date(tail)  # raises the sentence that names what is wrong with the date
    return ref, " ".join(rest), None


async def record_command(update: Update, context: BotContext) -> None:
    ref, word, day = split_record_args(context.args or [])
    case, _facts = await context.find(ref)
    event = parse_event(word, day or context.today)  # checked by the service (core.recording)
    await record_event(update, context, case, event, dated=day is not None)


async def unrecord_command(update: Update, context: BotContext) -> None:
    ref, word, day = split_record_args(context.args or [], UNRECORD_USAGE)
    case, _facts = await context.find(ref)
    named = parse_event(word, day or context.today)
    result = await context.reminders.unrecord(
        context.owner, case.id, kind=named.kind, year=named.year, on=day
    )
    await unrecorded(update, context, case, result, named)


async def unrecorded(
    update: Update, context: BotContext, case: Case, result: Any, named: Event | None = None
) -> None:
    """The answer to a removed event (`Reminders.unrecord`): what opened again, what went."""
    t = context.t
    ref = bold(case.ref)
    if result.outcome is Outcome.NO_CASE:
        await answer(update, context, t.gettext("This case no longer exists. See /cases."))
        return
    if (result.outcome is Outcome.NOT_RECORDED or result.event is None) and named is None:
        # a button of an event removed since (a second tap)
        await answer(
            update,
            context,
            t.markup("This event is no longer recorded on {ref}: nothing to remove.", ref=ref),
        )
        return
    if result.outcome is Outcome.NOT_RECORDED or result.event is None:
        what = event_text(t, named) if named is not None else ""
        await answer(
            update,
            context,
            t.markup(
                "{ref} has no “{what}” recorded: nothing to remove. /case {plain} lists what "
                "is recorded.",
                ref=ref,
                what=what,
                plain=case.ref,
            ),
        )
        return
    event = result.event
    lines: list[str] = [
        t.markup(
            "Removed from {ref}: {what}, of {date}.",
            ref=ref,
            what=event_text(t, event),
            date=t.date(event.date),
        )
    ]
    today = context.today
    if result.reopened:
        lines += ["", bold(t.gettext("Open again:"))]
        lines += [deadline_line(t, d, today) for d in result.reopened]
    if result.gone:
        lines += ["", bold(t.gettext("No longer open (the event had opened them):"))]
        lines += [render(Markup("• {title}"), title=deadline_title(t, d)) for d in result.gone]
    lines += ["", t.gettext("The reminders follow the case as it is now.")]
    await answer(update, context, join(lines))


async def events_menu(update: Update, context: BotContext, case: Case) -> None:
    """The case's recorded events, one button each: a tap removes that event."""
    t = context.t
    async with context.store.transaction() as tx:
        stored: list[StoredEvent] = await tx.cases.events(case.owner_id, case.id)
    if not stored:
        await answer(update, context, t.markup("{ref} has no recorded events.", ref=bold(case.ref)))
        return
    newest = sorted(stored, key=lambda e: (e.date, e.id), reverse=True)[:MAX_LISTED_BUTTONS]
    rows = [
        [
            button(
                "✕ " + short(f"{t.date(e.date, 'short')} {event_text(t, e.event())}", 60),
                Unrecord(case.id, e.id),
            )
        ]
        for e in newest
    ]
    await answer(
        update,
        context,
        t.markup(
            "Which event of {ref} should be removed? What it closed opens again, what it "
            "opened goes; you can record it again later.",
            ref=bold(case.ref),
        ),
        rows,
    )


async def paid(update: Update, context: BotContext) -> None:
    args = context.args or []
    if not args:
        raise InputError(N_("Use: /paid REF [YEAR], for example /paid A-1 4."))
    year: int | None = None
    if len(args) >= 2 and args[-1].isdecimal():
        if len(args[-1]) > 3:
            raise InputError(
                N_("An annual fee is due for years {first} to {last} here; got year {year}."),
                first=1,
                last=25,
                year=short(args[-1], 10),
            )
        year = int(args[-1])
        args = args[:-1]
    case, facts = await context.find(" ".join(args))
    await record_paid(update, context, case, facts, year)
