"""/cases and /case REF: the list of the user's cases, and one case's card — its recorded
events, open deadlines with their warnings and money, and one button per action.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Final

from telegram import Update

from bot.cases.buttons import Delete, Events, Resume, SetNatural, ShowCard, Why
from bot.context import BotContext
from bot.parse.buttons import Menu, ShowTimeline
from bot.render.html import Markup, bold, italic, join, render
from bot.render.reply import Button, answer, button
from bot.render.text import short
from bot.render.views import (
    MAX_LISTED_BUTTONS,
    deadline_button,
    deadline_line,
    event_text,
)
from core.deadlines import CaseFacts, compute, years_with_grant_fee
from core.explain import (
    amounts_warning,
    deadline_notes,
    deadline_title,
    grant_years_line,
    kind_label,
    payment_text,
    warning_texts,
)
from core.i18n import Translator
from core.labels import EVENT_LABELS as EVENT_LABELS
from core.lifecycle import case_status
from core.models import Deadline
from core.recording import entry_passed
from core.storage import Case, case_facts
from draw import timeline as drawing

_UNDER: Final = Markup("{line}\n   {more}")  # a case's next line in /cases, indented


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
    if drawing.available():  # matplotlib, the `timeline` extra (else /timeline says why)
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
