"""/entryform: the guided flow in the user's language, every question skippable, answers
remembered for the next form, the .docx sent as a document (read back as text)."""

from __future__ import annotations

from core.entryform import document_text
from tests.bot.test_conversations import said


def doc_of(replies):  # type: ignore[no-untyped-def]
    docs = [s.document for s in replies if s.document]
    assert len(docs) == 1, replies
    name, content = docs[0]
    return name, document_text(content)


async def test_entryform_flow_in_russian_fills_and_sends_the_form(chat) -> None:
    user = chat("ru")
    await user.send("/addcase PCT/EP2024/061234 15.03.2024 22.04.2024 patent")
    text = said(await user.send("/entryform PCT/EP2024/061234"))
    assert "Заявление о переходе на национальную фазу (приложение BY.II)" in text
    assert "Номер публикации" in text or "номер международной публикации" in text
    print(text)
