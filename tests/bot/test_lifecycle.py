"""A case's life in the chat: /record in three languages, buttons that act on their
own deadline only, the first alert of a late case, /case with statuses and warnings."""

from __future__ import annotations

import datetime as dt

import pytest

from bot.offline import Sent
from core.deadlines import EventKind
from tests.bot.helpers import dated, events_of, said

Z2 = "/addcase Z-2 15.03.2024 10.03.2025"  # entry due 15.10.2026: 47 days overdue on 01.12.2026


@dated
@pytest.mark.parametrize(
    ("lang", "words"),
    [
        ("en", ["entry", "translation", "examination", "grant-decision", "grant-fee", "annual-5"]),
        ("ru", ["вход", "перевод", "экспертиза", "решение", "пошлина за выдачу", "годовая 5"]),
        ("be", ["уваход", "пераклад", "экспертыза", "рашэнне", "пошліна за выдачу", "гадавая 5"]),
    ],
)
async def test_record_every_event_in_three_languages(app, chat, clock, lang, words) -> None:  # type: ignore[no-untyped-def]
    user = chat(lang)
    await user.send("/addcase A-1 15.03.2024 10.03.2025")
    for word in words:
        await user.send(f"/record a-1 {word} 01.11.2026")
    assert await events_of(app, user.user_id, "A-1") == [
        (EventKind.ENTRY_MADE, None),
        (EventKind.TRANSLATION_FILED, None),
        (EventKind.EXAMINATION_REQUESTED, None),
        (EventKind.GRANT_DECISION_RECEIVED, None),
        (EventKind.GRANT_FEE_PAID, None),
        (EventKind.ANNUITY_PAID, 5),
    ]
    again = said(await user.send(f"/record A-1 {words[0]} 02.11.2026"))
    assert {"en": "Already recorded", "ru": "уже записано", "be": "ужо запісана"}[lang] in again
    assert len(await events_of(app, user.user_id, "A-1")) == 6


@dated
async def test_record_without_a_date_is_today_and_bad_input_gets_one_sentence(
    app, chat, clock
) -> None:  # type: ignore[no-untyped-def]
    user = chat("en")
    await user.send("/addcase A-1 15.03.2024 10.03.2025")
    text = said(await user.send("/record A-1 translation"))
    assert "Recorded for A-1: translation furnished, on" in text
    assert "Unknown event “paid”" in said(await user.send("/record A-1 paid"))
    assert "is before the international filing date of the case" in said(
        await user.send("/record A-1 entry 01.01.2020")
    )
    assert "Use: /record REF EVENT [DATE]" in said(await user.send("/record A-1"))
    mallory = chat("en")
    assert "You have no case “A-1”" in said(await mallory.send("/record A-1 entry"))
    assert await events_of(app, user.user_id, "A-1") == [(EventKind.TRANSLATION_FILED, None)]


async def test_references_match_case_insensitively(chat) -> None:  # type: ignore[no-untyped-def]
    user = chat("en")
    await user.send("/addcase PCT/IB2024/050123 15.03.2024 10.03.2025")
    assert "Case PCT/IB2024/050123" in said(await user.send("/case pct/ib2024/050123"))
    assert "You already have a case" in said(
        await user.send("/addcase pct/IB2024/050123 15.03.2024 10.03.2025")
    )


async def test_the_case_card_lists_open_deadlines_with_status_and_warnings(chat, clock) -> None:  # type: ignore[no-untyped-def]
    clock.set(dt.date(2026, 12, 1))
    user = chat("en")
    await user.send(Z2)
    text = said(await user.send("/case Z-2"))
    assert "Entry into the national phase (47 days overdue)" in text
    assert "rights can be reinstated within 12 months (BY.16" in text
    assert "Translation, its second copy and verification" in text
    assert "Reinstatement after a missed entry" in text
    assert "cannot be extended or reinstated" in text  # the examination request, BY.08
    assert "Annual fee for year 3: 122.50 BYN" in text


async def test_a_button_acts_on_its_own_deadline_only(app, chat, clock) -> None:  # type: ignore[no-untyped-def]
    """Paid on the reinstatement alert closes the reinstatement only (docs/RULES.md §2): it once
    removed the entry, year 3 and translation too."""
    clock.set(dt.date(2026, 12, 1))
    user = chat("en")
    await user.send(Z2)
    card = [s for s in await user.send("/case Z-2") if s.buttons][-1]
    labels = card.labels
    assert any(label.startswith("What to do: Reinstatement") for label in labels)
    assert not any(label.startswith("Paid: Reinstatement") for label in labels)
    text = said(await user.press("What to do: Reinstatement", card))
    assert "within 12 months of the missed limit" in text
    assert "/record Z-2 entry DATE" in text
    assert await events_of(app, user.user_id, "Z-2") == []  # nothing recorded
    said(await user.press("Done: Translation", card))
    assert await events_of(app, user.user_id, "Z-2") == [(EventKind.TRANSLATION_FILED, None)]
    text = said(await user.send("/case Z-2"))
    assert "Entry into the national phase (47 days overdue)" in text  # still open
    assert "Annual fee for year 3" in text
    assert "Already recorded" in said(await user.press("Done: Translation", card))  # twice


@pytest.mark.parametrize("dispatching", [True])
async def test_the_first_alert_of_a_late_case_is_the_nearest_deadline(
    app, chat, alert_arrived, clock
) -> None:  # type: ignore[no-untyped-def]
    """Catch-up: each deadline whose earlier alerts passed gets one alert now, nearest first —
    the translation (14 days) before the reinstatement route (318 days)."""
    clock.set(dt.date(2026, 12, 1))
    user = chat("en")
    await user.send(Z2)
    alert: Sent = await alert_arrived()
    text = alert.plain
    assert text.index("Translation") < text.index("Reinstatement after a missed entry")
    assert "14 days left" in text and "318 days left" in text
    first, second = alert.labels[:2]
    assert first.startswith("Done: Translation")
    assert second.startswith("What to do: Reinstatement after a missed entry")


async def test_stopped_reminders_resume_from_the_case_card(app, chat, server, clock) -> None:  # type: ignore[no-untyped-def]
    user = chat("en")
    await user.send("/addcase A-1 15.03.2024 10.03.2025")
    store = app.bot_data["pctby.services"].store
    async with store.transaction() as tx:
        case = await tx.cases.by_ref(user.user_id, "A-1")
        assert case is not None
    await app.bot_data["pctby.services"].reminders.stop(user.user_id, case.id)
    card = [s for s in await user.send("/case A-1") if s.buttons][-1]
    assert "(reminders stopped)" in card.plain
    assert "Reminders for A-1 are on again." in said(await user.press("Resume reminders", card))
    async with store.transaction() as tx:
        resumed = await tx.cases.get(user.user_id, case.id)
        assert resumed is not None and not resumed.muted
        assert await tx.outbox.for_case(user.user_id, case.id)  # planned again
    card = [s for s in await user.send("/case A-1") if s.buttons][-1]
    assert not any("Resume" in label for label in card.labels)
