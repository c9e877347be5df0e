"""Teams, their members, invitations, the alert group, and who is assigned a team case.

System-side like the outbox: the caller (`core.teams.service`, `core.teams.access`) decides
who may do what; this module only reads and writes rows.
"""

from __future__ import annotations

from collections.abc import Sequence

from core.storage.models import from_epoch
from core.storage.repos._base import Row, _Repo
from core.teams.models import Member, Role, Team, account_of

TEAM_COLS = "t.id, t.name, t.account_id, t.group_chat_id, t.created_at"
MEMBER_COLS = "m.team_id, m.user_id, m.role, m.name, m.username, m.joined_at"


def team_from_row(r: Row) -> Team:
    return Team(
        id=int(r[0]),
        name=str(r[1]),
        account=int(r[2]),
        group_chat_id=None if r[3] is None else int(r[3]),
        created_at=from_epoch(r[4]),
    )


def member_from_row(r: Row) -> Member:
    return Member(
        team_id=int(r[0]),
        user_id=int(r[1]),
        role=Role(r[2]),
        name=str(r[3] or ""),
        username=None if r[4] is None else str(r[4]),
        joined_at=from_epoch(r[5]),
    )


class TeamRepo(_Repo):
    # --- teams --------------------------------------------------------------------------------

    async def create(
        self, name: str, key: str, created_by: int | None, language: str | None
    ) -> Team:
        """A new team and its account (the owner of its cases), in the caller's unit of work
        (a write transaction: the next id is the caller's alone)."""
        r = await self._one("SELECT coalesce(max(id), 0) + 1 FROM teams")
        team_id = int(r[0]) if r else 1
        account = account_of(team_id)
        now = self.now()
        await self._run(
            "INSERT INTO users (id, chat_id, language, created_at, updated_at)"
            " VALUES (?, ?, ?, ?, ?)",
            (account, account, language, now, now),
        )
        await self._run(
            "INSERT INTO teams (id, name, key, account_id, created_by, created_at)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            (team_id, name, key, account, created_by, now),
        )
        team = await self.get(team_id)
        assert team is not None
        return team

    async def get(self, team_id: int) -> Team | None:
        r = await self._one(f"SELECT {TEAM_COLS} FROM teams t WHERE t.id = ?", (team_id,))
        return None if r is None else team_from_row(r)

    async def by_key(self, key: str) -> Team | None:
        r = await self._one(f"SELECT {TEAM_COLS} FROM teams t WHERE t.key = ?", (key,))
        return None if r is None else team_from_row(r)

    async def by_group(self, chat_id: int) -> Team | None:
        r = await self._one(
            f"SELECT {TEAM_COLS} FROM teams t WHERE t.group_chat_id = ?", (chat_id,)
        )
        return None if r is None else team_from_row(r)

    async def by_accounts(self, accounts: Sequence[int]) -> dict[int, Team]:
        rows = await self._in(
            f"SELECT {TEAM_COLS} FROM teams t WHERE t.account_id IN ({{marks}})", (), accounts
        )
        return {team.account: team for team in map(team_from_row, rows)}

    async def all(self) -> list[Team]:
        rows = await self._all(f"SELECT {TEAM_COLS} FROM teams t ORDER BY t.key")
        return [team_from_row(r) for r in rows]

    async def set_group(self, team_id: int, chat_id: int | None) -> None:
        await self._run("UPDATE teams SET group_chat_id = ? WHERE id = ?", (chat_id, team_id))

    async def delete(self, team: Team) -> None:
        """The team with its cases, members and invitations (its account goes: cascades)."""
        await self._run("DELETE FROM users WHERE id = ?", (team.account,))

    async def case_account(self, case_id: int) -> int | None:
        """The account that holds the case `case_id` (system-side: `core.teams.access` then
        decides whether the asking user reaches it)."""
        r = await self._one("SELECT owner_id FROM cases WHERE id = ?", (case_id,))
        return None if r is None else int(r[0])

    async def case_count(self, team: Team) -> int:
        r = await self._one("SELECT count(*) FROM cases WHERE owner_id = ?", (team.account,))
        return int(r[0]) if r else 0

    # --- members ------------------------------------------------------------------------------

    async def of_user(self, user_id: int) -> list[tuple[Team, Member]]:
        """The teams `user_id` belongs to, with their membership, by name."""
        rows = await self._all(
            f"SELECT {TEAM_COLS}, {MEMBER_COLS} FROM team_members m"
            " JOIN teams t ON t.id = m.team_id WHERE m.user_id = ? ORDER BY t.key",
            (user_id,),
        )
        return [(team_from_row(r[:5]), member_from_row(r[5:])) for r in rows]

    async def member(self, team_id: int, user_id: int) -> Member | None:
        r = await self._one(
            f"SELECT {MEMBER_COLS} FROM team_members m WHERE m.team_id = ? AND m.user_id = ?",
            (team_id, user_id),
        )
        return None if r is None else member_from_row(r)

    async def members(self, team_id: int) -> list[Member]:
        """The team's members: owners first, then attorneys, then viewers, each by joining."""
        rows = await self._all(
            f"SELECT {MEMBER_COLS} FROM team_members m WHERE m.team_id = ? ORDER BY"
            " CASE m.role WHEN 'owner' THEN 0 WHEN 'attorney' THEN 1 ELSE 2 END,"
            " m.joined_at, m.user_id",
            (team_id,),
        )
        return [member_from_row(r) for r in rows]

    async def add_member(
        self, team_id: int, user_id: int, role: Role, name: str, username: str | None
    ) -> None:
        await self._run(
            "INSERT INTO team_members (team_id, user_id, role, name, username, joined_at)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            (team_id, user_id, role.value, name, username, self.now()),
        )

    async def set_role(self, team_id: int, user_id: int, role: Role) -> None:
        await self._run(
            "UPDATE team_members SET role = ? WHERE team_id = ? AND user_id = ?",
            (role.value, team_id, user_id),
        )

    async def remove_member(self, team: Team, user_id: int) -> bool:
        """Out of the team at once, with the team's cases assigned to them unassigned."""
        await self._run(
            "DELETE FROM case_assignees WHERE user_id = ? AND case_id IN"
            " (SELECT id FROM cases WHERE owner_id = ?)",
            (user_id, team.account),
        )
        n = await self._run(
            "DELETE FROM team_members WHERE team_id = ? AND user_id = ?", (team.id, user_id)
        )
        return n > 0

    async def touch(self, user_id: int, name: str, username: str | None) -> None:
        """The member's Telegram name and @username as last seen, in every team of theirs."""
        await self._run(
            "UPDATE team_members SET name = ?, username = ? WHERE user_id = ?"
            " AND (name IS NOT ? OR username IS NOT ?)",
            (name, username, user_id, name, username),
        )

    # --- invitations --------------------------------------------------------------------------

    async def add_invite(
        self, team_id: int, code_hash: str, role: Role, created_by: int, expires_at: int
    ) -> None:
        await self._run(
            "INSERT INTO team_invites (team_id, code_hash, role, created_by, created_at,"
            " expires_at) VALUES (?, ?, ?, ?, ?, ?)",
            (team_id, code_hash, role.value, created_by, self.now(), expires_at),
        )

    async def invite(self, code_hash: str) -> tuple[int, Role] | None:
        """The team and role of a code still unused and unexpired."""
        r = await self._one(
            "SELECT team_id, role FROM team_invites WHERE code_hash = ? AND used_by IS NULL"
            " AND expires_at > ?",
            (code_hash, self.now()),
        )
        return None if r is None else (int(r[0]), Role(r[1]))

    async def use_invite(self, code_hash: str, user_id: int) -> bool:
        """Marks the code used by `user_id`: True once, False for a code already used or
        expired (single use, whoever comes second)."""
        n = await self._run(
            "UPDATE team_invites SET used_by = ?, used_at = ? WHERE code_hash = ?"
            " AND used_by IS NULL AND expires_at > ?",
            (user_id, self.now(), code_hash, self.now()),
        )
        return n == 1

    async def open_invites(self, team_id: int) -> int:
        r = await self._one(
            "SELECT count(*) FROM team_invites WHERE team_id = ? AND used_by IS NULL"
            " AND expires_at > ?",
            (team_id, self.now()),
        )
        return int(r[0]) if r else 0

    # --- assignees ----------------------------------------------------------------------------

    async def assign(self, case_id: int, user_id: int | None) -> None:
        if user_id is None:
            await self._run("DELETE FROM case_assignees WHERE case_id = ?", (case_id,))
            return
        await self._run(
            "INSERT INTO case_assignees (case_id, user_id, at) VALUES (?, ?, ?)"
            " ON CONFLICT (case_id) DO UPDATE SET user_id = excluded.user_id, at = excluded.at",
            (case_id, user_id, self.now()),
        )

    async def assignees(self, case_ids: Sequence[int]) -> dict[int, int]:
        """The assignee of each of the cases that has one: case id → user id."""
        rows = await self._in(
            "SELECT case_id, user_id FROM case_assignees WHERE case_id IN ({marks})", (), case_ids
        )
        return {int(r[0]): int(r[1]) for r in rows}

    async def unassign_user(self, team: Team, user_id: int) -> None:
        """`user_id` no longer handles any case of the team (a viewer now, or gone)."""
        await self._run(
            "DELETE FROM case_assignees WHERE user_id = ? AND case_id IN"
            " (SELECT id FROM cases WHERE owner_id = ?)",
            (user_id, team.account),
        )

    # --- moving a case ------------------------------------------------------------------------

    async def move_case(self, case_id: int, src: int, dst: int) -> bool:
        """The case `case_id` of the account `src` becomes `dst`'s, with its alerts."""
        n = await self._run(
            "UPDATE cases SET owner_id = ?, updated_at = ? WHERE id = ? AND owner_id = ?",
            (dst, self.now(), case_id, src),
        )
        if n:
            await self._run(
                "UPDATE outbox SET user_id = ? WHERE case_id = ? AND user_id = ?",
                (dst, case_id, src),
            )
        return n > 0

    async def name_events(self, case_id: int, user_id: int, name: str) -> None:
        """The events `user_id` recorded on the case before it was shared get their name."""
        await self._run(
            "UPDATE events SET recorded_name = ? WHERE case_id = ? AND recorded_by = ?"
            " AND recorded_name IS NULL",
            (name, case_id, user_id),
        )
