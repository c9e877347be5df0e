"""FAQ accuracy beyond the shared dev set.

- `core/faq/examples/*.tsv`: the questions the FAQ learns from (the matcher indexes them, the
  classifier is trained on them). `tune*` were written to find and fix gaps; the `tune-9*`
  and `tune-11*` files were written blind (from the seeds and the answers only, never the
  paraphrases or the matcher) as training data; `heldout*` were held-out sets once, folded in
  after they had been measured (held-out-9 and 10 in the seventh round). What they say of the
  FAQ: leave-one-file-out, in `bench/calibrate_faq.py`; here only that the FAQ answers them as
  it learnt them.
- `faq-heldout-11.tsv` (per language 140 in-scope and 80 out-of-scope questions, `none` = the
  right reply is "no answer"; written blind by six writers, two a language, and committed
  before the change it measures): never tuned on, never in the examples, its errors not read.
  Its figures are the measure (docs/BENCHMARKS.md, "FAQ quality").

Top-1 counts "no answer" as a topic. The target for a held-out set is 95% per language; the
floors asserted here are what the FAQ reaches today, so that no change makes it worse
unnoticed.
"""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

import pytest
from rapidfuzz import fuzz, process

from core.faq import LANGS, load_faq
from core.faq.base import read_examples
from core.faq.text import normalise

HERE = Path(__file__).resolve().parent
EXAMPLES = HERE.parents[1] / "core" / "faq" / "examples"
MIN_ACCURACY = 0.95
# what the FAQ reaches today on the held-out set in its worst language (top-1, precision of the
# answered questions, recall of the out-of-scope ones), rounded down
HELDOUT_FLOOR = {
    "faq-heldout-11.tsv": {"top1": 0.95, "precision": 0.95, "oos_recall": 0.95},
}
# A held-out question this similar (rapidfuzz ratio) to anything the FAQ learns from is a copy.
COPY_SIMILARITY = 85


def read(name: str | Path) -> list[dict[str, str]]:
    with (HERE / name).open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh, delimiter="\t"))


def scores(name: str) -> dict[str, dict[str, float]]:
    """Per language: top-1 (no answer as a topic), precision of the answered questions,
    recall of the out-of-scope ones."""
    faq = load_faq()
    c: dict[str, Counter[str]] = {lang: Counter() for lang in LANGS}
    for row in read(name):
        got = faq.match(row["question"], lang=row["lang"]).topic  # type: ignore[arg-type]
        n = c[row["lang"]]
        n["total"] += 1
        n["right"] += (got or "none") == row["topic"]
        if got is not None:
            n["answered"] += 1
            n["answered_right"] += got == row["topic"]
        if row["topic"] == "none":
            n["oos"] += 1
            n["oos_right"] += got is None
    out = {}
    for lang, n in c.items():
        out[lang] = {
            "total": n["total"],
            "oos": n["oos"],
            "top1": n["right"] / n["total"],
            "precision": n["answered_right"] / max(1, n["answered"]),
            "oos_recall": n["oos_right"] / n["oos"] if n["oos"] else 1.0,
        }
        print(f"{name} {lang}: {out[lang]}")
    return out


@pytest.mark.parametrize("name", sorted(p.name for p in EXAMPLES.glob("*.tsv")))
def test_the_faq_answers_the_examples_it_learnt(name: str) -> None:
    """Learnt, not memorised: what the FAQ answers to its own examples, per file and language
    (a file whose answers drop this low was broken by a change, not by a fresh phrasing)."""
    faq = load_faq()
    c: Counter[tuple[str, str]] = Counter()
    for row in read(EXAMPLES / name):
        got = faq.match(row["question"], lang=row["lang"]).topic  # type: ignore[arg-type]
        c[(row["lang"], "n")] += 1
        c[(row["lang"], "right")] += (got or "none") == row["topic"]
    for lang in LANGS:
        if c[(lang, "n")]:
            assert c[(lang, "right")] / c[(lang, "n")] >= 0.9, (lang, c)


@pytest.mark.parametrize("name", sorted(HELDOUT_FLOOR))
def test_the_held_out_sets_with_out_of_scope_questions(name: str) -> None:
    for lang, s in scores(name).items():
        assert s["total"] - s["oos"] >= 140 and s["oos"] >= 80, lang
        for measure, floor in HELDOUT_FLOOR[name].items():
            assert s[measure] >= floor, (lang, measure, s)


@pytest.mark.parametrize(
    ("lang", "question", "topic"),
    [
        ("en", "how do I pay from Russia", "fee_payment"),
        ("ru", "как оплатить из России", "fee_payment"),
        ("en", "can I file in English", "translation"),
        ("en", "maintenance fee year 7", "maintenance_fees"),  # a patent unless it says UM
        ("ru", "годовые пошлины за полезную модель", "utility_model"),
        ("be", "гадавыя пошліны за карысную мадэль", "utility_model"),
    ],
)
def test_the_gaps_users_reported(lang: str, question: str, topic: str) -> None:
    assert load_faq().match(question, lang=lang).topic == topic  # type: ignore[arg-type]


@pytest.mark.parametrize("name", sorted(HELDOUT_FLOOR))
def test_nothing_the_faq_learns_from_copies_the_measures(name: str) -> None:
    """No built-in paraphrase, out-of-scope example or labelled example is a held-out
    question, nor one ≥ COPY_SIMILARITY% like it (a title may be: it is what a button shows).
    Not so the dev set: the first paraphrases were written beside it, so it measures what the
    FAQ was built to answer, not questions it never saw."""
    faq = load_faq()
    measured = sorted({normalise(row["question"]) for row in read(name)})
    titles = {normalise(faq.title(t, lang)) for t in faq.topics for lang in LANGS}
    learnt = {
        normalise(text)
        for lang in LANGS
        for text in (
            *(p for t in faq.topics for p in (faq.title(t, lang), *faq.paraphrases(t, lang))),
            *(e for kind in faq.outside for e in faq.outside_examples(kind, lang)),
        )
    }
    learnt |= {normalise(e.question) for e in read_examples()}  # as written
    for text in sorted(learnt - titles):
        near = process.extractOne(text, measured, scorer=fuzz.ratio, score_cutoff=COPY_SIMILARITY)
        assert near is None, (text, near)
