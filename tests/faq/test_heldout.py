"""FAQ accuracy beyond the shared dev set.

- `faq-tune.tsv` (gaps users reported), `faq-tune-2.tsv` (questions the FAQ answered wrongly,
  and out-of-scope ones), `faq-tune-3.tsv` (fresh questions written after the first held-out
  run), `faq-tune-4.tsv` to `faq-tune-8.tsv` (fresh sets with out-of-scope questions, written
  before the changes they then guided; set 8 is mostly out-of-scope kinds): the FAQ's data and
  thresholds were improved against them, so they are regression sets, not a measure.
- `faq-heldout.tsv` (in scope only), `faq-heldout-2.tsv` to `faq-heldout-5.tsv` (per language
  ≥ 45 in-scope and ≥ 30 out-of-scope questions, `none` = the right reply is "no answer"; each
  written and committed before the tuning it measures): never tuned on. Their figures are the
  measure (docs/BENCHMARKS.md, "FAQ quality").

Top-1 counts "no answer" as a topic. The target for the held-out sets is 95% per language;
the floors asserted here are what the FAQ reaches today, so that no change makes it worse
unnoticed.
"""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

import pytest

from core.faq import LANGS, load_faq
from core.faq.text import normalise

HERE = Path(__file__).resolve().parent
MIN_ACCURACY = 0.95
# per set: what the FAQ reaches today in its worst language (top-1, precision of the answered
# questions, recall of the out-of-scope ones), rounded down
HELDOUT_FLOOR = {
    "faq-heldout-2.tsv": {"top1": 0.95, "precision": 0.95, "oos_recall": 0.93},
    "faq-heldout-3.tsv": {"top1": 0.93, "precision": 0.91, "oos_recall": 0.96},
    "faq-heldout-4.tsv": {"top1": 0.93, "precision": 0.93, "oos_recall": 0.93},
    "faq-heldout-5.tsv": {"top1": 0.89, "precision": 0.86, "oos_recall": 0.80},
}


def read(name: str) -> list[dict[str, str]]:
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


@pytest.mark.parametrize(
    ("name", "least"),
    [
        ("faq-heldout.tsv", 0.94),
        ("faq-tune.tsv", 0.96),
        ("faq-tune-2.tsv", 0.96),
        ("faq-tune-3.tsv", 0.93),
        ("faq-tune-4.tsv", 0.90),
        ("faq-tune-5.tsv", 0.85),
        ("faq-tune-6.tsv", 0.96),
        ("faq-tune-7.tsv", 0.94),
        ("faq-tune-8.tsv", 0.95),
    ],
)
def test_top1_accuracy_per_language(name: str, least: float) -> None:
    for lang, s in scores(name).items():
        assert s["total"] >= (24 if name == "faq-tune-8.tsv" else 50), lang
        assert s["top1"] >= least, (lang, s)


@pytest.mark.parametrize("name", sorted(HELDOUT_FLOOR))
def test_the_held_out_sets_with_out_of_scope_questions(name: str) -> None:
    for lang, s in scores(name).items():
        assert s["total"] - s["oos"] >= 45 and s["oos"] >= 30, lang
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


@pytest.mark.parametrize(
    "name",
    [
        "faq-heldout.tsv",
        "faq-heldout-2.tsv",
        "faq-heldout-3.tsv",
        "faq-heldout-4.tsv",
        "faq-heldout-5.tsv",
    ],
)
def test_paraphrases_and_examples_are_not_copied_from_the_held_out_sets(name: str) -> None:
    faq = load_faq()
    held_out = {normalise(row["question"]) for row in read(name)}
    # A topic's title is what its button shows (and a user may type); the held-out-3
    # question "аднаўленне дзеяння патэнта" is the Belarusian title of patent_restoration.
    titles = {normalise(faq.title(t, lang)) for t in faq.topics for lang in LANGS}
    for label, lang, text in faq.documents():
        assert normalise(text) not in held_out - titles, (label, lang, text)
