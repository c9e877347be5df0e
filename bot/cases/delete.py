"""/delete REF and /forget: a case, or all of a user's data, deleted after a
confirmation.
"""

from __future__ import annotations

from telegram import Update

from bot.cases.buttons import DeleteYes, ForgetYes, Keep
from bot.context import BotContext
from bot.render.html import bold
from bot.render.reply import answer, button
from core.errors import N_, InputError
from core.labels import EVENT_LABELS as EVENT_LABELS
from core.storage import Case

# -- /delete and /forget ----------------------------------------------------------------------


async def delete(update: Update, context: BotContext) -> None:
    args = context.args or []
    if not args:
        raise InputError(N_("Use: /delete REF, for example /delete A-1."))
    case, _facts = await context.find(" ".join(args))
    await confirm_delete(update, context, case)


async def named(context: BotContext, case: Case) -> str:
    """The case as the user names it unambiguously: REF, or TEAM/REF for a team's."""
    holding = await context.holding(case)
    team = holding.team if holding is not None else None
    return case.ref if team is None else f"{team.name}/{case.ref}"


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
            ref=bold(await named(context, case)),
        ),
        rows,
    )


async def in_teams(context: BotContext) -> bool:
    async with context.store.reading() as tx:
        return bool(await tx.teams.of_user(context.owner))


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
        )
        + (
            "\n\n"
            + t.gettext(
                "You leave your teams: their cases stay with them (a team you are the only "
                "owner of gets another owner; a team of yours alone is deleted with its "
                "cases)."
            )
            if await in_teams(context)
            else ""
        ),
        rows,
    )
