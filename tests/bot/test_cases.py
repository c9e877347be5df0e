"""Cases: the /addcase flow, /cases, /case with "why this date?", /paid, /delete, /forget, and
isolation between users — checked in what the users read and in what the database holds."""

from __future__ import annotations

import datetime as dt

from core.deadlines import EventKind
from core.models import Kind
from core.storage import CaseInput
from tests.bot.helpers import cases_of, dated, firm, said


@dated
async def test_addcase_guided_flow_in_russian(app, chat) -> None:
    user = chat("ru")
    assert "Какой номер у дела?" in said(await user.send("/addcase"))
    assert "Номер дела — от 1 до 40 символов" in said(await user.send("my ref"))
    assert "Какая дата приоритета?" in said(await user.send("PCT/IB2024/050123"))
    assert "Какая дата международной подачи?" in said(await user.send("15 марта 2024"))
    assert "Это патент или полезная модель?" in said(await user.send("10.03.2025"))
    assert "Заявитель — физическое лицо (не организация)?" in said(
        await user.press("Полезная модель")
    )
    text = said(await user.press("Нет"))
    assert "Дело PCT/IB2024/050123 сохранено." in text
    assert "Вид: полезная модель" in text
    case, events = (await cases_of(app, user.user_id))["PCT/IB2024/050123"]
    assert case.kind.value == "utility-model"
    assert case.priority.isoformat() == "2024-03-15"
    assert case.filing.isoformat() == "2025-03-10"
    assert case.natural_person is False
    assert events == []


@dated
async def test_case_card_why_this_date_and_paid(app, chat) -> None:
    user = chat("en")
    await user.send("/addcase A-1 15.03.2024 10.03.2025 patent")
    text = said(await user.send("/case A-1"))
    assert "Case A-1" in text
    assert "Next payments" in text
    assert "Annual fee for year 3: 122.50 BYN" in text
    assert "Amounts of 2018: this schedule was superseded on January 1, 2019" in text
    text = said(await user.press("Why"))
    assert "Nominal date: October 15, 2026" in text
    assert "Rule: PCT Art. 22(3), 39(1)(b)" in text
    text = said(await user.send("/paid A-1 4"))
    assert "Recorded for A-1: annual fee for year 4 paid, on" in text
    _case, events = (await cases_of(app, user.user_id))["A-1"]
    assert [(e.kind, e.year) for e in events] == [(EventKind.ANNUITY_PAID, 4)]
    assert "An annual fee is due for years 3 to 20 here; got year 2." in said(
        await user.send("/paid A-1 2")
    )


@dated
async def test_cases_list_uses_plural_forms(chat) -> None:
    user = chat("ru")
    assert "У вас пока нет дел" in said(await user.send("/cases"))
    await user.send("/addcase X1 1.2.2024")
    assert "У вас 1 дело:" in said(await user.send("/cases"))
    await user.send("/addcase X2 1.2.2024")
    assert "У вас 2 дела:" in said(await user.send("/cases"))


@dated
async def test_duplicate_and_unknown_refs(chat) -> None:
    user = chat("be")
    await user.send("/addcase R-1 1.2.2024 1.2.2025")
    assert "У вас ужо ёсць справа «R-1»" in said(await user.send("/addcase R-1 1.2.2024"))
    assert "У вас няма справы «R-9»" in said(await user.send("/case R-9"))
    assert "У вас няма справы «&lt;b&gt;»" in (await user.send("/case <b>"))[0].text


@dated
async def test_delete_asks_first(app, chat) -> None:
    user = chat("en")
    await user.send("/addcase D-1 1.2.2024")
    assert "This cannot be undone" in said(await user.send("/delete D-1"))
    assert "Kept" in said(await user.press("No, keep it"))
    assert "D-1" in await cases_of(app, user.user_id)
    await user.send("/delete D-1")
    assert "Case D-1 deleted." in said(await user.press("Yes, delete"))
    assert await cases_of(app, user.user_id) == {}


@dated
async def test_forget_deletes_everything_after_confirmation(app, chat) -> None:
    user = chat("ru")
    await user.send("/addcase F-1 1.2.2024")
    await user.send("/forget")
    assert "Готово: все ваши данные удалены." in said(await user.press("Да, удалить всё"))
    assert await cases_of(app, user.user_id) == {}
    store = app.bot_data["pctby.services"].store
    async with store.transaction() as tx:
        assert await tx.users.get(user.user_id) is None


@dated
async def test_a_user_never_sees_or_changes_another_users_case(app, chat) -> None:
    alice, bob = chat("en"), chat("en")
    await alice.send("/addcase SECRET-1 1.2.2024 1.2.2025")
    card = alice.last_with_buttons()
    # Bob asks by ref, and replays Alice's buttons (same callback data, his own user id).
    assert "You have no case “SECRET-1”" in said(await bob.send("/case SECRET-1"))
    assert "You have no case" in said(await bob.send("/paid SECRET-1 4"))
    assert "You have no case" in said(await bob.send("/delete SECRET-1"))
    for label in ("Why", "Paid", "Delete"):
        replies = await bob.feed(bob.press_update(card, label))
        assert "SECRET-1" not in said(replies)
        assert "This case no longer exists" in said(replies)
    confirm = {
        "text": "Yes",
        "callback_data": card.buttons[-1]["callback_data"].replace("del", "delyes"),
    }
    card.keyboard = [[confirm]]
    await bob.feed(bob.press_update(card, "Yes"))
    _case, events = (await cases_of(app, alice.user_id))["SECRET-1"]
    assert events == []
    assert await cases_of(app, bob.user_id) == {}


async def test_many_cases_come_in_pages_own_then_the_teams(app, chat) -> None:
    """/cases with more than a page: 25 cases a page, the user's own first, then each team's
    under its heading (repeated where a team's cases go on over the page), buttons to the pages
    before and after; a page that no longer exists (cases deleted since) shows the last."""
    anna, boris, _vera = await firm(chat)
    reminders = app.bot_data["pctby.services"].reminders
    for i in range(20):
        await boris.send(f"/addcase T-{i:02} 15.03.2024 10.03.2025 patent")
        await boris.send(f"/team share T-{i:02}")
    for i in range(12):
        await reminders.add_case(
            boris.user_id, CaseInput(f"OWN-{i:02}", Kind.PATENT, dt.date(2025, 3, 10))
        )
    first = [r for r in await boris.send("/cases") if r.buttons][-1]
    text = first.plain
    assert "Cases 1–25 of 32" in text and "You have 12 cases:" in text
    assert "Sidorenko-IP (attorney): 20 cases:" in text
    assert [b["text"] for b in first.buttons][-1] == "Next ›"
    assert sum(b["text"].startswith("Sidorenko-IP · T-") for b in first.buttons) == 13
    (second,) = await boris.press("Next ›", first)
    assert "Cases 26–32 of 32" in second.plain
    # a double tap: Telegram refuses an edit that changes nothing (400 "message is not
    # modified"); the list already says it, so nothing more is sent
    assert await boris.press("Next ›", first) == []
    assert "Sidorenko-IP (attorney): 20 cases:" in second.plain  # its heading again
    assert "You have" not in second.plain
    assert [b["text"] for b in second.buttons] == [
        *(f"Sidorenko-IP · T-{i:02}" for i in range(13, 20)),
        "‹ Previous",
    ]
    for i in range(12):  # the own cases go: the second page is no more
        await boris.send(f"/delete OWN-{i:02}")
        await boris.press("Yes, delete")
    (last,) = await boris.press("Next ›", first)
    assert "Cases" not in last.plain.split("\n")[0]  # one page now: no page heading
    assert "Sidorenko-IP (attorney): 20 cases:" in last.plain
    assert not any(b["text"] in ("Next ›", "‹ Previous") for b in last.buttons)
    # the team's other members see the same cases, a page of them
    assert "Sidorenko-IP (owner): 20 cases:" in said(await anna.send("/cases"))
