"""Messages split where Telegram forces them (4096 characters): between items, never inside
one — /cases with 30 cases cuts between two cases — numbered "1/2", "2/2", each part valid HTML
(`bot.render.text.split_message`, used by every answer)."""

from __future__ import annotations

import datetime as dt
import re

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.render.html import Markup, bold, check, italic, join, render
from bot.render.text import MAX_MESSAGE, split_message
from core.models import Kind
from core.storage import CaseInput

COUNTER = re.compile(r"\n\n(\d+)/(\d+)$")


def parts_of(text: str) -> list[str]:
    parts = split_message(Markup(text))
    for part in parts:
        assert len(part) <= MAX_MESSAGE
        check(part)  # what Telegram would refuse with 400
    return parts


def numbers(parts: list[str]) -> list[tuple[int, int]]:
    found = [COUNTER.search(p) for p in parts]
    assert all(found), parts
    return [(int(m[1]), int(m[2])) for m in found if m]


def a_case(i: int) -> str:
    head = render(Markup("• <b>{ref}</b> — {kind}"), ref=f"REF-{i:03}", kind="patent for invention")
    title = italic(f"Title of the invention number {i}, " + "a long one " * 8)
    return join([head, "   " + title, f"   October 15, 2026 — Entry (case {i})", "      Amount"])


def test_a_short_answer_is_one_message_without_a_counter() -> None:
    assert split_message(Markup("<b>Hello</b>\n\nworld")) == ["<b>Hello</b>\n\nworld"]


def test_a_long_list_is_cut_between_its_items_and_numbered() -> None:
    cases = [a_case(i) for i in range(40)]
    text = join([bold("You have 40 cases:"), "", *cases])
    parts = parts_of(text)
    assert len(parts) >= 2
    assert numbers(parts) == [(i, len(parts)) for i in range(1, len(parts) + 1)]
    for i, case in enumerate(cases):
        holders = [p for p in parts if f"REF-{i:03}" in p]
        assert len(holders) == 1 and case in holders[0], f"case {i} was cut"
    assert parts[0].startswith("<b>You have 40 cases:</b>")


def test_a_heading_goes_on_with_its_paragraph() -> None:
    first = "\n".join(f"line {i:02} " + "x" * 60 for i in range(58))  # 3943 characters
    text = first + "\n\n<b>Next payments</b>\n• year 4 " + "y" * 80 + "\n• year 5"
    parts = parts_of(text)
    assert len(parts) == 2
    assert "Next payments" not in parts[0]
    assert parts[1].startswith("<b>Next payments</b>\n• year 4")


def test_an_item_longer_than_a_message_is_still_cut_into_valid_parts() -> None:
    text = "<b>" + "word &amp; " * 2000 + "</b>"
    parts = parts_of(text)
    assert len(parts) >= 5
    assert all(p.startswith("<b>") for p in parts)
    assert numbers(parts)[-1] == (len(parts), len(parts))


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.text(alphabet="ab <&>é\u202f", min_size=0, max_size=300),
            st.integers(min_value=0, max_value=3),
            st.booleans(),
        ),
        max_size=80,
    )
)
def test_any_list_splits_into_valid_numbered_parts(items: list[tuple[str, int, bool]]) -> None:
    blocks = []
    for text, under, blank in items:
        lines = [bold(text or "x"), *(("   " + italic(text)) for _ in range(under))]
        blocks.append(("\n" if blank else "") + join(lines))
    whole = join(blocks)
    parts = parts_of(whole)
    if len(parts) > 1:
        assert numbers(parts) == [(i, len(parts)) for i in range(1, len(parts) + 1)]


async def test_cases_with_30_cases_split_at_a_case_boundary(app, chat) -> None:
    """30 cases with long titles: the first page (25 cases) is longer than one message, so it
    is cut between two cases and numbered; the second page comes by its button."""
    user = chat("ru")
    await user.send("/start")
    reminders = app.bot_data["pctby.services"].reminders
    refs = [f"PCT/IB2024/0501{i:02}" for i in range(30)]
    for i, ref in enumerate(refs):
        title = f"Способ и устройство для обработки сигналов, вариант {i} " + "— длинное " * 6
        data = CaseInput(
            ref=ref,
            kind=Kind.PATENT,
            filing=dt.date(2025, 3, 10),
            priority=dt.date(2024, 3, 15),
            title=title,
        )
        await reminders.add_case(user.user_id, data)
    replies = [r for r in await user.send("/cases") if r.method == "sendMessage"]
    assert len(replies) >= 2
    texts = [r.text for r in replies]
    assert numbers(texts) == [(i, len(texts)) for i in range(1, len(texts) + 1)]
    assert "Дела 1–25 из 30" in replies[0].plain and "У вас 30 дел:" in replies[0].plain
    for i, ref in enumerate(refs[:25]):
        holders = [r.plain for r in replies if ref in r.plain]
        assert len(holders) == 1, ref
        block = holders[0].split(ref, 1)[1]
        assert f"вариант {i} " in block.split("•", 1)[0], f"{ref} cut from its title"
        assert "Переход на национальную фазу" in block.split("•", 1)[0] or (
            "Годовая пошлина" in block.split("•", 1)[0]
        ), f"{ref} cut from its next deadline"
    assert not any(ref in r.plain for r in replies for ref in refs[25:])
    assert not any(r.buttons for r in replies[:-1])
    labels = [b["text"] for b in replies[-1].buttons]
    assert labels == [*refs[:25], "Следующие ›"]
    (second,) = await user.press("Следующие ›")
    assert second.method == "editMessageText"
    assert "Дела 26–30 из 30" in second.plain
    assert [ref for ref in refs if ref in second.plain] == refs[25:]
    assert [b["text"] for b in second.buttons] == [*refs[25:], "‹ Предыдущие"]
    again = [r for r in await user.press("‹ Предыдущие") if r.method == "sendMessage"]
    # the first page is too long to take the second's place: it comes again, in its parts
    assert [r.text for r in again] == texts


def test_a_sender_that_keeps_one_part_gets_no_counter() -> None:
    """An alert is one message: the first part, without a "1/2" that no "2/2" follows."""
    text = join([a_case(i) for i in range(40)])
    first = split_message(Markup(text), numbered=False)[0]
    assert len(first) <= MAX_MESSAGE and not COUNTER.search(first)
    check(first)
