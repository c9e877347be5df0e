"""A small retrieval matcher: TF-IDF over stems, an inverted index, fuzzy repair of typos.

Every paraphrase (in any language) is a document labelled with its topic. A question is
scored against each topic as a mix of

* the cosine similarity with the topic's closest paraphrase (how well one way of asking fits),
* the share of the question's weight that the topic's whole vocabulary covers.

both in [0, 1], times a specificity factor in [0, 1] that scales down questions made only of
words many topics share ("patent", "fee"); so the score lies in [0, 1]. Words unknown to the
index are mapped to the closest known stem (rapidfuzz) when close enough, so typos count;
other unknown words weigh against the match.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Final

from rapidfuzz import fuzz, process

from core.faq.text import (
    ALL_STOPWORDS,
    FILLERS,
    LANGS,
    STOPWORDS,
    VAGUE_DURATION,
    Lang,
    canon,
    guess_lang,
    is_latin,
    lexicon,
    normalise,
    skeleton,
    tokens,
    translit,
)

# Weights of the two parts of a score.
PARAPHRASE_WEIGHT: Final = 0.8
COVERAGE_WEIGHT: Final = 1.0 - PARAPHRASE_WEIGHT
# A word unknown to the index still counts against a match, at this inverse document frequency.
UNKNOWN_IDF: Final = 3.5
# The least rapidfuzz ratio (0..100) at which an unknown word is taken for a known stem.
FUZZY_CUTOFF: Final = 80.0
FUZZY_MIN_LEN: Final = 5
REPAIR_CACHE_SIZE: Final = 100_000
# The weight (norm of the known part) at which a question counts as fully specific.
SPECIFIC_ENOUGH: Final = 2.0
# A filler ("help", "спасибо", "вось") says nothing of a topic; yet a question made of them
# is seldom one the FAQ answers: each weighs against a match like an unknown word, less.
FILLER_IDF: Final = 2.5
_STOPWORDS: Final = frozenset().union(*STOPWORDS.values(), VAGUE_DURATION)
# A word found by its skeleton (патент for патэнт) or through transliteration weighs this share.
SKELETON_SIM: Final = 0.95
TRANSLIT_SIM: Final = 0.95
_CYRILLIC_LANGS: Final[tuple[Lang, ...]] = ("ru", "be")
# A bare number says little ("2 plus 2"); a period ("31 months") is read by core/faq/intent.py.
NUMBER_IDF: Final = 1.5


@dataclass(frozen=True, slots=True)
class Resolved:
    """A question's word as found in the index: known stems (none: a stop-word), how surely
    (1.0: as written), and the Cyrillic reading of a transliterated word."""

    stems: tuple[str, ...]
    sim: float
    reading: str | None = None


@dataclass(frozen=True, slots=True)
class Question:
    """A question as `Matcher.read` finds it in the index."""

    lang: Lang
    weights: dict[str, float]
    unknown: float
    rendered: str

    @property
    def stems(self) -> frozenset[str]:
        return frozenset(self.weights)


class Matcher:
    """Built once from (topic, language, text) triples; scores questions against topics."""

    def __init__(
        self,
        documents: Iterable[tuple[str, Lang, str]],
        background: str | None = None,
        extra: Iterable[tuple[str, Lang, str]] = (),
        read_words: Callable[[str, Lang], list[str]] = tokens,
    ) -> None:
        """`documents`: (label, language, text). Labels starting with `background` (the
        out-of-scope kinds), and the `extra` documents (the staff's taught paraphrases), are
        scored like the others but do not count in the words' document frequencies: they must
        not make a topic's own words weaker — nor change how any other topic scores.
        `read_words`: a document's stems (`tokens`, or the same kept between runs:
        core/faq/stored.py)."""
        doc_topics: list[str] = []
        doc_stems: list[frozenset[str]] = []
        doc_extra: list[bool] = []
        topic_vocab: dict[str, set[str]] = defaultdict(set)
        counted_vocab: dict[str, set[str]] = defaultdict(set)
        for counts, (topic, lang, text) in [
            *((True, doc) for doc in documents),
            *((False, doc) for doc in extra),
        ]:
            stems = frozenset(read_words(text, lang))
            if not stems:
                continue
            doc_topics.append(topic)
            doc_stems.append(stems)
            doc_extra.append(not counts)
            topic_vocab[topic].update(stems)
            if counts and (background is None or not topic.startswith(background)):
                counted_vocab[topic].update(stems)
        self.topics: tuple[str, ...] = tuple(dict.fromkeys(doc_topics))
        df: dict[str, int] = defaultdict(int)
        for vocab in counted_vocab.values():
            for s in vocab:
                df[s] += 1
        n_counted = len(counted_vocab)
        self.idf: dict[str, float] = {
            s: min(NUMBER_IDF, idf) if s.isdigit() else idf
            for s in set().union(*topic_vocab.values())
            for idf in (math.log(1.0 + n_counted / max(1, df.get(s, 0))),)
        }
        self._vocab: tuple[str, ...] = tuple(sorted(self.idf))
        # Inverted index: stem -> [(document, idf(stem) / |document|)].
        self._postings: dict[str, list[tuple[int, float]]] = defaultdict(list)
        for i, stems in enumerate(doc_stems):
            norm = math.sqrt(sum(self.idf[s] ** 2 for s in stems))
            for s in stems:
                self._postings[s].append((i, self.idf[s] / norm))
        self._doc_topic: tuple[int, ...] = tuple(self.topics.index(t) for t in doc_topics)
        self._doc_extra: tuple[bool, ...] = tuple(doc_extra)
        self._topic_vocab: tuple[frozenset[str], ...] = tuple(
            frozenset(topic_vocab[t]) for t in self.topics
        )
        # skeleton → the most common known stem spelt so (see core.faq.text.skeleton), and the
        # lexicon's words → what they are read as
        self._skeletons: dict[str, tuple[str, ...]] = {}
        for s in sorted(self._vocab, key=lambda s: (self.idf[s], s)):
            if not s.isdigit():
                self._skeletons.setdefault(skeleton(s), (s,))
        for lang in LANGS:
            for s, read_as in sorted(lexicon(lang).items()):
                if self._all_known(read_as):
                    self._skeletons.setdefault(skeleton(s), read_as)
        self._skeleton_keys: tuple[str, ...] = tuple(sorted(self._skeletons))
        self._repair: dict[tuple[str, Lang], Resolved | None] = {}

    def _fuzzy(self, key: str) -> tuple[tuple[str, ...], float] | None:
        """The known stem whose skeleton is closest to `key` (a skeleton), if close enough."""
        if len(key) < FUZZY_MIN_LEN or key.isdigit():
            return None
        # A typo seldom hits the first letter: look-alikes that differ there are other
        # words ("presid"/"resid", "посовет"/"совет").
        best = process.extractOne(
            key, self._skeleton_keys, scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF, processor=None
        )
        if best is None or best[0][0] != key[0]:
            return None
        return self._skeletons[best[0]], best[1] / 100.0

    def _resolve(self, word: str, lang: Lang) -> Resolved | None:
        """What a normalised word stands for in the index (see `Resolved`); None: unknown.

        In order: its stem in the question's language; for a Cyrillic word, its stem in the
        other Cyrillic language (a Belarusian word in a question read as Russian); for a Latin
        word, its transliterations' stems (Russian or Belarusian typed in Latin letters); then
        any of these by its skeleton (патэнт/патент, пошлины/пошліны, a soft sign left out);
        then the closest skeleton (a typo)."""
        key = (word, lang)
        if key in self._repair:
            return self._repair[key]
        if len(self._repair) >= REPAIR_CACHE_SIZE:  # a long-running bot sees endless typos
            self._repair.clear()
        found = self._look_up(word, lang)
        self._repair[key] = found
        return found

    def _look_up(self, word: str, lang: Lang) -> Resolved | None:
        if self._all_known(found := canon(word, lang)):
            return Resolved(found, 1.0)
        if word.isdigit():
            return None
        # (what it is read as, the Cyrillic reading of a transliterated word)
        candidates: list[tuple[tuple[str, ...], str | None]] = []
        if is_latin(word):
            candidates.append((found, None))
            for cyrillic in translit(word):
                if cyrillic in ALL_STOPWORDS:
                    return Resolved((), 0.0, cyrillic)  # a transliterated stop-word
                candidates.extend((canon(cyrillic, cyr), cyrillic) for cyr in _CYRILLIC_LANGS)
        else:
            candidates.extend((canon(word, cyr), None) for cyr in (lang, *_CYRILLIC_LANGS))
        for stems, reading in candidates:
            if self._all_known(stems):
                return Resolved(stems, TRANSLIT_SIM if reading else 1.0, reading)
        keys = [(skeleton(stems[0]), reading) for stems, reading in candidates if len(stems) == 1]
        for key, reading in keys:
            hit = self._skeletons.get(key)
            if hit is not None:
                return Resolved(hit, SKELETON_SIM * (TRANSLIT_SIM if reading else 1.0), reading)
        best: Resolved | None = None
        for key, reading in keys:
            near = self._fuzzy(key)
            if near is not None:
                sim = near[1] * (TRANSLIT_SIM if reading else 1.0)
                if best is None or sim > best.sim:
                    best = Resolved(near[0], sim, reading)
        return best

    def _all_known(self, stems: tuple[str, ...]) -> bool:
        return all(s in self.idf for s in stems)

    def read(self, text: str, hint: Lang) -> Question:
        """The question as the index knows it: its language, the weight of each known stem,
        the weight of the unknown words, and its text with transliterated words in Cyrillic
        (for core/faq/intent.py)."""
        words = normalise(text).split()
        lang = guess_lang(words, hint)
        weights: dict[str, float] = {}
        unknown = 0.0
        rendered: list[str] = []
        via_translit = latin_known = 0
        for w in words:
            if w in FILLERS and w not in _STOPWORDS:
                unknown += FILLER_IDF**2  # says nothing of a topic, yet is not a topic's word
                rendered.append(w)
                continue
            found = None if w in ALL_STOPWORDS else self._resolve(w, lang)
            rendered.append(found.reading if found is not None and found.reading else w)
            if w in ALL_STOPWORDS or (found is not None and not found.stems):
                continue
            if found is None:
                if not w.isdigit():  # a number the index does not know (a date) is neutral
                    unknown += UNKNOWN_IDF**2
                continue
            if found.reading:
                via_translit += 1
            elif is_latin(w) and not w.isdigit():
                latin_known += 1
            for s in found.stems:
                weights[s] = max(weights.get(s, 0.0), self.idf[s] * found.sim)
        if lang == "en" and via_translit > latin_known:
            lang = hint if hint != "en" else "ru"
        return Question(lang, weights, unknown, " ".join(rendered))

    def score(self, text: str, hint: Lang) -> tuple[Lang, list[tuple[str, float]]]:
        """The language the question reads in, and every topic with its score, best first."""
        q = self.read(text, hint)
        return q.lang, self.rank(q)

    def rank(self, q: Question) -> list[tuple[str, float]]:
        """Every topic with its score for a question `read` before, best first."""
        return self.rank_taught(q)[0]

    def rank_taught(self, q: Question) -> tuple[list[tuple[str, float]], dict[str, float]]:
        """`rank`, and per topic how like its closest `extra` document (a taught paraphrase)
        the question is: that cosine, scaled by the question's specificity as scores are."""
        weights, unknown = q.weights, q.unknown
        total = sum(v * v for v in weights.values()) + unknown
        if not weights:
            return [(t, 0.0) for t in self.topics], {}
        q_norm = math.sqrt(total)
        # A question made only of words that many topics share ("patent", "fee") is vague:
        # its score is scaled down by how much it says.
        specificity = min(1.0, math.sqrt(total - unknown) / SPECIFIC_ENOUGH)
        best_doc = [0.0] * len(self.topics)
        best_extra: dict[str, float] = {}
        dots: dict[int, float] = defaultdict(float)
        for s, wq in weights.items():
            for doc, wd in self._postings[s]:
                dots[doc] += wq * wd
        for doc, dot in dots.items():
            t = self._doc_topic[doc]
            cos = dot / q_norm
            if cos > best_doc[t]:
                best_doc[t] = cos
            if self._doc_extra[doc]:
                topic = self.topics[t]
                best_extra[topic] = max(best_extra.get(topic, 0.0), specificity * cos)
        scored: list[tuple[str, float]] = []
        for t, topic in enumerate(self.topics):
            vocab = self._topic_vocab[t]
            covered = sum(v * v for s, v in weights.items() if s in vocab) / total
            value = specificity * (PARAPHRASE_WEIGHT * best_doc[t] + COVERAGE_WEIGHT * covered)
            scored.append((topic, round(min(1.0, value), 4)))
        scored.sort(key=lambda item: item[1], reverse=True)
        return scored, best_extra
