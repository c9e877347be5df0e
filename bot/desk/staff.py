"""The support desk, the staff's side (issue 5): replies to relayed tickets, /faq, /tickets,
/close, /broadcast, /stats and /schedule.

In the staff chat these run in their own early group (`bot/desk/__init__.py`): a member's plain
reply to a ticket goes to its author, a command runs, anything else is staff talk; the update
then stops — nothing said there reaches the FAQ or the user features. In a private chat the
staff commands answer staff only (anyone else is told the command is unknown).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Coroutine
from typing import Any, Final

from telegram import Message, MessageId, Update
from telegram.error import Forbidden, TelegramError

from bot.context import BotContext
from bot.desk.desk import (
    describe,
    fit_escaped,
    in_staff_chat,
    reply_staff,
    staff_translator,
)
from bot.desk.user import close_button
from bot.parse import parse_number
from bot.render.html import Markup, bold, esc, join
from bot.render.i18n import translator
from bot.render.reply import keyboard, send
from bot.render.text import MAX_MESSAGE, short
from bot.render.views import faq_answer_text
from core.i18n import normalize_lang
from core.storage import Ticket
from core.support import SupportDesk

log = logging.getLogger(__name__)

Callback = Callable[[Update, BotContext], Coroutine[Any, Any, None]]


# --- answering tickets ---------------------------------------------------------------------


async def _ticket_of_reply(update: Update, context: BotContext, desk: SupportDesk) -> Ticket | None:
    """The ticket a staff message replies to: only a reply in the staff chat names one (a
    message id in any other chat is another chat's, and never a ticket's relay)."""
    message = update.effective_message
    replied = message.reply_to_message if message else None
    if replied is None or not in_staff_chat(update, context):
        return None
    return await desk.staff_ticket(replied.message_id)


async def deliver(
    update: Update,
    context: BotContext,
    desk: SupportDesk,
    ticket: Ticket,
    body: Markup,
    *,
    copy: Message | None = None,
) -> bool:
    """Sends an answer to the ticket's author, and only to them: `body` (HTML), or — for a
    file, a photo, a voice message… — the staff's message itself (`copy`), after the header;
    `body` then says in the ticket's record what it was."""
    t = translator(normalize_lang(ticket.language))
    st = staff_translator()
    header = bold(t.fmt("Answer from the staff, ticket #{id}:", id=ticket.id))
    close = keyboard([[close_button(t)]])
    sent: Message | MessageId
    try:
        if copy is None:
            sent = await send(
                context.bot,
                ticket.user_id,
                join([header, "", body]),
                reply_markup=close,
                disable_web_page_preview=True,
            )
        else:
            await send(context.bot, ticket.user_id, header)
            sent = await copy.copy(ticket.user_id, reply_markup=close)
    except Forbidden:
        await desk.mark_blocked(ticket.user_id)
        context.services.seen.discard(ticket.user_id)  # their next update unblocks them
        await reply_staff(update, st.gettext("Not delivered: the user has blocked the bot."))
        return False
    except TelegramError as exc:
        log.warning("answer to ticket %s not delivered: %s", ticket.id, exc)
        await reply_staff(update, st.fmt("Not delivered: {error}", error=short(str(exc), 200)))
        return False
    message = update.effective_message
    await desk.staff_answer(
        ticket,
        body,
        staff_message_id=message.message_id if message else None,
        telegram_message_id=sent.message_id,
    )
    return True


async def relay_reply(update: Update, context: BotContext) -> None:
    """A staff member's reply to a relayed ticket goes to the ticket's author."""
    desk = context.services.desk
    message = update.effective_message
    if desk is None or message is None:
        return
    ticket = await _ticket_of_reply(update, context, desk)
    if ticket is None:
        return  # a reply to something that is not a ticket: staff talk
    if message.text:
        await deliver(update, context, desk, ticket, fit_escaped(message.text))
    else:  # a file, a photo, a voice message…: passed on as it is
        await deliver(update, context, desk, ticket, fit_escaped(describe(message)), copy=message)


async def faq_command(update: Update, context: BotContext) -> None:
    """/faq TOPIC as a reply to a ticket: that FAQ answer, in the ticket's language."""
    st = staff_translator()
    desk = context.services.desk
    faq = context.services.faq
    if desk is None or faq is None:
        await reply_staff(update, st.gettext("The FAQ or the database is not available."))
        return
    topic = (context.args or [""])[0].strip().lower()
    ticket = await _ticket_of_reply(update, context, desk)
    if ticket is None or topic not in faq.topics:
        await reply_staff(
            update,
            st.fmt(
                "Reply to a ticket with /faq TOPIC. Topics: {topics}", topics=", ".join(faq.topics)
            ),
        )
        return
    # the FAQ's own answer in the ticket's language, with the schedule's age where it states
    # amounts (as the FAQ gives it to the user)
    t = translator(normalize_lang(ticket.language))
    text = faq_answer_text(t, faq, topic, context.today)
    if await deliver(update, context, desk, ticket, text):
        await reply_staff(
            update, st.fmt("Sent the answer “{topic}” to ticket #{id}.", topic=topic, id=ticket.id)
        )


# --- the desk ------------------------------------------------------------------------------


async def _desk_or_say(update: Update, context: BotContext) -> SupportDesk | None:
    """The desk; None, said to the staff, where there is no database."""
    desk = context.services.desk
    if desk is None:
        await reply_staff(update, staff_translator().gettext("The database is not available."))
    return desk


async def tickets_command(update: Update, context: BotContext) -> None:
    desk = await _desk_or_say(update, context)
    if desk is None:
        return
    st = staff_translator()
    found = await desk.staff_open_tickets()
    if not found:
        await reply_staff(update, st.gettext("No open tickets."))
        return
    lines: list[str] = [bold(st.nfmt("{n} open ticket", "{n} open tickets", len(found)))]
    for item in found:
        ticket = item.ticket
        age = ticket.updated_at.astimezone(context.settings.tz).strftime("%d.%m %H:%M")
        lines.append(
            f"#{ticket.id} · {ticket.status.value} · {ticket.language or '?'} · "
            f"{age} · {short(item.last_text, 80)}"
        )
    await reply_staff(update, join(lines))


async def close_command(update: Update, context: BotContext) -> None:
    """/close as a reply to a ticket in the staff chat, or /close N."""
    desk = await _desk_or_say(update, context)
    if desk is None:
        return
    st = staff_translator()
    ticket = await _ticket_of_reply(update, context, desk)
    args = context.args or []
    number = parse_number(args[0].lstrip("#")) if args else None
    if ticket is None and number is not None:
        ticket = await desk.staff_ticket_by_id(number)
    if ticket is None:
        await reply_staff(update, st.gettext("Reply to a ticket with /close, or write /close N."))
        return
    if not await desk.staff_close(ticket):
        await reply_staff(update, st.fmt("Ticket #{id} is closed already.", id=ticket.id))
        return
    t = translator(normalize_lang(ticket.language))
    notified = True
    try:
        await send(
            context.bot,
            ticket.user_id,
            t.fmt(
                "The staff closed your ticket #{id}. Write /support if you need anything else.",
                id=ticket.id,
            ),
        )
    except TelegramError:
        notified = False
    if notified:
        text = st.fmt("Ticket #{id} closed; the user is notified.", id=ticket.id)
    else:
        text = st.fmt("Ticket #{id} closed; the user could not be notified.", id=ticket.id)
    await reply_staff(update, text)


async def stats_command(update: Update, context: BotContext) -> None:
    desk = await _desk_or_say(update, context)
    if desk is None:
        return
    st = staff_translator()
    s = await desk.stats()
    lines: list[str] = [
        bold(st.gettext("Statistics")),
        st.fmt("Users: {n} ({blocked} blocked the bot)", n=s.users, blocked=s.blocked_users),
        st.fmt("Cases: {n}", n=s.cases),
        st.fmt("Alerts sent: {n} (planned: {planned})", n=s.alerts_sent, planned=s.alerts_planned),
        st.fmt("Open tickets: {n}", n=s.open_tickets),
    ]
    await reply_staff(update, join(lines))


async def broadcast_command(update: Update, context: BotContext) -> None:
    """/broadcast TEXT: to every user who has not blocked the bot (bot/jobs/broadcasts.py)."""
    message = update.effective_message
    chat = update.effective_chat
    broadcasts = context.services.broadcasts
    if message is None or chat is None:
        return
    if broadcasts is None:
        await reply_staff(update, staff_translator().gettext("The database is not available."))
        return
    st = staff_translator()
    text = (message.text or "").partition(" ")[2].strip()
    if not text:
        await reply_staff(update, st.gettext("Write the text after the command: /broadcast TEXT"))
        return
    if len(esc(text)) > MAX_MESSAGE:  # Telegram refuses a longer message to every user
        await reply_staff(
            update,
            st.fmt(
                "The text is too long for one message: {n} characters with its markup, at most "
                "{max}. Shorten it and send /broadcast again.",
                n=len(esc(text)),
                max=MAX_MESSAGE,
            ),
        )
        return
    if not await broadcasts.start(text, chat.id):
        await reply_staff(update, st.gettext("A broadcast is running already; wait for it."))


COMMANDS: Final[dict[str, Callback]] = {
    "faq": faq_command,
    "tickets": tickets_command,
    "close": close_command,
    "stats": stats_command,
    "broadcast": broadcast_command,
}
