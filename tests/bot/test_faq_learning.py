"""The FAQ in the chat through the offline Bot API: "no answer" with /support and the
consultation line, two topics as buttons, contacts with their date, and the staff's learning
loop (/faq unanswered, /faq teach N TOPIC, /faq untaught) taking effect at once."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.app import BotApp
from core.clock import FrozenClock
from core.faq.learning import FaqLearning
from core.storage import Store
from tests.bot.helpers import (
    ALICE,
    BOB,
    CAROL,
    FAQ,
    STAFF_ID,
    StaffChat,
    services,
    staff_bot,
)
from tests.scripted import Chat, text_of


@pytest.fixture
async def app(tmp_path: Path, clock: FrozenClock) -> AsyncIterator[BotApp]:
    """The bot with a database and a staff chat (as tests/bot/test_support.py)."""
    async with staff_bot(tmp_path, clock) as application:
        yield application


TEACH = "is there a fast track so that the office picks up our file ahead of the queue"


async def test_an_out_of_scope_question_gets_no_answer_and_the_desk(app: BotApp) -> None:
    alice = Chat(app, ALICE, language_code="en")
    said = await alice.send("How do I register a trademark for my bakery?")
    text = text_of(said)
    assert "I have no answer to that" in text and "/support" in text
    assert "+375 17 272 97 14" in text and "2 April 2021" in text and "ncip.by" in text
    assert said[-1].labels == ["Write to the staff"]  # no unrelated topics offered


@pytest.mark.parametrize(
    ("lang", "question", "title"),
    [
        ("en", "How much does it cost to enter the national phase?", "National fee: patent"),
        ("ru", "Сколько стоит войти в национальную фазу?", "Пошлины: патент"),
        ("en", "we missed the 31-month date by a few weeks", "Reinstatement of rights"),
        ("be", "прапусцілі тэрмін 31 месяц на некалькі тыдняў", "Аднаўленне правоў"),
    ],
)
async def test_intent_picks_the_topic(app: BotApp, lang: str, question: str, title: str) -> None:
    said = await Chat(app, ALICE, language_code=lang).send(question)
    topic = FAQ.match(question, lang=lang).topic  # type: ignore[arg-type]
    assert topic is not None and FAQ.title(topic, lang) == title  # type: ignore[arg-type]
    assert said[-1].text.startswith(FAQ.answer(topic, lang).body[:60])  # type: ignore[arg-type]


async def test_a_question_that_fits_two_topics_offers_both(app: BotApp) -> None:
    question = "восстановление"  # of rights after a missed time limit, or of a lapsed patent?
    match = FAQ.match(question, lang="ru")
    assert match.topic is not None and match.also is not None
    alice = Chat(app, ALICE, language_code="ru")
    said = await alice.send(question)
    assert said[-1].labels == [FAQ.title(match.topic, "ru"), FAQ.title(match.also, "ru")]
    opened = await alice.press(FAQ.title(match.also, "ru"))
    assert "BY.17" in text_of(opened) or "BY.14" in text_of(opened)


@pytest.mark.parametrize("lang", ["ru", "be", "en"])
async def test_contacts_give_the_date_and_ncip_by_and_no_address(app: BotApp, lang: str) -> None:
    question = {"en": "address of the Office", "ru": "адрес НЦИС", "be": "адрас НЦІУ"}[lang]
    said = text_of(await Chat(app, ALICE, language_code=lang).send(question))
    date = {"en": "2 April 2021", "ru": "2 апреля 2021", "be": "2 красавіка 2021"}[lang]
    assert "+375 17 272 98 43" in said and "+375 17 272 97 14" in said
    assert date in said and "ncip.by" in said


async def test_the_staff_teach_a_kept_question_and_it_is_answered_at_once(app: BotApp) -> None:
    alice = Chat(app, ALICE, language_code="en")
    first = text_of(await alice.send(TEACH))
    assert "BY.13" not in first  # not the early-start answer yet
    desk = StaffChat(app)
    listed = text_of(await desk.post(STAFF_ID, "/faq unanswered"))
    assert "1 kept question" in listed and TEACH in listed and "#1 · en" in listed
    taught = text_of(await desk.post(STAFF_ID, "/faq teach 1 early_start"))
    assert "Taught" in taught and "early_start" in taught and "/faq untaught 1" in taught
    again = text_of(await Chat(app, BOB, language_code="en").send(TEACH))
    assert "BY.13" in again  # at once, for everyone
    assert "No kept questions" in text_of(await desk.post(STAFF_ID, "/faq unanswered"))
    listed = text_of(await desk.post(STAFF_ID, "/faq untaught"))
    assert "#1 · en · early_start" in listed
    removed = text_of(await desk.post(STAFF_ID, "/faq untaught 1"))
    assert "Removed #1" in removed
    assert "BY.13" not in text_of(await Chat(app, CAROL, language_code="en").send(TEACH))


@pytest.mark.parametrize(
    ("command", "says"),
    [
        ("/faq teach 1 no_such_topic", "There is no FAQ topic “no_such_topic”"),
        ("/faq teach 99 agent", "There is no kept question #99"),
        ("/faq teach x", "Write /faq teach N TOPIC"),
        ("/faq untaught 7", "There is no taught paraphrase #7"),
        ("/faq", "/faq unanswered"),
    ],
)
async def test_faq_commands_refuse_with_one_sentence(app: BotApp, command: str, says: str) -> None:
    await Chat(app, ALICE).send(TEACH)
    said = await StaffChat(app).post(STAFF_ID, command)
    assert says in text_of(said) and len(said) == 1


async def test_kept_questions_are_shown_as_text_not_markup(app: BotApp) -> None:
    await Chat(app, ALICE).send("is <b>my</b> trademark & logo safe?")
    listed = await StaffChat(app).post(STAFF_ID, "/faq unanswered")
    assert "is <b>my</b> trademark & logo safe?" in text_of(listed)  # escaped, sent fine


async def test_teaching_from_another_process_reaches_the_running_bot(
    app: BotApp, tmp_path: Path
) -> None:
    other = await Store.open(
        tmp_path / "pctby.sqlite3", clock=FrozenClock(services(app).clock.now())
    )
    try:  # what `pctby faq teach` does beside the running bot
        await FaqLearning(other, FAQ).teach("en", TEACH, "early_start")
    finally:
        await other.close()
    assert "BY.13" in text_of(await Chat(app, ALICE).send(TEACH))


async def test_a_user_cannot_run_the_faq_staff_commands(app: BotApp) -> None:
    await Chat(app, ALICE).send(TEACH)
    said = text_of(await Chat(app, BOB).send("/faq teach 1 early_start"))
    assert "Taught" not in said
    assert "BY.13" not in text_of(await Chat(app, CAROL).send(TEACH))
