"""Every handler of the bot, in order. Order is code here, not a comment elsewhere.

Groups:
  -3  the staff gate: the staff chat and staff-only commands (bot/handlers/staff.py);
  -2  gates: the user's language is resolved before anything else;
  -1  any command abandons a guided flow that was waiting for typed input;
   0  the features (commands, their buttons, documents), then typed flow steps and the FAQ,
      then whatever no feature took (unknown commands, stale buttons, stickers).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from telegram import Update
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    MessageHandler,
    TypeHandler,
    filters,
)

from bot.context import BotContext
from bot.handlers import common, deadlines, errors, faq, fees, gates, staff, support

STAFF_GATE = -3
GATES = -2
FLOW_RESET = -1
FEATURES = 0

Callback = Callable[[Update, BotContext], Awaitable[None]]

# The features, in the order their handlers are tried.
MODULES: tuple[Any, ...] = (common, fees, deadlines, faq, support, staff)

# Typed input of the guided flows: flow name → step handler.
TEXT_STEPS: dict[str, Callback] = {
    **fees.TEXT_STEPS,
    **deadlines.TEXT_STEPS,
    **support.TEXT_STEPS,
}

# Main-menu buttons → the same entry points as the commands.
MENU_ACTIONS: dict[str, Callback] = {
    "fees": fees.fees_command,
    "dl": deadlines.deadlines_command,
    "help": common.help_command,
    "lang": common.language,
    "faq": faq.topics,
}


def _optional_features() -> tuple[Any, ...]:
    """Cases and alerts need `core.storage` and `core.reminders` (added when they exist)."""
    try:
        from bot.handlers import cases
    except ImportError:
        return ()
    from bot import alerts
    from bot.handlers import reminders, transfer

    for module in (cases, reminders, transfer):
        TEXT_STEPS.update(module.TEXT_STEPS)
        MENU_ACTIONS.update(module.MENU_ACTIONS)
    return (cases, reminders, transfer, alerts)


async def on_text(update: Update, context: BotContext) -> None:
    """Typed text: the pending step of a guided flow, else a question for the FAQ."""
    flow = context.flow
    step = TEXT_STEPS.get(flow.get("name", "")) if flow else None
    if step is not None:
        await step(update, context)
    else:
        await faq.on_text(update, context)


def register(app: Application[Any, Any, Any, Any, Any, Any]) -> None:
    app.add_handler(TypeHandler(Update, staff.gate), group=STAFF_GATE)
    app.add_handler(TypeHandler(Update, gates.resolve_language), group=GATES)
    app.add_handler(MessageHandler(filters.COMMAND, gates.cancel_flow), group=FLOW_RESET)
    for module in (*MODULES, *_optional_features()):
        app.add_handlers(module.handlers(), group=FEATURES)
    app.add_handlers(
        [
            MessageHandler(filters.TEXT & ~filters.COMMAND, on_text),
            MessageHandler(filters.COMMAND, common.unknown_command),
            CallbackQueryHandler(common.stale_button),
            MessageHandler(filters.ALL, common.other_content),
        ],
        group=FEATURES,
    )
    app.add_error_handler(errors.on_error)
