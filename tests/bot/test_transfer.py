"""/export and /import: documents with the sender's cases only, a CSV read back, every bad row
reported with its line number and nothing written, limits on size and format."""

from __future__ import annotations

from bot.handlers import transfer
from tests.bot.helpers import dated, said

HEADER = (
    "telegram_user_id,ref,kind,priority_date,filing_date,entry_date,grant_decision_date,title\n"
)


async def refs(app, user_id):  # type: ignore[no-untyped-def]
    store = app.bot_data["pctby.services"].store
    async with store.transaction() as tx:
        return sorted(c.ref for c in await tx.cases.all(user_id))


@dated
async def test_export_with_no_cases_and_with_cases(chat) -> None:
    ann, bob = chat("en"), chat("ru")
    assert "You have no cases to export yet" in said(await ann.send("/export"))
    await ann.send("/addcase A-1 15.03.2024 10.03.2025 patent")
    await bob.send("/addcase B-SECRET 15.03.2024 10.03.2025")
    replies = await ann.send("/export")
    docs = {s.document[0]: s.document[1] for s in replies if s.document}
    assert set(docs) == {"pctby-deadlines.ics", "pctby-cases.csv"}
    assert b"BEGIN:VCALENDAR" in docs["pctby-deadlines.ics"]
    assert b"A-1" in docs["pctby-deadlines.ics"]
    table = docs["pctby-cases.csv"].decode()
    assert f"{ann.user_id},A-1,patent,2024-03-15,2025-03-10" in table
    assert "B-SECRET" not in table and b"B-SECRET" not in docs["pctby-deadlines.ics"]
    assert "Сроки ваших" not in said(replies)
    assert "Сроки по 1 делу в виде календаря (ICS)." in said(await bob.send("/export"))


@dated
async def test_import_after_command_in_russian_round_trip(app, chat) -> None:
    user = chat("ru")
    assert "Отправьте мне CSV-файл" in said(await user.send("/import"))
    assert "файлом (документом)" in said(await user.send("вот он"))
    content = (
        HEADER
        + f"{user.user_id},A-1,patent,2024-03-15,2025-03-10,,,Title\n"
        + ",U-2,utility-model,,2025-01-10,,,\n"
    ).encode()
    text = said(await user.upload("cases.csv", content))
    assert "Импорт завершён." in text
    assert "Добавлено 2 дела" in text and "Обновлено 0 дел" in text
    assert await refs(app, user.user_id) == ["A-1", "U-2"]
    # the export reads back as an update of the same cases
    replies = await user.send("/export")
    table = next(s.document[1] for s in replies if s.document and s.document[0].endswith(".csv"))
    text = said(await user.upload("back.csv", table, caption="/import"))
    assert "Обновлено 2 дела" in text and "Добавлено 0 дел" in text


@dated
async def test_bad_rows_are_rejected_in_belarusian_and_rows_of_others_taken_over(app, chat) -> None:  # type: ignore[no-untyped-def]
    """An import in the chat is for its user only: a row naming another user (a colleague's
    export) becomes the importer's case — never the other user's; dates as the chat reads them."""
    user, other = chat("be"), chat("en")
    content = (
        HEADER
        + f"{user.user_id},OK-1,patent,,2025-03-10,,,\n"
        + f"{other.user_id},THEIRS,patent,,2025-03-10,,,\n"
        + ",BAD,<b>x</b>,,2025-03-10,,,\n"
        + ",D,patent,,10.03.2025,,,\n"
    ).encode()
    replies = await user.upload("cases.csv", content, caption="/import")
    text = said(replies)
    assert "Нічога не імпартавана: у 1 радку памылка." in text
    assert "радок 4:" in text and "радок 2:" not in text and "радок 5:" not in text
    assert "&lt;b&gt;x&lt;/b&gt;" in replies[-1].text
    assert await refs(app, user.user_id) == []
    assert await refs(app, other.user_id) == []
    content = content.replace(b",BAD,<b>x</b>,", b",BAD,patent,")
    said(await user.upload("cases.csv", content, caption="/import"))
    assert sorted(await refs(app, user.user_id)) == ["BAD", "D", "OK-1", "THEIRS"]
    assert await refs(app, other.user_id) == []


async def test_file_checks(chat, monkeypatch) -> None:
    user = chat("en")
    text = said(await user.upload("cases.xlsx", b"PK\x03\x04", caption="/import"))
    assert "“cases.xlsx” is not a CSV file" in text
    text = said(await user.upload("cases.csv", b"\xff\xfe\x00r\x00e\x00f", caption="/import"))
    assert "could not read this file as CSV" in text
    monkeypatch.setattr(transfer, "MAX_IMPORT_BYTES", 100)
    text = said(await user.upload("cases.csv", HEADER.encode() * 3, caption="/import"))
    assert "The file is too large" in text
    assert "send /import first" in said(await user.upload("cases.csv", b"ref\n"))
    text = said(await user.upload("cases.csv", b"ref,colour\nA,red\n", caption="/import"))
    assert "line 1:" in text and "Nothing was imported: 2 rows have errors." in text


async def test_progress_on_a_large_file(app, chat, monkeypatch) -> None:
    user = chat("en")
    monkeypatch.setattr(transfer, "PROGRESS_LINES", 10)
    monkeypatch.setattr(transfer, "PROGRESS_EVERY", 0.0001)
    rows = "".join(f",R-{i},patent,,2025-03-10,,,\n" for i in range(3000))
    replies = await user.upload("big.csv", (HEADER + rows).encode(), caption="/import")
    text = said(replies)
    assert "Reading the file…" in text
    assert any(s.method == "editMessageText" for s in replies)
    assert "3000 cases added" in text
    assert len(await refs(app, user.user_id)) == 3000


async def test_a_large_export_has_no_calendar_and_comes_in_parts(app, chat, monkeypatch) -> None:
    monkeypatch.setattr(transfer, "ICS_MAX_CASES", 2)
    monkeypatch.setattr(transfer, "CSV_PART_CASES", 2)
    user = chat("en")
    for n in range(3):
        await user.send(f"/addcase P-{n} 15.03.2024 10.03.2025 patent")
    replies = await user.send("/export")
    assert "You have 3 cases: too many for one calendar file (up to 2 cases)" in said(replies)
    docs = {s.document[0]: s.document[1].decode() for s in replies if s.document}
    assert sorted(docs) == ["pctby-cases-1-of-2.csv", "pctby-cases-2-of-2.csv"]
    from core.importexport import COLUMNS

    assert all(text.startswith(",".join(COLUMNS) + "\n") for text in docs.values())
    assert "P-0" in docs["pctby-cases-1-of-2.csv"] and "P-1" in docs["pctby-cases-1-of-2.csv"]
    assert "P-2" in docs["pctby-cases-2-of-2.csv"]


async def test_caps_rows_per_import_and_cases_per_user(app, chat, monkeypatch) -> None:
    user = chat("en")
    rows = "".join(f",R-{n},patent,,2024-01-10,,,\n" for n in range(3))
    monkeypatch.setattr(transfer, "MAX_IMPORT_ROWS", 2)
    text = said(await user.upload("cases.csv", (HEADER + rows).encode(), caption="/import"))
    assert "Too many rows in one file: up to 2." in text
    monkeypatch.setattr(transfer, "MAX_IMPORT_ROWS", 100)
    monkeypatch.setattr(transfer, "MAX_CASES_PER_USER", 2)
    text = said(await user.upload("cases.csv", (HEADER + rows).encode(), caption="/import"))
    assert "This import would give you 3 cases; up to 2 cases per user." in text
    assert await refs(app, user.user_id) == []
