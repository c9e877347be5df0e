"""`pctby annuities`: the maintenance-fee schedule of a patent (BY.12) or utility model (BY.21).

JSON: {"schedule": {…}, "warnings": [sentence, …],
       "years": [{"year", "due", "grace_end", "amount", "late_amount", "basis",
                  "with_grant_fee", "warnings": [sentence, …]}]}
A utility model's years paid with the grant fee (BY.21) have `"with_grant_fee": true` and, before
a decision to grant (`--grant-decision`), no `due` or `grace_end` of their own (null).
"""

from __future__ import annotations

import argparse
from typing import Any

from pctby import exits
from pctby.commands._common import (
    add_kind,
    add_natural_person,
    add_output,
    guarded,
    parse_date,
    print_json,
    table,
)
from pctby.commands.fees import parse_kind


def register(sub: Any) -> None:
    p: argparse.ArgumentParser = sub.add_parser(
        "annuities", help="annual (maintenance) fees: due dates, grace periods, amounts"
    )
    add_kind(p)
    p.add_argument("--filing", required=True, help="international filing date (IFD)")
    p.add_argument("--priority", help="earliest priority date (for the 3rd-year fee of a patent)")
    p.add_argument(
        "--grant-decision",
        help="date the decision to grant was received (a utility model's years paid with the "
        "grant fee then take its date)",
    )
    add_natural_person(p)
    p.add_argument(
        "--extended", action="store_true", help="extended term (patent 21–25, utility model 6–10)"
    )
    add_output(p)
    p.set_defaults(func=guarded(run))


def run(args: argparse.Namespace) -> int:
    from core.annuities import annuity_schedule
    from core.clock import SYSTEM_CLOCK
    from core.deadlines import CaseFacts
    from core.explain import warning_texts
    from pctby.commands._common import optional_date, translator_for

    t = translator_for(args)
    kind = parse_kind(args.kind)
    filing = parse_date(args.filing)
    priority = optional_date(args.priority)
    decision = optional_date(args.grant_decision)
    CaseFacts(kind=kind, filing=filing, priority=priority)  # validates the dates' order
    sched = annuity_schedule(
        kind,
        filing,
        priority=priority,
        natural_person=args.natural_person,
        extended=args.extended,
        grant_decision=decision,
        today=SYSTEM_CLOCK.today(),
    )
    if args.json:
        from core.explain import amounts_warning

        info = sched.schedule
        dated = [y.due for y in sched.years if y.due is not None]
        last_due = dated[-1] if dated else sched.filing
        print_json(
            {
                "schedule": {
                    "id": info.id,
                    "stated_for": info.stated_for,
                    "superseded": info.superseded(last_due),
                    "superseded_on": info.superseded_on,
                    "warning": next(iter(amounts_warning(t, [last_due])), "").removeprefix("⚠ "),
                },
                "warnings": warning_texts(t, ["late_annual"]),  # BY.12
                "years": [
                    {
                        "year": y.year,
                        "due": y.due,
                        "grace_end": y.grace_end,
                        "amount": y.amount,
                        "late_amount": y.late_amount,
                        "basis": y.basis,
                        "with_grant_fee": y.with_grant_fee,
                        "warnings": warning_texts(t, y.warnings),
                    }
                    for y in sched.years
                ],
            }
        )
        return exits.OK
    print(render(t, sched))
    return exits.OK


def render(t: Any, sched: Any) -> str:
    from decimal import Decimal

    from core.explain import grant_years_note, quote_notes, warning_texts
    from core.labels import CONDITION_LABELS, KIND_LABELS
    from core.models import Quote

    with_grant: str = t.gettext(CONDITION_LABELS["with_grant_fee"])

    def due(y: Any) -> str:
        if y.due is None:
            return with_grant
        day = t.date(y.due, "medium")
        return f"{day} ({with_grant})" if y.with_grant_fee else day

    rows = [
        [
            str(y.year),
            due(y),
            "—" if y.grace_end is None else t.date(y.grace_end, "medium"),
            t.money(y.amount),
            "—" if y.late_amount is None else t.money(y.late_amount),
            t.cite(y.basis),
        ]
        for y in sched.years
    ]
    out = [
        t.fmt(
            "Annual fees for a {kind}, international filing date {filing}",
            kind=t.gettext(KIND_LABELS[sched.kind.value]),
            filing=t.date(sched.filing),
        ),
        "",
        table(
            rows,
            [
                t.gettext("Year"),
                t.gettext("Due by"),
                t.gettext("Grace ends"),
                t.gettext("Amount"),
                t.gettext("Late (+50%)"),
                t.gettext("Basis"),
            ],
        ),
        "",
        t.gettext(
            "The fee for each year is paid within the year before it; after that, within six "
            "months with a surcharge of 50% (BY.12)."
        ),
    ]
    if sched.kind.value == "utility-model":
        out.append(grant_years_note(t))
    else:
        out.append(
            t.gettext("The fee for the 3rd year is paid with the national fee at entry (Summary).")
        )
    codes = ["late_annual", *(w for y in sched.years for w in y.warnings)]
    out += ["⚠ " + w for w in warning_texts(t, dict.fromkeys(codes))]

    # The schedule's source and the natural-person note, as under every fee quote.
    plain = Quote(
        kind=sched.kind,
        schedule=sched.schedule,
        items=(),
        total=Decimal("0.00"),
        on=sched.filing,
        natural_person=sched.natural_person,
    )
    out += quote_notes(t, plain)
    return "\n".join(out)
