"""The bot's menu button labelled in the user's language.

Telegram has one default menu button for every chat (set at start, labelled in English, opening
the case desk) and a chat's own. A Russian or Belarusian user's private chat gets its own label
in their language when they start the bot or choose a language — once (`MENU_LANG_KEY` in
`user_data` remembers it); a user who goes back to English gets the default again.
"""

from __future__ import annotations

import logging
from typing import Any

from telegram import MenuButton, MenuButtonDefault, MenuButtonWebApp, Update, WebAppInfo
from telegram.constants import ChatType
from telegram.error import TelegramError
from telegram.ext import ExtBot

from bot.context import BotContext
from bot.sender import LOW_PRIORITY, Sender
from core.errors import N_

log = logging.getLogger("pctby.bot")

MENU_LABEL = N_("Case desk")
MENU_LANG = "en"  # the language of the default menu button's label
MENU_LANG_KEY = "menu.lang"  # user_data: the language of this chat's own label, once set


async def label_menu(update: Update, context: BotContext) -> None:
    """This private chat's menu button labelled in the user's language (the desk set up)."""
    url = context.services.settings.webapp_url
    chat = update.effective_chat
    data = context.user_data
    lang = context.lang
    if url is None or chat is None or chat.type != ChatType.PRIVATE or data is None:
        return
    if data.get(MENU_LANG_KEY, MENU_LANG) == lang:
        return
    button: MenuButton
    if lang == MENU_LANG:
        button = MenuButtonDefault()
    else:
        button = MenuButtonWebApp(context.t.gettext(MENU_LABEL), WebAppInfo(url))
    bot = context.bot
    paced = isinstance(bot, ExtBot) and isinstance(bot.rate_limiter, Sender)
    limits: dict[str, Any] = {"rate_limit_args": LOW_PRIORITY} if paced else {}
    try:  # after the answer, behind other users' replies
        await bot.set_chat_menu_button(chat_id=chat.id, menu_button=button, **limits)
    except TelegramError:
        log.warning("set_chat_menu_button for a chat failed", exc_info=True)
        return
    data[MENU_LANG_KEY] = lang
