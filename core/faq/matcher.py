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
from collections.abc import Iterable
from typing import Final

from rapidfuzz import fuzz, process

from core.faq.text import ALL_STOPWORDS, Lang, guess_lang, normalise, stem, tokens

# Weights of the two parts of a score.
PARAPHRASE_WEIGHT: Final = 0.7
COVERAGE_WEIGHT: Final = 1.0 - PARAPHRASE_WEIGHT
# A word unknown to the index still counts against a match, at this inverse document frequency.
UNKNOWN_IDF: Final = 2.5
# The least rapidfuzz ratio (0..100) at which an unknown word is taken for a known stem.
FUZZY_CUTOFF: Final = 82.0
FUZZY_MIN_LEN: Final = 5
REPAIR_CACHE_SIZE: Final = 100_000
# The weight (norm of the known part) at which a question counts as fully specific.
SPECIFIC_ENOUGH: Final = 2.0
# A bare number says little ("2 plus 2"); a period ("31 months") is read by core/faq/intent.py.
NUMBER_IDF: Final = 1.5


class Matcher:
    """Built once from (topic, language, text) triples; scores questions against topics."""

    def __init__(
        self,
        documents: Iterable[tuple[str, Lang, str]],
        background: str | None = None,
        extra: Iterable[tuple[str, Lang, str]] = (),
    ) -> None:
        """`documents`: (label, language, text). Labels starting with `background` (the
        out-of-scope kinds), and the `extra` documents (the staff's taught paraphrases), are
        scored like the others but do not count in the words' document frequencies: they must
        not make a topic's own words weaker — nor change how any other topic scores."""
        doc_topics: list[str] = []
        doc_stems: list[frozenset[str]] = []
        topic_vocab: dict[str, set[str]] = defaultdict(set)
        counted_vocab: dict[str, set[str]] = defaultdict(set)
        for counts, (topic, lang, text) in [
            *((True, doc) for doc in documents),
            *((False, doc) for doc in extra),
        ]:
            stems = frozenset(tokens(text, lang))
            if not stems:
                continue
            doc_topics.append(topic)
            doc_stems.append(stems)
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
            for idf in (math.log(1.0 + n_counted / max(1, df[s])),)
        }
        self._vocab: tuple[str, ...] = tuple(sorted(self.idf))
        # Inverted index: stem -> [(document, idf(stem) / |document|)].
        self._postings: dict[str, list[tuple[int, float]]] = defaultdict(list)
        for i, stems in enumerate(doc_stems):
            norm = math.sqrt(sum(self.idf[s] ** 2 for s in stems))
            for s in stems:
                self._postings[s].append((i, self.idf[s] / norm))
        self._doc_topic: tuple[int, ...] = tuple(self.topics.index(t) for t in doc_topics)
        self._topic_vocab: tuple[frozenset[str], ...] = tuple(
            frozenset(topic_vocab[t]) for t in self.topics
        )
        self._repair: dict[str, tuple[str, float] | None] = {}

    def _known(self, s: str) -> tuple[str, float] | None:
        """The known stem that `s` stands for, with a similarity in (0, 1]; None if none."""
        if s in self.idf:
            return s, 1.0
        if s in self._repair:
            return self._repair[s]
        found: tuple[str, float] | None = None
        if len(s) >= FUZZY_MIN_LEN and not s.isdigit():
            # A typo seldom hits the first letter: look-alikes that differ there are other
            # words ("presid"/"resid", "посовет"/"совет").
            best = process.extractOne(
                s,
                self._vocab,
                scorer=fuzz.ratio,
                score_cutoff=FUZZY_CUTOFF,
                processor=None,
            )
            if best is not None and best[0][0] == s[0]:
                found = (best[0], best[1] / 100.0)
        if len(self._repair) >= REPAIR_CACHE_SIZE:  # a long-running bot sees endless typos
            self._repair.clear()
        self._repair[s] = found
        return found

    def score(self, text: str, hint: Lang) -> tuple[Lang, list[tuple[str, float]]]:
        """The language the question reads in, and every topic with its score, best first."""
        words = normalise(text).split()
        lang = guess_lang(words, hint)
        weights: dict[str, float] = {}
        unknown = 0.0
        for w in words:
            if w in ALL_STOPWORDS:
                continue
            known = self._known(stem(w, lang))
            if known is None:
                unknown += UNKNOWN_IDF**2
                continue
            s, sim = known
            weights[s] = max(weights.get(s, 0.0), self.idf[s] * sim)
        total = sum(v * v for v in weights.values()) + unknown
        if not weights:
            return lang, [(t, 0.0) for t in self.topics]
        q_norm = math.sqrt(total)
        # A question made only of words that many topics share ("patent", "fee") is vague:
        # its score is scaled down by how much it says.
        specificity = min(1.0, math.sqrt(total - unknown) / SPECIFIC_ENOUGH)
        best_doc = [0.0] * len(self.topics)
        dots: dict[int, float] = defaultdict(float)
        for s, wq in weights.items():
            for doc, wd in self._postings[s]:
                dots[doc] += wq * wd
        for doc, dot in dots.items():
            t = self._doc_topic[doc]
            cos = dot / q_norm
            if cos > best_doc[t]:
                best_doc[t] = cos
        scored: list[tuple[str, float]] = []
        for t, topic in enumerate(self.topics):
            vocab = self._topic_vocab[t]
            covered = sum(v * v for s, v in weights.items() if s in vocab) / total
            value = specificity * (PARAPHRASE_WEIGHT * best_doc[t] + COVERAGE_WEIGHT * covered)
            scored.append((topic, round(min(1.0, value), 4)))
        scored.sort(key=lambda item: item[1], reverse=True)
        return lang, scored
