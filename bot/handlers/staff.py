"""The support desk, the staff's side (issue 5): the staff gate, replies to relayed tickets, and
/faq, /tickets, /close, /broadcast, /stats.

Staff are the users in `PCTBY_STAFF_IDS` and the members of the staff chat
(`PCTBY_STAFF_CHAT_ID`, checked with getChatMember and cached for a few minutes). The gate runs
before every other handler (STYLE #4):
- in the staff chat, anything from a non-member is dropped, and a member's plain reply to a
  ticket is relayed to its author; nothing said there reaches the FAQ or the other features;
- elsewhere, a staff-only command from anyone else is answered like an unknown command.
A ticket's text only ever goes to the ticket's author (`ticket.user_id`) and to the staff chat.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Callable, Coroutine
from typing import Any, Final

from telegram import Bot, ChatMember, Message, MessageId, Update
from telegram.constants import ChatType
from telegram.error import Forbidden, TelegramError
from telegram.ext import ApplicationHandlerStop, BaseHandler, CommandHandler

from bot.context import BotContext
from bot.fallbacks import unknown_command
from bot.handlers.support import (
    close_button,
    describe,
    desk_of,
    fit_escaped,
    staff_translator,
)
from bot.html import Markup, bold, esc, join
from bot.i18n import translator
from bot.reply import send
from bot.sender import Sender, map_error
from bot.storage import USER_DATA_KEY, mark_unseen
from bot.text import short
from core.i18n import normalize_lang
from core.reminders import Blocked
from core.reminders import RetryAfter as CoreRetryAfter
from core.storage import Broadcast, Ticket
from core.support import (
    BroadcastReport,
    Delivery,
    Recipient,
    RetryLater,
    Sleep,
    SupportDesk,
    broadcast,
)

log = logging.getLogger(__name__)

STAFF_ONLY: Final = frozenset({"faq", "tickets", "broadcast", "stats", "schedule"})
MEMBER_TTL: Final = 300.0  # seconds a staff-chat membership answer is trusted
MEMBERS_KEY: Final = "staff.members"
BROADCAST_KEY: Final = "staff.broadcast"
MEMBER_STATUSES: Final = frozenset({ChatMember.OWNER, ChatMember.ADMINISTRATOR, ChatMember.MEMBER})
# messages per second when the bot has no `bot.sender.Sender` (offline); with one, the sender
# paces the broadcast together with every other message (25 a second in all)
BROADCAST_RATE: Final = 20.0
PROGRESS_EVERY: Final = 25
SLEEP: Sleep = asyncio.sleep  # replaced in tests
STOP_TIMEOUT: Final = 10.0  # seconds a stop waits for the broadcast message in flight


# --- who is staff --------------------------------------------------------------------------


async def is_staff(update: Update, context: BotContext) -> bool:
    settings = context.settings
    user = update.effective_user
    message = update.effective_message
    staff_chat = settings.staff_chat_id
    if (
        staff_chat is not None
        and message is not None
        and message.sender_chat is not None
        and message.sender_chat.id == staff_chat
    ):
        return True  # an anonymous administrator of the staff chat
    if user is None or user.is_bot:
        return False
    if user.id in settings.staff_ids:
        return True
    if staff_chat is None:
        return False
    cache: dict[int, tuple[bool, float]] = context.services.extra.setdefault(MEMBERS_KEY, {})
    now = time.monotonic()
    known = cache.get(user.id)
    if known is not None and known[1] > now:
        return known[0]
    try:
        member = await context.bot.get_chat_member(staff_chat, user.id)
        ok = member.status in MEMBER_STATUSES or (
            member.status == ChatMember.RESTRICTED and bool(getattr(member, "is_member", False))
        )
    except (TelegramError, ValueError, KeyError, TypeError):
        log.warning("staff membership of %s not checked", user.id, exc_info=True)
        return False  # fail closed, and do not cache: ask again next time
    cache[user.id] = (ok, now + MEMBER_TTL)
    return ok


def _command(message: Message | None) -> str | None:
    text = (message.text or message.caption) if message is not None else None
    if not text or not text.startswith("/"):
        return None
    return text.split()[0][1:].split("@")[0].lower()


def _in_staff_chat(update: Update, context: BotContext) -> bool:
    chat = update.effective_chat
    staff_chat = context.settings.staff_chat_id
    return chat is not None and staff_chat is not None and chat.id == staff_chat


async def gate(update: Update, context: BotContext) -> None:
    """Group before the language gate: see the module's docstring."""
    message = update.effective_message
    if _in_staff_chat(update, context):
        # The staff chat is served here and nowhere else: no menus, FAQ or user records there.
        if await is_staff(update, context) and update.message is not None:
            command = _command(update.message)
            if command is None:
                if update.message.reply_to_message is not None:
                    await relay_reply(update, context)
            elif command in COMMANDS:
                context.args = (update.message.text or "").split()[1:]
                await COMMANDS[command](update, context)
        raise ApplicationHandlerStop
    chat = update.effective_chat
    private = chat is not None and chat.type == ChatType.PRIVATE  # groups: the next gate
    if private and _command(message) in STAFF_ONLY and not await is_staff(update, context):
        from bot.handlers.gates import resolve_language

        await resolve_language(update, context)
        await unknown_command(update, context)
        raise ApplicationHandlerStop


# --- answering tickets ---------------------------------------------------------------------


async def _reply_staff(update: Update, text: str) -> None:
    """`text`: Markup or plain text (escaped)."""
    message = update.effective_message
    if message is not None:
        await message.reply_text(esc(text), disable_web_page_preview=True)


async def _ticket_of_reply(update: Update, context: BotContext, desk: SupportDesk) -> Ticket | None:
    """The ticket a staff message replies to: only a reply in the staff chat names one (a
    message id in any other chat is another chat's, and never a ticket's relay)."""
    message = update.effective_message
    replied = message.reply_to_message if message else None
    if replied is None or not _in_staff_chat(update, context):
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
    header = bold(t.gettext("Answer from the staff, ticket #{id}:").format(id=ticket.id))
    close = _markup([[close_button(t)]])
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
        mark_unseen(context.application.user_data, ticket.user_id)
        await _reply_staff(update, st.gettext("Not delivered: the user has blocked the bot."))
        return False
    except TelegramError as exc:
        log.warning("answer to ticket %s not delivered: %s", ticket.id, exc)
        await _reply_staff(
            update, st.gettext("Not delivered: {error}").format(error=short(str(exc), 200))
        )
        return False
    message = update.effective_message
    await desk.staff_answer(
        ticket,
        body,
        staff_message_id=message.message_id if message else None,
        telegram_message_id=sent.message_id,
    )
    return True


def _markup(rows: Any) -> Any:
    from bot.reply import keyboard

    return keyboard(rows)


async def relay_reply(update: Update, context: BotContext) -> None:
    """A staff member's reply to a relayed ticket goes to the ticket's author."""
    desk = desk_of(context)
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
    if not await is_staff(update, context):
        return
    st = staff_translator()
    desk = desk_of(context)
    faq = context.services.faq
    if desk is None or faq is None:
        await _reply_staff(update, st.gettext("The FAQ or the database is not available."))
        return
    topic = (context.args or [""])[0].strip().lower()
    ticket = await _ticket_of_reply(update, context, desk)
    if ticket is None or topic not in faq.topics:
        await _reply_staff(
            update,
            st.gettext("Reply to a ticket with /faq TOPIC. Topics: {topics}").format(
                topics=", ".join(faq.topics)
            ),
        )
        return
    # the FAQ's own answers: markup checked when the FAQ is loaded (<b> and <i> only)
    text = Markup(faq.answer(topic, normalize_lang(ticket.language)).text)
    if await deliver(update, context, desk, ticket, text):
        await _reply_staff(
            update,
            st.gettext("Sent the answer “{topic}” to ticket #{id}.").format(
                topic=topic, id=ticket.id
            ),
        )


# --- the desk ------------------------------------------------------------------------------


async def _staff_desk(update: Update, context: BotContext) -> SupportDesk | None:
    """The desk for a staff command; None for anyone else (nothing said)."""
    if not await is_staff(update, context):
        return None
    return await _desk_or_say(update, context)


async def _desk_or_say(update: Update, context: BotContext) -> SupportDesk | None:
    """The desk; None, said to the staff, where there is no database."""
    desk = desk_of(context)
    if desk is None:
        await _reply_staff(update, staff_translator().gettext("The database is not available."))
    return desk


async def tickets_command(update: Update, context: BotContext) -> None:
    desk = await _staff_desk(update, context)
    if desk is None:
        return
    st = staff_translator()
    found = await desk.staff_open_tickets()
    if not found:
        await _reply_staff(update, st.gettext("No open tickets."))
        return
    lines: list[str] = [
        bold(st.ngettext("{n} open ticket", "{n} open tickets", len(found)).format(n=len(found)))
    ]
    for item in found:
        ticket = item.ticket
        age = ticket.updated_at.astimezone(context.settings.tz).strftime("%d.%m %H:%M")
        lines.append(
            f"#{ticket.id} · {ticket.status.value} · {ticket.language or '?'} · "
            f"{age} · {short(item.last_text, 80)}"
        )
    await _reply_staff(update, join(lines))


async def close_command(update: Update, context: BotContext) -> None:
    """Staff: /close as a reply to a ticket, or /close N. Anyone else: closes their own."""
    from bot.handlers.support import close_own

    staff_use = _in_staff_chat(update, context) or bool(context.args)
    if not staff_use or not await is_staff(update, context):
        await close_own(update, context)
        return
    desk = await _desk_or_say(update, context)
    if desk is None:
        return
    st = staff_translator()
    ticket = await _ticket_of_reply(update, context, desk)
    args = context.args or []
    if ticket is None and args and args[0].lstrip("#").isdigit():
        ticket = await desk.staff_ticket_by_id(int(args[0].lstrip("#")))
    if ticket is None:
        await _reply_staff(update, st.gettext("Reply to a ticket with /close, or write /close N."))
        return
    if not await desk.staff_close(ticket):
        closed = st.gettext("Ticket #{id} is closed already.")
        await _reply_staff(update, closed.format(id=ticket.id))
        return
    t = translator(normalize_lang(ticket.language))
    notified = True
    try:
        await send(
            context.bot,
            ticket.user_id,
            t.gettext(
                "The staff closed your ticket #{id}. Write /support if you need anything else."
            ).format(id=ticket.id),
        )
    except TelegramError:
        notified = False
    text = (
        st.gettext("Ticket #{id} closed; the user is notified.")
        if notified
        else st.gettext("Ticket #{id} closed; the user could not be notified.")
    )
    await _reply_staff(update, text.format(id=ticket.id))


async def stats_command(update: Update, context: BotContext) -> None:
    desk = await _staff_desk(update, context)
    if desk is None:
        return
    st = staff_translator()
    s = await desk.stats()
    lines: list[str] = [
        bold(st.gettext("Statistics")),
        st.gettext("Users: {n} ({blocked} blocked the bot)").format(
            n=s.users, blocked=s.blocked_users
        ),
        st.gettext("Cases: {n}").format(n=s.cases),
        st.gettext("Alerts sent: {n} (planned: {planned})").format(
            n=s.alerts_sent, planned=s.alerts_planned
        ),
        st.gettext("Open tickets: {n}").format(n=s.open_tickets),
    ]
    await _reply_staff(update, join(lines))


# --- broadcasts ----------------------------------------------------------------------------


async def broadcast_command(update: Update, context: BotContext) -> None:
    desk = await _staff_desk(update, context)
    message = update.effective_message
    chat = update.effective_chat
    if desk is None or message is None or chat is None:
        return
    st = staff_translator()
    text = (message.text or "").partition(" ")[2].strip()
    if not text:
        await _reply_staff(update, st.gettext("Write the text after the command: /broadcast TEXT"))
        return
    job = await desk.start_broadcast(esc(text), chat.id)
    if job is None:
        await _reply_staff(update, st.gettext("A broadcast is running already; wait for it."))
        return
    launch_broadcast(context.services, context.bot, desk, job)


def launch_broadcast(
    services: Any, bot: Bot, desk: SupportDesk, job: Broadcast, *, resumed: bool = False
) -> None:
    """Runs the stored broadcast `job` in the background (from where it got, if `resumed`)."""

    async def run() -> None:
        try:
            await _run_broadcast(bot, desk, job, resumed, services.extra.get(USER_DATA_KEY))
        except Exception:  # its progress is stored: the next start resumes it
            log.exception("broadcast %d stopped", job.id)

    services.extra[BROADCAST_KEY] = asyncio.create_task(run(), name=f"pctby-broadcast-{job.id}")


async def _run_broadcast(
    bot: Bot, desk: SupportDesk, job: Broadcast, resumed: bool, user_data: Any = None
) -> None:
    st = staff_translator()
    recipients = await desk.recipients(job.last_user_id)
    report = BroadcastReport.of(job)
    report.total = max(report.total, report.done + len(recipients))  # users who came since
    if resumed:
        intro = st.gettext("Broadcast #{id} resumed after a restart: {done} of {total} done…")
    else:
        intro = st.gettext("Broadcast to {n} users: starting…")
    progress: Message | None = None
    with contextlib.suppress(TelegramError):
        counts = {"id": job.id, "done": report.done, "total": report.total, "n": report.total}
        progress = await send(bot, job.staff_chat_id, intro.format(**counts))

    async def deliver_one(r: Recipient) -> Delivery:
        # the stored text was escaped when the broadcast began (`broadcast_command`)
        sending = asyncio.ensure_future(
            bot.send_message(r.user_id, Markup(job.text), disable_web_page_preview=True)
        )
        try:
            await asyncio.shield(sending)
        except asyncio.CancelledError:  # shutdown: the message in flight finishes and is recorded
            await _finish_in_flight(sending, desk, job.id, r.user_id)
            raise
        except TelegramError as exc:
            mapped = map_error(exc)
            if isinstance(mapped, CoreRetryAfter):
                raise RetryLater(mapped.seconds) from exc
            if isinstance(mapped, Blocked):
                mark_unseen(user_data, r.user_id)  # their next update unblocks them
                return Delivery.BLOCKED
            return Delivery.FAILED
        return Delivery.DELIVERED

    async def on_sent(r: Recipient, outcome: Delivery) -> None:
        await desk.broadcast_sent(job.id, r.user_id, outcome)

    async def on_progress(report: BroadcastReport) -> None:
        if progress is None:
            return
        text = st.gettext("Broadcast: {done} of {total}…")
        with contextlib.suppress(TelegramError):
            await progress.edit_text(esc(text.format(done=report.done, total=report.total)))

    report = await broadcast(
        recipients,
        deliver_one,
        rate=0 if isinstance(getattr(bot, "rate_limiter", None), Sender) else BROADCAST_RATE,
        progress_every=PROGRESS_EVERY,
        on_progress=on_progress,
        on_sent=on_sent,
        report=report,
        sleep=SLEEP,
    )
    await desk.finish_broadcast(job.id)
    with contextlib.suppress(TelegramError):
        await send(
            bot,
            job.staff_chat_id,
            st.gettext(
                "Broadcast finished: {delivered} delivered, {blocked} blocked, {failed} failed "
                "(of {total})."
            ).format(
                delivered=report.delivered,
                blocked=report.blocked,
                failed=report.failed,
                total=report.total,
            ),
        )


async def _finish_in_flight(
    sending: asyncio.Future[Any], desk: SupportDesk, job_id: int, user_id: int
) -> None:
    """A broadcast stopped mid-send: the send may finish (bounded), and if it went out it is
    recorded, so the broadcast resumed after the restart does not send it again."""
    with contextlib.suppress(Exception, asyncio.CancelledError):
        await asyncio.wait_for(asyncio.shield(sending), STOP_TIMEOUT)
    if sending.done() and not sending.cancelled() and sending.exception() is None:
        await desk.broadcast_sent(job_id, user_id, Delivery.DELIVERED)
    elif not sending.done():
        sending.cancel()


async def resume_broadcasts(services: Any, bot: Bot, stack: contextlib.AsyncExitStack) -> None:
    """At start-up: a broadcast a restart interrupted goes on where it stopped (each user gets
    it once; only the one message in flight at a crash may come twice). At shutdown the
    running broadcast stops, to be resumed the same way."""
    desk = SupportDesk(services.store)
    for job in (await desk.running_broadcasts())[:1]:
        launch_broadcast(services, bot, desk, job, resumed=True)

    async def stop() -> None:
        task = running_broadcast(services)
        if task is not None and not task.done():
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    stack.push_async_callback(stop)


def running_broadcast(context_or_services: Any) -> asyncio.Task[Any] | None:
    """The broadcast task in progress (tests wait for it)."""
    extra = getattr(context_or_services, "extra", None)
    task = extra.get(BROADCAST_KEY) if isinstance(extra, dict) else None
    return task if isinstance(task, asyncio.Task) else None


async def schedule_command(update: Update, context: BotContext) -> None:
    """/schedule: a newer fee schedule (bot/handlers/schedule.py)."""
    from bot.handlers.schedule import schedule_command as run

    await run(update, context)


COMMANDS: Final[dict[str, Callable[[Update, BotContext], Coroutine[Any, Any, None]]]] = {
    "faq": faq_command,
    "tickets": tickets_command,
    "close": close_command,
    "stats": stats_command,
    "broadcast": broadcast_command,
    "schedule": schedule_command,
}


def handlers() -> list[BaseHandler[Update, BotContext, None]]:
    """The staff commands in private chats (in the staff chat the gate runs them)."""
    return [CommandHandler(name, callback) for name, callback in COMMANDS.items()]
