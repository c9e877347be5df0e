"""The user's cases: /addcase, /cases, /case REF, /paid REF [YEAR], /record REF EVENT [DATE],
/unrecord REF EVENT [DATE], /delete REF, /forget.

Every query is scoped by the Telegram user id in SQL (`core.storage` repositories), and buttons
carry the case's numeric id, which is looked up again with the owner: a user never sees or
changes another user's case, whatever callback data a client sends.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Annotated, Any, Final

from telegram import Update
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler

from bot.context import LANG_KEY, BotContext
from bot.fallbacks import stale_button
from bot.parse import check_ref, read_args
from bot.parse.buttons import CaseButton, DeadlineCode, Menu, ShowTimeline
from bot.parse.callbacks import MAX_INT, Between, Id, KindField
from bot.render.html import Markup, bold, italic, join, render
from bot.render.reply import Button, ack, answer, button
from bot.render.text import short
from bot.render.views import (
    MAX_LISTED_BUTTONS,
    UNPAID_YEARS,
    deadline_button,
    deadline_line,
    event_text,
    paid_years_text,
    unpaid_years_line,
    why_text,
)
from core.dates import parse_date
from core.deadlines import CaseFacts, Event, EventKind, compute, years_with_grant_fee
from core.errors import N_, InputError
from core.explain import (
    amounts_warning,
    deadline_notes,
    deadline_title,
    grant_years_line,
    kind_label,
    payment_text,
    warning_texts,
)
from core.fees import NATURAL_WORDS, check_year
from core.i18n import Translator
from core.labels import EVENT_LABELS as EVENT_LABELS
from core.lifecycle import case_status, event_names, parse_event
from core.models import Deadline, Kind
from core.recording import entry_passed, unpaid_years
from core.reminders import Outcome
from core.storage import Case, CaseInput, DuplicateRef, StoredEvent, case_facts

FLOW = "addcase"
CANCELLED = N_("Adding the case is cancelled; nothing was saved.")  # /cancel
_UNDER: Final = Markup("{line}\n   {more}")  # a case's next line in /cases, indented


# -- buttons (CaseButton and the deadline buttons: bot/parse/buttons.py) ---------------------


@dataclass(frozen=True)
class AddNoPriority(CaseButton, action="nopri"):
    """/addcase: no priority claimed."""


@dataclass(frozen=True)
class AddKind(CaseButton, action="kind"):
    """/addcase: the kind, the last question."""

    kind: KindField


@dataclass(frozen=True)
class AddNatural(CaseButton, action="np"):
    """/addcase: is the applicant a natural person? The last question."""

    yes: bool


@dataclass(frozen=True)
class ShowCard(CaseButton, action="show"):
    case_id: Id


@dataclass(frozen=True)
class SetNatural(CaseButton, action="setnp"):
    """The card's switch: the applicant is (`natural`) or is not a natural person."""

    case_id: Id
    natural: bool


@dataclass(frozen=True)
class Events(CaseButton, action="events"):
    """ "Remove a recorded event…" under the card: the events, one button each."""

    case_id: Id


@dataclass(frozen=True)
class Unrecord(CaseButton, action="unrec"):
    """Removes one recorded event (its stored id) from the case."""

    case_id: Id
    event_id: Id


@dataclass(frozen=True)
class PaidPast(CaseButton, action="paidpast"):
    """ "Record them as paid": the case's annual fees overdue with no payment recorded."""

    case_id: Id


@dataclass(frozen=True)
class Why(CaseButton, action="why"):
    """ "Why this date?" for one open deadline of the case."""

    case_id: Id
    code: DeadlineCode


@dataclass(frozen=True)
class Resume(CaseButton, action="resume"):
    case_id: Id


@dataclass(frozen=True)
class Delete(CaseButton, action="del"):
    case_id: Id


@dataclass(frozen=True)
class DeleteYes(CaseButton, action="delyes"):
    case_id: Id


@dataclass(frozen=True)
class Keep(CaseButton, action="keep"):
    """ "No, keep it" under /delete (the case's id) and /forget (0)."""

    case_id: Annotated[int, Between(0, MAX_INT)]


@dataclass(frozen=True)
class ForgetYes(CaseButton, action="forgetyes"):
    pass


# -- /addcase -------------------------------------------------------------------------------


ADDCASE_USAGE = N_(
    "Use: /addcase REF PRIORITY FILING [patent|um] [natural], for example "
    "/addcase A-1 15.03.2024 10.03.2025 patent, or with “natural” (физлицо, фізасоба) when "
    "the applicant is a natural person."
)


def natural_words(words: list[str]) -> tuple[list[str], bool]:
    """`words` without the ones that say "natural person" (natural, физлицо, фізасоба,
    физическое лицо…, one word or two), and whether there were any."""
    kept: list[str] = []
    natural = False
    i = 0
    while i < len(words):
        one = words[i].lower().replace("ё", "е")
        two = " ".join(w.lower().replace("ё", "е") for w in words[i : i + 2])
        if i + 1 < len(words) and two in NATURAL_WORDS:
            natural, i = True, i + 2
        elif one in NATURAL_WORDS:
            natural, i = True, i + 1
        else:
            kept.append(words[i])
            i += 1
    return kept, natural


def parse_addcase(args: list[str]) -> CaseInput:
    ref = check_ref(args[0])
    words, natural = natural_words(args[1:])
    dates, kind = read_args(" ".join(words), ADDCASE_USAGE)
    priority, filing = (None, dates[0]) if len(dates) == 1 else (dates[0], dates[1])
    CaseFacts(kind=kind, filing=filing, priority=priority)  # the dates' order
    return CaseInput(ref=ref, kind=kind, filing=filing, priority=priority, natural_person=natural)


async def save_case(update: Update, context: BotContext, data: CaseInput) -> None:
    user_id = context.owner
    try:
        case = await context.reminders.add_case(user_id, data)  # with its alert plan
    except DuplicateRef:
        raise InputError(
            N_("You already have a case “{ref}”. See it with /case {ref}."), ref=data.ref
        ) from None
    t = context.t
    facts = case_facts(case, [])
    text = t.markup("Case {ref} saved.", ref=bold(case.ref))
    rows: list[list[Button]] = []
    past = unpaid_years(facts, await context.reminders.today_for(user_id))
    if past:  # never assumed paid: said, with one action to record them all
        line = unpaid_years_line(t, [d.year for d in past])
        text = join([text, "", bold(line), t.gettext(UNPAID_YEARS)])
        rows = [[button(t.gettext("Record them all as paid"), PaidPast(case.id))]]
    await answer(update, context, text, rows)
    await show_case(update, context, case, facts)


async def addcase(update: Update, context: BotContext) -> None:
    args = context.args or []
    if args:
        await save_case(update, context, parse_addcase(args))
        return
    context.start_flow(FLOW, "ref")
    await answer(
        update,
        context,
        context.t.gettext(
            "What is the case reference? One word, for example PCT/IB2024/050123 or my-ref-7."
        ),
    )


async def on_text(update: Update, context: BotContext) -> None:
    """Typed steps of /addcase: the reference, the priority date, the filing date."""
    flow = context.flow
    message = update.effective_message
    if flow is None or message is None:
        return
    t = context.t
    text = message.text or ""
    step = flow.get("step")
    if step == "ref":
        ref = check_ref(text)
        async with context.store.transaction() as tx:
            if await tx.cases.by_ref(context.owner, ref) is not None:
                raise InputError(
                    N_("You already have a case “{ref}”. See it with /case {ref}."), ref=ref
                )
        flow.update(ref=ref, step="priority")
        rows = [[button(t.gettext("No priority claimed"), AddNoPriority())]]
        await answer(
            update,
            context,
            t.gettext("What is the priority date? For example 15.03.2024 or 15 March 2024."),
            rows,
        )
    elif step == "priority":
        flow.update(priority=parse_date(text).isoformat(), step="filing")
        await answer(update, context, t.gettext("What is the international filing date?"))
    elif step == "filing":
        filing = parse_date(text)
        priority = dt.date.fromisoformat(flow["priority"]) if flow.get("priority") else None
        CaseFacts(filing=filing, priority=priority)
        flow.update(filing=filing.isoformat(), step="kind")
        rows = [
            [
                button(t.gettext("Patent for invention"), AddKind(Kind.PATENT)),
                button(t.gettext("Utility model"), AddKind(Kind.UTILITY_MODEL)),
            ]
        ]
        await answer(update, context, t.gettext("Is it a patent or a utility model?"), rows)
    else:
        await answer(update, context, t.gettext("Please choose with the buttons above."))


async def ask_natural(update: Update, context: BotContext, *, edit: bool) -> None:
    t = context.t
    rows = [
        [
            button(t.gettext("Yes, a natural person"), AddNatural(True)),
            button(t.gettext("No"), AddNatural(False)),
        ]
    ]
    await answer(
        update,
        context,
        t.gettext(
            "Is the applicant a natural person (an individual, not a company)? Then every fee "
            "of the case is reduced by 75% (Summary, footnote 3)."
        ),
        rows,
        edit=edit,
    )


# -- /cases and /case -----------------------------------------------------------------------


def next_deadline(facts: CaseFacts) -> Deadline | None:
    found = compute(facts)
    return found[0] if found else None


async def list_cases(update: Update, context: BotContext) -> None:
    t = context.t
    user_id = context.owner
    async with context.store.transaction() as tx:
        cases = await tx.cases.all(user_id)
        facts = [case_facts(c, await tx.cases.events(user_id, c.id)) for c in cases]
    if not cases:
        empty: list[list[Button]] = [[button(t.gettext("Add a case"), Menu("add"))]]
        await answer(
            update, context, t.gettext("You have no cases yet. Add one with /addcase."), empty
        )
        return
    lines: list[str] = [
        bold(t.nfmt("You have {n} case:", "You have {n} cases:", len(cases))),
        "",
    ]
    now = context.today
    for case, f in zip(cases, facts, strict=True):
        nxt = next_deadline(f)
        line = render(
            Markup("• <b>{ref}</b> — {kind}"), ref=case.ref, kind=kind_label(t, case.kind.value)
        )
        if case.title:
            line = render(
                Markup("{line}\n   <i>{title}</i>"), line=line, title=short(case.title, 80)
            )
        if nxt is not None:
            line = render(_UNDER, line=line, more=deadline_line(t, nxt, now, bullet=False))
        if case.muted:
            line = render(_UNDER, line=line, more=t.gettext("(reminders stopped)"))
        lines.append(line)
    rows: list[list[Button]] = [
        [button(case.ref[:30], ShowCard(case.id))] for case in cases[:MAX_LISTED_BUTTONS]
    ]
    await answer(update, context, join(lines), rows)


def case_text(
    t: Translator, case: Case, facts: CaseFacts, deadlines: list[Deadline], now: dt.date
) -> Markup:
    lines: list[str] = [
        bold(t.fmt("Case {ref}", ref=case.ref)),
        t.fmt("Kind: {kind}", kind=kind_label(t, case.kind.value)),
        t.fmt("Priority date: {date}", date=t.date(facts.priority_date)),
        t.fmt("International filing date: {date}", date=t.date(case.filing)),
    ]
    if case.title:
        lines.insert(1, t.fmt("Title: {title}", title=case.title))
    if case.wo_number:
        lines.append(t.fmt("International publication: {number}", number=case.wo_number))
    if case.publication_date is not None:
        lines.append(
            t.fmt("International publication date: {date}", date=t.date(case.publication_date))
        )
    if case.natural_person:
        lines.append(
            t.gettext(
                "Applicant: a natural person — every fee of the case is reduced by 75% "
                "(Summary, footnote 3; confirm your eligibility with the Office)."
            )
        )
    else:
        lines.append(t.gettext("Applicant: not a natural person (no reduction of the fees)."))
    if case.muted:
        lines.append(t.gettext("(reminders stopped)"))
    lines.append("")
    if facts.events:
        lines.append(bold(t.gettext("Recorded events")))
        lines += [
            render(Markup("• {date} — {what}"), date=t.date(e.date), what=event_text(t, e))
            for e in facts.events
        ]
    else:
        lines.append(t.gettext("No events recorded yet (/record REF EVENT DATE)."))
    lines.append("")
    if deadlines:
        lines.append(bold(t.gettext("Open deadlines")))
        said: set[str] = set()  # a warning two deadlines share is said once
        for item in case_status(facts, now):
            lines.append(deadline_line(t, item.deadline, now))
            fresh = [w for w in item.warnings if w not in said]
            said.update(fresh)
            lines += [render(Markup("   ⚠️ {w}"), w=italic(w)) for w in warning_texts(t, fresh)]
    else:
        lines.append(t.gettext("No open deadlines."))
    payments = [d for d in deadlines if d.amount is not None and not d.code.endswith("_grace")]
    with_grant = years_with_grant_fee(facts, now)
    if payments or with_grant:
        lines += ["", bold(t.gettext("Next payments"))]
        for d in payments:
            line = render(
                Markup("• {title}: <b>{amount}</b> — {by}"),
                title=deadline_title(t, d),
                amount=payment_text(t, d.code, d.amount or Decimal(0), d.late_amount),
                by=t.fmt("by {date}", date=t.date(d.date)),
            )
            lines.append(line)
        if with_grant:
            lines.append("• " + grant_years_line(t, with_grant))
        lines += [italic(w) for w in amounts_warning(t, [d.date for d in payments] or [now])]
    notes = deadline_notes(t, facts, deadlines)
    if notes:
        lines += ["", *(italic(n) for n in notes)]
    return join(lines)


async def show_case(
    update: Update, context: BotContext, case: Case, facts: CaseFacts, *, edit: bool = False
) -> None:
    t = context.t
    deadlines = compute(facts)
    today = context.today
    entry_missed = entry_passed(facts, today)  # the route's button only once it applies
    # each open deadline its own action (Paid, Done or What to do) — the route after a missed
    # entry only once the entry is actually overdue (BY.16); each date one "why this date?",
    # beside the first deadline on it (it explains every deadline on that day)
    rows: list[list[Button]] = []
    explained: set[dt.date] = set()
    for d in deadlines[:8]:
        row: list[Button] = []
        if d.date not in explained:
            explained.add(d.date)
            row.append(
                button(t.fmt("Why {date}?", date=t.date(d.date, "short")), Why(case.id, d.code))
            )
        if not (d.code == "entry_reinstatement" and not entry_missed):
            row.append(deadline_button(t, case.id, d))
        if row:
            rows.append(row)
    rows.append([button(t.gettext("Timeline"), ShowTimeline(case.id))])  # bot/handlers/timeline
    natural = (
        button(t.gettext("The applicant is not a natural person"), SetNatural(case.id, False))
        if case.natural_person
        else button(
            t.gettext("The applicant is a natural person (−75%)"), SetNatural(case.id, True)
        )
    )
    rows.append([natural])
    if facts.events:
        rows.append([button(t.gettext("Remove a recorded event…"), Events(case.id))])
    last = [button(t.gettext("Delete"), Delete(case.id))]
    if case.muted:
        last.insert(0, button(t.gettext("Resume reminders"), Resume(case.id)))
    rows.append(last)
    text = case_text(t, case, facts, deadlines, today)
    await answer(update, context, text, rows, edit=edit)


async def case_command(update: Update, context: BotContext) -> None:
    args = context.args or []
    if not args:
        await list_cases(update, context)
        return
    case, facts = await context.find(" ".join(args))
    await show_case(update, context, case, facts)


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
        stored: list[StoredEvent] = await tx.cases.events(context.owner, case.id)
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


# -- /delete and /forget ----------------------------------------------------------------------


async def delete(update: Update, context: BotContext) -> None:
    args = context.args or []
    if not args:
        raise InputError(N_("Use: /delete REF, for example /delete A-1."))
    case, _facts = await context.find(" ".join(args))
    await confirm_delete(update, context, case)


async def confirm_delete(update: Update, context: BotContext, case: Case) -> None:
    t = context.t
    rows = [
        [
            button(t.gettext("Yes, delete"), DeleteYes(case.id)),
            button(t.gettext("No, keep it"), Keep(case.id)),
        ]
    ]
    await answer(
        update,
        context,
        t.markup(
            "Delete the case {ref} with its payments and reminders? This cannot be undone.",
            ref=bold(case.ref),
        ),
        rows,
    )


async def forget(update: Update, context: BotContext) -> None:
    t = context.t
    rows = [
        [
            button(t.gettext("Yes, delete everything"), ForgetYes()),
            button(t.gettext("No, keep it"), Keep(0)),
        ]
    ]
    await answer(
        update,
        context,
        t.gettext(
            "Delete all your data: every case, payment, reminder and setting? "
            "This cannot be undone."
        ),
        rows,
    )


# -- buttons ----------------------------------------------------------------------------------


async def on_button(update: Update, context: BotContext) -> None:
    data = CaseButton.read(update)
    await ack(update)
    t = context.t
    user_id = context.owner
    flow = context.flow
    adding = flow is not None and flow.get("name") == FLOW
    match data:
        case ForgetYes():
            await context.reminders.forget(user_id)
            context.services.seen.discard(user_id)  # their next update records them again
            lang = context.lang
            if context.user_data is not None:
                context.user_data.clear()
                context.user_data[LANG_KEY] = lang
            await answer(update, context, t.gettext("Done: all your data is deleted."), edit=True)
            return
        case AddNoPriority() if adding and flow is not None and flow.get("step") == "priority":
            flow.update(priority=None, step="filing")
            await answer(
                update, context, t.gettext("What is the international filing date?"), edit=True
            )
            return
        case AddKind(kind) if adding and flow is not None and flow.get("step") == "kind":
            flow.update(kind=kind.value, step="np")
            await ask_natural(update, context, edit=True)
            return
        case AddNatural(yes) if adding and flow is not None and flow.get("step") == "np":
            context.end_flow()
            priority = flow.get("priority")
            await save_case(
                update,
                context,
                CaseInput(
                    ref=flow["ref"],
                    kind=Kind(flow["kind"]),
                    filing=dt.date.fromisoformat(flow["filing"]),
                    priority=dt.date.fromisoformat(priority) if priority else None,
                    natural_person=yes,
                ),
            )
            return
        case Keep():
            await answer(update, context, t.gettext("Kept. Nothing was deleted."), edit=True)
            return
        case (
            ShowCard()
            | Why()
            | Resume()
            | Delete()
            | DeleteYes()
            | SetNatural()
            | Events()
            | Unrecord()
            | PaidPast()
        ):
            found = await context.case_by_id(data.case_id)
        case _:  # a flow button of a flow that is over
            await stale_button(update, context, answered=True)
            return
    if found is None:
        await answer(update, context, t.gettext("This case no longer exists. See /cases."))
        return
    case, facts = found
    match data:
        case ShowCard():
            await show_case(update, context, case, facts)
        case Why(code=code):
            open_now = compute(facts)
            match = [d for d in open_now if d.code == code]
            if match:  # every deadline open on that day (one button per date)
                same_day = [d for d in open_now if d.date == match[0].date]
                await answer(update, context, join([why_text(t, d) for d in same_day], "\n\n"))
            else:
                await answer(update, context, t.gettext("This deadline is no longer open."))
        case Resume():
            await context.reminders.resume(user_id, case.id)
            await answer(
                update,
                context,
                t.markup("Reminders for {ref} are on again.", ref=bold(case.ref)),
            )
        case Delete():
            await confirm_delete(update, context, case)
        case DeleteYes():
            await context.reminders.delete_case(user_id, case.id)
            await answer(
                update,
                context,
                t.markup("Case {ref} deleted.", ref=bold(case.ref)),
                edit=True,
            )
        case SetNatural(natural=natural):
            changed = await context.reminders.set_natural_person(user_id, case.id, natural)
            if changed is None:
                await answer(update, context, t.gettext("This case no longer exists. See /cases."))
                return
            said = (
                N_(
                    "{ref}: the applicant is a natural person — every amount of the case, its "
                    "reminders included, is now reduced by 75%."
                )
                if natural
                else N_(
                    "{ref}: the applicant is not a natural person — the amounts of the case are "
                    "now without the reduction for natural persons."
                )
            )
            await answer(update, context, t.markup(said, ref=bold(case.ref)))
            async with context.store.transaction() as tx:
                events = await tx.cases.events(user_id, case.id)
            await show_case(update, context, changed, case_facts(changed, events))
        case Events():
            await events_menu(update, context, case)
        case Unrecord(event_id=event_id):
            result = await context.reminders.unrecord(user_id, case.id, event_id=event_id)
            await unrecorded(update, context, case, result)
        case PaidPast():
            done = await context.reminders.record_unpaid_years(user_id, case_id=case.id)
            await answer(update, context, paid_years_text(t, done))


def handlers() -> list[BaseHandler[Update, BotContext, None]]:
    return [
        CommandHandler("addcase", addcase),
        CommandHandler("cases", list_cases),
        CommandHandler("case", case_command),
        CommandHandler("paid", paid),
        CommandHandler("record", record_command),
        CommandHandler("unrecord", unrecord_command),
        CommandHandler("delete", delete),
        CommandHandler("forget", forget),
        CallbackQueryHandler(on_button, pattern=CaseButton.matches),
    ]


TEXT_STEPS = {FLOW: on_text}
MENU_ACTIONS = {"cases": list_cases, "add": addcase}
