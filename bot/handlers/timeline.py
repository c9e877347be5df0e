"""/timeline REF and the "Timeline" button under a case: a picture of the case's open deadlines.

The case is found as /case finds it (`BotContext.find`, scoped to the sender), so an
unknown reference — or another user's — gets the same answer as /case. What the picture says is
`core.timeline`'s; `draw.timeline` draws it in a worker thread: matplotlib takes a few hundred
milliseconds, which the event loop spends answering other users. An installation without
matplotlib (the `timeline` extra) answers with one sentence pointing to /case, and says so once
in the log.
"""

from __future__ import annotations

import asyncio
import logging

from telegram import Update
from telegram.constants import ChatAction
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler

from bot.context import BotContext
from bot.parse.buttons import ShowTimeline
from bot.render.html import bold
from bot.render.reply import ack, answer
from core.deadlines import CaseFacts, compute
from core.errors import N_, InputError
from core.explain import kind_label
from core.storage import Case
from core.timeline import PICTURE_MISSING, build_timeline

log = logging.getLogger(__name__)
_told_missing: list[bool] = []  # the log line about a missing matplotlib, once a process


async def send_timeline(update: Update, context: BotContext, case: Case, facts: CaseFacts) -> None:
    from draw.timeline import DrawingUnavailable, available, render_png

    message = update.effective_message
    chat = update.effective_chat
    if message is None or chat is None:
        return
    t = context.t
    if not available():
        if not _told_missing:
            _told_missing.append(True)
            log.warning("/timeline: %s", DrawingUnavailable())
        await answer(update, context, t.fmt(PICTURE_MISSING, ref=case.ref))
        return
    await context.bot.send_chat_action(chat.id, ChatAction.UPLOAD_PHOTO)
    title = t.fmt("Case {ref}", ref=case.ref) + " — " + kind_label(t, case.kind.value)
    today = context.today
    timeline = build_timeline(facts, compute(facts), today, t, title=title)
    png = await asyncio.to_thread(render_png, timeline)
    caption = t.markup(
        "The open deadlines of case {ref} on {date}; overdue ones in red. /case {ref} "
        "explains each date.",
        ref=bold(case.ref),
        date=t.date(today),
    )
    await message.reply_photo(png, caption=caption, filename="timeline.png")


async def timeline(update: Update, context: BotContext) -> None:
    args = context.args or []
    if not args:
        raise InputError(N_("Use: /timeline REF, for example /timeline A-1."))
    case, facts = await context.find(" ".join(args))
    await send_timeline(update, context, case, facts)


async def on_button(update: Update, context: BotContext) -> None:
    data = ShowTimeline.read(update)
    await ack(update)
    if data is None:
        return
    found = await context.case_by_id(data.case_id)
    if found is None:
        await answer(update, context, context.t.gettext("This case no longer exists. See /cases."))
        return
    await send_timeline(update, context, *found)


def handlers() -> list[BaseHandler[Update, BotContext, None]]:
    return [
        CommandHandler("timeline", timeline),
        CallbackQueryHandler(on_button, pattern=ShowTimeline.matches),
    ]
