"""`pctby case list|show|record|unrecord|set`: one user's (or team's) cases from the command
line, through the same core services as the bot (a recorded event is checked as in the chat —
not after today in the user's zone, not before the filing date, its prerequisites recorded —,
closes and opens deadlines and replans the alerts; a removed one undoes that).

    pctby case list --user ID [--json]
    pctby case show --user ID REF [--json]
      → {"ref", "kind", "natural_person", "events": [{"kind", "date"[, "year"][, "months"]}],
         "deadlines": [{"code", "date", "nominal", "status": "open"|"overdue", "basis",
                        "condition", "amount", "late_amount", "warnings": [sentence, …]}],
         "with_grant_fee": [year, …], …}
    pctby case record --user ID REF EVENT [DATE]
    pctby case unrecord --user ID REF EVENT [DATE]
    pctby case set --user ID REF --natural-person yes|no

With `--user`, the user's cases are their own and their teams' (`list` marks a team's with its
name, `"team"` in the JSON; REF may be TEAM/REF, read as in the chat: `core.teams.access`), and a
change is the user's — refused where they are a viewer of the case's team. Each takes `--team
NAME` instead of `--user ID` for one team's cases (`pctby team list` names them); what the
command line records there is recorded by nobody in particular (the card shows no name).

`warnings` are the sentences the chat shows under each deadline (each names its paragraph);
`with_grant_fee` the years of a utility model paid with the grant fee before a decision to
grant is recorded (BY.21: no date of their own yet). The text speaks `--lang` (headers, kinds,
deadlines, events, statuses, warnings); the JSON keeps the codes. Closed deadlines are not
listed. `PCTBY_DB` names the database.
"""

from __future__ import annotations

import argparse
import datetime as dt
from typing import Any

from core import aio
from core.errors import N_, InputError
from pctby import exits
from pctby.commands._common import (
    add_lang,
    db_path,
    guarded,
    optional_date,
    print_json,
    table,
    translator_for,
)
from pctby.commands.cases import _user_id


def _yes_no(text: str) -> bool:
    value = text.strip().lower()
    if value in ("yes", "y", "true", "1", "да", "так"):
        return True
    if value in ("no", "n", "false", "0", "нет", "не"):
        return False
    raise argparse.ArgumentTypeError(f"{text!r} is neither yes nor no")


def register(sub: Any) -> None:
    case = sub.add_parser(
        "case", help="one user's cases: list, show, record or remove an event, set"
    )
    verbs = case.add_subparsers(dest="verb", required=True, metavar="VERB")

    p = verbs.add_parser("list", help="the user's cases with their next deadline")
    _whose(p)
    _output(p)
    p.set_defaults(func=guarded(run_list))

    p = verbs.add_parser("show", help="a case's events and open deadlines")
    _whose(p)
    p.add_argument("ref", metavar="REF", help="the case reference (any letter case)")
    _output(p)
    p.set_defaults(func=guarded(run_show))

    from core.lifecycle import event_names

    p = verbs.add_parser("record", help=f"record an event: {event_names()}")
    _whose(p)
    p.add_argument("ref", metavar="REF", help="the case reference")
    p.add_argument("event", metavar="EVENT", help="what happened (English, Russian or Belarusian)")
    p.add_argument("date", metavar="DATE", nargs="?", help="when (default: today)")
    add_lang(p)
    p.set_defaults(func=guarded(run_record), json=False)

    p = verbs.add_parser(
        "unrecord",
        help="remove a recorded event: what it closed opens again, what it opened goes",
    )
    _whose(p)
    p.add_argument("ref", metavar="REF", help="the case reference")
    p.add_argument("event", metavar="EVENT", help=f"the event to remove: {event_names()}")
    p.add_argument(
        "date", metavar="DATE", nargs="?", help="its date, where the case has it more than once"
    )
    add_lang(p)
    p.set_defaults(func=guarded(run_unrecord), json=False)

    p = verbs.add_parser("set", help="change a case: whether its applicant is a natural person")
    _whose(p)
    p.add_argument("ref", metavar="REF", help="the case reference")
    p.add_argument(
        "--natural-person",
        type=_yes_no,
        required=True,
        metavar="yes|no",
        help="the applicant is a natural person: every fee of the case reduced by 75%%",
    )
    add_lang(p)
    p.set_defaults(func=guarded(run_set), json=False)


def _whose(p: argparse.ArgumentParser) -> None:
    who = p.add_mutually_exclusive_group(required=True)
    who.add_argument("--user", type=_user_id, help="Telegram user id")
    who.add_argument("--team", metavar="NAME", help="a team's name (`pctby team list`)")


async def _accounts(tx: Any, owner: int) -> list[tuple[int, str | None]]:
    """A user's own cases, then each team's of theirs; a team's alone."""
    from core.teams.models import team_of

    team_id = team_of(owner)
    if team_id is not None:
        team = await tx.teams.get(team_id)
        return [(owner, team.name if team is not None else None)]
    return [(owner, None), *((t.account, t.name) for t, _m in await tx.teams.of_user(owner))]


async def _owner(reminders: Any, args: argparse.Namespace) -> int:
    """The account whose cases the command reads or changes: the user's, or the team's."""
    if args.team is None:
        return int(args.user)
    from core.teams.service import Teams

    team = await Teams(reminders).named(args.team)
    if team is None:
        raise InputError(
            N_("There is no team “{team}”. `pctby team list` lists them."), team=args.team[:40]
        )
    args.owner_label = team.name
    return team.account


def _output(p: argparse.ArgumentParser) -> None:
    add_lang(p)
    p.add_argument("--json", action="store_true", help="machine-readable output")


async def _open(args: argparse.Namespace) -> Any:
    from core.reminders import Reminders
    from core.storage import Store

    if not db_path().is_file():
        raise InputError(N_("There is no database at {path} (set PCTBY_DB)."), path=db_path())
    return Reminders(await Store.open(db_path()))


async def _case(reminders: Any, user: int, ref: str) -> Any:
    from core.teams.access import find_ref
    from core.teams.models import team_of

    async with reminders.store.transaction() as tx:
        if team_of(user) is None:  # a user: their own cases and their teams' (TEAM/REF)
            reached = await find_ref(tx, user, ref.strip())
            if reached is None:
                raise InputError(N_("User {user} has no case “{ref}”."), user=user, ref=ref[:50])
            team = reached.team.name if reached.team is not None else None
            return reached.case, await tx.cases.events(reached.account, reached.case.id), team
        team = await tx.teams.get(team_of(user) or 0)  # a team's account (--team)
        name = team.name if team is not None else ""
        case = await tx.cases.by_ref(user, ref.strip())
        if case is None:
            raise InputError(N_("The team {team} has no case “{ref}”."), team=name, ref=ref[:50])
        return case, await tx.cases.events(user, case.id), name


def _show(
    case: Any, events: list[Any], today: Any, t: Any, team: str | None = None
) -> dict[str, Any]:
    from core.deadlines import years_with_grant_fee
    from core.explain import warning_texts
    from core.lifecycle import case_status
    from core.storage import case_facts

    facts = case_facts(case, events)
    return {
        "ref": case.ref,
        "team": team,  # the team whose case it is (null: the user's own)
        "kind": case.kind.value,
        # as the CSV export names them; null where not known
        "title": case.title or None,
        "filing_date": case.filing,
        "priority_date": case.priority,
        "natural_person": case.natural_person,
        "wo_number": case.wo_number,
        "publication_date": case.publication_date,
        "events": [{"kind": e.kind.value, "date": e.date, **_number(e.event())} for e in events],
        "deadlines": [
            {
                "code": o.code,
                "date": o.deadline.date,
                "nominal": o.deadline.nominal,
                "status": o.status.value,
                "basis": o.deadline.basis,
                "condition": o.deadline.conditional,
                "amount": o.deadline.amount,
                "late_amount": o.deadline.late_amount,
                "warnings": warning_texts(t, o.warnings),
                "deadline": o.deadline,  # for the text; not in the JSON
            }
            for o in case_status(facts, today)
        ],
        "with_grant_fee": years_with_grant_fee(facts, today),
    }


def _number(event: Any) -> dict[str, int]:
    """An event's number under its name: the year of an annual fee, the months of an
    extension."""
    if event.months:
        return {"months": event.months}
    return {"year": event.year} if event.year else {}


def _json(shown: dict[str, Any]) -> dict[str, Any]:
    """`_show` as the JSON has it: the codes only."""
    return {
        **shown,
        "deadlines": [{k: v for k, v in d.items() if k != "deadline"} for d in shown["deadlines"]],
    }


def _deadline(t: Any, d: dict[str, Any]) -> str:
    from core.explain import deadline_title
    from core.labels import STATUS_LABELS

    return f"{deadline_title(t, d['deadline'])} ({t.gettext(STATUS_LABELS[d['status']])})"


def _event(t: Any, kind: str, year: int | None) -> str:
    """An event in words, as the chat names it (`core.explain.event_label`: an extension with
    its months)."""
    from core.deadlines import Event, EventKind
    from core.explain import event_label

    return str(event_label(t, Event(kind=EventKind(kind), date=dt.date.min, year=year)))


async def _today(reminders: Any, user: int) -> Any:
    """Today in the user's zone (their setting, else the default zone)."""
    return await reminders.today_for(user)


def run_list(args: argparse.Namespace) -> int:
    from core.explain import kind_label

    async def go() -> list[dict[str, Any]]:
        reminders = await _open(args)
        try:
            owner = await _owner(reminders, args)
            cases = []
            async with reminders.store.transaction() as tx:
                for account, team in await _accounts(tx, owner):
                    for c in await tx.cases.all(account):
                        cases.append((c, await tx.cases.events(account, c.id), team))
            today = await _today(reminders, owner)
        finally:
            await reminders.store.close()
        return [_show(case, events, today, t, team) for case, events, team in cases]

    t = translator_for(args)
    shown = aio.run(go())
    if args.json:
        print_json([{k: v for k, v in _json(s).items() if k != "events"} for s in shown])
        return exits.OK
    rows = []
    for s in shown:
        nxt = s["deadlines"][0] if s["deadlines"] else None
        rows.append(
            [
                s["ref"] if s["team"] is None else f"{s['team']}/{s['ref']}",
                kind_label(t, s["kind"]),
                "" if nxt is None else f"{t.date(nxt['date'])} — {_deadline(t, nxt)}",
            ]
        )
    header = [t.gettext("Reference"), t.gettext("Kind"), t.gettext("Next deadline")]
    empty = (
        t.gettext("The team has no cases.") if args.team else t.gettext("The user has no cases.")
    )
    print(table(rows, header) if rows else empty)
    return exits.OK


def run_show(args: argparse.Namespace) -> int:
    from core.explain import kind_label

    async def go() -> dict[str, Any]:
        reminders = await _open(args)
        try:
            owner = await _owner(reminders, args)
            case, events, team = await _case(reminders, owner, args.ref)
            today = await _today(reminders, owner)
        finally:
            await reminders.store.close()
        return _show(case, events, today, t, team)

    t = translator_for(args)
    shown = aio.run(go())
    if args.json:
        print_json(_json(shown))
        return exits.OK
    head = f"{shown['ref']} ({kind_label(t, shown['kind'])})"
    print(head + (f" — {shown['title']}" if shown["title"] else ""))
    if shown["wo_number"] or shown["publication_date"]:
        published = shown["publication_date"]
        print(f"  {shown['wo_number'] or ''}" + (f" ({t.date(published)})" if published else ""))
    if shown["natural_person"]:
        print(
            t.gettext(
                "Applicant: a natural person — every fee of the case is reduced by 75% "
                "(Summary, footnote 3; confirm your eligibility with the Office)."
            )
        )
    else:
        print(t.gettext("Applicant: not a natural person (no reduction of the fees)."))
    if shown["events"]:
        print(t.gettext("Recorded events"))
        for e in shown["events"]:
            number = e.get("year") or e.get("months")
            print(f"  {t.date(e['date'])} — {_event(t, e['kind'], number)}")
    else:
        print(t.gettext("No events recorded yet (/record REF EVENT DATE)."))
    print(render_deadlines(t, shown["deadlines"], shown["with_grant_fee"]))
    return exits.OK


def render_deadlines(t: Any, deadlines: list[dict[str, Any]], with_grant: list[int]) -> str:
    """The open deadlines as a table, each one's money (`core.explain.payment_text`), and the
    warnings under the table, each sentence once."""
    from core.explain import grant_years_line, payment_text

    if not deadlines and not with_grant:
        return str(t.gettext("No open deadlines."))
    rows = [
        [
            t.date(d["date"]),
            _deadline(t, d),
            ""
            if d["amount"] is None
            else payment_text(t, d["code"], d["amount"], d["late_amount"]),
            t.cite(d["basis"]),
        ]
        for d in deadlines
    ]
    header = [t.gettext("Last day"), t.gettext("Deadline"), t.gettext("Amount"), t.gettext("Rule")]
    out = [table(rows, header)] if rows else []
    if with_grant:
        out.append(grant_years_line(t, with_grant))
    said: list[str] = []  # each sentence once, in the order of the deadlines carrying it
    for d in deadlines:
        said += [w for w in d["warnings"] if w not in said]
    out += [f"⚠ {w}" for w in said]
    return "\n".join(out)


def run_record(args: argparse.Namespace) -> int:
    from core.lifecycle import parse_event
    from core.reminders import Outcome

    day = optional_date(args.date)

    async def go() -> Any:
        reminders = await _open(args)
        try:
            owner = await _owner(reminders, args)
            case, _events, _team = await _case(reminders, owner, args.ref)
            on = day or await reminders.today_for(owner)
            return case, await reminders.record(owner, case.id, parse_event(args.event, on))
        finally:
            await reminders.store.close()

    case, result = aio.run(go())
    t = translator_for(args)
    event = result.event
    what = _event(t, event.kind.value, event.year)
    if result.outcome is Outcome.ALREADY:
        print(
            t.fmt("Already recorded for {ref}: {what}. Nothing changed.", ref=case.ref, what=what)
        )
    else:
        print(
            t.fmt(
                "Recorded for {ref}: {what}, on {date}.",
                ref=case.ref,
                what=what,
                date=t.date(event.date),
            )
        )
    return exits.OK


def run_unrecord(args: argparse.Namespace) -> int:
    from core.explain import deadline_title
    from core.lifecycle import parse_event
    from core.reminders import Outcome

    day = optional_date(args.date)

    async def go() -> Any:
        reminders = await _open(args)
        try:
            owner = await _owner(reminders, args)
            case, _events, _team = await _case(reminders, owner, args.ref)
            named = parse_event(args.event, day or await reminders.today_for(owner))
            result = await reminders.unrecord(
                owner, case.id, kind=named.kind, year=named.year, on=day
            )
            return case, named, result
        finally:
            await reminders.store.close()

    case, named, result = aio.run(go())
    t = translator_for(args)
    if result.outcome is not Outcome.REMOVED or result.event is None:
        print(
            t.fmt(
                "{ref} has no “{what}” recorded: nothing to remove.",
                ref=case.ref,
                what=_event(t, named.kind.value, named.year),
            )
        )
        return exits.OK
    event = result.event
    print(
        t.fmt(
            "Removed from {ref}: {what}, of {date}.",
            ref=case.ref,
            what=_event(t, event.kind.value, event.year),
            date=t.date(event.date),
        )
    )
    if result.reopened:
        print(t.gettext("Open again:"))
        for d in result.reopened:
            print(f"  {t.date(d.date)} — {deadline_title(t, d)}")
    if result.gone:
        print(t.gettext("No longer open (the event had opened them):"))
        for d in result.gone:
            print(f"  {deadline_title(t, d)}")
    return exits.OK


def run_set(args: argparse.Namespace) -> int:
    async def go() -> Any:
        reminders = await _open(args)
        try:
            owner = await _owner(reminders, args)
            case, _events, _team = await _case(reminders, owner, args.ref)
            return await reminders.set_natural_person(owner, case.id, args.natural_person)
        finally:
            await reminders.store.close()

    case = aio.run(go())
    t = translator_for(args)
    said = (
        N_(
            "{ref}: the applicant is a natural person — every amount of the case, its "
            "reminders included, is now reduced by 75%."
        )
        if case.natural_person
        else N_(
            "{ref}: the applicant is not a natural person — the amounts of the case are "
            "now without the reduction for natural persons."
        )
    )
    print(t.fmt(said, ref=case.ref))
    return exits.OK
