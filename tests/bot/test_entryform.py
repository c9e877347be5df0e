"""/entryform: the guided flow in the user's language, every question skippable, answers
remembered for the user's next form (and for nobody else), the .docx sent as a document."""

from __future__ import annotations

from core.entryform import document_text
from tests.bot.helpers import (
    AQUAPUR,
    after_the_basis,
    buttons_of,
    document,
    no_early_start,
    said,
    stored_answers,
)


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
    text = said(await user.send("31.10.2024"))
    assert "Кто заявитель?" in text and "через «;» или с новой строки" in text
    assert "Третья часть, «Germany», — не код страны по стандарту ВОИС ST.3" in said(
        await user.send("Aqua Clean GmbH\nHauptstraße 5, Berlin\nGermany")
    )
    text = said(await user.send("Aqua Clean GmbH\nHauptstraße 5, Berlin\nde\nip@aqua.example"))
    assert "Заявитель 1 добавлен: Aqua Clean GmbH." in text
    # one line, the parts separated by semicolons; the country left out is asked, not guessed
    text = said(await user.send("ОАО «Белводтех»; г. Минск, пр-т Победителей, 7; +375 17 2000000"))
    assert "ОАО «Белводтех»: какой код страны места жительства или места нахождения?" in text
    assert "добавлен" not in text
    assert "«Беларусь» — не код страны" in said(await user.send("Беларусь"))
    replies = await user.send("by")
    assert "Заявитель 2 добавлен: ОАО «Белводтех»." in said(replies)
    replies = await user.send(
        "ООО «Аквапур»; 220030, г. Минск, ул. Ленина, 1; BY; +375 17 123 45 67"
    )
    assert "Заявитель 3 добавлен: ООО «Аквапур»." in said(replies)
    text = said(await user.press("Готово", buttons_of(replies)))
    assert "Кто авторы?" in text
    text = said(await user.send("Петров Пётр Петрович"))
    assert "Петров Пётр Петрович: какой адрес?" in text
    replies = await user.send("220030, г. Минск, ул. Кирова, 10, кв. 4")
    assert "Автор 1 добавлен: Петров Пётр Петрович." in said(replies)
    replies = await user.press("Готово", buttons_of(replies))
    assert "Кто представитель?" in said(replies)
    replies = await user.send("Иванова Анна Сергеевна, рег. № 123")
    assert "патентный поверенный или общий представитель?" in said(replies)
    replies = await user.press("Патентный поверенный", buttons_of(replies))
    assert "Какой адрес для переписки" in said(replies)
    replies = await user.send("220012, г. Минск, ул. Академическая, 1, Ивановой А. С.")
    assert "начать рассмотрение на национальной фазе досрочно" in said(replies)
    assert "раньше даты международной подачи" in said(await user.send("1.1.2024"))
    replies = await user.send("1.12.2026")
    assert "На какой основе начать рассмотрение" in said(replies)
    assert "Описание:" in said(await user.press("Выбрать для каждой части", buttons_of(replies)))
    assert "Формула:" in said(await user.press("Как подано"))
    assert "Чертежи:" in said(await user.press("по ст. 19"))
    replies = await user.press("Чертежей нет")
    assert "Вносились ли изменения в части заявки" in said(replies)
    replies = await user.press("☐ Формула", buttons_of(replies))
    assert "☒ Формула" in buttons_of(replies).labels
    replies = await user.press("Готово", buttons_of(replies))
    assert "Какие документы прилагаются к заявлению?" in said(replies)
    assert "не целое число от 1 до 100000" in said(await user.send("Перевод; 0; 2"))
    replies = await user.send("Перевод описания, формулы и чертежей; 24; 2")
    assert "Документ 1 добавлен: Перевод описания, формулы и чертежей." in said(replies)
    replies = await user.send("Документ об уплате пошлины; 1")
    assert await stored_answers(app, user.user_id) is None  # nothing kept before the document
    name, caption, form = document(await user.press("Готово", buttons_of(replies)))

    assert name == "entry-request-PCT-EP2024-061234.docx"
    assert "Заявление о переходе на национальную фазу (приложение BY.II)" in caption
    assert "Пропущенные вопросы" not in caption  # none was skipped
    assert "на дополнительном листе" in caption
    assert "Номер международной заявки: PCT/EP2024/061234" in form
    assert "Дата подачи международной заявки: 22.04.2024" in form
    assert "WO 2024/223456 | Дата публикации международной заявки: 31.10.2024" in form
    assert "описании изобретения: Способ очистки сточных вод" in form
    assert "Aqua Clean GmbH" in form and "ip@aqua.example" in form
    assert "Заявитель 2: ОАО «Белводтех»" in form
    aquapur = form[form.index("Заявитель 3: ООО «Аквапур»") :]
    assert "220030, г. Минск, ул. Ленина, 1 | Код страны" in aquapur
    assert "ST.3 (если он установлен): BY" in aquapur
    assert "Номер телефона**: +375 17 123 45 67" in aquapur
    assert "Петров Пётр Петрович | 220030, г. Минск, ул. Кирова, 10, кв. 4" in form
    assert "☒ о более раннем начале" in form and "☒ с 01.12.2026" in form
    assert "☐ описания изобретения; | ☒ формулы изобретения; | ☐ чертежей" in form
    assert "Перевод описания, формулы и чертежей | 24 | 2" in form
    assert "Документ об уплате пошлины | 1 |" in form
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
    assert "Кто авторы?" in said(replies) and "В прошлый раз: Петров Пётр Петрович" in said(replies)
    replies = await user.press("Пропустить", buttons_of(replies))
    assert "В прошлый раз: Иванова Анна Сергеевна" in said(replies)
    replies = await user.press("Взять то же", buttons_of(replies))
    assert "Какой адрес для переписки" in said(replies)  # the role came with the representative
    replies = await user.press("Взять то же", buttons_of(replies))
    replies = await no_early_start(user, replies, "ru")
    replies = await user.press("Всё как подано", buttons_of(replies))
    _name, _caption, form = document(await after_the_basis(user, replies, "ru"))
    assert "Название заявляемой полезной модели" in form
    assert "Номер международной заявки: PCT/IB2025/050001" in form
    assert "Дата подачи международной заявки: 01.02.2025" in form
    assert "Номер публикации международной заявки: WO |" in form
    assert "Заявитель 2: ОАО «Белводтех»" in form
    assert "является: ☒ патентным поверенным" in form
    assert "чертежей: | ☒ первоначально поданных;" in form
    assert "☒ о более раннем начале" not in form and "Перевод описания" not in form

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


async def test_answers_are_remembered_only_once_the_document_is_made(
    app, chat, monkeypatch
) -> None:
    """A form whose document cannot be made (a failure on our side) remembers nothing and
    saves nothing to the case: the next form does not offer what went wrong."""
    from bot.handlers import entryform

    def broken(request: object) -> bytes:
        raise RuntimeError("the document could not be made")

    user = chat("en")
    await user.send("/addcase PCT/EP2024/061234 15.03.2024 22.04.2024 patent")
    await user.send("/entryform PCT/EP2024/061234")
    await user.send("Water filter")
    await user.send("WO 2024/223456")
    await user.send("31.10.2024")
    replies = await user.send(AQUAPUR)
    replies = await user.press("Done", buttons_of(replies))
    for _ in range(3):  # inventors, representative, address
        replies = await user.press("Skip", buttons_of(replies))
    replies = await no_early_start(user, replies)
    replies = await user.press("Everything as filed", buttons_of(replies))
    monkeypatch.setattr(entryform, "render", broken)
    replies = await after_the_basis(user, replies)
    assert not [s for s in replies if s.document]
    assert "Sorry" in said(replies)
    assert await stored_answers(app, user.user_id) is None
    async with app.bot_data["pctby.services"].store.transaction() as tx:
        case = await tx.cases.by_ref(user.user_id, "PCT/EP2024/061234")
    assert (case.title, case.wo_number) == ("", None)


async def test_control_characters_in_answers_are_left_out_of_the_document(app, chat) -> None:
    user = chat("be")
    await user.send("/addcase PCT/EP2024/061234 15.03.2024 22.04.2024 patent")
    await user.send("/entryform PCT/EP2024/061234")
    await user.send("Фільтр\x1b[0m\x01 для вады\ufffe")
    await user.press("Прапусціць")  # WO number
    replies = await user.press("Прапусціць")  # publication date
    replies = await user.send("ТАА\x07 «Аквапур»; Мінск\x00; BY")
    assert "Заяўнік 1 дададзены: ТАА «Аквапур»." in said(replies)
    replies = await user.press("Гатова", buttons_of(replies))
    for _ in range(3):
        replies = await user.press("Прапусціць", buttons_of(replies))
    replies = await no_early_start(user, replies, "be")
    replies = await user.press("Усё як пададзена", buttons_of(replies))
    _name, _caption, form = document(await after_the_basis(user, replies, "be"))
    assert "Фільтр[0m для вады" in form
    assert "ТАА «Аквапур»" in form and "Мінск | Код" in form


async def test_the_cli_accepts_what_the_chat_remembered(
    app, chat, settings, tmp_path, monkeypatch
) -> None:
    """The chat's answers, split into fields and complete, fill the CLI's form for the case
    (it used to reject them: "applicants[1].address is missing")."""
    import asyncio

    from pctby.cli import main

    user = chat("en")
    await user.send("/addcase PCT/EP2024/061234 15.03.2024 22.04.2024 patent")
    await user.send("/entryform PCT/EP2024/061234")
    await user.send("Water filter")
    await user.press("Skip")
    replies = await user.press("Skip")
    replies = await user.send(AQUAPUR)
    replies = await user.press("Done", buttons_of(replies))
    replies = await user.send("Petrov Piotr; Minsk; BY")
    replies = await user.press("Done", buttons_of(replies))
    for _ in range(2):  # representative, address
        replies = await user.press("Skip", buttons_of(replies))
    replies = await no_early_start(user, replies)
    replies = await user.press("Everything as filed", buttons_of(replies))
    document(await after_the_basis(user, replies))

    data = tmp_path / "data.toml"
    data.write_text('[basis]\ndescription = "original"\nclaims = "original"\n', encoding="utf-8")
    out = tmp_path / "cli.docx"
    args = ["entry-form", str(data), "--out", str(out), "--user", str(user.user_id)]
    args += ["--case", "PCT/EP2024/061234", "--lang", "en"]
    monkeypatch.setenv("PCTBY_DB", str(settings.db))
    assert await asyncio.to_thread(main, args) == 0
    form = document_text(out.read_bytes())
    assert "220030, г. Минск, ул. Ленина, 1 | Код страны" in form
    assert "Номер телефона**: +375 17 123 45 67" in form
    assert "Petrov Piotr | Minsk, BY" in form
