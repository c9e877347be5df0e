"""Who gets a team case's alert, decided when the dispatcher takes it (so a member removed a
moment ago gets nothing, and a new assignee gets it at once):

- its assignee privately (an owner or attorney of the team who has not blocked the bot), and
  the team's linked group, if one is linked;
- with neither, every owner and attorney privately.

Each chat once: `core.reminders.delivery` records every chat the alert reached, so a retry or a
restart sends it only to those that have not had it.
"""

from __future__ import annotations

from dataclasses import dataclass

from core.reminders.models import Recipient
from core.storage import UnitOfWork
from core.teams.models import Member, Team


@dataclass(frozen=True, slots=True)
class TeamAlert:
    team: Team
    assignee: Member | None
    recipients: tuple[Recipient, ...]


async def recipients_of(tx: UnitOfWork, team_id: int, case_id: int) -> TeamAlert | None:
    team = await tx.teams.get(team_id)
    if team is None:
        return None
    members = await tx.teams.members(team_id)
    assigned = (await tx.teams.assignees([case_id])).get(case_id)
    assignee = next((m for m in members if m.user_id == assigned and m.role.writes), None)

    async def private(member: Member) -> Recipient | None:
        user = await tx.users.get(member.user_id)
        if user is None or user.blocked:
            return None
        return Recipient(user.chat_id, user.id, user.language)

    found: list[Recipient] = []
    mine = None if assignee is None else await private(assignee)
    if mine is not None:
        found.append(mine)
    if team.group_chat_id is not None:
        account = await tx.users.get(team.account)
        found.append(Recipient(team.group_chat_id, None, account.language if account else None))
    if not found:
        for member in members:
            if member.role.writes and (one := await private(member)) is not None:
                found.append(one)
    unique = tuple({r.chat_id: r for r in found}.values())
    return TeamAlert(team, assignee, unique)
