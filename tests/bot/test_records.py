"""A case record a person can correct, through the offline Bot API (docs/RULES.md §2,
"Recording and removing events"; "Natural person"): events checked by one rule, removed with
/unrecord or a card button, listed on every card; the natural person per case; /help with every
command; errors that name the wrong part; "What to do" only for an overdue entry."""

from __future__ import annotations

import datetime as dt

import pytest

from bot.offline import Sent
from core.deadlines import EventKind
from tests.bot.helpers import case_of, dated, events_of, said

E = EventKind
A1 = "/addcase A-1 15.03.2024 10.03.2025"  # entry due 15.10.2026


def card(replies: list[Sent]) -> Sent:
    return [s for s in replies if s.buttons][-1]


# -- 1. one rule for every event ------------------------------------------------------------


@dated
@pytest.mark.parametrize(
    ("lang", "typo", "fee", "granted"),
    [
        (
            "en",
            "The date October 1, 2062 is after today",
            "Cannot record “fee for grant paid”: “decision to grant received” is not recorded",
            "Cannot record “patent granted”: “national phase entered” is not recorded",
        ),
        (
            "ru",
            "Дата 1 октября 2062 г. позже сегодняшней",
            "Нельзя записать «пошлина за выдачу патента уплачена»: в деле не записано",
            "Нельзя записать «патент выдан»",
        ),
        (
            "be",
            "Дата 1 кастрычніка 2062 г. пазней за сённяшнюю",
            "Нельга запісаць «пошліна за выдачу патэнта заплачана»",
            "Нельга запісаць «патэнт выдадзены»",
        ),
    ],
)
async def test_impossible_events_are_refused_naming_what_is_wrong(
    app, chat, lang, typo, fee, granted
) -> None:  # type: ignore[no-untyped-def]
    """A typo of 2062 for 2026 would close the entry and silence its alerts."""
    user = chat(lang)
    await user.send(A1)
    assert typo in said(await user.send("/record A-1 entry 01.10.2062"))
    assert fee in said(await user.send("/record A-1 grant-fee 01.10.2026"))
    assert granted in said(await user.send("/record A-1 granted 01.10.2026"))
    assert await events_of(app, user.user_id, "A-1") == []


async def test_the_buttons_go_through_the_same_rule(app, chat, clock) -> None:  # type: ignore[no-untyped-def]
    clock.set(dt.date(2026, 9, 1))
    user = chat("en")
    replies = await user.send(A1)
    text = said(await user.press("Done: Request for substantive examination", card(replies)))
    assert "Cannot record “examination requested”: “national phase entered” is not" in text
    assert await events_of(app, user.user_id, "A-1") == []


@pytest.mark.parametrize(
    ("typed", "error"),
    [
        ("entry 45.10.2026", "The date “45.10.2026” does not exist"),
        ("entry 10.13.2026", "There is no month 13 in “10.13.2026”"),
        ("вход 45 октября 2026", "The date “45 октября 2026” does not exist"),
    ],
)
async def test_a_wrong_date_is_named_not_the_event(chat, typed, error) -> None:  # type: ignore[no-untyped-def]
    user = chat("en")
    await user.send(A1)
    text = said(await user.send(f"/record A-1 {typed}"))
    assert error in text
    assert "Unknown event" not in text


# -- 2. undo, and the events on every card --------------------------------------------------


async def test_unrecord_in_russian_reopens_what_the_event_closed(app, chat, clock) -> None:  # type: ignore[no-untyped-def]
    clock.set(dt.date(2026, 12, 1))
    user = chat("ru")
    await user.send(A1)
    await user.send("/record A-1 вход 01.10.2026")
    text = said(await user.send("/case A-1"))
    assert "Записанные события" in text
    assert "1 октября 2026 г. — переход на национальную фазу выполнен" in text
    assert "Вход в национальную фазу" not in text
    text = said(await user.send("/unrecord a-1 вход"))
    assert "Удалено из A-1: переход на национальную фазу выполнен, от 1 октября 2026 г." in text
    assert "Снова открыты:" in text and "просрочено на 47 дней" in text
    assert await events_of(app, user.user_id, "A-1") == []
    assert "У A-1 не записано «переход на национальную фазу выполнен»" in said(
        await user.send("/unrecord A-1 вход")
    )
    assert "Событий пока не записано" in said(await user.send("/case A-1"))
    assert "/unrecord НОМЕР СОБЫТИЕ [ДАТА]" in said(await user.send("/unrecord A-1"))


async def test_the_third_year_paid_with_the_national_fee_is_not_recorded_again(
    app, chat, clock
) -> None:  # type: ignore[no-untyped-def]
    """Summary, BY.12: a patent's 3rd year is paid with the national fee at entry — recording
    it again after the entry is refused with the reason, not stored as a second payment."""
    clock.set(dt.date(2026, 12, 1))
    user = chat("en")
    await user.send(A1)
    await user.send("/record A-1 entry 01.10.2026")
    text = said(await user.send("/record A-1 annual-3 01.10.2026"))
    assert "is paid with another fee" in text and "national fee at entry" in text
    assert await events_of(app, user.user_id, "A-1") == [(EventKind.ENTRY_MADE, None)]


async def test_a_card_button_removes_one_event_and_a_needed_one_is_kept(app, chat, clock) -> None:  # type: ignore[no-untyped-def]
    clock.set(dt.date(2027, 6, 1))
    user = chat("en")
    await user.send(A1)
    for line in ("entry 01.10.2026", "grant-decision 01.03.2027", "grant-fee 02.04.2027"):
        assert "Recorded for A-1" in said(await user.send(f"/record A-1 {line}"))
    replies = await user.send("/case A-1")
    text = said(replies)
    assert "April 2, 2027 — fee for grant paid" in text
    assert "March 1, 2027 — decision to grant received" in text
    menu = card(await user.press("Remove a recorded event…", card(replies)))
    assert menu.labels[0].startswith("✕ 02.04.2027 fee for grant paid")
    refused = said(await user.press("decision to grant", menu))
    assert "Remove “fee for grant paid” of April 2, 2027 first" in refused
    text = said(await user.press("fee for grant paid", menu))
    assert "Removed from A-1: fee for grant paid, of April 2, 2027." in text
    assert "Open again:" in text and "Fee for grant" in text
    again = said(await user.press("fee for grant paid", menu))  # a second tap
    assert "no longer recorded on A-1" in again
    assert await events_of(app, user.user_id, "A-1") == [
        (E.ENTRY_MADE, None),
        (E.GRANT_DECISION_RECEIVED, None),
    ]


async def test_what_to_do_is_offered_only_when_the_entry_is_overdue(chat, clock) -> None:  # type: ignore[no-untyped-def]
    clock.set(dt.date(2026, 9, 1))
    user = chat("en")
    labels = card(await user.send(A1)).labels
    assert not any(label.startswith("What to do") for label in labels)
    clock.set(dt.date(2026, 10, 16))
    labels = card(await user.send("/case A-1")).labels
    assert any(label.startswith("What to do: Reinstatement") for label in labels)


# -- 3. natural person per case -------------------------------------------------------------


@pytest.mark.parametrize(
    ("lang", "word", "said_so"),
    [
        ("en", "natural", "Applicant: a natural person"),
        ("ru", "физлицо", "Заявитель: физическое лицо"),
        ("ru", "физ. лицо", "Заявитель: физическое лицо"),
        ("be", "фізасоба", "Заяўнік: фізічная асоба"),
    ],
)
async def test_addcase_in_one_line_marks_a_natural_person(
    app, chat, clock, lang, word, said_so
) -> None:  # type: ignore[no-untyped-def]
    clock.set(dt.date(2026, 9, 1))
    user = chat(lang)
    text = said(await user.send(f"{A1} patent {word}"))
    assert said_so in text
    assert "30.63 BYN" in text.replace(",", ".")  # year 3: 122.50 × 0.25 (Summary, fn. 3)
    case = await case_of(app, user.user_id, "A-1")
    assert case is not None and case.natural_person


async def test_the_guided_addcase_asks_and_the_card_switches(app, chat, clock) -> None:  # type: ignore[no-untyped-def]
    clock.set(dt.date(2026, 9, 1))
    user = chat("en")
    await user.send("/addcase")
    await user.send("A-1")
    await user.send("15.03.2024")
    await user.send("10.03.2025")
    asked = said(await user.press("Patent for invention"))
    assert "Is the applicant a natural person (an individual, not a company)?" in asked
    replies = await user.press("Yes, a natural person")
    assert "Annual fee for year 3: 30.63 BYN" in said(replies)
    replies = await user.press("The applicant is not a natural person", card(replies))
    text = said(replies)
    assert "the amounts of the case are now without the reduction" in text
    assert "Annual fee for year 3: 122.50 BYN" in text
    case = await case_of(app, user.user_id, "A-1")
    assert case is not None and not case.natural_person
    text = said(await user.press("The applicant is a natural person (−75%)", card(replies)))
    assert "Annual fee for year 3: 30.63 BYN" in text


@pytest.mark.parametrize("dispatching", [True])
async def test_the_alerts_of_a_natural_persons_case_carry_the_reduced_amount(
    app, chat, clock, alert_arrived
) -> None:  # type: ignore[no-untyped-def]
    clock.set(dt.date(2026, 9, 1))  # 44 days before the entry: its 90-day alert is due
    user = chat("en")
    await user.send(f"{A1} natural")
    alert = said([await alert_arrived()])
    assert "Annual fee for year 3" in alert and "Amount: 30.63 BYN" in alert


async def test_the_chat_quote_for_a_natural_person_shows_the_total_without_it(chat) -> None:  # type: ignore[no-untyped-def]
    user = chat("en")
    text = said(await user.send("/fees patent 1 0 natural"))
    assert "Without the reduction for natural persons (if it does not apply to you):" in text
    await user.send("/fees")
    await user.press("Patent for invention")
    await user.send("1 0")
    await user.press("Yes")
    text = said(await user.press("Yes"))
    assert "Without the reduction for natural persons (if it does not apply to you):" in text


# -- 6. /help lists every command ---------------------------------------------------------------


async def test_help_lists_every_command_a_user_has(app, chat) -> None:  # type: ignore[no-untyped-def]
    from bot.desk import STAFF_COMMANDS
    from bot.handlers import CommandRouter

    routers = [h for group in app.handlers.values() for h in group if isinstance(h, CommandRouter)]
    commands = {name for router in routers for name in router.routes}
    users = commands - (set(STAFF_COMMANDS) - {"close"})
    assert {"record", "unrecord", "paid", "case", "timeline"} <= users
    for lang in ("en", "ru", "be"):
        text = said(await chat(lang).send("/help"))
        missing = [name for name in sorted(users | {"cancel"}) if f"/{name}" not in text]
        assert missing == [], lang


# -- 4. an import is told in one message --------------------------------------------------------

IMPORT = (
    "ref,kind,priority_date,filing_date,entry_date\n"
    + "".join(f"N-{n},patent,2024-03-15,2025-03-10,\n" for n in range(5))  # entry 15.10.2026
    + "OLD,patent,,2019-01-10,2021-06-01\n"  # years 4 to 8 due 10.01.2022 … 10.01.2026
)


async def due_now(app, clock) -> list[int]:  # type: ignore[no-untyped-def]
    from core.storage.models import to_epoch

    store = app.bot_data["pctby.services"].store
    async with store.transaction() as tx:
        return [row[0] for row in await tx.outbox.due_ids(to_epoch(clock.now()), 100)]


async def test_an_import_sends_one_summary_instead_of_an_alert_per_case(app, chat, clock) -> None:  # type: ignore[no-untyped-def]
    clock.set(dt.date(2026, 9, 1))
    user = chat("en")
    replies = await user.upload("cases.csv", IMPORT.encode(), caption="/import")
    summary = replies[-1]
    text = said([summary])
    assert "6 cases added" in text
    assert "deadlines are near or overdue:" in text
    assert "• N-0 — Entry into the national phase: October 15, 2026 (44 days left)" in text
    assert "• OLD — Request for substantive examination: January 10, 2022" in text
    assert "This message replaces the reminders for these deadlines now" in text
    assert "1 case has annual fees with no payment recorded:" in text
    assert "• OLD: years 4–8" in text
    # the alerts it replaces are not sent; the next ones come as usual (7 days before)
    assert await due_now(app, clock) == []
    clock.set(dt.date(2026, 10, 8))
    assert len(await due_now(app, clock)) == 5
    clock.set(dt.date(2026, 9, 1))
    text = said(await user.press("Record them all as paid", summary))
    assert "Recorded as paid, each on its due date:" in text and "OLD: years 4–8" in text
    assert (E.ANNUITY_PAID, 8) in await events_of(app, user.user_id, "OLD")
    assert "Nothing to record" in said(await user.press("Record them all as paid", summary))


async def test_an_added_case_with_years_passed_unpaid_says_so(app, chat, clock) -> None:  # type: ignore[no-untyped-def]
    clock.set(dt.date(2026, 9, 1))
    user = chat("ru")
    replies = await user.send("/addcase OLD 10.01.2019")
    text = said(replies)
    assert "Годовые пошлины за годы 4–8: срок истёк, а оплата не записана." in text
    saved = next(s for s in replies if "Записать все как уплаченные" in s.labels)
    text = said(await user.press("Записать все как уплаченные", saved))
    assert "OLD: годы 4–8" in text
    assert [y for _k, y in await events_of(app, user.user_id, "OLD")] == [4, 5, 6, 7, 8]


# -- 7. a bad import row lists every problem ------------------------------------------------


async def test_a_bad_import_row_lists_every_problem(app, chat, clock) -> None:  # type: ignore[no-untyped-def]
    clock.set(dt.date(2026, 12, 1))
    user = chat("en")
    assert "dates as 2024-03-15 or 15.03.2024" in said(await user.send("/import"))
    bad = (
        "ref,kind,filing_date,events\n"
        "X-1,design,2025-03-10,annuity_paid:2027-03-10\n"
        "X-2,patent,2025-03-10,entry_made:01.10.2062|grant_fee_paid:01.11.2026\n"
    )
    text = said(await user.upload("cases.csv", bad.encode()))
    assert "Nothing was imported: 2 rows have errors." in text
    assert "line 2: kind: 'design' is neither patent nor utility-model." in text
    assert (
        "– events: “annuity_paid:2027-03-10” does not say which year was paid: write it as "
        "annuity_paid:2027-03-10:YEAR" in text
    )
    assert "got year ?" not in text
    assert "line 3: In events, “entry_made:01.10.2062”: The date October 1, 2062 is after" in text
    assert "– In events, “grant_fee_paid:01.11.2026”: Cannot record “fee for grant paid”" in text
    assert await case_of(app, user.user_id, "X-2") is None
