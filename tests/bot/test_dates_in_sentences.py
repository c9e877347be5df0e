"""A long date in ru and be ends in "г." ("2 ноября 2026 г."); where a sentence ends with the
date, the reader sees one period, not "г.." — in the deadline list, /paid, and the alert buttons."""

from __future__ import annotations

import pytest

from bot.jobs.alerts import TelegramNotifier
from bot.render.html import no_double_period
from bot.render.i18n import translator
from tests.bot.helpers import alert_for, case_id_of, dated, said

# 1 February 2024 without priority: the translation period ends on Sunday 1 November 2026, so
# the last day is Monday 2 November 2026 (Civil Code art. 194).
MOVED = {
    "ru": "поэтому последний день — 2 ноября 2026 г.\n",
    "be": "таму апошні дзень — 2 лістапада 2026 г.\n",
    "en": "so the last day is November 2, 2026.\n",
}


def one_period(text: str) -> None:
    assert "г.." not in text
    assert ".." not in text.replace("…", "")


@dated
@pytest.mark.parametrize("lang", ["ru", "be", "en"])
async def test_a_moved_deadline_ends_its_sentence_with_one_period(chat, lang) -> None:
    no_priority = {"ru": "без приоритета", "be": "без прыярытэту", "en": "no priority"}[lang]
    text = said(await chat(lang).send(f"/deadlines 1.2.2024 {no_priority}"))
    assert MOVED[lang] in text + "\n"
    one_period(text)


@dated
@pytest.mark.parametrize(
    ("lang", "recorded"),
    [
        ("ru", "годовая пошлина за 4-й год уплачена, {date}"),
        ("be", "гадавая пошліна (год 4) заплачана, {date}"),
        ("en", "annual fee for year 4 paid, on {date}"),
    ],
)
async def test_paid_on_a_date_at_the_end_of_the_sentence(chat, clock, lang, recorded) -> None:
    user = chat(lang)
    await user.send("/addcase A-1 1.2.2024")
    text = said(await user.send("/paid A-1 4"))
    day = clock.today()  # the bot's today, in its time zone
    today = translator(lang).date(day).replace("\u202f", " ")
    assert recorded.format(date=today) + ("." if lang == "en" else "\n") in text + "\n"
    one_period(text)


@dated
@pytest.mark.parametrize("lang", ["ru", "be", "en"])
async def test_snooze_answer_has_one_period(app, chat, server, clock, lang) -> None:
    user = chat(lang)
    await user.send("/addcase A-1 1.2.2020 1.2.2021")
    case_id = await case_id_of(app, user.user_id, "A-1")
    alert = alert_for(user.user_id, case_id, lang, clock.today())
    await TelegramNotifier(app.bot, clock).send(alert)
    text = said(await user.press(1, server.sent[-1]))  # Snooze 1 day
    assert text.strip().endswith("." if lang == "en" else "г.")
    one_period(text)


def test_only_a_period_after_a_value_that_ends_with_one_is_dropped() -> None:
    template = "Paid on {date}. Next: {next}. Ref {ref}."
    params = {"date": "2 ноября 2026 г.", "next": "3 ноября 2026 г.", "ref": "A-1"}
    assert no_double_period(template, params).format(**params) == (
        "Paid on 2 ноября 2026 г. Next: 3 ноября 2026 г. Ref A-1."
    )
    assert no_double_period("{n}.", {"n": 5}) == "{n}."  # not a string: unchanged
    assert translator("ru").fmt("I will remind you again on {date}.", date="1 мая 2026 г.") == (
        "Напомню снова 1 мая 2026 г."
    )
