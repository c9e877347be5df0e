"""/reminders: the settings shown, changed by arguments, buttons and typed steps, validated, and
saved for the sender only (with the alerts replanned)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from tests.bot.helpers import dated, said


async def user_row(app, user_id):  # type: ignore[no-untyped-def]
    store = app.bot_data["pctby.services"].store
    async with store.transaction() as tx:
        return await tx.users.get(user_id)


async def test_defaults_and_arguments_in_english(app, chat) -> None:
    user = chat("en")
    text = said(await user.send("/reminders"))
    assert "Days before a deadline: 90, 30, 7, 1, 0" in text
    assert "Alert time: 10:00" in text
    assert "Time zone: Europe/Minsk" in text
    assert "Quiet hours: 22:00–08:00" in text
    text = said(await user.send("/reminders leads 60 14 14 3"))
    assert "Saved." in text and "Days before a deadline: 60, 14, 3" in text
    assert "Alert time: 09:30" in said(await user.send("/reminders time 9:30"))
    assert "Quiet hours: 23:00–07:00" in said(await user.send("/reminders quiet 23:00 07:00"))
    assert "Time zone: Europe/Warsaw" in said(await user.send("/reminders tz europe/warsaw"))
    row = await user_row(app, user.user_id)
    assert row.lead_days == (60, 14, 3)
    assert row.alert_time == dt.time(9, 30)
    assert row.tz == "Europe/Warsaw"
    assert "Quiet hours: none" in said(await user.send("/reminders quiet off"))
    text = said(await user.send("/reminders reset"))
    assert "Days before a deadline: 90, 30, 7, 1, 0" in text
    assert "Time zone: Europe/Minsk" in text
    assert (await user_row(app, user.user_id)).tz is None


async def test_bad_input_in_russian(app, chat) -> None:
    user = chat("ru")
    await user.send("/start")
    assert "не время суток" in said(await user.send("/reminders time 25:00"))
    assert "от 0 до 365" in said(await user.send("/reminders leads 90 5000"))
    assert "от 0 до 365" in said(await user.send("/reminders leads -1"))
    replies = await user.send("/reminders tz <b>Mars/Base</b>")
    assert "&lt;b&gt;Mars/Base&lt;/b&gt;" in replies[0].text
    assert "Не знаю часового пояса" in said(replies)
    assert "разное время" in said(await user.send("/reminders quiet 22:00 22:00"))
    assert "Не знаю настройки" in said(await user.send("/reminders colour"))
    row = await user_row(app, user.user_id)
    assert row is None or (row.lead_days is None and row.alert_time is None and row.tz is None)


async def test_buttons_and_typed_steps_in_belarusian(app, chat) -> None:
    user = chat("be")
    await user.send("/reminders")
    assert "Пачатку і канец" not in said(await user.press("Ціхія гадзіны"))
    assert "не час сутак" in said(await user.send("25:00 08:00"))
    assert "Ціхія гадзіны: 21:00–09:00" in said(await user.send("21:00 09:00"))
    await user.press("Дзён да")
    assert "Дзён да тэрміну: 30, 7" in said(await user.send("30, 7"))
    text = said(await user.press("Па змаўчанні"))
    assert "Дзён да тэрміну: 90, 30, 7, 1, 0" in text


async def test_menu_button_opens_reminders(chat) -> None:
    user = chat("en")
    await user.send("/start")
    text = said(await user.press("Reminders"))
    assert "Your reminder settings" in text
    assert "expired" not in text


async def planned_times(app, user_id):  # type: ignore[no-untyped-def]
    store = app.bot_data["pctby.services"].store
    async with store.transaction() as tx:
        rows = []
        for case in await tx.cases.all(user_id):
            rows += await tx.outbox.for_case(user_id, case.id)
    return [r.due_at for r in rows if r.state.value == "planned"]


@dated
async def test_settings_are_per_user_and_replan_alerts(app, chat, clock) -> None:
    ann, bob = chat("en"), chat("ru")
    filing = (clock.today() - dt.timedelta(days=30)).strftime("%d.%m.%Y")
    await ann.send(f"/addcase A-1 {filing}")
    await bob.send(f"/addcase B-1 {filing}")
    before = await planned_times(app, ann.user_id)
    assert [d.astimezone(ZoneInfo("Europe/Minsk")).time() for d in before] == [dt.time(10, 0)]
    await ann.send("/reminders time 09:15")
    await ann.send("/reminders tz Asia/Almaty")
    after = await planned_times(app, ann.user_id)
    assert [d.astimezone(ZoneInfo("Asia/Almaty")).time() for d in after] == [dt.time(9, 15)]
    # Bob's settings and alerts are untouched.
    assert "Время напоминаний: 10:00" in said(await bob.send("/reminders"))
    assert await planned_times(app, bob.user_id) == before
    bob_row = await user_row(app, bob.user_id)
    assert bob_row.alert_time is None and bob_row.tz is None


# -- quiet hours: an alert time inside them, and turning them off in every language -----------

QUIET = {  # what each language calls the quiet hours (off) and the warnings' key words
    "en": (
        "Quiet hours: none",
        "Alerts will come at {end}, not at {time}",
        "at {end} the next day, not at {time}",
    ),
    "ru": ("Тихие часы: нет", "в {end} вместо {time}", "на следующий день в {end} вместо {time}"),
    "be": ("Ціхія гадзіны: няма", "а {end} замест {time}", "назаўтра а {end} замест {time}"),
}
LOST = {
    "en": "one that would come after a deadline's last day is not sent",
    "ru": "после последнего дня срока, отправлено не будет",
    "be": "пасля апошняга дня тэрміну, адпраўлены не будзе",
}


@pytest.mark.parametrize("lang", ["ru", "be", "en"])
async def test_an_alert_time_inside_the_quiet_hours_is_warned_about(app, chat, lang) -> None:
    _off, same_day, next_day = QUIET[lang]
    user = chat(lang)
    # Before the end of the quiet hours (22:00–08:00): moved to 08:00 the same day.
    text = said(await user.send("/reminders time 07:30"))
    assert "⚠️" in text and same_day.format(end="08:00", time="07:30") in text
    # After their start: moved to 08:00 the next day, and the reader is told what that costs.
    text = said(await user.send("/reminders time 23:00"))
    assert next_day.format(end="08:00", time="23:00") in text
    assert LOST[lang] in text
    # The warning stays on the settings until the conflict is gone.
    assert "⚠️" in said(await user.send("/reminders"))
    assert "⚠️" not in said(await user.send("/reminders time 09:30"))
    # Quiet hours moved onto the alert time: warned too.
    text = said(await user.send("/reminders quiet 09:00 18:00"))
    assert same_day.format(end="18:00", time="09:30") in text


@dated
async def test_the_warning_says_what_the_planner_does(app, chat, clock) -> None:
    user = chat("en")
    filing = (clock.today() - dt.timedelta(days=30)).strftime("%d.%m.%Y")
    await user.send(f"/addcase A-1 {filing}")
    assert "at 08:00, not at 07:30" in said(await user.send("/reminders time 07:30"))
    planned = await planned_times(app, user.user_id)
    assert [d.astimezone(ZoneInfo("Europe/Minsk")).time() for d in planned] == [dt.time(8, 0)]


@pytest.mark.parametrize(
    ("lang", "word"),
    [
        ("en", "off"),
        ("ru", "выкл"),
        ("ru", "откл"),
        ("ru", "отключить"),
        ("be", "адключыць"),
        ("be", "выкл"),
        ("be", "няма"),
        ("be", "«Адключыць»"),
    ],
)
async def test_quiet_hours_off_in_each_language(app, chat, lang, word) -> None:
    user = chat(lang)
    assert QUIET[lang][0] in said(await user.send(f"/reminders quiet {word}"))
    row = await user_row(app, user.user_id)
    assert row.quiet_start == row.quiet_end


@pytest.mark.parametrize(
    ("lang", "shown"), [("en", "“off”"), ("ru", "«выкл»"), ("be", "«адключыць»")]
)
async def test_the_prompt_shows_a_word_for_off_that_works(app, chat, lang, shown) -> None:
    user = chat(lang)
    await user.send("/reminders")
    prompt = said(await user.press(3))  # Days before, Alert time, Time zone, Quiet hours
    assert shown in prompt
    assert QUIET[lang][0] in said(await user.send(shown.strip("“”«»")))


@pytest.mark.parametrize(
    ("lang", "example"),
    [
        ("en", "/reminders quiet off"),
        ("ru", "/reminders quiet выкл"),
        ("be", "/reminders quiet адключыць"),
    ],
)
async def test_the_errors_show_the_command_in_the_users_words(chat, lang, example) -> None:
    user = chat(lang)
    assert example in said(await user.send("/reminders quiet 22:00"))
    assert example in said(await user.send("/reminders quiet 22:00 22:00"))
