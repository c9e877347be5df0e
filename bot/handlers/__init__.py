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

Each feature module lists its own handlers; the commands of a group are then matched together,
by one `CommandRouter` at its head (a look-up by name; each command's own filters still apply).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping, Sequence
from typing import Any, Protocol, cast

from telegram import MessageEntity, Update
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
    teams,
    timeline,
    transfer,
    webapp,
)
from bot.parse.buttons import Menu
from bot.render.reply import ack, answer
from bot.updates import name_handlers
from core.errors import N_
from core.settings import Settings

STAFF_CHAT = -5
PRIVATE_GATE = -4
LANGUAGE = -3
FLOW_RESET = -2
TICKET_MESSAGES = -1
FEATURES = 0

Callback = Callable[[Update, BotContext], Awaitable[None]]
Handler = BaseHandler[Update, BotContext, None]


class Feature(Protocol):
    """A feature module (or package): its handlers, in the order it wants them tried."""

    def handlers(self) -> list[Handler]: ...


# The features, in the order their handlers are tried.
MODULES: tuple[Feature, ...] = (
    common,
    fees,
    deadlines,
    faq,
    desk,
    actions,
    cases,
    teams,
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


class CommandRouter(BaseHandler[Update, BotContext, None]):
    """The commands of a group in one handler: the command is read once and looked up by
    name, then the handlers that claim it are tried in their order, each with its own check —
    its filters, the arguments it wants — as if they stood one after another in the group (a
    dictionary look-up instead of one CommandHandler after another, which every question also
    went through before reaching the FAQ). The first handler whose check passes takes the
    update; when none does, the router does not either, and the group goes on.

    A non-blocking handler keeps its own place in the group: PTB reads `block` from the
    handler it matched, which here is the router."""

    __slots__ = ("routes",)

    def __init__(self, handlers: Sequence[CommandHandler[BotContext, None]]) -> None:
        super().__init__(self._routed)
        routes: dict[str, list[CommandHandler[BotContext, None]]] = {}
        for handler in handlers:
            if handler.block is False:
                raise ValueError(f"{handler} does not block: it needs its own place")
            for command in sorted(handler.commands):
                routes.setdefault(command, []).append(handler)
        self.routes = routes

    def check_update(self, update: object) -> Routed | None:
        if not isinstance(update, Update):
            return None
        message = update.effective_message
        if message is None or not message.text or not message.entities:
            return None
        entity = message.entities[0]
        if entity.type != MessageEntity.BOT_COMMAND or entity.offset != 0:
            return None
        name = message.text[1 : entity.length].split("@")[0].lower()
        for handler in self.routes.get(name, ()):
            checked = handler.check_update(update)  # the bot's @name, arguments, filters
            if checked is not None and checked is not False:
                return handler, checked
        return None

    async def handle_update(
        self,
        update: Update,
        application: Application[Any, BotContext, Any, Any, Any, Any],
        check_result: object,
        context: BotContext,
    ) -> None:
        handler, checked = cast(Routed, check_result)
        await handler.handle_update(update, application, checked, context)

    async def _routed(self, update: Update, context: BotContext) -> None:
        raise RuntimeError("a routed update goes to the handler that claimed it")


# The handler a command was routed to, and what its own check returned.
Routed = tuple[CommandHandler[BotContext, None], object]


def routed(handlers: Sequence[Handler]) -> list[Handler]:
    """`handlers` with their CommandHandlers in one `CommandRouter` at the head. For a group
    where no other handler would take a command before the command's own handler does."""
    commands = [h for h in handlers if isinstance(h, CommandHandler)]
    others = [h for h in handlers if not isinstance(h, CommandHandler)]
    return [CommandRouter(commands), *others] if commands else others


def register(app: Application[Any, Any, Any, Any, Any, Any], settings: Settings) -> None:
    """Every handler in its group, in order, each group's commands matched by one router; each
    callback named for the one log line per update (bot/updates.py)."""
    # an invitation's deep link (/start join-CODE) is claimed before the main menu's /start
    features: list[Handler] = [
        *teams.start_links(),
        *(handler for module in MODULES for handler in module.handlers()),
    ]
    features += [
        CommandHandler("cancel", on_cancel),
        CallbackQueryHandler(on_menu, pattern=Menu.matches),
        MessageHandler(filters.TEXT & ~filters.COMMAND, on_text),
        MessageHandler(filters.COMMAND, fallbacks.unknown_command),
        CallbackQueryHandler(fallbacks.stale_button),
        MessageHandler(filters.ALL, fallbacks.other_content),
    ]
    groups: dict[int, list[Handler]] = {
        STAFF_CHAT: desk.staff_chat_handlers(settings.staff_chat_id),
        PRIVATE_GATE: [TypeHandler(Update, gates.private_only)],
        LANGUAGE: [TypeHandler(Update, gates.resolve_language)],
        FLOW_RESET: [MessageHandler(filters.COMMAND, gates.cancel_flow)],
        TICKET_MESSAGES: desk.ticket_handlers(),
        FEATURES: features,
    }
    for group, handlers in groups.items():
        name_handlers(handlers)
        app.add_handlers(routed(handlers), group=group)
    app.add_error_handler(errors.on_error)
