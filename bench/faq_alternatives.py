"""Libraries tried for the FAQ matcher, measured on bench/calibrate_faq.py's questions.

Neither is a dependency (docs/BENCHMARKS.md, "FAQ quality, before and after", has the
figures and why they were not adopted); install them in the virtualenv to measure again:

    .venv/bin/pip install bm25s pymorphy3 pymorphy3-dicts-ru
    .venv/bin/python bench/faq_alternatives.py --bm25 1.2 0.75      # BM25 (bm25s) as the
                                                                    # paraphrase score
    .venv/bin/python bench/faq_alternatives.py --morph lemma --lang ru
    .venv/bin/python bench/faq_alternatives.py --morph lemma+stem --lang ru

Other options are passed on to bench/calibrate_faq.py (--no-loo, --lang).
"""

from __future__ import annotations

import argparse
import math
import runpy
import sys
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import core.faq.base as faq_base  # noqa: E402
import core.faq.matcher as matcher  # noqa: E402
import core.faq.text as faq_text  # noqa: E402


def use_morph(mode: str) -> None:
    """Russian words as pymorphy3 lemmas (`lemma`), or their Snowball stems (`lemma+stem`)."""
    import pymorphy3

    analyzer = pymorphy3.MorphAnalyzer(lang="ru")
    snowball = faq_text._STEMMERS["ru"]

    def lemma(word: str) -> str:
        normal: str = analyzer.parse(word)[0].normal_form
        return snowball(normal) if mode == "lemma+stem" else normal

    faq_text._STEMMERS["ru"] = lemma
    faq_text.stem.cache_clear()


def use_bm25(k1: float, b: float) -> None:
    """The closest paraphrase scored with BM25 (bm25s) instead of the cosine, normalised by
    the score of a document made of the question's own known words."""
    import bm25s

    class Bm25Matcher(matcher.Matcher):
        def __init__(self, documents: Iterable[Any], **kwargs: Any) -> None:
            docs = list(documents)
            extra = list(kwargs.pop("extra", ()))
            super().__init__(docs, extra=extra, **kwargs)
            corpus = [
                list(dict.fromkeys(faq_text.tokens(text, lang)))
                for _label, lang, text in [*docs, *extra]
            ]
            corpus = [c for c in corpus if c]
            self._bm = bm25s.BM25(k1=k1, b=b)
            self._bm.index(corpus, show_progress=False)
            df: dict[str, int] = defaultdict(int)
            for doc in corpus:
                for s in set(doc):
                    df[s] += 1
            n = len(corpus)
            self._bidf = {s: math.log(1 + (n - d + 0.5) / (d + 0.5)) for s, d in df.items()}
            self._avgdl = sum(len(c) for c in corpus) / n

        def score(self, text: str, hint: Any) -> tuple[Any, list[tuple[str, float]]]:
            words = faq_text.normalise(text).split()
            lang = faq_text.guess_lang(words, hint)
            weights: dict[str, float] = {}
            unknown = 0.0
            for w in words:
                if w in faq_text.ALL_STOPWORDS:
                    continue
                known = self._known(faq_text.stem(w, lang))
                if known is None:
                    unknown += matcher.UNKNOWN_IDF**2
                    continue
                s, sim = known
                weights[s] = max(weights.get(s, 0.0), self.idf[s] * sim)
            total = sum(v * v for v in weights.values()) + unknown
            if not weights:
                return lang, [(t, 0.0) for t in self.topics]
            specificity = min(1.0, math.sqrt(total - unknown) / matcher.SPECIFIC_ENOUGH)
            query = list(weights)
            scores = self._bm.get_scores(query)
            length = 1 - b + b * len(query) / self._avgdl
            ideal = sum(self._bidf[s] * (k1 + 1) / (1 + k1 * length) for s in query)
            known_share = math.sqrt((total - unknown) / total)
            best = [0.0] * len(self.topics)
            for doc, value in enumerate(scores):
                if value > 0:
                    t = self._doc_topic[doc]
                    best[t] = max(best[t], min(1.0, value / ideal) * known_share)
            out = []
            for t, topic in enumerate(self.topics):
                vocab = self._topic_vocab[t]
                covered = sum(v * v for s, v in weights.items() if s in vocab) / total
                mixed = matcher.PARAPHRASE_WEIGHT * best[t] + matcher.COVERAGE_WEIGHT * covered
                out.append((topic, round(min(1.0, specificity * mixed), 4)))
            out.sort(key=lambda item: item[1], reverse=True)
            return lang, out

    faq_base.Matcher = Bm25Matcher  # type: ignore[misc]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--bm25", nargs=2, type=float, metavar=("K1", "B"))
    parser.add_argument("--morph", choices=("lemma", "lemma+stem"))
    args, rest = parser.parse_known_args()
    if args.bm25:
        use_bm25(*args.bm25)
    if args.morph:
        use_morph(args.morph)
    sys.argv = [str(ROOT / "bench" / "calibrate_faq.py"), *rest]
    runpy.run_path(sys.argv[0], run_name="__main__")


if __name__ == "__main__":
    main()
