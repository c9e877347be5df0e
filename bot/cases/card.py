"""/cases and /case REF: the list of the user's cases — their own, then each team's, marked
with the team's name — and one case's card: its team and who handles it, its recorded events
(on a team's case, who recorded each and when), open deadlines with their warnings and money,
and one button per action the user's role allows (a viewer's card has none that changes it).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal
from typing import Final

from telegram import Update

from bot.cases.buttons import CasesPage, Delete, Events, Resume, SetNatural, ShowCard, Why
from bot.context import BotContext
from bot.parse.buttons import Menu, ShowTimeline
from bot.render.html import Markup, bold, italic, join, render
from bot.render.reply import Button, answer, button
from bot.render.text import short
from bot.render.views import (
    deadline_button,
    deadline_line,
    event_text,
)
from core.deadlines import CaseFacts, compute, years_with_grant_fee
from core.errors import N_
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
from core.storage import Case, StoredEvent, case_facts
from core.teams.access import holdings
from core.teams.models import ROLE_LABELS, Holding, Member, Role
from core.teams.service import assignees_in
from draw import timeline as drawing

_UNDER: Final = Markup("{line}\n   {more}")  # a case's next line in /cases, indented
PAGE: Final = 25  # cases on one page of /cases (one message, a button for each)


# -- /cases and /case -----------------------------------------------------------------------


def next_deadline(facts: CaseFacts) -> Deadline | None:
    found = compute(facts)
    return found[0] if found else None


Listed = list[tuple[Holding, list[tuple[Case, CaseFacts]]]]


async def listed_cases(context: BotContext) -> tuple[Listed, dict[int, Member]]:
    """The cases the user sees, their own first, then each team's (one read), and the
    assignee of each team case that has one."""
    found: Listed = []
    async with context.store.reading() as tx:
        for holding in await holdings(tx, context.owner):
            cases = await tx.cases.all(holding.account)
            ids = [c.id for c in cases]
            events = await tx.cases.events_of(holding.account, ids) if cases else {}
            found.append((holding, [(c, case_facts(c, events.get(c.id, []))) for c in cases]))
        team_ids = [c.id for h, listed in found if h.team is not None for c, _f in listed]
        assigned = await assignees_in(tx, team_ids) if team_ids else {}
    return found, assigned


def case_line(t: Translator, case: Case, facts: CaseFacts, now: dt.date) -> str:
    nxt = next_deadline(facts)
    line = render(
        Markup("• <b>{ref}</b> — {kind}"), ref=case.ref, kind=kind_label(t, case.kind.value)
    )
    if case.title:
        line = render(Markup("{line}\n   <i>{title}</i>"), line=line, title=short(case.title, 80))
    if nxt is not None:
        line = render(_UNDER, line=line, more=deadline_line(t, nxt, now, bullet=False))
    if case.muted:
        line = render(_UNDER, line=line, more=t.gettext("(reminders stopped)"))
    return line


async def list_cases(update: Update, context: BotContext) -> None:
    await cases_page(update, context, 0)


async def cases_page(update: Update, context: BotContext, page: int, *, edit: bool = False) -> None:
    """One page of /cases: up to `PAGE` cases, the user's own first, then each team's; with
    more than a page, "Cases 26–50 of 300" and buttons to the pages before and after (a
    press edits the list in place)."""
    t = context.t
    found, assigned = await listed_cases(context)
    every = [(holding, len(listed), c, f) for holding, listed in found for c, f in listed]
    total = len(every)
    if not total:
        empty: list[list[Button]] = [[button(t.gettext("Add a case"), Menu("add"))]]
        await answer(
            update, context, t.gettext("You have no cases yet. Add one with /addcase."), empty
        )
        return
    pages = -(-total // PAGE)
    page = min(page, pages - 1)
    first = page * PAGE
    shown = every[first : first + PAGE]
    lines: list[str] = []
    if pages > 1:
        head = t.fmt(
            "Cases {first}–{last} of {total}", first=first + 1, last=first + len(shown), total=total
        )
        lines += [bold(head), ""]
    now = context.today
    rows: list[list[Button]] = []
    heading: Holding | None = None  # the holding whose heading was written last
    for holding, count, case, facts in shown:
        team = holding.team
        if holding is not heading:
            heading = holding
            if team is None:
                lines += [bold(t.nfmt("You have {n} case:", "You have {n} cases:", count)), ""]
            else:
                head = t.nfmt(
                    "{team} ({role}): {n} case:",
                    "{team} ({role}): {n} cases:",
                    count,
                    team=team.name,
                    role=role_label(t, holding.role),
                )
                lines += ["", bold(head), ""] if lines else [bold(head), ""]
        line = case_line(t, case, facts, now)
        member = assigned.get(case.id)
        if member is not None:
            line = render(_UNDER, line=line, more=t.fmt("Handled by {name}.", name=member.label))
        lines.append(line)
        label = case.ref if team is None else f"{team.name} · {case.ref}"
        rows.append([button(label[:40], ShowCard(case.id))])
    if pages > 1:
        nav: list[Button] = []
        if page > 0:
            nav.append(button(t.gettext("‹ Previous"), CasesPage(page - 1)))
        if page < pages - 1:
            nav.append(button(t.gettext("Next ›"), CasesPage(page + 1)))
        rows.append(nav)
        if context.services.settings.webapp_url is not None:
            lines += ["", t.gettext("/desk shows every case in one table.")]
    await answer(update, context, join(lines), rows, edit=edit)


def role_label(t: Translator, role: Role | None) -> str:
    return t.gettext(ROLE_LABELS[role]) if role is not None else ""


def case_text(
    t: Translator,
    case: Case,
    facts: CaseFacts,
    deadlines: list[Deadline],
    now: dt.date,
    *,
    holding: Holding | None = None,
    assignee: Member | None = None,
    by: Sequence[str | None] = (),
    others: Sequence[str] = (),
) -> Markup:
    """The card. A team's case says whose it is, the user's role and who handles it; `by`:
    for each recorded event (in the order of `facts.events`), who recorded it and when (the
    card of a team's case shows it); `others`: the team cases of the same reference, where
    a plain reference chose the user's own case."""
    team = holding.team if holding is not None else None
    lines: list[str] = [
        bold(t.fmt("Case {ref}", ref=case.ref)),
        t.fmt("Kind: {kind}", kind=kind_label(t, case.kind.value)),
        t.fmt("Priority date: {date}", date=t.date(facts.priority_date)),
        t.fmt("International filing date: {date}", date=t.date(case.filing)),
    ]
    if case.title:
        lines.insert(1, t.fmt("Title: {title}", title=case.title))
    if team is not None and holding is not None:
        lines.insert(
            1, t.fmt("Team: {team} (you: {role})", team=team.name, role=role_label(t, holding.role))
        )
        if assignee is not None:
            lines.insert(2, t.fmt("Handled by {name}.", name=assignee.label))
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
        for i, e in enumerate(facts.events):
            line = render(Markup("• {date} — {what}"), date=t.date(e.date), what=event_text(t, e))
            who = by[i] if i < len(by) else None
            if who:
                line = render(Markup("{line} — {who}"), line=line, who=who)
            lines.append(line)
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
    if others:
        note = t.fmt(
            "This is your own case {ref}; your teams have one too: {refs}.",
            ref=case.ref,
            refs=", ".join(others),
        )
        lines += ["", italic(note)]
    return join(lines)


def recorded_by(t: Translator, events: Sequence[StoredEvent], tz: dt.tzinfo) -> list[str | None]:
    """Who recorded each event and when ("recorded by Anna, 03.02.2027"), where known."""
    found: list[str | None] = []
    for e in events:
        if not e.recorded_name:
            found.append(None)
            continue
        day = t.date(e.recorded_at.astimezone(tz).date(), "short") if e.recorded_at else ""
        template = (
            N_("imported by {name}, {date}")
            if e.source.value == "import"
            else N_("recorded by {name}, {date}")
        )
        found.append(t.fmt(template, name=e.recorded_name, date=day))
    return found


async def show_case(
    update: Update,
    context: BotContext,
    case: Case,
    facts: CaseFacts,
    *,
    edit: bool = False,
    others: Sequence[str] = (),
) -> None:
    t = context.t
    deadlines = compute(facts)
    today = context.today
    holding = await context.holding(case)
    if holding is None:  # no longer theirs to see (removed from the team a moment ago)
        await answer(update, context, t.gettext("This case no longer exists. See /cases."))
        return
    by: list[str | None] = []
    assignee: Member | None = None
    if holding.team is not None:
        async with context.store.reading() as tx:
            stored = await tx.cases.events(case.owner_id, case.id)
            assignee = (await assignees_in(tx, [case.id])).get(case.id)
        by = recorded_by(t, stored, context.settings.tz)
    if not holding.writes:  # a viewer: the card, why each date and the timeline; no changes
        looks: list[list[Button]] = []
        for d in deadlines[:8]:
            if not any(d.date == other.date for other in deadlines[: deadlines.index(d)]):
                label = t.fmt("Why {date}?", date=t.date(d.date, "short"))
                looks.append([button(label, Why(case.id, d.code))])
        looks.append([button(t.gettext("Timeline"), ShowTimeline(case.id))])
        text = case_text(
            t, case, facts, deadlines, today, holding=holding, assignee=assignee, by=by
        )
        await answer(update, context, text, looks, edit=edit)
        return
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
    text = case_text(
        t,
        case,
        facts,
        deadlines,
        today,
        holding=holding,
        assignee=assignee,
        by=by,
        others=others,
    )
    await answer(update, context, text, rows, edit=edit)


async def case_command(update: Update, context: BotContext) -> None:
    args = context.args or []
    if not args:
        await list_cases(update, context)
        return
    found = await context.find_case(" ".join(args))
    await show_case(update, context, found.case, found.facts, others=found.others)
