"""The command router (`bot.handlers.CommandRouter`): a command is looked up by name, then the
handlers that claim it are tried in their order with their own checks — filters, arguments,
the bot's @name — as if each stood alone in the group."""

from __future__ import annotations

from typing import Any

import pytest
from telegram import Update
from telegram.ext import ApplicationHandlerStop, CommandHandler, filters

from bot.app import BotApp
from bot.context import BotContext
from bot.handlers import CommandRouter
from core.settings import Settings
from tests.bot.helpers import said, staff_settings
from tests.scripted import Chat

PROBE_GROUP = -50  # before every group of the bot: what the probe takes, nothing else sees


def command(app: BotApp, text: str, *, group_chat: bool = False) -> Update:
    data = Chat(app, 7101).message_update(text)
    if group_chat:
        data["message"]["chat"] = {"id": -100_5, "type": "supergroup", "title": "Firm"}
    return Update.de_json(data, app.bot)


def probe(app: BotApp) -> list[tuple[str, list[str]]]:
    """A router for /probe in a group of its own: which handler took each update, with what
    arguments (each stops the update, so the bot's own handlers never see it)."""
    taken: list[tuple[str, list[str]]] = []

    def handler(name: str) -> Any:
        async def take(update: Update, context: BotContext) -> None:
            taken.append((name, list(context.args or [])))
            raise ApplicationHandlerStop

        return take

    router = CommandRouter(
        [
            CommandHandler("probe", handler("in a group"), filters=filters.ChatType.GROUPS),
            CommandHandler("probe", handler("two words"), has_args=2),
            CommandHandler(["probe", "other"], handler("any")),
            CommandHandler("late", handler("never reached"), filters=filters.ChatType.CHANNEL),
        ]
    )
    app.add_handler(router, group=PROBE_GROUP)
    return taken


async def test_each_handler_of_a_command_is_tried_with_its_own_filters_in_order(app) -> None:  # type: ignore[no-untyped-def]
    taken = probe(app)
    await app.process_update(command(app, "/probe x", group_chat=True))
    await app.process_update(command(app, "/probe a b"))
    await app.process_update(command(app, "/probe a"))
    await app.process_update(command(app, "/PROBE@pctby_bot"))
    await app.process_update(command(app, "/other 1 2"))
    assert taken == [
        ("in a group", ["x"]),  # the first handler's filter passes
        ("two words", ["a", "b"]),  # the first's filter fails; the second's arguments fit
        ("any", ["a"]),
        ("any", []),  # any letter case, addressed to this bot
        ("any", ["1", "2"]),  # a second name of the same handler
    ]


async def test_a_command_no_handler_takes_goes_on_through_the_group(app, chat) -> None:  # type: ignore[no-untyped-def]
    taken = probe(app)
    # /late's only handler wants a channel; another bot's /probe is not this bot's
    assert "I do not know the command /late" in said(await chat("en").send("/late"))
    assert "/probe@other_bot" in said(await chat("en").send("/probe@other_bot"))
    assert taken == []


def test_a_handler_that_does_not_block_needs_its_own_place() -> None:
    async def callback(update: Update, context: BotContext) -> None:
        return None

    with pytest.raises(ValueError, match="does not block"):
        CommandRouter([CommandHandler("x", callback, block=False)])


@pytest.fixture
def settings(tmp_path) -> Settings:  # type: ignore[no-untyped-def]
    return staff_settings(tmp_path)


async def test_the_staff_chat_commands_are_routed_with_the_staff_chats_filter(app) -> None:  # type: ignore[no-untyped-def]
    """Every group with commands has one router; the staff chat's keeps each command's filter
    (that chat, new messages only)."""
    routers = {
        group: [h for h in handlers if isinstance(h, CommandRouter)]
        for group, handlers in app.handlers.items()
    }
    assert {group: len(found) for group, found in routers.items() if found} == {-5: 1, 0: 1}
    staff = routers[-5][0]
    assert {"tickets", "faq", "broadcast"} <= set(staff.routes)
    for handlers in staff.routes.values():
        assert all(h.filters is not filters.UpdateType.MESSAGES for h in handlers)
    features = routers[0][0]
    assert {"start", "help", "cancel", "addcase", "fees"} <= set(features.routes)
    # one handler per command; /start also has the invitation's deep link (start=join-CODE)
    # first, with its own filter
    for name, handlers in features.routes.items():
        plain = [h for h in handlers if h.filters is filters.UpdateType.MESSAGES]
        assert plain == handlers[-1:] and (len(handlers) == 1 or name == "start"), name
