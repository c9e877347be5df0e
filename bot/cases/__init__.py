"""The user's cases: /addcase, /cases, /case REF, /paid REF [YEAR], /record REF EVENT [DATE],
/unrecord REF EVENT [DATE], /delete REF, /forget — one feature in a package, a module per part
(`add`, `card`, `record`, `delete`, and their `buttons`), assembled here (`handlers()`, the
buttons' `on_button`).

Every case is reached through `core.teams.access` — the user's own, or a case of one of their
teams, with their role in it — and buttons carry the case's numeric id, which is looked up
again at every press: a user never sees or changes another user's (or another team's) case,
whatever callback data a client sends, and a member removed from a team reaches its cases no
more, from that moment.
"""

from __future__ import annotations

import datetime as dt

from telegram import Update
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler

from bot.cases.add import CANCELLED as CANCELLED
from bot.cases.add import FLOW, addcase, ask_natural, on_text, save_case
from bot.cases.buttons import (
    AddKind,
    AddNatural,
    AddNoPriority,
    CasesPage,
    Delete,
    DeleteYes,
    Events,
    ForgetYes,
    Keep,
    PaidPast,
    Resume,
    SetNatural,
    ShowCard,
    Unrecord,
    Why,
)
from bot.cases.card import case_command, cases_page, list_cases, show_case
from bot.cases.delete import confirm_delete, delete, forget
from bot.cases.record import events_menu, paid, record_command, unrecord_command, unrecorded
from bot.context import LANG_KEY, BotContext
from bot.fallbacks import stale_button
from bot.parse.buttons import CaseButton
from bot.render.html import bold, join
from bot.render.reply import ack, answer
from bot.render.views import paid_years_text, why_text
from core.deadlines import compute
from core.errors import N_
from core.models import Kind
from core.storage import CaseInput, case_facts

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
        case CasesPage(page):
            await cases_page(update, context, page, edit=True)
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
                events = await tx.cases.events(changed.owner_id, case.id)
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

__all__ = ["CANCELLED", "FLOW", "MENU_ACTIONS", "TEXT_STEPS", "handlers"]
