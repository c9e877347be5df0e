"""/entryform and the case: the title, the WO number and the publication
date typed in the form are saved to the case — shown on /case and /cases, in the CSV and the
alerts — and offered by the next form for that case; a different title replaces the case's
only when the user says so; /forget deletes them; another user never sees them."""

from __future__ import annotations

import datetime as dt
from typing import Any

from core.importexport import export_csv
from core.models import Kind
from core.storage import CaseInput
from tests.bot.helpers import (
    SKIP,
    after_the_basis,
    buttons_of,
    case_of,
    document,
    no_early_start,
    said,
    services,
)

PCT = "PCT/EP2024/061234"


AS_FILED = {"ru": "Всё как подано", "en": "Everything as filed"}


async def skip_to_the_end(user: Any, replies: Any, lang: str = "en") -> tuple[str, str, str]:
    """Applicants … correspondence address skipped, no early start, everything as filed, no
    part amended, no attachments: the document."""
    for _ in range(4):
        replies = await user.press(SKIP[lang], buttons_of(replies))
    replies = await no_early_start(user, replies, lang)
    replies = await user.press(AS_FILED[lang], buttons_of(replies))
    return document(await after_the_basis(user, replies, lang))


async def test_the_form_saves_title_and_publication_to_the_case_and_offers_them_next_time(
    app, chat
) -> None:
    user = chat("ru")
    await user.send(f"/addcase {PCT} 15.03.2024 22.04.2024 patent")
    text = said(await user.send(f"/entryform {PCT}"))
    assert "Как называется изобретение" in text and "В деле:" not in text
    await user.send("Способ  очистки сточных вод")
    await user.send("wo2024/223456")
    replies = await user.send("31.10.2024")
    assert "Кто заявитель?" in said(replies)
    _name, caption, form = await skip_to_the_end(user, replies, "ru")
    assert (
        f"Сохранено в деле {PCT}: название, номер международной публикации, дата публикации."
        in caption
    )
    assert "Способ очистки сточных вод" in form

    card = said(await user.send(f"/case {PCT}"))
    assert "Название: Способ очистки сточных вод" in card
    assert "Международная публикация: WO 2024/223456" in card
    assert "Дата международной публикации: 31 октября 2024" in card
    assert "Способ очистки сточных вод" in said(await user.send("/cases"))
    csv = await export_csv(services(app).reminders, user.user_id)
    assert csv.splitlines()[1].endswith(
        ",Способ очистки сточных вод,no,,WO 2024/223456,2024-10-31,,"
    )
    case = await case_of(app, user.user_id, PCT)
    async with services(app).store.transaction() as tx:
        plans = [r for r in await tx.outbox.for_case(user.user_id, case.id)]
    assert plans and all(r.payload["title"] == "Способ очистки сточных вод" for r in plans)

    # The next form for the case offers what it knows, one tap each; nothing asked afresh.
    replies = await user.send(f"/entryform {PCT}")
    assert "В деле: Способ очистки сточных вод" in said(replies)
    replies = await user.press("Взять то же", buttons_of(replies))
    assert "Какой номер международной публикации?" in said(replies)
    assert "В деле: WO 2024/223456" in said(replies)
    replies = await user.press("Взять то же", buttons_of(replies))
    assert "В деле: 31.10.2024" in said(replies)
    replies = await user.press("Взять то же", buttons_of(replies))
    assert "Кто заявитель?" in said(replies)
    _name, caption, form = await skip_to_the_end(user, replies, "ru")
    assert "Сохранено в деле" not in caption  # nothing new
    assert "WO 2024/223456 | Дата публикации международной заявки: 31.10.2024" in form

    # /forget: the case and what the form saved to it are gone
    await user.send("/forget")
    await user.press("Да, удалить всё")
    assert await case_of(app, user.user_id, PCT) is None
    async with services(app).store.transaction() as tx:
        assert await tx.cases.count(user.user_id) == 0


async def test_another_users_case_of_the_same_ref_offers_nothing(app, chat) -> None:
    ann, bob = chat("en"), chat("en")
    for user in (ann, bob):
        await user.send(f"/addcase {PCT} 15.03.2024 22.04.2024 patent")
    await ann.send(f"/entryform {PCT}")
    await ann.send("Ann's secret filter")
    await ann.send("WO 2024/223456")
    await skip_to_the_end(ann, await ann.send("31.10.2024"))
    replies = await bob.send(f"/entryform {PCT}")
    assert "On the case" not in said(replies) and "secret" not in said(replies)
    await bob.press("Skip", buttons_of(replies))  # title
    replies = await bob.send("/case " + PCT)
    assert "WO 2024" not in said(replies) and "secret" not in said(replies)
    bobs = await case_of(app, bob.user_id, PCT)
    assert (bobs.title, bobs.wo_number, bobs.publication_date) == ("", None, None)


async def test_a_different_title_replaces_the_cases_only_when_the_user_says_so(app, chat) -> None:
    user = chat("en")
    reminders = services(app).reminders
    await reminders.save_case(
        user.user_id, CaseInput("A-1", Kind.PATENT, dt.date(2025, 3, 10), title="Widget")
    )
    await user.send("/entryform A-1")
    replies = await user.send("PCT/IB2025/050123")
    assert "On the case: Widget" in said(replies)
    replies = await user.send("Water  filter")
    assert "Case A-1 has the title “Widget”. Put the title you typed on the case instead?" in (
        said(replies)
    )
    replies = await user.press("No, this form only", buttons_of(replies))
    assert "What is the international publication number?" in said(replies)
    replies = await user.press("Skip", buttons_of(replies))
    replies = await user.press("Skip", buttons_of(replies))
    _name, caption, form = await skip_to_the_end(user, replies)
    assert "Water filter" in form and "Saved to case" not in caption
    assert (await case_of(app, user.user_id, "A-1")).title == "Widget"

    await user.send("/entryform A-1")
    await user.send("PCT/IB2025/050123")
    replies = await user.send("Water filter")
    replies = await user.press("Yes, replace the case's title", buttons_of(replies))
    assert "What is the international publication number?" in said(replies)
    replies = await user.send("WO 2025/000777")
    assert "On the case" not in said(replies)
    _name, caption, _form = await skip_to_the_end(user, await user.press("Skip"))
    assert "Saved to case A-1: the title, the WO number." in caption
    assert "Title: Water filter" in said(await user.send("/case A-1"))


async def test_a_title_too_long_for_the_case_is_refused_in_one_sentence(app, chat) -> None:
    user = chat("be")
    await user.send("/addcase B-1 15.03.2024 10.03.2025 patent")
    await user.send("/entryform B-1")
    await user.send("PCT/IB2025/050123")
    replies = await user.send("Назва " * 100)
    assert said(replies).count(".") >= 1 and "500" in said(replies)
    assert (await case_of(app, user.user_id, "B-1")).title == ""
