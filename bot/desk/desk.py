"""What both sides of the support desk share: who is staff, the staff's language, and how a
user's message is shown to the staff (escaped, cut, described when it is not text).

Staff are the users in `PCTBY_STAFF_IDS` and the members of the staff chat
(`PCTBY_STAFF_CHAT_ID`, checked with getChatMember and remembered for `MEMBER_TTL` seconds; a
failed check is not remembered and counts as "not staff"). A ticket's text only ever goes to
the ticket's author (`ticket.user_id`) and to the staff chat.
"""

from __future__ import annotations

import logging
import time
from typing import Final

from telegram import ChatMember, Message, Update
from telegram.error import TelegramError

from bot.context import BotContext
from bot.render.html import Markup, esc
from bot.render.i18n import translator
from core.errors import N_
from core.i18n import Translator

log = logging.getLogger(__name__)

MEMBER_TTL: Final = 300.0  # seconds a staff-chat membership answer is trusted
MEMBER_STATUSES: Final = frozenset({ChatMember.OWNER, ChatMember.ADMINISTRATOR, ChatMember.MEMBER})
RELAY_BODY: Final = 3500  # characters of the escaped text in a relay, to leave room for its head


def staff_translator() -> Translator:
    """Texts for the staff chat: English, still through gettext."""
    return translator("en")


def in_staff_chat(update: Update, context: BotContext) -> bool:
    chat = update.effective_chat
    staff_chat = context.settings.staff_chat_id
    return chat is not None and staff_chat is not None and chat.id == staff_chat


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
    cache = context.services.staff_members
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


async def reply_staff(update: Update, text: str) -> None:
    """An answer in the staff chat: `text` is Markup or plain text (escaped)."""
    message = update.effective_message
    if message is not None:
        await message.reply_text(esc(text), disable_web_page_preview=True)


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
