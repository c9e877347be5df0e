"""`pctby health`: is the bot that runs on this database healthy? (Docker's HEALTHCHECK.)"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from pctby import exits

# Exit statuses 0 and 1 only (Docker's HEALTHCHECK reserves 2): bad settings are the bot's
# business, this only reads PCTBY_DB.


def register(sub: Any) -> None:
    p: argparse.ArgumentParser = sub.add_parser(
        "health",
        help="exit 0 if the running bot is healthy (its database answers and its reminder"
        " dispatcher ran within the last minute), else 1",
    )
    p.add_argument("--db", default=None, help="database file (default: PCTBY_DB)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from pathlib import Path

    from core.clock import SystemClock
    from core.health import check
    from pctby.commands._common import db_path

    db = Path(args.db) if args.db else db_path()
    health = check(db, SystemClock().now())
    stream = sys.stdout if health.healthy else sys.stderr
    print(f"pctby: {'healthy' if health.healthy else 'unhealthy'}: {health.reason}.", file=stream)
    return exits.OK if health.healthy else exits.FAILED
