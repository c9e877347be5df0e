"""`Teams`: what the members of a team do — each action one unit of work, its checks inside it.

    teams = Teams(reminders)
    team = await teams.create(me, "Sidorenko-IP")          # the creator is its owner
    invite = await teams.invite(me, None, Role.ATTORNEY)     # a one-time code, 7 days
    await teams.join(Who(anna, "Anna", "anna"), invite.code)
    await teams.share(me, case_id, None)                     # my case becomes the team's
    await teams.assign(me, case_id, "@anna")                 # its alerts go to Anna privately
    await teams.link(me, None, group_chat_id, admin=True)    # and to the team's group

Rules (the team's side of docs/RULES.md is its alerts; these are the firm's):
- an invitation code is 80 random bits (16 letters and digits), shown once and stored only as
  its SHA-256; it lets one person in, within `INVITE_DAYS` days; a wrong, used or expired code
  gets one and the same answer;
- a team keeps at least one owner: the last owner can neither step down nor leave while others
  remain; the last member leaving (or forgetting their data) deletes the team with its cases;
- a team's name is one word (`check_name`), unique in any letter case; a command names the team
  where the user is in several (`Choose`), and a user is never told whether a team they are not
  in exists;
- sharing moves one of the user's own cases into the team whole (its events, with who recorded
  them, and its alerts); nothing else of theirs becomes visible to the team;
- the linked group is checked by the front-end at that moment (Telegram's getChatMember: the
  user is its administrator) and passed as `admin`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from base64 import b32encode
from dataclasses import dataclass

from core.deadlines import compute
from core.errors import N_, InputError
from core.models import Deadline
from core.reminders.service import Reminders
from core.storage import Case, UnitOfWork, case_facts
from core.storage.models import to_epoch
from core.teams.access import (
    VIEWERS_ONLY_SEE,
    NotAllowed,
    check_write,
    reach,
    role_at_least,
    team_named,
)
from core.teams.models import (
    INVITE_DAYS,
    Member,
    Role,
    Team,
    check_name,
    name_key,
    team_of,
)

CODE_BYTES = 10  # 80 bits
NOT_IN_TEAM = N_("You are not in a team “{team}”. /team lists your teams.")
NO_TEAM = N_("You are in no team yet: /team new NAME creates one, /team join CODE joins one.")
OWNERS_ONLY = N_("Only an owner of {team} can do that.")
BAD_CODE = N_(
    "This invitation code is not valid: it is wrong, used or expired. Ask an owner of the "
    "team for a new one."
)
KEEP_AN_OWNER = N_("A team keeps at least one owner: make another member an owner of {team} first.")


@dataclass(frozen=True, slots=True)
class Who:
    """A Telegram user as the team sees them: id, name and @username (as last seen)."""

    id: int
    name: str = ""
    username: str | None = None

    @property
    def handle(self) -> str | None:
        return self.username.lower() if self.username else None


class Choose(InputError):
    """The user is in several teams that could be meant: they must name one."""

    def __init__(self, teams: list[Team]) -> None:
        super().__init__(
            N_("You are in several teams ({teams}): name the one you mean, for example {team}."),
            team=teams[0].name,
            teams=", ".join(t.name for t in teams),
        )
        self.teams = teams


class LastMember(Exception):
    """The last member would leave: the team and its cases would go (the front-end asks to
    confirm, then calls `Teams.dissolve`)."""

    def __init__(self, team: Team, cases: int) -> None:
        super().__init__(f"the last member of {team.name} leaves: {cases} case(s) would go")
        self.team = team
        self.cases = cases


@dataclass(frozen=True, slots=True)
class Invite:
    team: Team
    role: Role
    code: str  # shown once: only its hash is stored
    expires: dt.datetime

    @property
    def payload(self) -> str:
        """The deep link's start parameter: t.me/<bot>?start=join-CODE."""
        return f"join-{self.code}"


@dataclass(frozen=True, slots=True)
class TeamView:
    """A team as one of its members sees it."""

    team: Team
    me: Member
    members: tuple[Member, ...]
    cases: int
    open_invites: int


@dataclass(frozen=True, slots=True)
class Nearest:
    """A team case's nearest open deadline (for a group: what to look at first)."""

    case: Case
    deadline: Deadline


@dataclass(frozen=True, slots=True)
class Shared:
    case: Case
    team: Team
    nearest: Deadline | None


@dataclass(frozen=True, slots=True)
class Linked:
    team: Team
    before: int | None  # the group that was linked before (now unlinked), if another
    nearest: tuple[Nearest, ...]
    total: int  # team cases with an open deadline


async def assignees_in(tx: UnitOfWork, case_ids: list[int]) -> dict[int, Member]:
    """The assignee of each of the cases that has one, as a member of the case's team."""
    found: dict[int, Member] = {}
    for case_id, user_id in (await tx.teams.assignees(case_ids)).items():
        account = await tx.teams.case_account(case_id)
        team_id = None if account is None else team_of(account)
        member = None if team_id is None else await tx.teams.member(team_id, user_id)
        if member is not None:
            found[case_id] = member
    return found


def code_hash(code: str) -> str:
    return hashlib.sha256(code.encode("ascii")).hexdigest()


def normal_code(text: str) -> str:
    """A code as typed or linked (`join-ABCD-EFGH-…`, lower case, spaces) in its stored form."""
    text = text.strip()
    if text.lower().startswith("join-"):
        text = text[5:]
    return "".join(c for c in text.upper() if c.isascii() and c.isalnum())


def new_code() -> str:
    return b32encode(secrets.token_bytes(CODE_BYTES)).decode("ascii").rstrip("=")


def spaced(code: str) -> str:
    """ABCD-EFGH-IJKL-MNOP: easier to read out and to type."""
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))


class Teams:
    """The team actions over the reminders' store (its planner replans a shared case)."""

    def __init__(self, reminders: Reminders) -> None:
        self.reminders = reminders
        self.store = reminders.store

    def _now(self) -> dt.datetime:
        return self.store.clock()

    # --- which team -----------------------------------------------------------------------

    async def _mine(
        self, tx: UnitOfWork, user: int, name: str | None, need: Role = Role.VIEWER
    ) -> tuple[Team, Member]:
        """The user's team `name`, or where they name none, the one team of theirs that can
        be meant (the only one, or the only one where their role is at least `need`)."""
        if name is not None:
            found = await team_named(tx, user, name)
            if found is None:
                raise InputError(NOT_IN_TEAM, team=name[:40])
            return found
        mine = await tx.teams.of_user(user)
        if not mine:
            raise InputError(NO_TEAM)
        if len(mine) == 1:
            return mine[0]
        able = [(t, m) for t, m in mine if role_at_least(m, need)]
        if len(able) == 1:
            return able[0]
        raise Choose([t for t, _m in (able or mine)])

    @staticmethod
    async def _target(tx: UnitOfWork, team: Team, spec: str) -> Member:
        """A member named as @username or by Telegram id."""
        text = spec.strip()
        members = await tx.teams.members(team.id)
        if text.startswith("@"):
            handle = text[1:].lower()
            found = [m for m in members if m.username == handle]
        elif text.isdecimal():
            found = [m for m in members if m.user_id == int(text)]
        else:
            raise InputError(
                N_("Name the member as @username (or by their Telegram id); got “{who}”."),
                who=text[:40],
            )
        if not found:
            raise InputError(
                N_("{who} is not a member of {team}. /team lists its members."),
                who=text[:40],
                team=team.name,
            )
        return found[0]

    @staticmethod
    def _owner(team: Team, member: Member) -> None:
        if member.role is not Role.OWNER:
            raise InputError(OWNERS_ONLY, team=team.name)

    # --- what the user sees ------------------------------------------------------------------

    async def seen(self, who: Who) -> None:
        """The member's Telegram name and @username, as last seen (for /team and @mentions)."""
        async with self.store.transaction() as tx:
            await tx.teams.touch(who.id, who.name, who.handle)

    async def of_user(self, user: int) -> list[TeamView]:
        async with self.store.reading() as tx:
            return [await self._view(tx, t, m) for t, m in await tx.teams.of_user(user)]

    @staticmethod
    async def _view(tx: UnitOfWork, team: Team, me: Member) -> TeamView:
        return TeamView(
            team,
            me,
            tuple(await tx.teams.members(team.id)),
            await tx.teams.case_count(team),
            await tx.teams.open_invites(team.id),
        )

    async def language(self, team: Team) -> str | None:
        """The language of what the bot posts in the team's group (its creator's, by default)."""
        async with self.store.reading() as tx:
            account = await tx.users.get(team.account)
        return None if account is None else account.language

    async def writable(self, user: int) -> list[Team]:
        """The teams where the user may add cases (owner or attorney)."""
        async with self.store.reading() as tx:
            return [t for t, m in await tx.teams.of_user(user) if m.role.writes]

    async def target(self, user: int, name: str | None) -> Team:
        """The team `name` the user imports into or adds to (owner or attorney); `name` None:
        as `_mine` chooses."""
        async with self.store.reading() as tx:
            team, me = await self._mine(tx, user, name, Role.ATTORNEY)
        if not me.role.writes:
            raise NotAllowed(VIEWERS_ONLY_SEE, team)
        return team

    async def settings_of(self, user: int, name: str | None, *, change: bool = False) -> Team:
        """The team whose reminder settings (the lead times, alert time, time zone and quiet
        hours its alerts follow) the user reads — any member — or changes — owners only;
        `name` None: as `_mine` chooses."""
        async with self.store.reading() as tx:
            team, me = await self._mine(tx, user, name, Role.OWNER if change else Role.VIEWER)
        if change:
            self._owner(team, me)
        return team

    # --- creating, inviting, joining ---------------------------------------------------------

    async def create(self, who: Who, name: str, language: str | None = None) -> Team:
        """A new team whose only member, its owner, is `who`."""
        name = check_name(name)
        async with self.store.transaction() as tx:
            if await tx.teams.by_key(name_key(name)) is not None:
                raise InputError(N_("The name “{name}” is taken: choose another one."), name=name)
            await tx.users.ensure(who.id)
            team = await tx.teams.create(name, name_key(name), who.id, language)
            await tx.teams.add_member(team.id, who.id, Role.OWNER, who.name, who.handle)
        return team

    async def invite(self, user: int, name: str | None, role: Role = Role.VIEWER) -> Invite:
        """A one-time code that lets one person in as `role` (owners only)."""
        code = new_code()
        expires = self._now() + dt.timedelta(days=INVITE_DAYS)
        async with self.store.transaction() as tx:
            team, me = await self._mine(tx, user, name, Role.OWNER)
            self._owner(team, me)
            await tx.teams.add_invite(team.id, code_hash(code), role, user, to_epoch(expires))
        return Invite(team, role, code, expires)

    async def join(self, who: Who, code: str) -> tuple[Team, Role]:
        """Into the team of the code, as the role it gives; the code is used up."""
        key = code_hash(normal_code(code)) if normal_code(code) else ""
        async with self.store.transaction() as tx:
            found = await tx.teams.invite(key) if key else None
            if found is None:
                raise InputError(BAD_CODE)
            team_id, role = found
            team = await tx.teams.get(team_id)
            if team is None:
                raise InputError(BAD_CODE)
            if await tx.teams.member(team_id, who.id) is not None:
                raise InputError(N_("You are already a member of {team}."), team=team.name)
            if not await tx.teams.use_invite(key, who.id):
                raise InputError(BAD_CODE)
            await tx.users.ensure(who.id)
            await tx.teams.add_member(team_id, who.id, role, who.name, who.handle)
        return team, role

    # --- roles, removal, leaving ---------------------------------------------------------------

    async def set_role(self, user: int, name: str | None, spec: str, role: Role) -> Member:
        """`spec`'s role in the team becomes `role` (owners only; the last owner stays one)."""
        async with self.store.transaction() as tx:
            team, me = await self._mine(tx, user, name, Role.OWNER)
            self._owner(team, me)
            target = await self._target(tx, team, spec)
            if target.role is Role.OWNER and role is not Role.OWNER:
                owners = [m for m in await tx.teams.members(team.id) if m.role is Role.OWNER]
                if len(owners) == 1:
                    raise InputError(KEEP_AN_OWNER, team=team.name)
            await tx.teams.set_role(team.id, target.user_id, role)
            if not role.writes:  # a viewer handles no case: their alerts go elsewhere
                await tx.teams.unassign_user(team, target.user_id)
            after = await tx.teams.member(team.id, target.user_id)
        assert after is not None
        return after

    async def remove(self, user: int, name: str | None, spec: str) -> tuple[Team, Member]:
        """`spec` is out of the team at once (owners only; oneself: `leave`)."""
        async with self.store.transaction() as tx:
            team, me = await self._mine(tx, user, name, Role.OWNER)
            self._owner(team, me)
            target = await self._target(tx, team, spec)
            if target.user_id == user:
                raise InputError(N_("To leave {team} yourself, send /team leave."), team=team.name)
            await tx.teams.remove_member(team, target.user_id)
        return team, target

    async def leave(self, user: int, name: str | None, *, dissolve: bool = False) -> Team:
        """The user leaves the team. The last owner cannot while others remain; the last
        member (`LastMember` unless `dissolve`) deletes the team and its cases."""
        async with self.store.transaction() as tx:
            team, me = await self._mine(tx, user, name)
            members = await tx.teams.members(team.id)
            others = [m for m in members if m.user_id != user]
            if not others:
                if not dissolve:
                    raise LastMember(team, await tx.teams.case_count(team))
                await tx.teams.delete(team)
                return team
            if me.role is Role.OWNER and not any(m.role is Role.OWNER for m in others):
                raise InputError(KEEP_AN_OWNER, team=team.name)
            await tx.teams.remove_member(team, user)
        return team

    async def dissolve(self, user: int, team_id: int) -> Team | None:
        """The confirmed "delete the team" of its last member; None where that no longer
        holds (someone joined meanwhile, or they are not in it)."""
        async with self.store.transaction() as tx:
            team = await tx.teams.get(team_id)
            if team is None or await tx.teams.member(team_id, user) is None:
                return None
            if len(await tx.teams.members(team_id)) != 1:
                return None
            await tx.teams.delete(team)
        self.reminders._changed()
        return team

    # --- cases --------------------------------------------------------------------------------

    async def share(self, user: int, case_id: int, name: str | None) -> Shared:
        """One of the user's own cases moves into the team (owner or attorney), whole: its
        events (with who recorded them) and its alerts, planned from now on for the team."""
        async with self.store.transaction() as tx:
            reached = await reach(tx, user, case_id)
            if reached is None:
                raise InputError(N_("This case no longer exists. See /cases."))
            if reached.team is not None:
                raise InputError(
                    N_("{ref} is already a case of {team}."),
                    ref=reached.case.ref,
                    team=reached.team.name,
                )
            team, me = await self._mine(tx, user, name, Role.ATTORNEY)
            if not me.role.writes:
                raise NotAllowed(VIEWERS_ONLY_SEE, team)
            case = reached.case
            if await tx.cases.by_ref(team.account, case.ref) is not None:
                raise InputError(
                    N_("{team} already has a case “{ref}”."), team=team.name, ref=case.ref
                )
            await tx.teams.move_case(case.id, user, team.account)
            await tx.teams.name_events(case.id, user, me.label)
            await self.reminders.replan(tx, team.account, case.id)
            moved = await tx.cases.get(team.account, case.id)
            assert moved is not None
            events = await tx.cases.events(team.account, case.id)
        self.reminders._changed()
        deadlines = compute(case_facts(moved, events))
        return Shared(moved, team, deadlines[0] if deadlines else None)

    async def assign(self, user: int, case_id: int, spec: str | None) -> tuple[Case, Member | None]:
        """Who handles the team case (its alerts go to them privately); None: nobody."""
        async with self.store.transaction() as tx:
            reached = await reach(tx, user, case_id, write=True)
            if reached is None:
                raise InputError(N_("This case no longer exists. See /cases."))
            team = reached.team
            if team is None:
                raise InputError(
                    N_("{ref} is your own case: share it with a team first (/team share {ref})."),
                    ref=reached.case.ref,
                )
            target = None if spec is None else await self._target(tx, team, spec)
            if target is not None and not target.role.writes:
                raise InputError(
                    N_("{who} is a viewer of {team}: only an owner or an attorney handles a case."),
                    who=target.label,
                    team=team.name,
                )
            await tx.teams.assign(case_id, None if target is None else target.user_id)
        return reached.case, target

    async def assignees(self, case_ids: list[int]) -> dict[int, Member]:
        """The assignee of each team case that has one (for the cards and lists)."""
        async with self.store.reading() as tx:
            return await assignees_in(tx, case_ids)

    # --- the alert group ----------------------------------------------------------------------

    async def link(self, user: int, name: str | None, chat_id: int, *, admin: bool) -> Linked:
        """The group `chat_id` becomes the team's alert group: the user is an owner of the team
        and (`admin`, checked by the front-end at this moment) an administrator of the group."""
        async with self.store.transaction() as tx:
            team, me = await self._mine(tx, user, name, Role.OWNER)
            self._owner(team, me)
            if not admin:
                raise InputError(N_("Only an administrator of this group can link it to a team."))
            other = await tx.teams.by_group(chat_id)
            if other is not None and other.id != team.id:
                raise InputError(N_("This group already receives the alerts of another team."))
            before = team.group_chat_id if team.group_chat_id != chat_id else None
            await tx.teams.set_group(team.id, chat_id)
            linked = await tx.teams.get(team.id)
            assert linked is not None
            nearest, total = await self._nearest(tx, linked)
        return Linked(linked, before, nearest, total)

    async def unlink(self, user: int, chat_id: int) -> Team:
        """The group no longer receives the team's alerts (an owner of that team)."""
        async with self.store.transaction() as tx:
            team = await tx.teams.by_group(chat_id)
            me = None if team is None else await tx.teams.member(team.id, user)
            if team is None or me is None:
                raise InputError(N_("This group receives the alerts of none of your teams."))
            self._owner(team, me)
            await tx.teams.set_group(team.id, None)
        return team

    async def group_lost(self, chat_id: int) -> Team | None:
        """The bot can no longer write to the group (removed from it): it is unlinked."""
        async with self.store.transaction() as tx:
            team = await tx.teams.by_group(chat_id)
            if team is not None:
                await tx.teams.set_group(team.id, None)
        return team

    async def _nearest(
        self, tx: UnitOfWork, team: Team, limit: int = 10
    ) -> tuple[tuple[Nearest, ...], int]:
        cases = await tx.cases.all(team.account)
        events = await tx.cases.events_of(team.account, [c.id for c in cases]) if cases else {}
        found: list[Nearest] = []
        for case in cases:
            deadlines = compute(case_facts(case, events.get(case.id, [])))
            if deadlines:
                found.append(Nearest(case, deadlines[0]))
        found.sort(key=lambda n: (n.deadline.date, n.case.ref))
        return tuple(found[:limit]), len(found)

    # --- the administrator's view (the command line) ------------------------------------------

    async def all(self) -> list[tuple[Team, tuple[Member, ...], int, int]]:
        """Every team with its members, its number of cases and of open invitations."""
        async with self.store.reading() as tx:
            return [
                (
                    t,
                    tuple(await tx.teams.members(t.id)),
                    await tx.teams.case_count(t),
                    await tx.teams.open_invites(t.id),
                )
                for t in await tx.teams.all()
            ]

    async def named(self, name: str) -> Team | None:
        """The team `name` (any letter case), for the administrator."""
        async with self.store.reading() as tx:
            return await tx.teams.by_key(name_key(name))


__all__ = [
    "Choose",
    "Invite",
    "LastMember",
    "Linked",
    "Nearest",
    "Shared",
    "TeamView",
    "Teams",
    "Who",
    "assignees_in",
    "check_write",
    "normal_code",
    "spaced",
]
