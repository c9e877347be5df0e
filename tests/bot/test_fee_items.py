"""/fees for every Annex BY.I item ("Other fees"), typed as people write it, with the schedule's
age on every quote."""

from __future__ import annotations

import pytest

from tests.bot.helpers import dated, said


async def test_other_fees_extension_takes_the_safe_reading(chat) -> None:
    user = chat("en")
    await user.send("/fees")
    assert "Which fee?" in said(await user.press("Other fees"))
    assert "For a patent or a utility model?" in said(await user.press("Extension of a time limit"))
    assert "By how many months?" in said(await user.press("Patent for invention"))
    assert "Send one whole number" in said(await user.send("four"))
    assert "An extension runs from 1 to 12 months; got 13." in said(await user.send("13"))
    assert "natural person" in said(await user.send("4"))
    text = said(await user.press("No"))
    # BY.15, Annex BY.I: 4 × 73.50 (whole extension at its band), the other reading beside it.
    assert "Extension by 4 to 6 months, per month (4 × 73.50 BYN): 294.00 BYN" in text
    assert "Total: 294.00 BYN" in text
    assert "The other reading (each month at its own band's rate): 147.00 BYN." in text
    assert "Amounts of 2018: this schedule was superseded on" in text
    assert "https://ncip.by" in text


async def test_other_fees_late_annual_fee_in_russian(chat) -> None:
    user = chat("ru")
    await user.send("/fees")
    await user.press("Другие пошлины")
    await user.press("Годовая пошлина (поддержание в силе)")
    await user.press("Патент на изобретение")
    assert "Пошлина уплачивается в срок?" in said(await user.send("7"))
    await user.press("С опозданием, в 6-месячный льготный срок (+50%)")
    text = said(await user.press("Нет"))
    assert "Итого: 367,50 BYN" in text  # 7th and 8th years 245 + 50% (Annex BY.I)
    assert "Суммы 2018 года" in text


async def test_year_3_has_no_late_question(chat) -> None:
    user = chat("en")
    await user.send("/fees")
    await user.press("Other fees")
    await user.press("Annual (maintenance) fee")
    await user.press("Patent for invention")
    # docs/RULES.md §2 (`annual_3`; Summary, BY.12): year 3 is paid with the national fee, no
    # late period — straight on.
    assert "natural person" in said(await user.send("3"))


async def test_renewal_is_for_utility_models_without_asking_the_kind(chat) -> None:
    user = chat("be")
    await user.send("/fees")
    await user.press("Іншыя пошліны")
    assert "фізічная асоба" in said(
        await user.press("Пошліна за падаўжэнне тэрміну дзеяння патэнта на карысную мадэль")
    )


@pytest.mark.parametrize(
    ("command", "expected"),
    [
        ("/fees grant", "Total: 245.00 BYN"),  # Annex BY.I: Fee for grant 245
        ("/fees extension 4", "Total: 294.00 BYN"),  # 4 × 73.50
        ("/fees reinstatement", "Total: 465.50 BYN"),  # PCT Rule 49.6
        ("/fees renewal", "Total: 465.50 BYN"),  # utility model renewal
        ("/fees annual 7 um", "Total: 245.00 BYN"),  # UM 7th and 8th years 245
        ("/fees патент 3 20", "Total: 1,813.00 BYN"),  # 122.50+98+294+686+490+122.50
        ("/fees полезная модель 1 0", "Total: 245.00 BYN"),
        ("/fees карысная мадэль 1 0 фізічная асоба", "Total: 61.25 BYN"),  # 245 × 0.25
        ("/fees patent 1 0 natural", "Total: 134.76 BYN"),  # 30.63 + 73.50 + 30.63 (−75%)
    ],
)
async def test_fees_typed_as_people_write_them(chat, command, expected) -> None:
    assert expected in said(await chat("en").send(command))


async def test_the_guided_flow_asks_again_for_two_numbers(chat) -> None:
    user = chat("en")
    await user.send("/fees")
    await user.press("Patent for invention")
    text = said(await user.send("3"))
    assert "Send two numbers" in text
    assert "natural person" in said(await user.send("3 20"))


@dated
async def test_faq_amounts_and_deadline_amounts_carry_the_schedules_age(chat) -> None:
    user = chat("en")
    text = said(await user.send("/ask how much is the fee for grant"))
    assert "245 BYN" in text
    assert "Amounts of 2018: this schedule was superseded on January 1, 2019" in text
    text = said(await user.send("/deadlines 15.03.2024 14.03.2025"))
    assert "Amount: 122.50 BYN" in text
    assert "Amounts of 2018" in text and "https://ncip.by" in text
    # an answer without amounts has no such line
    assert "Amounts of" not in said(await user.send("/ask can I appoint a patent attorney"))


# --- /deadlines with one date --------------------------------------------------------------


@dated
async def test_one_date_is_taken_as_the_priority_date_and_the_filing_date_asked(chat) -> None:
    user = chat("ru")
    text = said(await user.send("/deadlines 15.03.2024"))
    assert "Дата приоритета: 15 марта 2024 г. Какая дата международной подачи?" in text
    assert "Без приоритета" not in text  # nothing assumed
    text = said(await user.send("14.03.2025"))
    assert "приоритет 15 марта 2024 г., дата международной подачи 14 марта 2025 г." in text


@dated
async def test_one_date_said_to_be_the_filing_date(chat) -> None:
    user = chat("en")
    await user.send("/deadlines 15.03.2024")
    text = said(await user.press("It is the filing date; no priority claimed"))
    assert "No priority claimed: periods run from the international filing date." in text
    text = said(await chat("be").send("/deadlines 15.03.2024 без прыярытэту"))
    assert "Прыярытэт не заяўлены: тэрміны адлічваюцца ад даты міжнароднай падачы." in text


@pytest.mark.parametrize(
    ("lang", "text", "expected"),
    [
        ("ru", "Привет!", "Здравствуйте!"),
        ("en", "hello", "Hello!"),
        ("be", "Вітаю", "Вітаю!"),
        ("en", "👍", "Hello!"),
    ],
)
async def test_greetings_get_a_greeting_and_the_menu(chat, lang, text, expected) -> None:
    replies = await chat(lang).send(text)
    assert said(replies).startswith(expected)
    assert replies[-1].buttons  # the main menu


# --- the /ask topic menu fits a phone screen ---------------------------------------------


def test_every_faq_topic_is_in_exactly_one_small_group() -> None:
    from bot.handlers.faq import GROUPS, MAX_BUTTONS
    from core.faq import load_faq

    placed = [t for _g, _label, topics in GROUPS for t in topics]
    assert sorted(placed) == sorted(load_faq().topics)
    assert all(len(topics) <= MAX_BUTTONS - 1 for _g, _label, topics in GROUPS)  # + « Back
    assert len(GROUPS) <= MAX_BUTTONS


async def test_ask_menu_is_grouped_with_at_most_8_buttons_a_screen(chat) -> None:
    user = chat("ru")
    replies = await user.send("/ask")
    assert len(replies[-1].buttons) <= 8
    replies = await user.press("Пошлины и оплата")
    labels = [b["text"] for b in replies[-1].buttons]
    assert len(labels) <= 8 and "Как платить пошлины" in labels and labels[-1] == "« Назад"
    text = said(await user.press("Как платить пошлины"))
    # account labels in Russian, the numbers verbatim (Annex BY.I)
    assert "Белорусские рубли: BY04AKBB3603900000082" in text
    assert "Beneficiary" not in text
    replies = await user.send("/ask")
    await user.press("Пошлины и оплата")
    assert len((await user.press("« Назад"))[-1].buttons) == 4
