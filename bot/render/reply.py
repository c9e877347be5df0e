"""Sending answers: split at 4096 characters, keyboard on the last part, edits where possible.

Every text the bot sends goes through here as `bot.render.html.Markup` (kept) or as plain text
(escaped here): a `str` is never taken for HTML."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from functools import lru_cache
from typing import Any, Protocol

from telegram import (
    Bot,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    LinkPreviewOptions,
    Message,
    Update,
)
from telegram.error import BadRequest

from bot.parse.callbacks import CallbackData
from bot.render.html import esc
from bot.render.text import MAX_MESSAGE, split_message

log = logging.getLogger("pctby.bot")

Button = tuple[str, str]  # (label, callback data)


class HasBot(Protocol):
    """What `answer` needs of the handler's context: the bot to send with. A protocol, not
    `bot.context.BotContext`, so that rendering never imports the context (which imports the
    jobs, which send through here)."""

    @property
    def bot(self) -> Bot: ...


class Keyboard(InlineKeyboardMarkup):
    """An inline keyboard that knows its wire form: PTB serialises the markup on every send
    (`to_dict`, tens of microseconds for a menu); a markup is immutable, so once is enough.

    The wire form is shared by every send, read-only by contract (PTB only serialises it; the
    offline Bot API keeps and reads it): copies would cost allocations on every send, and the
    garbage collector's time with them."""

    __slots__ = ("_wire",)

    def __init__(self, rows: Sequence[Sequence[InlineKeyboardButton]]) -> None:
        super().__init__(rows)
        wire = super().to_dict()
        wire["inline_keyboard"] = tuple(tuple(row) for row in wire["inline_keyboard"])
        with self._unfrozen():
            self._wire = wire

    def to_dict(self, recursive: bool = True) -> dict[str, Any]:
        return self._wire if recursive else super().to_dict(recursive=False)


class _NoPreview(LinkPreviewOptions):
    """`is_disabled=True`, serialised once (PTB would build and serialise one per send from
    `disable_web_page_preview=True`, ~10 µs)."""

    __slots__ = ()

    def __init__(self) -> None:
        super().__init__(is_disabled=True)

    def to_dict(self, recursive: bool = True) -> dict[str, Any]:
        return {"is_disabled": True} if recursive else super().to_dict(recursive=False)


# Answers carry no link previews.
NO_PREVIEW: LinkPreviewOptions = _NoPreview()


def keyboard(rows: Sequence[Sequence[Button]]) -> InlineKeyboardMarkup | None:
    """The markup for `rows` of (label, callback data); built once per distinct keyboard (the
    menu of each language, the buttons of each case…) and shared, since markups are immutable."""
    return _keyboard(tuple(tuple(row) for row in rows if row))


@lru_cache(maxsize=2048)
def _keyboard(rows: tuple[tuple[Button, ...], ...]) -> Keyboard | None:
    if not rows:
        return None
    return Keyboard(
        [[InlineKeyboardButton(label, callback_data=data) for label, data in row] for row in rows]
    )


def button(label: str, data: CallbackData, /) -> Button:
    """A button that sends `data` (typed: `bot.parse.callbacks`)."""
    return (label, data.encode())


async def answer(
    update: Update,
    context: HasBot,
    text: str,
    rows: Sequence[Sequence[Button]] = (),
    *,
    edit: bool = False,
) -> Message | None:
    """Answer in the update's chat. `edit`: replace the message whose button was pressed.
    `text`: `Markup`, or plain text (escaped here)."""
    text = esc(text)
    markup = keyboard(rows)
    query = update.callback_query
    if edit and query is not None and query.message is not None and len(text) <= MAX_MESSAGE:
        try:
            result = await query.edit_message_text(text, reply_markup=markup)
            return result if isinstance(result, Message) else None
        except BadRequest as err:
            if "not modified" in err.message.lower():  # a double tap: it already says this
                return None
            # too old to edit, or gone: send a new message
    chat = update.effective_chat
    if chat is None:
        return None
    parts = split_message(text)
    sent: Message | None = None
    for i, part in enumerate(parts):
        last = i == len(parts) - 1
        sent = await context.bot.send_message(
            chat.id, part, reply_markup=markup if last else None, link_preview_options=NO_PREVIEW
        )
    return sent


async def send(bot: Bot, chat_id: int, text: str, **kwargs: Any) -> Message:
    """A message the bot sends on its own (alerts, relays, broadcasts): `text` is `Markup` or
    plain text (escaped here)."""
    return await bot.send_message(chat_id, esc(text), **kwargs)


async def ack(update: Update, text: str | None = None, *, alert: bool = False) -> None:
    """Answer a button press (stops the client's spinner), optionally with a toast (`alert`:
    a box the presser closes — only they see it, in a group too). A press too old to be
    answered (held over a restart, bot/held.py: Telegram refuses the answer with "query is too
    old") is let go: the spinner is long gone, and the press still takes effect."""
    if update.callback_query is not None:
        try:
            await update.callback_query.answer(text, show_alert=alert or None)
        except BadRequest as error:
            if not too_old(error):
                raise
            log.info("button press of update %s too old to answer", update.update_id)


def too_old(error: BadRequest) -> bool:
    """Telegram's answer to `answerCallbackQuery` after its time limit."""
    message = error.message.lower()
    return "query is too old" in message or "query id is invalid" in message
