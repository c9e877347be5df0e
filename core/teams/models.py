"""Teams: who they are, who is in them, and what each role may do.

A team (a patent firm, a department) holds cases its members share. Roles:
- owner    — everything: members and their roles, invitations, the alert group, and all an
             attorney does; a team keeps at least one owner;
- attorney — shares cases into the team, records and removes events, changes and deletes the
             team's cases, assigns them, imports into the team;
- viewer   — sees the team's cases, their deadlines and events; changes nothing.

A team holds its cases under its own account (`account_of`): a `users` row whose id lies below
−2⁵², outside Telegram's chat ids (at most 52 significant bits, the Bot API's `chat_id`), so the
store's owner scoping applies to a team's cases unchanged and nothing is ever sent to it.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from enum import StrEnum

from core.errors import N_, InputError
from core.text import clean

ACCOUNT_BASE = 2**52  # Telegram ids have at most 52 significant bits: below −2⁵² is no chat
MAX_NAME = 32
INVITE_DAYS = 7


class Role(StrEnum):
    OWNER = "owner"
    ATTORNEY = "attorney"
    VIEWER = "viewer"

    @property
    def writes(self) -> bool:
        """May record, change, delete, share and assign cases of the team."""
        return self is not Role.VIEWER


# The roles as their members read them (gettext msgids; docs/glossary.toml).
ROLE_LABELS: dict[Role, str] = {
    Role.OWNER: N_("owner"),
    Role.ATTORNEY: N_("attorney"),
    Role.VIEWER: N_("viewer"),
}

# How users write a role (ru/be/en), for /team role and /team invite.
ROLE_WORDS: dict[str, Role] = {
    "owner": Role.OWNER,
    "владелец": Role.OWNER,
    "уладальнік": Role.OWNER,
    "attorney": Role.ATTORNEY,
    "поверенный": Role.ATTORNEY,
    "павераны": Role.ATTORNEY,
    "viewer": Role.VIEWER,
    "наблюдатель": Role.VIEWER,
    "назіральнік": Role.VIEWER,
}


def parse_role(word: str) -> Role | None:
    return ROLE_WORDS.get(word.strip().lower().replace("ё", "е"))


def account_of(team_id: int) -> int:
    """The account (a `users` id) under which the team holds its cases."""
    return -(ACCOUNT_BASE + team_id)


def team_of(account: int) -> int | None:
    """The team whose account `account` is, or None for a Telegram user."""
    return -account - ACCOUNT_BASE if account <= -ACCOUNT_BASE else None


def is_team_account(account: int) -> bool:
    return account <= -ACCOUNT_BASE


# Letters and digits of any script, and . _ - inside; never a slash (TEAM/REF names a team's
# case) nor a space (a team's name is one word in a command).
_NAME = re.compile(r"^[^\W_][\w.\-]*$")
# Names a reference starts with (PCT/IB2024/050123, WO/2024/…): TEAM/REF would be misread.
RESERVED = frozenset({"pct", "wo"})


def check_name(text: str) -> str:
    """A team's name as stored: runs of spaces become one "-" (a name is one word in a
    command), at most `MAX_NAME` characters of letters, digits and . _ -; `InputError` else."""
    name = "-".join(clean(text).split())
    if not 2 <= len(name) <= MAX_NAME or not _NAME.match(name) or "/" in name:
        raise InputError(
            N_(
                "A team's name is 2 to {max} letters or digits (and . _ - inside), for "
                "example Sidorenko-IP; got “{name}”."
            ),
            max=MAX_NAME,
            name=name[:40],
        )
    if name.casefold() in RESERVED:
        raise InputError(
            N_("“{name}” cannot be a team's name: references begin with it."), name=name
        )
    return name


def name_key(name: str) -> str:
    return clean(name).casefold()


@dataclass(frozen=True, slots=True)
class Team:
    id: int
    name: str
    account: int  # the owner of its cases
    group_chat_id: int | None
    created_at: dt.datetime


@dataclass(frozen=True, slots=True)
class Member:
    team_id: int
    user_id: int
    role: Role
    name: str
    username: str | None
    joined_at: dt.datetime

    @property
    def label(self) -> str:
        """How the team sees them: their name, else @username, else their id."""
        if self.name:
            return self.name
        if self.username:
            return "@" + self.username
        return str(self.user_id)


@dataclass(frozen=True, slots=True)
class Holding:
    """Cases a user reaches: their own (`team` None) or a team's, with their role in it."""

    account: int
    team: Team | None = None
    role: Role | None = None

    @property
    def writes(self) -> bool:
        return self.team is None or (self.role is not None and self.role.writes)
