"""`pctby schedule check FILE`: validate a fee schedule (TOML, the format of
`core/data/fees/*.toml`) and show what it changes — what the staff's /schedule does, offline.
`pctby schedule undo`: withdraw the newest schedule the staff installed, on the database of a
stopped bot (a running bot keeps its schedules in memory until its next start: there, the
staff's /schedule undo does it)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from pctby import exits
from pctby.commands._common import add_output, guarded, print_json


def register(sub: Any) -> None:
    p: argparse.ArgumentParser = sub.add_parser(
        "schedule",
        help="fee schedules: check a TOML file before the staff install it; withdraw the newest",
    )
    actions = p.add_subparsers(dest="action", required=True, parser_class=type(p))
    check = actions.add_parser("check", help="validate FILE and show its changes")
    check.add_argument("file", metavar="FILE", help="a fee schedule in TOML")
    add_output(check)
    check.set_defaults(func=guarded(run_check))
    undo = actions.add_parser(
        "undo", help="withdraw the newest schedule the staff installed (the bot stopped)"
    )
    undo.add_argument("--db", default=None, help="the database (default: PCTBY_DB)")
    undo.add_argument("--lang", choices=("ru", "be", "en"), help="language of the output")
    undo.set_defaults(func=guarded(run_undo))


def run_check(args: argparse.Namespace) -> int:
    from core.clock import SystemClock
    from core.fee_schedules import check, read_document_file
    from core.schedule import ScheduleProblems
    from pctby.commands._common import translator_for

    t = translator_for(args)
    document = read_document_file(Path(args.file))
    try:
        checked = check(document, SystemClock().today())
    except ScheduleProblems as err:
        if args.json:
            print_json({"valid": False, "problems": [t.error(p) for p in err.problems]})
        for problem in err.problems:
            print(f"pctby: {t.error(problem)}", file=sys.stderr)
        return exits.BAD_INPUT
    info, follows = checked.schedule.info, checked.follows.info
    if args.json:
        print_json(
            {
                "valid": True,
                "id": info.id,
                "effective_from": info.effective_from,
                "follows": follows.id,
                "changes": [{"what": c.what, "old": c.old, "new": c.new} for c in checked.changes],
            }
        )
        return exits.OK
    print(
        t.fmt(
            "Valid: {id}, in force from {date}; compared with {old}:",
            id=info.id,
            date=t.date(info.effective_from),
            old=follows.id,
        )
    )
    for c in checked.changes:
        print(f"  {c.what}: {c.old or '—'} → {c.new or '—'}")
    return exits.OK


def run_undo(args: argparse.Namespace) -> int:
    """Refused while a bot runs on the database (exit status 7): the running bot keeps the
    schedules it installed until its next start — /schedule undo is the way there."""
    from core import aio
    from core.clock import SystemClock
    from core.errors import N_, InputError
    from core.fee_schedules import Withdrawn, restore, withdraw_newest
    from core.storage import Store
    from pctby.commands._common import db_path, translator_for
    from pctby.instance import AlreadyRunningError, InstanceLock

    t = translator_for(args)
    db = db_path(args.db)
    if not db.is_file():
        raise InputError(N_("There is no database at {path} (set PCTBY_DB)."), path=db)
    lock = InstanceLock(db, role="pctby schedule undo")
    try:
        lock.acquire()
    except AlreadyRunningError as holder:
        sys.stderr.write(
            f"pctby: the database {db} is in use ({holder}): while the bot runs, withdraw"
            " the schedule with /schedule undo in the staff chat.\n"
        )
        return exits.BUSY

    async def go() -> Withdrawn:
        async with await Store.open(db) as store:
            await restore(store)  # the installed schedules, to say what is in force after
            return await withdraw_newest(store, SystemClock().today())

    try:
        withdrawn = aio.run(go())
    finally:
        lock.release("schedule withdrawn")
    info = withdrawn.in_force.info
    print(
        t.fmt(
            "Withdrew the fee schedule {id} (in force from {date}). In force today: {today_id},"
            " from {today_date}.",
            id=withdrawn.id,
            date=withdrawn.effective_from.isoformat(),
            today_id=info.id,
            today_date=info.effective_from.isoformat(),
        )
    )
    print(t.gettext("The alerts are planned again at the bot's next start."))
    return exits.OK
