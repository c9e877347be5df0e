"""What the bot answers when no feature took an update: a button it no longer knows, an unknown
command, content it does not read. Every feature may use them (`stale_button` for a button of
its own whose form has expired)."""

from __future__ import annotations

from telegram import Update
from telegram.constants import ChatType

from bot.context import BotContext
from bot.render.reply import ack, answer
from bot.render.text import short
from bot.render.views import menu_rows


async def stale_button(update: Update, context: BotContext, *, answered: bool = False) -> None:
    """A button this version of the bot no longer knows (or whose form has expired)."""
    if not answered:
        await ack(update)
    await answer(
        update,
        context,
        context.t.gettext("This button has expired. Here is the menu:"),
        menu_rows(context.t),
    )


def in_group(update: Update) -> bool:
    """The update comes from a group (a team's alert group: its buttons), not a private chat."""
    chat = update.effective_chat
    return chat is not None and chat.type != ChatType.PRIVATE


async def not_allowed(update: Update, context: BotContext) -> None:
    """A button under a team's group alert, pressed by someone whose role in the team does not
    allow it, or who is not in the team: only they see the answer, and nothing changes."""
    await ack(
        update,
        context.t.gettext("Not allowed: only the team's owners and attorneys can do this."),
        alert=True,
    )


async def unknown_command(update: Update, context: BotContext) -> None:
    text = update.effective_message.text if update.effective_message else ""
    command = (text or "").split()[0] if text else ""
    await answer(
        update,
        context,
        context.t.fmt(
            "I do not know the command {command}. See /help.", command=short(command, 40)
        ),
    )


async def other_content(update: Update, context: BotContext) -> None:
    """Stickers, photos, voice…: say what the bot reads."""
    await answer(
        update,
        context,
        context.t.gettext(
            "I read text messages and CSV files (for /import). Send me a question or a command."
        ),
    )
