"""`pctby schedule check FILE`: validate a fee schedule (TOML, the format of
`core/data/fees/*.toml`) and show what it changes — what the staff's /schedule does, offline."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from pctby.commands._common import EXIT_BAD_INPUT, EXIT_OK, add_output, guarded, print_json


def register(sub: Any) -> None:
    p: argparse.ArgumentParser = sub.add_parser(
        "schedule", help="fee schedules: check a TOML file before the staff install it"
    )
    actions = p.add_subparsers(dest="action", required=True, parser_class=type(p))
    check = actions.add_parser("check", help="validate FILE and show its changes")
    check.add_argument("file", metavar="FILE", help="a fee schedule in TOML")
    add_output(check)
    check.set_defaults(func=guarded(run_check))


def run_check(args: argparse.Namespace) -> int:
    from core.errors import N_, InputError
    from core.fee_schedules import check
    from core.schedule import ScheduleProblems
    from pctby.commands._common import translator_for

    t = translator_for(args)
    try:
        document = Path(args.file).read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError):
        raise InputError(N_("Cannot read {path} as a UTF-8 text file."), path=args.file) from None
    try:
        checked = check(document)
    except ScheduleProblems as err:
        if args.json:
            print_json({"valid": False, "problems": [t.error(p) for p in err.problems]})
        for problem in err.problems:
            print(f"pctby: {t.error(problem)}", file=sys.stderr)
        return EXIT_BAD_INPUT
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
        return EXIT_OK
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
    return EXIT_OK
