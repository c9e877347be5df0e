"""Writing to a person (issue 5), the user's side: /support TEXT, the "Write to the staff"
button, replies to a staff answer, and closing one's ticket.

A message is stored as a ticket (`core.support.SupportDesk`) and relayed to the staff chat with
the user's language and a summary of their cases; the staff side is `bot/handlers/staff.py`.
"""

from __future__ import annotations

import logging

from telegram import Message, Update
from telegram.error import TelegramError
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler, MessageHandler, filters

from bot.callbacks import parse, pattern
from bot.context import BotContext
from bot.fallbacks import other_content, stale_button
from bot.html import Markup, bold, esc, italic, join
from bot.i18n import translator
from bot.reply import Button, ack, answer, button, send
from bot.text import short
from core.errors import N_
from core.i18n import Translator
from core.storage import Ticket
from core.support import CaseSummary, Opened, Posted, SupportDesk
from core.text import clean

log = logging.getLogger(__name__)
FEATURE = "sup"
FLOW = "support"
DESK_KEY = "support.desk"
RELAY_BODY = 3500  # characters of the escaped text in a relay, to leave room for its header
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


def desk_of(context: BotContext) -> SupportDesk | None:
    """The desk on the application's store (None without a database)."""
    services = context.services
    if services.store is None:
        return None
    found = services.extra.get(DESK_KEY)
    if not isinstance(found, SupportDesk) or found.store is not services.store:
        found = SupportDesk(services.store)
        services.extra[DESK_KEY] = found
    return found


def staff_translator() -> Translator:
    """Texts for the staff chat: English, still through gettext."""
    return translator("en")


def ask_button(t: Translator) -> Button:
    """The "write to the staff" button, for any feature that wants to offer it."""
    return button(t.gettext("Write to the staff"), FEATURE, "ask")


def ask_rows(context: BotContext) -> list[list[Button]]:
    """The button as keyboard rows where the desk works (staff chat and database), else none."""
    if desk_of(context) is None or context.settings.staff_chat_id is None:
        return []
    return [[ask_button(context.t)]]


def close_button(t: Translator) -> Button:
    return button(t.gettext("Close the ticket"), FEATURE, "close")


def unavailable_text(t: Translator) -> str:
    return t.gettext(
        "Writing to the staff is not available right now. Please call the NCIP consultation "
        "line +375 17 272 97 14."
    )


async def support_command(update: Update, context: BotContext) -> None:
    text = " ".join(context.args or []).strip()
    if not text:
        await start_writing(update, context)
        return
    await post(update, context, text)


async def start_writing(update: Update, context: BotContext) -> None:
    t = context.t
    if desk_of(context) is None or context.settings.staff_chat_id is None:
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


async def on_text_step(update: Update, context: BotContext) -> None:
    """The typed message after /support or the button."""
    message = update.effective_message
    context.end_flow()
    if message is not None and message.text:
        await post(update, context, message.text)


TEXT_STEPS = {FLOW: on_text_step}


def _summary_lines(t: Translator, summary: CaseSummary) -> list[str]:
    if summary.count == 0:
        return [t.gettext("Cases: none")]
    lines = [
        t.ngettext("Cases: {n}", "Cases: {n}", summary.count).format(n=summary.count),
    ]
    for case in summary.cases:
        lines.append(f"• {short(case.ref, 40)} ({case.kind.value}, {case.filing.isoformat()})")
    if summary.count > len(summary.cases):
        lines.append("• …")
    return lines


def fit_escaped(text: str, limit: int = RELAY_BODY) -> Markup:
    """`text` HTML-escaped, cut so that the escaped form stays within `limit` characters."""
    body = esc(text)
    while len(body) > limit:
        text = text[: len(text) * 3 // 4]
        body = esc(text + "…")
    return body


# What a message without text carries, by its attribute (the staff's words for it).
CONTENT_KINDS: dict[str, str] = {
    "document": N_("file"),
    "photo": N_("photo"),
    "video": N_("video"),
    "audio": N_("audio"),
    "voice": N_("voice message"),
    "video_note": N_("video message"),
    "sticker": N_("sticker"),
    "location": N_("location"),
}


def describe(message: Message) -> str:
    """What a message without text carried, as plain text for the ticket and the staff: its
    caption, else the kind of content (in the staff's language) and a file's name."""
    if message.caption:
        return message.caption
    t = staff_translator()
    found = next((k for k in CONTENT_KINDS if getattr(message, k, None)), None)
    kind = t.gettext(CONTENT_KINDS[found]) if found else t.gettext("message")
    name = message.document.file_name if message.document else None
    return f"[{kind}: {name}]" if name else f"[{kind}]"


def relay_text(update: Update, posted: Posted, summary: CaseSummary) -> Markup:
    """The message staff see: who, in which language, their cases, and the text."""
    t = staff_translator()
    ticket = posted.ticket
    user = update.effective_user
    who = clean(user.full_name) if user else "?"  # no bidi tricks in what staff read
    if user is not None and user.username:
        who += f" (@{user.username})"
    heads = {
        Opened.NEW: t.gettext("New ticket #{id}"),
        Opened.ADDED: t.gettext("Ticket #{id}, a new message"),
        Opened.REOPENED: t.gettext("Ticket #{id} reopened"),
    }
    lines: list[str] = [
        bold(heads[posted.outcome].format(id=ticket.id)),
        t.gettext("From: {who}, id {user_id}").format(who=who, user_id=ticket.user_id),
        t.gettext("Language: {lang}").format(lang=ticket.language or "?"),
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
    desk = desk_of(context)
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
    confirmations = {
        Opened.NEW: t.gettext(
            "Your message is sent to the staff (ticket #{id}). They will answer here."
        ),
        Opened.ADDED: t.gettext("Added to your ticket #{id}."),
        Opened.REOPENED: t.gettext("Your ticket #{id} is open again; the staff will see it."),
    }
    await answer(
        update,
        context,
        confirmations[posted.outcome].format(id=ticket.id),
        [[close_button(t)]],
    )


async def on_reply(update: Update, context: BotContext) -> None:
    """A reply in the private chat: to a staff answer it goes to the ticket, else as usual."""
    message = update.effective_message
    user = update.effective_user
    desk = desk_of(context)
    replied = message.reply_to_message if message else None
    if (
        message is not None
        and message.text
        and user is not None
        and desk is not None
        and replied is not None
        and context.flow is None
        and await desk.is_ticket_message(user.id, replied.message_id)
    ):
        await post(update, context, message.text)
        return
    from bot.handlers import on_text

    await on_text(update, context)


async def on_content(update: Update, context: BotContext) -> None:
    """A file, a photo, a voice message… in the private chat: for the staff when /support waits
    for the message or when it answers a staff answer; else what the bot does with it anyway
    (a CSV for /import, or a word on what the bot reads)."""
    message = update.effective_message
    user = update.effective_user
    desk = desk_of(context)
    flow = context.flow
    if message is None or user is None:
        return
    from bot.handlers.transfer import is_import_caption, on_document

    for_import = message.document is not None and is_import_caption(message.caption)
    replied = message.reply_to_message
    waiting = flow is not None and flow.get("name") == FLOW
    answering = (
        flow is None
        and replied is not None
        and desk is not None
        and await desk.is_ticket_message(user.id, replied.message_id)
    )
    if not for_import and (waiting or answering):
        context.end_flow()
        await post(update, context, describe(message), copy=message)
        return
    if message.document is not None:
        await on_document(update, context)
    else:
        await other_content(update, context)


async def close_own(update: Update, context: BotContext) -> None:
    """The user closes their current ticket (button or /close outside the staff desk)."""
    t = context.t
    desk = desk_of(context)
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
        t.gettext("Ticket #{id} is closed. Write /support if you need anything else.").format(
            id=ticket.id
        ),
    )
    staff_chat = context.settings.staff_chat_id
    if staff_chat is not None:
        st = staff_translator()
        try:
            await send(
                context.bot,
                staff_chat,
                st.gettext("Ticket #{id} was closed by the user.").format(id=ticket.id),
                reply_to_message_id=ticket.staff_message_id,
                allow_sending_without_reply=True,
            )
        except TelegramError:
            log.warning("could not tell the staff that ticket %s was closed", ticket.id)


async def on_button(update: Update, context: BotContext) -> None:
    data = parse(update.callback_query.data if update.callback_query else None)
    await ack(update)
    if data is not None and data.action == "ask":
        await start_writing(update, context)
    elif data is not None and data.action == "close":
        await close_own(update, context)
    else:
        await stale_button(update, context, answered=True)


def handlers() -> list[BaseHandler[Update, BotContext, None]]:
    return [
        CommandHandler("support", support_command),
        CallbackQueryHandler(on_button, pattern=pattern(FEATURE)),
        MessageHandler(
            filters.ChatType.PRIVATE & filters.REPLY & filters.TEXT & ~filters.COMMAND, on_reply
        ),
        MessageHandler(
            filters.ChatType.PRIVATE & ~filters.TEXT & ~filters.StatusUpdate.ALL, on_content
        ),
    ]
