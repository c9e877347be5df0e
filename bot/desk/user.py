"""Writing to a person, the user's side: /support TEXT, the "Write to the staff"
button, the message typed (or the file sent) after it, replies to a staff answer, and closing
one's ticket.

A message is stored as a ticket (`core.support.SupportDesk`) and relayed to the staff chat with
the user's language and a summary of their cases; the staff side is `bot/desk/staff.py`.
`on_ticket_message` runs in an early group: a message it takes (the one /support waits for, or
a reply to a staff answer) goes to the staff and nowhere else (`ApplicationHandlerStop`).
"""

from __future__ import annotations

import logging

from telegram import Message, Update
from telegram.error import TelegramError
from telegram.ext import (
    ApplicationHandlerStop,
    BaseHandler,
    CallbackQueryHandler,
    CommandHandler,
    MessageHandler,
    filters,
)

from bot.context import BotContext
from bot.desk.desk import describe, fit_escaped, staff_translator
from bot.fallbacks import stale_button
from bot.parse import caption_command
from bot.parse.buttons import AskStaff, CloseTicket, SupportButton
from bot.render.html import Markup, bold, italic, join
from bot.render.reply import Button, ack, answer, button, send
from bot.render.text import short
from core.errors import N_
from core.i18n import Translator
from core.storage import Ticket
from core.support import CaseSummary, Opened, Posted
from core.text import clean

log = logging.getLogger(__name__)
FLOW = "support"
CANCELLED = N_("Your message to the staff is cancelled; nothing was sent.")  # /cancel
RELAY_LIMIT = 10  # messages relayed to the staff per user…
RELAY_WINDOW = 600.0  # …in this many seconds; more wait (the staff have the earlier ones)
RELAYED_KEY = "support.relayed"  # user_data: when the user's recent messages were relayed


def _over_limit(context: BotContext) -> bool:
    """True where the user has had `RELAY_LIMIT` messages relayed in the last `RELAY_WINDOW`
    seconds (by the application's clock); else counts this one."""
    data = context.user_data if context.user_data is not None else {}
    now = context.clock.now().timestamp()
    recent = [t for t in data.get(RELAYED_KEY, ()) if now - t < RELAY_WINDOW]
    if len(recent) >= RELAY_LIMIT:
        data[RELAYED_KEY] = recent
        return True
    data[RELAYED_KEY] = [*recent, now]
    return False


def close_button(t: Translator) -> Button:
    return button(t.gettext("Close the ticket"), CloseTicket())


def unavailable_text(t: Translator) -> str:
    return t.gettext(
        "Writing to the staff is not available right now. Please call the NCIP consultation "
        "line +375 17 272 97 14 (as published on 2 April 2021; current numbers on ncip.by)."
    )


async def support_command(update: Update, context: BotContext) -> None:
    text = " ".join(context.args or []).strip()
    if not text:
        await start_writing(update, context)
        return
    await post(update, context, text)


async def start_writing(update: Update, context: BotContext) -> None:
    t = context.t
    if not context.desk_open:
        await answer(update, context, unavailable_text(t))
        return
    context.start_flow(FLOW, "text")
    await answer(
        update,
        context,
        t.gettext(
            "Write your message to the staff in one message: text, or a file or a photo "
            "(with a caption if you like)."
        ),
    )


def _summary_lines(t: Translator, summary: CaseSummary) -> list[str]:
    if summary.count == 0:
        return [t.gettext("Cases: none")]
    lines = [
        t.nfmt("Cases: {n}", "Cases: {n}", summary.count),
    ]
    for case in summary.cases:
        lines.append(f"• {short(case.ref, 40)} ({case.kind.value}, {case.filing.isoformat()})")
    if summary.count > len(summary.cases):
        lines.append("• …")
    return lines


# The head of a relay in the staff chat, by what the message did to the ticket.
RELAY_HEADS: dict[Opened, str] = {
    Opened.NEW: N_("New ticket #{id}"),
    Opened.ADDED: N_("Ticket #{id}, a new message"),
    Opened.REOPENED: N_("Ticket #{id} reopened"),
}

# What the user is told, by the same.
CONFIRMATIONS: dict[Opened, str] = {
    Opened.NEW: N_("Your message is sent to the staff (ticket #{id}). They will answer here."),
    Opened.ADDED: N_("Added to your ticket #{id}."),
    Opened.REOPENED: N_("Your ticket #{id} is open again; the staff will see it."),
}


def relay_text(update: Update, posted: Posted, summary: CaseSummary) -> Markup:
    """The message staff see: who, in which language, their cases, and the text."""
    t = staff_translator()
    ticket = posted.ticket
    user = update.effective_user
    who = clean(user.full_name) if user else "?"  # no bidi tricks in what staff read
    if user is not None and user.username:
        who += f" (@{user.username})"
    lines: list[str] = [
        bold(t.fmt(RELAY_HEADS[posted.outcome], id=ticket.id)),
        t.fmt("From: {who}, id {user_id}", who=who, user_id=ticket.user_id),
        t.fmt("Language: {lang}", lang=ticket.language or "?"),
        *_summary_lines(t, summary),
        "",
        fit_escaped(posted.message.text),
        "",
        italic(t.gettext("Reply to this message to answer; /faq TOPIC as a reply; /close.")),
    ]
    return join(lines)


async def post(
    update: Update, context: BotContext, text: str, *, copy: Message | None = None
) -> None:
    """Stores the user's message in a ticket and relays it to the staff chat; `copy`: a file,
    photo… of the user's, passed on below the relay (`text` then describes it)."""
    t = context.t
    desk = context.services.desk
    staff_chat = context.settings.staff_chat_id
    user = update.effective_user
    message = update.effective_message
    if desk is None or staff_chat is None or user is None:
        await answer(update, context, unavailable_text(t))
        return
    if _over_limit(context):
        await answer(
            update,
            context,
            t.gettext(
                "You have written many messages in a short time: the staff will see your "
                "earlier messages. Please wait a few minutes before writing more."
            ),
        )
        return
    posted = await desk.post(
        user.id,
        text,
        language=context.lang,
        telegram_message_id=message.message_id if message else None,
    )
    summary = await desk.case_summary(user.id)
    ticket = posted.ticket
    try:
        relay = await send(
            context.bot,
            staff_chat,
            relay_text(update, posted, summary),
            reply_to_message_id=ticket.staff_message_id,
            allow_sending_without_reply=True,
            disable_web_page_preview=True,
        )
        if copy is not None:
            await copy.copy(
                staff_chat, reply_to_message_id=relay.message_id, allow_sending_without_reply=True
            )
    except TelegramError:
        log.exception("relay of ticket %s to the staff chat failed", ticket.id)
        await answer(
            update,
            context,
            t.gettext(
                "Your message is saved, but I could not pass it to the staff just now. "
                "They will see it in the list of open tickets."
            ),
        )
        return
    await desk.relayed(ticket, posted.message, relay.message_id)
    await answer(
        update, context, t.fmt(CONFIRMATIONS[posted.outcome], id=ticket.id), [[close_button(t)]]
    )


async def on_ticket_message(update: Update, context: BotContext) -> None:
    """A message in the private chat that is for the staff: the one /support waits for (text,
    or a file, a photo… with its caption), or a reply to a staff answer. Taken here, it goes
    to the staff and stops; anything else goes on to the features. A CSV sent with the caption
    /import is an import, even then."""
    message = update.effective_message
    user = update.effective_user
    if message is None or user is None:
        return
    if message.document is not None and caption_command(message.caption) == "import":
        return
    flow = context.flow
    waiting = flow is not None and flow.get("name") == FLOW
    replied = message.reply_to_message
    desk = context.services.desk
    answering = (
        flow is None
        and replied is not None
        and desk is not None
        and await desk.is_ticket_message(user.id, replied.message_id)
    )
    if not (waiting or answering):
        return
    context.end_flow()
    if message.text:
        await post(update, context, message.text)
    else:  # a file, a photo, a voice message…: passed on below the relay
        await post(update, context, describe(message), copy=message)
    raise ApplicationHandlerStop


async def close_own(update: Update, context: BotContext) -> None:
    """The user closes their current ticket (button or /close outside the staff desk)."""
    t = context.t
    desk = context.services.desk
    user = update.effective_user
    ticket: Ticket | None = None
    if desk is not None and user is not None:
        ticket = await desk.close_by_user(user.id)
    if ticket is None:
        await answer(update, context, t.gettext("You have no open ticket."))
        return
    await answer(
        update,
        context,
        t.fmt("Ticket #{id} is closed. Write /support if you need anything else.", id=ticket.id),
    )
    staff_chat = context.settings.staff_chat_id
    if staff_chat is not None:
        st = staff_translator()
        try:
            await send(
                context.bot,
                staff_chat,
                st.fmt("Ticket #{id} was closed by the user.", id=ticket.id),
                reply_to_message_id=ticket.staff_message_id,
                allow_sending_without_reply=True,
            )
        except TelegramError:
            log.warning("could not tell the staff that ticket %s was closed", ticket.id)


async def on_button(update: Update, context: BotContext) -> None:
    data = SupportButton.read(update)
    await ack(update)
    match data:
        case AskStaff():
            await start_writing(update, context)
        case CloseTicket():
            await close_own(update, context)
        case _:
            await stale_button(update, context, answered=True)


def handlers() -> list[BaseHandler[Update, BotContext, None]]:
    """The user's side in the features group (the ticket messages: `ticket_handlers`)."""
    return [
        CommandHandler("support", support_command),
        CallbackQueryHandler(on_button, pattern=SupportButton.matches),
    ]


def ticket_handlers() -> list[BaseHandler[Update, BotContext, None]]:
    """For the early group: messages that may be for the staff (not commands, not service
    messages)."""
    return [
        MessageHandler(
            filters.ChatType.PRIVATE & ~filters.COMMAND & ~filters.StatusUpdate.ALL,
            on_ticket_message,
        )
    ]
