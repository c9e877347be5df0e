"""The FAQ base: topics, answers in ru/be/en and a matcher over paraphrases in all three."""

from __future__ import annotations

import tomllib
from functools import cache
from importlib import resources
from typing import Any, Final

from core.faq.matcher import Matcher
from core.faq.models import Answer, FaqData, LangFile, MatchResult, TopicMeta, UiText
from core.faq.text import LANGS, Lang, tokens
from core.i18n import translator

# A question whose best topic scores below this gets no answer, only the best candidates.
CONFIDENCE_THRESHOLD: Final = 0.3
# A topic whose `needs` words the question lacks keeps this share of its score.
NEEDS_FACTOR: Final = 0.5
TOP_N: Final = 3


class FaqBase:
    """Answers and matching over validated FAQ data. Build once (see `load_faq`)."""

    def __init__(self, data: FaqData) -> None:
        self._data = data
        self._meta: dict[str, TopicMeta] = {t.id: t for t in data.topics}
        self._matcher = Matcher(
            (topic_id, lang, phrase)
            for lang, texts in data.texts.items()
            for topic_id, text in texts.topics.items()
            for phrase in (text.title, *text.paraphrases)
        )
        # topic → the stems (every language) of its `needs` words
        self._needs: dict[str, frozenset[str]] = {
            t.id: frozenset(s for phrase in t.needs for lang in LANGS for s in tokens(phrase, lang))
            for t in data.topics
            if t.needs
        }
        self._answers: dict[tuple[str, Lang], Answer] = {
            (t.id, lang): _answer(t, data.texts[lang]) for t in data.topics for lang in LANGS
        }

    @property
    def topics(self) -> list[str]:
        """Topic ids in their published order."""
        return list(self._meta)

    def title(self, topic_id: str, lang: Lang) -> str:
        """A short title for a button. Raises KeyError for an unknown topic."""
        return self._data.texts[lang].topics[self._meta[topic_id].id].title

    def ui(self, lang: Lang) -> UiText:
        """The labels that go around answers in `lang` (no-match notice, empty question...)."""
        return self._data.texts[lang].ui

    def paraphrases(self, topic_id: str, lang: Lang) -> tuple[str, ...]:
        """The paraphrases the matcher knows for a topic in `lang` (never shown to users)."""
        return self._data.texts[lang].topics[self._meta[topic_id].id].paraphrases

    def answer(self, topic_id: str, lang: Lang) -> Answer:
        """The answer to a topic in `lang`. Raises KeyError for an unknown topic."""
        return self._answers[(topic_id, lang)]

    def _ranked(self, text: str, lang: Lang) -> tuple[Lang, list[tuple[str, float]]]:
        read_as, ranked = self._matcher.score(text, lang)
        if not self._needs:
            return read_as, ranked
        said = set(tokens(text, read_as))
        ranked = [
            (topic, round(score * NEEDS_FACTOR, 4))
            if topic in self._needs and not said & self._needs[topic]
            else (topic, score)
            for topic, score in ranked
        ]
        ranked.sort(key=lambda item: item[1], reverse=True)
        return read_as, ranked

    def top(self, text: str, n: int = TOP_N, lang: Lang = "en") -> list[tuple[str, float]]:
        """The `n` best topics for a question, with scores in [0, 1], best first."""
        return self._ranked(text, lang)[1][:n]

    def match(self, text: str, lang: Lang = "en") -> MatchResult:
        """The topic a question asks about, if the match is confident enough.

        `lang` is the user's language: a hint for reading a question whose letters do not
        tell (the question may be in any of ru, be, en).
        """
        read_as, ranked = self._ranked(text, lang)
        best_topic, best = ranked[0]
        candidates = tuple(c for c in ranked[:TOP_N] if c[1] > 0.0)
        topic = best_topic if best >= CONFIDENCE_THRESHOLD else None
        return MatchResult(topic=topic, score=best, candidates=candidates, lang=read_as)


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
    """The FAQ from the package's data files, validated and indexed once per process."""
    topics = _read("topics.toml")["topic"]
    texts = {lang: _read(f"faq.{lang}.toml") for lang in LANGS}
    return FaqBase(FaqData.model_validate({"topics": topics, "texts": texts}))
