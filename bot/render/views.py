"""Answers as Telegram HTML in the user's language: fee quotes, deadlines, "why this date?".

Each returns `bot.render.html.Markup`: the markup is ours (templates marked as such), every
value in it — translated strings, amounts, dates, citations — escaped by `bot.render.html` on
the way in."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from functools import lru_cache
from typing import Any, Final

from bot.parse.buttons import AskStaff, DeadlineAct, DeadlineRoute, Menu
from bot.render.html import Markup, bold, esc, italic, join, render
from bot.render.reply import Button, button
from bot.render.text import short
from core.deadlines import CaseFacts, Event
from core.errors import N_
from core.explain import (
    amounts_warning,
    deadline_notes,
    deadline_title,
    equivalent_line,
    kind_label,
    payment_text,
    quote_notes,
    quote_title,
    shift_reason,
    shift_sentence,
    states_amounts,
    surcharge_label,
    warning_texts,
)
from core.explain import event_label as explain_event_label
from core.faq import FaqBase
from core.i18n import Lang, Translator
from core.labels import (
    REDUCTION_LABELS,
    deadline_label,
    fee_label,
)
from core.lifecycle import Action, action_of, case_status
from core.models import Deadline, FeeItem, Quote

# Translations of our own codes and texts (labels, rule citations) repeat in every answer: each
# language's are escaped and formatted once (for user input `esc` is uncached).
_esc_ours = lru_cache(maxsize=2048)(esc)

MAX_LISTED_BUTTONS = 30  # cases listed as buttons under one message


@lru_cache(maxsize=1024)
def _fee_label(t: Translator, code: str) -> Markup:
    return _esc_ours(t.fmt(fee_label(code), year=code.removeprefix("annual_")))


def _item_label(t: Translator, item: FeeItem) -> str:
    """The fee's label (a claim fee with its count), and "(late: +50%)" after one paid late."""
    late = surcharge_label(t, item)
    if not late:
        return _count_label(t, item.code, item.quantity)
    return _esc_ours(t.fmt(fee_label(item.code), year=item.code.removeprefix("annual_")) + late)


_ITEM: Final = Markup("• {label}{quantity}: <b>{amount}</b>{cuts} <i>[{basis}]</i>")


def _count_label(t: Translator, code: str, n: int) -> str:
    """A quote line's label. A claim fee counts its claims ("4 dependent claims over 10"), never
    "… over 10 × 4", which reads as "over 40"."""
    match code:
        case "claims_independent":
            return t.nfmt(
                "Claim fee for {n} independent claim over 1",
                "Claim fee for {n} independent claims over 1",
                n,
            )
        case "claims_dependent":
            return t.nfmt(
                "Claim fee for {n} dependent claim over 10",
                "Claim fee for {n} dependent claims over 10",
                n,
            )
        case "exam_claims_independent":
            return t.nfmt(
                "Claim examination fee for {n} independent claim over 1",
                "Claim examination fee for {n} independent claims over 1",
                n,
            )
        case "exam_claims_dependent":
            return t.nfmt(
                "Claim examination fee for {n} dependent claim over 10",
                "Claim examination fee for {n} dependent claims over 10",
                n,
            )
    return _fee_label(t, code)


def quote_text(t: Translator, quote: Quote, equivalents: Sequence[Any] = ()) -> Markup:
    """The itemised quote, the total, currency equivalents, the schedule's source and notes."""
    lines: list[str] = [bold(_esc_ours(quote_title(t, quote))), ""]
    for item in quote.items:
        cuts = ", ".join(t.gettext(REDUCTION_LABELS[r.code]) for r in item.reductions)
        unit = t.money(item.unit_amount)
        line = render(
            _ITEM,
            label=_item_label(t, item),
            quantity=f" ({item.quantity} × {unit})" if item.quantity > 1 else "",
            amount=_esc_ours(t.money(item.amount)),
            cuts=f" ({cuts})" if cuts else "",
            basis=_esc_ours(t.cite(item.basis)),
        )
        lines.append(line)
    lines += ["", bold(t.fmt("Total: {total}", total=t.money(quote.total)))]
    lines += [equivalent_line(t, e) for e in equivalents]
    if not equivalents:
        lines.append(t.gettext("Currency equivalents are not available right now."))
    lines.append("")
    lines += [italic(note) for note in quote_notes(t, quote)]
    return join(lines)


def days_left(t: Translator, day: dt.date, today: dt.date) -> str:
    return _days_left(t, (day - today).days)


@lru_cache(maxsize=4096)
def _days_left(t: Translator, left: int) -> str:
    if left < 0:
        return t.nfmt("{n} day overdue", "{n} days overdue", -left)
    if left == 0:
        return t.gettext("today is the last day")
    return t.nfmt("{n} day left", "{n} days left", left)


_LINE: Final = Markup("<b>{date}</b> — {title} ({left}) <i>[{basis}]</i>")
_BULLET: Final = Markup("• {line}")


def deadline_line(t: Translator, d: Deadline, today: dt.date, *, bullet: bool = True) -> Markup:
    """A deadline in one line (its amount on the next): "• date — title (days left) [rule]";
    without the bullet where it follows a label of its own."""
    line = render(
        _LINE,
        date=_esc_ours(t.date(d.date)),
        title=_esc_ours(deadline_title(t, d)),
        left=_esc_ours(days_left(t, d.date, today)),
        basis=_esc_ours(t.cite(d.basis)),
    )
    if bullet:
        line = render(_BULLET, line=line)
    if d.amount is not None:
        money = payment_text(t, d.code, d.amount, d.late_amount)
        line = join([line, "   " + t.fmt("Amount: {amount}", amount=money)])
    return line


def why_lines(t: Translator, deadlines: Sequence[Deadline]) -> list[Markup]:
    """For each moved date: the nominal day, why it moved, the rule."""
    shifted = [d for d in deadlines if d.shifted]
    if not shifted:
        return []
    lines = [
        Markup(),
        bold(t.gettext("Why these dates moved (Civil Code art. 194; PCT Rule 80.5):")),
    ]
    for d in shifted:
        lines.append(esc("• " + shift_sentence(t, d)))
    return lines


def deadlines_text(
    t: Translator, facts: CaseFacts, deadlines: Sequence[Deadline], today: dt.date
) -> Markup:
    lines: list[str] = [
        bold(
            t.fmt(
                "Deadlines for a {kind}: priority {priority}, international filing date {filing}",
                kind=kind_label(t, facts.kind.value),
                priority=t.date(facts.priority_date),
                filing=t.date(facts.filing),
            )
        ),
        "",
    ]
    lines += [deadline_line(t, d, today) for d in deadlines]
    # the warnings of these deadlines (BY.08, BY.16…), each said once
    shown = {d.code for d in deadlines}
    codes = [w for o in case_status(facts, today) if o.code in shown for w in o.warnings]
    if codes:
        lines += ["", *(italic("⚠️ " + w) for w in warning_texts(t, dict.fromkeys(codes)))]
    lines += why_lines(t, deadlines)
    notes = deadline_notes(t, facts, deadlines)
    notes += amounts_warning(t, [d.date for d in deadlines if d.amount is not None])
    if notes:
        lines += ["", *(italic(n) for n in notes)]
    return join(lines)


def why_text(t: Translator, d: Deadline) -> Markup:
    """ "Why this date?" for one deadline: the nominal date, any shift and its reason, the rule."""
    lines: list[str] = [bold(deadline_title(t, d))]
    lines.append(t.fmt("Nominal date: {date}", date=t.date(d.nominal)))
    if d.shifted:
        lines.append(
            t.fmt(
                "{nominal} is not a working day ({reason}), so the period ends on the next "
                "working day, {date} (Civil Code art. 194; PCT Rule 80.5).",
                nominal=t.date(d.nominal),
                reason=shift_reason(t, d) or "",
                date=t.date(d.date),
            )
        )
    else:
        lines.append(t.gettext("The nominal date is a working day: no shift."))
    lines.append(t.fmt("Rule: {basis}", basis=t.cite(d.basis)))
    return join(lines)


def event_text(t: Translator, event: Event) -> str:
    """A recorded event in words: "annual fee for year 4 paid", "extension of the time limit
    requested (3 months)" (`core.explain.event_label`)."""
    return explain_event_label(t, event)


def years_text(t: Translator, years: Sequence[int]) -> str:
    """ "year 4", "years 4–6, 8": runs of consecutive years joined by an en dash."""
    runs: list[list[int]] = []
    for year in sorted(set(years)):
        if runs and year == runs[-1][-1] + 1:
            runs[-1].append(year)
        else:
            runs.append([year])
    listed = ", ".join(str(run[0]) if len(run) == 1 else f"{run[0]}–{run[-1]}" for run in runs)
    return t.nfmt("year {years}", "years {years}", len(set(years)), years=listed)


UNPAID_YEARS = N_(
    "If they were paid, record them all at once with the button below (each on its due "
    "date); if not, see the case's card: a late fee in the grace period (+50%, BY.12), or "
    "restoration (BY.17)."
)


def unpaid_years_line(t: Translator, years: Sequence[int]) -> str:
    """A case's annual fees whose deadline passed with no payment recorded, said so — never
    assumed paid (docs/RULES.md §2)."""
    return t.fmt(
        "Annual fees for {years}: their deadline has passed with no payment recorded.",
        years=years_text(t, years),
    )


def paid_years_text(t: Translator, done: Sequence[Any]) -> Markup:
    """What "record them all as paid" recorded (`core.reminders.PaidYears` of each case)."""
    if not done:
        return esc(
            t.gettext("Nothing to record: no annual fee is overdue with no payment recorded.")
        )
    lines: list[str] = [bold(t.gettext("Recorded as paid, each on its due date:"))]
    for item in done[:MAX_LISTED_BUTTONS]:
        lines.append(
            render(Markup("• <b>{ref}</b>: {years}"), ref=item.ref, years=years_text(t, item.years))
        )
    rest = len(done) - MAX_LISTED_BUTTONS
    if rest > 0:
        lines.append(t.nfmt("…and {n} more case.", "…and {n} more cases.", rest))
    lines.append(t.gettext("See your cases with /cases."))
    return join(lines)


# -- buttons several features show ----------------------------------------------------------


@lru_cache(maxsize=8)
def menu_rows(t: Translator) -> tuple[tuple[Button, ...], ...]:
    """The main menu in `t`'s language (built once per translator: it never changes)."""
    return (
        (button(t.gettext("Fees"), Menu("fees")), button(t.gettext("Deadlines"), Menu("dl"))),
        (
            button(t.gettext("My cases"), Menu("cases")),
            button(t.gettext("Add a case"), Menu("add")),
        ),
        (
            button(t.gettext("Reminders"), Menu("rem")),
            button(t.gettext("Questions"), Menu("faq")),
        ),
        (button(t.gettext("Language"), Menu("lang")), button(t.gettext("Help"), Menu("help"))),
    )


def ask_staff_rows(t: Translator, available: bool) -> list[list[Button]]:
    """The "Write to the staff" button as keyboard rows, where the desk works
    (`BotContext.desk_open`), else none — for any feature that wants to offer a person."""
    if not available:
        return []
    return [[button(t.gettext("Write to the staff"), AskStaff())]]


# -- the deadline buttons (under an alert and under a case card) -----------------------------

BUTTON_LABELS = {
    Action.PAID: N_("Paid: {what}"),
    Action.DONE: N_("Done: {what}"),
    Action.ROUTE: N_("What to do: {what}"),
}


def action_button(t: Translator, case_id: int, code: str, year: int | None, day: dt.date) -> Button:
    """The button that acts on (or explains) exactly this deadline."""
    action = action_of(code)
    what = short(t.fmt(deadline_label(code), year=year), 40)
    label = t.fmt(BUTTON_LABELS[action], what=what)
    if action is Action.ROUTE:
        return button(label, DeadlineRoute(case_id, code))
    return button(label, DeadlineAct(case_id, code, day))


def deadline_button(t: Translator, case_id: int, d: Deadline) -> Button:
    return action_button(t, case_id, d.code, d.year, d.date)


# -- FAQ answers (to the user who asks, and from the staff to a ticket) -----------------------


def faq_answer(faq: FaqBase, topic: str, lang: Lang) -> Markup:
    """An FAQ answer: our own data, whose markup (<b>, <i>) is checked when the FAQ loads."""
    return Markup(faq.answer(topic, lang).text)


def faq_answer_text(t: Translator, faq: FaqBase, topic: str, today: dt.date) -> Markup:
    """The FAQ answer in `t`'s language; one that states amounts carries the schedule's age
    (docs/RULES.md §3: the Annex schedule is superseded), whoever sends it — the FAQ itself or
    the staff with /faq."""
    text = faq_answer(faq, topic, t.lang)
    if not states_amounts(faq.answer(topic, t.lang).body):
        return text
    return join([text, *(italic(w) for w in amounts_warning(t, [today]))])
