"""`pctby deadlines`: national-phase deadlines with their basis and shift reasons."""

from __future__ import annotations

import argparse
from typing import Any

from pctby.commands._common import (
    EXIT_OK,
    add_lang,
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
    p.add_argument("--kind", default="patent", help="patent or utility-model (default: patent)")
    p.add_argument("--entry", help="date the national phase was entered")
    p.add_argument("--grant-decision", help="date the decision to grant was received")
    add_lang(p)
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.set_defaults(func=guarded(run))


def run(args: argparse.Namespace) -> int:
    from core.deadlines import compute, facts_from
    from pctby.commands._common import translator_for

    t = translator_for(args)
    facts = facts_from(
        filing=parse_date(args.filing),
        priority=optional_date(args.priority),
        kind=parse_kind(args.kind),
        entry=optional_date(args.entry),
        grant_decision=optional_date(args.grant_decision),
    )
    deadlines = compute(facts)
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
                    }
                    for d in deadlines
                ],
                "notes": notes,
            }
        )
        return EXIT_OK
    print(render(t, facts, deadlines, notes))
    return EXIT_OK


def deadline_title(t: Any, d: Any) -> str:
    from core.labels import CONDITION_LABELS, deadline_label

    title: str = t.fmt(deadline_label(d.code), year=d.year)
    if d.conditional and d.conditional != "late_surcharge_50":
        title += f" ({t.gettext(CONDITION_LABELS[d.conditional])})"
    return title


def shift_reason(t: Any, d: Any) -> str | None:
    """Why the date moved: every non-working day skipped, named in the user's language."""
    if not d.skipped:
        return None
    names: list[str] = []
    for day, reason in d.skipped:
        name = t.skipped_reason(day, reason)
        if name not in names:
            names.append(name)
    return "; ".join(names)


def deadline_notes(t: Any, facts: Any, deadlines: list[Any]) -> list[str]:
    from core.calendar import known_through_year

    notes: list[str] = []
    if facts.priority_late:
        notes.append(
            t.gettext(
                "The international filing date is more than 12 months after the priority date: "
                "the priority claim holds only if the right of priority is restored (PCT Rule "
                "49ter.2; the Office applies the “unintentional” criterion; fee in Annex BY.I)."
            )
        )
    if facts.priority is None:
        notes.append(
            t.gettext("No priority claimed: periods run from the international filing date.")
        )
    known = known_through_year()
    if any(d.date.year > known for d in deadlines):
        notes.append(
            t.fmt(
                "Dates after {year} are computed on the Belarus working-day calendar known "
                "today; a transfer of working days published later may move them.",
                year=known,
            )
        )
    return notes


def render(t: Any, facts: Any, deadlines: list[Any], notes: list[str]) -> str:
    from core.labels import KIND_LABELS

    header = t.fmt(
        "Deadlines for a {kind}: priority {priority}, international filing date {filing}",
        kind=t.gettext(KIND_LABELS[facts.kind.value]),
        priority=t.date(facts.priority_date),
        filing=t.date(facts.filing),
    )
    rows = [[t.date(d.date, "medium"), deadline_title(t, d), d.basis] for d in deadlines]
    out = [
        header,
        "",
        table(rows, [t.gettext("Last day"), t.gettext("Deadline"), t.gettext("Basis")]),
    ]
    shifted = [d for d in deadlines if d.shifted]
    if shifted:
        out += ["", t.gettext("Why these dates moved (Civil Code art. 194; PCT Rule 80.5):")]
        for d in shifted:
            out.append(
                "- "
                + t.fmt(
                    "{title}: {nominal} is not a working day ({reason}), "
                    "so the last day is {date}.",
                    title=deadline_title(t, d),
                    nominal=t.date(d.nominal),
                    reason=shift_reason(t, d),
                    date=t.date(d.date),
                )
            )
    if notes:
        out += ["", *notes]
    return "\n".join(out)
