"""/timeline REF and the Timeline button under /case: a PNG sent as a photo of the sender's own
case, in the user's language; another user's or an unknown reference gets /case's answer."""

from __future__ import annotations

import struct

from tests.bot.helpers import cases_of, dated, said


def photos(replies):  # type: ignore[no-untyped-def]
    return [s for s in replies if s.method == "sendPhoto"]


def png_size(content: bytes) -> tuple[int, int]:
    assert content[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", content[16:24])
    return width, height


@dated
async def test_timeline_sends_a_picture_of_the_case(chat) -> None:
    user = chat("en")
    await user.send("/addcase A-1 15.03.2024 10.03.2025 patent")
    replies = await user.send("/timeline A-1")
    [photo] = photos(replies)
    assert photo.document is not None
    name, content = photo.document
    assert name.endswith(".png")
    assert png_size(content) == (1200, 700)
    assert "The open deadlines of case A-1 on" in photo.plain
    assert "/case A-1 explains each date." in photo.plain


@dated
async def test_timeline_in_russian_and_belarusian(chat) -> None:
    for lang, words in (("ru", "Открытые сроки дела PCT/IB2024/1"), ("be", "Адкрытыя тэрміны")):
        user = chat(lang)
        await user.send("/addcase PCT/IB2024/1 15.03.2024 10.03.2025 um")
        [photo] = photos(await user.send("/timeline PCT/IB2024/1"))
        assert words in photo.plain
        assert photo.document is not None and png_size(photo.document[1]) == (1200, 700)


@dated
async def test_the_timeline_button_under_a_case(chat) -> None:
    user = chat("en")
    await user.send("/addcase B-2 1.2.2024 1.2.2025")
    card = await user.send("/case B-2")
    assert "Timeline" in card[-1].labels
    [photo] = photos(await user.press("Timeline", card[-1]))
    assert "case B-2" in photo.plain


@dated
async def test_another_users_case_is_not_drawn(app, chat) -> None:
    alice, bob = chat("en"), chat("be")
    await alice.send("/addcase SECRET-1 15.03.2024 10.03.2025")
    card = await alice.send("/case SECRET-1")
    for command in ("/timeline SECRET-1", "/case SECRET-1"):
        replies = await bob.send(command)
        assert not photos(replies)
        assert "У вас няма справы «SECRET-1»" in said(replies)
    # Bob replays Alice's button: the case id is looked up with Bob as the owner.
    forged = await bob.feed(bob.press_update(card[-1], "Timeline"))
    assert not photos(forged)
    assert "Гэтай справы больш няма" in said(forged)
    assert list(await cases_of(app, bob.user_id)) == []


async def test_timeline_without_a_reference_says_how(chat) -> None:
    user = chat("ru")
    replies = await user.send("/timeline")
    assert not photos(replies)
    assert "Формат: /timeline НОМЕР, например /timeline A-1." in said(replies)


@dated
async def test_a_reference_with_dollars_is_drawn_as_typed(chat) -> None:
    """matplotlib reads text between two `$` as mathtext: "$x$" came out as an italic x, and
    a reference such as "A$\\frac$" failed the picture every time."""
    user = chat("en")
    for ref in ("A$\\frac$", "$x$-2"):
        await user.send(f"/addcase {ref} 15.03.2024 10.03.2025 patent")
        [photo] = photos(await user.send(f"/timeline {ref}"))
        assert photo.document is not None and png_size(photo.document[1]) == (1200, 700)
        assert f"The open deadlines of case {ref} on" in photo.plain


async def test_without_matplotlib_the_answer_says_why_and_points_to_the_card(
    chat, monkeypatch, caplog
) -> None:
    """pctby installed without its `timeline` extra: no picture, one sentence in the user's
    language (and the card still works); the log says what to install, once."""
    import bot.handlers.timeline
    import draw.timeline

    monkeypatch.setattr(draw.timeline, "available", lambda: False)
    monkeypatch.setattr(bot.handlers.timeline, "_told_missing", [])
    user = chat("ru")
    await user.send("/addcase A-1 15.03.2024 10.03.2025 patent")
    for _ in range(2):
        replies = await user.send("/timeline A-1")
        assert not photos(replies)
        assert "Картинки «Шкала сроков» на этом сервере недоступны" in said(replies)
        assert "/case A-1 показывает те же сроки." in said(replies)
    assert caplog.text.count("pip install 'pctby[timeline]'") == 1
    card = await user.send("/case A-1")  # no Timeline button where no picture can be drawn
    assert "Шкала сроков" not in card[-1].labels and "Удалить" in card[-1].labels
