"""The error handler: bad input gets its one clear sentence; anything else is logged and the
user gets a polite apology in their language. The bot lives on either way."""

from __future__ import annotations

import contextlib
import logging

from telegram import Update
from telegram.error import Forbidden, RetryAfter, TelegramError

from bot.context import BotContext
from bot.render.html import render
from bot.render.reply import answer
from core.errors import InputError

log = logging.getLogger("pctby.bot")


async def on_error(update: object, context: BotContext) -> None:
    err = context.error
    if not isinstance(update, Update):
        log.error("error outside an update", exc_info=err)
        return
    if isinstance(err, InputError):
        # the sentence is text; what it echoes (the user's input) is escaped by `render`
        params = context.t.error_params(err)
        await _say(update, context, render(context.t.gettext(err.template), **params))
        return
    if isinstance(err, Forbidden):
        log.info("user blocked the bot: %s", err)
        return
    log.error("failed to handle update %s", update.update_id, exc_info=err)
    if isinstance(err, RetryAfter):
        return  # Telegram asks us to be quiet: an apology now would be refused too
    if isinstance(err, TelegramError) or context.flow is None:
        sorry = context.t.gettext(
            "Sorry, something went wrong on my side. Please try again; if it keeps happening, "
            "write to /support."
        )
    else:
        # A step of a guided flow failed on our side (a flow stored by an older version, say):
        # trying the same step again would fail again, so the flow ends and the user starts
        # it afresh. (A network error while answering leaves the flow as it was.)
        context.end_flow()
        sorry = context.t.gettext(
            "Sorry, something went wrong on my side, so I stopped the step we were at. Please "
            "start again; if it keeps happening, write to /support."
        )
    await _say(update, context, sorry)


async def _say(update: Update, context: BotContext, text: str) -> None:
    try:
        if update.callback_query is not None:
            with contextlib.suppress(TelegramError):
                await update.callback_query.answer()
        await answer(update, context, text)
    except TelegramError:
        log.warning("could not tell the user about an error", exc_info=True)
