"""The user's cases: /addcase, /cases, /case REF, /paid REF [YEAR], /delete REF, /forget.

Every query is scoped by the Telegram user id in SQL (`core.storage` repositories), and buttons
carry the case's numeric id, which is looked up again with the owner: a user never sees or
changes another user's case, whatever callback data a client sends.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Annotated, Final

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
    deadline_button,
    deadline_line,
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
from core.explain import event_label as _event_label
from core.fees import check_year
from core.i18n import Translator
from core.labels import EVENT_LABELS as EVENT_LABELS
from core.lifecycle import case_status, check_event, event_names, parse_event
from core.models import Deadline, Kind
from core.reminders import Outcome
from core.storage import Case, CaseInput, DuplicateRef, case_facts

FLOW = "addcase"
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
class ShowCard(CaseButton, action="show"):
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


def parse_addcase(args: list[str]) -> CaseInput:
    ref = check_ref(args[0])
    usage = N_(
        "Use: /addcase REF PRIORITY FILING [patent|um], "
        "for example /addcase A-1 15.03.2024 10.03.2025 patent."
    )
    dates, kind = read_args(" ".join(args[1:]), usage)
    priority, filing = (None, dates[0]) if len(dates) == 1 else (dates[0], dates[1])
    CaseFacts(kind=kind, filing=filing, priority=priority)  # the dates' order
    return CaseInput(ref=ref, kind=kind, filing=filing, priority=priority)


async def save_case(update: Update, context: BotContext, data: CaseInput) -> None:
    user_id = context.owner
    try:
        case = await context.reminders.add_case(user_id, data)  # with its alert plan
    except DuplicateRef:
        raise InputError(
            N_("You already have a case “{ref}”. See it with /case {ref}."), ref=data.ref
        ) from None
    t = context.t
    await answer(update, context, t.markup("Case {ref} saved.", ref=bold(case.ref)))
    await show_case(update, context, case, case_facts(case, []))


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
    if case.muted:
        lines.append(t.gettext("(reminders stopped)"))
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
    # each open deadline: "why this date?" and its own action (Paid, Done or What to do)
    rows: list[list[Button]] = [
        [
            button(t.fmt("Why {date}?", date=t.date(d.date, "short")), Why(case.id, d.code)),
            deadline_button(t, case.id, d),
        ]
        for d in deadlines[:8]
    ]
    rows.append([button(t.gettext("Timeline"), ShowTimeline(case.id))])  # bot/handlers/timeline
    last = [button(t.gettext("Delete"), Delete(case.id))]
    if case.muted:
        last.insert(0, button(t.gettext("Resume reminders"), Resume(case.id)))
    rows.append(last)
    text = case_text(t, case, facts, deadlines, context.today)
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
    what = event_label(t, event)
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


def event_label(t: Translator, event: Event) -> str:
    return _event_label(t, event)


RECORD_USAGE = N_(
    "Use: /record REF EVENT [DATE], for example /record A-1 entry 01.10.2026 or "
    "/record A-1 annual-4. Events: {events}."
)


def split_record_args(args: list[str]) -> tuple[str, str, dt.date | None]:
    """REF, the event's words and its date (None: today) — the date is the longest tail of
    the arguments that reads as one (`01.10.2026`, `1 октября 2026`)."""
    if len(args) < 2:
        raise InputError(RECORD_USAGE, events=event_names())
    ref, rest = args[0], args[1:]
    for size in (3, 2, 1):
        if len(rest) > size:
            try:
                day = parse_date(" ".join(rest[-size:]))
            except InputError:
                continue
            return ref, " ".join(rest[:-size]), day
    return ref, " ".join(rest), None


async def record_command(update: Update, context: BotContext) -> None:
    ref, word, day = split_record_args(context.args or [])
    case, facts = await context.find(ref)
    event = parse_event(word, day or context.today)
    check_event(facts, event)
    await record_event(update, context, case, event, dated=day is not None)


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
            context.end_flow()
            priority = flow.get("priority")
            await save_case(
                update,
                context,
                CaseInput(
                    ref=flow["ref"],
                    kind=kind,
                    filing=dt.date.fromisoformat(flow["filing"]),
                    priority=dt.date.fromisoformat(priority) if priority else None,
                ),
            )
            return
        case Keep():
            await answer(update, context, t.gettext("Kept. Nothing was deleted."), edit=True)
            return
        case ShowCard() | Why() | Resume() | Delete() | DeleteYes():
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
            match = [d for d in compute(facts) if d.code == code]
            if match:
                await answer(update, context, why_text(t, match[0]))
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


def handlers() -> list[BaseHandler[Update, BotContext, None]]:
    return [
        CommandHandler("addcase", addcase),
        CommandHandler("cases", list_cases),
        CommandHandler("case", case_command),
        CommandHandler("paid", paid),
        CommandHandler("record", record_command),
        CommandHandler("delete", delete),
        CommandHandler("forget", forget),
        CallbackQueryHandler(on_button, pattern=CaseButton.matches),
    ]


TEXT_STEPS = {FLOW: on_text}
MENU_ACTIONS = {"cases": list_cases, "add": addcase}
