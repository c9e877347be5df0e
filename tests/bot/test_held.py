"""Updates held over a restart (bot/held.py): what waited in a user's lane, never started, when
the bounded stop ran out of time is kept in the database and handled after the next start — in
order, once — instead of being lost (Telegram already counts it delivered)."""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import httpx
from telegram import Update
from telegram.ext import TypeHandler

from bot import held
from bot.app import BotApp, Options, build_application, running
from bot.context import BotContext
from bot.offline import OfflineBotApi
from core.clock import FrozenClock
from core.held import HeldUpdates
from core.rates import RateService
from core.settings import Settings
from tests.bot.helpers import nbrb, said, store_of
from tests.scripted import Chat

TOO_OLD = "query is too old and response timeout expired or query id is invalid"


def text_of(update: object) -> str:
    if isinstance(update, Update) and update.callback_query is not None:
        return f"press {update.callback_query.data}"
    message = update.effective_message if isinstance(update, Update) else None
    return message.text or "" if message is not None else ""


def hang_on(app: BotApp, text: str) -> asyncio.Event:
    """A message `text` hangs in its handler (until the stop cancels it); the event says it is
    there."""
    reached = asyncio.Event()

    async def hang(update: Update, context: BotContext) -> None:
        if text_of(update) == text:
            reached.set()
            await asyncio.Event().wait()  # never set

    app.add_handler(TypeHandler(Update, hang), group=-100)
    return reached


class Seen:
    """Every update the application takes, in the order its handlers start: (user, text)."""

    def __init__(self, app: BotApp) -> None:
        self.log: list[tuple[int, str]] = []
        self._want = 0
        self._enough = asyncio.Event()
        app.add_handler(TypeHandler(Update, self.on_update), group=-101)

    async def on_update(self, update: Update, context: BotContext) -> None:
        assert update.effective_user is not None
        self.log.append((update.effective_user.id, text_of(update)))
        if len(self.log) >= self._want:
            self._enough.set()

    async def wait_for(self, n: int) -> None:
        self._want = n
        if len(self.log) < n:
            await asyncio.wait_for(self._enough.wait(), 10)


async def put(app: BotApp, data: dict[str, Any]) -> None:
    await app.update_queue.put(Update.de_json(data, app.bot))


@asynccontextmanager
async def restarted(
    settings: Settings, server: OfflineBotApi, clock: FrozenClock, tmp_path: Path
) -> AsyncIterator[tuple[BotApp, Seen]]:
    """The bot started again on the same database and the same Bot API; what it takes is
    `Seen`. Polling's order: post_init (which queues the held updates), then `start`."""
    rates = RateService(tmp_path / "rates2.json", transport=httpx.MockTransport(nbrb), clock=clock)
    app = build_application(
        settings, Options(rates=rates, clock=clock, dispatch=False), request=server
    )
    seen = Seen(app)
    try:
        async with running(app):
            await app.start()
            try:
                yield app, seen
            finally:
                await app.stop()
    finally:
        await rates.aclose()


async def test_waiting_updates_are_held_at_the_stop_and_handled_after_the_restart_in_order_once(
    app: BotApp,
    server: OfflineBotApi,
    settings: Settings,
    clock: FrozenClock,
    tmp_path: Path,
    caplog: Any,
) -> None:
    alice, bob = Chat(app, 601, language_code="en"), Chat(app, 602, language_code="en")
    reached = hang_on(app, "slow")
    seen = Seen(app)
    app.stop_timeout, app.stop_grace = 0.3, 0.2  # the slow handler never ends by itself
    await app.start()
    try:
        await put(app, alice.message_update("slow"))
        await reached.wait()
        await put(app, alice.message_update("/help"))
        await put(app, alice.message_update("/language"))
        await put(app, bob.message_update("/help"))
        await seen.wait_for(2)  # Bob's overtook Alice's waiting ones
    finally:
        with caplog.at_level(logging.WARNING, logger="pctby.updates"):
            await app.stop()
    assert seen.log == [(alice.user_id, "slow"), (bob.user_id, "/help")]
    assert "1 update(s) still handled" in caplog.text
    assert "2 update(s) never started, held for the next start" in caplog.text
    assert [s for s in server.sent if s.chat_id == bob.user_id]  # Bob was answered
    before = len(alice.said())

    async with restarted(settings, server, clock, tmp_path) as (_again, seen_again):
        await seen_again.wait_for(2)
    assert seen_again.log == [(alice.user_id, "/help"), (alice.user_id, "/language")]
    answers = alice.said()[before:]
    assert len(answers) == 2
    assert "/addcase" in answers[0].plain  # the help, then the language menu
    assert answers[1].buttons
    async with store_of(app).transaction() as tx:
        assert await tx.held.system_take_all() == []  # nothing left to replay twice

    async with restarted(settings, server, clock, tmp_path) as (third, seen_third):
        await put(third, bob.message_update("/start"))
        await seen_third.wait_for(1)
    assert seen_third.log == [(bob.user_id, "/start")]  # nothing of Alice's came back


async def test_a_held_paid_press_records_the_payment_though_its_answer_is_refused(
    app: BotApp,
    server: OfflineBotApi,
    settings: Settings,
    clock: FrozenClock,
    tmp_path: Path,
) -> None:
    user = Chat(app, 611, language_code="en")
    said(await user.send("/addcase A-1 1.2.2020 1.2.2021"))
    card = user.last_with_buttons()
    reached = hang_on(app, "slow")
    app.stop_timeout, app.stop_grace = 0.3, 0.2
    await app.start()
    try:
        await put(app, user.message_update("slow"))
        await reached.wait()
        await put(app, user.press_update(card, "Paid"))
    finally:
        await app.stop()
    async with store_of(app).transaction() as tx:
        case = await tx.cases.by_ref(user.user_id, "A-1")
        assert case is not None
        assert await tx.cases.events(user.user_id, case.id) == []  # not recorded before

    before = len(user.said())
    # After a restart Telegram refuses to answer the press: it is too old.
    server.fail("answerCallbackQuery", "400", chat_id=user.user_id, description=TOO_OLD)
    async with restarted(settings, server, clock, tmp_path) as (_again, seen):
        await seen.wait_for(1)
    assert seen.log[0][1].startswith("press ")
    assert [r for r in server.refused if r[0] == "answerCallbackQuery"]  # it was refused
    text = said(user.said()[before:])
    assert "Recorded: Annual fee for year" in text
    assert "went wrong" not in text
    async with store_of(app).transaction() as tx:
        events = await tx.cases.events(user.user_id, case.id)
    assert [e.kind.value for e in events] == ["annuity_paid"]


async def test_nothing_is_held_when_the_stop_ends_in_time(
    app: BotApp, server: OfflineBotApi, caplog: Any
) -> None:
    user = Chat(app, 621, language_code="en")
    release = asyncio.Event()
    reached = asyncio.Event()

    async def slow(update: Update, context: BotContext) -> None:
        if text_of(update) == "slow":
            reached.set()
            await release.wait()

    app.add_handler(TypeHandler(Update, slow), group=-100)
    seen = Seen(app)
    app.stop_timeout, app.stop_grace = 1000.0, 1.0  # never reached: the handler ends first
    await app.start()
    await put(app, user.message_update("slow"))
    await reached.wait()
    await put(app, user.message_update("/help"))
    await put(app, user.message_update("/start"))
    with caplog.at_level(logging.WARNING, logger="pctby.updates"):
        stopping = asyncio.ensure_future(app.stop())
        await asyncio.sleep(0)
        release.set()
        await stopping
    assert [text for _, text in seen.log] == ["slow", "/help", "/start"]
    assert "held" not in caplog.text
    async with store_of(app).transaction() as tx:
        assert await tx.held.system_take_all() == []


async def test_held_updates_older_than_a_week_are_dropped_at_the_start(
    app: BotApp, clock: FrozenClock, caplog: Any
) -> None:
    store = store_of(app)
    user = Chat(app, 631, language_code="en")
    old = Update.de_json(user.message_update("/help"), app.bot)
    await held.hold(store, [old])
    clock.advance(days=7, seconds=1)
    new = Update.de_json(user.message_update("/start"), app.bot)
    await held.hold(store, [new])
    queue: asyncio.Queue[Any] = asyncio.Queue()
    with caplog.at_level(logging.INFO, logger="pctby.bot"):
        assert await held.replay(store, app.bot, queue) == 1
    assert "1 held update(s) older than 7 days dropped" in caplog.text
    assert text_of(queue.get_nowait()) == "/start"
    assert queue.empty()
    assert await HeldUpdates(store).take_all() == ([], [])  # taken once


def test_an_update_is_written_as_ptb_reads_it(app: BotApp) -> None:
    user = Chat(app, 641, language_code="en")
    update = Update.de_json(user.message_update("/help"), app.bot)
    ((user_id, text),) = held.serialised([update, object()])
    assert user_id == user.user_id
    assert Update.de_json(json.loads(text), app.bot) == update
