"""`pctby import`, `pctby export`, `pctby backup`, `pctby replan`: cases in and out of the
database, and planning every case's alerts again.

`PCTBY_DB` (environment or ./.env) names the database (default `./data/pctby.sqlite3`; the
folder is created).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from core.errors import N_
from pctby import exits
from pctby.commands._common import db_path


def _user_id(text: str) -> int:
    from core.importexport import MAX_USER_ID

    if not text.isdecimal() or not 0 < int(text) <= MAX_USER_ID:
        raise argparse.ArgumentTypeError(f"{text!r} is not a Telegram user id")
    return int(text)


def _workers(text: str) -> int:
    if not text.isdecimal() or not 1 <= int(text) <= 64:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of processes (1-64)")
    return int(text)


def register(sub: Any) -> None:
    p: argparse.ArgumentParser = sub.add_parser(
        "import", help="import cases from a CSV file (all rows are checked first)"
    )
    p.add_argument("file", metavar="FILE.csv", help="CSV with a header row ('-': stdin)")
    whose = p.add_mutually_exclusive_group()
    whose.add_argument(
        "--user", type=_user_id, default=None, help="Telegram user id for rows without one"
    )
    whose.add_argument(
        "--team", metavar="NAME", default=None, help="the team rows without a team go to"
    )
    p.set_defaults(func=run_import)

    p = sub.add_parser(
        "export", help="export one user's cases (theirs and their teams') or one team's"
    )
    whose = p.add_mutually_exclusive_group(required=True)
    whose.add_argument("--user", type=_user_id, help="Telegram user id")
    whose.add_argument("--team", metavar="NAME", help="a team's name (`pctby team list`)")
    p.add_argument("--format", choices=("csv", "ics"), default="csv")
    p.add_argument("--out", default=None, metavar="PATH", help="file to write (default: stdout)")
    p.set_defaults(func=run_export)

    p = sub.add_parser("backup", help="a consistent copy of the live database (SQLite backup)")
    p.add_argument("path", metavar="PATH", help="where to write the copy")
    p.add_argument("--db", default=None, help="the database (default: PCTBY_DB)")
    p.set_defaults(func=run_backup)

    p = sub.add_parser(
        "replan",
        help="plan every case's alerts again (after an upgrade of the rules or the fee schedule);"
        " safe while the bot runs",
    )
    p.add_argument(
        "--workers",
        type=_workers,
        default=None,
        help="processes that plan in parallel (default: one per core)",
    )
    p.set_defaults(func=run_replan)


def _fail(message: str, **params: Any) -> int:
    sys.stderr.write(f"pctby: {message.format(**params) if params else message}\n")
    return exits.BAD_INPUT


def _read_capped(path: str) -> str:
    """The file's text (`-`: stdin), refused above `MAX_IMPORT_BYTES` (`InputError`) before it
    is read whole; UnicodeDecodeError if it is not UTF-8."""
    from core.importexport import MAX_IMPORT_BYTES, too_big

    if path == "-":
        raw = sys.stdin.buffer.read(MAX_IMPORT_BYTES + 1)
    else:
        with open(path, "rb") as fh:
            if os.fstat(fh.fileno()).st_size > MAX_IMPORT_BYTES:
                raise too_big()
            raw = fh.read(MAX_IMPORT_BYTES + 1)
    if len(raw) > MAX_IMPORT_BYTES:
        raise too_big()
    return raw.decode("utf-8-sig")


async def _teams() -> dict[str, tuple[int, str]]:
    """Every team: name key → (its account, its name) (no database yet: none)."""
    from core.reminders import Reminders
    from core.storage import Store
    from core.teams.models import name_key
    from core.teams.service import Teams

    if not db_path().is_file():
        return {}
    async with await Store.open(db_path()) as store:
        found = await Teams(Reminders(store)).all()
    return {name_key(team.name): (team.account, team.name) for team, *_rest in found}


async def _todays() -> Callable[[int], dt.date]:
    """Today in each user's zone, which no imported event may be after (`core.recording`):
    the zones users set in the bot, else the default zone (no database yet: every user)."""
    from core.reminders import Reminders
    from core.storage import Store

    if not db_path().is_file():
        from core.clock import SYSTEM_CLOCK
        from core.reminders.timing import DEFAULT_TZ

        today = SYSTEM_CLOCK.today(DEFAULT_TZ)
        return lambda _user: today
    async with await Store.open(db_path()) as store:
        return await Reminders(store).todays()


def run_import(args: argparse.Namespace) -> int:
    """Caps as in the bot's /import: `MAX_IMPORT_BYTES` and `MAX_IMPORT_ROWS` per file,
    `MAX_CASES_PER_USER` cases per user (each a one-sentence error, exit status 2)."""
    import io

    from core import aio
    from core.errors import InputError
    from core.importexport import (
        MAX_CASES_PER_USER,
        MAX_IMPORT_ROWS,
        CaseCapExceeded,
        ImportErrors,
        check_case_cap,
        import_rows,
        parse_csv,
    )

    try:
        teams = aio.run(_teams())
        default = args.user
        if args.team is not None:
            from core.teams.models import name_key

            if name_key(args.team) not in teams:
                return _fail(
                    N_("There is no team “{team}”. `pctby team list` lists them."),
                    team=args.team,
                )
            default = teams[name_key(args.team)][0]
        text = _read_capped(args.file)
        today = aio.run(_todays())
        accounts = {key: account for key, (account, _name) in teams.items()}
        rows = parse_csv(
            io.StringIO(text, newline=""), default, MAX_IMPORT_ROWS, today=today, teams=accounts
        )
    except FileNotFoundError:
        return _fail(N_("The file {path} does not exist."), path=args.file)
    except UnicodeDecodeError:
        return _fail(N_("The file {path} is not UTF-8 text."), path=args.file)
    except InputError as exc:
        return _fail(str(exc))
    except ImportErrors as exc:
        if exc.too_many_rows is not None:
            return _fail(str(exc.too_many_rows))
        sys.stderr.write(
            f"pctby: {len(exc.errors)} bad row(s) in {args.file}; nothing was imported.\n"
        )
        for err in exc.errors:
            for problem in err.errors:  # every problem of the row, each on its own line
                sys.stderr.write(f"  line {err.line}: {problem}\n")
        return exits.BAD_INPUT

    async def go() -> str:
        from core.reminders import Reminders
        from core.storage import Store

        async with await Store.open(db_path()) as store:
            reminders = Reminders(store)
            await check_case_cap(reminders, rows, MAX_CASES_PER_USER)
            result = await import_rows(reminders, rows)
        return (
            f"imported {len(rows)} row(s): {result.created} new case(s), "
            f"{result.updated} updated, {result.users} user(s) — {db_path()}"
        )

    try:
        print(aio.run(go()))
    except CaseCapExceeded as exc:
        return _fail(
            N_(
                "Nothing was imported: the user {user} would have {total} cases; up to {max} "
                "cases per user."
            ),
            user=exc.user,
            total=exc.total,
            max=exc.cap,
        )
    except OSError as exc:
        return _fail(N_("Cannot open the database {path}: {error}"), path=db_path(), error=exc)
    return exits.OK


def run_export(args: argparse.Namespace) -> int:
    from core import aio
    from core.importexport import export_csv, export_ics

    if not db_path().is_file():
        return _fail(N_("There is no database at {path} (set PCTBY_DB)."), path=db_path())

    async def go() -> bytes:
        from core.reminders import Reminders
        from core.storage import Store

        async with await Store.open(db_path()) as store:
            reminders = Reminders(store)
            owner = args.user
            if args.team is not None:
                from core.teams.service import Teams

                team = await Teams(reminders).named(args.team)
                if team is None:
                    raise LookupError
                owner = team.account
            async with store.transaction() as tx:
                if await tx.users.get(owner) is None:
                    raise LookupError
            if args.format == "ics":
                return await export_ics(reminders, owner)
            return (await export_csv(reminders, owner)).encode()

    try:
        data = aio.run(go())
    except LookupError:
        if args.team is not None:
            return _fail(
                N_("There is no team “{team}”. `pctby team list` lists them."), team=args.team
            )
        return _fail(N_("There is no user {user} in the database."), user=args.user)
    if args.out:
        try:
            Path(args.out).parent.mkdir(parents=True, exist_ok=True)
            Path(args.out).write_bytes(data)
        except OSError as exc:
            return _fail(N_("Cannot write {path}: {error}"), path=args.out, error=exc)
    else:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
    return exits.OK


def run_backup(args: argparse.Namespace) -> int:
    """The copy is stamped with the moment it was taken (`pctby restore` says it)."""
    from core.clock import SystemClock
    from core.storage import backup_file

    source = db_path(args.db)
    target = Path(args.path)
    if not source.is_file():
        return _fail(N_("There is no database at {path} (set PCTBY_DB)."), path=source)
    if target.resolve() == source.resolve():
        return _fail(N_("The backup must go to another file than the database itself."))
    try:
        backup_file(source, target, SystemClock().now())
    except OSError as exc:
        return _fail(N_("Cannot write {path}: {error}"), path=target, error=exc)
    except Exception as exc:  # sqlite3.Error: not a database, locked for too long
        sys.stderr.write(f"pctby: backup failed: {exc}\n")
        return exits.FAILED
    print(f"backup of {source} written to {target}")
    return exits.OK


def run_replan(args: argparse.Namespace) -> int:
    import time

    from core import aio

    if not db_path().is_file():
        return _fail(N_("There is no database at {path} (set PCTBY_DB)."), path=db_path())

    async def go() -> int:
        from core.reminders import Reminders
        from core.storage import Store

        async with await Store.open(db_path()) as store:
            total = (await store.stats()).cases

            def progress(done: int) -> None:
                if sys.stderr.isatty():
                    sys.stderr.write(f"\r{done:,} / {total:,} cases planned")
                    sys.stderr.flush()

            count = await Reminders(store).replan_all(workers=args.workers, progress=progress)
            if sys.stderr.isatty():
                sys.stderr.write("\n")
            return count

    t0 = time.perf_counter()
    count = aio.run(go())
    print(f"planned the alerts of {count:,} case(s) in {time.perf_counter() - t0:.1f} s")
    return exits.OK
