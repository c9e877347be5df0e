"""Hostile and careless users: no silence, no leak, no starvation.

The offline Bot API reads HTML as Telegram does (`bot.render.html.check`): a message it cannot
parse is refused with 400, which the user experiences as silence. Every command and every typed
step of a guided flow must answer whatever is sent to it.
"""

from __future__ import annotations

import random
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from bot.app import BotApp, Options, build_application, running
from bot.handlers import TEXT_STEPS
from bot.offline import OfflineBotApi, Sent, server_of
from bot.render.html import ALLOWED_TAGS, InvalidHtml, Markup, bold, check, esc, join, render
from core.clock import FrozenClock
from core.entryform import flow as entryform_flow
from core.faq import load_faq
from core.i18n import LANGS, LOCALES_DIR
from core.settings import Settings
from tests.bot.helpers import BOT_DAYS, alert_for, case_id_of, said
from tests.scripted import Chat, text_of

STAFF_CHAT = -100_555
FAQ = load_faq()
APOLOGY = "something went wrong"

# -- Telegram's HTML, as the offline Bot API reads it ----------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "plain",
        "<b>bold</b> <i>it</i> <u>u</u> <s>s</s> <code>x</code> <pre>y</pre>",
        '<a href="https://ncip.by">NCIP</a>',
        '<span class="tg-spoiler">s</span> <tg-spoiler>s</tg-spoiler>',
        "<blockquote expandable>q</blockquote>",
        "&lt;&gt;&amp;&quot; &#39; &#x27; &#128512;",
        "<b><i>nested</i></b>",
        "a > b",
    ],
)
def test_telegram_accepts(text: str) -> None:
    check(text)


@pytest.mark.parametrize(
    "text",
    [
        "x</b>",
        "<b>open",
        "<b><i>crossed</b></i>",
        "<script>alert(1)</script>",
        "<div>x</div>",
        "a < b",
        "<>&\"'",
        "Tom & Jerry",
        "&nbsp;",
        "&lt",
        "&#0;",
        "<span>x</span>",
        "<",
    ],
)
def test_telegram_refuses(text: str) -> None:
    with pytest.raises(InvalidHtml):
        check(text)


async def test_the_offline_bot_api_refuses_invalid_html_with_400(app: BotApp) -> None:
    from telegram.error import BadRequest

    server = server_of(app)
    with pytest.raises(BadRequest, match=r"(?i)can.t parse entities"):
        await app.bot.send_message(5001, "x</b>")
    assert server.refused and server.refused[0][0] == "sendMessage"
    assert not server.sent


def test_markup_escapes_everything_that_is_not_markup() -> None:
    assert esc("<b>&</b>") == "&lt;b&gt;&amp;&lt;/b&gt;"
    assert esc(esc("<")) == "&lt;"  # Markup is never escaped twice
    assert render("a < {x}", x="<i>") == "a &lt; &lt;i&gt;"
    assert render(Markup("<b>{x}</b>"), x="&") == "<b>&amp;</b>"
    assert render(Markup("{x}"), x=bold("y")) == "<b>y</b>"
    assert join(["<", bold("b")]) == "&lt;\n<b>b</b>"
    for text in (render("{a} {b}", a="{b}", b="%s"), bold("</b>"), join(["&", "<"])):
        check(text)


def test_catalog_strings_stay_valid_html_after_formatting() -> None:
    """A translation never brings markup its msgid does not have, and every catalog string,
    formatted with hostile values, is valid Telegram HTML as the bot sends it."""
    import re

    tags = re.compile(r"</?([a-zA-Z][a-zA-Z0-9-]*)")
    field = re.compile(r"\{(\w+)(?:![rsa])?(?::[^{}]*)?\}")
    hostile = "<b>x</b> & {ref} %s \u202e"
    for lang in LANGS:
        with (LOCALES_DIR / lang / "LC_MESSAGES" / "messages.po").open("rb") as fh:
            catalog = read_po(fh, locale=lang)
        for entry in catalog:
            if not entry.id:
                continue
            msgid = entry.id if isinstance(entry.id, str) else entry.id[0]
            strings = [entry.string] if isinstance(entry.string, str) else list(entry.string)
            for text in strings:
                extra = set(tags.findall(text)) - set(tags.findall(msgid))
                assert not extra & ALLOWED_TAGS, (lang, msgid, extra)
                params = {name: hostile for name in field.findall(text)}
                try:
                    rendered = render(text, **params)
                except (KeyError, IndexError, ValueError):
                    continue  # positional or formatted numbers: not a template of the bot
                check(rendered)


def test_faq_answers_are_valid_html() -> None:
    from bot.render.views import faq_answer

    for lang in LANGS:
        for topic in FAQ.topics:
            check(faq_answer(FAQ, topic, lang))


# -- the findings of the red-team pass ------------------------------------------------------------


# Callback data a modified client could send (bot/parse/callbacks.py: typed callback data). The
# user has a case,
# so a lenient reading of the data would act on it.
FORGED_BUTTONS = {
    "a huge int": "v1:case:show:" + "9" * 50,
    "an int over 2**63-1": "v1:case:delyes:9223372036854775808",
    "a negative id": "v1:case:delyes:-1",
    "a non-ascii field": "v1:lang:set:бе",
    "non-ascii digits": "v1:case:delyes:１",
    "too many fields": "v1:case:delyes:1:2",
    "too few fields": "v1:case:why:1",
    "a forged deadline code": "v1:case:act:1:annual_x:20270104",
    "an impossible date": "v1:case:act:1:annual_4:99999999",
    "a forged menu entry": "v1:menu:admin",
    "a forged flow step": "v1:rem:ask:admin",
    "another version": "v2:case:delyes:1",
}


@pytest.mark.parametrize("data", FORGED_BUTTONS.values(), ids=list(FORGED_BUTTONS))
async def test_a_forged_button_is_answered_as_expired_and_changes_nothing(chat, data) -> None:
    user = chat("en")
    await user.send("/addcase A-1 15.03.2024 10.03.2025")
    target = user.last_with_buttons()
    target.keyboard = [[{"text": "forged", "callback_data": data}]]
    replies = await user.press("forged", target)
    assert "This button has expired" in said(replies)
    assert APOLOGY not in said(replies)
    assert "A-1" in said(await user.send("/cases"))


@pytest.mark.parametrize(
    "text", ["/reminders leads ²", "/paid A-1 ²", "/fees annual ²", "/fees patent ¹ ²"]
)
async def test_superscript_digits_are_answered_not_crashed(chat, text: str) -> None:
    # "²".isdigit() is True but int("²") raises: the parsers read decimal digits only
    replies = await chat("en").send(text)
    assert replies and APOLOGY not in said(replies)


async def test_invalid_reference_is_answered(chat, server: OfflineBotApi) -> None:
    replies = await chat("en").send("/case <>&\"'")
    assert "You have no case" in said(replies) or "case reference" in said(replies)
    assert not server.refused


async def test_a_link_in_a_date_is_not_sent_as_a_link(chat, server: OfflineBotApi) -> None:
    replies = await chat("en").send('/deadlines <a href="https://e.vil">x</a>')
    assert replies and not server.refused
    assert all("<a " not in r.text for r in replies)
    assert "&lt;a href=" in replies[0].text or "is not a date" in said(replies)


async def test_a_stray_closing_tag_gets_an_answer(chat, server: OfflineBotApi) -> None:
    user = chat("ru")
    for text in ("/deadlines x</b>", "/addcase x</b>", "/paid x</b>", "/fees x</b>"):
        replies = await user.send(text)
        assert replies, text
    await user.send("/deadlines")
    assert await user.send("x</b>")
    assert not server.refused


# -- the fuzz: every command and every typed step, ≥ 1,000 hostile strings -------------------------

FRAGMENTS = (
    "<b>",
    "</b>",
    "x</b>",
    "<i>",
    '<a href="https://e.vil">x</a>',
    "<script>alert(1)</script>",
    "<>&\"'",
    "&",
    "&amp;",
    "&lt",
    "&#0;",
    "&#x110000;",
    "&nbsp;",
    "\u202e",  # right-to-left override
    "\u2066",
    "\u200b",  # zero width space
    "\u200d",
    "\ufeff",
    "👨‍👩‍👧",
    "🇧🇾",
    "שלום",
    "مرحبا",
    "'; DROP TABLE cases;--",
    '" OR 1=1 --',
    "{ref}",
    "{0}",
    "{}",
    "{",
    "}}",
    "%s",
    "%(name)s",
    "\\",
    "\n",
    "01.01.0001",
    "31.12.9999",
    "31.02.2024",
    "15.03.2024",
    "-3",
    "99999999999999999999",
    "patent",
    "um",
    "Europe/Minsk",
    "09:30",
    "PCT/IB2024/050123",
    "Ёжик",
)


def every_command(app: BotApp) -> list[str]:
    """Every command the bot knows (its command routers: the features', the staff chat's),
    staff ones too, and one it does not know."""
    from bot.handlers import CommandRouter

    routers = [h for hs in app.handlers.values() for h in hs if isinstance(h, CommandRouter)]
    known = {command for router in routers for command in router.routes}
    return [*sorted(known), "faq", "tickets", "stats", "broadcast", "nosuchcommand"]


# Every typed step of every guided flow, as the flow's state when it waits for it.
STEPS: tuple[dict[str, object], ...] = (
    {"name": "dl", "step": "priority"},
    {"name": "dl", "step": "filing", "priority": "2024-03-15"},
    {"name": "fees", "step": "claims", "kind": "patent"},
    {"name": "fees", "step": "year", "item": "annual", "kind": "patent"},
    {"name": "fees", "step": "months", "item": "extension", "kind": "patent"},
    {"name": "fees", "step": "kind"},
    {"name": "addcase", "step": "ref"},
    {"name": "addcase", "step": "priority", "ref": "A-1"},
    {"name": "addcase", "step": "filing", "ref": "A-1", "priority": "2024-03-15"},
    {"name": "addcase", "step": "kind", "ref": "A-1", "priority": None, "filing": "2024-03-15"},
    {"name": "reminders", "step": "leads"},
    {"name": "reminders", "step": "time"},
    {"name": "reminders", "step": "quiet"},
    {"name": "reminders", "step": "tz"},
    {"name": "support", "step": "text"},
    {"name": "import", "step": "file"},
)
# the typed steps of /entryform (the representative's role is chosen with buttons)
ENTRYFORM_STEPS = tuple(s for s in entryform_flow.STEPS if s != "representative_is")
PER_TARGET = 24  # strings per command or step: (20+ commands + 16 + 8 steps) × 24 ≥ 1,000


def hostile_strings(seed: int, n: int) -> Iterator[str]:
    rng = random.Random(seed)
    for i in range(n):
        if i % 16 == 15:  # now and then a very long one
            yield (rng.choice(FRAGMENTS) + "ж" * rng.randint(100, 400)) * rng.randint(5, 10)
            continue
        parts = rng.choices(FRAGMENTS, k=rng.randint(1, 4))
        yield rng.choice(("", " ", "\n")).join(parts)


def fuzz_settings(tmp_path: Path) -> Settings:
    return Settings(
        _env_file=None,  # type: ignore[call-arg]
        db=tmp_path / "pctby.sqlite3",
        staff_chat_id=STAFF_CHAT,
    )


@pytest.fixture
def clock() -> FrozenClock:
    """The fuzz runs on one date (of the three every other bot test runs on)."""
    return FrozenClock(BOT_DAYS[0])


@pytest.fixture
async def fuzz_app(tmp_path: Path, clock: FrozenClock) -> AsyncIterator[BotApp]:
    server = OfflineBotApi()
    server.members.open(STAFF_CHAT)  # nobody is in the staff chat
    application = build_application(
        fuzz_settings(tmp_path),
        Options(faq=FAQ, set_commands=False, clock=clock, dispatch=False),
        request=server,
    )
    async with running(application):
        yield application


def _answered(replies: list[Sent]) -> bool:
    return any(r.method != "answerCallbackQuery" for r in replies) and not any(
        APOLOGY in r.plain for r in replies
    )


def _clip(text: str) -> str:
    return text[:4096]  # Telegram's limit for a message a user can send


async def test_fuzz_every_command_and_step_answers(fuzz_app: BotApp) -> None:
    # every flow's typed steps are here (the message /support waits for is taken earlier, by
    # the desk's ticket group: bot/desk/user.py)
    assert {str(s["name"]) for s in STEPS} | {"entryform"} == set(TEXT_STEPS) | {"support"}
    server = server_of(fuzz_app)
    silent: list[tuple[str, str]] = []
    sent = 0
    user_ids = iter(range(700_000, 800_000))
    commands = every_command(fuzz_app)
    assert {"deadlines", "addcase", "paid", "support", "entryform"} <= set(commands)
    for n, command in enumerate(commands):
        user = Chat(fuzz_app, next(user_ids), language_code=("ru", "be", "en")[n % 3])
        for text in hostile_strings(n, PER_TARGET):
            message = _clip(f"/{command} {text}")
            replies = await user.send(message)
            sent += 1
            if not _answered(replies):
                silent.append((command, message[:120]))
            if len(user.said()) > 200:  # a fresh user now and then: limits are per user
                user = Chat(fuzz_app, next(user_ids), language_code="en")
    for n, state in enumerate(STEPS):
        user = Chat(fuzz_app, next(user_ids), language_code=("ru", "be", "en")[n % 3])
        await user.send("/start")
        for text in hostile_strings(1000 + n, PER_TARGET):
            if text.startswith("/"):
                text = " " + text
            fuzz_app.user_data[user.user_id]["flow"] = dict(state)
            replies = await user.send(_clip(text))
            sent += 1
            if not _answered(replies):
                silent.append((f"{state['name']}.{state['step']}", text[:120]))
    user = Chat(fuzz_app, next(user_ids), language_code="ru")
    await user.send("/addcase A-1 15.03.2024 10.03.2025 patent")
    await user.send("/entryform A-1")
    base = dict(fuzz_app.user_data[user.user_id]["flow"])
    assert base["name"] == "entryform"
    for n, step in enumerate(ENTRYFORM_STEPS):
        for text in hostile_strings(2000 + n, PER_TARGET):
            if text.startswith("/"):
                text = " " + text
            state = {**base, "step": step, "data": dict(base["data"]), "skipped": []}
            fuzz_app.user_data[user.user_id]["flow"] = state
            replies = await user.send(_clip(text))
            sent += 1
            if not _answered(replies):
                silent.append((f"entryform.{step}", text[:120]))
    assert sent >= 1000
    assert not server.refused, server.refused[:3]
    assert not silent, silent[:10]


# -- alerts go to the private chat; groups are told to write privately, once ----------------------


def group_update(user: Chat, text: str, group_id: int = -100_321) -> dict[str, object]:
    data = user.message_update(text)
    data["message"]["chat"] = {"id": group_id, "type": "supergroup", "title": "Colleagues"}  # type: ignore[index]
    return data


async def test_a_group_is_told_once_to_write_privately_and_nothing_is_learnt_from_it(
    app: BotApp, server: OfflineBotApi
) -> None:
    user = Chat(app, 5101, language_code="ru")
    for text in ("/cases", "/addcase A-1 15.03.2024 10.03.2025", "/start"):
        await user.feed(group_update(user, text))
    in_group = [s for s in server.sent if s.chat_id == -100_321]
    assert len(in_group) == 1
    assert in_group[0].plain == "Я отвечаю в личном чате: напишите мне туда."
    store = app.bot_data["pctby.services"].store
    async with store.transaction() as tx:
        assert await tx.cases.all(5101) == []  # nothing done for the group
    await user.send("/start")  # then privately
    await user.feed(group_update(user, "/help"))  # a group again: never the user's chat
    async with store.transaction() as tx:
        found = await tx.users.get(5101)
    assert found is not None and found.chat_id == 5101


async def test_alerts_go_to_the_users_private_chat_even_after_a_group_message(
    app: BotApp,
) -> None:
    store = app.bot_data["pctby.services"].store
    async with store.transaction() as tx:
        await tx.users.ensure(5102)
        assert await tx.users.seen(5102, chat_id=-100_999) is False  # as a group message did
        user = await tx.users.get(5102)
        assert user is not None and user.chat_id == 5102
        # a row from before the fix, holding a group's id: still the private chat
        await tx.conn.execute("UPDATE users SET chat_id = -100999 WHERE id = 5102")
        user = await tx.users.get(5102)
        assert user is not None and user.chat_id == 5102


# -- a blocked user who writes again is unblocked and replanned, at any time ----------------------


async def test_a_user_who_blocked_the_bot_and_writes_again_gets_alerts_again(
    app: BotApp, server: OfflineBotApi, clock: FrozenClock
) -> None:
    from bot.jobs.alerts import TelegramNotifier
    from core.reminders import Blocked
    from core.storage import OutboxState

    user = Chat(app, 5103, language_code="en")
    await user.send("/addcase A-1 15.03.2024 10.03.2025 patent")
    case_id = await case_id_of(app, user.user_id, "A-1")
    services = app.bot_data["pctby.services"]
    reminders = services.reminders
    store = services.store
    async with store.transaction() as tx:
        planned = [r for r in await tx.outbox.for_case(5103, case_id)]
    assert planned and planned[0].state == OutboxState.PLANNED
    alert = alert_for(user.user_id, case_id, "en", clock.today(), outbox_id=planned[0].id)
    notifier = TelegramNotifier(app.bot, services.clock, services.seen.discard)
    server.fail("sendMessage", "403")
    with pytest.raises(Blocked):
        await notifier.send(alert)
    await reminders.blocked(alert, "blocked: 403")  # as the dispatcher does
    async with store.transaction() as tx:
        assert (await tx.users.get(5103)).blocked  # type: ignore[union-attr]
        rows = await tx.outbox.for_case(5103, case_id)
    assert not any(r.state == OutboxState.PLANNED for r in rows)
    await user.send("/help")  # the same process: the user's first update was long ago
    async with store.transaction() as tx:
        assert not (await tx.users.get(5103)).blocked  # type: ignore[union-attr]
        rows = await tx.outbox.for_case(5103, case_id)
    assert any(r.state == OutboxState.PLANNED for r in rows)  # the alert is planned again


# -- one pending snooze per alert -----------------------------------------------------------------


async def test_snooze_pressed_many_times_leaves_one_pending_snooze(app: BotApp) -> None:
    from core.storage import Origin, OutboxState

    user = Chat(app, 5104, language_code="en")
    await user.send("/addcase A-1 15.03.2024 10.03.2025 patent")
    await user.send("/addcase B-2 15.03.2024 10.03.2025 patent")
    services = app.bot_data["pctby.services"]
    reminders, store = services.reminders, services.store
    first, second = [await case_id_of(app, 5104, ref) for ref in ("A-1", "B-2")]
    async with store.transaction() as tx:
        alert = (await tx.outbox.for_case(5104, first))[0]
        other = (await tx.outbox.for_case(5104, second))[0]
    whens = {await reminders.snooze(5104, alert.id, 1 + n % 7) for n in range(60)}
    await reminders.snooze(5104, other.id, 1)
    assert len(whens) > 1  # the days differ: the last press wins
    async with store.transaction() as tx:
        snoozes = [
            r
            for case in (first, second)
            for r in await tx.outbox.for_case(5104, case)
            if r.origin == Origin.SNOOZE and r.state == OutboxState.PLANNED
        ]
    assert sorted(r.case_id for r in snoozes) == [first, second]


# -- per-user limits; staff lookups only in the staff chat ----------------------------------------

STAFF_ID = 42


@pytest.fixture
async def staff_app(tmp_path: Path, clock: FrozenClock) -> AsyncIterator[BotApp]:
    settings = Settings(
        _env_file=None,  # type: ignore[call-arg]
        db=tmp_path / "pctby.sqlite3",
        staff_chat_id=STAFF_CHAT,
        staff_ids=frozenset({STAFF_ID}),
    )
    application = build_application(
        settings,
        Options(faq=FAQ, set_commands=False, clock=clock, dispatch=False),
        request=OfflineBotApi(),
    )
    async with running(application):
        yield application


def relays(app: BotApp) -> list[Sent]:
    return [s for s in server_of(app).sent if s.chat_id == STAFF_CHAT]


async def test_support_relays_at_most_ten_messages_per_ten_minutes(
    staff_app: BotApp, clock: FrozenClock
) -> None:
    user = Chat(staff_app, 5201, language_code="en")
    answers = [text_of(await user.send(f"/support message {n}")) for n in range(15)]
    assert len(relays(staff_app)) == 10
    assert all("staff will see your earlier messages" in a for a in answers[10:])
    assert not any("earlier messages" in a for a in answers[:10])
    other = Chat(staff_app, 5202, language_code="ru")
    await other.send("/support мой вопрос")  # another user is not held back
    assert len(relays(staff_app)) == 11
    clock.advance(601)
    await user.send("/support after a pause")
    assert len(relays(staff_app)) == 12


async def test_a_staff_reply_in_a_private_chat_never_names_a_ticket(staff_app: BotApp) -> None:
    alice = Chat(staff_app, 5203, language_code="en")
    await alice.send("/support How do I pay?")
    relay = relays(staff_app)[-1]
    staff = Chat(staff_app, STAFF_ID, language_code="en")
    server = server_of(staff_app)
    for text in ("/faq fees", "/close", "Some private words"):
        data = staff.message_update(text)
        # a reply in the staff member's private chat to a message with the relay's id
        data["message"]["reply_to_message"] = {
            "message_id": relay.message_id,
            "date": 0,
            "chat": staff.chat,
            "text": "anything",
        }
        await staff.feed(data)
    to_alice = [s for s in server.sent if s.chat_id == alice.user_id]
    assert not any("Answer from the staff" in s.plain or "closed" in s.plain for s in to_alice)


# -- spreadsheet and look-alike tricks; dates outside 1970–2100 -----------------------------------


def test_clean_removes_look_alikes_and_bidi_controls() -> None:
    from core.models import Kind
    from core.storage import CaseInput
    from core.text import clean

    assert clean("A\u200b-1\u202e\ufeff ") == "A-1"
    assert clean("ＰＣＴ／ＩＢ２０２４") == "PCT/IB2024"
    assert clean("\u2066Eve\u2069 \u200dAdams") == "Eve Adams"
    import datetime as dt

    case = CaseInput("A\u200b-1", Kind.PATENT, dt.date(2024, 3, 15), title="\u202eevil")
    assert (case.ref, case.title) == ("A-1", "evil")


@pytest.mark.parametrize("text", ["01.01.0001", "1.1.1", "31.12.9999", "1969-12-31", "2101-01-01"])
def test_dates_outside_1970_2100_are_refused_with_one_sentence(text: str) -> None:
    from core.dates import parse_date
    from core.errors import InputError

    with pytest.raises(InputError) as err:
        parse_date(text)
    assert "\n" not in str(err.value)


def test_two_digit_years_still_read() -> None:
    import datetime as dt

    from core.dates import parse_date

    assert parse_date("15.03.24") == dt.date(2024, 3, 15)


@pytest.mark.parametrize("filing", ["0001-01-01", "9999-12-31", "1969-12-31"])
def test_import_refuses_years_outside_1970_2100(filing: str) -> None:
    import datetime as dt
    import io

    from core.importexport import ImportErrors, parse_csv

    table = f"ref,kind,filing_date\nA-1,patent,{filing}\n"
    with pytest.raises(ImportErrors) as err:
        parse_csv(io.StringIO(table), 7, today=dt.date(2026, 12, 1))
    assert "between 1970 and 2100" in str(err.value.errors[0].error)


def test_export_neutralises_formula_cells_and_import_reads_them_back() -> None:
    from core.importexport import cell, uncell

    for value in ('=HYPERLINK("http://e.vil")', "+1", "-1", "@SUM(A1)", "\tx", "\rx"):
        assert cell(value) == "'" + value
        assert uncell(cell(value)) == value
    assert cell("PCT/IB2024/050123") == "PCT/IB2024/050123"
    assert cell(5104) == "5104"


async def test_export_csv_cells_are_safe_in_a_spreadsheet(app: BotApp) -> None:
    import csv
    import io

    from core.importexport import export_csv

    user = Chat(app, 5105, language_code="en")
    await user.send("/addcase =1+1 15.03.2024 10.03.2025 patent")
    await user.send("/addcase A\u200b-7\u202e 15.03.2024 10.03.2025 patent")
    reminders = app.bot_data["pctby.services"].reminders
    rows = list(csv.reader(io.StringIO(await export_csv(reminders, 5105))))
    column = rows[0].index("ref")
    refs = sorted(row[column] for row in rows[1:])
    assert refs == ["'=1+1", "A-7"]
    assert "A-7" in text_of(await user.send("/case A-7"))


async def test_a_user_a_broadcast_found_blocked_is_unblocked_by_their_next_update(
    staff_app: BotApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    import time

    from telegram import Update

    async def no_wait(seconds: float) -> None:
        return None

    monkeypatch.setattr(staff_app.bot_data["pctby.services"].clock, "sleep", no_wait)
    alice = Chat(staff_app, 5301, language_code="en")
    await alice.send("/start")
    server = server_of(staff_app)
    server.block(alice.user_id)
    message = {
        "message_id": 90_001,
        "date": int(time.time()),
        "chat": {"id": STAFF_CHAT, "type": "supergroup", "title": "desk"},
        "from": {"id": STAFF_ID, "is_bot": False, "first_name": "Staff"},
        "text": "/broadcast New fees",
        "entities": [{"type": "bot_command", "offset": 0, "length": 10}],
    }
    await staff_app.process_update(
        Update.de_json({"update_id": server.next_update_id(), "message": message}, staff_app.bot)
    )
    services = staff_app.bot_data["pctby.services"]
    task = services.broadcasts.task
    assert task is not None
    await task
    store = services.store
    async with store.transaction() as tx:
        assert (await tx.users.get(alice.user_id)).blocked  # type: ignore[union-attr]
    server.unblock(alice.user_id)
    await alice.send("/help")
    async with store.transaction() as tx:
        assert not (await tx.users.get(alice.user_id)).blocked  # type: ignore[union-attr]
