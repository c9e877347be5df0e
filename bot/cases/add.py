"""/addcase: a case in one line (`/addcase REF PRIORITY FILING [patent|um] [natural]`) or
guided, step by step; saved with its alerts in one unit of work.
"""

from __future__ import annotations

import datetime as dt

from telegram import Update

from bot.cases.buttons import AddKind, AddNatural, AddNoPriority, PaidPast
from bot.cases.card import show_case
from bot.context import BotContext
from bot.parse import check_ref, read_args
from bot.render.html import bold, join
from bot.render.reply import Button, answer, button
from bot.render.views import (
    UNPAID_YEARS,
    unpaid_years_line,
)
from core.dates import parse_date
from core.deadlines import CaseFacts
from core.errors import N_, InputError
from core.fees import NATURAL_WORDS
from core.labels import EVENT_LABELS as EVENT_LABELS
from core.models import Kind
from core.recording import unpaid_years
from core.storage import CaseInput, DuplicateRef, case_facts

FLOW = "addcase"
CANCELLED = N_("Adding the case is cancelled; nothing was saved.")  # /cancel


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
