"""`pctby deadlines`: national-phase deadlines with their basis and shift reasons."""

from __future__ import annotations

import argparse
from typing import Any

from pctby import exits
from pctby.commands._common import (
    add_kind,
    add_output,
    guarded,
    optional_date,
    parse_date,
    print_json,
    table,
)
from pctby.commands.fees import parse_kind


def register(sub: Any) -> None:
    p: argparse.ArgumentParser = sub.add_parser(
        "deadlines", help="national-phase deadlines on the Belarus working-day calendar"
    )
    p.add_argument("--priority", help="earliest priority date (default: the filing date)")
    p.add_argument("--filing", required=True, help="international filing date (IFD)")
    add_kind(p)
    p.add_argument("--entry", help="date the national phase was entered")
    p.add_argument("--grant-decision", help="date the decision to grant was received")
    add_output(p)
    p.set_defaults(func=guarded(run))


def run(args: argparse.Namespace) -> int:
    from core.clock import SYSTEM_CLOCK
    from core.deadlines import facts_from
    from core.explain import deadline_notes, shift_reason, warning_texts
    from core.lifecycle import case_status
    from pctby.commands._common import translator_for

    t = translator_for(args)
    facts = facts_from(
        filing=parse_date(args.filing),
        priority=optional_date(args.priority),
        kind=parse_kind(args.kind),
        entry=optional_date(args.entry),
        grant_decision=optional_date(args.grant_decision),
    )
    status = case_status(facts, SYSTEM_CLOCK.today())
    deadlines = [o.deadline for o in status]
    warnings = {o.code: warning_texts(t, o.warnings) for o in status}
    notes = deadline_notes(t, facts, deadlines)
    if args.json:
        print_json(
            {
                "deadlines": [
                    {
                        "code": d.code,
                        "nominal": d.nominal,
                        "date": d.date,
                        "basis": d.basis,
                        "shift_reason": shift_reason(t, d),
                        "condition": d.conditional,
                        "warnings": warnings[d.code],
                    }
                    for d in deadlines
                ],
                "notes": notes,
            }
        )
        return exits.OK
    print(render(t, facts, deadlines, notes, warnings))
    return exits.OK


def render(
    t: Any,
    facts: Any,
    deadlines: list[Any],
    notes: list[str],
    warnings: dict[str, list[str]] | None = None,
) -> str:
    from core.explain import deadline_title, shift_sentence
    from core.labels import KIND_LABELS

    header = t.fmt(
        "Deadlines for a {kind}: priority {priority}, international filing date {filing}",
        kind=t.gettext(KIND_LABELS[facts.kind.value]),
        priority=t.date(facts.priority_date),
        filing=t.date(facts.filing),
    )
    rows = [[t.date(d.date, "medium"), deadline_title(t, d), t.cite(d.basis)] for d in deadlines]
    out = [
        header,
        "",
        table(rows, [t.gettext("Last day"), t.gettext("Deadline"), t.gettext("Basis")]),
    ]
    by_code = {d.code: d for d in deadlines}
    shifted = [d for d in deadlines if d.shifted]
    if shifted:
        out += ["", t.gettext("Why these dates moved (Civil Code art. 194; PCT Rule 80.5):")]
        for d in shifted:
            out.append("- " + shift_sentence(t, d))
    said: dict[str, str] = {}  # each sentence once, after the first deadline that carries it
    for d in deadlines:
        said.update({w: d.code for w in (warnings or {}).get(d.code, []) if w not in said})
    if said:
        out += ["", *(f"⚠ {deadline_title(t, by_code[c])}: {w}" for w, c in said.items())]
    if notes:
        out += ["", *notes]
    return "\n".join(out)
