"""Small wordings a native reader notices, in ru, be and en: claims counted in a quote ("4 пункта
сверх 10", not "сверх 10 × 4", which reads as "over 40"); the payment details with the recipient
and the bank in the reader's language beside the Annex's English, and no schedule-age warning
(they state no amount); a huge year or number of months answered about a year or months; rule
citations in the reader's language ("ст. 22(3) PCT")."""

from __future__ import annotations

import pytest

from core.i18n import translator
from tests.bot.helpers import cases_of, said

PATENT_2_15 = {
    # Summary; Annex BY.I: 1 independent claim over 1 (49), 5 dependent claims over 10 (5 × 49)
    "ru": [
        "За 1 независимый пункт формулы сверх 1: 49,00 BYN",
        "Экспертиза 1 независимого пункта сверх 1: 343,00 BYN",
        "Экспертиза 5 зависимых пунктов сверх 10 (5 × 49,00 BYN): 245,00 BYN",
    ],
    "be": [
        "За 1 незалежны пункт формулы звыш 1: 49,00 BYN",
        "Экспертыза 1 незалежнага пункта звыш 1: 343,00 BYN",
        "Экспертыза 5 залежных пунктаў звыш 10 (5 × 49,00 BYN): 245,00 BYN",
    ],
    "en": [
        "Claim fee for 1 independent claim over 1: 49.00 BYN",
        "Claim examination fee for 1 independent claim over 1: 343.00 BYN",
        "Claim examination fee for 5 dependent claims over 10 (5 × 49.00 BYN): 245.00 BYN",
    ],
}


@pytest.mark.parametrize("lang", ["ru", "be", "en"])
async def test_a_quote_counts_the_claims_over_the_free_ones(chat, lang: str) -> None:
    text = said(await chat(lang).send("/fees patent 2 15")).replace("\u00a0", " ")
    for line in PATENT_2_15[lang]:
        assert line in text
    assert "сверх 10 ×" not in text and "звыш 10 ×" not in text and "over 10 ×" not in text


@pytest.mark.parametrize(
    ("lang", "n", "expected"),
    [
        ("ru", 1, "За 1 зависимый пункт формулы сверх 10"),
        ("ru", 4, "За 4 зависимых пункта формулы сверх 10"),
        ("ru", 5, "За 5 зависимых пунктов формулы сверх 10"),
        ("ru", 21, "За 21 зависимый пункт формулы сверх 10"),
        ("be", 1, "За 1 залежны пункт формулы звыш 10"),
        ("be", 4, "За 4 залежныя пункты формулы звыш 10"),
        ("be", 5, "За 5 залежных пунктаў формулы звыш 10"),
        ("be", 22, "За 22 залежныя пункты формулы звыш 10"),
        ("en", 1, "Claim fee for 1 dependent claim over 10"),
        ("en", 4, "Claim fee for 4 dependent claims over 10"),
    ],
)
def test_claims_over_the_free_ones_agree_with_their_number(
    lang: str, n: int, expected: str
) -> None:
    t = translator(lang)
    assert (
        t.nfmt(
            "Claim fee for {n} dependent claim over 10",
            "Claim fee for {n} dependent claims over 10",
            n,
        )
        == expected
    )


PAYMENT = {
    "ru": (
        "Пошлины и оплата",
        "Как платить пошлины",
        "Получатель: государственное учреждение «Национальный центр интеллектуальной "
        "собственности» (англ. National Center of Intellectual Property (Belarus))",
        'Банк: ОАО «АСБ Беларусбанк», г. Минск (англ. JSC "SB Belarusbank", Minsk)',
    ),
    "be": (
        "Пошліны і аплата",
        "Як плаціць пошліны",
        "Атрымальнік: дзяржаўная ўстанова «Нацыянальны цэнтр інтэлектуальнай уласнасці» "
        "(англ. National Center of Intellectual Property (Belarus))",
        'Банк: ААТ «ААБ Беларусбанк», г. Мінск (англ. JSC "SB Belarusbank", Minsk)',
    ),
    "en": (
        "Fees and payment",
        "How to pay fees",
        "Beneficiary's name: National Center of Intellectual Property (Belarus)",
        'Name of bank: JSC "SB Belarusbank", Minsk',
    ),
}


@pytest.mark.parametrize("lang", ["ru", "be", "en"])
async def test_payment_details_in_the_readers_language_without_the_amounts_warning(
    chat, lang: str
) -> None:
    group, topic, recipient, bank = PAYMENT[lang]
    user = chat(lang)
    await user.send("/ask")
    await user.press(group)
    text = said(await user.press(topic))
    assert recipient in text and bank in text
    for account in ("BY04AKBB3603900000082", "BY84AKBB3603900000109", "BY03AKBB3603900000095"):
        assert account in text  # verbatim (Annex BY.I)
    assert "AKBBBY 2X" in text and "190310695" in text and "00040175" in text
    assert "2018" not in text and "ncip.by" not in text  # no amount, so no schedule's age
    # an answer with amounts still carries it
    await user.send("/ask")
    await user.press(group)
    assert "2018" in said(await user.press(PAYMENT_AMOUNTS[lang]))


PAYMENT_AMOUNTS = {"ru": "Пошлины: патент", "be": "Пошліны: патэнт", "en": "National fee: patent"}


@pytest.mark.parametrize(
    ("lang", "command", "expected"),
    [
        (
            "en",
            "/fees annual 99999999999999",
            "An annual fee is due for years 3 to 25 here; got year 99999999999999.",
        ),
        (
            "ru",
            "/fees annual 1234567",
            "Годовая пошлина здесь уплачивается за годы с 3 по 25; указан год 1234567.",
        ),
        (
            "be",
            "/fees annual um 9999999",
            "Гадавая пошліна тут плаціцца за гады з 1 па 10; пазначаны год 9999999.",
        ),
        (
            "en",
            "/fees extension 99999999999",
            "An extension runs from 1 to 12 months; got 99999999999.",
        ),
        ("ru", "/fees extension 500", "Продление — от 1 до 12 месяцев; получено 500."),
    ],
)
async def test_a_huge_year_or_number_of_months_is_answered_about_it(
    chat, lang: str, command: str, expected: str
) -> None:
    text = said(await chat(lang).send(command))
    assert expected in text
    assert "claim" not in text and "пункт" not in text


async def test_a_huge_year_typed_in_the_guided_flow(chat) -> None:
    user = chat("en")
    await user.send("/fees")
    await user.press("Other fees")
    await user.press("Annual (maintenance) fee")
    await user.press("Patent for invention")
    text = said(await user.send("123456789"))
    assert "An annual fee is due for years 3 to 25 here; got year 123456789." in text
    text = said(await user.send("7"))
    assert "Is the fee paid in time?" in text  # the flow goes on with a good year


@pytest.mark.parametrize(
    ("lang", "cited"),
    [
        ("ru", "[ст. 22(3), 39(1)(b) PCT]"),
        ("be", "[арт. 22(3), 39(1)(b) PCT]"),
        ("en", "[PCT Art. 22(3), 39(1)(b)]"),
    ],
)
async def test_rules_are_cited_in_the_readers_language(chat, lang: str, cited: str) -> None:
    text = said(await chat(lang).send("/deadlines 15.03.2024 10.03.2025"))
    assert cited in text
    assert "PCT Art." not in text or lang == "en"
    assert "Summary" not in text or lang == "en"


async def test_entry_is_recorded_with_the_belarusian_word_the_help_shows(app, chat) -> None:
    from core.deadlines import EventKind

    user = chat("be")
    await user.send("/addcase A-1 15.03.2024 10.03.2025")
    usage = said(await user.send("/record A-1 ніштозна"))
    assert "пераход" in usage and "уваход" not in usage  # the word the answer names works
    await user.send("/record A-1 пераход 01.10.2026")
    _case, events = (await cases_of(app, user.user_id))["A-1"]
    assert [e.kind for e in events] == [EventKind.ENTRY_MADE]
