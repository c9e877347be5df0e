"""What the `pctby` sub-commands share: settings, options, dates, languages, output, bad input."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from core.errors import N_, InputError
from pctby import exits

if TYPE_CHECKING:
    from core.i18n import Translator
    from core.settings import StoreSettings


def store_settings() -> StoreSettings:
    """PCTBY_DB and PCTBY_RATES_CACHE, read as `pctby run` reads them (`core.settings`: the
    environment, else ./.env); `core.settings.SettingsError` (exit status 3) if they are bad."""
    from core.settings import StoreSettings, load

    return load(StoreSettings)


def db_path(given: str | None = None) -> Path:
    """The database: `given` (a command's --db), else PCTBY_DB, else ./data/pctby.sqlite3."""
    return Path(given) if given else store_settings().db


def rates_cache_path() -> Path:
    """The exchange-rate cache a quote reads (`StoreSettings.quote_rates_path`)."""
    from core.rates import default_cache_path

    return store_settings().quote_rates_path(default_cache_path())


def parse_date(text: str) -> dt.date:
    """Every format the bot accepts (2024-03-15, 15.03.2024, 15 марта 2024, …); see core.dates."""
    from core.dates import parse_date as parse

    return parse(text)


def optional_date(text: str | None) -> dt.date | None:
    return None if text is None else parse_date(text)


def parse_count(text: str) -> int:
    """A claim count typed by the user: a whole number (range checked by the engine)."""
    try:
        return int(text.strip())
    except ValueError:
        raise InputError(N_("“{text}” is not a whole number."), text=text) from None


def add_lang(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--lang",
        choices=("ru", "be", "en"),
        help="language of the output (default: from the environment's locale)",
    )


def add_output(parser: argparse.ArgumentParser) -> None:
    """--lang and --json, last on every command that answers a question."""
    add_lang(parser)
    parser.add_argument("--json", action="store_true", help="machine-readable output")


def add_kind(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--kind", default="patent", help="patent or utility-model (default: patent)"
    )


def add_natural_person(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--natural-person", action="store_true", help="applicant is a natural person"
    )


def translator_for(args: argparse.Namespace) -> Translator:
    from core.i18n import env_lang, translator

    return translator(args.lang or env_lang())


def fail(t: Translator, err: InputError) -> int:
    print(f"pctby: {t.error(err)}", file=sys.stderr)
    return exits.BAD_INPUT


def guarded(command: Callable[[argparse.Namespace], int]) -> Callable[[argparse.Namespace], int]:
    """Runs a command; bad input becomes one localized sentence and exit status 2."""

    def run(args: argparse.Namespace) -> int:
        t = translator_for(args)
        try:
            return command(args)
        except InputError as err:
            return fail(t, err)

    return run


def _default(value: Any) -> Any:
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    if isinstance(value, dt.date):
        return value.isoformat()
    raise TypeError(type(value))


def print_json(data: Any) -> None:
    print(json.dumps(data, ensure_ascii=False, indent=2, default=_default))


def table(rows: list[list[str]], header: list[str]) -> str:
    """A plain-text table with columns padded to their widest cell."""
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    line = "  ".join("-" * w for w in widths)
    out = ["  ".join(c.ljust(w) for c, w in zip(header, widths, strict=True)).rstrip(), line]
    out += ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in rows]
    return "\n".join(out)
