"""Top-1 accuracy on the shared dev set (a copy of shared/eval/faq-dev.tsv, kept in the repo
so that the tests stand on their own), per language."""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

from core.faq import LANGS, load_faq

DEV = Path(__file__).resolve().parent / "faq-dev.tsv"
MIN_ACCURACY = 0.90


def read_dev() -> list[dict[str, str]]:
    with DEV.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh, delimiter="\t"))


def test_dev_set_top1_accuracy_per_language() -> None:
    faq = load_faq()
    total: Counter[str] = Counter()
    right: Counter[str] = Counter()
    for row in read_dev():
        total[row["lang"]] += 1
        right[row["lang"]] += faq.match(row["question"], lang=row["lang"]).topic == row["topic"]  # type: ignore[arg-type]
    for lang in LANGS:
        print(f"faq-dev {lang}: {right[lang]}/{total[lang]} = {right[lang] / total[lang]:.1%}")
    for lang in LANGS:
        assert total[lang] > 0, f"no {lang} questions in the dev set"
        assert right[lang] / total[lang] >= MIN_ACCURACY, lang


def test_paraphrases_are_not_copied_from_the_dev_set() -> None:
    from core.faq.text import normalise

    faq = load_faq()
    held_out = {normalise(row["question"]) for row in read_dev()}
    for topic in faq.topics:
        for lang in LANGS:
            for text in (faq.title(topic, lang), *faq.paraphrases(topic, lang)):
                assert normalise(text) not in held_out, (topic, lang, text)
