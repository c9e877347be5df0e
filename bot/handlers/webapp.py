"""The case desk (web/, a Telegram Mini App) opened from the chat: `/desk` answers with a
button that opens it, and the bot's menu button opens it too — where PCTBY_WEBAPP_URL (the
desk's public https address) is set. Telegram signs the user in (the launch data the desk
checks on every call).
The menu button's label in the user's language: bot/render/menu.py."""

from __future__ import annotations

import logging

from telegram import (
    Bot,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    MenuButtonWebApp,
    Update,
    WebAppInfo,
)
from telegram.error import TelegramError
from telegram.ext import BaseHandler, CommandHandler

from bot.context import BotContext
from bot.render.html import esc
from bot.render.menu import MENU_LABEL
from bot.render.reply import answer

log = logging.getLogger("pctby.bot")


def desk_url(context: BotContext) -> str | None:
    return context.services.settings.webapp_url


async def desk(update: Update, context: BotContext) -> None:
    t = context.t
    url = desk_url(context)
    chat = update.effective_chat
    if url is None or chat is None:
        await answer(update, context, t.gettext("The case desk is not set up on this bot."))
        return
    markup = InlineKeyboardMarkup(
        [[InlineKeyboardButton(t.gettext("Open the case desk"), web_app=WebAppInfo(url))]]
    )
    text = t.gettext(
        "The case desk shows all your cases in one table — what is overdue, in grace or due "
        "within 30 days — with each case's deadlines, events and timeline."
    )
    await context.bot.send_message(chat.id, esc(text), reply_markup=markup)


async def set_menu_button(bot: Bot, url: str, label: str) -> None:
    """The bot's menu button (every private chat) opens the desk."""
    try:
        await bot.set_chat_menu_button(menu_button=MenuButtonWebApp(label, WebAppInfo(url)))
    except TelegramError:
        log.warning("set_chat_menu_button failed", exc_info=True)


__all__ = ["MENU_LABEL", "desk", "desk_url", "handlers", "set_menu_button"]


def handlers() -> list[BaseHandler[Update, BotContext, None]]:
    return [CommandHandler("desk", desk)]
