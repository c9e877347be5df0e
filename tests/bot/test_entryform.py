"""/entryform: the guided flow in the user's language, every question skippable, answers
remembered for the user's next form (and for nobody else), the .docx sent as a document."""

from __future__ import annotations

from bot.offline import Sent
from core.entryform import document_text
from tests.bot.test_conversations import said


def document(replies: list[Sent]) -> tuple[str, str, str]:
    """(file name, caption, the document's text) of the one document among the replies."""
    docs = [s for s in replies if s.document]
    assert len(docs) == 1, [s.plain for s in replies]
    assert docs[0].document is not None
    name, content = docs[0].document
    return name, docs[0].plain, document_text(content)


def buttons_of(replies: list[Sent]) -> Sent:
    """The reply with buttons (not an alert that a reminder may have sent meanwhile)."""
    return [s for s in replies if s.buttons and "⏰" not in s.plain][-1]


async def stored_answers(app, user_id):  # type: ignore[no-untyped-def]
    store = app.bot_data["pctby.services"].store
    async with store.transaction() as tx:
        return await tx.entryforms.get(user_id)


async def test_entryform_in_russian_then_the_next_form_reuses_the_answers(app, chat) -> None:
    user = chat("ru")
    await user.send("/addcase PCT/EP2024/061234 15.03.2024 22.04.2024 patent")
    text = said(await user.send("/entryform PCT/EP2024/061234"))
    assert "Заявление о переходе на национальную фазу (приложение BY.II)" in text
    assert "Международная заявка: PCT/EP2024/061234" in text
    assert "22.04.2024" in text
    assert "Как называется изобретение" in text
    assert "Какой номер международной публикации?" in said(
        await user.send("Способ очистки сточных вод")
    )
    assert "не номер международной публикации" in said(await user.send("W0 2024"))
    assert "Когда опубликована международная заявка?" in said(await user.send("WO2024/223456"))
    assert "раньше даты международной подачи" in said(await user.send("1.4.2024"))
    assert "Кто заявитель?" in said(await user.send("31.10.2024"))
    assert "не код страны по стандарту ВОИС ST.3" in said(
        await user.send("Aqua Clean GmbH\nHauptstraße 5, Berlin\nGermany")
    )
    text = said(await user.send("Aqua Clean GmbH\nHauptstraße 5, Berlin\nde\nip@aqua.example"))
    assert "Заявитель 1 добавлен: Aqua Clean GmbH." in text
    replies = await user.send("ОАО «Белводтех»\nг. Минск, пр-т Победителей, 7\nBY")
    assert "Заявитель 2 добавлен" in said(replies)
    assert "Кто авторы?" in said(await user.press("Готово", buttons_of(replies)))
    replies = await user.press("Пропустить")
    assert "Кто представитель?" in said(replies)
    replies = await user.send("Иванова Анна Сергеевна, рег. № 123")
    assert "патентный поверенный или общий представитель?" in said(replies)
    replies = await user.press("Патентный поверенный", buttons_of(replies))
    assert "Какой адрес для переписки" in said(replies)
    replies = await user.send("220012, г. Минск, ул. Академическая, 1, Ивановой А. С.")
    assert "На какой основе начать рассмотрение" in said(replies)
    assert "Описание:" in said(await user.press("Выбрать для каждой части", buttons_of(replies)))
    assert "Формула:" in said(await user.press("Как подано"))
    assert "Чертежи:" in said(await user.press("по ст. 19"))
    name, caption, form = document(await user.press("Чертежей нет"))

    assert name == "entry-request-PCT-EP2024-061234.docx"
    assert "Заявление о переходе на национальную фазу (приложение BY.II)" in caption
    assert "Пропущенные вопросы оставлены в бланке пустыми." in caption
    assert "на дополнительном листе" in caption
    assert "Номер международной заявки: PCT/EP2024/061234" in form
    assert "Дата подачи международной заявки: 22.04.2024" in form
    assert "WO 2024/223456 | Дата публикации международной заявки: 31.10.2024" in form
    assert "описании изобретения: Способ очистки сточных вод" in form
    assert "Aqua Clean GmbH" in form and "ip@aqua.example" in form
    assert "Заявитель 2: ОАО «Белводтех»" in form
    assert "является: ☒ патентным поверенным; ☐ общим представителем" in form
    claims = "формулы изобретения: | ☐ первоначально поданной; | ☒ измененной в соответствии"
    assert claims + " со статьей 19" in form
    assert "☒" not in next(line for line in form.splitlines() if line.startswith("чертежей:"))
    assert "Ивановой А. С." in form
    assert await stored_answers(app, user.user_id) is not None

    # The next form, for a utility model whose reference is not a PCT number.
    await user.send("/addcase UM-2 1.2.2024 1.2.2025 um")
    text = said(await user.send("/entryform UM-2"))
    assert "(приложение BY.III)" in text
    assert "Какой номер международной заявки?" in text
    assert "Как называется полезная модель" in said(await user.send("pct/ib2025/050001"))
    await user.press("Пропустить")  # title
    await user.press("Пропустить")  # WO number
    replies = await user.press("Пропустить")  # publication date
    assert "В прошлый раз: Aqua Clean GmbH; ОАО «Белводтех»" in said(replies)
    replies = await user.press("Взять то же", buttons_of(replies))
    assert "Кто авторы?" in said(replies) and "В прошлый раз" not in said(replies)
    replies = await user.press("Пропустить", buttons_of(replies))
    assert "В прошлый раз: Иванова Анна Сергеевна" in said(replies)
    replies = await user.press("Взять то же", buttons_of(replies))
    assert "Какой адрес для переписки" in said(replies)  # the role came with the representative
    replies = await user.press("Взять то же", buttons_of(replies))
    _name, _caption, form = document(await user.press("Всё как подано", buttons_of(replies)))
    assert "Название заявляемой полезной модели" in form
    assert "Номер международной заявки: PCT/IB2025/050001" in form
    assert "Дата подачи международной заявки: 01.02.2025" in form
    assert "Номер публикации международной заявки: WO |" in form
    assert "Заявитель 2: ОАО «Белводтех»" in form
    assert "является: ☒ патентным поверенным" in form
    assert "чертежей: | ☒ первоначально поданных;" in form

    await user.send("/forget")
    await user.press("Да, удалить всё")
    assert await stored_answers(app, user.user_id) is None


async def test_entryform_in_english_picks_a_case_and_keeps_answers_to_their_owner(
    app, chat
) -> None:
    ann, bob = chat("en"), chat("be")
    assert "You have no cases yet" in said(await ann.send("/entryform"))
    assert "You have no case “X-9”" in said(await ann.send("/entryform X-9"))
    await ann.send("/addcase A-1 15.03.2024 10.03.2025 patent")
    replies = await ann.send("/entryform")
    assert "Which case is the entry request for?" in said(replies)
    replies = await ann.press("A-1", buttons_of(replies))
    assert "What is the international application number?" in said(replies)
    assert "is not an international application number" in said(await ann.send("A-1"))
    await ann.send("PCT/IB2025/050123")
    await ann.send("A filter")
    await ann.press("Skip")
    await ann.press("Skip")
    added = await ann.send("Ann Secret Ltd\nLondon\nGB")
    assert "Applicant 1 added: Ann Secret Ltd." in said(added)
    # a command abandons the flow; a button of the abandoned flow has expired
    await ann.send("/help")
    assert "This button has expired" in said(await ann.press("Done", buttons_of(added)))
    assert await stored_answers(app, ann.user_id) is None  # nothing kept before the form is made

    await bob.send("/addcase B-1 15.03.2024 10.03.2025 patent")
    replies = await bob.send("/entryform B-1")
    assert "Заява аб пераходзе на нацыянальную фазу (дадатак BY.II)" in said(replies)
    assert "Ann Secret" not in said(replies)
