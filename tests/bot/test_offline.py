"""The offline Bot API answers as Telegram does: getChatMember from its members registry, 400
for HTML it cannot parse, 403 once a user blocked the bot, faults aimed at one chat."""

from __future__ import annotations

import pytest
from telegram import ChatMember, ChatMemberAdministrator, ChatMemberRestricted
from telegram.error import BadRequest, Forbidden

from bot.app import BotApp
from bot.offline import OfflineBotApi, server_of
from tests.scripted import Chat

STAFF_CHAT = -100_777
STAFF, MEMBER, ADMIN, MUTED = 41, 42, 43, 44


@pytest.fixture
def server() -> OfflineBotApi:
    server = OfflineBotApi()
    server.members.join(STAFF_CHAT, MEMBER)
    server.members.join(STAFF_CHAT, ADMIN, "administrator")
    server.members.join(STAFF_CHAT, MUTED, "restricted")
    return server


async def test_the_fixture_server_is_the_apps(app: BotApp, server: OfflineBotApi) -> None:
    assert server_of(app) is server


async def test_a_member_of_the_staff_chat(app: BotApp) -> None:
    member = await app.bot.get_chat_member(STAFF_CHAT, MEMBER)
    assert member.status == ChatMember.MEMBER and member.user.id == MEMBER


async def test_an_administrator_and_a_restricted_member_parse_as_telegram_sends_them(
    app: BotApp,
) -> None:
    admin = await app.bot.get_chat_member(STAFF_CHAT, ADMIN)
    assert isinstance(admin, ChatMemberAdministrator)
    muted = await app.bot.get_chat_member(STAFF_CHAT, MUTED)
    assert isinstance(muted, ChatMemberRestricted) and muted.is_member


async def test_a_known_user_who_is_not_a_member_has_left(app: BotApp) -> None:
    user = Chat(app, 5001)  # the server has seen this user
    member = await app.bot.get_chat_member(STAFF_CHAT, user.user_id)
    assert member.status == ChatMember.LEFT


async def test_leaving_the_chat(app: BotApp, server: OfflineBotApi) -> None:
    server.members.leave(STAFF_CHAT, MEMBER)
    assert (await app.bot.get_chat_member(STAFF_CHAT, MEMBER)).status == ChatMember.LEFT


async def test_an_unknown_chat_is_not_found(app: BotApp, server: OfflineBotApi) -> None:
    with pytest.raises(BadRequest, match=r"[Cc]hat not found"):
        await app.bot.get_chat_member(-100_999, MEMBER)
    assert server.refused[-1] == (
        "getChatMember",
        {"chat_id": -100_999, "user_id": MEMBER},
        "Bad Request: chat not found",
    )


async def test_an_unknown_user_is_not_found(app: BotApp) -> None:
    with pytest.raises(BadRequest, match=r"[Uu]ser not found"):
        await app.bot.get_chat_member(STAFF_CHAT, 999_999)


async def test_a_private_chat_holds_its_user(app: BotApp) -> None:
    user = Chat(app, 5002)
    member = await app.bot.get_chat_member(user.user_id, user.user_id)
    assert member.status == ChatMember.MEMBER


async def test_a_message_sender_becomes_known(app: BotApp, server: OfflineBotApi) -> None:
    server.seen(
        {
            "message_id": 1,
            "date": 0,
            "chat": {"id": STAFF_CHAT, "type": "supergroup", "title": "desk"},
            "from": {"id": STAFF, "is_bot": False, "first_name": "Staff"},
            "text": "hi",
        }
    )
    assert (await app.bot.get_chat_member(STAFF_CHAT, STAFF)).status == ChatMember.LEFT


@pytest.mark.parametrize("text", ["x</b>", "<b>open", "Tom & Jerry", "<span>x</span>", "1 < 2"])
async def test_html_telegram_cannot_parse_is_refused_with_400(
    app: BotApp, server: OfflineBotApi, text: str
) -> None:
    with pytest.raises(BadRequest, match=r"(?i)can.t parse entities"):
        await app.bot.send_message(5001, text)
    with pytest.raises(BadRequest, match=r"(?i)can.t parse entities"):
        await app.bot.send_document(5001, b"x", filename="x.txt", caption=text)
    assert [r[0] for r in server.refused] == ["sendMessage", "sendDocument"]
    assert not server.sent


async def test_html_it_can_parse_is_delivered(app: BotApp, server: OfflineBotApi) -> None:
    await app.bot.send_message(5001, "<b>Tom &amp; Jerry</b> &lt; 2")
    assert not server.refused and server.sent[-1].plain == "Tom & Jerry < 2"


async def test_a_user_who_blocked_the_bot_gets_nothing_until_unblocked(
    app: BotApp, server: OfflineBotApi
) -> None:
    server.block(5001)
    with pytest.raises(Forbidden, match="blocked"):
        await app.bot.send_message(5001, "hello")
    await app.bot.send_message(5002, "hello")  # others still get theirs
    server.unblock(5001)
    await app.bot.send_message(5001, "again")
    assert [(s.chat_id, s.plain) for s in server.sent] == [(5002, "hello"), (5001, "again")]


async def test_a_fault_aimed_at_one_chat_spares_the_others(
    app: BotApp, server: OfflineBotApi
) -> None:
    server.fail("sendMessage", "400", chat_id=5001, times=2)
    await app.bot.send_message(5002, "first")
    for _ in range(2):
        with pytest.raises(BadRequest, match=r"(?i)injected"):
            await app.bot.send_message(5001, "no")
    await app.bot.send_message(5001, "yes")
    assert [s.plain for s in server.sent] == ["first", "yes"]


async def test_every_status_parses_as_telegram_sends_it(app: BotApp, server: OfflineBotApi) -> None:
    for user_id, status in enumerate(
        ("creator", "administrator", "member", "restricted", "kicked")
    ):
        server.members.join(STAFF_CHAT, 7000 + user_id, status)
        assert (await app.bot.get_chat_member(STAFF_CHAT, 7000 + user_id)).status == status


async def test_a_method_outside_the_table_is_accepted(app: BotApp, server: OfflineBotApi) -> None:
    assert "sendChatAction" not in server.methods
    assert await app.bot.send_chat_action(5001, "typing")
