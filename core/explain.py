"""Plain-text explanations shared by every front-end: the notes under a fee quote, a
deadline's title with its condition, why a date moved, and the notes under a deadline list.

Each takes the user's `Translator`; none speaks HTML (a front-end escapes what it embeds).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING

from core import labels
from core.calendar import add_months, known_through_year
from core.deadlines import (
    PRIORITY_YEAR_MONTHS,
    CaseFacts,
    Event,
    lapsed,
    priority_year_end,
)
from core.deadlines import (
    EventKind as E,
)
from core.errors import N_
from core.i18n import Translator
from core.labels import (
    CONDITION_LABELS,
    ITEM_LABELS,
    KIND_LABELS,
    WARNINGS,
    deadline_label,
)
from core.models import Deadline, FeeItem, Kind, Quote, ScheduleInfo
from core.schedule import NoScheduleError, schedule_for

if TYPE_CHECKING:  # (core.rates brings httpx and asyncio: not for the command line's dates)
    from core.rates import Equivalent


def kind_label(t: Translator, kind: str) -> str:
    return t.gettext(KIND_LABELS[kind])


OFFICE_FEES_PAGE = "https://ncip.by"


def schedule_warning(t: Translator, info: ScheduleInfo, on: dt.date) -> str:
    """The one line every amount carries: the year of the amounts, whether they were already
    outdated on `on`, and where to check the current ones (docs/RULES.md §3)."""
    where = info.current_fees_at or OFFICE_FEES_PAGE
    if info.superseded(on) and info.superseded_on is not None:
        return t.fmt(
            "Amounts of {year}: this schedule was superseded on {date}, so the fees charged "
            "now differ — check the current ones on the Office's fee page ({url}).",
            year=info.stated_for.year,
            date=t.date(info.superseded_on),
            url=where,
        )
    return t.fmt(
        "Amounts of the {year} schedule — check the current ones on the Office's fee page ({url}).",
        year=info.stated_for.year,
        url=where,
    )


def amounts_warning(t: Translator, days: Iterable[dt.date]) -> list[str]:
    """The schedule warning for amounts due on `days`: one line per schedule they come from
    (usually one), for lists of deadlines, alerts and payment lines (docs/RULES.md §3)."""
    latest: dict[str, tuple[ScheduleInfo, dt.date]] = {}
    for day in days:
        try:
            info = schedule_for(day).info
        except NoScheduleError:
            continue
        known = latest.get(info.id)
        if known is None or known[1] < day:
            latest[info.id] = (info, day)
    return ["⚠ " + schedule_warning(t, info, day) for info, day in latest.values()]


# An amount in a text: "98 BYN", "BYN 122.50", a table headed "(BYN, Annex BY.I):" or
# "Per year, BYN: …". "Residents pay in BYN" names the currency and states no amount.
_AMOUNT = re.compile(r"\d\s*BYN\b|\bBYN\s*\d|\(BYN\b|\bBYN\)?:")


def states_amounts(text: str) -> bool:
    """`text` (an FAQ answer) states amounts, so it carries `amounts_warning` — not the payment
    details, which speak of BYN accounts and no amount."""
    return _AMOUNT.search(text) is not None


def quote_title(t: Translator, quote: Quote) -> str:
    if quote.item == "national":
        return t.fmt(
            "National fee for a {kind}, payment on {date}",
            kind=kind_label(t, quote.kind.value),
            date=t.date(quote.on),
        )
    return t.fmt(
        "{fee} for a {kind}, payment on {date}",
        fee=t.gettext(ITEM_LABELS[quote.item]),
        kind=kind_label(t, quote.kind.value),
        date=t.date(quote.on),
    )


READING_NOTES: dict[str, str] = {
    "extension_whole_at_band_rate": N_(
        "Extension (BY.15): every month is charged at the rate of the band the whole extension "
        "falls in — the safe reading of Annex BY.I, since a short payment loses the extension."
    ),
    "utility_model_from_patent_section": N_(
        "Annex BY.I lists this fee under patents only; the same amount is applied to a utility "
        "model (BY.20: the requirements are basically the same) — confirm it with the Office."
    ),
    "conversion_fee_either_way": N_(
        "Annex BY.I lists one conversion fee, under utility models; it is applied to a "
        "conversion either way (BY.22) — confirm it with the Office."
    ),
}
ALTERNATIVE_NOTES: dict[str, str] = {
    "extension_month_by_month": N_(
        "The other reading (each month at its own band's rate): {amount}."
    ),
    "without_natural_person_reduction": N_(
        "Without the reduction for natural persons (if it does not apply to you): {amount}."
    ),
}


def reading_notes(t: Translator, quote: Quote) -> list[str]:
    """The readings of an ambiguous rule applied, then the other readings with their totals."""
    notes = [t.gettext(READING_NOTES[code]) for code in quote.readings]
    notes += [
        t.fmt(ALTERNATIVE_NOTES[a.reading], amount=t.money(a.total)) for a in quote.alternatives
    ]
    return notes


def quote_notes(t: Translator, quote: Quote, escape: Callable[[str], str] = str) -> list[str]:
    """The schedule's age, its source and the readings applied, for every quote.

    `escape` is applied to the one value that is not ours (the source's title): `html.escape`
    for a front-end that speaks HTML.
    """
    info = quote.schedule
    notes = [
        "⚠ " + schedule_warning(t, info, quote.on),
        t.fmt(
            "Source: {source}; amounts as stated for {date} (base value {bv} BYN).",
            source=escape(info.source),
            date=t.date(info.stated_for),
            bv=t.number(info.base_value, "#,##0.00"),
        ),
    ]
    if quote.base_value_on_date is not None and quote.base_value_on_date != info.base_value:
        notes.append(
            t.fmt(
                "The base value in force on the payment date is {bv} BYN; the Office may "
                "charge amounts that differ from this published schedule — confirm with it.",
                bv=t.number(quote.base_value_on_date, "#,##0.00"),
            )
        )
    if any(r.code == "examination_isr" for i in quote.items for r in i.reductions):
        notes.append(
            t.gettext(
                "The examination fee is halved because an international search report or an "
                "international preliminary examination report has been established (BY.09)."
            )
        )
    if quote.natural_person:
        notes.append(
            t.gettext(
                "For a natural person every fee is reduced by 75% (Summary, footnote 3, which "
                "speaks of residents of Belarus): please confirm your eligibility with the Office."
            )
        )
    return notes + reading_notes(t, quote) + ["⚠ " + w for w in warning_texts(t, quote.warnings)]


def surcharge_label(t: Translator, item: FeeItem) -> str:
    """ " (late: +50%)" after a fee paid late; empty for any other."""
    if item.surcharge is None:
        return ""
    late = t.fmt("late: +{percent}%", percent=t.number(item.surcharge.percent))
    return f" ({late})"


def warning_texts(t: Translator, codes: Iterable[str]) -> list[str]:
    """The sentences of warnings (codes of `core.labels.WARNINGS`), each naming its paragraph:
    the same words in the chat, alerts, the CLI's text and its JSON `warnings`."""
    return [t.gettext(WARNINGS[code]) for code in codes]


def payment_text(
    t: Translator, code: str, amount: Decimal, late_amount: Decimal | None = None
) -> str:
    """A deadline's money, the one way every answer states it (the case card, alerts, the CLI):
    `122.50 BYN`, `122.50 BYN; later, in the grace period: 183.75 BYN` where a grace period
    follows, and
    `183.75 BYN (with a surcharge of 50%)` for the grace period itself. Year 3 of a patent has
    no grace (its `late_amount` is None): no later amount is quoted for it."""
    if code.endswith("_grace"):
        return f"{t.money(amount)} ({t.gettext('with a surcharge of 50%')})"
    text = t.money(amount)
    if late_amount is not None:
        text += "; " + t.fmt("later, in the grace period: {amount}", amount=t.money(late_amount))
    return text


def grant_years_line(t: Translator, years: Sequence[int]) -> str:
    """A utility model's years paid with the grant fee before a decision (BY.21)."""
    return t.nfmt(
        "Year {years}: with the fee for grant (BY.21), no date of its own before the decision "
        "to grant.",
        "Years {years}: with the fee for grant (BY.21), no date of their own before the "
        "decision to grant.",
        len(years),
        years=", ".join(map(str, years)),
    )


def event_label(t: Translator, event: Event) -> str:
    """A recorded event as answers name it: "annual fee for year 4 paid", "extension of the
    time limit requested (3 months)"."""
    label = t.fmt(labels.event_label(event.kind.value, event.year), year=event.year)
    if event.months:
        label += " (" + t.nfmt("{n} month", "{n} months", event.months) + ")"
    return label


def deadline_title(t: Translator, d: Deadline) -> str:
    title = t.fmt(deadline_label(d.code), year=d.year)
    if d.conditional and d.conditional != "late_surcharge_50":
        title += f" ({t.gettext(CONDITION_LABELS[d.conditional])})"
    return title


def shift_reason(t: Translator, d: Deadline) -> str | None:
    """Why the date moved: every non-working day skipped, named in the user's language."""
    if not d.skipped:
        return None
    names: list[str] = []
    for day, reason in d.skipped:
        name = t.skipped_reason(day, reason)
        if name not in names:
            names.append(name)
    return "; ".join(names)


def sentence(text: str) -> str:
    """One full stop at the end: a date that ends in an abbreviation ("15 марта 2026 г.")
    before the sentence's own stop gives "г.." otherwise."""
    return text[:-1] if text.endswith("..") else text


def shift_sentence(t: Translator, d: Deadline) -> str:
    """ "Why this date?" for a date moved off a non-working day, as one sentence."""
    return sentence(
        t.fmt(
            "{title}: {nominal} is not a working day ({reason}), so the last day is {date}.",
            title=deadline_title(t, d),
            nominal=t.date(d.nominal),
            reason=shift_reason(t, d) or "",
            date=t.date(d.date),
        )
    )


def priority_notes(t: Translator, facts: CaseFacts) -> list[str]:
    """The priority year (docs/RULES.md §1): counted at the receiving Office, whose calendar is
    unknown here — a 12-month day on a weekend runs to the Monday; past that, restoration,
    though a holiday of the receiving Office may have extended it (PCT Rule 80.5)."""
    if facts.priority is None:
        return []
    nominal = add_months(facts.priority, PRIORITY_YEAR_MONTHS)
    end = priority_year_end(facts.priority)
    if facts.priority_late:
        return [
            sentence(
                t.fmt(
                    "The international filing date is more than 12 months after the priority "
                    "date (the priority year ended on {end}): the priority claim holds only if "
                    "the right of priority is restored (PCT Rule 49ter.2; the Office applies "
                    "the “unintentional” criterion; fee in Annex BY.I). A holiday of the "
                    "receiving Office may also have extended the priority year (PCT Rule "
                    "80.5): check its calendar before asking for restoration.",
                    end=t.date(end),
                )
            )
        ]
    if facts.priority_year_weekend:
        return [
            sentence(
                t.fmt(
                    "The priority year ended on a weekend ({nominal}), so it ran to {end} "
                    "(PCT Rule 80.5): the international application was filed within it and "
                    "the priority claim holds.",
                    nominal=t.date(nominal),
                    end=t.date(end),
                )
            )
        ]
    return []


def grant_years_note(t: Translator) -> str:
    """Which years of a utility model the grant fee pays (BY.21; docs/RULES.md §2)."""
    return t.gettext(
        "The annual fee for year 1, and for every year that begins on or before the day the "
        "fee for grant is paid, is paid together with the fee for grant, at the normal amount "
        "(BY.21): those years have no date of their own until the decision to grant is recorded."
    )


def deadline_notes(t: Translator, facts: CaseFacts, deadlines: Sequence[Deadline]) -> list[str]:
    notes = priority_notes(t, facts)
    before_grant = not (facts.has(E.GRANT_DECISION_RECEIVED) or facts.has(E.GRANT_FEE_PAID))
    if facts.kind is Kind.UTILITY_MODEL and before_grant and not lapsed(facts):
        notes.append(grant_years_note(t))
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


def equivalent_line(t: Translator, e: Equivalent) -> str:
    """A currency equivalent with the NBRB rate and its date; flagged when it is the last known."""
    line = t.fmt(
        "≈ {amount} at the NBRB rate of {date} ({scale} {currency} = {rate} BYN)",
        amount=t.money(e.amount, e.currency),
        date=t.date(e.rate.date),
        scale=e.rate.scale,
        currency=e.currency,
        rate=t.number(e.rate.official_rate, "#,##0.0000"),
    )
    if e.rate.offline:
        line += " — " + t.gettext("offline: the last known rate")
    return line
