"""The answers asked for again and again, built once per input: a quote (and its text) for the
same claims on the same day, the deadline table for the same dates on the same day.

Profiled under load (bench/bench_answers.py --profile), computing and rendering these was the
bot's own largest cost per /fees and /deadlines answer (the rest is python-telegram-bot reading
the update and writing and reading the message). Each cache is keyed by everything the answer
depends on — the translator (the language), the input, the day, the rates shown — and emptied
when the staff install a fee schedule (`core.schedule.on_change`): amounts may change then.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from functools import lru_cache
from typing import Any

from bot.render.html import Markup
from bot.render.views import deadlines_text, quote_text
from core.deadlines import CaseFacts, compute
from core.fees import quote_item
from core.i18n import Translator
from core.models import Kind, Quote
from core.schedule import on_change

SIZE = 4096  # inputs kept per cache (a few MB at most)


@lru_cache(maxsize=SIZE)
def national_quote(
    kind: Kind, independent: int, dependent: int, natural_person: bool, on: dt.date
) -> Quote:
    """The national fee (`core.fees.quote_item`: with a natural person, the total without the
    reduction beside it), once per input (a `Quote` is immutable)."""
    return quote_item(
        "national",
        kind,
        independent=independent,
        dependent=dependent,
        natural_person=natural_person,
        on=on,
    )


def quote_answer(t: Translator, quote: Quote, equivalents: Sequence[Any] = ()) -> Markup:
    """`quote_text`, once per language, quote and rates shown."""
    return _quote_answer(t, quote, tuple(equivalents))


@lru_cache(maxsize=SIZE)
def _quote_answer(t: Translator, quote: Quote, equivalents: tuple[Any, ...]) -> Markup:
    return quote_text(t, quote, equivalents)


@lru_cache(maxsize=SIZE)
def deadlines_answer(t: Translator, facts: CaseFacts, today: dt.date) -> Markup:
    """The deadline table of `facts` as seen on `today` (days left), in `t`'s language."""
    return deadlines_text(t, facts, compute(facts), today)


def clear() -> None:
    national_quote.cache_clear()
    _quote_answer.cache_clear()
    deadlines_answer.cache_clear()


on_change(clear)
