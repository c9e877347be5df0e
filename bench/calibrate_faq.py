"""Calibrates the FAQ's "no answer" threshold on data that is not held out.

The calibration questions are the tuning sets in tests/faq (faq-tune*.tsv, with their
out-of-scope questions, and the dev set) and every built-in paraphrase and out-of-scope
example left out of the index in turn (leave-one-out: the FAQ is rebuilt without it, so it is
a question the matcher has not seen). The held-out sets (faq-heldout*.tsv) are never read here.

For each threshold it prints the top-1 (no answer counted as a topic), the precision of the
answered questions, the recall of the out-of-scope ones and the share of in-scope questions
answered right; the threshold in core/faq/base.py is the one that maximises the top-1 on this
data, rounded.

    .venv/bin/python bench/calibrate_faq.py [--no-loo]
"""

from __future__ import annotations

import argparse
import csv
import sys
from collections.abc import Iterable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from _common import FAQ_SETS, faq_sets  # noqa: E402

from core.faq import base as faq_base  # noqa: E402
from core.faq import load_faq  # noqa: E402
from core.faq.base import FaqBase  # noqa: E402
from core.faq.text import Lang  # noqa: E402

# every tuning set and the dev set: never a held-out one
SETS = (*faq_sets("tune"), "faq-dev.tsv")


class _Without(FaqBase):
    """The FAQ with one document left out."""

    def __init__(self, base: FaqBase, left_out: tuple[str, str, str]) -> None:
        self._left_out = left_out
        super().__init__(base._data)

    def _built_in(self) -> Iterable[tuple[str, Lang, str]]:
        for doc in super()._built_in():
            if doc != self._left_out:
                yield doc


def questions(loo: bool) -> list[tuple[str, str, str, FaqBase]]:
    """(lang, wanted topic or "none", question, the FAQ to ask)."""
    faq = load_faq()
    out: list[tuple[str, str, str, FaqBase]] = []
    for name in SETS:
        with (FAQ_SETS / name).open(encoding="utf-8", newline="") as fh:
            for r in csv.DictReader(fh, delimiter="\t"):
                out.append((r["lang"], r["topic"], r["question"], faq))
    if loo:
        for label, lang, text in faq.documents():
            want = "none" if label.startswith("~") else label
            out.append((lang, want, text, _Without(faq, (label, lang, text))))
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--no-loo", action="store_true", help="the tuning sets only")
    parser.add_argument("--lang", choices=("ru", "be", "en"), help="questions in one language")
    args = parser.parse_args()
    saved = faq_base.CONFIDENCE_THRESHOLD
    faq_base.CONFIDENCE_THRESHOLD = 0.0  # read every best score; decide below
    rows = []
    for lang, want, text, faq in questions(not args.no_loo):
        if args.lang and lang != args.lang:
            continue
        m = faq.match(text, lang=lang)  # type: ignore[arg-type]
        best = m.candidates[0] if m.candidates and m.outside is None else None
        rows.append((want, best))
    faq_base.CONFIDENCE_THRESHOLD = saved
    n_in = sum(w != "none" for w, _ in rows)
    n_out = len(rows) - n_in
    print(f"{len(rows)} questions: {n_in} in scope, {n_out} out of scope; now {saved}")
    print(" threshold  top-1   precision  oos recall  in-scope right")
    best_t, best_top1 = 0.0, -1.0
    for i in range(20, 61):
        t = i / 100
        answered = [(w, b[0]) for w, b in rows if b is not None and b[1] >= t]
        right = sum(w == got for w, got in answered)
        none_right = sum(w == "none" and (b is None or b[1] < t) for w, b in rows)
        top1 = (right + none_right) / len(rows)
        precision = right / len(answered) if answered else 1.0
        print(
            f"   {t:.2f}    {top1:6.1%}   {precision:6.1%}     {none_right / n_out:6.1%}"
            f"      {right / n_in:6.1%}"
        )
        if top1 > best_top1:
            best_t, best_top1 = t, top1
    print(f"best top-1 at {best_t:.2f}: {best_top1:.1%}")


if __name__ == "__main__":
    main()
