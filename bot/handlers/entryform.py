"""/entryform REF: the request to enter the national phase (Annex BY.II / BY.III) for one of
the user's cases, as a Word document.

The case gives the kind, the filing date, the title and — where the reference is one — the
international application number; a guided flow asks the rest one question at a time
(numbers and dates, applicants, inventors, representative, correspondence address, basis).
Every question can be skipped (the field stays blank on the form). The people and addresses
are remembered (`core.entryform.answers`) and offered again on the user's next form.
"""

from __future__ import annotations

import asyncio
import re
from dataclasses import dataclass
from typing import Annotated, Any, Literal, get_args

from telegram import Update
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler

from bot.context import BotContext
from bot.fallbacks import stale_button
from bot.parse.callbacks import CallbackData, Choice, Id
from bot.render.html import bold, italic, join
from bot.render.html import render as markup
from bot.render.reply import Button, ack, answer, button
from bot.render.text import short
from bot.render.views import MAX_LISTED_BUTTONS
from core.dates import parse_date
from core.entryform import (
    Basis,
    EntryRequest,
    RepresentativeRole,
    form_date,
    overflow,
    parse_request,
    render,
    st3,
)
from core.entryform.answers import from_case, recall, remember
from core.entryform.model import parse_pct_number, parse_wo_number
from core.errors import N_, InputError
from core.i18n import Translator
from core.models import Kind
from core.storage import Case

FEATURE = "ef"
FLOW = "entryform"
MAX_LINE = 300

# The questions, in the form's order; a step is asked only where `_wanted` says so.
STEPS: tuple[str, ...] = (
    "pct_number",
    "title",
    "wo_number",
    "publication_date",
    "applicants",
    "inventors",
    "representative",
    "representative_is",
    "correspondence_address",
    "basis",
)
PEOPLE = ("applicants", "inventors")
Part = Literal["description", "claims", "drawings"]
PARTS: tuple[Part, ...] = get_args(Part)
Option = Literal["original", "art19", "art34", "none"]
# The basis choices offered for each part (the form's check boxes).
OPTIONS: dict[Part, tuple[Option, ...]] = {
    "description": ("original", "art34"),
    "claims": ("original", "art19", "art34"),
    "drawings": ("original", "art34", "none"),
}


class FormButton(CallbackData, feature=FEATURE):
    """The buttons of /entryform."""


@dataclass(frozen=True)
class PickCase(FormButton, action="case"):
    case_id: Id


@dataclass(frozen=True)
class Skip(FormButton, action="skip"):
    pass


@dataclass(frozen=True)
class SameAsLastTime(FormButton, action="same"):
    pass


@dataclass(frozen=True)
class DonePeople(FormButton, action="done"):
    """No more applicants (inventors)."""


@dataclass(frozen=True)
class Role(FormButton, action="role"):
    role: Annotated[
        RepresentativeRole,
        Choice(
            {
                "pa": RepresentativeRole.PATENT_ATTORNEY,
                "cr": RepresentativeRole.COMMON_REPRESENTATIVE,
            }
        ),
    ]


@dataclass(frozen=True)
class BasisAll(FormButton, action="basis"):
    """Everything as filed ("all"), or a choice for each part ("each")."""

    basis: Literal["all", "each"]


@dataclass(frozen=True)
class PartBasis(FormButton, action="part"):
    part: Part
    choice: Option


# -- starting ---------------------------------------------------------------------------------


async def entryform_command(update: Update, context: BotContext) -> None:
    args = context.args or []
    if not args:
        await pick_case(update, context)
        return
    case, _facts = await context.find(" ".join(args))
    await start(update, context, case)


async def pick_case(update: Update, context: BotContext) -> None:
    t = context.t
    async with context.store.transaction() as tx:
        cases = await tx.cases.all(context.owner)
    if not cases:
        await answer(update, context, t.gettext("You have no cases yet. Add one with /addcase."))
        return
    rows: list[list[Button]] = [
        [button(case.ref[:30], PickCase(case.id))] for case in cases[:MAX_LISTED_BUTTONS]
    ]
    await answer(
        update,
        context,
        t.gettext("Which case is the entry request for? Or send /entryform REF."),
        rows,
    )


async def start(update: Update, context: BotContext, case: Case) -> None:
    t = context.t
    remembered = await recall(context.store, context.owner)
    data = from_case(case)
    data["filing_date"] = case.filing.isoformat()
    flow = context.start_flow(
        FLOW,
        "",
        case_id=case.id,
        ref=case.ref,
        data=data,
        remembered=remembered.model_dump(mode="json", exclude_none=True),
        skipped=[],
    )
    annex = annex_of(case.kind)
    known = [t.fmt("International filing date: {date}", date=form_date(case.filing))]
    if "pct_number" in data:
        known.append(t.fmt("International application: {number}", number=data["pct_number"]))
    if "title" in data:
        known.append(t.fmt("Title: {title}", title=data["title"]))
    lines: list[str] = [
        bold(
            t.fmt(
                "The request to enter the national phase (Annex {annex}) for {ref}.",
                annex=annex,
                ref=case.ref,
            )
        ),
        t.gettext("From the case:"),
        *(f"• {line}" for line in known),
        "",
        t.gettext(
            "I will ask for the rest one question at a time; "
            "skip any question to leave that field blank."
        ),
    ]
    await answer(update, context, join(lines))
    await advance(update, context, flow)


def annex_of(kind: Kind) -> str:
    return "BY.II" if kind is Kind.PATENT else "BY.III"


# -- asking -----------------------------------------------------------------------------------


def _wanted(flow: dict[str, Any], step: str) -> bool:
    data = flow["data"]
    if step in ("pct_number", "title"):
        return not data.get(step)
    if step == "representative_is":
        return bool(data.get("representative")) and not data.get("representative_is")
    return True


async def advance(
    update: Update, context: BotContext, flow: dict[str, Any], *, edit: bool = False
) -> None:
    """Asks the next wanted question after the current step, or makes the document."""
    current = flow.get("step", "")
    index = STEPS.index(current) + 1 if current in STEPS else 0
    for step in STEPS[index:]:
        if _wanted(flow, step):
            flow["step"] = step
            await ask(update, context, flow, edit=edit)
            return
    await finish(update, context, flow)


def _skip_row(t: Translator, *extra: Button) -> list[Button]:
    return [*extra, button(t.gettext("Skip"), Skip())]


def summary(t: Translator, field: str, value: Any) -> str:
    """A remembered answer in one line."""
    if field in PEOPLE:
        return "; ".join(short(str(p.get("name", "")), 60) for p in value)
    if field == "representative":
        return short(str(value.get("name", "")), 80)
    if field == "correspondence_address":
        return short(str(value.get("address", "")), 120)
    return short(str(value), 80)


async def ask(
    update: Update, context: BotContext, flow: dict[str, Any], *, edit: bool = False
) -> None:
    t = context.t
    step = flow["step"]
    kind = Kind(flow["data"]["kind"])
    rows: list[list[Button]] = []
    if step == "pct_number":
        text = t.gettext(
            "What is the international application number? For example PCT/IB2024/050123."
        )
    elif step == "title":
        text = (
            t.gettext("What is the title of the invention, exactly as in the description?")
            if kind is Kind.PATENT
            else t.gettext("What is the title of the utility model, exactly as in the description?")
        )
    elif step == "wo_number":
        text = t.gettext(
            "What is the international publication number? For example WO 2024/123456."
        )
    elif step == "publication_date":
        text = t.gettext(
            "When was the international application published? For example 31.10.2024."
        )
    elif step == "applicants":
        text = t.gettext(
            "Who is the applicant? Send one applicant per message, on separate lines: "
            "the name; the address; the country code (WIPO ST.3, such as DE or BY); "
            "a phone number or e-mail address if you wish."
        )
    elif step == "inventors":
        text = t.gettext(
            "Who are the inventors? Send one inventor per message, on separate lines: "
            "the name; the address; the country code (such as BY)."
        )
    elif step == "representative":
        text = t.gettext(
            "Who is the representative? The name and, for a patent attorney, the registration "
            "number. Skip if the applicant acts without one."
        )
    elif step == "representative_is":
        text = t.fmt(
            "Is {name} a patent attorney or the common representative?",
            name=flow["data"]["representative"]["name"],
        )
        rows.append(
            [
                button(t.gettext("Patent attorney"), Role(RepresentativeRole.PATENT_ATTORNEY)),
                button(
                    t.gettext("Common representative"),
                    Role(RepresentativeRole.COMMON_REPRESENTATIVE),
                ),
            ]
        )
    elif step == "correspondence_address":
        text = t.gettext(
            "What is the address for correspondence, with the addressee's name "
            "(the applicant, the patent attorney or the common representative)?"
        )
    else:  # basis
        text = t.gettext(
            "On what basis should the national processing start: the application as filed, "
            "or as amended?"
        )
        rows.append([button(t.gettext("Everything as filed"), BasisAll("all"))])
        rows.append([button(t.gettext("Choose for each part"), BasisAll("each"))])
    remembered = flow["remembered"].get(step)
    if remembered:
        text = join(
            [
                text,
                "",
                markup(
                    t.gettext("Last time: {answer}"), answer=italic(summary(t, step, remembered))
                ),
            ]
        )
        rows.append(_skip_row(t, button(t.gettext("Use the same"), SameAsLastTime())))
    else:
        rows.append(_skip_row(t))
    await answer(update, context, text, rows, edit=edit)


async def ask_part(update: Update, context: BotContext, flow: dict[str, Any], part: Part) -> None:
    t = context.t
    flow["step"] = "basis"
    flow["part"] = part
    labels = {
        "original": t.gettext("As filed"),
        "art19": t.gettext("Amended under Art. 19"),
        "art34": t.gettext("Amended under Art. 34"),
        "none": t.gettext("No drawings"),
    }
    questions = {
        "description": t.gettext("The description:"),
        "claims": t.gettext("The claims:"),
        "drawings": t.gettext("The drawings:"),
    }
    rows = [[button(labels[o], PartBasis(part, o)) for o in OPTIONS[part]]]
    await answer(update, context, questions[part], rows, edit=True)


# -- answers ----------------------------------------------------------------------------------


def _lines(text: str) -> list[str]:
    return [" ".join(line.split())[:MAX_LINE] for line in text.splitlines() if line.strip()]


def parse_person(text: str, *, applicant: bool) -> dict[str, Any]:
    """`name / address / country code / phone or e-mail…`, one per line."""
    lines = _lines(text)
    if not lines:
        raise InputError(N_("Please send the name, the address and the country code."))
    person: dict[str, Any] = {"name": lines[0]}
    if len(lines) > 1:
        person["address"] = lines[1]
    if len(lines) > 2:
        code = st3.normalize(lines[2])
        if code is None:
            raise InputError(
                N_(
                    "“{value}” is not a WIPO ST.3 country code (such as BY, DE or EP): "
                    "put the code on the third line."
                ),
                value=short(lines[2], 30),
            )
        person["country"] = code
    for line in lines[3:] if applicant else ():
        key = "email" if "@" in line else "phone"
        person[key] = f"{person[key]}, {line}" if key in person else line
    return person


def _number(parser: Any, text: str, template: str) -> str:
    try:
        return str(parser(text))
    except ValueError:
        raise InputError(template, value=short(text.strip(), 40)) from None


_BAD_PCT = N_("“{value}” is not an international application number like PCT/IB2024/050123.")
_BAD_WO = N_("“{value}” is not an international publication number like WO 2024/123456.")


def checked(flow: dict[str, Any], field: str, value: Any) -> None:
    """Sets `field` only if the whole request still holds together (dates after filing…)."""
    data = dict(flow["data"])
    data[field] = value
    parse_request(data)
    flow["data"] = data


async def on_text(update: Update, context: BotContext) -> None:
    """The typed answer to the pending question."""
    flow = context.flow
    message = update.effective_message
    if flow is None or message is None:
        return
    t = context.t
    text = (message.text or "").strip()
    step = flow.get("step")
    if step == "pct_number":
        checked(flow, step, _number(parse_pct_number, text, _BAD_PCT))
    elif step == "title":
        checked(flow, step, " ".join(text.split())[:2000])
    elif step == "wo_number":
        checked(flow, step, _number(parse_wo_number, text, _BAD_WO))
    elif step == "publication_date":
        checked(flow, step, parse_date(text).isoformat())
    elif step in PEOPLE:
        person = parse_person(text, applicant=step == "applicants")
        people = [*flow["data"].get(step, []), person]
        checked(flow, step, people)
        n = len(people)
        said = (
            t.fmt("Applicant {n} added: {name}.", n=n, name=person["name"])
            if step == "applicants"
            else t.fmt("Inventor {n} added: {name}.", n=n, name=person["name"])
        )
        rows = [[button(t.gettext("Done"), DonePeople())]]
        await answer(
            update, context, said + " " + t.gettext("Send the next one, or press Done."), rows
        )
        return
    elif step == "representative":
        checked(flow, step, {"name": " ".join(text.split())[:2000]})
    elif step == "correspondence_address":
        checked(flow, step, {"address": " ".join(text.split())[:2000]})
    else:
        await answer(update, context, t.gettext("Please choose with the buttons above."))
        return
    await advance(update, context, flow)


async def on_button(update: Update, context: BotContext) -> None:
    data = FormButton.read(update)
    await ack(update)
    if isinstance(data, PickCase):
        found = await context.case_by_id(data.case_id)
        if found is None:
            await answer(
                update, context, context.t.gettext("This case no longer exists. See /cases.")
            )
            return
        await start(update, context, found[0])
        return
    flow = context.flow
    if flow is None or flow.get("name") != FLOW:
        await stale_button(update, context, answered=True)
        return
    step = flow.get("step", "")
    match data:
        case Skip():
            flow["skipped"].append(step)
            await advance(update, context, flow, edit=True)
        case SameAsLastTime() if flow["remembered"].get(step):
            checked(flow, step, flow["remembered"][step])
            if step == "representative" and flow["remembered"].get("representative_is"):
                checked(flow, "representative_is", flow["remembered"]["representative_is"])
            await advance(update, context, flow, edit=True)
        case DonePeople() if step in PEOPLE:
            await advance(update, context, flow, edit=True)
        case Role(role) if step == "representative_is":
            checked(flow, step, role.value)
            await advance(update, context, flow, edit=True)
        case BasisAll("all") if step == "basis":
            checked(flow, "basis", {p: Basis.ORIGINAL.value for p in PARTS})
            await advance(update, context, flow, edit=True)
        case BasisAll("each") if step == "basis":
            flow["data"]["basis"] = {}
            await ask_part(update, context, flow, PARTS[0])
        case PartBasis(part, choice) if step == "basis" and flow.get("part") == part:
            if choice in OPTIONS[part]:
                basis = dict(flow["data"].get("basis", {}))
                if choice != "none":
                    basis[part] = choice
                checked(flow, "basis", basis)
                following = PARTS.index(part) + 1
                if following < len(PARTS):
                    await ask_part(update, context, flow, PARTS[following])
                else:
                    flow.pop("part", None)
                    await advance(update, context, flow, edit=True)
        case _:
            await stale_button(update, context, answered=True)


# -- the document -----------------------------------------------------------------------------


def file_name(ref: str) -> str:
    return "entry-request-" + (re.sub(r"[^A-Za-z0-9._-]+", "-", ref).strip("-") or "case") + ".docx"


async def finish(update: Update, context: BotContext, flow: dict[str, Any]) -> None:
    context.end_flow()
    t = context.t
    request: EntryRequest = parse_request(flow["data"])
    user_id = context.owner
    await remember(context.store, user_id, flow["data"])
    content = await asyncio.to_thread(render, request)
    chat = update.effective_chat
    if chat is None:
        return
    caption = [
        t.fmt(
            "The request to enter the national phase (Annex {annex}) for {ref}.",
            annex=annex_of(request.kind),
            ref=flow["ref"],
        ),
        t.gettext("Check it, sign it and date it before filing it with the Office."),
    ]
    if flow["skipped"]:
        caption.append(t.gettext("The questions you skipped are left blank on the form."))
    if overflow(request):
        caption.append(
            t.gettext(
                "Applicants or inventors that do not fit on the form are on a continuation sheet."
            )
        )
    caption.append(t.gettext("I will offer your answers again on your next form."))
    await context.bot.send_document(
        chat.id, content, filename=file_name(flow["ref"]), caption=join(caption)
    )


def handlers() -> list[BaseHandler[Update, BotContext, None]]:
    return [
        CommandHandler("entryform", entryform_command),
        CallbackQueryHandler(on_button, pattern=FormButton.matches),
    ]


TEXT_STEPS = {FLOW: on_text}
