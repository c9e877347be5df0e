"""Alerts through the Telegram notifier: the text in the user's language, the buttons, and the
mapping of Telegram errors to the dispatcher's."""

from __future__ import annotations

import datetime as dt

import pytest

from bot.jobs.alerts import TelegramNotifier
from core.models import Kind
from core.reminders import Alert, AlertItem, Blocked, RetryAfter, TransientError
from tests.bot.helpers import alert_for, case_id_of, dated, said


async def real_alert(app, user_id: int, case_id: int, lang: str, today: dt.date) -> Alert:  # type: ignore[no-untyped-def]
    """An alert for the case's real open deadlines (as the planner would send)."""
    from core.deadlines import compute
    from core.storage import case_facts

    store = app.bot_data["pctby.services"].store
    async with store.transaction() as tx:
        case = await tx.cases.get(user_id, case_id)
        facts = case_facts(case, await tx.cases.events(user_id, case_id))
    items = tuple(
        AlertItem(
            code=d.code,
            date=d.date,
            nominal=d.nominal,
            basis=d.basis,
            conditional=d.conditional,
            year=d.year,
            amount=d.amount,
            late_amount=d.late_amount,
            days_left=(d.date - today).days,
            lead="7",
            last_day=d.date,
            moment=0,
        )
        for d in compute(facts)
    )
    return Alert(
        outbox_id=1,
        user_id=user_id,
        chat_id=user_id,
        language=lang,
        case_id=case_id,
        ref="A-1",
        title="",
        kind=Kind.PATENT,
        items=items,
    )


@dated
@pytest.mark.parametrize(
    ("lang", "due", "amount", "left", "paid"),
    [
        (
            "ru",
            "Годовая пошлина за 5-й год с опозданием (+50%)",
            "Сумма: 183,75 BYN (с доплатой 50%)",
            "осталось 7 дней",
            "Оплачено",
        ),
        (
            "be",
            "Гадавая пошліна (год 5) са спазненнем (+50%)",
            "Сума: 183,75 BYN (з даплатай 50%)",
            "засталося 7 дзён",
            "Аплачана",
        ),
        (
            "en",
            "Annual fee for year 5, late (+50%)",
            "Amount: 183.75 BYN (with a surcharge of 50%)",
            "7 days left",
            "Paid",
        ),
    ],
)
async def test_alert_text_and_buttons(
    app, chat, server, clock, lang, due, amount, left, paid
) -> None:
    user = chat(lang)
    await user.send("/addcase A-1 1.2.2020 1.2.2021")
    case_id = await case_id_of(app, user.user_id, "A-1")
    await TelegramNotifier(app.bot, clock).send(
        alert_for(user.user_id, case_id, lang, clock.today())
    )
    sent = server.sent[-1]
    text = sent.plain.replace("\u00a0", " ")
    assert "A-1" in text and due in text and amount in text and left in text
    cited = {"ru": "приложение BY.I", "be": "дадатак BY.I", "en": "Annex BY.I"}[lang]
    assert f"BY.12, {cited}" in text  # the rule, cited in the user's language
    assert "2018" in text and "https://ncip.by" in text  # the schedule's age (docs/RULES.md §3)
    assert sent.labels[0].startswith(paid + ": ")  # Paid on this alert's own deadline
    assert len(sent.labels) == 4


@dated
async def test_paid_and_stop_buttons_change_the_case(app, chat, server, clock) -> None:  # type: ignore[no-untyped-def]
    user = chat("en")
    await user.send("/addcase A-1 1.2.2020 1.2.2021")
    case_id = await case_id_of(app, user.user_id, "A-1")
    alert = await real_alert(app, user.user_id, case_id, "en", clock.today())
    await TelegramNotifier(app.bot, clock).send(alert)
    sent = server.sent[-1]
    assert "Recorded: Annual fee for year 3, paid on" in said(await user.press("Paid", sent))
    store = app.bot_data["pctby.services"].store
    async with store.transaction() as tx:
        events = await tx.cases.events(user.user_id, case_id)
        assert [(e.kind.value, e.year) for e in events] == [("annuity_paid", 3)]
    # a second tap on the same button records nothing more (not year 4)
    assert "Already recorded: Annual fee for year 3" in said(await user.press("Paid", sent))
    async with store.transaction() as tx:
        assert len(await tx.cases.events(user.user_id, case_id)) == 1
    assert "Reminders for this case are stopped" in said(await user.press("Stop", sent))
    async with store.transaction() as tx:
        case = await tx.cases.get(user.user_id, case_id)
        assert case is not None and case.muted
    # Someone else replaying the same buttons changes nothing.
    mallory = chat("en")
    assert "This case no longer exists" in said(await mallory.press("Paid", sent))


@pytest.mark.parametrize(
    ("fault", "error"), [("429", RetryAfter), ("403", Blocked), ("timeout", TransientError)]
)
async def test_telegram_errors_map_to_the_dispatchers(app, server, clock, fault, error) -> None:
    server.fail("sendMessage", fault)
    with pytest.raises(error):
        await TelegramNotifier(app.bot, clock).send(alert_for(777, 1, "en", clock.today()))


@dated
async def test_the_bot_plans_again_at_start_when_the_rules_changed(settings, clock) -> None:  # type: ignore[no-untyped-def]
    """A deploy with other rules: the bot replans every case by itself when it starts (in the
    background; `running` waits for it, so the test reads the result without polling)."""
    import sqlite3

    from bot.app import Options, build_application, running
    from bot.offline import OfflineBotApi
    from core.reminders import Reminders
    from core.reminders.replan_batches import FINGERPRINT_KEY, rules_fingerprint
    from core.storage import CaseInput, Store

    store = await Store.open(settings.db, clock=clock)
    filed = clock.today() - dt.timedelta(days=400)
    await Reminders(store).save_case(7, CaseInput("P-1", Kind.PATENT, filed))
    async with store.transaction() as tx:
        await tx.meta.set(FINGERPRINT_KEY, "older rules")
    await store.close()
    query = "SELECT due_at, payload FROM outbox WHERE state = 'planned'"
    with sqlite3.connect(settings.db) as conn:
        ((due, payload),) = conn.execute(query).fetchall()
        conn.execute("UPDATE outbox SET due_at = due_at + 86400 * 60")  # a stale moment

    app = build_application(
        settings, Options(rates=None, clock=clock, dispatch=False), request=OfflineBotApi()
    )
    async with running(app):
        services = app.bot_data["pctby.services"]
        with sqlite3.connect(settings.db) as conn:
            assert conn.execute(query).fetchall() == [(due, payload)]
        async with services.store.transaction() as tx:
            assert await tx.meta.get(FINGERPRINT_KEY) == rules_fingerprint()


@dated
@pytest.mark.parametrize("dispatching", [True])
async def test_the_dispatcher_runs_when_a_test_asks_for_it(app, chat, alert_arrived, clock) -> None:  # type: ignore[no-untyped-def]
    """With `dispatching`, an alert due on the test's date goes out by itself, dated by the
    frozen clock; without it (every other bot test) nothing arrives unasked."""

    user = chat("en")
    filed = clock.today() - dt.timedelta(days=900)  # the entry deadline is weeks away: due now
    await user.send(f"/addcase W-1 {filed:%d.%m.%Y} {filed:%d.%m.%Y}")
    alert = await alert_arrived()
    assert alert.chat_id == user.user_id and "W-1" in alert.plain
    assert "Entry into the national phase" in alert.plain and "days left" in alert.plain


@dated
async def test_no_alert_arrives_unless_the_test_asks(app, chat, server, clock) -> None:  # type: ignore[no-untyped-def]
    services = app.bot_data["pctby.services"]
    assert not services.dispatcher.running
    user = chat("en")
    filed = clock.today() - dt.timedelta(days=900)
    await user.send(f"/addcase W-1 {filed:%d.%m.%Y} {filed:%d.%m.%Y}")
    async with services.store.transaction() as tx:
        assert await tx.outbox.due_ids(int(clock.now().timestamp()) + 1, 10)  # one is due
    assert not any("⏰" in s.plain for s in server.sent)


async def test_the_long_running_bot_freezes_what_it_loaded_at_start(settings) -> None:  # type: ignore[no-untyped-def]
    import gc

    from bot.app import Options, build_application, running
    from bot.offline import OfflineBotApi

    gc.unfreeze()
    try:
        async with running(
            build_application(settings, Options(rates=None), request=OfflineBotApi())
        ):
            assert gc.get_freeze_count() == 0  # tests and the console build many: no freezing
        app = build_application(
            settings, Options(rates=None, freeze_gc=True), request=OfflineBotApi()
        )
        async with running(app):
            assert gc.get_freeze_count() > 1000  # modules, catalogs, holiday tables, schedules
    finally:
        gc.unfreeze()


@dated
async def test_paid_command_and_paid_button_date_a_payment_alike(app, chat, server, clock) -> None:  # type: ignore[no-untyped-def]
    """09:00 in Minsk is still yesterday in Los Angeles: /paid and the alert's Paid button both
    record the payment on the user's date (their zone), never one on each."""
    user = chat("en")
    await user.send("/reminders tz America/Los_Angeles")
    await user.send("/addcase A-1 1.2.2020 1.2.2021")
    case_id = await case_id_of(app, user.user_id, "A-1")
    await TelegramNotifier(app.bot, clock).send(
        await real_alert(app, user.user_id, case_id, "en", clock.today())
    )
    await user.press("Paid", server.sent[-1])  # the fee for year 3
    await user.send("/paid A-1 6")
    store = app.bot_data["pctby.services"].store
    async with store.transaction() as tx:
        events = await tx.cases.events(user.user_id, case_id)
    users_day = clock.today("America/Los_Angeles")
    assert users_day == clock.today() - dt.timedelta(days=1)
    assert [(e.year, e.date) for e in events] == [(3, users_day), (6, users_day)]
