"""The FAQ base: topics, answers in ru/be/en and a matcher over paraphrases in all three.

A question is answered in three steps, each of which an answer can explain:

1. words: the matcher (`core/faq/matcher.py`) scores every topic — and every kind of question
   the seeds do not answer (`outside`: trademarks, Eurasian patents, the weather…) — by the
   paraphrases it knows: the built-in ones, the labelled examples (`core/faq/examples/*.tsv`:
   questions people asked, each with the topic that answers it or `none`, which count as the
   kind `asked`, a little weaker than the written kinds: `ASKED_FACTOR`) and those the staff
   taught (`Taught`);
2. intent: what the question asks (`core/faq/intent.py`: cost, time, late; "31 months")
   lifts the topics whose answer answers it and lowers the others; a topic about utility
   models needs the words "utility model" (`needs`), one about a missed time limit needs a
   word that says so (`requires`); a question that asks what the seeds never answer, though
   in the FAQ's own words ("how long does examination take", "recommend an attorney", "open
   a bank account": `intent.UNANSWERED`), is out of scope whatever its words score;
3. the decision: the best topic is answered when its score reaches `CONFIDENCE_THRESHOLD`
   and no out-of-scope kind is closer; a second topic within `AMBIGUITY` of it — one that
   answers what the question asks as well — is offered beside it; below the threshold, or
   when the question's one known word is one most topics share ("fee", "срок": `VAGUE_IDF`),
   there is no answer — the closest topics (from `SUGGEST_THRESHOLD`) are offered, and the
   question is kept for the staff, as are answers below `SURE_THRESHOLD`.

The thresholds and weights were calibrated leaving one file of examples out at a time
(`bench/calibrate_faq.py`), never on the held-out set in tests/faq: see docs/BENCHMARKS.md
("FAQ quality") and `bench/eval_faq.py`. The example files named `heldout*` were held-out sets
once; each was folded into the examples after it had been measured and its errors read.
"""

from __future__ import annotations

import csv
import io
import re
import tomllib
from collections.abc import Iterable, Sequence
from dataclasses import replace
from functools import cache, cached_property
from importlib import resources
from typing import Any, Final, NamedTuple

import core.faq.intent as intent
from core.faq.classifier import Classifier, load_classifier
from core.faq.matcher import Matcher
from core.faq.models import (
    NO_TOPIC,
    Answer,
    Example,
    FaqData,
    LangFile,
    MatchResult,
    Outcome,
    Taught,
    TopicMeta,
    UiText,
)
from core.faq.stored import StoredWords, words_cache_path
from core.faq.text import LANGS, Lang, normalise, tokens
from core.i18n import translator

# A question whose best topic scores below this gets no answer.
CONFIDENCE_THRESHOLD: Final = 0.32
# An answer below this is given, and kept for the staff as a doubtful one.
SURE_THRESHOLD: Final = 0.55
# Below the answer threshold, topics from this score up are offered as "did you mean".
SUGGEST_THRESHOLD: Final = 0.2
# A question whose only known word is this common among the topics (its weight, the matcher's
# idf: "fee"/"пошлина" 0.84, "срок" 0.87, "тэрмін" 0.90, "date" 0.94 — against "экспертиза"
# 0.98, "grant" 1.33, "annuity" 1.52) names no topic: the closest are offered, none answered,
# however sure the classifier is of one (a bare "fee" is no more the fee for grant than the
# national fee). Leaving one file out, it changed one answer of 13,606.
VAGUE_IDF: Final = 0.95
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
OUTSIDE_PREFIX: Final = "~"
# The classifier's share of a score (core/faq/classifier.py): its probability for a topic (for
# an out-of-scope kind: of "none") is mixed with the matcher's score, capped at 1.
CLASSIFIER_WEIGHT: Final = 0.35
# A topic the classifier gives at least this probability, and the words rank first among the
# topics, is answered even where an out-of-scope kind's words or a pattern of `intent.UNANSWERED`
# come closer (leave-one-file-out on the blind example files: 0.8 +0.3/0/+0.2 points ru/be/en,
# 0.6 −0.1/−0.1/+0.2, against never).
CLASSIFIER_SURE: Final = 0.8
# What a question asks that no classifier overrules (`intent.UNANSWERED`): an errand for the
# bot ("translate my claims for me") is made of a topic's words and the classifier is sure of
# that topic (leave-one-file-out: +0.15/+0.03/+0.08 points ru/be/en against overruling it).
FIRM: Final = frozenset({"errand"})
_LATIN: Final = re.compile("[A-Za-z\u00c0-\u024f]")  # Latin letters, with diacritics too
_NUMBER: Final = re.compile(r"\d+|\b[^\W\d_]\b")  # numbers, and letters alone: "39(1)(b)"
# The kind of the examples people asked that the seeds do not answer (`none`), and the share
# of its score it keeps: asked in the FAQ's own words more often than the written kinds, they
# would otherwise turn away questions the FAQ answers (calibrated with the thresholds).
ASKED: Final = "asked"
ASKED_FACTOR: Final = 0.8


class _Ranking(NamedTuple):
    """A question as `FaqBase._ranked` reads it."""

    lang: Lang  # the language it reads in
    ranked: list[tuple[str, float]]  # every topic and out-of-scope kind (`~kind`), best first
    reading: intent.Reading  # what it asks
    words: dict[str, float]  # each label's score by its words alone (before the classifier)
    probability: dict[str, float]  # the classifier's, per class (empty without one)
    vague: bool  # one word the FAQ knows, and one most topics share ("fee", "срок"): see VAGUE_IDF


class FaqBase:
    """Answers and matching over validated FAQ data and the staff's taught paraphrases.
    Build the built-in one once (see `load_faq`); `with_taught` makes one with other taught
    paraphrases (it shares the data)."""

    def __init__(
        self,
        data: FaqData,
        taught: Sequence[Taught] = (),
        classifier: Classifier | None = None,
        words: StoredWords | None = None,
    ) -> None:
        """`classifier`: trained on this FAQ's built-in documents (`load_faq` gives the one
        shipped); without one, the matcher's scores alone decide. `words`: the documents'
        stems as kept between runs (`load_faq`), passed on to the FAQs made from this one."""
        self._data = data
        self._classifier = classifier
        self._words = words
        self._meta: dict[str, TopicMeta] = {t.id: t for t in data.topics}
        self._taught: tuple[Taught, ...] = tuple(taught)
        self._matcher = Matcher(
            self.built_in(),
            background=OUTSIDE_PREFIX,
            extra=((t.topic, t.lang, t.text) for t in self._taught if t.topic in self._meta),
            read_words=tokens if words is None else words.tokens,
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
        yield from self.built_in()
        for t in self._taught:
            if t.topic in self._meta:
                yield t.topic, t.lang, t.text

    def built_in(self) -> Iterable[tuple[str, Lang, str]]:
        for lang, texts in self._data.texts.items():
            for topic_id, text in texts.topics.items():
                for phrase in (text.title, *text.paraphrases):
                    yield topic_id, lang, phrase
            for kind, examples in texts.outside.items():
                for phrase in examples:
                    yield OUTSIDE_PREFIX + kind, lang, phrase
        for e in self._data.examples:
            if not _typed_in_latin(e):
                yield _example(e)

    def training_documents(self) -> Iterable[tuple[str, Lang, str]]:
        """What the classifier is trained on: the built-in documents, and the examples of
        Russian or Belarusian typed in Latin letters, which the matcher does not index (their
        words would become known Latin words, and a question so typed would be read as
        English, not transliterated): `read` gives the classifier their Cyrillic reading."""
        yield from self.built_in()
        for e in self._data.examples:
            if _typed_in_latin(e):
                yield _example(e)

    def with_taught(self, taught: Sequence[Taught]) -> FaqBase:
        """The same FAQ with `taught` (and no other) paraphrases from the staff."""
        return FaqBase(self._data, taught, self._classifier, self._words)

    def with_classifier(self, classifier: Classifier | None) -> FaqBase:
        """The same FAQ (and taught paraphrases) with another classifier, or none."""
        return FaqBase(self._data, self._taught, classifier, self._words)

    @property
    def classifier(self) -> Classifier | None:
        return self._classifier

    def read(self, text: str, lang: Lang) -> tuple[str, frozenset[str]]:
        """A text as the matcher reads a question: its words (transliterated ones in Cyrillic)
        and its stems (typos repaired) — what the classifier is trained on and applied to."""
        q = self._matcher.read(text, lang)
        return q.rendered, q.stems

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

    def _ranked(self, text: str, lang: Lang) -> _Ranking:
        """How a question reads and ranks (see `_Ranking`)."""
        question = self._matcher.read(text, lang)
        ranked, taught = self._matcher.rank_taught(question)
        read_as = question.lang
        reading = intent.read(question.rendered)
        written = " ".join(normalise(text).split())
        if reading.unanswered is None and written != question.rendered:
            # a word read as transliterated Cyrillic ("licence" → "лиценце") may hide a kind
            # the seeds never answer: the words as written are read for that too
            unanswered = intent.read(written).unanswered
            if unanswered is not None:
                reading = replace(reading, unanswered=unanswered)
        said = question.stems
        # a question with no word the FAQ knows (a bare date, "15.03.2024") is not answered
        # by the classifier alone: its character n-grams say nothing the words do not
        probability = (
            self._classifier.probabilities(question.rendered, said)
            if self._classifier is not None and any(not s.isdigit() for s in said)
            else None
        )
        scored: list[tuple[str, float]] = []
        words: dict[str, float] = {}
        for topic, score in ranked:
            if score <= 0.0:
                words[topic] = score
                scored.append((topic, _mixed(topic, score, probability, taught)))
                continue
            factor = 1.0
            meta = self._meta.get(topic)
            if meta is None:  # an out-of-scope kind: it "answers" whatever is asked
                factor *= (1.0 + INTENT_BOOST) ** len(reading.intents)
                if topic == OUTSIDE_PREFIX + ASKED:
                    factor *= ASKED_FACTOR
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
            # not capped here (without a classifier): two topics lifted past 1.0 keep their
            # order and their ratio
            words[topic] = score * factor
            scored.append((topic, _mixed(topic, score * factor, probability, taught)))
        scored.sort(key=lambda item: item[1], reverse=True)
        known = [s for s in said if not s.isdigit()]
        vague = len(known) == 1 and self._matcher.idf.get(known[0], VAGUE_IDF) < VAGUE_IDF
        return _Ranking(read_as, scored, reading, words, probability or {}, vague)

    def top(self, text: str, n: int = TOP_N, lang: Lang = "en") -> list[tuple[str, float]]:
        """The `n` best topics for a question, with scores in [0, 1], best first."""
        ranked = self._ranked(text, lang).ranked
        return [(t, min(1.0, s)) for t, s in ranked if not t.startswith(OUTSIDE_PREFIX)][:n]

    def match(self, text: str, lang: Lang = "en") -> MatchResult:
        """What to answer to a question (see the module's docstring).

        `lang` is the user's language: a hint for reading a question whose letters do not
        tell (the question may be in any of ru, be, en).
        """
        read_as, ranked, asks, words, probability, vague = self._ranked(text, lang)  # _Ranking
        reading = tuple(asks.describe())
        best_id, best = ranked[0]
        topics = [(t, s) for t, s in ranked if not t.startswith(OUTSIDE_PREFIX)]
        outside = _kind(best_id) if best > 0 else None
        if outside == ASKED:
            outside = _written_kind(ranked) or ASKED
        if asks.outside is not None:  # asks what the seeds never answer ("how long does … take")
            outside = asks.outside
        top_id, top = topics[0]
        if (
            outside is not None
            and asks.unanswered not in FIRM
            and probability.get(top_id, 0.0) >= CLASSIFIER_SURE
        ):
            # the classifier is sure of the topic the words rank first: an out-of-scope
            # kind's words, or a pattern, met in passing do not turn it away
            outside = None
        candidates = tuple((t, min(1.0, s)) for t, s in topics[:TOP_N] if s > 0.0)
        topic: str | None = None
        also: str | None = None
        outcome: Outcome
        if outside is None and top >= CONFIDENCE_THRESHOLD and not vague:
            topic = top_id
            outcome = "answered" if top >= SURE_THRESHOLD else "low"
            second_id, second = topics[1]
            asked = set(intent.INTENTS) & set(reading)  # what the question asks, if it says
            # by the words alone: the classifier is surer than the words are of one topic, and
            # a bare "восстановление" fits a lapsed patent as well as rights lost
            if (
                second >= CONFIDENCE_THRESHOLD
                and words[second_id] >= AMBIGUITY * words[top_id]
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


def answer_label(label: str) -> str:
    """What a document's label means as an answer: its topic, or `none` for an out-of-scope
    kind (the classifier's classes)."""
    return NO_TOPIC if label.startswith(OUTSIDE_PREFIX) else label


def _example(e: Example) -> tuple[str, Lang, str]:
    """An example as a document, without its numbers and one-letter words: its dates, counts
    and paragraph letters ("15.03.2024", "27 claims", "39(1)(b)") would make them words of a
    topic, and a bare date or "B-1" a question about it (a period such as "31 months" is read
    by `intent`, in the question)."""
    label = OUTSIDE_PREFIX + ASKED if e.topic == NO_TOPIC else e.topic
    return label, e.lang, " ".join(_NUMBER.sub(" ", e.question).split())


@cache
def _typed_in_latin(e: Example) -> bool:
    """A Russian or Belarusian example typed mostly in Latin letters."""
    if e.lang == "en" or not _LATIN.search(e.question):
        return False  # (normalise makes Latin letters only of Latin ones: é → e)
    letters = [ch for ch in normalise(e.question) if ch.isalpha()]
    return sum(ch.isascii() for ch in letters) * 2 > len(letters)


def _written_kind(ranked: list[tuple[str, float]]) -> str | None:
    """The written out-of-scope kind (not `asked`) closest to a question, if its words come
    near any: say "everyday" of the weather rather than "asked". The classifier adds the same
    share to every kind, so a kind above the lowest one is one the words came near."""
    kinds = [(t, s) for t, s in ranked if _kind(t) not in (None, ASKED)]
    if not kinds or kinds[0][1] <= kinds[-1][1]:
        return None
    return _kind(kinds[0][0])


def _kind(label: str) -> str | None:
    """The out-of-scope kind a label names (`~kind`), or None for a topic."""
    return label[len(OUTSIDE_PREFIX) :] if label.startswith(OUTSIDE_PREFIX) else None


def _mixed(
    label: str, score: float, probability: dict[str, float] | None, taught: dict[str, float]
) -> float:
    """A topic's (or out-of-scope kind's) score with the classifier's probability mixed in.
    The classifier never learnt the staff's taught paraphrases: for a question like one, it
    defers to the staff — as sure of that topic as the question is like the paraphrase."""
    if probability is None:
        return round(score, 4)
    p = max(probability.get(answer_label(label), 0.0), taught.get(label, 0.0))
    return round((1.0 - CLASSIFIER_WEIGHT) * min(1.0, score) + CLASSIFIER_WEIGHT * p, 4)


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


def example_files() -> dict[str, list[Example]]:
    """The labelled examples (`core/faq/examples/*.tsv`: lang, topic, question) by file name."""
    found: dict[str, list[Example]] = {}
    folder = resources.files("core.faq").joinpath("examples")
    for item in sorted(folder.iterdir(), key=lambda item: item.name):
        if item.name.endswith(".tsv"):
            rows = csv.DictReader(io.StringIO(item.read_text(encoding="utf-8")), delimiter="\t")
            found[item.name] = [Example.model_validate(row) for row in rows]
    return found


def read_examples() -> list[Example]:
    """The labelled examples, file after file."""
    return [e for examples in example_files().values() for e in examples]


@cache
def load_faq() -> FaqBase:
    """The FAQ from the package's data files, validated and indexed once per process (with no
    taught paraphrases: `FaqBase.with_taught` adds the staff's); the documents' stems are kept
    between runs (core/faq/stored.py)."""
    meta = _read("topics.toml")
    texts = {lang: _read(f"faq.{lang}.toml") for lang in LANGS}
    words = StoredWords(words_cache_path())
    faq = FaqBase(
        words=words,
        classifier=load_classifier(),
        data=FaqData.model_validate(
            {
                "topics": meta["topic"],
                "outside": meta.get("outside", []),
                "texts": texts,
                "examples": read_examples(),
            }
        ),
    )
    words.save()
    return faq
