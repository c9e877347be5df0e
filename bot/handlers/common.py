"""/start, /help, /language, the main menu, and answers to what no feature takes."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from telegram import Update
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler

from bot.context import STORED_LANG_KEY, BotContext
from bot.parse.callbacks import CallbackData
from bot.render.html import Markup, bold, join
from bot.render.menu import label_menu
from bot.render.reply import Button, ack, answer, button
from bot.render.text import short
from bot.render.views import menu_rows
from core.i18n import LANGS, Lang, Translator, normalize_lang


@dataclass(frozen=True)
class SetLanguage(CallbackData, feature="lang", action="set"):
    lang: Lang


LANGUAGE_NAMES = {"ru": "Русский", "be": "Беларуская", "en": "English"}


async def start(update: Update, context: BotContext) -> None:
    t = context.t
    user = update.effective_user
    name = user.first_name if user else ""
    text = t.fmt(
        "Hello, {name}! I help with entering the national phase of a PCT application in "
        "Belarus (NCIP): fees, deadlines and reminders for your cases.",
        name=name,
    )
    text += "\n\n" + t.gettext("Choose below, or just ask a question in your own words.")
    await answer(update, context, text, menu_rows(t))
    await label_menu(update, context)


@lru_cache(maxsize=8)
def help_text(t: Translator) -> Markup:
    """The /help text in `t`'s language (built once per translator)."""
    lines = [
        bold(t.gettext("What I can do")),
        "",
        t.gettext("/fees — the national fee, itemised, with currency equivalents"),
        t.gettext("/fees patent 2 15 — a quote for 2 independent and 15 dependent claims"),
        t.gettext("/deadlines — the national-phase deadlines from the priority date"),
        t.gettext("/deadlines 15.03.2024 10.03.2025 — priority date and international filing date"),
        t.gettext("/addcase — remember a case and get reminders"),
        t.gettext("/cases — your cases; /case REF — one case and why each date"),
        t.gettext("/timeline REF — a case's deadlines as a picture"),
        t.gettext("/desk — all your cases in one table (the case desk)"),
        t.gettext("/paid REF [YEAR] — record a payment; /delete REF — delete a case"),
        t.gettext(
            "/record REF EVENT [DATE] — record what happened: entry, translation, examination, "
            "grant-decision, grant-fee, annual-N, granted, lapsed, restored"
        ),
        t.gettext("/unrecord REF EVENT [DATE] — remove a recorded event"),
        t.gettext(
            "/team — your firm's team: members and roles, shared cases; /assign REF @user — "
            "who handles a team's case"
        ),
        t.gettext("/reminders — when to remind you and quiet hours"),
        t.gettext("/export, /import — your cases as ICS and CSV files"),
        t.gettext("/entryform REF — the national-phase entry request for a case, as a Word file"),
        t.gettext("/forget — delete all your data"),
        t.gettext("/language — ru, be or en"),
        t.gettext("/ask or any text — a question to the FAQ; /support — write to a person"),
        t.gettext("/close — close your request to the staff"),
        t.gettext("/cancel — stop the question or form in progress"),
        t.gettext("/start — the main menu; /help — this list"),
        "",
        t.gettext(
            "Dates can be written as 15.03.2024, 2024-03-15 or 15 March 2024. Every answer "
            "cites the rule it applies; where the law is unclear I give the earlier date."
        ),
    ]
    return join(lines)


async def help_command(update: Update, context: BotContext) -> None:
    await answer(update, context, help_text(context.t))


def language_rows() -> list[list[Button]]:
    return [[button(LANGUAGE_NAMES[lang], SetLanguage(lang)) for lang in LANGS]]


async def language(update: Update, context: BotContext) -> None:
    args = context.args or []
    if args:
        choice = args[0].strip().lower()
        if choice not in LANGS:
            await answer(
                update,
                context,
                context.t.fmt(
                    "I speak ru, be and en; “{value}” is not one of them.", value=short(choice, 20)
                ),
                language_rows(),
            )
            return
        await set_language(update, context, choice)
        return
    await answer(update, context, context.t.gettext("Choose your language:"), language_rows())


async def set_language(update: Update, context: BotContext, lang: str) -> None:
    context.lang = normalize_lang(lang)
    reminders = context.services.reminders
    user = update.effective_user
    data = context.user_data if context.user_data is not None else {}
    # One write per change: the database already holds the language the language gate or an earlier
    # choice stored (/forget clears user_data, so the next choice is written again).
    if reminders is not None and user is not None and data.get(STORED_LANG_KEY) != context.lang:
        await reminders.set_language(user.id, context.lang)
        data[STORED_LANG_KEY] = context.lang
    t = context.t
    await answer(
        update,
        context,
        t.gettext("I will speak English with you now."),
        menu_rows(t),
        edit=update.callback_query is not None,
    )
    await label_menu(update, context)


async def on_language_button(update: Update, context: BotContext) -> None:
    data = SetLanguage.read(update)
    await ack(update)
    if data is not None:
        await set_language(update, context, data.lang)


def handlers() -> list[BaseHandler[Update, BotContext, None]]:
    return [
        CommandHandler("start", start),
        CommandHandler("help", help_command),
        CommandHandler("language", language),
        CallbackQueryHandler(on_language_button, pattern=SetLanguage.matches),
    ]


# Main-menu entries (bot.parse.buttons.Menu) → their entry points.
MENU_ACTIONS = {"help": help_command, "lang": language}
