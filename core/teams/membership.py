"""What happens to a user's teams when the user's data is deleted (/forget)."""

from __future__ import annotations

from core.storage import UnitOfWork
from core.teams.models import Role


async def hand_over(tx: UnitOfWork, user: int) -> None:
    """Before `user`'s data is deleted: where they are a team's last owner, its
    longest-standing attorney (else viewer) becomes its owner — a team keeps at least one — and
    a team with no other member goes with its cases (nobody else could see them)."""
    for team, me in await tx.teams.of_user(user):
        others = [m for m in await tx.teams.members(team.id) if m.user_id != user]
        if not others:
            await tx.teams.delete(team)
        elif me.role is Role.OWNER and not any(m.role is Role.OWNER for m in others):
            heir = min(others, key=lambda m: (m.role is not Role.ATTORNEY, m.joined_at))
            await tx.teams.set_role(team.id, heir.user_id, Role.OWNER)
