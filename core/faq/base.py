"""The FAQ base: topics, answers in ru/be/en and a matcher over paraphrases in all three.

A question is answered in three steps, each of which an answer can explain:

1. words: the matcher (`core/faq/matcher.py`) scores every topic — and every kind of question
   the seeds do not answer (`outside`: trademarks, Eurasian patents, the weather…) — by the
   paraphrases it knows, the built-in ones and those the staff taught (`Taught`);
2. intent: what the question asks (`core/faq/intent.py`: cost, time, late; "31 months")
   lifts the topics whose answer answers it and lowers the others; a topic about utility
   models needs the words "utility model" (`needs`), one about a missed time limit needs a
   word that says so (`requires`); a question that asks what the seeds never answer, though
   in the FAQ's own words ("how long does examination take", "recommend an attorney", "open
   a bank account": `intent.UNANSWERED`), is out of scope whatever its words score;
3. the decision: the best topic is answered when its score reaches `CONFIDENCE_THRESHOLD`
   and no out-of-scope kind is closer; a second topic within `AMBIGUITY` of it — one that
   answers what the question asks as well — is offered beside it; below the threshold
   there is no answer — the closest topics (from `SUGGEST_THRESHOLD`) are offered, and the
   question is kept for the staff, as are answers below `SURE_THRESHOLD`.

The thresholds were calibrated on the tuning sets in tests/faq (not on the held-out sets):
see docs/BENCHMARKS.md ("FAQ quality, before and after") and `bench/eval_faq.py`.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable, Sequence
from dataclasses import replace
from functools import cache, cached_property
from importlib import resources
from typing import Any, Final

import core.faq.intent as intent
from core.faq.matcher import Matcher
from core.faq.models import (
    Answer,
    FaqData,
    LangFile,
    MatchResult,
    Outcome,
    Taught,
    TopicMeta,
    UiText,
)
from core.faq.text import LANGS, Lang, normalise, tokens
from core.i18n import translator

# A question whose best topic scores below this gets no answer.
CONFIDENCE_THRESHOLD: Final = 0.32
# An answer below this is given, and kept for the staff as a doubtful one.
SURE_THRESHOLD: Final = 0.55
# Below the answer threshold, topics from this score up are offered as "did you mean".
SUGGEST_THRESHOLD: Final = 0.2
# A second topic scoring at least this share of the best one is offered beside it.
AMBIGUITY: Final = 0.9
# A topic whose `needs` words the question lacks keeps this share of its score.
NEEDS_FACTOR: Final = 0.5
# A topic that `requires` an intent the question does not show keeps this share.
REQUIRES_FACTOR: Final = 0.6
# Per intent the question shows: topics whose answer answers it gain INTENT_BOOST, the
# others lose their INTENT_MISS share (a question that says it is late, or asks about another
# country, rules out more than one that asks "how much").
INTENT_BOOST: Final = 0.25
INTENT_MISS: Final[dict[str, float]] = {"cost": 0.2, "time": 0.15, "late": 0.4, "elsewhere": 0.5}
# A topic about a period the question names gains this share; one about other periods only
# (the question names one that another topic is about) loses that one.
PERIOD_BOOST: Final = 0.2
PERIOD_MISS: Final = 0.2
TOP_N: Final = 3

# A `needs`/`avoids` stem this long also matches stems that start with it.
_PREFIX_MIN: Final = 5
# Documents of the out-of-scope kinds carry this prefix in the matcher (never a topic id).
_OUTSIDE: Final = "~"


class FaqBase:
    """Answers and matching over validated FAQ data and the staff's taught paraphrases.
    Build the built-in one once (see `load_faq`); `with_taught` makes one with other taught
    paraphrases (it shares the data)."""

    def __init__(self, data: FaqData, taught: Sequence[Taught] = ()) -> None:
        self._data = data
        self._meta: dict[str, TopicMeta] = {t.id: t for t in data.topics}
        self._taught: tuple[Taught, ...] = tuple(taught)
        self._matcher = Matcher(
            self._built_in(),
            background=_OUTSIDE,
            extra=((t.topic, t.lang, t.text) for t in self._taught if t.topic in self._meta),
        )
        # topic → the stems (every language) of its `needs` words
        self._needs: dict[str, frozenset[str]] = {
            t.id: frozenset(s for phrase in t.needs for lang in LANGS for s in tokens(phrase, lang))
            for t in data.topics
            if t.needs
        }
        self._avoids: dict[str, frozenset[str]] = {
            t.id: frozenset(s for ph in t.avoids for lang in LANGS for s in tokens(ph, lang))
            for t in data.topics
            if t.avoids
        }
        self._periods: frozenset[int] = frozenset(m for t in data.topics for m in t.months)
        self._answers: dict[tuple[str, Lang], Answer] = {
            (t.id, lang): _answer(t, data.texts[lang]) for t in data.topics for lang in LANGS
        }

    def documents(self) -> Iterable[tuple[str, Lang, str]]:
        """What the matcher indexes: (label, language, text) — titles and paraphrases under
        their topic, out-of-scope examples under `~kind`, then the taught paraphrases (which
        count in no word's weight: teaching one changes no other topic's scores)."""
        yield from self._built_in()
        for t in self._taught:
            if t.topic in self._meta:
                yield t.topic, t.lang, t.text

    def _built_in(self) -> Iterable[tuple[str, Lang, str]]:
        for lang, texts in self._data.texts.items():
            for topic_id, text in texts.topics.items():
                for phrase in (text.title, *text.paraphrases):
                    yield topic_id, lang, phrase
            for kind, examples in texts.outside.items():
                for phrase in examples:
                    yield _OUTSIDE + kind, lang, phrase

    def with_taught(self, taught: Sequence[Taught]) -> FaqBase:
        """The same FAQ with `taught` (and no other) paraphrases from the staff."""
        return FaqBase(self._data, taught)

    @property
    def taught(self) -> tuple[Taught, ...]:
        return self._taught

    @cached_property
    def own_answers(self) -> dict[tuple[str, Lang, str], str | None]:
        """What this FAQ answers to each of its own documents (see `documents`): the
        baseline a taught paraphrase must not change (`core.faq.learning.check_teaching`)."""
        return {doc: self.match(doc[2], lang=doc[1]).topic for doc in self.documents()}

    @property
    def topics(self) -> list[str]:
        """Topic ids in their published order."""
        return list(self._meta)

    @property
    def outside(self) -> tuple[str, ...]:
        """The kinds of questions the seeds do not answer."""
        return self._data.outside

    def title(self, topic_id: str, lang: Lang) -> str:
        """A short title for a button. Raises KeyError for an unknown topic."""
        return self._data.texts[lang].topics[self._meta[topic_id].id].title

    def ui(self, lang: Lang) -> UiText:
        """The labels that go around answers in `lang` (no-match notice, empty question...)."""
        return self._data.texts[lang].ui

    def paraphrases(self, topic_id: str, lang: Lang) -> tuple[str, ...]:
        """The built-in paraphrases the matcher knows for a topic in `lang` (never shown)."""
        return self._data.texts[lang].topics[self._meta[topic_id].id].paraphrases

    def outside_examples(self, kind: str, lang: Lang) -> tuple[str, ...]:
        """The example questions of an out-of-scope kind in `lang`."""
        return self._data.texts[lang].outside[kind]

    def answer(self, topic_id: str, lang: Lang) -> Answer:
        """The answer to a topic in `lang`. Raises KeyError for an unknown topic."""
        return self._answers[(topic_id, lang)]

    def _ranked(
        self, text: str, lang: Lang
    ) -> tuple[Lang, list[tuple[str, float]], intent.Reading]:
        """Every topic and out-of-scope kind (prefixed `~`) with its score, best first, and
        what the question asks."""
        question = self._matcher.read(text, lang)
        read_as, ranked = question.lang, self._matcher.rank(question)
        reading = intent.read(question.rendered)
        written = " ".join(normalise(text).split())
        if reading.unanswered is None and written != question.rendered:
            # a word read as transliterated Cyrillic ("licence" → "лиценце") may hide a kind
            # the seeds never answer: the words as written are read for that too
            unanswered = intent.read(written).unanswered
            if unanswered is not None:
                reading = replace(reading, unanswered=unanswered)
        said = question.stems
        scored: list[tuple[str, float]] = []
        for topic, score in ranked:
            if score <= 0.0:
                scored.append((topic, score))
                continue
            factor = 1.0
            meta = self._meta.get(topic)
            if meta is None:  # an out-of-scope kind: it "answers" whatever is asked
                factor *= (1.0 + INTENT_BOOST) ** len(reading.intents)
            else:
                if topic in self._needs and not _holds(said, self._needs[topic]):
                    factor *= NEEDS_FACTOR
                if topic in self._avoids and _holds(said, self._avoids[topic]):
                    factor *= NEEDS_FACTOR
                for asked in reading.intents:
                    factor *= (
                        (1.0 + INTENT_BOOST) if asked in meta.answers else 1.0 - INTENT_MISS[asked]
                    )
                if any(r not in reading.intents for r in meta.requires):
                    factor *= REQUIRES_FACTOR
                if reading.months & set(meta.months):
                    factor *= 1.0 + PERIOD_BOOST
                elif meta.months and reading.months & self._periods:
                    factor *= 1.0 - PERIOD_MISS
            # not capped here: two topics lifted past 1.0 keep their order and their ratio
            scored.append((topic, round(score * factor, 4)))
        scored.sort(key=lambda item: item[1], reverse=True)
        return read_as, scored, reading

    def top(self, text: str, n: int = TOP_N, lang: Lang = "en") -> list[tuple[str, float]]:
        """The `n` best topics for a question, with scores in [0, 1], best first."""
        ranked = self._ranked(text, lang)[1]
        return [(t, min(1.0, s)) for t, s in ranked if not t.startswith(_OUTSIDE)][:n]

    def match(self, text: str, lang: Lang = "en") -> MatchResult:
        """What to answer to a question (see the module's docstring).

        `lang` is the user's language: a hint for reading a question whose letters do not
        tell (the question may be in any of ru, be, en).
        """
        read_as, ranked, asks = self._ranked(text, lang)
        reading = tuple(asks.describe())
        best_id, best = ranked[0]
        topics = [(t, s) for t, s in ranked if not t.startswith(_OUTSIDE)]
        outside = best_id[len(_OUTSIDE) :] if best_id.startswith(_OUTSIDE) and best > 0 else None
        if asks.outside is not None:  # asks what the seeds never answer ("how long does … take")
            outside = asks.outside
        candidates = tuple((t, min(1.0, s)) for t, s in topics[:TOP_N] if s > 0.0)
        top_id, top = topics[0]
        topic: str | None = None
        also: str | None = None
        outcome: Outcome
        if outside is None and top >= CONFIDENCE_THRESHOLD:
            topic = top_id
            outcome = "answered" if top >= SURE_THRESHOLD else "low"
            second_id, second = topics[1]
            asked = set(intent.INTENTS) & set(reading)  # what the question asks, if it says
            if (
                second >= CONFIDENCE_THRESHOLD
                and second >= AMBIGUITY * top
                and asked <= set(self._meta[second_id].answers)
            ):
                also = second_id
        elif outside is None and top >= SUGGEST_THRESHOLD:
            outcome = "unsure"
        else:
            outcome = "none"
        if outcome == "none":
            candidates = ()
        return MatchResult(
            topic=topic,
            score=min(1.0, top),
            candidates=candidates,
            lang=read_as,
            also=also,
            outside=outside,
            reading=reading,
            outcome=outcome,
        )


def _holds(said: frozenset[str], words: frozenset[str]) -> bool:
    """The question's stems hold one of `words`' stems, or a longer form of one
    ("приоритетн" holds "приоритет")."""
    prefixes = _prefixes(words)
    return bool(said & words) or (bool(prefixes) and any(s.startswith(prefixes) for s in said))


@cache
def _prefixes(words: frozenset[str]) -> tuple[str, ...]:
    """The stems of `words` long enough to hold longer forms (one `startswith` call for all)."""
    return tuple(w for w in words if len(w) >= _PREFIX_MIN)


def _answer(meta: TopicMeta, texts: LangFile) -> Answer:
    text = texts.topics[meta.id]
    basis = translator(texts.lang).cite(meta.basis)  # "ст. 22(3) PCT", not "ст. PCT 22(3)"
    for term, local in sorted(texts.ui.basis_terms.items(), key=lambda kv: -len(kv[0])):
        basis = basis.replace(term, local)
    parts = [text.answer.strip()]
    if meta.calculator:
        parts.append(texts.ui.calculator.format(commands=", ".join(meta.calculator)))
    parts.append(f"<i>{texts.ui.basis}: {basis}</i>")
    return Answer(
        topic=meta.id,
        lang=texts.lang,
        title=text.title,
        body=text.answer.strip(),
        basis=basis,
        calculator=meta.calculator,
        text="\n\n".join(parts),
    )


def _read(name: str) -> dict[str, Any]:
    with resources.files("core.faq").joinpath(name).open("rb") as fh:
        return tomllib.load(fh)


@cache
def load_faq() -> FaqBase:
    """The FAQ from the package's data files, validated and indexed once per process (with no
    taught paraphrases: `FaqBase.with_taught` adds the staff's)."""
    meta = _read("topics.toml")
    texts = {lang: _read(f"faq.{lang}.toml") for lang in LANGS}
    return FaqBase(
        FaqData.model_validate(
            {"topics": meta["topic"], "outside": meta.get("outside", []), "texts": texts}
        )
    )
