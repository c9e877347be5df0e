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


def split_message(text: Markup, limit: int = MAX_MESSAGE) -> list[Markup]:
    """Split HTML `text` into messages of at most `limit` characters, at line breaks where it
    can, never inside an entity, closing and reopening the simple tags a cut falls inside."""
    budget = limit - 64  # room for tags closed and reopened at a cut
    if len(text) <= budget:  # one message (most answers): only the tags to balance
        closed, _ = _balance(text.lstrip("\n"))
        return [Markup(closed)] if closed.strip() else [Markup("…")]
    lines: list[str] = []
    for line in text.split("\n"):
        lines.extend(_hard_split(line, budget) if len(line) > budget else [line])
    chunks: list[str] = []
    current = ""
    for line in lines:
        candidate = f"{current}\n{line}" if current else line
        if len(candidate) > budget and current:
            chunks.append(current)
            current = line
        else:
            current = candidate
    if current.strip() or not chunks:
        chunks.append(current)
    result: list[str] = []
    reopen: list[str] = []
    for chunk in chunks:
        prefix = "".join(f"<{tag}>" for tag in reopen)
        closed, reopen = _balance(prefix + chunk)
        result.append(closed)
    return [Markup(c) for c in result if c.strip()] or [Markup("…")]
