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
    "case",
    "entryform",
    "run",
    "health",
)

EXIT_BAD_INPUT = exits.BAD_INPUT

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
        raise SystemExit(EXIT_BAD_INPUT)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="pctby",
        description=DESCRIPTION,
        epilog=EPILOG,
        formatter_class=_HelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"pctby {version()}")
    sub = parser.add_subparsers(
        dest="command", required=True, parser_class=_Parser, title="commands", metavar="COMMAND"
    )
    for name in COMMANDS:
        importlib.import_module(f"pctby.commands.{name}").register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    from core.i18n import CatalogMissing

    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        code: int = args.func(args)
    except BrokenPipeError:  # `pctby … | head`: the reader left; not an error of ours
        sys.stderr.close()
        return 0
    except CatalogMissing as exc:
        sys.stderr.write(f"pctby: {exc}.\n")
        return exits.INSTALLATION
    except RuntimeError as exc:  # a command opened a database that a newer pctby migrated
        storage = sys.modules.get("core.storage.db")  # (not imported unless a command did)
        if storage is None or not isinstance(exc, storage.SchemaTooNew):
            raise
        sys.stderr.write(f"pctby: {exc}.\n")
        return exits.DATABASE
    return code


if __name__ == "__main__":
    raise SystemExit(main())
