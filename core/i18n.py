"""Per-user translations (gettext catalogs) and locale-aware formatting.

Never installed globally: each user (or CLI run) gets its own `Translator`. The program reads
compiled catalogs only (`.mo`), compiled in one way (`tools/l10n.py`, `compile_catalogs`):
- an installed wheel carries them as package data, `core/locales/<lang>/LC_MESSAGES/
  messages.mo`, read with `importlib.resources` (its build, setup.py, compiles them there);
- a source checkout reads `locales/<lang>/LC_MESSAGES/messages.mo` beside the `.po` files
  (`bin/setup` compiles them; `bin/l10n check` after editing a catalog).
A language whose catalog is not there — or, in a checkout, older than its `.po` — is an
installation fault: `CatalogMissing`, never a silent fallback to English or stale words.
"""

from __future__ import annotations

import datetime as dt
import gettext
import os
import re
from collections.abc import Mapping
from decimal import Decimal
from functools import lru_cache
from importlib.abc import Traversable
from importlib.resources import files
from pathlib import Path
from typing import Any, Final, Literal

from babel.dates import format_date as _babel_date
from babel.numbers import format_decimal as _babel_decimal

from core.calendar import WEEKEND, holiday_name
from core.errors import InputError, Phrase

Lang = Literal["ru", "be", "en"]
LANGS: Final[tuple[Lang, ...]] = ("ru", "be", "en")
DEFAULT_LANG: Final[Lang] = "en"
DOMAIN: Final = "messages"
# The catalogs of a source checkout (the `.po` files `bin/l10n` edits, and their `.mo`) …
LOCALES_DIR: Final = Path(__file__).resolve().parent.parent / "locales"
CHECKOUT: Final = (LOCALES_DIR / DEFAULT_LANG / "LC_MESSAGES" / f"{DOMAIN}.po").is_file()
# … or, installed from a wheel, the package's own (compiled by its build from `locales/`).
LOCALES: Final[Traversable] = LOCALES_DIR if CHECKOUT else files("core").joinpath("locales")


class CatalogMissing(RuntimeError):
    """A language's catalog is not installed: the package was built without its `.mo` files
    (or, in a source checkout, they were not compiled after the `.po` changed)."""

    def __init__(self, lang: str, *, stale: bool = False) -> None:
        if not CHECKOUT:
            detail = (
                f"the {lang} message catalog (core/locales/{lang}/LC_MESSAGES/{DOMAIN}.mo) is "
                "not installed; reinstall pctby from a wheel built with its catalogs"
            )
        elif stale:
            detail = (
                f"the {lang} message catalog (locales/{lang}/LC_MESSAGES/{DOMAIN}.mo) is older "
                f"than its {DOMAIN}.po; compile the catalogs with bin/setup or bin/l10n check"
            )
        else:
            detail = (
                f"the {lang} message catalog (locales/{lang}/LC_MESSAGES/{DOMAIN}.mo) is not "
                "compiled; compile the catalogs with bin/setup"
            )
        super().__init__(detail)
        self.lang = lang


# Babel locale per UI language.
_BABEL_LOCALE: Final[dict[str, str]] = {"ru": "ru_RU", "be": "be_BY", "en": "en_US"}

# The date styles (`Translator.date`) and, per language, the Babel format or CLDR pattern of each.
DateStyle = Literal["long", "medium", "short"]
DATE_STYLES: Final[tuple[DateStyle, ...]] = ("long", "medium", "short")
NUMERIC_DATE: Final = "dd.MM.yyyy"
_DATE_PATTERNS: Final[dict[str, dict[DateStyle, str]]] = {
    "ru": {"long": "long", "medium": "medium", "short": NUMERIC_DATE},
    "be": {"long": "long", "medium": "long", "short": NUMERIC_DATE},
    "en": {"long": "long", "medium": "medium", "short": NUMERIC_DATE},
}


def normalize_lang(value: str | None, default: Lang = DEFAULT_LANG) -> Lang:
    """`ru-RU`, `be_BY.UTF-8`, `EN` → ru / be / en; anything else → `default`."""
    if not value:
        return default
    code = value.strip().lower().replace("-", "_").split(".")[0].split("_")[0]
    for lang in LANGS:
        if code == lang:
            return lang
    return default


def env_lang() -> Lang:
    """The language of the environment's locale (LC_ALL, LC_MESSAGES, LANG), fallback en."""
    for var in ("LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE"):
        value = os.environ.get(var)
        if value and value not in ("C", "POSIX") and not value.startswith("C."):
            return normalize_lang(value)
    return DEFAULT_LANG


def _load_catalog(lang: str, locales: Traversable) -> gettext.GNUTranslations:
    folder = locales.joinpath(lang, "LC_MESSAGES")
    mo = folder.joinpath(f"{DOMAIN}.mo")
    if not mo.is_file():
        raise CatalogMissing(lang)
    po = folder.joinpath(f"{DOMAIN}.po")
    if po.is_file() and _newer(po, mo):  # a checkout whose catalog was edited since
        raise CatalogMissing(lang, stale=True)
    with mo.open("rb") as fh:
        return gettext.GNUTranslations(fh)


def _newer(a: Traversable, b: Traversable) -> bool:
    """`a` was changed after `b` (files on disk; inside a zip both are as old as the zip)."""
    if isinstance(a, Path) and isinstance(b, Path):
        return a.stat().st_mtime > b.stat().st_mtime
    return False


def check_catalogs(locales: Traversable | None = None) -> None:
    """Loads every language's catalog; raises `CatalogMissing` for the first one absent.
    Called at start-up, so an incomplete installation fails there and then."""
    for lang in LANGS:
        _load_catalog(lang, LOCALES if locales is None else locales)


# The parts of a rule's citation (`Translator.cite`): the Guide's paragraphs (BY.12) need none.
_CITATION: Final = re.compile(
    r"PCT Art\. (?P<art>\d[\w().]*(?:, \d[\w().]*)*)"
    r"|PCT Rules? (?P<rule>\d[\w./]*(?:, \d[\w./]*)*)"
    r"|BPL Art\. (?P<bpl>\d[\w().]*(?:, \d[\w().]*)*)"
    r"|Annex(?:es)? (?P<annex>BY\.[IV]+(?:, BY\.[IV]+)*)"
    r"|footnotes? (?P<note>\d+(?:(?:, |–)\d+)*)"
    r"|\bSummary\b"
)


def no_double_period(template: str, params: Mapping[str, object]) -> str:
    """`template` without the period right after a placeholder whose value ends with one: in ru
    and be a long date ends in "г." ("15 марта 2024 г."), and "… {date}." would read "г..".
    For every language and every value."""
    if "}." not in template:  # most templates: nothing to look at
        return template
    for name, value in params.items():
        if isinstance(value, str) and value.endswith("."):
            template = template.replace("{" + name + "}.", "{" + name + "}")
    return template


class Translator:
    """gettext, ngettext and locale formatting for one language."""

    def __init__(self, lang: Lang, catalog: gettext.NullTranslations) -> None:
        self.lang: Lang = lang
        self._catalog = catalog
        self.locale = _BABEL_LOCALE[lang]
        self._cites: dict[str, str] = {}

    def gettext(self, message: str) -> str:
        return self._catalog.gettext(message)

    _ = gettext

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return self._catalog.ngettext(singular, plural, n)

    def pgettext(self, context: str, message: str) -> str:
        return self._catalog.pgettext(context, message)

    def error(self, err: InputError) -> str:
        """A bad-input error as one sentence in this language."""
        return self.fmt(err.template, **self.error_params(err))

    def error_params(self, err: InputError) -> dict[str, Any]:
        """The error's parameters in this language: a `Phrase` or an inner `InputError`
        translated, a date as this language writes it; anything else as it is."""
        found: dict[str, Any] = {}
        for key, value in err.params.items():
            if isinstance(value, Phrase):
                value = self.fmt(value.template, year=value.year)
            elif isinstance(value, InputError):  # a sentence inside another ("line 3: …")
                value = self.error(value)
            elif isinstance(value, dt.date) and not isinstance(value, dt.datetime):
                value = self.date(value)
            found[key] = value
        return found

    def date(self, day: dt.date, fmt: DateStyle = "long") -> str:
        """A date in this language, in one of three styles (`DATE_STYLES`), the one place dates
        are written for users:

        - `long`, in sentences: the month's name (15 марта 2024 г., 15 сакавіка 2024 г.,
          March 15, 2024);
        - `medium`, in tables and the timeline picture: the month's short name where the
          language has one a reader knows (15 мар. 2024 г., Mar 15, 2024). Belarusian has none:
          CLDR's "сак", "жні", "кас" read as broken words, so Belarusian keeps the full name;
        - `short`, where room is tight (buttons): dd.mm.yyyy in every language — never the US
          month-first order or a two-digit year, which read two ways.
        """
        return _babel_date(day, format=_DATE_PATTERNS[self.lang][fmt], locale=self.locale)

    def money(self, amount: Decimal, currency: str = "BYN") -> str:
        """`1 234,50 BYN` / `1,234.50 BYN`: the ISO code after the number in every language."""
        return f"{_babel_decimal(amount, format='#,##0.00', locale=self.locale)}\u00a0{currency}"

    def number(self, value: Decimal | int, fmt: str | None = None) -> str:
        return _babel_decimal(value, format=fmt, locale=self.locale)

    def cite(self, basis: str) -> str:
        """A rule's citation in this language: "PCT Art. 22(3), 39(1)(b); Summary, footnote 5"
        reads "ст. 22(3), 39(1)(b) PCT; Резюме, сноска 5" in Russian — the article after its
        number, as Russian and Belarusian lawyers cite it. Paragraphs (BY.12) stay as they are;
        machine-readable output (--json) keeps the English."""
        found = self._cites.get(basis)
        if found is None:
            found = self._cites[basis] = _CITATION.sub(self._cite_one, basis)
        return found

    def _cite_one(self, m: re.Match[str]) -> str:
        part, cited = m.groupdict(), m.group(0)
        many = "," in cited or "/" in cited or "–" in cited
        if part["art"]:
            return self.pgettext("citation", "PCT Art. {n}").format(n=part["art"])
        if part["rule"]:
            if many or cited.startswith("PCT Rules"):
                return self.pgettext("citation", "PCT Rules {n}").format(n=part["rule"])
            return self.pgettext("citation", "PCT Rule {n}").format(n=part["rule"])
        if part["bpl"]:
            return self.pgettext("citation", "BPL Art. {n}").format(n=part["bpl"])
        if part["annex"]:
            if many:
                return self.pgettext("citation", "Annexes {n}").format(n=part["annex"])
            return self.pgettext("citation", "Annex {n}").format(n=part["annex"])
        if part["note"]:
            if many:
                return self.pgettext("citation", "footnotes {n}").format(n=part["note"])
            return self.pgettext("citation", "footnote {n}").format(n=part["note"])
        return self.pgettext("citation", "Summary")

    def skipped_reason(self, day: dt.date, reason: str) -> str:
        """A non-working day's reason: the holiday's name in this language, or "weekend"."""
        if reason == WEEKEND:
            return self.gettext("weekend")
        return holiday_name(day, self.lang) or reason

    def fmt(self, message: str, **params: Any) -> str:
        """`message` translated, with its {placeholders} filled in (one period where a sentence
        ends with a value that ends with one: `no_double_period`)."""
        return no_double_period(self.gettext(message), params).format(**params)

    def nfmt(self, singular: str, plural: str, n: int, **params: Any) -> str:
        """The plural form for `n` translated, with {n} and the other placeholders filled in."""
        params = {"n": n, **params}
        return no_double_period(self.ngettext(singular, plural, n), params).format(**params)


@lru_cache(maxsize=8)
def translator(lang: str | None, locales: Path | None = None) -> Translator:
    """The (cached) translator for `lang`; an unknown language code means English (a missing
    catalog raises `CatalogMissing`). `locales`: the installed catalogs unless given."""
    code = normalize_lang(lang)
    return Translator(code, _load_catalog(code, LOCALES if locales is None else locales))
