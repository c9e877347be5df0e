"""`pctby restore BACKUP [--db PATH]`: put a backup in place of the database, safely.

Refused while a `pctby run` holds the database (exit status 7): stop the bot first. The lock is
held for the whole restore, so no bot starts in the middle of it. The backup is checked whole
first (`integrity_check`, a pctby database, a schema this pctby knows: else exit status 4 and
nothing is touched); the database it replaces is kept beside it
(`<database>.before-restore-<time>`, `--no-keep` to skip the copy); the copy goes into place
with SQLite's backup API, which settles the old `-wal`/`-shm` (`core.storage.files`); the
result is checked again, and the command says what it restored: users, cases, the date of the
backup. A backup from an older pctby is brought up to date by the next `pctby run`.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from pctby import exits


def register(sub: Any) -> None:
    p: argparse.ArgumentParser = sub.add_parser(
        "restore",
        help="replace the database with a backup (stop the bot first; the replaced database"
        " is kept beside it)",
    )
    p.add_argument("backup", metavar="BACKUP", help="a copy made by `pctby backup`")
    p.add_argument("--db", default=None, help="the database to replace (default: PCTBY_DB)")
    p.add_argument(
        "--no-keep",
        action="store_true",
        help="keep no copy of the database it replaces (a damaged one is always kept)",
    )
    p.set_defaults(func=run)


def _say(message: str) -> None:
    sys.stderr.write(f"pctby: {message}\n")


def run(args: argparse.Namespace) -> int:
    from core.clock import SystemClock
    from core.errors import DatabaseUnusable
    from core.storage import restore_file
    from pctby.commands._common import db_path
    from pctby.instance import AlreadyRunningError, InstanceLock

    target = db_path(args.db)
    backup = Path(args.backup)
    if not backup.is_file():
        _say(f"there is no backup at {backup}.")
        return exits.BAD_INPUT
    if target.exists() and backup.resolve() == target.resolve():
        _say(f"{backup} is the database itself: name a backup.")
        return exits.BAD_INPUT
    now = SystemClock().now()
    lock = InstanceLock(target, role="pctby restore")
    try:
        lock.acquire()
    except AlreadyRunningError as holder:
        _say(
            f"the database {target} is in use ({holder}): stop the bot first (systemctl stop"
            " pctby, docker stop …), then restore."
        )
        return exits.BUSY
    outcome = "restore failed"
    try:
        done = restore_file(
            backup, target, stamp=now.strftime("%Y%m%dT%H%M%SZ"), keep=not args.no_keep
        )
        outcome = f"restored {backup}"
    except DatabaseUnusable as exc:
        _say(f"nothing was restored: {exc}.")
        return exits.DATABASE
    except OSError as exc:
        _say(f"nothing was restored: {exc}.")
        return exits.FAILED
    finally:
        lock.release(outcome)
    info = done.backup
    when = (
        f"a backup taken {info.taken_at.astimezone(now.tzinfo):%Y-%m-%d %H:%M} UTC"
        if info.taken_at is not None
        else f"a copy dated {info.modified:%Y-%m-%d %H:%M} UTC (file time)"
    )
    print(
        f"restored {target} from {backup}, {when}: {info.users:,} user(s), {info.cases:,}"
        f" case(s), schema version {info.schema}."
    )
    if done.kept is not None:
        what = (
            "the damaged database it replaced was moved"
            if done.damaged
            else "the database it replaced is kept"
        )
        print(f"{what[0].upper()}{what[1:]} as {done.kept}.")
    from core.storage import LATEST

    if info.schema < LATEST:
        print(f"The next `pctby run` brings it from schema version {info.schema} to {LATEST}.")
    return exits.OK
