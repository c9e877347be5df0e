"""`pctby fees`: an itemised quote for any Annex BY.I item (the national fee by default) from
the schedule in force on the payment date."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from typing import Any

from core.clock import SYSTEM_CLOCK
from pctby import exits
from pctby.commands._common import (
    add_kind,
    add_natural_person,
    add_output,
    guarded,
    optional_date,
    parse_count,
    print_json,
    table,
)


def register(sub: Any) -> None:
    p: argparse.ArgumentParser = sub.add_parser(
        "fees", help="fee quote for an Annex BY.I item (default: the national fee), with sources"
    )
    p.add_argument(
        "--item",
        default="national",
        help="national (default), grant, annual, amendment, extension, reinstatement "
        "(missed entry, PCT Rule 49.6), reinstatement-rights (BPL Art. 27), "
        "priority-restoration, renewal (utility model), conversion",
    )
    add_kind(p)
    p.add_argument("--independent", default="1", help="independent claims (default 1)")
    p.add_argument("--dependent", default="0", help="dependent claims (default 0)")
    add_natural_person(p)
    p.add_argument(
        "--no-isr", action="store_true", help="no ISR/IPER established (no 50%% examination cut)"
    )
    p.add_argument(
        "--late", action="store_true", help="paid in the grace period, +50%% (grant, annual)"
    )
    p.add_argument("--months", help="extension: how many months (1–12)")
    p.add_argument("--year", help="annual: which year of the term")
    p.add_argument("--on", help="payment date (default: today)")
    p.add_argument("--currency", choices=("USD", "EUR", "CHF", "RUB"), type=str.upper)
    add_output(p)
    p.set_defaults(func=guarded(run))


def run(args: argparse.Namespace) -> int:
    from core.errors import N_, InputError
    from core.fees import parse_item, quote_item
    from core.schedule import NoScheduleError
    from pctby.commands._common import translator_for

    t = translator_for(args)
    kind = parse_kind(args.kind)
    on = optional_date(args.on) or SYSTEM_CLOCK.today()
    item = parse_item(args.item)
    try:
        quote = quote_item(
            item,
            kind,
            independent=parse_count(args.independent),
            dependent=parse_count(args.dependent),
            natural_person=args.natural_person,
            isr=not args.no_isr,
            late=args.late,
            months=None if args.months is None else parse_count(args.months),
            year=None if args.year is None else parse_count(args.year),
            on=on,
        )
    except NoScheduleError as err:
        raise InputError(
            N_("No fee schedule on record is in force on {date}; the first starts on {first}."),
            date=on.isoformat(),
            first=err.first.isoformat(),
        ) from None
    equivalents = currency_equivalents(quote.total, on, args.currency) if args.currency else []
    if args.currency and not equivalents:
        print(
            t.fmt(
                "No NBRB rate for {currency} could be fetched and none is cached: "
                "the quote is in BYN only.",
                currency=args.currency,
            ),
            file=sys.stderr,
        )
    if args.json:
        print_json(quote_json(quote, equivalents, t))
    else:
        print(render_quote(t, quote, equivalents))
    return exits.OK


def parse_kind(text: str) -> Any:
    from core.errors import N_, InputError
    from core.models import Kind

    try:
        return Kind.parse(text)
    except ValueError:
        raise InputError(
            N_("Unknown kind “{kind}”: use patent or utility-model."), kind=text
        ) from None


def currency_equivalents(total: Any, on: dt.date, currency: str) -> list[Any]:
    from core import aio
    from core.rates import RateService
    from pctby.commands._common import rates_cache_path

    async def fetch() -> list[Any]:
        async with RateService(rates_cache_path()) as rates:
            return await rates.equivalents(total, on, (currency,))

    return aio.run(fetch())


def quote_json(quote: Any, equivalents: list[Any], t: Any) -> dict[str, Any]:
    from core.explain import schedule_warning, warning_texts

    info = quote.schedule
    data: dict[str, Any] = {
        "item": quote.item,
        "currency": quote.currency,
        "kind": quote.kind.value,
        "on": quote.on,
        "schedule": {
            "id": info.id,
            "title": info.title,
            "source": info.source,
            "effective_from": info.effective_from,
            "stated_for": info.stated_for,
            "base_value": info.base_value,
            "superseded": info.superseded(quote.on),
            "superseded_on": info.superseded_on,
            "superseded_reason": info.superseded_reason,
            "warning": schedule_warning(t, info, quote.on),
        },
        "items": [
            {
                "code": i.code,
                "quantity": i.quantity,
                "unit_amount": i.unit_amount,
                "amount": i.amount,
                "basis": i.basis,
                "reductions": [r.code for r in i.reductions],
                "surcharge": None
                if i.surcharge is None
                else {
                    "code": i.surcharge.code,
                    "percent": str(i.surcharge.percent),
                    "basis": i.surcharge.basis,
                },
            }
            for i in quote.items
        ],
        "total": quote.total,
        "warnings": warning_texts(t, quote.warnings),
        "readings": list(quote.readings),
        "alternatives": [
            {"reading": a.reading, "total": a.total, "basis": a.basis} for a in quote.alternatives
        ],
    }
    if equivalents:
        data["equivalents"] = [
            {
                "currency": e.currency,
                "amount": e.amount,
                "rate": str(e.rate.official_rate),
                "scale": e.rate.scale,
                "rate_date": e.rate.date,
                "offline": e.rate.offline,
            }
            for e in equivalents
        ]
    return data


def render_quote(t: Any, quote: Any, equivalents: list[Any]) -> str:
    from core.explain import equivalent_line, quote_notes, quote_title, surcharge_label
    from core.labels import REDUCTION_LABELS, fee_label
    from core.rates import SOURCE

    rows = []
    for item in quote.items:
        label = t.fmt(fee_label(item.code), year=item.code.removeprefix("annual_"))
        label += surcharge_label(t, item)
        if item.reductions:
            label += (
                " (" + ", ".join(t.gettext(REDUCTION_LABELS[r.code]) for r in item.reductions) + ")"
            )
        rows.append(
            [
                label,
                str(item.quantity),
                t.money(item.unit_amount),
                t.money(item.amount),
                t.cite(item.basis),
            ]
        )
    out = [
        quote_title(t, quote),
        "",
        table(
            rows,
            [
                t.gettext("Fee"),
                t.gettext("Qty"),
                t.gettext("Unit"),
                t.gettext("Amount"),
                t.gettext("Basis"),
            ],
        ),
        "",
        t.fmt("Total: {total}", total=t.money(quote.total)),
    ]
    out += [equivalent_line(t, e) for e in equivalents]
    out += ["", *quote_notes(t, quote)]
    out.append(t.fmt("Exchange rates: {source}.", source=SOURCE) if equivalents else "")
    return "\n".join(x for x in out).rstrip()
