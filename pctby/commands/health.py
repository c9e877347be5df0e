"""`pctby health`: is the bot that runs on this database healthy? (Docker's HEALTHCHECK.)

Healthy: a `pctby run` holds the database (`pctby.instance`), the database answers and the
reminder dispatcher completed a round within the last minute (`core.health`). Once the bot has
stopped — cleanly or not — the lock is free and the answer is 1 at once, with how it ended.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from pctby import exits

# Exit statuses 0 and 1 only (Docker's HEALTHCHECK reserves 2): a bad PCTBY_DB is reported as
# unhealthy, with its sentence.


def register(sub: Any) -> None:
    p: argparse.ArgumentParser = sub.add_parser(
        "health",
        help="exit 0 if the running bot is healthy (it holds the database, which answers, and"
        " its reminder dispatcher ran within the last minute), else 1",
    )
    p.add_argument("--db", default=None, help="database file (default: PCTBY_DB)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from core.clock import SystemClock
    from core.errors import SettingsError
    from core.health import Health, check
    from pctby.commands._common import db_path
    from pctby.instance import probe

    try:
        db = db_path(args.db)
    except SettingsError as exc:
        health = Health(False, str(exc).rstrip("."))
    else:
        lock = probe(db)
        if lock is not None and not lock.held:
            if not db.is_file():
                health = Health(False, f"there is no database at {db}")
            else:
                ended = f"; the last one: {lock.line.rstrip('.')}" if lock.line else ""
                health = Health(False, f"no pctby run holds the database {db}{ended}")
        else:
            health = check(db, SystemClock().now())
    stream = sys.stdout if health.healthy else sys.stderr
    print(f"pctby: {'healthy' if health.healthy else 'unhealthy'}: {health.reason}.", file=stream)
    return exits.OK if health.healthy else exits.FAILED
