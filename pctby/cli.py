"""Entry point of the `pctby` command: sub-commands assembled in one ordered place."""

from __future__ import annotations

import argparse
import importlib
import shutil
import sys
from collections.abc import Sequence

from pctby import exits, version

# Order here is the order in `pctby --help`.
COMMANDS: tuple[str, ...] = (
    "fees",
    "deadlines",
    "annuities",
    "ask",
    "faq",
    "schedule",
    "cases",
    "restore",
    "case",
    "team",
    "entryform",
    "run",
    "web",
    "health",
)

DESCRIPTION = """\
National-phase entry of a PCT application in Belarus (NCIP): fee quotes, deadlines on the
Belarus working-day calendar, answers from the FAQ, and the Telegram bot that offers all of it
with reminders before each deadline."""

EPILOG = f"""\
examples:
  pctby fees --independent 2 --dependent 8 --on 1.12.2026 --lang ru
  pctby deadlines --priority 15.03.2024 --filing 14.03.2025
  pctby ask "when must I enter the national phase?"
  pctby run                    the bot (PCTBY_BOT_TOKEN set), else a chat in this terminal

Dates as 2024-03-15, 15.03.2024, 15 марта 2024, 15 сакавіка 2024 or 15 March 2024.
Settings come from the environment or a .env file in the current folder (PCTBY_*, all
listed in .env.example); PCTBY_DB names the database (default ./data/pctby.sqlite3).
`pctby COMMAND --help` describes one command.

{exits.SUMMARY}"""


class _HelpFormatter(argparse.RawDescriptionHelpFormatter):
    """Commands listed one per line under "commands:" (no `{fees,deadlines,…}` line), at
    most 100 columns wide."""

    def __init__(self, prog: str) -> None:
        width = min(100, shutil.get_terminal_size().columns - 2)
        super().__init__(prog, max_help_position=16, width=width)

    def _format_action(self, action: argparse.Action) -> str:
        if isinstance(action, argparse._SubParsersAction):
            return "".join(self._format_action(a) for a in action._get_subactions())
        return super()._format_action(action)


class _Parser(argparse.ArgumentParser):
    """argparse that reports bad input as one sentence and exit status 2 (its default too)."""

    def error(self, message: str) -> None:  # type: ignore[override]
        sys.stderr.write(f"{self.prog}: {message} (see: {self.prog} --help)\n")
        raise SystemExit(exits.BAD_INPUT)


class _Version(argparse.Action):
    """`--version`, read from the installed distribution only when asked for."""

    def __call__(self, parser: argparse.ArgumentParser, *_args: object, **_kw: object) -> None:
        sys.stdout.write(f"pctby {version()}\n")
        parser.exit()


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The parser of every command, or of the command `only` (a run imports what it uses)."""
    parser = _Parser(
        prog="pctby",
        description=DESCRIPTION,
        epilog=EPILOG,
        formatter_class=_HelpFormatter,
    )
    parser.add_argument("--version", action=_Version, nargs=0, help="show the version and exit")
    sub = parser.add_subparsers(
        dest="command", required=True, parser_class=_Parser, title="commands", metavar="COMMAND"
    )
    for name in COMMANDS:
        if only is None or name == only:
            importlib.import_module(f"pctby.commands.{name}").register(sub)
    return parser


def _command(argv: Sequence[str]) -> str | None:
    """The command named on the line, if it is the first word (then only its module loads)."""
    first = next((arg for arg in argv if not arg.startswith("-")), None)
    return first if first in COMMANDS and argv and argv[0] == first else None


def main(argv: Sequence[str] | None = None) -> int:
    from core.errors import DatabaseUnusable, SettingsError
    from core.i18n import CatalogMissing

    words = sys.argv[1:] if argv is None else list(argv)
    parser = build_parser(_command(words))
    args = parser.parse_args(words)
    try:
        code: int = args.func(args)
    except BrokenPipeError:  # `pctby … | head`: the reader left; not an error of ours
        sys.stderr.close()
        return exits.OK
    except CatalogMissing as exc:
        sys.stderr.write(f"pctby: {exc}.\n")
        return exits.INSTALLATION
    except SettingsError as exc:  # PCTBY_DB, PCTBY_RATES_CACHE or .env, read by any command
        sys.stderr.write(f"pctby: {exc}\n")
        return exits.BAD_SETTINGS
    except DatabaseUnusable as exc:  # newer, damaged or foreign: one sentence, any command
        sys.stderr.write(f"pctby: {exc}.\n")
        return exits.DATABASE
    return code


if __name__ == "__main__":
    raise SystemExit(main())
