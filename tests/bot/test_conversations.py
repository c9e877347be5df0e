"""Scripted conversations in ru, be and en through the offline Bot API: what each user reads."""

from __future__ import annotations

import asyncio

import pytest

from bot.app import Options, build_application, running
from bot.offline import OfflineBotApi
from tests.bot.helpers import dated, said
from tests.scripted import Chat

GREETING = {
    "ru": "Здравствуйте, Ann! Я помогаю с переходом",
    "be": "Вітаю, Ann! Я дапамагаю з пераходам",
    "en": "Hello, Ann! I help with entering the national phase",
}


@pytest.mark.parametrize("lang", ["ru", "be", "en"])
async def test_start_greets_in_the_telegram_language_with_the_main_menu(chat, lang) -> None:
    user: Chat = chat(lang, first_name="Ann")
    replies = await user.send("/start")
    assert GREETING[lang] in said(replies)
    assert len(replies[-1].buttons) == 8


async def test_unknown_telegram_language_falls_back_to_english(chat) -> None:
    assert GREETING["en"] in said(await chat("de", first_name="Ann").send("/start"))
    assert GREETING["en"] in said(await chat(None, first_name="Ann").send("/start"))


async def test_the_users_name_is_escaped(chat) -> None:
    replies = await chat("en", first_name="<b>Eve</b> & co").send("/start")
    assert "&lt;b&gt;Eve&lt;/b&gt; &amp; co" in replies[0].text


@pytest.mark.parametrize(
    ("lang", "expected"),
    [("ru", "Что я умею"), ("be", "Што я ўмею"), ("en", "What I can do")],
)
async def test_help(chat, lang, expected) -> None:
    replies = await chat(lang).send("/help")
    assert expected in said(replies)
    assert "/deadlines 15.03.2024 10.03.2025" in said(replies)


async def test_language_switch_by_argument_and_by_button(chat) -> None:
    user = chat("en")
    assert "Цяпер я размаўляю з вамі па-беларуску." in said(await user.send("/language be"))
    assert "Што я ўмею" in said(await user.send("/help"))
    await user.send("/language")
    assert "Теперь я говорю с вами по-русски." in said(await user.press("Русский"))
    assert "Что я умею" in said(await user.send("/help"))
    assert "«xx» среди них нет" in said(await user.send("/language xx"))


async def test_language_choice_survives_a_restart(app, chat, server) -> None:
    user = chat("en")
    await user.send("/language be")
    user.app.drop_user_data(user.user_id)  # as after a restart: only the database remembers
    assert "Што я ўмею" in said(await user.send("/help"))


async def stored_language(app, user_id):  # type: ignore[no-untyped-def]
    store = app.bot_data["pctby.services"].store
    async with store.transaction() as tx:
        user = await tx.users.get(user_id)
    return None if user is None else user.language


async def test_a_language_choice_is_written_once_and_again_after_forget(app, chat, server) -> None:
    user = chat("ru")
    await user.send("/start")
    assert await stored_language(app, user.user_id) == "ru"
    await user.send("/language be")
    assert await stored_language(app, user.user_id) == "be"
    await user.send("/forget")
    await user.press("Так, выдаліць усё")
    assert await stored_language(app, user.user_id) is None
    # The same language again: the database no longer has it, so it is written.
    assert "па-беларуску" in said(await user.send("/language be"))
    assert await stored_language(app, user.user_id) == "be"
    user.app.drop_user_data(user.user_id)
    assert "Што я ўмею" in said(await user.send("/help"))


# -- /fees ----------------------------------------------------------------------------------


@dated
async def test_fees_with_arguments_in_russian(chat) -> None:
    text = said(await chat("ru").send("/fees patent 2 15"))
    assert "Национальная пошлина: патент на изобретение" in text
    assert "Пошлина за подачу заявки: 122,50 BYN" in text
    isr = "есть отчёт о международном поиске или о МПЭ −50%"
    assert f"Пошлина за экспертизу: 294,00 BYN ({isr})" in text
    assert "Экспертиза 5 зависимых пунктов сверх 10 (5 × 49,00 BYN): 245,00 BYN" in text
    assert "Итого: 1 176,00 BYN" in text
    assert "по курсу НБРБ" in text and "USD" in text and "EUR" in text
    assert "Источник: WIPO PCT Applicant's Guide" in text


@dated
async def test_fees_currency_equivalents_are_computed_from_the_nbrb_rate(chat) -> None:
    text = said(await chat("en").send("/fees um 1 0"))
    assert "Total: 245.00 BYN" in text
    # 245 / 3.2672 = 74.99 USD; RUB per 100: 245 * 100 / 3.5587 = 6,884.54
    assert "≈ 74.99 USD" in text
    assert "≈ 6,884.54 RUB" in text


async def test_fees_guided_flow_in_belarusian(chat) -> None:
    user = chat("be")
    replies = await user.send("/fees")
    assert "Для чаго разлічыць пошліну?" in said(replies)
    assert "Колькі пунктаў формулы?" in said(await user.press("Патэнт"))
    assert "Заяўнік — фізічная асоба" in said(await user.send("1 12"))
    assert "справаздача аб міжнародным пошуку" in said(await user.press("Так"))
    text = said(await user.press("Так"))
    # natural person −75% everywhere; examination 588 × 0.5 × 0.25 = 73.50
    assert "Пошліна за экспертызу: 73,50 BYN" in text
    assert "фізічная асоба −75%" in text
    assert "пацвердзіце права на ільготу" in text


async def test_fees_flow_without_isr_and_a_bad_count_in_the_middle(chat) -> None:
    user = chat("en")
    await user.send("/fees")
    await user.press("Utility model")
    assert "A claim count must be a whole number from 0 to 1000; got 5000." in said(
        await user.send("1 5000")
    )
    assert "natural person" in said(await user.send("2 3"))
    await user.press("No")
    text = said(await user.press("No"))
    assert "Claim fee for 1 independent claim over 1: 122.50 BYN" in text
    assert "Total: 367.50 BYN" in text


@pytest.mark.parametrize(
    ("command", "expected"),
    [
        (
            "/fees patent 1 99999999",
            "Число пунктов формулы — целое от 0 до 1000; получено 99999999.",
        ),
        ("/fees patent 0 3", "В формуле должен быть хотя бы один независимый пункт."),
        ("/fees rocket 1 2", "Неизвестный вид «rocket»: укажите patent или utility-model."),
        ("/fees patent two 3", "получено two"),
        ("/fees patent 1 2 3 4", "Формат: /fees patent|um"),
    ],
)
async def test_fees_bad_input_gets_a_clear_sentence(chat, command, expected) -> None:
    assert expected in said(await chat("ru").send(command))


# -- /deadlines -----------------------------------------------------------------------------


@dated
@pytest.mark.parametrize(
    "priority",
    ["15.03.2024", "15.3.2024", "2024-03-15", "15 марта 2024", "15 сакавіка 2024", "15 March 2024"],
)
async def test_deadlines_accept_every_date_format(chat, priority) -> None:
    text = said(await chat("en").send(f"/deadlines {priority} 10.03.2025"))
    assert "priority March 15, 2024, international filing date March 10, 2025" in text
    # PCT Art. 22(3): priority + 31 months = 15 October 2026 (a Thursday)
    assert "October 15, 2026 — Entry into the national phase" in text
    assert "[PCT Art. 22(3), 39(1)(b)]" in text


@dated
async def test_deadlines_name_the_holiday_that_moved_a_date_in_the_users_language(chat) -> None:
    # priority 2022-06-07 + 31 months = 2025-01-07, Orthodox Christmas (a public holiday)
    text = said(await chat("be").send("/deadlines 7.6.2022 1.6.2023"))
    assert "7 студзеня 2025 г. — непрацоўны дзень (Нараджэнне Хрыстова" in text
    assert "таму апошні дзень — 8 студзеня 2025" in text


@dated
async def test_deadlines_guided_flow_without_priority(chat) -> None:
    user = chat("ru")
    assert "Какая дата приоритета?" in said(await user.send("/deadlines"))
    assert "Какая дата международной подачи?" in said(await user.press("Без приоритета"))
    text = said(await user.send("1 апреля 2024"))
    assert "Приоритет не заявлен" in text
    assert "1 ноября 2026 г." in text or "2 ноября 2026 г." in text


@pytest.mark.parametrize(
    ("command", "expected"),
    [
        (
            "/deadlines 31.02.2024 1.3.2024",
            "Даты «31.02.2024» не существует: последний день этого месяца — 29.02.2024.",
        ),
        ("/deadlines 15.13.2024", "нет месяца 13"),
        (
            "/deadlines 1.5.2024 1.4.2024",
            "Дата приоритета 2024-05-01 позже даты международной подачи 2024-04-01.",
        ),
        ("/deadlines banana", "«banana» — не дата."),
        (
            "/deadlines 1.1.2024 2.1.2024 3.1.2024",
            "Пришлите дату приоритета и дату международной подачи",
        ),
    ],
)
async def test_deadlines_bad_dates(chat, command, expected) -> None:
    assert expected in said(await chat("ru").send(command))


# -- robustness -----------------------------------------------------------------------------


async def test_any_text_gets_an_answer_and_is_escaped(chat) -> None:
    user = chat("en")
    for text in ["<script>alert(1)</script>", "a" * 10_000, "\u200b\u202e🙂", "&&&;<<<", "/"]:
        replies = await user.send(text)
        assert replies, text
        for r in replies:
            assert len(r.text) <= 4096
            assert "<script>" not in r.text


async def test_unknown_command_and_stale_buttons(chat) -> None:
    user = chat("en")
    assert "I do not know the command /frobnicate" in said(await user.send("/frobnicate now"))
    await user.send("/start")
    target = user.last_with_buttons()
    target.keyboard = [[{"text": "old", "callback_data": "v0:gone:x"}]]
    assert "This button has expired" in said(await user.press("old", target))


async def test_commands_are_matched_like_telegram_writes_them(chat) -> None:
    user = chat("en")
    assert "What I can do" in said(await user.send("/help@pctby_bot"))
    assert "What I can do" in said(await user.send("/HELP"))
    assert "I do not know the command /help@other_bot" in said(await user.send("/help@other_bot"))


async def test_a_command_abandons_a_flow(chat) -> None:
    user = chat("en")
    await user.send("/fees")
    await user.press("Patent")
    await user.send("/help")
    # not read as claim counts any more: goes to the FAQ
    assert "National fee" not in said(await user.send("1 12"))


async def test_injected_faults_do_not_kill_the_bot(chat, server, caplog) -> None:
    user = chat("en")
    server.fail("sendMessage", "403")
    assert await user.send("/help") == []  # blocked: nothing delivered, nothing raised
    server.fail("sendMessage", "429")
    assert await user.send("/help") == []  # Telegram asked for quiet: logged, no apology
    server.fail("sendMessage", "timeout")
    replies = await user.send("/help")
    # the time-out is reported and the apology goes through
    assert "Sorry, something went wrong on my side" in said(replies)
    assert "What I can do" in said(await user.send("/help"))


async def test_set_my_commands_in_each_language(app, server) -> None:
    assert set(server.commands) == {"ru", "be", "en", ""}
    ru = {c["command"]: c["description"] for c in server.commands["ru"]}
    be = {c["command"]: c["description"] for c in server.commands["be"]}
    assert ru["fees"] == "Расчёт национальной пошлины"
    assert be["deadlines"] == "Тэрміны нацыянальнай фазы"


async def test_the_command_menus_are_set_together(settings) -> None:
    """Start-up waits for one round trip to Telegram, not one per language."""

    class SlowServer(OfflineBotApi):
        in_flight = peak = 0

        async def set_my_commands(self, call):  # type: ignore[no-untyped-def]
            SlowServer.in_flight += 1
            SlowServer.peak = max(SlowServer.peak, SlowServer.in_flight)
            await asyncio.sleep(0.01)
            SlowServer.in_flight -= 1
            return await super().set_my_commands(call)

    request = SlowServer()
    app = build_application(settings, Options(rates=object(), open_store=False), request=request)
    async with running(app):
        assert set(request.commands) == {"ru", "be", "en", ""}
    assert SlowServer.peak == 4
