"""/fees: fee quotes for every Annex BY.I item. With arguments (`/fees patent 2 15`,
`/fees grant`, `/fees extension 4`) it answers at once; without, a guided flow asks the kind, the
claims, natural person and ISR — or, under "Other fees", the item and what it needs."""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from decimal import Decimal
from typing import Annotated, Any

from telegram import Update
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler

from bot.context import BotContext
from bot.fallbacks import stale_button
from bot.parse.callbacks import CallbackData, Choice, KindField
from bot.render.answers import national_quote, quote_answer
from bot.render.reply import Button, ack, answer, button
from bot.render.text import short
from core.errors import N_, InputError
from core.fees import (
    ITEMS,
    LATE_ITEMS,
    MAX_CLAIMS,
    check_months,
    check_year,
    national_fee,
    parse_item,
    parse_request,
    quote_item,
)
from core.labels import ITEM_LABELS
from core.models import Kind, Quote
from core.rates import QUOTE_BUDGET

log = logging.getLogger(__name__)
FLOW = "fees"
MAX_TYPED = 10**6  # a longer number typed for a year or months: out of range, said as typed
CANCELLED = N_("The fee quote is cancelled.")  # /cancel
OTHER_ITEMS: tuple[str, ...] = tuple(i for i in ITEMS if i != "national")


class FeesButton(CallbackData, feature=FLOW):
    """The buttons of /fees."""


@dataclass(frozen=True)
class NewQuote(FeesButton, action="new"):
    pass


@dataclass(frozen=True)
class OtherFees(FeesButton, action="other"):
    pass


@dataclass(frozen=True)
class NationalKind(FeesButton, action="kind"):
    """The national fee's kind: then the claims are asked."""

    kind: KindField


@dataclass(frozen=True)
class NaturalPerson(FeesButton, action="np"):
    """The national fee: is the applicant a natural person?"""

    yes: bool


@dataclass(frozen=True)
class SearchReport(FeesButton, action="isr"):
    """The national fee: is there an international search report?"""

    yes: bool


@dataclass(frozen=True)
class Item(FeesButton, action="item"):
    item: Annotated[str, Choice.of(OTHER_ITEMS)]


@dataclass(frozen=True)
class ItemKind(FeesButton, action="ikind"):
    kind: KindField


@dataclass(frozen=True)
class ItemLate(FeesButton, action="late"):
    late: bool


@dataclass(frozen=True)
class ItemNaturalPerson(FeesButton, action="inp"):
    yes: bool


def parse_count(text: str) -> int:
    value = text.strip()
    if not value.isdecimal() or len(value) > 6:
        raise InputError(
            N_("A claim count must be a whole number from 0 to {max}; got {value}."),
            max=MAX_CLAIMS,
            value=short(value, 20),
        )
    return int(value)


def parse_item_number(key: str, text: str, kind: Kind) -> int:
    """The year of an annual fee (`key` "year") or the months of an extension ("months"), as
    typed: a number out of range — however many digits it has — is answered about a year or
    months (BY.12, BY.21; BY.15), never about claims."""
    value = text.strip()
    if not value.isdecimal():
        raise InputError(N_("Send one whole number, for example 7."))
    number = int(value) if len(value) <= 6 else MAX_TYPED
    try:
        if key == "year":
            check_year(kind, number, extended=True)
        else:
            check_months(number)
    except InputError as err:  # say the number as it was typed (shortened)
        echoed = "year" if key == "year" else "value"
        raise InputError(err.template, **{**err.params, echoed: short(value, 20)}) from None
    return number


def parse_claims(text: str) -> tuple[int, int]:
    """`2 15`, `2, 15`, `2/15` → (independent, dependent); one number → (n, 0)."""
    parts = text.replace(",", " ").replace("/", " ").replace("+", " ").split()
    if not 1 <= len(parts) <= 2:
        raise InputError(
            N_("Send two numbers: independent claims and dependent claims, for example 1 12.")
        )
    independent = parse_count(parts[0])
    dependent = parse_count(parts[1]) if len(parts) == 2 else 0
    return independent, dependent


async def equivalents(context: BotContext, total: Decimal, on: dt.date) -> list[Any]:
    rates = context.services.rates
    if rates is None:
        return []
    try:
        return list(await rates.equivalents(total, on, budget=QUOTE_BUDGET))
    except Exception:  # rates are a courtesy: a quote never fails for them
        log.warning("currency equivalents unavailable", exc_info=True)
        return []


async def send_quote(update: Update, context: BotContext, quote: Quote, *, edit: bool) -> None:
    t = context.t
    found = await equivalents(context, quote.total, quote.on)
    rows: list[list[Button]] = [
        [button(t.gettext("Another quote"), NewQuote())],
    ]
    await answer(update, context, quote_answer(t, quote, found), rows, edit=edit)


async def fees_command(update: Update, context: BotContext) -> None:
    args = context.args or []
    if not args:
        await ask_kind(update, context)
        return
    request = parse_request(" ".join(args))
    numbers = request.numbers
    if request.item == "national":
        if len(numbers) > 2:
            raise InputError(
                N_("Use: /fees patent|um INDEPENDENT DEPENDENT, for example /fees patent 2 15.")
            )
        independent, dependent = parse_claims(" ".join(numbers) or "1 0")
        quote = national_quote(
            request.kind, independent, dependent, request.natural_person, context.today
        )
    else:
        if len(numbers) > 1:
            raise InputError(N_("Use: /fees ITEM [patent|um] [N], for example /fees extension 4."))
        key = {"annual": "year", "extension": "months"}.get(request.item)
        if numbers and key is None:
            raise InputError(N_("Use: /fees ITEM [patent|um] [N], for example /fees extension 4."))
        flow: dict[str, Any] = {
            "item": request.item,
            "kind": request.kind.value,
            "natural_person": request.natural_person,
            "late": False,
        }
        if key is not None and numbers:
            flow[key] = parse_item_number(key, numbers[0], request.kind)
        elif key is not None:  # ask for the year or the months
            await next_step(update, context, context.start_flow(FLOW, "item", **flow), edit=False)
            return
        quote = item_quote(context, flow)
    await send_quote(update, context, quote, edit=False)


async def ask_kind(update: Update, context: BotContext, *, edit: bool = False) -> None:
    t = context.t
    context.start_flow(FLOW, "kind")
    rows = [
        [
            button(t.gettext("Patent for invention"), NationalKind(Kind.PATENT)),
            button(t.gettext("Utility model"), NationalKind(Kind.UTILITY_MODEL)),
        ],
        [button(t.gettext("Other fees"), OtherFees())],
    ]
    await answer(update, context, t.gettext("What is the fee for?"), rows, edit=edit)


# --- other fees: any Annex BY.I item --------------------------------------------------------


async def ask_item(update: Update, context: BotContext) -> None:
    t = context.t
    context.start_flow(FLOW, "item")
    buttons = [button(t.gettext(ITEM_LABELS[i]), Item(i)) for i in OTHER_ITEMS]
    rows = [buttons[i : i + 2] for i in range(0, len(buttons), 2)]
    await answer(update, context, t.gettext("Which fee?"), rows, edit=True)


async def next_step(update: Update, context: BotContext, flow: dict[str, Any], edit: bool) -> None:
    """Asks what the chosen item still needs; with everything known, quotes it."""
    t = context.t
    item, kind = flow["item"], flow.get("kind")
    yes_no: list[list[Button]]
    if kind is None:
        flow["step"] = "ikind"
        rows = [
            [
                button(t.gettext("Patent for invention"), ItemKind(Kind.PATENT)),
                button(t.gettext("Utility model"), ItemKind(Kind.UTILITY_MODEL)),
            ]
        ]
        question = (
            t.gettext("Which application is converted?")
            if item == "conversion"
            else t.gettext("For a patent or a utility model?")
        )
        await answer(update, context, question, rows, edit=edit)
    elif item == "annual" and "year" not in flow:
        flow["step"] = "year"
        await answer(
            update,
            context,
            t.gettext("For which year of the term? Send a number, for example 7."),
            edit=edit,
        )
    elif item == "extension" and "months" not in flow:
        flow["step"] = "months"
        await answer(
            update,
            context,
            t.gettext("By how many months? Send a number from 1 to 12."),
            edit=edit,
        )
    elif item in LATE_ITEMS and "late" not in flow and not _year_3(flow):
        flow["step"] = "late"
        yes_no = [
            [button(t.gettext("In time"), ItemLate(False))],
            [button(t.gettext("Late, in the 6-month grace period (+50%)"), ItemLate(True))],
        ]
        await answer(update, context, t.gettext("Is the fee paid in time?"), yes_no, edit=edit)
    elif "natural_person" not in flow:
        flow["step"] = "inp"
        yes_no = [
            [
                button(t.gettext("Yes"), ItemNaturalPerson(True)),
                button(t.gettext("No"), ItemNaturalPerson(False)),
            ]
        ]
        await answer(
            update,
            context,
            t.gettext("Is the applicant a natural person (an individual, not a company)?"),
            yes_no,
            edit=edit,
        )
    else:
        context.end_flow()
        quote = item_quote(context, flow)
        await send_quote(update, context, quote, edit=edit)


def _year_3(flow: dict[str, Any]) -> bool:
    """The patent's 3rd-year fee is paid with the national fee: it has no late period."""
    return flow.get("kind") == Kind.PATENT.value and flow.get("year") == 3


def item_quote(context: BotContext, flow: dict[str, Any]) -> Quote:
    return quote_item(
        flow["item"],
        Kind(flow["kind"]),
        natural_person=bool(flow.get("natural_person")),
        late=bool(flow.get("late")),
        months=flow.get("months"),
        year=flow.get("year"),
        on=context.today,
    )


async def on_item_number(update: Update, context: BotContext, flow: dict[str, Any]) -> None:
    """The typed year (annual fee) or number of months (extension)."""
    message = update.effective_message
    text = (message.text or "").strip() if message else ""
    key = "year" if flow["step"] == "year" else "months"
    numbers = [w for w in text.replace(",", " ").split() if w.isdecimal()]
    if len(numbers) != 1:
        raise InputError(N_("Send one whole number, for example 7."))
    number = parse_item_number(key, numbers[0], Kind(flow["kind"]))
    trial = {**flow, key: number, "late": False, "natural_person": False}
    item_quote(context, trial)  # validates the number now, so the user corrects it here
    flow[key] = number
    await next_step(update, context, flow, edit=False)


async def on_button(update: Update, context: BotContext) -> None:
    data = FeesButton.read(update)
    await ack(update)
    t = context.t
    if isinstance(data, NewQuote):
        await ask_kind(update, context)
        return
    if isinstance(data, OtherFees):
        await ask_item(update, context)
        return
    flow = context.flow
    if data is None or flow is None or flow.get("name") != FLOW:
        await stale_button(update, context, answered=True)
        return
    match data:
        case Item(item):
            item = parse_item(item)
            flow.update(item=item, step="ikind")
            if item == "renewal":  # BY.21: utility models only
                flow["kind"] = Kind.UTILITY_MODEL.value
            await next_step(update, context, flow, edit=True)
        case ItemKind() | ItemLate() | ItemNaturalPerson() if "item" in flow:
            if isinstance(data, ItemKind):
                flow["kind"] = data.kind.value
            elif isinstance(data, ItemLate):
                flow["late"] = data.late
            else:
                flow["natural_person"] = data.yes
            await next_step(update, context, flow, edit=True)
        case NationalKind(kind):
            flow.update(kind=kind.value, step="claims")
            await answer(
                update,
                context,
                t.gettext(
                    "How many claims? Send two numbers: independent and dependent claims, "
                    "for example 1 12."
                ),
                edit=True,
            )
        case NaturalPerson(yes):
            flow.update(natural_person=yes, step="isr")
            rows = [
                [
                    button(t.gettext("Yes"), SearchReport(True)),
                    button(t.gettext("No"), SearchReport(False)),
                ]
            ]
            await answer(
                update,
                context,
                t.gettext(
                    "Has an international search report (or an international preliminary "
                    "examination report) been established? It almost always has."
                ),
                rows,
                edit=True,
            )
        case SearchReport(yes) if "independent" in flow:
            context.end_flow()
            quote = quote_item(
                "national",
                Kind(flow["kind"]),
                independent=int(flow["independent"]),
                dependent=int(flow["dependent"]),
                natural_person=bool(flow.get("natural_person")),
                isr=yes,
                on=context.today,
            )
            await send_quote(update, context, quote, edit=True)


async def on_text(update: Update, context: BotContext) -> None:
    """The typed step of the flow: the claim counts."""
    flow = context.flow
    message = update.effective_message
    if flow is not None and message is not None and flow.get("step") in ("year", "months"):
        await on_item_number(update, context, flow)
        return
    if flow is None or message is None or flow.get("step") != "claims":
        await ask_kind(update, context)
        return
    if len((message.text or "").replace(",", " ").replace("/", " ").split()) != 2:
        # one number for two: which was it? Ask again rather than guess
        raise InputError(
            N_("Send two numbers: independent claims and dependent claims, for example 1 12.")
        )
    independent, dependent = parse_claims(message.text or "")
    # validate now, so the user corrects the numbers before the next question
    national_fee(Kind(flow["kind"]), independent, dependent, on=context.today)
    flow.update(independent=independent, dependent=dependent, step="np")
    t = context.t
    rows = [
        [
            button(t.gettext("Yes"), NaturalPerson(True)),
            button(t.gettext("No"), NaturalPerson(False)),
        ]
    ]
    await answer(
        update,
        context,
        t.gettext("Is the applicant a natural person (an individual, not a company)?"),
        rows,
    )


def handlers() -> list[BaseHandler[Update, BotContext, None]]:
    return [
        CommandHandler("fees", fees_command),
        CallbackQueryHandler(on_button, pattern=FeesButton.matches),
    ]


TEXT_STEPS = {FLOW: on_text}


# Main-menu entries (bot.parse.buttons.Menu) → their entry points.
MENU_ACTIONS = {"fees": fees_command}
