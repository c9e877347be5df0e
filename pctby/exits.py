"""Exit statuses of `pctby`, one per kind of failure (listed in `pctby --help` and the README).

A service manager can tell a fault that a restart cannot mend (bad input or settings, a database
from a newer program, an incomplete installation) from one that may pass (the Bot API cannot be
reached): `deploy/pctby.service` names the first in `RestartPreventExitStatus=`.
"""

from __future__ import annotations

from typing import Final

OK: Final = 0
FAILED: Final = 1  # the command could not do its work (`pctby health`: unhealthy)
BAD_INPUT: Final = 2  # bad arguments or input: one sentence on stderr
BAD_SETTINGS: Final = 3  # a PCTBY_* setting is invalid, or Telegram rejected the token
DATABASE: Final = 4  # the database is from a newer pctby, or is not a pctby database
INSTALLATION: Final = 5  # part of the installation is missing (a catalog, the webhooks extra)
UNREACHABLE: Final = 6  # the Telegram Bot API could not be reached at start-up

# What `pctby --help` says about them (kept here, next to the numbers).
SUMMARY: Final = f"""exit status:
  {OK}  done
  {FAILED}  failed (pctby health: the bot is not healthy)
  {BAD_INPUT}  bad input (one sentence on stderr says what)
  {BAD_SETTINGS}  bad settings (a PCTBY_* variable), or Telegram rejected the bot token
  {DATABASE}  the database is from a newer pctby, or is not a pctby database
  {INSTALLATION}  incomplete installation (a message catalog, or the webhooks extra, is missing)
  {UNREACHABLE}  the Telegram Bot API could not be reached at start-up"""
