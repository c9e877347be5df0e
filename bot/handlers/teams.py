"""/team and /assign: a firm's team — its members and their roles, one-time invitations, the
cases its members share, who handles each, and the team's alert group.

In a private chat:
    /team                              your teams, their members and roles
    /team new NAME                     a team, with you its owner
    /team invite [TEAM] [ROLE]         a one-time code (7 days) and its t.me link (owners)
    /team join CODE                    (or the link: /start join-CODE)
    /team role [TEAM] @user ROLE       owner | attorney | viewer (owners; one owner stays)
    /team remove [TEAM] @user          out at once (owners)
    /team leave [TEAM]
    /team share REF [TEAM]             one of your cases becomes the team's
    /assign REF @user | -              who handles a team case (its alerts go to them)
In a group, by an owner of the team who is an administrator of the group (asked of Telegram
at that moment):
    /team link [TEAM]                  the team's alerts go to this group as well
    /team unlink

TEAM is needed only where the user is in several teams that could be meant. Every rule is the
core's (`core.teams.service`); this module parses, calls one service and answers. What is
posted in the team's group (a shared case's nearest deadline, the summary when a group is
linked) is in the team's language, with the buttons that act only for its owners and
attorneys (bot/handlers/actions.py).
"""

from __future__ import annotations

import contextlib
import logging
from dataclasses import dataclass

from telegram import Update
from telegram.constants import ChatMemberStatus
from telegram.error import Forbidden, TelegramError
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler, filters

from bot.context import BotContext
from bot.fallbacks import in_group
from bot.parse.callbacks import CallbackData, Id
from bot.render.html import Markup, bold, join, render, tag
from bot.render.i18n import translator
from bot.render.reply import Button, ack, answer, button, keyboard, send
from bot.render.views import deadline_button, deadline_line
from core.errors import N_, InputError
from core.i18n import Translator
from core.teams.models import ROLE_LABELS, Role, name_key, parse_role
from core.teams.service import (
    Invite,
    LastMember,
    Linked,
    Shared,
    TeamView,
    Who,
    spaced,
)

log = logging.getLogger("pctby.teams")

USAGE = N_(
    "Use: /team — your teams; /team new NAME; /team invite [attorney|viewer|owner]; "
    "/team join CODE; /team role @user owner|attorney|viewer; /team remove @user; "
    "/team leave; /team share REF; in the team's group: /team link, /team unlink."
)
ASSIGN_USAGE = N_(
    "Use: /assign REF @user — who handles a team's case (its reminders go to them); "
    "/assign REF - — nobody."
)


class TeamButton(CallbackData, feature="team"):
    """The buttons of the team feature."""


@dataclass(frozen=True)
class Dissolve(TeamButton, action="dissolve"):
    """The last member confirms: the team goes, with its cases."""

    team_id: Id


@dataclass(frozen=True)
class KeepTeam(TeamButton, action="keep"):
    """The last member keeps the team after all."""


def who(update: Update) -> Who:
    user = update.effective_user
    assert user is not None
    return Who(user.id, user.full_name, user.username)


def role_label(t: Translator, role: Role) -> str:
    return t.gettext(ROLE_LABELS[role])


def role_of(word: str) -> Role:
    role = parse_role(word)
    if role is None:
        raise InputError(N_("“{word}” is not a role: owner, attorney or viewer."), word=word[:30])
    return role


# -- /team ----------------------------------------------------------------------------------


async def team_command(update: Update, context: BotContext) -> None:
    args = context.args or []
    if in_group(update):
        await group_command(update, context, args)
        return
    verb = args[0].lower() if args else ""
    rest = args[1:]
    if not verb or verb in ("list", "members", "show"):
        await show_teams(update, context)
    elif verb == "new":
        await new_team(update, context, rest)
    elif verb == "invite":
        await invite(update, context, rest)
    elif verb == "join":
        if len(rest) != 1:
            raise InputError(
                N_("Use: /team join CODE, with the code an owner of the team gave you.")
            )
        await join_team(update, context, rest[0])
    elif verb == "role":
        await set_role(update, context, rest)
    elif verb == "remove":
        await remove(update, context, rest)
    elif verb == "leave":
        await leave(update, context, rest)
    elif verb == "share":
        await share(update, context, rest)
    elif verb in ("link", "unlink"):
        await answer(
            update,
            context,
            context.t.gettext(
                "Send /team link in the group that should get the team's reminders (you must "
                "be an administrator of that group and an owner of the team)."
            ),
        )
    else:
        raise InputError(USAGE)


async def my_team_names(context: BotContext) -> set[str]:
    return {name_key(v.team.name) for v in await context.teams.of_user(context.owner)}


def team_view_text(t: Translator, view: TeamView) -> list[str]:
    team = view.team
    lines = [
        render(
            Markup("<b>{team}</b> — {you}"),
            team=team.name,
            you=t.fmt("your role: {role}", role=role_label(t, view.me.role)),
        ),
        t.nfmt("{n} case", "{n} cases", view.cases)
        + " · "
        + (
            t.gettext("alert group: linked")
            if team.group_chat_id is not None
            else t.gettext("alert group: none")
        ),
    ]
    for member in view.members:
        name = member.name or str(member.user_id)
        if member.username:
            name += f" (@{member.username})"
        lines.append(
            render(Markup("• {name} — {role}"), name=name, role=role_label(t, member.role))
        )
    if view.me.role is Role.OWNER and view.open_invites:
        lines.append(
            t.nfmt(
                "{n} invitation not used yet.", "{n} invitations not used yet.", view.open_invites
            )
        )
    return lines


async def show_teams(update: Update, context: BotContext) -> None:
    t = context.t
    views = await context.teams.of_user(context.owner)
    if not views:
        await answer(
            update,
            context,
            join(
                [
                    t.gettext(
                        "You are in no team yet. A team shares cases among the people of a "
                        "firm: every member sees them, owners and attorneys record, its "
                        "reminders go to whoever handles the case and to the team's group."
                    ),
                    "",
                    t.gettext("/team new NAME — create one (you are its owner)"),
                    t.gettext("/team join CODE — join one with an invitation code"),
                ]
            ),
        )
        return
    lines: list[str] = [bold(t.gettext("Your teams")), ""]
    for view in views:
        lines += [*team_view_text(t, view), ""]
    lines += [
        t.gettext(
            "/team invite [attorney|viewer|owner] — a one-time code for a new member (owners)"
        ),
        t.gettext("/team share REF — one of your cases becomes the team's"),
        t.gettext("/assign REF @user — who handles a team's case"),
        t.gettext("/team role @user ROLE, /team remove @user, /team leave"),
        t.gettext("/team link — in the team's group: its reminders go there too"),
        t.gettext("/reminders team — when the team's reminders come (owners change it)"),
    ]
    await answer(update, context, join(lines))


async def new_team(update: Update, context: BotContext, rest: list[str]) -> None:
    t = context.t
    if not rest:
        raise InputError(N_("Use: /team new NAME, for example /team new Sidorenko-IP."))
    team = await context.teams.create(who(update), " ".join(rest), context.lang)
    text = join(
        [
            t.markup("Team {team} created; you are its owner.", team=bold(team.name)),
            "",
            t.gettext("/team invite attorney — a code for a colleague who records"),
            t.gettext("/team share REF — one of your cases becomes the team's"),
            t.gettext("/team link — in the team's group: its reminders go there too"),
        ]
    )
    await answer(update, context, text)


async def invite(update: Update, context: BotContext, rest: list[str]) -> None:
    name: str | None = None
    role = Role.VIEWER
    if len(rest) == 2:
        name, role = rest[0], role_of(rest[1])
    elif len(rest) == 1:
        found = parse_role(rest[0])
        if found is None:
            name = rest[0]
        else:
            role = found
    elif rest:
        raise InputError(USAGE)
    made = await context.teams.invite(context.owner, name, role)
    await answer(update, context, invite_text(context, made))


def invite_text(context: BotContext, made: Invite) -> Markup:
    t = context.t
    code = spaced(made.code)
    lines = [
        t.markup(
            "An invitation to {team} as {role}, for one person, valid until {date}:",
            team=bold(made.team.name),
            role=role_label(t, made.role),
            date=t.date(made.expires.astimezone(context.settings.tz).date()),
        ),
        tag("code", code),
        t.fmt("They send /team join {code}", code=code),
    ]
    username = context.bot.username if context.bot else None
    if username:
        link = f"https://t.me/{username}?start={made.payload}"
        lines.append(t.fmt("or open {link}", link=link))
    lines += [
        "",
        t.gettext(
            "Send it to that person privately: whoever has the code can join, once. "
            "/team shows who is in the team."
        ),
    ]
    return join(lines)


async def join_team(update: Update, context: BotContext, code: str) -> None:
    t = context.t
    member = who(update)
    team, role = await context.teams.join(member, code)
    text = t.markup(
        "Welcome to {team}: you are its {role}. /cases lists its cases with yours; /team shows "
        "its members.",
        team=bold(team.name),
        role=role_label(t, role),
    )
    await answer(update, context, text)
    # the owners learn who came in
    for view in await context.teams.of_user(member.id):
        if view.team.id != team.id:
            continue
        for owner in view.members:
            if owner.role is Role.OWNER and owner.user_id != member.id:
                await tell(
                    context,
                    owner.user_id,
                    N_("{name} joined {team} as {role}."),
                    name=member.name or str(member.id),
                    team=team.name,
                    role=role,
                )


async def tell(
    context: BotContext, user_id: int, template: str, *, role: Role | None = None, **params: str
) -> None:
    """A short note to a member's private chat, in their language (best effort: one who
    blocked the bot simply does not get it)."""
    async with context.store.reading() as tx:
        user = await tx.users.get(user_id)
    if user is None or user.blocked:
        return
    t = translator(user.language)
    if role is not None:
        params["role"] = role_label(t, role)
    with contextlib.suppress(TelegramError):
        await send(context.bot, user.chat_id, t.fmt(template, **params))


def split_team(rest: list[str], size: int) -> tuple[str | None, list[str]]:
    """An optional TEAM before `size` arguments."""
    if len(rest) == size + 1:
        return rest[0], rest[1:]
    if len(rest) == size:
        return None, rest
    raise InputError(USAGE)


async def set_role(update: Update, context: BotContext, rest: list[str]) -> None:
    t = context.t
    name, (spec, word) = split_team(rest, 2)
    member = await context.teams.set_role(context.owner, name, spec, role_of(word))
    await answer(
        update,
        context,
        t.fmt(
            "{who} is now {role} of the team.", who=member.label, role=role_label(t, member.role)
        ),
    )


async def remove(update: Update, context: BotContext, rest: list[str]) -> None:
    t = context.t
    name, (spec,) = split_team(rest, 1)
    team, gone = await context.teams.remove(context.owner, name, spec)
    await answer(
        update,
        context,
        t.markup(
            "{who} is no longer in {team}: from now on they reach none of its cases, and their "
            "old buttons do nothing.",
            who=gone.label,
            team=bold(team.name),
        ),
    )
    await tell(context, gone.user_id, N_("You are no longer a member of {team}."), team=team.name)


async def leave(update: Update, context: BotContext, rest: list[str]) -> None:
    t = context.t
    name = rest[0] if rest else None
    try:
        team = await context.teams.leave(context.owner, name)
    except LastMember as last:
        rows = [
            [
                button(t.gettext("Yes, delete the team"), Dissolve(last.team.id)),
                button(t.gettext("No, keep it"), KeepTeam()),
            ]
        ]
        text = t.nfmt(
            "You are the last member of {team}: leaving deletes the team and its {n} case. "
            "Delete it?",
            "You are the last member of {team}: leaving deletes the team and its {n} cases. "
            "Delete it?",
            last.cases,
            team=last.team.name,
        )
        await answer(update, context, text, rows)
        return
    await answer(update, context, t.markup("You left {team}.", team=bold(team.name)))


async def share(update: Update, context: BotContext, rest: list[str]) -> None:
    """`/team share REF [TEAM]` (or `TEAM REF`): the user's own case becomes the team's."""
    t = context.t
    if not rest or len(rest) > 2:
        raise InputError(N_("Use: /team share REF, for example /team share A-1."))
    name: str | None = None
    ref = rest[0]
    if len(rest) == 2:
        mine = await my_team_names(context)
        if name_key(rest[0]) in mine and name_key(rest[1]) not in mine:
            name, ref = rest[0], rest[1]
        else:
            ref, name = rest[0], rest[1]
    found = await context.find_case(ref)
    shared = await context.teams.share(context.owner, found.case.id, name)
    text = t.markup(
        "{ref} is now a case of {team}: every member sees it, and its reminders go to whoever "
        "handles it (/assign {plain} @user), to the team's group, or else to its owners and "
        "attorneys.",
        ref=bold(shared.case.ref),
        team=bold(shared.team.name),
        plain=shared.case.ref,
    )
    await answer(update, context, text)
    if shared.team.group_chat_id is not None:
        posted = await post_shared(context, shared, who(update))
        if not posted:
            await answer(
                update,
                context,
                t.gettext("I could not post in the team's group: /team link it again."),
            )


async def post_shared(context: BotContext, shared: Shared, by: Who) -> bool:
    """The shared case's nearest open deadline, in the team's group at once (the team has not
    seen it yet), with its button (owners and attorneys act on it)."""
    group = shared.team.group_chat_id
    if group is None:
        return True
    t = translator(await context.teams.language(shared.team))
    ref = shared.case.ref
    if shared.case.title:
        ref = f"{ref} — {shared.case.title}"
    name = by.name or (f"@{by.username}" if by.username else str(by.id))
    lines: list[str] = [t.markup("📌 {name} shared {ref} with the team.", name=name, ref=bold(ref))]
    rows: list[list[Button]] = []
    if shared.nearest is not None:
        lines.append(
            t.markup(
                "Nearest deadline: {line}",
                line=deadline_line(t, shared.nearest, context.today, bullet=False),
            )
        )
        rows = [[deadline_button(t, shared.case.id, shared.nearest)]]
    else:
        lines.append(t.gettext("No open deadlines."))
    return await post(context, group, join(lines), rows)


async def post(
    context: BotContext, chat_id: int, text: str, rows: list[list[Button]] | None = None
) -> bool:
    """A message of the team's in its group; a group the bot can no longer write to (it was
    removed) is unlinked. False where it did not go out."""
    try:
        await send(context.bot, chat_id, text, reply_markup=keyboard(rows or []))
    except Forbidden:
        await context.teams.group_lost(chat_id)
        return False
    except TelegramError:
        log.warning("could not post in the team group %s", chat_id, exc_info=True)
        return False
    return True


# -- /assign --------------------------------------------------------------------------------


async def assign(update: Update, context: BotContext) -> None:
    t = context.t
    args = context.args or []
    if len(args) != 2:
        raise InputError(ASSIGN_USAGE)
    found = await context.find_case(args[0])
    spec = None if args[1] in ("-", "—", "none", "nobody") else args[1]
    case, member = await context.teams.assign(context.owner, found.case.id, spec)
    if member is None:
        await answer(
            update,
            context,
            t.markup(
                "Nobody handles {ref} now: its reminders go to the team's group, or else to its "
                "owners and attorneys.",
                ref=bold(case.ref),
            ),
        )
        return
    await answer(
        update,
        context,
        t.markup(
            "{who} handles {ref}: its reminders go to them privately (and to the team's group, "
            "if it has one).",
            who=member.label,
            ref=bold(case.ref),
        ),
    )
    if member.user_id != context.owner:
        team = found.holding.team
        await tell(
            context,
            member.user_id,
            N_("You handle {ref} of {team} now: its reminders come to you."),
            ref=case.ref,
            team=team.name if team is not None else "",
        )


# -- in a group: /team link, /team unlink ---------------------------------------------------


async def group_command(update: Update, context: BotContext, args: list[str]) -> None:
    t = context.t
    chat = update.effective_chat
    user = update.effective_user
    if chat is None or user is None:
        return
    verb = args[0].lower() if args else ""
    if verb == "link":
        name = args[1] if len(args) > 1 else None
        linked = await context.teams.link(
            user.id, name, chat.id, admin=await is_admin(context, chat.id, user.id)
        )
        await post(context, chat.id, await linked_text(context, linked))
    elif verb == "unlink":
        team = await context.teams.unlink(user.id, chat.id)
        await answer(
            update,
            context,
            t.markup("This group no longer gets the reminders of {team}.", team=bold(team.name)),
        )
    else:
        await answer(
            update,
            context,
            t.gettext(
                "In a group I answer /team link and /team unlink; write to me privately for "
                "the rest."
            ),
        )


async def is_admin(context: BotContext, chat_id: int, user_id: int) -> bool:
    """Telegram says, at this moment, that the user administers the group."""
    try:
        member = await context.bot.get_chat_member(chat_id, user_id)
    except TelegramError:
        return False
    return member.status in (ChatMemberStatus.OWNER, ChatMemberStatus.ADMINISTRATOR)


async def linked_text(context: BotContext, linked: Linked) -> Markup:
    """The summary posted when a group is linked: the team's nearest deadlines."""
    t = translator(await context.teams.language(linked.team))
    today = context.today
    lines: list[str] = [
        t.markup(
            "🔗 This group now gets the reminders of {team}. Their buttons act only for the "
            "team's owners and attorneys.",
            team=bold(linked.team.name),
        )
    ]
    if linked.nearest:
        lines += ["", bold(t.gettext("Nearest deadlines:"))]
        for near in linked.nearest:
            lines.append(
                render(
                    Markup("• <b>{ref}</b> — {line}"),
                    ref=near.case.ref,
                    line=deadline_line(t, near.deadline, today, bullet=False),
                )
            )
        rest = linked.total - len(linked.nearest)
        if rest > 0:
            lines.append(t.nfmt("…and {n} more case.", "…and {n} more cases.", rest))
    else:
        lines.append(t.gettext("The team has no open deadlines."))
    return join(lines)


# -- the last member's confirmation ---------------------------------------------------------


async def on_button(update: Update, context: BotContext) -> None:
    data = TeamButton.read(update)
    await ack(update)
    t = context.t
    match data:
        case Dissolve(team_id=team_id):
            team = await context.teams.dissolve(context.owner, team_id)
            if team is None:
                await answer(
                    update,
                    context,
                    t.gettext("Nothing changed: the team has other members now."),
                    edit=True,
                )
                return
            await answer(
                update,
                context,
                t.markup("Team {team} deleted with its cases.", team=bold(team.name)),
                edit=True,
            )
        case _:
            await answer(update, context, t.gettext("Kept. Nothing was deleted."), edit=True)


# -- /start join-CODE (the invitation's t.me link) -------------------------------------------


async def start_join(update: Update, context: BotContext) -> None:
    message = update.effective_message
    words = (message.text or "").split() if message is not None else []
    if len(words) < 2:
        return
    await join_team(update, context, words[1])


def start_links() -> list[BaseHandler[Update, BotContext, None]]:
    """The invitation's deep link, t.me/<bot>?start=join-CODE: claimed before the main menu's
    /start (bot/handlers/__init__.py puts it first)."""
    return [
        CommandHandler(
            "start",
            start_join,
            filters=filters.ChatType.PRIVATE
            & filters.Regex(r"^/start(@\w+)?\s+join-[A-Za-z0-9-]+\s*$"),
        )
    ]


def handlers() -> list[BaseHandler[Update, BotContext, None]]:
    return [
        CommandHandler("team", team_command),
        CommandHandler("assign", assign),
        CallbackQueryHandler(on_button, pattern=TeamButton.matches),
    ]


__all__ = ["handlers", "start_links"]
