"""Every handler of the bot, in order: the only router. Order is code here, not a comment.

Groups (an update goes through them in order; a handler may stop it there):
  -5  the staff chat: its commands and replies to tickets, then nothing else sees the update
      (bot/desk);
  -4  groups: anywhere but a private chat (and the staff chat) the bot only says, once, to
      write to it privately;
  -3  the user's language is resolved before anything else;
  -2  any command abandons a guided flow that was waiting for typed input (but /cancel, which
      ends it itself and says what it ended);
  -1  a user's message for the staff (the one /support waits for, a reply to a staff answer)
      goes to the staff and stops (bot/desk/user.py);
   0  the features (commands, their buttons, documents), then typed flow steps and the FAQ,
      then whatever no feature took (unknown commands, stale buttons, stickers).

Each feature module lists its own handlers; their commands are then matched together, by one
`CommandRouter` at the head of group 0 (a dictionary look-up instead of one CommandHandler
after another, which every question also went through before reaching the FAQ).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from typing import Any, Protocol

from telegram import Update
from telegram.ext import (
    Application,
    BaseHandler,
    CallbackQueryHandler,
    CommandHandler,
    MessageHandler,
    TypeHandler,
    filters,
)

from bot import cases, desk, fallbacks
from bot.context import BotContext
from bot.handlers import (
    actions,
    alerts,
    common,
    deadlines,
    entryform,
    errors,
    faq,
    fees,
    gates,
    reminders,
    timeline,
    transfer,
    webapp,
)
from bot.parse.buttons import Menu
from bot.render.reply import ack, answer
from core.errors import N_
from core.settings import Settings

STAFF_CHAT = -5
PRIVATE_GATE = -4
LANGUAGE = -3
FLOW_RESET = -2
TICKET_MESSAGES = -1
FEATURES = 0

Callback = Callable[[Update, BotContext], Awaitable[None]]


class Feature(Protocol):
    """A feature module (or package): its handlers, in the order it wants them tried."""

    def handlers(self) -> list[BaseHandler[Update, BotContext, None]]: ...


# The features, in the order their handlers are tried.
MODULES: tuple[Feature, ...] = (
    common,
    fees,
    deadlines,
    faq,
    desk,
    actions,
    cases,
    reminders,
    transfer,
    alerts,
    entryform,
    timeline,
    webapp,
)

# Typed input of the guided flows: flow name → step handler (each feature's TEXT_STEPS).
TEXT_STEPS: Mapping[str, Callback] = {
    **fees.TEXT_STEPS,
    **deadlines.TEXT_STEPS,
    **cases.TEXT_STEPS,
    **reminders.TEXT_STEPS,
    **transfer.TEXT_STEPS,
    **entryform.TEXT_STEPS,
}

# What /cancel says when it ends a flow: flow name → a sentence (each feature's CANCELLED).
CANCELLED: Mapping[str, str] = {
    fees.FLOW: fees.CANCELLED,
    deadlines.FLOW: deadlines.CANCELLED,
    cases.FLOW: cases.CANCELLED,
    reminders.FLOW: reminders.CANCELLED,
    transfer.FLOW: transfer.CANCELLED,
    entryform.FLOW: entryform.CANCELLED,
    desk.user.FLOW: desk.user.CANCELLED,
}
CANCELLED_OTHER = N_("Cancelled.")  # a flow a later version adds, until it says more

# Main-menu buttons → the same entry points as the commands (each feature's MENU_ACTIONS).
MENU_ACTIONS: Mapping[str, Callback] = {
    **fees.MENU_ACTIONS,
    **deadlines.MENU_ACTIONS,
    **cases.MENU_ACTIONS,
    **reminders.MENU_ACTIONS,
    **faq.MENU_ACTIONS,
    **common.MENU_ACTIONS,
}


async def on_menu(update: Update, context: BotContext) -> None:
    """Main-menu buttons: the same entry points as the commands (`MENU_ACTIONS`)."""
    data = Menu.read(update)
    await ack(update)
    action = MENU_ACTIONS.get(data.entry) if data is not None else None
    if action is None:
        await fallbacks.stale_button(update, context, answered=True)
        return
    context.args = []
    await action(update, context)


async def on_text(update: Update, context: BotContext) -> None:
    """Typed text: the pending step of a guided flow, else a question for the FAQ."""
    flow = context.flow
    step = TEXT_STEPS.get(flow.get("name", "")) if flow else None
    if step is not None:
        await step(update, context)
    else:
        await faq.on_text(update, context)


async def on_cancel(update: Update, context: BotContext) -> None:
    """/cancel: ends the guided flow that waits for the user's answer and says which (the
    flow-reset gate lets /cancel through with the flow), or that nothing was waiting."""
    t = context.t
    flow = context.flow
    if flow is None:
        await answer(
            update,
            context,
            t.gettext("There is nothing to cancel: I am not waiting for an answer from you."),
        )
        return
    context.end_flow()
    said = t.gettext(CANCELLED.get(str(flow.get("name")), CANCELLED_OTHER))
    await answer(update, context, said + " " + t.gettext("/help lists what I can do."))


class CommandRouter(CommandHandler[BotContext, None]):
    """The commands of every feature in one handler: PTB parses the command once and the
    callback is found by name. Only plain CommandHandlers (no filters, any arguments) join;
    the first feature to claim a command keeps it, as in handler order."""

    __slots__ = ("routes",)

    def __init__(self, handlers: list[CommandHandler[BotContext, None]]) -> None:
        routes: dict[str, Callback] = {}
        for handler in handlers:
            if (
                handler.has_args is not None
                or handler.filters is not filters.UpdateType.MESSAGES
                or handler.block is False
            ):
                raise ValueError(f"{handler} needs its own place in the handler order")
            for command in sorted(handler.commands):
                routes.setdefault(command, handler.callback)
        super().__init__(list(routes), self.route)
        self.routes = routes

    async def route(self, update: Update, context: BotContext) -> None:
        message = update.effective_message
        assert message is not None and message.text and message.entities  # as check_update
        command = message.text[1 : message.entities[0].length].split("@")[0].lower()
        await self.routes[command](update, context)


def register(app: Application[Any, Any, Any, Any, Any, Any], settings: Settings) -> None:
    app.add_handlers(desk.staff_chat_handlers(settings.staff_chat_id), group=STAFF_CHAT)
    app.add_handler(TypeHandler(Update, gates.private_only), group=PRIVATE_GATE)
    app.add_handler(TypeHandler(Update, gates.resolve_language), group=LANGUAGE)
    app.add_handler(MessageHandler(filters.COMMAND, gates.cancel_flow), group=FLOW_RESET)
    app.add_handlers(desk.ticket_handlers(), group=TICKET_MESSAGES)
    features: list[BaseHandler[Update, BotContext, None]] = [
        handler for module in MODULES for handler in module.handlers()
    ]
    features.append(CommandHandler("cancel", on_cancel))
    features.append(CallbackQueryHandler(on_menu, pattern=Menu.matches))
    commands = [h for h in features if type(h) is CommandHandler]
    app.add_handler(CommandRouter(commands), group=FEATURES)
    app.add_handlers([h for h in features if type(h) is not CommandHandler], group=FEATURES)
    app.add_handlers(
        [
            MessageHandler(filters.TEXT & ~filters.COMMAND, on_text),
            MessageHandler(filters.COMMAND, fallbacks.unknown_command),
            CallbackQueryHandler(fallbacks.stale_button),
            MessageHandler(filters.ALL, fallbacks.other_content),
        ],
        group=FEATURES,
    )
    app.add_error_handler(errors.on_error)
