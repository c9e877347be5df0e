"""The support desk through the offline Bot API.

The ticket cycle (open → answered → closed → reopened), who may run the staff commands, a
broadcast under 429s and blocked users, and that no ticket reaches anyone but its author.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from bot.app import BotApp, Options, build_application, running
from bot.offline import OfflineBotApi, Sent, server_of
from core.clock import FrozenClock
from core.models import Kind
from core.storage import CaseInput, TicketStatus
from tests.bot.helpers import (
    ALICE,
    BOB,
    CAROL,
    FAQ,
    MEMBER_ID,
    OUTSIDER_ID,
    STAFF_CHAT,
    STAFF_ID,
    StaffChat,
    dated,
    services,
    staff_bot,
    staff_settings,
    store_of,
)
from tests.scripted import Chat, text_of


@pytest.fixture
async def app(tmp_path: Path, clock: FrozenClock) -> AsyncIterator[BotApp]:
    async with staff_bot(tmp_path, clock) as application:
        yield application


def broadcast_task(app: BotApp) -> asyncio.Task[None] | None:
    """The last broadcast the application started or resumed (bot/jobs/broadcasts.py)."""
    broadcasts = services(app).broadcasts
    assert broadcasts is not None
    return broadcasts.task


async def reply_in_private(chat: Chat, text: str, reply_to: Sent) -> list[Sent]:
    data = chat.message_update(text)
    data["message"]["reply_to_message"] = dict(
        chat.server.messages[(reply_to.chat_id, reply_to.message_id)]
    )
    return await chat.feed(data)


async def ticket_status(app: BotApp, owner: int) -> TicketStatus | None:
    async with store_of(app).transaction() as tx:
        tickets = await tx.tickets.all(owner)
    return tickets[0].status if tickets else None


# --- the whole cycle -------------------------------------------------------------------------


async def test_ticket_cycle_through_the_staff_chat(app: BotApp) -> None:
    alice = Chat(app, ALICE, language_code="ru", first_name="Alice", username="alice")
    desk = StaffChat(app)
    async with store_of(app).transaction() as tx:
        await tx.users.ensure(ALICE, language="ru")
        await tx.cases.add(ALICE, CaseInput("BY-2024/17", Kind.PATENT, dt.date(2024, 3, 15)))

    # The user opens a ticket; it is relayed with the language and the cases.
    said = await alice.send("/support How do I pay <the> fee?")
    assert len(said) == 1 and "1" in said[0].plain  # in Russian: the ticket's number
    assert [b["callback_data"] for b in said[0].buttons] == ["v1:sup:close"]
    relay = desk.last_relay()
    assert "New ticket #1" in relay.plain
    assert "Language: ru" in relay.plain
    assert "Cases: 1" in relay.plain and "BY-2024/17 (patent, 2024-03-15)" in relay.plain
    assert "How do I pay <the> fee?" in relay.plain
    assert "&lt;the&gt;" in relay.text  # escaped, not markup
    assert "@alice" in relay.plain

    # Staff answer by replying: the user gets it from the bot, escaped.
    sent = await desk.post(STAFF_ID, "By bank transfer to <NCIP>", reply_to=relay)
    to_alice = [s for s in sent if s.chat_id == ALICE]
    assert len(to_alice) == 1
    assert "By bank transfer to <NCIP>" in to_alice[0].plain
    assert "&lt;NCIP&gt;" in to_alice[0].text
    assert await ticket_status(app, ALICE) is TicketStatus.ANSWERED

    # /faq TOPIC as a reply: that answer in the ticket's language (ru).
    sent = await desk.post(STAFF_ID, "/faq entry_time_limit", reply_to=relay)
    to_alice = [s for s in sent if s.chat_id == ALICE]
    assert len(to_alice) == 1
    ru_answer = FAQ.answer("entry_time_limit", "ru").text
    assert ru_answer in to_alice[0].text
    assert FAQ.answer("entry_time_limit", "en").text not in to_alice[0].text
    assert any("Sent the answer" in s.plain for s in sent if s.chat_id == STAFF_CHAT)

    # The user replies to the answer: it goes to the same ticket, and staff see it.
    said = await reply_in_private(alice, "Thanks! And the account?", to_alice[0])
    assert len(said) == 1 and "1" in said[0].plain
    assert "Ticket #1, a new message" in desk.last_relay().plain
    assert "Thanks! And the account?" in desk.last_relay().plain
    assert await ticket_status(app, ALICE) is TicketStatus.OPEN

    # /close as a reply: the user is told.
    sent = await desk.post(STAFF_ID, "/close", reply_to=relay)
    assert len([s for s in sent if s.chat_id == ALICE]) == 1  # told (in Russian)
    assert any("closed; the user is notified" in s.plain for s in sent if s.chat_id == STAFF_CHAT)
    assert await ticket_status(app, ALICE) is TicketStatus.CLOSED

    # A new message reopens it.
    said = await alice.send("/support One more question")
    assert len(said) == 1 and "1" in said[0].plain
    assert "Ticket #1 reopened" in desk.last_relay().plain
    assert await ticket_status(app, ALICE) is TicketStatus.OPEN

    # /tickets lists it; the user closes it with the button; staff are told.
    listed = await desk.post(MEMBER_ID, "/tickets")
    assert "#1 · open · ru" in text_of(listed) and "One more question" in text_of(listed)
    said = await alice.press(0)
    assert len(said) == 1 and "1" in said[0].plain
    assert "closed by the user" in desk.last_relay().plain
    assert "No open tickets" in text_of(await desk.post(STAFF_ID, "/tickets"))


async def test_button_and_typed_message_open_a_ticket(app: BotApp) -> None:
    alice = Chat(app, ALICE, language_code="en")
    said = await alice.send("what's the weather in Minsk")  # no FAQ answer: offers the desk
    await alice.press("Write to the staff", said[-1])
    said = await alice.send("Is my case <b>lost</b>?")
    assert "ticket #1" in text_of(said)
    assert "Is my case <b>lost</b>?" in StaffChat(app).last_relay().plain


async def test_staff_chat_member_can_answer(app: BotApp) -> None:
    bob = Chat(app, BOB, language_code="be")
    await bob.send("/support Hello")
    desk = StaffChat(app)
    sent = await desk.post(MEMBER_ID, "Hi Bob", reply_to=desk.last_relay())
    assert [s.chat_id for s in sent] == [BOB]


# --- access control -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "command", ["/stats", "/tickets", "/broadcast Hello all", "/faq entry_time_limit", "/close 1"]
)
async def test_users_cannot_run_staff_commands(app: BotApp, command: str) -> None:
    alice = Chat(app, ALICE)
    await alice.send("/support My private question")
    carol = Chat(app, CAROL)
    before = len(StaffChat(app).relays())
    said = await carol.send(command)
    assert len(StaffChat(app).relays()) == before
    text = text_of(said)
    assert "My private question" not in text and "Users:" not in text
    if command.startswith("/close"):
        assert "no open ticket" in text  # /close for a user: their own tickets only
    else:
        assert "I do not know the command" in text
    assert broadcast_task(app) is None
    assert not [s for s in server_of(app).sent if s.chat_id == ALICE and "Hello all" in s.plain]
    assert await ticket_status(app, ALICE) is TicketStatus.OPEN


async def test_an_edited_staff_answer_is_not_sent_again(app: BotApp) -> None:
    """Telegram sends an edit as `edited_message`: the answer went out once, with the text the
    staff sent; the edit changes nothing for the user and starts nothing in the staff chat."""
    alice = Chat(app, ALICE)
    await alice.send("/support Question")
    desk = StaffChat(app)
    relay = desk.last_relay()
    first = await desk.post(STAFF_ID, "The fee is 100 BYN", reply_to=relay)
    assert [s.chat_id for s in first] == [ALICE]
    answered = desk.last_posted
    assert await desk.post(STAFF_ID, "The fee is 120 BYN", reply_to=relay, edits=answered) == []
    assert not [s for s in server_of(app).sent if "120 BYN" in s.plain]
    assert await ticket_status(app, ALICE) is TicketStatus.ANSWERED
    assert [s.chat_id for s in await desk.post(STAFF_ID, "/stats")] == [STAFF_CHAT]
    assert await desk.post(STAFF_ID, "/stats", edits=desk.last_posted) == []  # not run again


async def test_outsider_in_the_staff_chat_does_nothing(app: BotApp) -> None:
    alice = Chat(app, ALICE)
    await alice.send("/support Question")
    desk = StaffChat(app)
    relay = desk.last_relay()
    for text in ("I'll answer that", "/close", "/faq entry_time_limit", "/stats", "/broadcast x"):
        assert await desk.post(OUTSIDER_ID, text, reply_to=relay) == []
    assert await desk.post(OUTSIDER_ID, "how long is the time limit?") == []
    assert await ticket_status(app, ALICE) is TicketStatus.OPEN
    assert broadcast_task(app) is None


async def test_staff_talk_does_not_reach_the_faq(app: BotApp) -> None:
    desk = StaffChat(app)
    assert await desk.post(STAFF_ID, "how long is the time limit for the national phase?") == []


async def test_stats(app: BotApp) -> None:
    await Chat(app, ALICE).send("/support Question")
    await Chat(app, BOB).send("/start")
    said = text_of(await StaffChat(app).post(STAFF_ID, "/stats"))
    counts = await store_of(app).stats()  # the staff member is a user too, once they wrote
    assert counts.users >= 2 and counts.open_tickets == 1
    assert f"Users: {counts.users} (0 blocked the bot)" in said
    assert "Cases: 0" in said and "Open tickets: 1" in said
    assert "Alerts sent: 0" in said


# --- broadcast under faults -----------------------------------------------------------------


@pytest.mark.filterwarnings("ignore::telegram.warnings.PTBUserWarning")  # not run_polling
async def test_broadcast_retries_429_and_counts_blocked(
    app: BotApp, monkeypatch: pytest.MonkeyPatch, clock: FrozenClock
) -> None:
    slept: list[float] = []

    async def no_wait(seconds: float) -> None:
        slept.append(seconds)

    monkeypatch.setattr(clock, "sleep", no_wait)
    for user in (ALICE, BOB, CAROL):
        await Chat(app, user).send("/start")
    server = server_of(app)
    server.fail("sendMessage", "429", retry_after=2, chat_id=ALICE)
    server.fail("sendMessage", "403", retry_after=2, chat_id=BOB)
    desk = StaffChat(app)
    await desk.post(STAFF_ID, "/broadcast The office is closed on <3 July>")
    task = broadcast_task(app)
    assert task is not None
    await task

    got = {
        user: [s for s in server.sent if s.chat_id == user and "office is closed" in s.plain]
        for user in (ALICE, BOB, CAROL)
    }
    assert len(got[ALICE]) == 1 and got[BOB] == [] and len(got[CAROL]) == 1
    assert "&lt;3 July&gt;" in got[CAROL][0].text
    assert max(slept) >= 1.9  # the 429's retry_after (2 s) was waited out
    final = desk.last_relay().plain
    assert "Broadcast finished: 2 delivered, 1 blocked, 0 failed (of 3)." in final
    assert any("Broadcast to 3 users" in s.plain for s in desk.relays())
    async with store_of(app).transaction() as tx:
        bob = await tx.users.get(BOB)
    assert bob is not None and bob.blocked
    said = text_of(await desk.post(STAFF_ID, "/stats"))
    assert "1 blocked the bot" in said


# --- isolation -------------------------------------------------------------------------------


async def test_no_ticket_reaches_another_user(app: BotApp) -> None:
    alice = Chat(app, ALICE)
    bob = Chat(app, BOB)
    desk = StaffChat(app)
    await alice.send("/support Alice's secret question")
    alice_relay = desk.last_relay()
    await bob.send("/support Bob's question")
    bob_relay = desk.last_relay()
    assert "#2" in bob_relay.plain and "Alice" not in bob_relay.plain

    sent = await desk.post(STAFF_ID, "Alice's secret answer", reply_to=alice_relay)
    assert [s.chat_id for s in sent] == [ALICE]
    sent = await desk.post(STAFF_ID, "Bob's answer", reply_to=bob_relay)
    assert [s.chat_id for s in sent] == [BOB]

    # Bob's reply to his answer stays in his ticket; his close does not touch Alice's.
    bob_answer = next(s for s in bob.said() if "Bob's answer" in s.plain)
    await reply_in_private(bob, "Bob again", bob_answer)
    assert "Ticket #2" in desk.last_relay().plain
    await bob.press("Close the ticket")
    assert await ticket_status(app, BOB) is TicketStatus.CLOSED
    assert await ticket_status(app, ALICE) is TicketStatus.ANSWERED

    # Alice's words went only to Alice and the staff chat.
    for sent_message in server_of(app).sent:
        if "Alice's secret" in sent_message.plain:
            assert sent_message.chat_id in (ALICE, STAFF_CHAT)
    assert not any("Alice" in s.plain for s in bob.said())


async def test_long_messages_are_cut_not_lost(app: BotApp) -> None:
    alice = Chat(app, ALICE)
    said = await alice.send("/support " + "<&>" * 1300)
    assert "ticket #1" in text_of(said)
    relay = StaffChat(app).last_relay()
    assert len(relay.text) <= 4096 and relay.plain.count("<&>") > 100
    sent = await StaffChat(app).post(STAFF_ID, '"' * 4000, reply_to=relay)
    assert [s.chat_id for s in sent] == [ALICE] and len(sent[0].text) <= 4096


async def test_staff_can_answer_with_a_file_or_a_photo(app: BotApp) -> None:
    alice = Chat(app, ALICE, language_code="be")
    desk = StaffChat(app)
    await alice.send("/support Дашліце, калі ласка, рахунак")
    relay = desk.last_relay()
    server = server_of(app)
    file_id = server.store_file("invoice.pdf", b"%PDF-1.4 invoice")
    document = {
        "document": {"file_id": file_id, "file_unique_id": "u1", "file_name": "invoice.pdf"},
        "caption": "Invoice <for> the national fee",
    }

    sent = await desk.post(STAFF_ID, "", reply_to=relay, content=document)

    to_alice = [s for s in sent if s.chat_id == ALICE]
    assert [s.method for s in to_alice] == ["sendMessage", "copyMessage"]
    assert to_alice[0].plain == "Адказ спецыяліста, зварот №1:"  # in her language
    assert to_alice[1].document == ("invoice.pdf", b"%PDF-1.4 invoice")
    assert to_alice[1].text == "Invoice <for> the national fee"
    assert [b["callback_data"] for b in to_alice[1].buttons] == ["v1:sup:close"]
    assert not [s for s in sent if s.chat_id == STAFF_CHAT]  # delivered: nothing to report
    assert await ticket_status(app, ALICE) is TicketStatus.ANSWERED
    async with store_of(app).transaction() as tx:
        messages = await tx.tickets.messages(ALICE, 1)
    assert messages[-1].text == "Invoice &lt;for&gt; the national fee"

    # a photo without a caption: passed on too, recorded by its kind
    photo = {"photo": [{"file_id": "P1", "file_unique_id": "p1", "width": 90, "height": 90}]}
    sent = await desk.post(STAFF_ID, "", reply_to=relay, content=photo)
    assert [s.method for s in sent if s.chat_id == ALICE] == ["sendMessage", "copyMessage"]
    async with store_of(app).transaction() as tx:
        messages = await tx.tickets.messages(ALICE, 1)
    assert messages[-1].text == "[photo]"

    # a file without a caption: recorded by its name
    file_id = server.store_file("scan.png", b"png")
    scan = {"document": {"file_id": file_id, "file_unique_id": "u2", "file_name": "scan.png"}}
    await desk.post(STAFF_ID, "", reply_to=relay, content=scan)
    async with store_of(app).transaction() as tx:
        messages = await tx.tickets.messages(ALICE, 1)
    assert messages[-1].text == "[file: scan.png]"

    # another user never gets it
    assert not [s for s in server.sent if s.chat_id not in (ALICE, STAFF_CHAT)]


@pytest.mark.filterwarnings("ignore::telegram.warnings.PTBUserWarning")  # not run_polling
async def test_a_broadcast_cut_by_a_restart_goes_on_where_it_stopped(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, clock: FrozenClock
) -> None:
    import asyncio

    users = [500 + i for i in range(6)]
    sends = {"n": 0}
    stuck = asyncio.Event()

    async def pace(seconds: float) -> None:  # the pause before the 5th send: the bot goes down
        sends["n"] += 1
        if sends["n"] > 3:
            stuck.set()
            await asyncio.Event().wait()

    monkeypatch.setattr(clock, "sleep", pace)
    settings = staff_settings(tmp_path)
    first = build_application(
        settings,
        Options(faq=FAQ, set_commands=False, clock=clock, dispatch=False),
        request=OfflineBotApi(),
    )
    async with running(first):
        for user in users:
            await Chat(first, user).send("/start")
        await StaffChat(first).post(STAFF_ID, "/broadcast New fees from 1 January")
        await asyncio.wait_for(stuck.wait(), 5)
    # shut down mid-way: the broadcast stopped with it, its progress is in the database

    async def no_wait(seconds: float) -> None:
        return None

    monkeypatch.setattr(clock, "sleep", no_wait)
    second = build_application(
        settings,
        Options(faq=FAQ, set_commands=False, clock=clock, dispatch=False),
        request=OfflineBotApi(),
    )
    async with running(second):
        task = broadcast_task(second)
        assert task is not None  # resumed by itself at start-up
        await task
        desk = StaffChat(second)
        assert any("resumed after a restart: 4 of 6" in s.plain for s in desk.relays())
        assert "Broadcast finished: 6 delivered, 0 blocked, 0 failed (of 6)." in (
            desk.last_relay().plain
        )

    def got(app: BotApp) -> list[int]:
        return [s.chat_id for s in server_of(app).sent if "New fees from" in s.plain]

    assert sorted(got(first) + got(second)) == users  # each user once, none lost
    assert got(first) == users[:4]
    third = build_application(
        settings,
        Options(faq=FAQ, set_commands=False, clock=clock, dispatch=False),
        request=OfflineBotApi(),
    )
    async with running(third):
        assert broadcast_task(third) is None  # finished: not again


async def test_users_can_send_the_staff_a_file_or_a_photo(app: BotApp) -> None:
    alice = Chat(app, ALICE, language_code="ru")
    desk = StaffChat(app)
    await alice.send("/support")  # "write your message…"
    said = await alice.upload("receipt.pdf", b"%PDF receipt", caption="Оплата <пошлины>")
    assert len(said) == 1 and "(обращение №1)" in said[0].plain  # confirmed, in Russian
    relay, copy = desk.relays()[-2:]
    assert "New ticket #1" in relay.plain and "Оплата <пошлины>" in relay.plain
    assert copy.method == "copyMessage" and copy.document == ("receipt.pdf", b"%PDF receipt")

    # without /support a file is not for the staff: CSV import hint, as before
    said = await alice.upload("photo.pdf", b"%PDF other")
    assert "/import" in said[0].plain
    assert desk.relays()[-1] is copy

    # a voice message as a reply to a staff answer goes to the same ticket
    answer = [
        s for s in await desk.post(STAFF_ID, "Received?", reply_to=relay) if s.chat_id == ALICE
    ]
    data = alice.message_update("")
    del data["message"]["text"]
    data["message"]["voice"] = {"file_id": "V1", "file_unique_id": "v1", "duration": 3}
    data["message"]["reply_to_message"] = dict(
        alice.server.messages[(answer[0].chat_id, answer[0].message_id)]
    )
    said = await alice.feed(data)
    assert len(said) == 1 and "№1" in said[0].plain
    relay2, copy2 = desk.relays()[-2:]
    assert "Ticket #1, a new message" in relay2.plain and "[voice message]" in relay2.plain
    assert copy2.method == "copyMessage"
    async with store_of(app).transaction() as tx:
        texts = [m.text for m in await tx.tickets.messages(ALICE, 1)]
    assert texts == ["Оплата <пошлины>", "Received?", "[voice message]"]  # staff answers: as HTML


@pytest.mark.parametrize("number", ["²", "99999999999999999999999", "#-1", "#0"])
async def test_close_with_a_number_that_is_not_a_ticket_number(app: BotApp, number: str) -> None:
    """`/close N` reads N as a number people type; anything else is the usage, not a crash
    ("²".isdigit() is True, but int("²") raises; a 23-digit id overflows SQLite)."""
    desk = StaffChat(app)
    said = await desk.post(STAFF_ID, f"/close {number}")
    assert [s.plain for s in said] == ["Reply to a ticket with /close, or write /close N."]


async def test_close_with_a_ticket_number_in_other_digits(app: BotApp) -> None:
    await Chat(app, ALICE).send("/support Question")
    said = await StaffChat(app).post(STAFF_ID, "/close #١")
    assert any("Ticket #1 closed" in s.plain for s in said)
    assert await ticket_status(app, ALICE) is TicketStatus.CLOSED


@dated
async def test_a_staff_faq_answer_with_amounts_carries_the_schedules_age(
    app: BotApp, clock: FrozenClock
) -> None:
    """/faq TOPIC from the staff is the FAQ's answer as a user gets it: in the ticket's language,
    and, where it states amounts, with the age of the fee schedule (docs/RULES.md §3)."""
    from bot.render.i18n import translator
    from core.explain import amounts_warning

    alice = Chat(app, ALICE, language_code="ru")
    await alice.send("/support Сколько стоит?")
    desk = StaffChat(app)
    relay = desk.last_relay()
    (warning,) = amounts_warning(translator("ru"), [clock.today()])
    sent = await desk.post(STAFF_ID, "/faq national_fee_patent", reply_to=relay)
    (to_alice,) = [s for s in sent if s.chat_id == ALICE]
    assert "BYN" in to_alice.plain and warning in to_alice.plain
    sent = await desk.post(STAFF_ID, "/faq entry_time_limit", reply_to=relay)
    (to_alice,) = [s for s in sent if s.chat_id == ALICE]
    assert warning not in to_alice.plain  # no amounts, no warning


async def test_a_broadcast_too_long_for_one_message_is_refused_before_it_starts(
    app: BotApp,
) -> None:
    """Telegram refuses a message over 4096 characters: the staff hear it at once, and no user
    gets a broadcast that would fail for every one of them."""
    await Chat(app, ALICE).send("/start")
    desk = StaffChat(app)
    said = await desk.post(STAFF_ID, "/broadcast " + "R&D " * 1000)  # 4000 typed, 8000 escaped
    assert "too long for one message: 7999 characters" in said[-1].plain
    assert broadcast_task(app) is None
    await desk.post(STAFF_ID, "/broadcast " + "x" * 4096)  # exactly one message long
    task = broadcast_task(app)
    assert task is not None
    await task
    assert "Broadcast finished: 1 delivered" in desk.last_relay().plain


def edited(chat: Chat, sent: dict[str, Any], text: str) -> dict[str, Any]:
    """Telegram's update for the user's edit of the message `sent` (an earlier update)."""
    message = dict(sent["message"], text=text, edit_date=int(time.time()))
    if not text.startswith("/"):
        message.pop("entities", None)
    return {"update_id": chat.server.next_update_id(), "edited_message": message}


async def test_a_users_edited_message_is_not_handled_again(app: BotApp) -> None:
    """The bot asks Telegram for new messages and presses only (allowed_updates); an edit that
    comes all the same (a Bot API server that ignores the list) is left alone: an edited
    question is not sent to the staff a second time, an edited command not run again."""
    alice = Chat(app, ALICE)
    await alice.send("/support")  # the desk waits for the message
    question = alice.message_update("How long is the time limit?")
    await alice.feed(question)
    relays = [s for s in server_of(app).sent if s.chat_id == STAFF_CHAT]
    assert "How long is the time limit?" in relays[-1].plain
    assert await alice.feed(edited(alice, question, "How long is the time limit, again?")) == []
    assert [s for s in server_of(app).sent if s.chat_id == STAFF_CHAT] == relays
    command = alice.message_update("/fees patent 1 5")
    assert "BYN" in text_of(await alice.feed(command))
    mark = len(server_of(app).sent)
    assert await alice.feed(edited(alice, command, "/fees patent 1 6")) == []
    assert server_of(app).sent[mark:] == []  # nothing sent to anyone
