"""/fees: the national fee quote. With arguments (`/fees patent 2 15`) it answers at once;
without, a guided flow asks the kind, the claims, natural person and ISR."""

from __future__ import annotations

import datetime as dt
import logging
from decimal import Decimal
from typing import Any

from telegram import Update
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler

from bot.callbacks import parse, pattern
from bot.context import BotContext
from bot.render import quote_text
from bot.reply import Button, ack, answer, button
from bot.text import short
from core.errors import N_, InputError
from core.fees import MAX_CLAIMS, national_fee
from core.models import Kind, Quote

log = logging.getLogger(__name__)
FLOW = "fees"


def parse_kind(text: str) -> Kind:
    try:
        return Kind.parse(text)
    except ValueError:
        raise InputError(
            N_("Unknown kind “{kind}”: use patent or utility-model."), kind=short(text, 30)
        ) from None


def parse_count(text: str) -> int:
    value = text.strip()
    if not value.isdigit() or len(value) > 6:
        raise InputError(
            N_("A claim count must be a whole number from 0 to {max}; got {value}."),
            max=MAX_CLAIMS,
            value=short(value, 20),
        )
    return int(value)


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
        return list(await rates.equivalents(total, on))
    except Exception:  # rates are a courtesy: a quote never fails for them
        log.warning("currency equivalents unavailable", exc_info=True)
        return []


async def send_quote(update: Update, context: BotContext, quote: Quote, *, edit: bool) -> None:
    t = context.t
    found = await equivalents(context, quote.total, quote.on)
    rows: list[list[Button]] = [
        [button(t.gettext("Another quote"), FLOW, "new")],
    ]
    await answer(update, context, quote_text(t, quote, found), rows, edit=edit)


async def fees_command(update: Update, context: BotContext) -> None:
    args = context.args or []
    if not args:
        await ask_kind(update, context)
        return
    kind = parse_kind(args[0])
    if len(args) > 3:
        raise InputError(
            N_("Use: /fees patent|um INDEPENDENT DEPENDENT, for example /fees patent 2 15.")
        )
    independent, dependent = parse_claims(" ".join(args[1:]) or "1 0")
    quote = national_fee(kind, independent, dependent, on=today(context))
    await send_quote(update, context, quote, edit=False)


def today(context: BotContext) -> dt.date:
    return dt.datetime.now(context.settings.tz).date()


async def ask_kind(update: Update, context: BotContext, *, edit: bool = False) -> None:
    t = context.t
    context.start_flow(FLOW, "kind")
    rows = [
        [
            button(t.gettext("Patent for invention"), FLOW, "kind", "patent"),
            button(t.gettext("Utility model"), FLOW, "kind", "um"),
        ]
    ]
    await answer(update, context, t.gettext("What is the fee for?"), rows, edit=edit)


async def on_button(update: Update, context: BotContext) -> None:
    data = parse(update.callback_query.data if update.callback_query else None)
    await ack(update)
    t = context.t
    if data is None:
        return
    if data.action == "new":
        await ask_kind(update, context)
        return
    flow = context.flow
    if flow is None or flow.get("name") != FLOW:
        from bot.handlers.common import stale_button

        await stale_button(update, context, answered=True)
        return
    if data.action == "kind":
        flow.update(kind=parse_kind(data.arg(0)).value, step="claims")
        await answer(
            update,
            context,
            t.gettext(
                "How many claims? Send two numbers: independent and dependent claims, "
                "for example 1 12."
            ),
            edit=True,
        )
    elif data.action == "np":
        flow.update(natural_person=data.arg(0) == "1", step="isr")
        rows = [[button(t.gettext("Yes"), FLOW, "isr", 1), button(t.gettext("No"), FLOW, "isr", 0)]]
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
    elif data.action == "isr" and "independent" in flow:
        context.end_flow()
        quote = national_fee(
            Kind(flow["kind"]),
            int(flow["independent"]),
            int(flow["dependent"]),
            natural_person=bool(flow.get("natural_person")),
            isr=data.arg(0) == "1",
            on=today(context),
        )
        await send_quote(update, context, quote, edit=True)


async def on_text(update: Update, context: BotContext) -> None:
    """The typed step of the flow: the claim counts."""
    flow = context.flow
    message = update.effective_message
    if flow is None or message is None or flow.get("step") != "claims":
        await ask_kind(update, context)
        return
    independent, dependent = parse_claims(message.text or "")
    # validate now, so the user corrects the numbers before the next question
    national_fee(Kind(flow["kind"]), independent, dependent, on=today(context))
    flow.update(independent=independent, dependent=dependent, step="np")
    t = context.t
    rows = [[button(t.gettext("Yes"), FLOW, "np", 1), button(t.gettext("No"), FLOW, "np", 0)]]
    await answer(
        update,
        context,
        t.gettext("Is the applicant a natural person (an individual, not a company)?"),
        rows,
    )


def handlers() -> list[BaseHandler[Update, BotContext, None]]:
    return [
        CommandHandler("fees", fees_command),
        CallbackQueryHandler(on_button, pattern=pattern(FLOW)),
    ]


TEXT_STEPS = {FLOW: on_text}
