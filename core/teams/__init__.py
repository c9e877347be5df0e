"""Teams: a firm's members share cases, with roles, an alert group and a record of who did what.

- `models` — teams, members, roles, a team's account (the owner of its cases), names;
- `access` — which cases a user reaches, and with which role: every read and write of a case
  by a user goes through it, inside the unit of work that acts (a member removed a moment ago
  reaches nothing);
- `service` — `Teams`: create, invite and join, roles, remove and leave, share a case, assign
  it, link the alert group; each one unit of work.

The storage is `core.storage.repos.teams.TeamRepo` (`tx.teams`).
"""

from core.teams.models import (
    ACCOUNT_BASE,
    Holding,
    Member,
    Role,
    Team,
    account_of,
    is_team_account,
    team_of,
)

__all__ = [
    "ACCOUNT_BASE",
    "Holding",
    "Member",
    "Role",
    "Team",
    "account_of",
    "is_team_account",
    "team_of",
]
