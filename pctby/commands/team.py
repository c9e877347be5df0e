"""`pctby team list|show|members`: the firms' teams, for the administrator of the database.

    pctby team list [--json]
      → [{"name", "members", "owners": [name, …], "cases", "group_linked", "open_invitations",
          "created"}]
    pctby team show NAME [--json]
      → {"name", "cases", "group_chat_id", "open_invitations", "created", "members": [...]}
    pctby team members NAME [--json]
      → [{"telegram_user_id", "name", "username", "role", "joined"}]

A team's cases are read and changed with `pctby case … --team NAME`, imported with `pctby
import --team NAME` and exported with `pctby export --team NAME`. The invitation codes are not
shown: only their hash is stored. `PCTBY_DB` names the database.
"""

from __future__ import annotations

import argparse
from typing import Any

from core import aio
from core.errors import N_, InputError
from pctby import exits
from pctby.commands._common import (
    add_output,
    db_path,
    guarded,
    print_json,
    table,
    translator_for,
)


def register(sub: Any) -> None:
    team = sub.add_parser("team", help="the firms' teams: list, show one, its members")
    verbs = team.add_subparsers(dest="verb", required=True, metavar="VERB")

    p = verbs.add_parser("list", help="every team: members, owners, cases, alert group")
    add_output(p)
    p.set_defaults(func=guarded(run_list))

    p = verbs.add_parser("show", help="one team: its cases, alert group, members")
    p.add_argument("name", metavar="NAME", help="the team's name (any letter case)")
    add_output(p)
    p.set_defaults(func=guarded(run_show))

    p = verbs.add_parser("members", help="one team's members and their roles")
    p.add_argument("name", metavar="NAME", help="the team's name (any letter case)")
    add_output(p)
    p.set_defaults(func=guarded(run_members))


async def _teams() -> list[Any]:
    from core.reminders import Reminders
    from core.storage import Store
    from core.teams.service import Teams

    if not db_path().is_file():
        raise InputError(N_("There is no database at {path} (set PCTBY_DB)."), path=db_path())
    async with await Store.open(db_path()) as store:
        return await Teams(Reminders(store)).all()


def _member(m: Any) -> dict[str, Any]:
    return {
        "telegram_user_id": m.user_id,
        "name": m.name,
        "username": m.username,
        "role": m.role.value,
        "joined": m.joined_at.date(),
    }


def _one(teams: list[Any], name: str) -> Any:
    from core.teams.models import name_key

    for found in teams:
        if name_key(found[0].name) == name_key(name):
            return found
    raise InputError(N_("There is no team “{team}”. `pctby team list` lists them."), team=name[:40])


def run_list(args: argparse.Namespace) -> int:
    t = translator_for(args)
    found = aio.run(_teams())
    shown = [
        {
            "name": team.name,
            "members": len(members),
            "owners": [m.label for m in members if m.role.value == "owner"],
            "cases": cases,
            "group_linked": team.group_chat_id is not None,
            "open_invitations": invites,
            "created": team.created_at.date(),
        }
        for team, members, cases, invites in found
    ]
    if args.json:
        print_json(shown)
        return exits.OK
    if not shown:
        print(t.gettext("There are no teams."))
        return exits.OK
    rows = [
        [
            s["name"],
            str(s["members"]),
            ", ".join(s["owners"]),
            str(s["cases"]),
            t.gettext("yes") if s["group_linked"] else t.gettext("no"),
        ]
        for s in shown
    ]
    header = [
        t.gettext("Team"),
        t.gettext("Members"),
        t.gettext("Owners"),
        t.gettext("Cases"),
        t.gettext("Alert group"),
    ]
    print(table(rows, header))
    return exits.OK


def run_show(args: argparse.Namespace) -> int:
    t = translator_for(args)
    team, members, cases, invites = _one(aio.run(_teams()), args.name)
    shown = {
        "name": team.name,
        "cases": cases,
        "group_chat_id": team.group_chat_id,
        "open_invitations": invites,
        "created": team.created_at.date(),
        "members": [_member(m) for m in members],
    }
    if args.json:
        print_json(shown)
        return exits.OK
    print(team.name)
    print(t.nfmt("{n} case", "{n} cases", cases))
    group = team.group_chat_id
    print(t.fmt("Alert group: {group}", group=group) if group else t.gettext("alert group: none"))
    print(t.nfmt("{n} invitation not used yet.", "{n} invitations not used yet.", invites))
    print(_members_table(t, members))
    return exits.OK


def run_members(args: argparse.Namespace) -> int:
    t = translator_for(args)
    _team, members, _cases, _invites = _one(aio.run(_teams()), args.name)
    if args.json:
        print_json([_member(m) for m in members])
        return exits.OK
    print(_members_table(t, members))
    return exits.OK


def _members_table(t: Any, members: Any) -> str:
    from core.teams.models import ROLE_LABELS

    rows = [
        [
            str(m.user_id),
            m.name,
            f"@{m.username}" if m.username else "",
            t.gettext(ROLE_LABELS[m.role]),
            t.date(m.joined_at.date(), "short"),
        ]
        for m in members
    ]
    header = [
        t.gettext("Telegram id"),
        t.gettext("Name"),
        t.gettext("Username"),
        t.gettext("Role"),
        t.gettext("Joined"),
    ]
    return table(rows, header)
