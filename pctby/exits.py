"""Exit statuses of `pctby`, one per kind of failure — defined here only (`pctby --help` prints
`SUMMARY`; docs/MANUAL.md's and deploy/README.md's tables list the same).

A service manager can tell a fault that a restart cannot mend (bad input or settings, a database
from a newer program or a damaged one, an incomplete installation) from one that may pass (the
Bot API cannot be reached, another `pctby run` still holds the database, a failure at run time):
`deploy/pctby.service` names the first in `RestartPreventExitStatus=`.
"""

from __future__ import annotations

from typing import Final

OK: Final = 0
FAILED: Final = 1  # the command failed (`pctby health`: unhealthy; `run`: a background task died)
BAD_INPUT: Final = 2  # bad arguments or input: one sentence on stderr
BAD_SETTINGS: Final = 3  # a PCTBY_* setting or .env is invalid, Telegram rejected the token,
#                          or `run` has no token and no terminal or pipe to chat through
DATABASE: Final = 4  # the database is from a newer pctby, is damaged, or is not a pctby database
INSTALLATION: Final = 5  # part of the installation is missing (a message catalog)
UNREACHABLE: Final = 6  # the Telegram Bot API could not be reached at start-up
BUSY: Final = 7  # another `pctby run` holds the database (a second bot; `restore` beside a bot)

# Statuses a restart cannot mend (deploy/pctby.service: RestartPreventExitStatus=).
PERMANENT: Final = (BAD_INPUT, BAD_SETTINGS, DATABASE, INSTALLATION)

# What `pctby --help` says about them (kept here, next to the numbers).
SUMMARY: Final = f"""exit status:
  {OK}  done
  {FAILED}  failed (pctby health: the bot is not healthy; pctby run: a background task died)
  {BAD_INPUT}  bad input (one sentence on stderr says what)
  {BAD_SETTINGS}  bad settings (a PCTBY_* variable, or .env), Telegram rejected the bot token,
     or pctby run has no token and no terminal to chat in
  {DATABASE}  the database is from a newer pctby, is damaged, or is not a pctby database
  {INSTALLATION}  incomplete installation (a message catalog is missing)
  {UNREACHABLE}  the Telegram Bot API could not be reached at start-up
  {BUSY}  another pctby run holds the database (stop it first)"""
