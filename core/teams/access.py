"""Which cases a user reaches, and with which role — asked inside the unit of work that acts.

A user reaches their own cases and the cases of every team they belong to (a viewer to read
them, an owner or attorney also to change them). Everything else behaves exactly like a case
that does not exist: the same answer, whether another user's or team's case has that id or
reference or not — a user outside a team never learns that a reference exists.

References. A user's own reference and a team's may be the same ("A-1" of their own and
Sidorenko-IP's "A-1"): `find_ref` reads

1. `TEAM/REF` — the case REF of the team TEAM (one of the user's teams, any letter case);
2. else `REF` — the user's own case REF;
3. else `REF` — the case REF of one of the user's teams; where several of their teams have
   one, the user is asked to say which (`Ambiguous`, naming each as TEAM/REF).

So a plain reference always means the user's own case where they have one (and the answer then
names the team cases of that reference, as TEAM/REF), and TEAM/REF always means the team's.
Only the user's own cases and their own teams are ever looked at.
"""

from __future__ import annotations

from dataclasses import dataclass

from core.errors import N_, InputError
from core.storage import Case, UnitOfWork
from core.teams.models import Holding, Member, Role, Team, name_key, team_of
from core.text import clean

SEP = "/"  # TEAM/REF


class NotAllowed(InputError):
    """The user reaches the case, but their role in its team does not let them change it (a
    viewer), or the team action is an owner's."""

    def __init__(self, template: str, team: Team, **params: object) -> None:
        super().__init__(template, team=team.name, **params)
        self.team = team


VIEWERS_ONLY_SEE = N_("Viewers of {team} see its cases but do not change them.")


class Ambiguous(InputError):
    """Several cases of the user's teams have the reference: each named as TEAM/REF."""

    def __init__(self, ref: str, choices: list[str]) -> None:
        super().__init__(
            N_("“{ref}” is a case of several of your teams: write {choices}."),
            ref=ref,
            choices=", ".join(choices),
        )
        self.choices = choices


@dataclass(frozen=True, slots=True)
class Reached:
    """A case the user reaches, how (their own, or a team's with their role), and — where a
    plain reference chose their own case — the team cases of the same reference, as TEAM/REF."""

    case: Case
    holding: Holding
    others: tuple[str, ...] = ()

    @property
    def account(self) -> int:
        return self.case.owner_id

    @property
    def team(self) -> Team | None:
        return self.holding.team

    @property
    def writes(self) -> bool:
        return self.holding.writes


def qualified(team: Team | None, ref: str) -> str:
    """How the user names a case unambiguously: REF for their own, TEAM/REF for a team's."""
    return ref if team is None else f"{team.name}{SEP}{ref}"


async def holdings(tx: UnitOfWork, user: int) -> list[Holding]:
    """The user's own cases first, then each team of theirs (by name) with their role."""
    found = [Holding(user)]
    found += [Holding(t.account, t, m.role) for t, m in await tx.teams.of_user(user)]
    return found


async def holding_of(tx: UnitOfWork, user: int, account: int) -> Holding | None:
    """How the user reaches the cases of `account` (their own, or a team's), if at all."""
    if account == user:
        return Holding(user)
    team_id = team_of(account)
    if team_id is None:
        return None
    member = await tx.teams.member(team_id, user)
    if member is None:
        return None
    team = await tx.teams.get(team_id)
    return None if team is None else Holding(account, team, member.role)


async def reach(tx: UnitOfWork, user: int, case_id: int, *, write: bool = False) -> Reached | None:
    """The case `case_id` if the user reaches it (None: missing, or not theirs to see). With
    `write`, a viewer gets `NotAllowed`."""
    account = await tx.teams.case_account(case_id)
    if account is None:
        return None
    holding = await holding_of(tx, user, account)
    if holding is None:
        return None
    case = await tx.cases.get(account, case_id)
    if case is None:
        return None
    if write:
        check_write(holding)
    return Reached(case, holding)


def check_write(holding: Holding) -> None:
    if not holding.writes:
        assert holding.team is not None
        raise NotAllowed(VIEWERS_ONLY_SEE, holding.team)


async def find_ref(tx: UnitOfWork, user: int, text: str) -> Reached | None:
    """The case the user means by `text` (the module's rules); None where they have none by
    it — the same whether anybody else has one or not. `Ambiguous` where several of their
    teams have it."""
    ref = clean(text)
    if not ref:
        return None
    mine = await holdings(tx, user)
    teams = [h for h in mine if h.team is not None]
    if SEP in ref:
        prefix, rest = ref.split(SEP, 1)
        named = [
            h for h in teams if h.team is not None and name_key(h.team.name) == name_key(prefix)
        ]
        for h in named:
            case = await tx.cases.by_ref(h.account, rest)
            if case is not None:
                return Reached(case, h)
    own = await tx.cases.by_ref(user, ref)
    found: list[Reached] = []
    for h in teams:
        case = await tx.cases.by_ref(h.account, ref)
        if case is not None:
            found.append(Reached(case, h))
    if own is not None:
        return Reached(own, mine[0], tuple(qualified(r.team, r.case.ref) for r in found))
    if len(found) > 1:
        raise Ambiguous(ref, [qualified(r.team, r.case.ref) for r in found])
    return found[0] if found else None


async def team_named(tx: UnitOfWork, user: int, name: str) -> tuple[Team, Member] | None:
    """The user's team `name` (any letter case) and their membership; None for a team they are
    not in — whether it exists or not."""
    key = name_key(name)
    for team, member in await tx.teams.of_user(user):
        if name_key(team.name) == key:
            return team, member
    return None


def role_at_least(member: Member, role: Role) -> bool:
    order = (Role.VIEWER, Role.ATTORNEY, Role.OWNER)
    return order.index(member.role) >= order.index(role)
