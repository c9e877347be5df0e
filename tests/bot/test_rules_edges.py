"""The rules at the edges in the chat (docs/RULES.md §1–§3), through the offline Bot API: a
utility model's years with the grant fee (BY.21), a late entry (BY.16), the warnings and the
money on the card and in alerts, extension of time (BY.15), the priority year on a weekend
(PCT Rule 80.5) and every event recordable with /record — each test naming its paragraph."""

from __future__ import annotations

import datetime as dt

import pytest

from bot.offline import Sent
from core.deadlines import EventKind
from core.models import Kind
from tests.bot.helpers import dated, events_of, said

E = EventKind


def card(replies: list[Sent]) -> Sent:
    return [s for s in replies if s.buttons][-1]


async def test_a_utility_models_years_go_with_the_grant_fee_on_the_card(chat, clock) -> None:  # type: ignore[no-untyped-def]
    """BY.21, BY.10: before a decision the card says which years the grant fee pays (no dates of
    their own); after the decision they are due on its date; once it is paid — on 29.12.2025,
    year 3 having begun 20.12.2025 — none of them is overdue and year 4 is next."""
    clock.set(dt.date(2025, 11, 1))
    user = chat("en")
    await user.send("/addcase UM-A 20.12.2023 um")
    await user.send("/record UM-A entry 10.07.2025")
    text = said(await user.send("/case UM-A"))
    assert "Years 1, 2, 3: with the fee for grant (BY.21), no date of their own" in text
    await user.send("/record UM-A grant-decision 25.10.2025")
    text = said(await user.send("/case UM-A"))
    assert "Annual fee for year 3 (with the fee for grant)" in text
    assert "December 29, 2025" in text
    clock.set(dt.date(2026, 1, 5))
    await user.send("/record UM-A grant-fee 29.12.2025")
    text = said(await user.send("/case UM-A"))
    assert "Annual fee for year 3" not in text and "overdue" not in text
    assert "Annual fee for year 4: 147.00 BYN; later, in the grace period: 220.50 BYN" in text


async def test_a_late_entry_keeps_the_reinstatement_route_until_it_is_requested(  # type: ignore[no-untyped-def]
    app, chat, clock
) -> None:
    """BY.16: after an entry made late, the card keeps the reinstatement route with its warning;
    its button says how to record the request; /record … reinstatement closes it."""
    clock.set(dt.date(2026, 11, 25))
    user = chat("en")
    await user.send("/addcase Z-2 15.03.2024 10.03.2025")
    await user.send("/record Z-2 entry 20.11.2026")
    replies = await user.send("/case Z-2")
    text = said(replies)
    assert "Entry into the national phase" not in text.split("Open deadlines")[1]
    assert "Reinstatement after a missed entry" in text
    assert "The entry was made after its time limit" in text and "(BY.16" in text
    route = said(await user.press("What to do: Reinstatement", card(replies)))
    assert "/record Z-2 reinstatement DATE" in route
    await user.send("/record Z-2 reinstatement 25.11.2026")
    assert "Reinstatement after a missed entry" not in said(await user.send("/case Z-2"))
    assert (E.REINSTATEMENT_REQUESTED, None) in await events_of(app, user.user_id, "Z-2")


async def test_year_3_has_no_grace_amount_and_warnings_are_said_once(chat, clock) -> None:  # type: ignore[no-untyped-def]
    """Summary, BY.12: year 3 goes with the national fee — no "later, in the grace period" for
    it; the BY.12 warning two deadlines of year 4 share is said once; BY.08 on the examination
    request."""
    clock.set(dt.date(2026, 11, 1))
    user = chat("en")
    await user.send("/addcase Z-2 15.03.2024 10.03.2025")
    text = said(await user.send("/case Z-2"))
    (year_3,) = [line for line in text.splitlines() if line.startswith("• Annual fee for year 3:")]
    assert "122.50 BYN" in year_3 and "grace" not in year_3
    assert "cannot be extended or reinstated" in text and "(BY.08)" in text
    clock.set(dt.date(2028, 4, 1))
    await user.send("/record Z-2 entry 01.10.2026")
    text = said(await user.send("/case Z-2"))
    assert text.count("needs a request for extension of time filed with it (BY.12)") == 1


@pytest.mark.parametrize("dispatching", [True])
async def test_an_alert_carries_the_cards_warning_and_money(chat, clock, alert_arrived) -> None:  # type: ignore[no-untyped-def]
    """BY.12, Annex BY.I: in grace, the alert says the late fee needs a request for extension
    and quotes the same +50% amount as the card, in one wording."""
    clock.set(dt.date(2028, 4, 1))
    user = chat("en")
    await user.send("/addcase Z-2 15.03.2024 10.03.2025")
    await user.send("/record Z-2 entry 01.10.2026")
    alert = await alert_arrived()
    text = alert.plain.replace("\u00a0", " ")
    assert "Annual fee for year 4, late (+50%)" in text
    assert "Amount: 183.75 BYN (with a surcharge of 50%)" in text
    assert "needs a request for extension of time filed with it (BY.12)" in text
    card_text = said(await user.send("/case Z-2"))
    assert "Amount: 183.75 BYN (with a surcharge of 50%)" in card_text


@pytest.mark.parametrize("dispatching", [True])
async def test_an_alert_says_which_old_years_have_no_payment_recorded(
    chat, clock, alert_arrived
) -> None:  # type: ignore[no-untyped-def]
    """docs/RULES.md §2: a year whose grace is over with no payment recorded is never silently
    assumed paid — the alert for the next year's fee says which years are not recorded and
    that the right may have lapsed (BY.17)."""
    clock.set(dt.date(2026, 11, 20))
    user = chat("en")
    # filed 10.01.2019, entered 2021: years 4–7 due 10.01.2022 … 10.01.2025, graces over
    await user.send("/addcase OLD-1 10.01.2019 10.01.2019")
    await user.send("/record OLD-1 entry 01.06.2021")
    alert = await alert_arrived()
    text = alert.plain.replace("\u00a0", " ")
    assert "No payment is recorded for the annual fees up to year" in text
    assert "(BY.17)" in text and "/case OLD-1" in text
    # a patent's 3rd year goes with the national fee: an overdue entry is not "unpaid years"
    from bot.jobs.alerts import alert_text
    from bot.render.i18n import translator
    from core.reminders.models import Alert

    def told(kind: Kind, through: int) -> bool:
        alert = Alert(
            outbox_id=1, user_id=1, chat_id=1, language="en", case_id=1, ref="R", title="",
            kind=kind, items=(), assumed_paid_through=through,
        )  # fmt: skip
        return "No payment is recorded" in alert_text(translator("en"), alert, clock.today())

    assert told(Kind.PATENT, 4) and not told(Kind.PATENT, 3) and told(Kind.UTILITY_MODEL, 3)


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        (
            "en",
            [
                "entry-incomplete",
                "national-fee",
                "claims-invitation",
                "claims-fee",
                "invitation",
                "extension-2",
                "response",
                "missed",
                "reinstatement",
                "art25-decision",
                "appeal",
                "term-extension",
            ],
        ),
        (
            "ru",
            [
                "неполный вход",
                "национальная пошлина",
                "приглашение к доплате",
                "доплата",
                "запрос",
                "продление 2",
                "ответ",
                "срок пропущен",
                "восстановление прав",
                "решение ст25",
                "возражение",
                "продление срока действия",
            ],
        ),
        (
            "be",
            [
                "няпоўны ўваход",
                "нацыянальная пошліна",
                "запрашэнне даплаціць",
                "даплата",
                "запыт",
                "падаўжэнне 2 месяцы",
                "адказ",
                "тэрмін прапушчаны",
                "аднаўленне правоў",
                "рашэнне арт25",
                "апеляцыя",
                "падаўжэнне тэрміну дзеяння",
            ],
        ),
    ],
)
async def test_every_event_the_engine_knows_is_recordable_in_three_languages(  # type: ignore[no-untyped-def]
    app, chat, clock, lang, words
) -> None:
    """docs/RULES.md §2: the events only the CSV knew — extension request (BY.15), reinstatement
    requested (BY.14, BY.16), the Art. 25 appeal (BY.18), the claims-fee invitation (BY.06),
    the term extension (BY.21) — are recorded with /record in English, Russian and Belarusian."""
    clock.set(dt.date(2027, 6, 1))
    user = chat(lang)
    await user.send("/addcase A-1 15.03.2024 10.03.2025")
    days = iter(
        [
            "01.10.2026",
            "01.12.2026",
            "11.01.2027",
            "01.02.2027",
            "11.02.2027",
            "01.03.2027",
            "20.04.2027",
            "01.05.2027",
            "10.05.2027",
            "12.05.2027",
            "20.05.2027",
            "01.06.2027",
        ]
    )
    for word in words:
        reply = said(await user.send(f"/record A-1 {word} {next(days)}"))
        assert "A-1" in reply and "/record" not in reply, (word, reply)
    assert await events_of(app, user.user_id, "A-1") == [
        (E.ENTRY_INCOMPLETE, None),
        (E.NATIONAL_FEE_PAID, None),
        (E.CLAIMS_INVITATION_RECEIVED, None),
        (E.CLAIMS_FEE_PAID, None),
        (E.EXTENSION_INVITATION_SENT, None),
        (E.EXTENSION_REQUESTED, 2),
        (E.RESPONSE_FILED, None),
        (E.TIME_LIMIT_MISSED, None),
        (E.REINSTATEMENT_REQUESTED, None),
        (E.ART25_DECISION_RECEIVED, None),
        (E.APPEAL_FILED, None),
        (E.EXTENDED_TERM, None),
    ]
    text = said(await user.send("/case A-1"))
    for closed in ("Missing claims fee", "Request for reinstatement", "Appeal to the Board"):
        assert closed not in text


async def test_an_extension_is_recorded_with_its_months_and_moves_the_response(chat, clock) -> None:  # type: ignore[no-untyped-def]
    """BY.15: `extension-4` for a patent opens the response, 4 months from the request, with the
    note that more than 3 months needs substantive examination; a utility model's is refused,
    in /record and in /fees alike."""
    clock.set(dt.date(2027, 3, 1))
    user = chat("en")
    await user.send("/addcase A-1 15.03.2024 10.03.2025")
    await user.send("/record A-1 entry 01.10.2026")  # the Office's invitation follows the entry
    await user.send("/record A-1 invitation 11.01.2027")
    reply = said(await user.send("/record A-1 extension 01.03.2027"))
    assert "Say for how many months the extension was requested" in reply
    reply = said(await user.send("/record A-1 extension-4 01.03.2027"))
    assert "extension of the time limit requested (4 months)" in reply
    text = said(await user.send("/case A-1"))
    assert "Response to the Office's invitation (extended time limit)" in text
    assert "July 1, 2027" in text  # 01.03.2027 + 4 months
    assert "possible only in a patent's substantive examination" in text and "(BY.15)" in text
    await user.send("/addcase UM-1 15.03.2024 10.03.2025 um")
    reply = said(await user.send("/record UM-1 extension-4 01.03.2027"))
    assert "at most 3 months (BY.15); got 4" in reply
    assert "at most 3 months (BY.15); got 12" in said(await user.send("/fees extension um 12"))


@dated
@pytest.mark.parametrize(
    ("filing", "restore"), [("17.03.2025", False), ("18.03.2025", True)], ids=["monday", "tuesday"]
)
async def test_the_priority_year_ending_on_a_weekend(chat, filing, restore) -> None:  # type: ignore[no-untyped-def]
    """docs/RULES.md §1, PCT Rule 80.5: 15.03.2025 was a Saturday — filed on Monday, no
    restoration of priority; filed on Tuesday, restoration, and the receiving Office's
    holidays are mentioned."""
    text = said(await chat("ru").send(f"/deadlines 15.03.2024 {filing}"))
    assert ("49ter.2" in text) is restore
    assert "нельзя продлить или восстановить" in text and "(BY.08)" in text  # as on the card
    assert "правило 80.5 PCT" in text
    if restore:
        assert "получающего ведомства" in text


async def test_a_late_annual_fee_quote_in_the_chat_names_the_request_for_extension(chat) -> None:  # type: ignore[no-untyped-def]
    """BY.12: "upon filing a request for extension of time together with a 50% surcharge" — the
    quote in the chat labels the surcharge and says the request is needed, as the CLI does."""
    user = chat("en")
    await user.send("/fees")
    await user.press("Other fees")
    await user.press("Annual (maintenance) fee")
    await user.press("Patent for invention")
    await user.send("7")
    await user.press("Late, in the 6-month grace period")
    text = said(await user.press("No"))
    assert "Annual fee for year 7 (late: +50%): 367.50 BYN" in text
    assert "needs a request for extension of time filed with it (BY.12)" in text
