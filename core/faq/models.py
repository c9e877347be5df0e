"""The FAQ's data as validated models: topics (language-neutral) and per-language texts."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Annotated, Final, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from core.faq.intent import Intent
from core.faq.text import LANGS, Lang

Calculator = Literal["/fees", "/deadlines"]
MAX_ANSWER_CHARS: Final = 1500
# Telegram HTML allowed in answers: bold and italic only.
_TAG: Final = re.compile(r"</?([a-zA-Z]+)[^>]*>")
_ALLOWED_TAGS: Final = frozenset({"b", "i"})

TopicId = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$")]
# An example's topic when the right reply is "no answer".
NO_TOPIC: Final = "none"


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class TopicMeta(_Frozen):
    """What does not depend on the language: the paragraphs cited and the calculators."""

    id: TopicId
    basis: Annotated[str, Field(min_length=2)]
    calculator: tuple[Calculator, ...] = ()
    # Words (any language) one of which a question must hold for this topic to win: a topic
    # about utility models answers only a question that says "utility model" — patents are
    # the default kind, as in the fee calculator.
    needs: tuple[str, ...] = ()
    # Words (any language) that point to another topic: a question holding one of them keeps
    # NEEDS_FACTOR of this topic's score (a question about a utility model is not one about
    # the patent's national fee).
    avoids: tuple[str, ...] = ()
    # What the answer answers, what a question must ask for the topic to win at full score,
    # and the periods (in months) it is about: read by core/faq/intent.py.
    answers: tuple[Intent, ...] = ()
    requires: tuple[Intent, ...] = ()
    months: tuple[Annotated[int, Field(ge=1, le=300)], ...] = ()


class TopicText(_Frozen):
    """One topic in one language: a button title, the answer and paraphrases to match."""

    title: Annotated[str, Field(min_length=2, max_length=40)]
    answer: Annotated[str, Field(min_length=20, max_length=MAX_ANSWER_CHARS)]
    paraphrases: Annotated[tuple[str, ...], Field(min_length=3)]

    @model_validator(mode="after")
    def _only_simple_html(self) -> TopicText:
        for tag in _TAG.findall(self.answer):
            if tag.lower() not in _ALLOWED_TAGS:
                raise ValueError(f"answer uses <{tag}>: only <b> and <i> are allowed")
        return self


class UiText(_Frozen):
    """Labels around an answer, and the words of a citation in this language."""

    basis: str
    calculator: str  # holds "{commands}"
    no_match: str  # no topic is confident
    closest: str  # heads the list of the closest topics
    empty_question: str  # the question is empty
    basis_terms: dict[str, str] = {}


class LangFile(_Frozen):
    lang: Lang
    ui: UiText
    topics: dict[str, TopicText]
    # kinds of questions the seeds do not answer → example questions (never answered)
    outside: dict[str, tuple[Annotated[str, Field(min_length=3)], ...]] = {}


class Example(_Frozen):
    """A question people asked, in `lang`, and what answers it: a topic, or `none` (the seeds
    do not answer it)."""

    lang: Lang
    topic: TopicId
    question: Annotated[str, Field(min_length=2)]


class FaqData(_Frozen):
    """Every topic with its texts in every language, and the labelled examples: validated as a
    whole."""

    topics: tuple[TopicMeta, ...]
    texts: dict[Lang, LangFile]
    outside: tuple[TopicId, ...] = ()
    examples: tuple[Example, ...] = ()

    @model_validator(mode="after")
    def _complete(self) -> FaqData:
        ids = [t.id for t in self.topics]
        if len(set(ids)) != len(ids):
            raise ValueError("duplicate topic ids")
        if set(ids) & set(self.outside) or len(set(self.outside)) != len(self.outside):
            raise ValueError("an outside kind is also a topic, or is listed twice")
        for lang in LANGS:
            if lang not in self.texts:
                raise ValueError(f"no texts in {lang}")
            have = set(self.texts[lang].topics)
            if have != set(ids):
                missing, extra = sorted(set(ids) - have), sorted(have - set(ids))
                raise ValueError(f"{lang}: missing topics {missing}, unknown topics {extra}")
            if set(self.texts[lang].outside) != set(self.outside):
                raise ValueError(f"{lang}: [outside] must list exactly {list(self.outside)}")
        unknown = sorted({e.topic for e in self.examples} - set(ids) - {NO_TOPIC})
        if unknown:
            raise ValueError(f"examples name unknown topics: {unknown}")
        return self


@dataclass(frozen=True, slots=True)
class Answer:
    """An answer ready to show: `text` is the whole message (body, calculator hint, basis)."""

    topic: str
    lang: Lang
    title: str
    body: str
    basis: str
    calculator: tuple[str, ...]
    text: str


@dataclass(frozen=True, slots=True)
class Taught:
    """A question the staff taught the FAQ: a paraphrase of `topic` in `lang` (kept in the
    database, `core.faq.learning`); `id` is its number there (0: not stored)."""

    topic: str
    lang: Lang
    text: str
    id: int = 0


Outcome = Literal["answered", "low", "unsure", "none"]


@dataclass(frozen=True, slots=True)
class MatchResult:
    """What the FAQ makes of a question.

    `topic`: the topic to answer, or None (no answer). `score`: the best topic's score in
    [0, 1] (an out-of-scope kind may still be closer: see `outside`). `candidates`: the
    best-ranked topics (topic, score), best first — the closest ones to offer when there is
    no answer. `lang`: the language the question was read in. `also`: a second topic the
    question fits about as well as `topic` (offer both). `outside`: the kind of question the
    seeds do not answer that it is closest to (then `topic` is None). `reading`: the intents
    and periods read in it ("cost", "31 months"), for an explanation. `outcome`: "answered";
    "low" (answered, with low confidence); "unsure" (no answer, the closest topics offered);
    "none" (no answer). The last three are kept for the staff."""

    topic: str | None
    score: float
    candidates: tuple[tuple[str, float], ...]
    lang: Lang
    also: str | None = None
    outside: str | None = None
    reading: tuple[str, ...] = ()
    outcome: Outcome = "answered"

    @property
    def kept(self) -> bool:
        """The staff should see this question: it got no answer, or a doubtful one."""
        return self.outcome != "answered"
