"""The buttons under a case card: "why this date?" in one date style for every language
(dd.mm.yyyy: "Почему 15.10.2026?", never "Why 10/15/26?" or "Чаму 15.10.26?"), and one such
button per date — two deadlines on one day give one button, which explains both."""

from __future__ import annotations

import re

import pytest

from tests.bot.helpers import dated, said

# Priority 15 March 2024: the entry deadline (PCT Art. 22(3)) and the fee for the 3rd year
# (paid with the national fee, Summary; BY.12) both fall on Thursday 15 October 2026.
ADD = "/addcase A-1 15.03.2024 10.03.2025 patent"
WHY = {"ru": "Почему {date}?", "be": "Чаму {date}?", "en": "Why {date}?"}
ENTRY = {
    "ru": "Переход на национальную фазу",
    "be": "Пераход на нацыянальную фазу",
    "en": "Entry into the national phase",
}
YEAR_3 = {"ru": "Годовая пошлина за 3-й год", "be": "Гадавая пошліна (год 3)"}


@dated
@pytest.mark.parametrize("lang", ["ru", "be", "en"])
async def test_why_buttons_read_dd_mm_yyyy_once_per_date(chat, lang: str) -> None:
    user = chat(lang)
    await user.send(ADD)
    card = (await user.send("/case A-1"))[-1]
    prefix = WHY[lang].split("{")[0]
    whys = [label for label in card.labels if label.startswith(prefix)]
    assert whys[0] == WHY[lang].format(date="15.10.2026")
    dates = [label.removeprefix(prefix).rstrip("?") for label in whys]
    assert all(re.fullmatch(r"\d\d\.\d\d\.\d{4}", d) for d in dates), dates
    assert len(dates) == len(set(dates)), f"one button per date: {whys}"
    # every open deadline still has its own action button
    assert len(card.labels) - len(whys) >= len(whys) + 1


@dated
@pytest.mark.parametrize("lang", ["ru", "be", "en"])
async def test_one_why_explains_every_deadline_of_that_day(chat, lang: str) -> None:
    user = chat(lang)
    await user.send(ADD)
    card = (await user.send("/case A-1"))[-1]
    text = said(await user.press(WHY[lang].format(date="15.10.2026"), card))
    assert ENTRY[lang] in text
    assert YEAR_3.get(lang, "Annual fee for year 3") in text
    assert text.count("PCT Art. 22(3)") + text.count("ст. 22(3)") + text.count("арт. 22(3)") == 1
