"""Telegram HTML by construction: every dynamic value is escaped at one place, here.

`Markup` is a `str` known to be valid Telegram HTML. Only this module makes it: `esc` (any
value, escaped), `render` (a template whose text is escaped unless it is itself `Markup`, with
its placeholders filled by escaped values), `bold`/`italic`/`code` and `join`. Anything that is
not `Markup` is text, and is escaped wherever it meets HTML — `bot.render.reply.answer` escapes
a plain `str` itself, so a translated sentence or an error that echoes what the user typed can
never break the message (Telegram answers invalid HTML with 400 "can't parse entities", and the
user hears nothing).

`check` reads HTML the way Telegram does (the tags and entities it accepts, properly nested and
closed); the offline Bot API (`bot.offline`) refuses what it refuses.
"""

from __future__ import annotations

import html as _html
import re
from collections.abc import Iterable
from decimal import Decimal
from typing import Final

# one rule for every translator (the core's applies it too), kept importable from here
from core.i18n import no_double_period as no_double_period


class Markup(str):
    """Valid Telegram HTML (made by this module; `Markup("<b>{x}</b>")` marks our own
    template literal as markup, never a string that holds anything the user typed)."""

    __slots__ = ()


def esc(value: object) -> Markup:
    """A value as HTML text: escaped (quotes too), unless it is `Markup` already."""
    if type(value) is Markup:
        return value
    return Markup(_html.escape(str(value), quote=True))


def _param(value: object) -> object:
    if type(value) is Markup or isinstance(value, int | float | Decimal):
        return value  # markup as it is; numbers keep their format specs (never `<` or `&`)
    return esc(value)


def render(template: str, /, **params: object) -> Markup:
    """`template` (text, escaped — or `Markup`, kept) with `{placeholders}` filled by `params`,
    each escaped unless it is `Markup` (`t.markup(msgid, ...)` translates, then renders).
    As `Translator.fmt` in the bot, no double period after a value that ends with one."""
    trusted = isinstance(template, Markup)
    template = no_double_period(template, params)
    tpl = Markup(template) if trusted else esc(template)
    return Markup(tpl.format(**{k: _param(v) for k, v in params.items()}))


def tag(name: str, value: object) -> Markup:
    return Markup(f"<{name}>{esc(value)}</{name}>")


def bold(value: object) -> Markup:
    return tag("b", value)


def italic(value: object) -> Markup:
    return tag("i", value)


def join(parts: Iterable[object], sep: str = "\n") -> Markup:
    """`parts` joined by `sep` (plain text, escaped), each escaped unless it is `Markup`."""
    return Markup(esc(sep).join(esc(p) for p in parts))


# -- Telegram's reading of HTML ------------------------------------------------------------------

# https://core.telegram.org/bots/api#html-style
ALLOWED_TAGS: Final = frozenset(
    {
        "b",
        "strong",
        "i",
        "em",
        "u",
        "ins",
        "s",
        "strike",
        "del",
        "span",
        "tg-spoiler",
        "a",
        "tg-emoji",
        "code",
        "pre",
        "blockquote",
    }
)
_NAMED_ENTITIES: Final = frozenset({"lt", "gt", "amp", "quot"})
_TAG: Final = re.compile(
    r"<(/?)([a-zA-Z][a-zA-Z0-9-]*)((?:\s+[a-zA-Z-]+(?:\s*=\s*(?:\"[^\"<]*\"|'[^'<]*'|[^\s>\"'<]+))?)*)\s*>"
)
_ATTR: Final = re.compile(r"([a-zA-Z-]+)(?:\s*=\s*(?:\"([^\"]*)\"|'([^']*)'|([^\s>\"']+)))?")
_ENTITY: Final = re.compile(r"&(?:#([0-9]{1,7})|#[xX]([0-9a-fA-F]{1,6})|([a-zA-Z]+));")


class InvalidHtml(ValueError):
    """What Telegram would answer with 400 "Bad Request: can't parse entities: …"."""


def _check_attrs(name: str, attrs: str, at: int) -> None:
    found = {
        m.group(1).lower(): next((g for g in m.groups()[1:] if g is not None), "")
        for m in _ATTR.finditer(attrs)
    }
    if name == "span" and found.get("class") != "tg-spoiler":
        raise InvalidHtml(f'Tag "span" must have class "tg-spoiler" at byte offset {at}')
    if name == "tg-emoji" and not found.get("emoji-id", "").isdigit():
        raise InvalidHtml(f'Tag "tg-emoji" must have an "emoji-id" at byte offset {at}')


_TOKENS: Final = re.compile(r"<[^<>]*>|&[^&<>;\s]{0,12};?|[<&]")
_known_tags: dict[str, tuple[bool, str]] = {}  # a valid tag as written → (closing, name)
_known_entities: set[str] = set()


def _tag(token: str, at: int) -> tuple[bool, str]:
    found = _known_tags.get(token)
    if found is not None:
        return found
    m = _TAG.fullmatch(token)
    if m is None:
        raise InvalidHtml(f"Unsupported start tag at byte offset {at}")
    closing, name, attrs = bool(m.group(1)), m.group(2).lower(), m.group(3)
    if name not in ALLOWED_TAGS:
        raise InvalidHtml(f'Unsupported start tag "{name}" at byte offset {at}')
    if not closing and (attrs or name in ("span", "tg-emoji")):
        _check_attrs(name, attrs, at)
    if len(_known_tags) < 1024:
        _known_tags[token] = (closing, name)
    return closing, name


def _entity(token: str, at: int) -> None:
    if token in _known_entities:
        return
    m = _ENTITY.fullmatch(token)
    if m is None or (m.group(3) is not None and m.group(3) not in _NAMED_ENTITIES):
        raise InvalidHtml(f"Unsupported HTML entity at byte offset {at}")
    number = m.group(1) or m.group(2)
    if number is not None:
        value = int(number, 10 if m.group(1) else 16)
        if value == 0 or value > 0x10FFFF:
            raise InvalidHtml(f"Unsupported HTML entity at byte offset {at}")
    if len(_known_entities) < 1024:
        _known_entities.add(token)


def check(text: str) -> None:
    """Raises `InvalidHtml` where Telegram would refuse `text` as HTML (parse_mode=HTML): an
    unknown tag, a tag not closed or closed out of order, a stray `<`, a `&` that starts no
    entity Telegram knows (numeric, or &lt; &gt; &amp; &quot;)."""
    if "<" not in text and "&" not in text:
        return
    stack: list[str] = []
    for m in _TOKENS.finditer(text):
        token = m.group()
        if token[0] == "&":
            _entity(token, m.start())
            continue
        closing, name = _tag(token, m.start())
        if closing:
            if not stack or stack[-1] != name:
                expected = stack[-1] if stack else ""
                raise InvalidHtml(
                    f"Unmatched end tag at byte offset {m.start()}, "
                    f'expected "</{expected}>", found "</{name}>"'
                )
            stack.pop()
        else:
            stack.append(name)
    if stack:
        raise InvalidHtml(f'Can\'t find end tag corresponding to start tag "{stack[-1]}"')


def plain(text: str) -> str:
    """Telegram HTML as the user reads it: tags dropped, entities unescaped."""
    return _html.unescape(re.sub(r"<[^>]+>", "", text))
