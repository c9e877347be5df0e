"""`pctby case list|show|record`: one user's cases from the command line, through the same core
services as the bot (a recorded event closes and opens deadlines and replans the alerts).

    pctby case list --user ID [--json]
    pctby case show --user ID REF [--json]
      → {"ref", "kind", "events": [{"kind", "date"[, "year"]}],
         "deadlines": [{"code", "date", "nominal", "status": "open"|"overdue", "basis"}]}
    pctby case record --user ID REF EVENT [DATE]

Closed deadlines are not listed. `PCTBY_DB` names the database.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from core import aio
from core.clock import SYSTEM_CLOCK
from core.errors import N_, InputError
from pctby.commands._common import (
    EXIT_OK,
    add_lang,
    db_path,
    guarded,
    optional_date,
    print_json,
    table,
    translator_for,
)
from pctby.commands.cases import _user_id


def register(sub: Any) -> None:
    case = sub.add_parser("case", help="one user's cases: list, show, record an event")
    verbs = case.add_subparsers(dest="verb", required=True, metavar="VERB")

    p = verbs.add_parser("list", help="the user's cases with their next deadline")
    p.add_argument("--user", type=_user_id, required=True, help="Telegram user id")
    _output(p)
    p.set_defaults(func=guarded(run_list))

    p = verbs.add_parser("show", help="a case's events and open deadlines")
    p.add_argument("--user", type=_user_id, required=True, help="Telegram user id")
    p.add_argument("ref", metavar="REF", help="the case reference (any letter case)")
    _output(p)
    p.set_defaults(func=guarded(run_show))

    p = verbs.add_parser(
        "record",
        help="record an event: entry, translation, examination, grant-decision, grant-fee, "
        "annual-N, granted, lapsed, restored",
    )
    p.add_argument("--user", type=_user_id, required=True, help="Telegram user id")
    p.add_argument("ref", metavar="REF", help="the case reference")
    p.add_argument("event", metavar="EVENT", help="what happened (English, Russian or Belarusian)")
    p.add_argument("date", metavar="DATE", nargs="?", help="when (default: today)")
    add_lang(p)
    p.set_defaults(func=guarded(run_record), json=False)


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
    async with reminders.store.transaction() as tx:
        case = await tx.cases.by_ref(user, ref.strip())
        if case is None:
            raise InputError(N_("User {user} has no case “{ref}”."), user=user, ref=ref[:50])
        return case, await tx.cases.events(user, case.id)


def _show(case: Any, events: list[Any], today: Any) -> dict[str, Any]:
    from core.lifecycle import case_status
    from core.storage import case_facts

    facts = case_facts(case, events)
    return {
        "ref": case.ref,
        "kind": case.kind.value,
        # as the CSV export names them; null where not known
        "title": case.title or None,
        "filing_date": case.filing,
        "priority_date": case.priority,
        "natural_person": case.natural_person,
        "wo_number": case.wo_number,
        "publication_date": case.publication_date,
        "events": [
            {"kind": e.kind.value, "date": e.date, **({"year": e.year} if e.year else {})}
            for e in events
        ],
        "deadlines": [
            {
                "code": o.code,
                "date": o.deadline.date,
                "nominal": o.deadline.nominal,
                "status": o.status.value,
                "basis": o.deadline.basis,
            }
            for o in case_status(facts, today)
        ],
    }


def run_list(args: argparse.Namespace) -> int:
    async def go() -> list[dict[str, Any]]:
        reminders = await _open(args)
        try:
            async with reminders.store.transaction() as tx:
                cases = [
                    (c, await tx.cases.events(args.user, c.id))
                    for c in await tx.cases.all(args.user)
                ]
        finally:
            await reminders.store.close()
        today = SYSTEM_CLOCK.today()
        return [_show(case, events, today) for case, events in cases]

    shown = aio.run(go())
    if args.json:
        print_json([{k: v for k, v in s.items() if k != "events"} for s in shown])
        return EXIT_OK
    t = translator_for(args)
    rows = []
    for s in shown:
        nxt = s["deadlines"][0] if s["deadlines"] else None
        rows.append(
            [
                s["ref"],
                s["kind"],
                "" if nxt is None else f"{t.date(nxt['date'])} {nxt['code']} ({nxt['status']})",
            ]
        )
    print(table(rows, ["ref", "kind", "next deadline"]) if rows else "no cases")
    return EXIT_OK


def run_show(args: argparse.Namespace) -> int:
    async def go() -> dict[str, Any]:
        reminders = await _open(args)
        try:
            case, events = await _case(reminders, args.user, args.ref)
        finally:
            await reminders.store.close()
        return _show(case, events, SYSTEM_CLOCK.today())

    shown = aio.run(go())
    if args.json:
        print_json(shown)
        return EXIT_OK
    t = translator_for(args)
    print(f"{shown['ref']} ({shown['kind']})" + (f" — {shown['title']}" if shown["title"] else ""))
    if shown["wo_number"] or shown["publication_date"]:
        published = shown["publication_date"]
        print(f"  {shown['wo_number'] or ''}" + (f" ({t.date(published)})" if published else ""))
    for e in shown["events"]:
        print(f"  {t.date(e['date'])}  {e['kind']}" + (f" {e['year']}" if "year" in e else ""))
    rows = [[t.date(d["date"]), d["code"], d["status"], d["basis"]] for d in shown["deadlines"]]
    print(table(rows, ["date", "deadline", "status", "basis"]) if rows else "no open deadlines")
    return EXIT_OK


def run_record(args: argparse.Namespace) -> int:
    from core.lifecycle import parse_event
    from core.reminders import Outcome

    day = optional_date(args.date)

    async def go() -> Any:
        reminders = await _open(args)
        try:
            case, _events = await _case(reminders, args.user, args.ref)
            on = day or await reminders.today_for(args.user)
            return await reminders.record(args.user, case.id, parse_event(args.event, on))
        finally:
            await reminders.store.close()

    result = aio.run(go())
    if result.outcome is Outcome.ALREADY:
        sys.stdout.write(f"already recorded: {args.event} (nothing changed)\n")
    else:
        event = result.event
        print(f"recorded {event.kind.value} on {event.date.isoformat()}")
    return EXIT_OK
