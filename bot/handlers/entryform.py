"""/entryform REF: the request to enter the national phase (Annex BY.II / BY.III) for one of
the user's cases, as a Word document — the Telegram side of the guided flow whose engine
(which question next, what an answer does, what is saved to the case) is
`core.entryform.flow`.

The case gives the kind, the filing date, the title and — where the reference is one — the
international application number; a guided flow asks the rest one question at a time
(numbers and dates, applicants, inventors, representative, correspondence address, early
start, basis, parts amended on entry, attachments). An applicant is one answer in parts
(`name; address; country code; phone`); what the form needs and the answer lacks is asked
for. Every question can be skipped (the field stays blank on the form). The people and
addresses are remembered (`core.entryform.answers`) and offered again on the user's next
form — once the document is made: a form that fails remembers nothing.

What the form learns about the case is saved to it when the document is made, in one unit of
work (`Reminders.update_case_details`): the title, the WO number and the publication date. The
next form for that case offers them ("On the case: …", one tap). A title typed for a case that
has none is saved (the caption says so); one that differs from the case's title is saved only
if the user says so when asked ("Replace the case's title?") — the case's title may be the
client's wording in another language, while the form needs the description's.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from typing import Annotated, Any, Literal

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
from core.entryform import EntryRequest, RepresentativeRole, form_date, overflow, render
from core.entryform import flow as engine
from core.entryform.answers import CASE_FIELDS, recall, remember
from core.entryform.flow import (
    LISTS,
    OPTIONS,
    PARTS,
    Added,
    Missing,
    Next,
    Option,
    Part,
    Reply,
    UseButtons,
    annex_of,
)
from core.entryform.model import parse_request
from core.errors import N_, InputError
from core.i18n import Translator
from core.models import Kind
from core.reminders import DetailsSaved
from core.storage import Case
from core.teams.access import holdings

log = logging.getLogger(__name__)

FEATURE = "ef"
FLOW = "entryform"
CANCELLED = N_("The entry request is cancelled; your answers were not kept.")  # /cancel


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
class CaseTitle(FormButton, action="title"):
    """The typed title on the case too ("replace"), or on this form only ("keep")."""

    choice: Literal["replace", "keep"]


@dataclass(frozen=True)
class Done(FormButton, action="done"):
    """No more applicants (inventors, attachments); the amended parts are all checked."""


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


@dataclass(frozen=True)
class EarlyStart(FormButton, action="early"):
    """Early processing (PCT Art. 23(2), 40(2)) from the receipt of the documents, or none."""

    choice: Literal["receipt", "no"]


@dataclass(frozen=True)
class Amended(FormButton, action="amended"):
    """A part amended on entry, checked or unchecked."""

    part: Part


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
    cases: list[tuple[str, int]] = []  # the user's own, then their teams' (TEAM · REF)
    async with context.store.reading() as tx:
        for holding in await holdings(tx, context.owner):
            team = holding.team
            for case in await tx.cases.all(holding.account):
                label = case.ref if team is None else f"{team.name} · {case.ref}"
                cases.append((label, case.id))
    if not cases:
        await answer(update, context, t.gettext("You have no cases yet. Add one with /addcase."))
        return
    rows: list[list[Button]] = [
        [button(label[:40], PickCase(case_id))] for label, case_id in cases[:MAX_LISTED_BUTTONS]
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
    flow = context.start_flow(FLOW, "", **engine.start(case, remembered))
    data = flow["data"]
    annex = annex_of(case.kind)
    known = [t.fmt("International filing date: {date}", date=form_date(case.filing))]
    if "pct_number" in data:
        known.append(t.fmt("International application: {number}", number=data["pct_number"]))
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


# -- asking -----------------------------------------------------------------------------------


async def advance(
    update: Update, context: BotContext, flow: dict[str, Any], *, edit: bool = False
) -> None:
    """Asks the next wanted question after the current step, or makes the document."""
    if engine.advance(flow) is None:
        await finish(update, context, flow)
    else:
        await ask(update, context, flow, edit=edit)


def _skip_row(t: Translator, *extra: Button) -> list[Button]:
    return [*extra, button(t.gettext("Skip"), Skip())]


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
    elif step == "title_case":
        text = t.fmt(
            "Case {ref} has the title “{title}”. Put the title you typed on the case instead?",
            ref=flow["ref"],
            title=short(str(flow["on_case"]["title"]), 200),
        )
        rows = [
            [button(t.gettext("Yes, replace the case's title"), CaseTitle("replace"))],
            [button(t.gettext("No, this form only"), CaseTitle("keep"))],
        ]
        await answer(update, context, text, rows, edit=edit)
        return
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
            "Who is the applicant? Send one applicant per message, the parts separated by "
            "“;” or on separate lines: the name; the address; the country code (WIPO ST.3, "
            "such as BY or DE); a phone number or e-mail address if you wish. For example: "
            "ООО «Аквапур»; 220030, г. Минск, ул. Ленина, 1; BY; +375 17 123 45 67"
        )
    elif step == "inventors":
        text = t.gettext(
            "Who are the inventors? Send one inventor per message, the parts separated by "
            "“;” or on separate lines: the name; the address; the country code (such as BY)."
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
    elif step == "early_start":
        text = t.gettext(
            "Do you ask the Office to start the national processing early, before the time "
            "limit for entry expires (PCT Art. 23(2), 40(2))? Press a button, or send the date "
            "from which it should start."
        )
        rows = [
            [button(t.gettext("No"), EarlyStart("no"))],
            [button(t.gettext("Yes, from the receipt of the documents"), EarlyStart("receipt"))],
        ]
        await answer(update, context, text, rows, edit=edit)
        return
    elif step == "basis":
        text = t.gettext(
            "On what basis should the national processing start: the application as filed, "
            "or as amended?"
        )
        rows.append([button(t.gettext("Everything as filed"), BasisAll("all"))])
        rows.append([button(t.gettext("Choose for each part"), BasisAll("each"))])
    elif step == "amended_on_entry":
        text = t.gettext(
            "Were parts of the application amended on entry into the national phase? "
            "Check the parts that were, then press Done."
        )
        chosen = set(flow["data"].get("amended_on_entry", []))
        names = part_names(t)
        rows.append([button(("☒ " if p in chosen else "☐ ") + names[p], Amended(p)) for p in PARTS])
        rows.append([button(t.gettext("Done"), Done())])
    else:  # attachments
        text = t.gettext(
            "Which documents are attached to the request? Send one per message: the "
            "document; the number of sheets in one copy; the number of copies. For example: "
            "Translation of the description, claims and drawings; 24; 2"
        )
    offered = engine.offer(flow, step)
    if offered:
        said = (
            t.gettext("On the case: {answer}")
            if step in CASE_FIELDS
            else t.gettext("Last time: {answer}")
        )
        text = join([text, "", markup(said, answer=italic(engine.summary(step, offered)))])
        rows.append(_skip_row(t, button(t.gettext("Use the same"), SameAsLastTime())))
    else:
        rows.append(_skip_row(t))
    await answer(update, context, text, rows, edit=edit)


async def ask_part(update: Update, context: BotContext, flow: dict[str, Any], part: Part) -> None:
    t = context.t
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


def part_names(t: Translator) -> dict[Part, str]:
    return {
        "description": t.gettext("Description"),
        "claims": t.gettext("Claims"),
        "drawings": t.gettext("Drawings"),
    }


async def ask_missing(update: Update, context: BotContext, missing: Missing) -> None:
    """The part a person's answer lacked (the Office's form needs it): asked, not guessed."""
    t = context.t
    if missing.part == "country":
        text = t.fmt(
            "What is the country code of {name}? The WIPO ST.3 code of the country of "
            "residence or seat, such as BY, DE or EP.",
            name=short(missing.name, 80),
        )
    else:
        text = t.fmt("What is the address of {name}?", name=short(missing.name, 80))
    await answer(update, context, text)


async def added(update: Update, context: BotContext, reply: Added) -> None:
    t = context.t
    name = short(reply.name, 80)
    if reply.step == "applicants":
        said = t.fmt("Applicant {n} added: {name}.", n=reply.n, name=name)
    elif reply.step == "inventors":
        said = t.fmt("Inventor {n} added: {name}.", n=reply.n, name=name)
    else:
        said = t.fmt("Document {n} added: {name}.", n=reply.n, name=name)
    more = (
        t.gettext("Send the next document, or press Done.")
        if reply.step == "attachments"
        else t.gettext("Send the next one, or press Done.")
    )
    await answer(update, context, said + " " + more, [[button(t.gettext("Done"), Done())]])


async def go_on(
    update: Update, context: BotContext, flow: dict[str, Any], reply: Reply, *, edit: bool
) -> None:
    """What the engine answered: the next question, a person's missing part, or "added"."""
    match reply:
        case Missing():
            await ask_missing(update, context, reply)
        case Added():
            await added(update, context, reply)
        case UseButtons():
            await answer(
                update, context, context.t.gettext("Please choose with the buttons above.")
            )
        case Next():
            await advance(update, context, flow, edit=edit)


# -- answers ----------------------------------------------------------------------------------


async def on_text(update: Update, context: BotContext) -> None:
    """The typed answer to the pending question."""
    flow = context.flow
    message = update.effective_message
    if flow is None or message is None:
        return
    await go_on(update, context, flow, engine.answer(flow, message.text or ""), edit=False)


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
            engine.skip(flow)
            await advance(update, context, flow, edit=True)
        case SameAsLastTime() if (reply := engine.use_offer(flow)) is not None:
            await go_on(update, context, flow, reply, edit=True)
        case CaseTitle(choice) if step == "title_case":
            flow["title_replace"] = choice == "replace"
            await advance(update, context, flow, edit=True)
        case Done() if step in LISTS or step == "amended_on_entry":
            await go_on(update, context, flow, engine.done(flow), edit=True)
        case Role(role) if step == "representative_is":
            engine.checked(flow, step, role.value)
            await advance(update, context, flow, edit=True)
        case BasisAll("all") if step == "basis":
            engine.everything_as_filed(flow)
            await advance(update, context, flow, edit=True)
        case BasisAll("each") if step == "basis":
            await ask_part(update, context, flow, engine.each_part(flow))
        case PartBasis(part, choice) if step == "basis" and flow.get("part") == part:
            following = engine.part_basis(flow, part, choice)
            if following is not None:
                await ask_part(update, context, flow, following)
            else:
                await advance(update, context, flow, edit=True)
        case EarlyStart(choice) if step == "early_start":
            engine.early_start(flow, choice == "receipt")
            await advance(update, context, flow, edit=True)
        case Amended(part) if step == "amended_on_entry":
            engine.toggle_amended(flow, part)
            await ask(update, context, flow, edit=True)
        case _:
            await stale_button(update, context, answered=True)


# -- the document -----------------------------------------------------------------------------


async def save_to_case(context: BotContext, flow: dict[str, Any]) -> DetailsSaved | None:
    """The title, the WO number and the publication date of the form, saved to the case
    (skipped ones leave the case's as they are); None where nothing was (or could be) saved."""
    details = engine.case_details(flow)
    if details is None:
        return None
    try:
        return await context.reminders.update_case_details(
            context.owner,
            int(flow["case_id"]),
            title=details.title,
            replacing=details.replacing,
            wo_number=details.wo_number,
            publication_date=details.publication_date,
        )
    except InputError as exc:  # the case changed meanwhile (its filing date): the form stands
        log.info("entry form not saved to case %s: %s", flow["case_id"], exc)
        return None


def saved_lines(t: Translator, ref: str, saved: DetailsSaved | None) -> list[str]:
    """What the caption says of what was saved to the case."""
    if saved is None:
        return []
    names = {
        "title": t.gettext("the title"),
        "wo_number": t.gettext("the WO number"),
        "publication_date": t.gettext("the publication date"),
    }
    lines: list[str] = []
    if saved.saved:
        lines.append(
            t.fmt(
                "Saved to case {ref}: {fields}.",
                ref=ref,
                fields=", ".join(names[f] for f in saved.saved),
            )
        )
    if saved.cleared:
        lines.append(
            t.fmt(
                "Removed from case {ref}, since it no longer matched: {fields}.",
                ref=ref,
                fields=", ".join(names[f] for f in saved.cleared),
            )
        )
    return lines


async def finish(update: Update, context: BotContext, flow: dict[str, Any]) -> None:
    context.end_flow()
    t = context.t
    request: EntryRequest = parse_request(flow["data"])
    # The document first: answers are remembered, and saved to the case, only once it is made.
    content = await asyncio.to_thread(render, request)
    await remember(context.store, context.owner, flow["data"])
    saved = await save_to_case(context, flow)
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
    caption += saved_lines(t, flow["ref"], saved)
    caption.append(t.gettext("I will offer your answers again on your next form."))
    await context.bot.send_document(
        chat.id, content, filename=engine.file_name(flow["ref"]), caption=join(caption)
    )


def handlers() -> list[BaseHandler[Update, BotContext, None]]:
    return [
        CommandHandler("entryform", entryform_command),
        CallbackQueryHandler(on_button, pattern=FormButton.matches),
    ]


TEXT_STEPS = {FLOW: on_text}
