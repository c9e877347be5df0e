"""The support desk, the staff's side: replies to relayed tickets, /faq, /tickets,
/close, /broadcast, /stats and /schedule.

/faq also teaches the FAQ (`core.faq.learning`): `/faq unanswered [N]` lists the latest
questions it did not answer surely, numbered; `/faq teach N TOPIC` adds question N as a
paraphrase of TOPIC in its language (validated first: refused with one sentence);
`/faq untaught` lists the taught paraphrases, `/faq untaught N` removes one.

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
from bot.render.html import Markup, bold, esc, italic, join
from bot.render.i18n import translator
from bot.render.reply import keyboard, send
from bot.render.text import MAX_MESSAGE, short
from bot.render.views import faq_answer_text
from core.errors import N_, InputError
from core.faq.learning import FaqLearning, Kept
from core.i18n import Translator, normalize_lang
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


FAQ_USAGE = N_(
    "Reply to a ticket with /faq TOPIC to send that answer. Teach the FAQ: /faq unanswered "
    "lists the questions it did not answer surely; /faq teach N TOPIC teaches question N; "
    "/faq untaught lists the taught ones, /faq untaught N removes one. Topics: {topics}"
)
UNANSWERED_SHOWN = 15
MAX_LISTED = 3800  # characters of a list, so that it fits one message with its markup


async def faq_command(update: Update, context: BotContext) -> None:
    """/faq TOPIC as a reply to a ticket: that FAQ answer, in the ticket's language; /faq
    unanswered | teach N TOPIC | untaught [N]: the FAQ's learning loop."""
    st = staff_translator()
    args = context.args or []
    action = args[0].strip().lower() if args else ""
    learning = context.services.faq_learning
    if action in FAQ_ACTIONS:
        if learning is None:
            await reply_staff(update, st.gettext("The FAQ or the database is not available."))
            return
        try:
            await FAQ_ACTIONS[action](update, context, learning, args[1:])
        except InputError as err:
            await reply_staff(update, st.error(err))
        return
    desk = context.services.desk
    faq = context.services.faq
    if desk is None or faq is None:
        await reply_staff(update, st.gettext("The FAQ or the database is not available."))
        return
    topic = action
    ticket = await _ticket_of_reply(update, context, desk)
    if ticket is None or topic not in faq.topics:
        await reply_staff(update, st.fmt(FAQ_USAGE, topics=", ".join(faq.topics)))
        return
    # the FAQ's own answer in the ticket's language, with the schedule's age where it states
    # amounts (as the FAQ gives it to the user)
    t = translator(normalize_lang(ticket.language))
    text = faq_answer_text(t, faq, topic, context.today)
    if await deliver(update, context, desk, ticket, text):
        await reply_staff(
            update, st.fmt("Sent the answer “{topic}” to ticket #{id}.", topic=topic, id=ticket.id)
        )


def _outcome(st: Translator, kept: Kept) -> str:
    closest = kept.topic
    if closest is not None and closest.startswith("~"):
        return st.fmt("no answer, out of scope ({kind})", kind=closest[1:])
    if kept.outcome == "low" and closest is not None:
        return st.fmt("answered with low confidence: {topic}", topic=closest)
    if closest is not None:
        return st.fmt(
            "no answer; closest: {topic} {score}", topic=closest, score=f"{kept.score:.2f}"
        )
    return st.gettext("no answer")


async def faq_unanswered(
    update: Update, context: BotContext, learning: FaqLearning, args: list[str]
) -> None:
    st = staff_translator()
    wanted = parse_number(args[0]) if args else None
    found, total = await learning.unanswered(min(wanted or UNANSWERED_SHOWN, 50))
    if not found:
        await reply_staff(update, st.gettext("No kept questions: the FAQ answered everything."))
        return
    lines: list[str] = [
        bold(st.nfmt("{n} kept question", "{n} kept questions", total)),
        st.gettext(
            "The latest first; kept for 90 days after they were last asked, without who asked."
        ),
    ]
    size = sum(len(line) for line in lines)
    for kept in found:
        when = kept.last_at.astimezone(context.settings.tz).strftime("%d.%m.%Y %H:%M")
        item = join(
            [
                f"#{kept.id} · {kept.lang} · {when} · ×{kept.times} · {_outcome(st, kept)}",
                italic(short(kept.text, 200)),
            ]
        )
        if size + len(item) > MAX_LISTED:
            break
        lines.append(item)
        size += len(item)
    lines.append(st.gettext("Teach one: /faq teach N TOPIC"))
    await reply_staff(update, join(lines))


async def faq_teach(
    update: Update, context: BotContext, learning: FaqLearning, args: list[str]
) -> None:
    st = staff_translator()
    number = parse_number(args[0].lstrip("#")) if args else None
    if number is None or len(args) != 2:
        await reply_staff(update, st.gettext("Write /faq teach N TOPIC (N from /faq unanswered)."))
        return
    kept, taught = await learning.teach_kept(number, args[1].strip().lower())
    context.services.faq = learning.current
    await reply_staff(
        update,
        st.fmt(
            "Taught: “{text}” ({lang}) now answers {topic}. To undo: /faq untaught {id}",
            text=short(kept.text, 200),
            lang=kept.lang,
            topic=taught.topic,
            id=taught.id,
        ),
    )


async def faq_untaught(
    update: Update, context: BotContext, learning: FaqLearning, args: list[str]
) -> None:
    st = staff_translator()
    if not args:
        taught = await learning.taught()
        if not taught:
            await reply_staff(update, st.gettext("Nothing taught yet: see /faq unanswered."))
            return
        lines: list[str] = [
            bold(st.nfmt("{n} taught paraphrase", "{n} taught paraphrases", len(taught)))
        ]
        size = len(lines[0])
        for item in reversed(taught):  # the latest first
            line = f"#{item.id} · {item.lang} · {item.topic} · {short(item.text, 150)}"
            if size + len(line) > MAX_LISTED:
                break
            lines.append(line)
            size += len(line)
        lines.append(st.gettext("Remove one: /faq untaught N"))
        await reply_staff(update, join(lines))
        return
    number = parse_number(args[0].lstrip("#"))
    if number is None:
        await reply_staff(update, st.gettext("Write /faq untaught N (N from /faq untaught)."))
        return
    removed = await learning.untaught(number)
    context.services.faq = learning.current
    await reply_staff(
        update,
        st.fmt(
            "Removed #{id}: “{text}” ({lang}) no longer answers {topic}.",
            id=removed.id,
            text=short(removed.text, 200),
            lang=removed.lang,
            topic=removed.topic,
        ),
    )


FaqAction = Callable[[Update, BotContext, FaqLearning, list[str]], Coroutine[Any, Any, None]]
FAQ_ACTIONS: Final[dict[str, FaqAction]] = {
    "unanswered": faq_unanswered,
    "teach": faq_teach,
    "untaught": faq_untaught,
}


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
