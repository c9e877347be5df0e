"""What the `pctby` sub-commands share: settings, options, dates, languages, output, bad input."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from core.errors import N_, InputError

if TYPE_CHECKING:
    from core.i18n import Translator

EXIT_OK = 0
EXIT_BAD_INPUT = 2
DEFAULT_DB = "./data/pctby.sqlite3"


def setting(name: str) -> str | None:
    """The setting `name` (PCTBY_…) from the environment, else from ./.env (as `pctby run`
    reads it); empty = unset."""
    found = os.environ.get(name)
    if not found and Path(".env").is_file():
        from dotenv import dotenv_values

        found = dotenv_values(".env").get(name)
    return found or None


def db_path() -> Path:
    return Path(setting("PCTBY_DB") or DEFAULT_DB)


def rates_cache_path() -> Path:
    """The exchange-rate cache: PCTBY_RATES_CACHE; else the bot's own (next to the database,
    kept fresh by its daily refresh) when there is one; else the user's cache folder — a quote
    from an empty folder writes nothing there."""
    from core.rates import default_cache_path

    found = setting("PCTBY_RATES_CACHE")
    if found:
        return Path(found)
    bots = db_path().parent / "nbrb-rates.json"
    return bots if bots.is_file() else default_cache_path()


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
    return EXIT_BAD_INPUT


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
