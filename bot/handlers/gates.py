"""Cross-cutting gates that run before any feature (group -2 and -1)."""

from __future__ import annotations

from telegram import Update

from bot.context import LANG_KEY, STORED_LANG_KEY, BotContext
from core.i18n import normalize_lang


async def resolve_language(update: Update, context: BotContext) -> None:
    """Put the user's language in `user_data`: the stored choice, else Telegram's, else en."""
    user = update.effective_user
    if user is None or context.user_data is None or LANG_KEY in context.user_data:
        return
    lang = normalize_lang(user.language_code)
    store = context.services.store
    if store is not None:
        from bot import storage

        chat = update.effective_chat
        chosen = await storage.remember_user(store, user.id, chat.id if chat else user.id, lang)
        lang = normalize_lang(chosen, lang)
        if chosen is None or chosen == lang:  # the database holds `lang` (just written or chosen)
            context.user_data[STORED_LANG_KEY] = lang
    context.user_data[LANG_KEY] = lang


async def cancel_flow(update: Update, context: BotContext) -> None:
    """Any command abandons a guided flow that was waiting for typed input."""
    context.end_flow()
