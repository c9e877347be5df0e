"""Sending answers: split at 4096 characters, keyboard on the last part, edits where possible."""

from __future__ import annotations

from collections.abc import Sequence

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.error import BadRequest

from bot.callbacks import cb
from bot.context import BotContext
from bot.text import MAX_MESSAGE, split_message

Button = tuple[str, str]  # (label, callback data)


def keyboard(rows: Sequence[Sequence[Button]]) -> InlineKeyboardMarkup | None:
    built = [
        [InlineKeyboardButton(label, callback_data=data) for label, data in row] for row in rows
    ]
    built = [row for row in built if row]
    return InlineKeyboardMarkup(built) if built else None


def button(label: str, feature: str, action: str, *args: object) -> Button:
    return (label, cb(feature, action, *args))


async def answer(
    update: Update,
    context: BotContext,
    text: str,
    rows: Sequence[Sequence[Button]] = (),
    *,
    edit: bool = False,
) -> Message | None:
    """Answer in the update's chat. `edit`: replace the message whose button was pressed."""
    markup = keyboard(rows)
    query = update.callback_query
    if edit and query is not None and query.message is not None and len(text) <= MAX_MESSAGE:
        try:
            result = await query.edit_message_text(text, reply_markup=markup)
            return result if isinstance(result, Message) else None
        except BadRequest:
            pass  # not modified or too old to edit: send a new message
    chat = update.effective_chat
    if chat is None:
        return None
    parts = split_message(text)
    sent: Message | None = None
    for i, part in enumerate(parts):
        last = i == len(parts) - 1
        sent = await context.bot.send_message(
            chat.id, part, reply_markup=markup if last else None, disable_web_page_preview=True
        )
    return sent


async def ack(update: Update, text: str | None = None) -> None:
    """Answer a button press (stops the client's spinner), optionally with a toast."""
    if update.callback_query is not None:
        await update.callback_query.answer(text)
