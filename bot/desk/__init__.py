"""The support desk: users write to a person, staff answer from a staff chat.

- `desk`: what both sides share — who is staff, the staff's language, how a message is shown;
- `user`: /support, the message for the staff, replies to a staff answer, closing one's ticket;
- `staff`: answering tickets, /faq, /tickets, /close, /stats, /broadcast;
- `schedule`: /schedule, a newer fee schedule from the staff.

The router (`bot/handlers/__init__.py`) takes three lists from here, for three groups:
`staff_chat_handlers` (everything in the staff chat, first; the update stops there),
`ticket_handlers` (a user's message for the staff, early; it stops there when taken) and
`handlers` (the commands and buttons, with the other features).
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any

from telegram import Update
from telegram.ext import (
    ApplicationHandlerStop,
    BaseHandler,
    CommandHandler,
    MessageHandler,
    filters,
)

from bot.context import BotContext
from bot.desk import staff, user
from bot.desk.desk import is_staff
from bot.desk.schedule import CAPTION_FILTER, schedule_command
from bot.fallbacks import unknown_command

Callback = Callable[[Update, BotContext], Coroutine[Any, Any, None]]

STAFF_COMMANDS: dict[str, Callback] = {**staff.COMMANDS, "schedule": schedule_command}


def _in_staff_chat(callback: Callback) -> Callback:
    """A staff chat handler: runs for staff only (anyone else there is ignored), then stops the
    update — the staff chat is served here and nowhere else."""

    async def run(update: Update, context: BotContext) -> None:
        if await is_staff(update, context):
            await callback(update, context)
        raise ApplicationHandlerStop

    return run


async def _staff_talk(update: Update, context: BotContext) -> None:
    """Anything else said in the staff chat: not for the bot."""
    raise ApplicationHandlerStop


def staff_chat_handlers(staff_chat_id: int | None) -> list[BaseHandler[Update, BotContext, None]]:
    """Group "staff chat": its commands, replies to tickets and the rest (new messages only: an
    edited reply is not sent again)."""
    if staff_chat_id is None:
        return []
    chat = filters.Chat(staff_chat_id)
    new = chat & filters.UpdateType.MESSAGE
    return [
        *(
            CommandHandler(name, _in_staff_chat(callback), filters=new)
            for name, callback in STAFF_COMMANDS.items()
        ),
        MessageHandler(new & CAPTION_FILTER, _in_staff_chat(schedule_command)),
        MessageHandler(new & filters.REPLY & ~filters.COMMAND, _in_staff_chat(staff.relay_reply)),
        MessageHandler(chat, _staff_talk),
    ]


def ticket_handlers() -> list[BaseHandler[Update, BotContext, None]]:
    """Group "ticket messages": a user's message for the staff (`user.on_ticket_message`)."""
    return user.ticket_handlers()


def _staff_only(callback: Callback) -> Callback:
    """A staff command in a private chat: for staff; anyone else is told it is unknown."""

    async def run(update: Update, context: BotContext) -> None:
        if await is_staff(update, context):
            await callback(update, context)
        else:
            await unknown_command(update, context)

    return run


async def close(update: Update, context: BotContext) -> None:
    """/close in a private chat: staff close ticket N (`/close N`); a user closes their own."""
    if context.args and await is_staff(update, context):
        await staff.close_command(update, context)
    else:
        await user.close_own(update, context)


def handlers() -> list[BaseHandler[Update, BotContext, None]]:
    """The features group: the user's side, and the staff commands in private chats."""
    return [
        *user.handlers(),
        CommandHandler("close", close),
        *(
            CommandHandler(name, _staff_only(callback))
            for name, callback in STAFF_COMMANDS.items()
            if name != "close"
        ),
        MessageHandler(filters.ChatType.PRIVATE & CAPTION_FILTER, _staff_only(schedule_command)),
    ]
