"""The bot's translator: `core.i18n.Translator` with two additions every answer needs.

- **Formatting is cached.** Babel's `format_date`/`format_decimal` parse the locale and the
  pattern on every call (tens of microseconds each, a dozen per deadline list); the same dates and
  amounts come back again and again, so each translator keeps what it has formatted. The text is
  produced by the core's own methods, so it is identical.
- **No double period.** In ru and be a long date ends in "г." ("15 марта 2024 г."), so a sentence
  that ends with a date would read "… 2024 г..". `fmt` (and `error`) drop the sentence's period
  after a value that already ends with one — in every language and for every value.
- **Markup.** `markup` is `fmt` for HTML: the sentence escaped, its values escaped unless they
  are `Markup` already (`bot.render.html.render`).

Still one translator per language and never installed globally (STYLE #8): `translator(lang)`.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from functools import lru_cache
from typing import Any, Final

from bot.render.html import Markup, no_double_period, render
from core.errors import InputError
from core.i18n import Translator
from core.i18n import translator as core_translator

CACHE_LIMIT: Final = 4096  # formatted values kept per translator and kind (then started afresh)


class BotTranslator(Translator):
    """gettext, cached formatting and sentence-safe `fmt` for one language (see the module doc)."""

    def __init__(self, base: Translator) -> None:
        super().__init__(base.lang, base._catalog)
        self._dates: dict[tuple[dt.date, str], str] = {}
        self._money: dict[tuple[str, str], str] = {}
        self._numbers: dict[tuple[type, str, str | None], str] = {}

    def date(self, day: dt.date, fmt: str = "long") -> str:
        key = (day, fmt)
        found = self._dates.get(key)
        if found is None:
            found = _remember(self._dates, key, super().date(day, fmt))
        return found

    def money(self, amount: Decimal, currency: str = "BYN") -> str:
        key = (str(amount), currency)  # str: 1.0 and 1.00 are equal Decimals
        found = self._money.get(key)
        if found is None:
            found = _remember(self._money, key, super().money(amount, currency))
        return found

    def number(self, value: Decimal | int, fmt: str | None = None) -> str:
        key = (type(value), str(value), fmt)
        found = self._numbers.get(key)
        if found is None:
            found = _remember(self._numbers, key, super().number(value, fmt))
        return found

    def fmt(self, message: str, **params: Any) -> str:
        return no_double_period(self.gettext(message), params).format(**params)

    def nfmt(self, singular: str, plural: str, n: int, **params: Any) -> str:
        params = {"n": n, **params}
        return no_double_period(self.ngettext(singular, plural, n), params).format(**params)

    def markup(self, message: str, **params: object) -> Markup:
        """`message` translated, as HTML: the text escaped, each value escaped unless it is
        `Markup` (`bold(ref)`) — `fmt` for an answer with markup in its values."""
        return render(self.gettext(message), **params)

    def error(self, err: InputError) -> str:
        params = self.error_params(err)
        return no_double_period(self.gettext(err.template), params).format(**params)


def _remember(cache_: dict[Any, str], key: Any, value: str) -> str:
    if len(cache_) >= CACHE_LIMIT:
        cache_.clear()
    cache_[key] = value
    return value


@lru_cache(maxsize=32)
def translator(lang: str | None) -> BotTranslator:
    """The bot's (cached) translator for `lang`; unknown languages fall back to English."""
    base = core_translator(lang)
    if lang != base.lang:
        return translator(base.lang)
    return BotTranslator(base)
