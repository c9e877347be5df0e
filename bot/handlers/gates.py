"""Cross-cutting gates that run before any feature: private chats only, the user's language,
a command abandons a waiting flow (bot/handlers/__init__.py gives their groups)."""

from __future__ import annotations

import contextlib
from typing import Any, Final

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.constants import ChatType
from telegram.error import TelegramError
from telegram.ext import ApplicationHandlerStop

from bot.context import LANG_KEY, STORED_LANG_KEY, BotContext
from bot.parse import caption_command
from bot.parse.buttons import AlertButton, AlertPaid, DeadlineAct, DeadlineRoute
from bot.render.html import esc
from bot.render.i18n import translator
from core.i18n import normalize_lang
from core.teams.service import Who

# The kinds of update the bot asks Telegram for (`pctby run`: allowed_updates) and handles.
SERVED: Final = ("message", "callback_query")

# What a group may send besides the staff chat's: /team (link and unlink the team's alert
# group, bot/handlers/teams.py) and the buttons under a team's group alert (their handlers
# check who pressed, each time).
GROUP_COMMANDS: Final = frozenset({"team"})
GROUP_BUTTONS: Final = (AlertButton, DeadlineAct, DeadlineRoute, AlertPaid)


def for_a_team_group(update: Update) -> bool:
    """An update a team's alert group may send (`GROUP_COMMANDS`, `GROUP_BUTTONS`)."""
    query = update.callback_query
    if query is not None:
        return any(kind.matches(query.data) for kind in GROUP_BUTTONS)
    message = update.message
    return message is not None and caption_command(message.text) in GROUP_COMMANDS


def _private_link(context: BotContext) -> Any:
    username = context.bot.username if context.bot else None
    if not username:
        return None
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton("→ @" + username, url=f"https://t.me/{username}")]]
    )


async def resolve_language(update: Update, context: BotContext) -> None:
    """Put the user's language in `user_data`: the stored choice, else Telegram's, else en.
    The user's record is checked on their first update in the process and again after the bot
    found them blocked (`Services.seen`): writing again unblocks them
    (`Reminders.user_wrote`)."""
    user = update.effective_user
    data = context.user_data
    services = context.services
    if user is None or data is None or (LANG_KEY in data and user.id in services.seen):
        return
    lang = normalize_lang(user.language_code)
    if services.reminders is not None:
        chosen = await services.reminders.user_wrote(user.id, lang)
        lang = normalize_lang(chosen, lang)
        if chosen is None or chosen == lang:  # the database holds `lang` (just written or chosen)
            data[STORED_LANG_KEY] = lang
    if services.teams is not None:  # their name and @username as their teams see them
        await services.teams.seen(Who(user.id, user.full_name, user.username))
    data.setdefault(LANG_KEY, lang)
    services.seen.add(user.id)


async def private_only(update: Update, context: BotContext) -> None:
    """Cases, alerts and questions live in the private chat: in a group (other than the staff
    chat, served by the desk's staff chat group before this) the bot answers a command once
    with "write to me privately" and otherwise stays out of the conversation — but for /team
    and the buttons under a team's alert (`for_a_team_group`).
    Only the kinds of update the bot asks Telegram for (`SERVED`) go further: an edited
    message (`edited_message`, sent if a Bot API server ignores `allowed_updates`) would be
    handled again as new — an edited /paid recorded twice, an edited question sent to the staff
    a second time."""
    if not any(getattr(update, kind) is not None for kind in SERVED):
        raise ApplicationHandlerStop
    chat = update.effective_chat
    if chat is None or chat.type == ChatType.PRIVATE or for_a_team_group(update):
        return
    message = update.effective_message
    if update.callback_query is not None:
        with contextlib.suppress(TelegramError):
            await update.callback_query.answer()
    elif message is not None and (message.text or "").startswith("/"):
        told = context.services.groups_told
        if chat.id not in told:
            told.add(chat.id)
            user = update.effective_user
            t = translator(user.language_code if user else None)
            with contextlib.suppress(TelegramError):
                await message.reply_text(
                    esc(t.gettext("I answer in a private chat: write to me there.")),
                    reply_markup=_private_link(context),
                )
    raise ApplicationHandlerStop


async def cancel_flow(update: Update, context: BotContext) -> None:
    """Any command abandons a guided flow that was waiting for typed input — but /cancel, which
    ends the flow itself and says what it ended (`bot.handlers.on_cancel`)."""
    message = update.effective_message
    if message is not None and caption_command(message.text) == "cancel":
        return
    chat = update.effective_chat
    if chat is not None and chat.type != ChatType.PRIVATE:  # /team link in a group
        return
    context.end_flow()
