"""What users type, read into values: the parsers shared by the features (bad input raises
`InputError`, answered in one localized sentence)."""

from __future__ import annotations

import datetime as dt

from bot.render.text import short
from core.dates import parse_date, split_dates
from core.errors import N_, InputError
from core.models import Kind
from core.refs import check_ref as check_ref  # shared with the case desk (web/)


def parse_kind(text: str) -> Kind:
    try:
        return Kind.parse(text)
    except ValueError:
        raise InputError(
            N_("Unknown kind “{kind}”: use patent or utility-model."), kind=short(text, 30)
        ) from None


def read_args(text: str, usage: str) -> tuple[list[dt.date], Kind]:
    """One or two dates (priority, filing) and an optional kind at the end, from free text;
    `usage` is the answer when that is not what the text holds."""
    chunks = split_dates(text)
    kind = Kind.PATENT
    if chunks and chunks[-1].lower() in {"patent", "um", "utility-model", "p"}:
        kind = parse_kind(chunks.pop())
    if not 1 <= len(chunks) <= 2:
        raise InputError(usage)
    return [parse_date(c) for c in chunks], kind


def caption_command(text: str | None) -> str | None:
    """The command a message's text or caption starts with (`/import@pctby_bot x` →
    "import"), lower case; None if it does not start with one."""
    word = (text or "").strip().split(maxsplit=1)
    if not word or not word[0].startswith("/"):
        return None
    return word[0][1:].split("@", 1)[0].lower() or None


MAX_NUMBER = 2**63 - 1  # SQLite's INTEGER


def parse_number(text: str) -> int | None:
    """A positive whole number as people type it (`12`, `０１２` in other digits too); None for
    anything else — superscripts, signs, or beyond what the database stores."""
    text = text.strip()
    if not text.isdecimal():
        return None
    value = int(text)
    return value if 0 < value <= MAX_NUMBER else None
