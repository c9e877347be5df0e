"""Plain-text explanations shared by every front-end: the notes under a fee quote, a
deadline's title with its condition, why a date moved, and the notes under a deadline list.

Each takes the user's `Translator`; none speaks HTML (a front-end escapes what it embeds).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING

from core.calendar import known_through_year
from core.deadlines import CaseFacts
from core.errors import N_
from core.i18n import Translator
from core.labels import CONDITION_LABELS, ITEM_LABELS, KIND_LABELS, deadline_label
from core.models import Deadline, Quote, ScheduleInfo
from core.schedule import NoScheduleError, schedule_for

if TYPE_CHECKING:  # (core.rates brings httpx and asyncio: not for the command line's dates)
    from core.rates import Equivalent


def kind_label(t: Translator, kind: str) -> str:
    return t.gettext(KIND_LABELS[kind])


OFFICE_FEES_PAGE = "https://ncip.by"


def schedule_warning(t: Translator, info: ScheduleInfo, on: dt.date) -> str:
    """The one line every amount carries: the year of the amounts, whether they were already
    outdated on `on`, and where to check the current ones (DOMAIN.md §3)."""
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
    (usually one), for lists of deadlines, alerts and payment lines (DOMAIN.md §3)."""
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
    return notes + reading_notes(t, quote)


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


def shift_sentence(t: Translator, d: Deadline) -> str:
    """ "Why this date?" for a date moved off a non-working day, as one sentence."""
    return t.fmt(
        "{title}: {nominal} is not a working day ({reason}), so the last day is {date}.",
        title=deadline_title(t, d),
        nominal=t.date(d.nominal),
        reason=shift_reason(t, d) or "",
        date=t.date(d.date),
    )


def deadline_notes(t: Translator, facts: CaseFacts, deadlines: Sequence[Deadline]) -> list[str]:
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
