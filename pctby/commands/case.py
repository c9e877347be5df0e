"""`pctby case list|show|record`: one user's cases from the command line, through the same core
services as the bot (a recorded event closes and opens deadlines and replans the alerts).

    pctby case list --user ID [--json]
    pctby case show --user ID REF [--json]
      → {"ref", "kind", "events": [{"kind", "date"[, "year"][, "months"]}],
         "deadlines": [{"code", "date", "nominal", "status": "open"|"overdue", "basis",
                        "condition", "amount", "late_amount", "warnings": [sentence, …]}],
         "with_grant_fee": [year, …]}
    pctby case record --user ID REF EVENT [DATE]

`warnings` are the sentences the chat shows under each deadline (each names its paragraph);
`with_grant_fee` the years of a utility model paid with the grant fee before a decision to
grant is recorded (BY.21: no date of their own yet).

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

    from core.lifecycle import event_names

    p = verbs.add_parser("record", help=f"record an event: {event_names()}")
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


def _show(case: Any, events: list[Any], today: Any, t: Any) -> dict[str, Any]:
    from core.deadlines import years_with_grant_fee
    from core.explain import warning_texts
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
        return [_show(case, events, today, t) for case, events in cases]

    t = translator_for(args)
    shown = aio.run(go())
    if args.json:
        print_json([{k: v for k, v in s.items() if k != "events"} for s in shown])
        return EXIT_OK
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
        return _show(case, events, SYSTEM_CLOCK.today(), t)

    t = translator_for(args)
    shown = aio.run(go())
    if args.json:
        print_json(shown)
        return EXIT_OK
    print(f"{shown['ref']} ({shown['kind']})" + (f" — {shown['title']}" if shown["title"] else ""))
    if shown["wo_number"] or shown["publication_date"]:
        published = shown["publication_date"]
        print(f"  {shown['wo_number'] or ''}" + (f" ({t.date(published)})" if published else ""))
    for e in shown["events"]:
        number = e.get("year") or e.get("months")
        print(f"  {t.date(e['date'])}  {e['kind']}" + (f" {number}" if number else ""))
    print(render_deadlines(t, shown["deadlines"], shown["with_grant_fee"]))
    return EXIT_OK


def render_deadlines(t: Any, deadlines: list[dict[str, Any]], with_grant: list[int]) -> str:
    """The open deadlines as a table, each one's money (`core.explain.payment_text`) and
    warnings under the table, each sentence once."""
    from core.explain import grant_years_line, payment_text

    if not deadlines and not with_grant:
        return "no open deadlines"
    rows = [
        [
            t.date(d["date"]),
            d["code"],
            d["status"],
            ""
            if d["amount"] is None
            else payment_text(t, d["code"], d["amount"], d["late_amount"]),
            d["basis"],
        ]
        for d in deadlines
    ]
    out = [table(rows, ["date", "deadline", "status", "amount", "basis"])]
    if with_grant:
        out.append(grant_years_line(t, with_grant))
    said: dict[str, str] = {}  # each sentence once, after the first deadline that carries it
    for d in deadlines:
        said.update({w: d["code"] for w in d["warnings"] if w not in said})
    out += [f"⚠ {code}: {w}" for w, code in said.items()]
    return "\n".join(out)


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
        number = event.months or event.year
        print(
            f"recorded {event.kind.value}"
            + (f" {number}" if number else "")
            + f" on {event.date.isoformat()}"
        )
    return EXIT_OK
