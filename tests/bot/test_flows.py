"""Guided flows survive a restart (bot/flows.py, core/flows.py): a flow half-done when the
application stops goes on, in a new application on the same database, from the step it was at;
one older than the age limit does not; /forget deletes it; each user's flow is their own.
(Every flow of every bot test is also checked to be plain JSON and stored: conftest.py.)"""

from __future__ import annotations

import datetime as dt
import json

from bot.app import BotApp
from bot.context import FLOW_KEY
from core.flows import MAX_AGE
from tests.bot.helpers import (
    after_the_basis,
    bot_run,
    buttons_of,
    document,
    no_early_start,
    said,
    staff_settings,
)
from tests.scripted import Chat

ALICE, BOB = 7001, 7002


async def stored_flow(app: BotApp, user_id: int) -> dict[str, object] | None:
    async with app.bot_data["pctby.services"].store.transaction() as tx:
        row = await tx.flows.get(user_id)
    return None if row is None else dict(json.loads(row[0]))


async def test_addcase_half_way_goes_on_after_a_restart(settings, clock, tmp_path) -> None:
    async with bot_run(settings, clock, tmp_path) as app:
        user = Chat(app, ALICE, language_code="ru")
        await user.send("/addcase")
        await user.send("PCT/IB2024/050123")
        assert "Какая дата международной подачи?" in said(await user.send("15 марта 2024"))
    clock.advance(2 * 3600)
    async with bot_run(settings, clock, tmp_path) as app:
        user = Chat(app, ALICE, language_code="ru")
        assert "Это патент или полезная модель?" in said(await user.send("10.03.2025"))
        assert "физическое лицо" in said(await user.press("Полезная модель"))
        text = said(await user.press("Нет"))
        assert "Дело PCT/IB2024/050123 сохранено." in text
        async with app.bot_data["pctby.services"].store.transaction() as tx:
            (case,) = await tx.cases.all(ALICE)
        assert (case.ref, case.kind.value) == ("PCT/IB2024/050123", "utility-model")
        assert (case.priority, case.filing) == (dt.date(2024, 3, 15), dt.date(2025, 3, 10))
        assert await stored_flow(app, ALICE) is None  # finished: nothing left to restore
    async with bot_run(settings, clock, tmp_path) as app:
        assert FLOW_KEY not in app.user_data.get(ALICE, {})


async def test_fees_half_way_gives_the_same_quote_as_without_a_restart(
    settings, clock, tmp_path
) -> None:
    async with bot_run(settings, clock, tmp_path) as app:
        user = Chat(app, ALICE, language_code="en")
        await user.send("/fees")
        await user.press("Utility model")
        asked = await user.send("2 3")
        assert "natural person" in said(asked)
        assert (await stored_flow(app, ALICE) or {}).get("step") == "np"
    async with bot_run(settings, clock, tmp_path) as app:
        user = Chat(app, ALICE, language_code="en")
        await user.press("No", buttons_of(asked))  # on the message the previous run sent
        resumed = said(await user.press("No"))
        other = Chat(app, BOB, language_code="en")  # the same answers, in one run
        await other.send("/fees")
        await other.press("Utility model")
        await other.send("2 3")
        await other.press("No")
        straight = said(await other.press("No"))
    assert "Total: 367.50 BYN" in resumed
    assert resumed == straight


async def test_entryform_half_way_goes_on_after_a_restart(settings, clock, tmp_path) -> None:
    async with bot_run(settings, clock, tmp_path) as app:
        user = Chat(app, ALICE, language_code="en")
        await user.send("/addcase PCT/EP2024/061234 15.03.2024 22.04.2024 patent")
        await user.send("/entryform PCT/EP2024/061234")
        await user.send("Water treatment method")
        await user.send("WO2024/223456")
        assert "Who is the applicant?" in said(await user.send("31.10.2024"))
        await user.send("Aqua Clean GmbH\nHauptstraße 5, Berlin\nDE")
    async with bot_run(settings, clock, tmp_path) as app:
        user = Chat(app, ALICE, language_code="en")
        replies = await user.send("Belvodtech\nMinsk\nBY")
        assert "Applicant 2 added: Belvodtech." in said(replies)
        replies = await user.press("Done", buttons_of(replies))
        replies = await user.press("Skip", buttons_of(replies))  # inventors
        replies = await user.press("Skip", buttons_of(replies))  # representative
        replies = await user.press("Skip", buttons_of(replies))  # address
        replies = await no_early_start(user, replies)
        replies = await user.press("Everything as filed", buttons_of(replies))
        _name, _caption, form = document(await after_the_basis(user, replies))
    assert (
        "WO 2024/223456 | Date of publication of the international application: 31.10.2024"
        in (form)
        or "WO 2024/223456" in form
    )
    assert "Water treatment method" in form
    assert "Aqua Clean GmbH" in form and "Belvodtech" in form


async def test_a_flow_older_than_the_limit_is_not_resumed(settings, clock, tmp_path) -> None:
    async with bot_run(settings, clock, tmp_path) as app:
        user = Chat(app, ALICE, language_code="en")
        await user.send("/addcase")
        assert "priority date" in said(await user.send("A-1"))
        other = Chat(app, BOB, language_code="en")
        await other.send("/addcase")
    clock.advance((MAX_AGE - dt.timedelta(minutes=1)).total_seconds())
    async with bot_run(settings, clock, tmp_path) as app:
        other = Chat(app, BOB, language_code="en")  # last step within the limit: resumed
        assert "priority date" in said(await other.send("B-1"))
    clock.advance(120)
    async with bot_run(settings, clock, tmp_path) as app:
        assert await stored_flow(app, ALICE) is None  # deleted at start-up
        assert await stored_flow(app, BOB) is not None  # its last step was 1 minute ago
        user = Chat(app, ALICE, language_code="en")
        answer = said(await user.send("15.03.2024"))  # goes where text goes without a flow
        assert "filing date" not in answer and "priority" not in answer
        async with app.bot_data["pctby.services"].store.transaction() as tx:
            assert await tx.cases.all(ALICE) == []


async def test_a_flow_left_for_a_day_in_a_running_bot_ends(settings, clock, tmp_path) -> None:
    async with bot_run(settings, clock, tmp_path) as app:
        user = Chat(app, ALICE, language_code="en")
        kinds = buttons_of(await user.send("/fees"))
        assert "How many claims" in said(await user.press("Patent", kinds))
        clock.advance(MAX_AGE.total_seconds() + 1)
        answer = said(await user.send("1 12"))
        assert "natural person" not in answer  # not read as the claim counts
        assert await stored_flow(app, ALICE) is None
        assert "This button has expired" in said(await user.press("Patent", kinds))


async def test_forget_deletes_the_stored_flow(settings, clock, tmp_path) -> None:
    async with bot_run(settings, clock, tmp_path) as app:
        user = Chat(app, ALICE, language_code="en")
        await user.send("/addcase")
        await user.send("A-1")
        assert await stored_flow(app, ALICE) is not None
        await user.send("/forget")
        await user.press("Yes, delete everything")
        assert await stored_flow(app, ALICE) is None
    async with bot_run(settings, clock, tmp_path) as app:
        assert ALICE not in app.user_data
        user = Chat(app, ALICE, language_code="en")
        assert "priority date" not in said(await user.send("B-1"))


async def test_each_users_flow_is_their_own(settings, clock, tmp_path) -> None:
    async with bot_run(settings, clock, tmp_path) as app:
        alice = Chat(app, ALICE, language_code="en")
        bob = Chat(app, BOB, language_code="ru")
        await alice.send("/addcase")
        await alice.send("A-1")
        await bob.send("/fees")
        await bob.press("Патент")
    async with bot_run(settings, clock, tmp_path) as app:
        alice = Chat(app, ALICE, language_code="en")
        bob = Chat(app, BOB, language_code="ru")
        assert "Заявитель — физическое лицо" in said(await bob.send("1 12"))
        assert (await stored_flow(app, ALICE) or {}).get("step") == "priority"
        assert "What is the international filing date?" in said(await alice.send("1.2.2024"))
        await bob.send("/help")  # Bob's command ends his flow, not Alice's
        assert await stored_flow(app, BOB) is None
        assert (await stored_flow(app, ALICE) or {}).get("step") == "filing"
        assert "patent or a utility model" in said(await alice.send("1.2.2025"))


async def test_the_support_flow_ends_in_the_database_too(clock, tmp_path) -> None:
    """The message /support waits for is taken by an early group that stops the update
    (`ApplicationHandlerStop`): the flow it ends is deleted all the same, so a restart does not
    send the user's next text to the staff."""
    settings = staff_settings(tmp_path)
    async with bot_run(settings, clock, tmp_path) as app:
        user = Chat(app, ALICE, language_code="en")
        await user.send("/support")
        assert (await stored_flow(app, ALICE) or {}).get("name") == "support"
        assert "ticket #1" in said(await user.send("How do I pay?"))
        assert await stored_flow(app, ALICE) is None


async def test_a_flow_after_forget_is_stored_again(settings, clock, tmp_path) -> None:
    async with bot_run(settings, clock, tmp_path) as app:
        user = Chat(app, ALICE, language_code="en")
        await user.send("/forget")
        await user.press("Yes, delete everything")
        await user.send("/addcase")
        await user.send("A-1")
        assert (await stored_flow(app, ALICE) or {}).get("step") == "priority"


async def test_a_stored_flow_that_its_step_cannot_read_ends_with_an_apology(
    settings, clock, tmp_path
) -> None:
    """A flow written by an older version (here: the priority date in another form) makes its
    step fail on our side. Asking the user to try again would fail again: the flow ends, the
    apology says so, and the user's next text is read as a question."""
    from core.flows import Flows, dump
    from core.storage import Store

    async with bot_run(settings, clock, tmp_path) as app:
        await Chat(app, ALICE, language_code="en").send("/start")
    store = await Store.open(settings.db, clock=clock)  # between two runs, as an older pctby
    old = {"name": "addcase", "step": "filing", "ref": "OLD-1", "priority": "15/03/2024"}
    assert await Flows(store).save(ALICE, dump(old))
    await store.close()
    async with bot_run(settings, clock, tmp_path) as app:
        user = Chat(app, ALICE, language_code="en")
        text = said(await user.send("10.03.2025"))
        assert "so I stopped the step we were at" in text
        assert FLOW_KEY not in app.user_data[ALICE]
        assert await stored_flow(app, ALICE) is None
        answer = said(await user.send("What is the time limit for entering the national phase?"))
        assert "31 months" in answer and "Sorry" not in answer
        async with app.bot_data["pctby.services"].store.transaction() as tx:
            assert await tx.cases.all(ALICE) == []
