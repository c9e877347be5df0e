"""Safe text for Telegram: shortening what the user typed and splitting long replies.

Escaping lives in `bot.render.html`."""

from __future__ import annotations

import re
from typing import Final

from bot.render.html import Markup

MAX_MESSAGE: Final = 4096
_ENTITY: Final = re.compile(r"&[#a-zA-Z0-9]{1,10};?$")
_TAG: Final = re.compile(r"<(/?)([a-z]+)(?:\s[^>]*)?>")


def short(value: object, limit: int = 60) -> str:
    """A user-supplied value on one line, cut to `limit` characters, for echoing back: text,
    not HTML (`bot.render.html.render` and `bot.render.reply.answer` escape it)."""
    text = " ".join(str(value).split())
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    return text


def _hard_split(line: str, limit: int) -> list[str]:
    parts: list[str] = []
    while len(line) > limit:
        cut = line.rfind(" ", 0, limit)
        if cut <= limit // 2:
            cut = limit
        head = line[:cut]
        entity = _ENTITY.search(head[-12:])
        if entity and not head.endswith(";"):
            cut -= len(entity.group(0))
            head = line[:cut]
        parts.append(head)
        line = line[cut:].lstrip(" ")
    parts.append(line)
    return parts


def _balance(chunk: str) -> tuple[str, list[str]]:
    """Close the tags left open at the end of `chunk`; return them to reopen in the next."""
    stack: list[str] = []
    if "<" not in chunk:
        return chunk, stack
    for slash, tag in _TAG.findall(chunk):
        if slash:
            if stack and stack[-1] == tag:
                stack.pop()
        else:
            stack.append(tag)
    if not stack:
        return chunk, stack
    closing = "".join(f"</{tag}>" for tag in reversed(stack))
    return chunk + closing, stack


def split_message(text: Markup, limit: int = MAX_MESSAGE, *, numbered: bool = True) -> list[Markup]:
    """Split HTML `text` into messages of at most `limit` characters where Telegram forces it
    (4096), numbered "1/2", "2/2" at their ends.

    A cut falls between items, never inside one: an item is a line with the indented lines
    under it (a case in /cases with its title and next deadline, a deadline with its amount),
    and a paragraph's first line (a heading) goes on with what follows it. Only an item longer
    than a message is cut inside, at its lines, then at spaces — never inside an entity; the
    tags a cut falls inside are closed and opened again, so every part is valid HTML.
    `numbered=False`: no "1/2" (a sender that keeps only the first part, as an alert does)."""
    budget = limit - 64  # room for tags closed and reopened at a cut
    if len(text) <= budget:  # one message (most answers): only the tags to balance
        closed, _ = _balance(text.lstrip("\n"))
        return [Markup(closed)] if closed.strip() else [Markup("…")]
    if numbered:
        budget -= len(_counter(999, 999))
    parts = _pack(_items(text, budget), budget)
    result: list[str] = []
    reopen: list[str] = []
    for part in parts:
        prefix = "".join(f"<{tag}>" for tag in reopen)
        closed, reopen = _balance(prefix + part)
        result.append(closed)
    result = [c for c in result if c.strip()] or ["…"]
    if numbered and len(result) > 1:
        result = [c + _counter(i, len(result)) for i, c in enumerate(result, 1)]
    return [Markup(c) for c in result]


def _counter(i: int, n: int) -> str:
    return f"\n\n{i}/{n}"


def _items(text: str, budget: int) -> list[str]:
    """The items of `text`: a line with the indented lines under it; an item that follows a
    blank line starts with "\n" (a paragraph's start). Items longer than `budget` are cut at
    their lines (and lines longer than that at spaces)."""
    items: list[str] = []
    blank = 0
    for line in text.split("\n"):
        if not line.strip():
            blank += 1
            continue
        if items and not blank and line[:1] in (" ", "\t"):
            items[-1] += "\n" + line
        else:
            items.append("\n" * min(blank, 1) + line)
        blank = 0
    cut: list[str] = []
    for item in items:
        if len(item) <= budget:
            cut.append(item)
            continue
        lead = "\n" if item.startswith("\n") else ""
        pieces: list[str] = []
        for line in item.lstrip("\n").split("\n"):
            pieces.extend(_hard_split(line, budget) if len(line) > budget else [line])
        cut += [lead + pieces[0], *pieces[1:]]
    return cut


def _pack(items: list[str], budget: int) -> list[str]:
    """Whole items into parts of at most `budget` characters; a paragraph's first item (its
    heading) moves on with the item after it rather than end a part alone."""
    parts: list[list[str]] = [[]]
    size = 0
    for item in items:
        current = parts[-1]
        if current and size + 1 + len(item) > budget:
            carried: list[str] = []
            heading = current[-1]
            if (
                len(current) > 1
                and heading.startswith("\n")
                and not item.startswith("\n")
                and len(heading) + 1 + len(item) <= budget
            ):
                carried = [current.pop()]
            parts.append(carried)
            current = parts[-1]
            size = sum(len(x) + 1 for x in carried)
        current.append(item)
        size += len(item) + 1
    return ["\n".join(part).lstrip("\n") for part in parts if part]
