"""Questions in plain words: any text outside a flow, and /ask, go to the FAQ (`core.faq`).

- a confident answer is sent as it is; one that fits two topics about equally offers both as
  buttons; a low-confidence answer comes with the other close topics and the staff;
- no answer: the closest topics if there are any, else "no answer" with /support and the
  consultation line (an out-of-scope question — trademarks, the weather — gets no topics);
- every question not answered surely is kept for the staff, without who asked
  (`core.faq.learning`: /faq unanswered, /faq teach in the staff chat, `bot/desk/staff.py`);
- what the staff taught (here or with `pctby faq teach`) is read before each question.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Annotated

from telegram import Update
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler

from bot.context import BotContext
from bot.fallbacks import stale_button
from bot.parse.callbacks import CallbackData, Choice, Token
from bot.render.html import Markup, italic, join
from bot.render.reply import Button, ack, answer, button
from bot.render.views import ask_staff_rows, faq_answer_text, menu_rows
from core.errors import N_
from core.faq import FaqBase, MatchResult

log = logging.getLogger(__name__)
FEATURE = "faq"
MAX_QUESTION = 1000
# The NCIP news of 2 April 2021: say its date with the number, and where the current ones are.
CONSULTATION_PHONE = "+375 17 272 97 14"


# Greetings and thanks, as people write them (ru, be, en): a short greeting with the menu
# rather than "no answer". Compared after lowercasing and trimming punctuation.
GREETINGS = frozenset(
    {
        "привет",
        "приветствую",
        "здравствуйте",
        "здравствуй",
        "добрый день",
        "доброе утро",
        "добрый вечер",
        "здрасте",
        "hi",
        "hello",
        "hey",
        "good morning",
        "good afternoon",
        "good evening",
        "вітаю",
        "прывітанне",
        "добры дзень",
        "добрай раніцы",
        "добры вечар",
        "спасибо",
        "thanks",
        "thank you",
        "дзякуй",
        "ок",
        "ok",
        "👍",
        "👋",
        "🙏",
        "🙂",
    }
)
_TRIM = " \t\n!.,;:?)(\ufe0f"


def is_greeting(text: str) -> bool:
    words = text.lower().replace("ё", "е").strip(_TRIM)
    words = " ".join(w.strip(_TRIM) for w in words.split())
    return words in GREETINGS or (bool(words) and all(w in GREETINGS for w in words.split()))


async def greet(update: Update, context: BotContext) -> None:
    t = context.t
    text = (
        t.gettext("Hello!")
        + " "
        + t.gettext("Choose below, or just ask a question in your own words.")
    )
    await answer(update, context, text, menu_rows(t))


async def current_faq(context: BotContext) -> FaqBase | None:
    """The FAQ with what the staff taught, read again if they taught or untaught since."""
    services = context.services
    learning = services.faq_learning
    if learning is not None:
        try:
            services.faq = await learning.refresh()
        except Exception:  # the database is busy or broken: answer with what we have
            log.exception("taught FAQ paraphrases not read")
    return services.faq


async def keep(context: BotContext, question: str, match: MatchResult) -> None:
    """Keeps a question the FAQ did not answer surely for the staff (never who asked)."""
    learning = context.services.faq_learning
    if learning is None or not match.kept:
        return
    try:
        await learning.keep(question, match)
    except Exception:  # the user still gets their answer
        log.exception("an unanswered question was not kept")


async def ask(update: Update, context: BotContext, question: str) -> None:
    t = context.t
    if is_greeting(question):
        await greet(update, context)
        return
    faq = await current_faq(context)
    if faq is None:
        await answer(update, context, no_answer_text(context), support_rows(context))
        return
    question = question[:MAX_QUESTION]
    match = faq.match(question, context.lang)
    await keep(context, question, match)
    lang = context.lang
    support = support_rows(context)  # support desk: bot/desk/user.py
    if match.topic is not None and match.also is not None:
        both = [[button(faq.title(x, lang), Topic(x))] for x in (match.topic, match.also)]
        await answer(update, context, t.gettext("Your question fits two topics. Which one?"), both)
        return
    if match.topic is not None:
        text = answer_text(context, match.topic)
        if match.outcome != "low":
            await answer(update, context, text)
            return
        rows = [[button(faq.title(c, lang), Topic(c))] for c, _ in match.candidates[1:]]
        rows += support
        if rows:  # low confidence: the other close topics, and a person
            note = italic(t.gettext("Not sure this is what you asked: see also below."))
            text = join([text, "", note])
        await answer(update, context, text, rows)
        return
    closest: list[list[Button]] = [
        [button(faq.title(topic, lang), Topic(topic))] for topic, _score in match.candidates
    ]
    if closest:
        await answer(update, context, t.gettext("Did you mean one of these?"), [*closest, *support])
    else:
        await answer(update, context, no_answer_text(context), support)


def answer_text(context: BotContext, topic: str) -> Markup:
    faq = context.services.faq
    assert faq is not None
    return faq_answer_text(context.t, faq, topic, context.today)


def no_answer_text(context: BotContext) -> str:
    return context.t.fmt(
        "I have no answer to that. Try other words, see /help, write to /support, or call "
        "the NCIP consultation line {phone} (as published on 2 April 2021; current numbers "
        "on ncip.by).",
        phone=CONSULTATION_PHONE,
    )


def support_rows(context: BotContext) -> list[list[Button]]:
    """The support desk's "write to the staff" button, where the desk works."""
    return ask_staff_rows(context.t, context.desk_open)


async def ask_command(update: Update, context: BotContext) -> None:
    question = " ".join(context.args or [])
    if not question:
        await topics(update, context)
        return
    await ask(update, context, question)


# The /ask topic menu in groups, so that no screen holds more than 8 buttons (a phone screen).
# Every FAQ topic is in one group; one missing here goes to the last group.
GROUPS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    (
        "entry",
        N_("Entry and time limits"),
        (
            "entry_time_limit",
            "early_start",
            "translation",
            "copy_of_application",
            "entry_form",
            "priority_restoration",
            "priority_assignment",
        ),
    ),
    (
        "fees",
        N_("Fees and payment"),
        (
            "national_fee_patent",
            "national_fee_utility_model",
            "claims_fee",
            "fee_reductions",
            "fee_payment",
            "grant_fee",
            "maintenance_fees",
        ),
    ),
    (
        "exam",
        N_("Examination and rights"),
        (
            "examination_request",
            "amendments",
            "extension_of_time",
            "reinstatement",
            "patent_restoration",
            "review_art25",
        ),
    ),
    (
        "more",
        N_("Utility models, agents, contacts"),
        ("utility_model", "conversion", "agent", "contacts", "belarus_russia_cooperation"),
    ),
)
MAX_BUTTONS = 8


class FaqButton(CallbackData, feature=FEATURE):
    """The buttons of the FAQ."""


@dataclass(frozen=True)
class Topic(FaqButton, action="t"):
    """One topic's answer (the topics are the FAQ's, known when it is loaded)."""

    topic: Annotated[str, Token(40)]


@dataclass(frozen=True)
class Group(FaqButton, action="g"):
    group: Annotated[str, Choice.of(g for g, _label, _topics in GROUPS)]


@dataclass(frozen=True)
class AllTopics(FaqButton, action="top"):
    pass


def group_topics(known: list[str]) -> dict[str, list[str]]:
    """Group id → its topics that the FAQ has, in order; strays join the last group."""
    grouped = {g: [t for t in topics if t in known] for g, _label, topics in GROUPS}
    placed = {t for topics in grouped.values() for t in topics}
    grouped[GROUPS[-1][0]] += [t for t in known if t not in placed]
    return grouped


async def topics(update: Update, context: BotContext, *, edit: bool = False) -> None:
    faq = context.services.faq
    t = context.t
    if faq is None:
        await answer(update, context, no_answer_text(context), support_rows(context))
        return
    rows = [[button(t.gettext(label), Group(g))] for g, label, _topics in GROUPS]
    await answer(
        update, context, t.gettext("Ask me in your own words, or pick a topic:"), rows, edit=edit
    )


async def group(update: Update, context: BotContext, group_id: str) -> None:
    faq = context.services.faq
    t = context.t
    assert faq is not None
    found = group_topics(faq.topics).get(group_id)
    if found is None:
        await topics(update, context, edit=True)
        return
    rows = [[button(faq.title(topic, context.lang), Topic(topic))] for topic in found]
    rows = [*rows[: MAX_BUTTONS - 1], [button(t.gettext("« Back"), AllTopics())]]
    label = next(label for g, label, _topics in GROUPS if g == group_id)
    await answer(update, context, t.gettext(label), rows, edit=True)


async def on_button(update: Update, context: BotContext) -> None:
    data = FaqButton.read(update)
    await ack(update)
    faq = context.services.faq
    if isinstance(data, Group) and faq is not None:
        await group(update, context, data.group)
    elif isinstance(data, AllTopics) and faq is not None:
        await topics(update, context, edit=True)
    elif isinstance(data, Topic) and faq is not None and data.topic in faq.topics:
        await answer(update, context, answer_text(context, data.topic))
    else:
        await stale_button(update, context, answered=True)


async def on_text(update: Update, context: BotContext) -> None:
    message = update.effective_message
    if message is not None and message.text:
        await ask(update, context, message.text)


def handlers() -> list[BaseHandler[Update, BotContext, None]]:
    return [
        CommandHandler("ask", ask_command),
        CallbackQueryHandler(on_button, pattern=FaqButton.matches),
    ]


# Main-menu entries (bot.parse.buttons.Menu) → their entry points.
MENU_ACTIONS = {"faq": topics}
