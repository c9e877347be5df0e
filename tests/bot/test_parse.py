"""The shared parsers of bot/parse: numbers as people type them, commands in
captions."""

from __future__ import annotations

import pytest

from bot.parse import MAX_NUMBER, caption_command, parse_number


@pytest.mark.parametrize(
    ("text", "value"),
    [("12", 12), (" 7 ", 7), ("٣", 3), ("０１２", 12), (str(MAX_NUMBER), MAX_NUMBER)],
)
def test_a_number_is_read(text: str, value: int) -> None:
    assert parse_number(text) == value


@pytest.mark.parametrize(
    "text", ["", "0", "-1", "+1", "²", "1.5", "1e3", "12a", str(MAX_NUMBER + 1)]
)
def test_anything_else_is_none(text: str) -> None:
    assert parse_number(text) is None


@pytest.mark.parametrize(
    ("caption", "command"),
    [
        ("/import", "import"),
        ("/IMPORT@pctby_bot my cases", "import"),
        ("  /schedule\nrest", "schedule"),
        ("import", None),
        ("/", None),
        ("", None),
        (None, None),
    ],
)
def test_the_command_of_a_caption(caption: str | None, command: str | None) -> None:
    assert caption_command(caption) == command
