"""Calibrates the FAQ's "no answer" threshold — and its other weights — on questions the FAQ has
not seen, leaving one file of examples out at a time.

The FAQ learns from its labelled examples (`core/faq/examples/*.tsv`). For each file, the FAQ is
rebuilt without it and asked that file's questions: what a file's writer asked the others never
saw, as with a fresh set. The held-out set (tests/faq/faq-heldout-*.tsv) and the dev set are
never read here.

For each threshold it prints the top-1 (no answer counted as a topic), the precision of the
answered questions, the recall of the out-of-scope ones and the share of in-scope questions
answered right; the threshold in core/faq/base.py sits on the plateau of the top-1 here (0.32:
with the classifier the top-1 moves by less than half a point from 0.28 to 0.34). `--asked`,
`--weight` and `--sure` try another `ASKED_FACTOR`, `CLASSIFIER_WEIGHT` or `CLASSIFIER_SURE`
(core/faq/base.py); `--no-classifier` the words alone; `--files` prints each
file's top-1 per language at today's threshold, `--errors PREFIX` the mistakes in those files.

    .venv/bin/python bench/calibrate_faq.py [--lang ru] [--only tune-9] [--weight 0.35] [--files]
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from core.faq import base as faq_base  # noqa: E402
from core.faq import load_faq  # noqa: E402
from core.faq.base import FaqBase, example_files  # noqa: E402


def left_out(classifier: bool = True) -> list[tuple[str, str, str, float | None, str | None, str]]:
    """(file, lang, wanted topic or "none", best score or None, best topic, question) per
    example, asked of the FAQ built without the example's file — and with a classifier trained
    without it (tools/train_faq.py; scikit-learn); scores read with no threshold."""
    from tools.train_faq import train

    data = load_faq()._data
    files = example_files()
    saved = faq_base.CONFIDENCE_THRESHOLD
    faq_base.CONFIDENCE_THRESHOLD = 0.0  # read every best score; decide below
    rows = []
    try:
        for name, examples in files.items():
            rest = tuple(e for other, es in files.items() if other != name for e in es)
            faq = FaqBase(data.model_copy(update={"examples": rest}))
            if classifier:
                faq = faq.with_classifier(train(faq))
            for e in examples:
                m = faq.match(e.question, lang=e.lang)
                best = m.candidates[0] if m.candidates and m.outside is None else None
                rows.append(
                    (
                        name,
                        e.lang,
                        e.topic,
                        best[1] if best else None,
                        best[0] if best else None,
                        e.question,
                    )
                )
    finally:
        faq_base.CONFIDENCE_THRESHOLD = saved
    return rows


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--lang", choices=("ru", "be", "en"), help="questions in one language")
    parser.add_argument("--asked", type=float, help="try this ASKED_FACTOR")
    parser.add_argument("--files", action="store_true", help="each file's top-1 per language")
    parser.add_argument("--errors", metavar="PREFIX", help="list the mistakes in files so named")
    parser.add_argument("--only", metavar="PREFIX", help="count only the files so named")
    parser.add_argument("--no-classifier", action="store_true", help="the matcher alone")
    parser.add_argument("--weight", type=float, help="try this CLASSIFIER_WEIGHT")
    parser.add_argument("--sure", type=float, help="try this CLASSIFIER_SURE")
    args = parser.parse_args()
    if args.asked is not None:
        faq_base.ASKED_FACTOR = args.asked  # type: ignore[misc]
    if args.weight is not None:
        faq_base.CLASSIFIER_WEIGHT = args.weight  # type: ignore[misc]
    if args.sure is not None:
        faq_base.CLASSIFIER_SURE = args.sure  # type: ignore[misc]
    now = faq_base.CONFIDENCE_THRESHOLD
    rows = [
        r
        for r in left_out(not args.no_classifier)
        if (args.lang is None or r[1] == args.lang)
        and (args.only is None or r[0].startswith(args.only))
    ]
    n_in = sum(want != "none" for _f, _l, want, _s, _t, _q in rows)
    n_out = len(rows) - n_in
    print(f"{len(rows)} questions: {n_in} in scope, {n_out} out of scope; now {now}")
    print(" threshold  top-1   precision  oos recall  in-scope right")
    best_t, best_top1 = 0.0, -1.0
    for i in range(20, 61):
        t = i / 100
        answered = [(w, got) for _f, _l, w, s, got, _q in rows if s is not None and s >= t]
        right = sum(w == got for w, got in answered)
        none_right = sum(w == "none" and (s is None or s < t) for _f, _l, w, s, _g, _q in rows)
        top1 = (right + none_right) / len(rows)
        precision = right / len(answered) if answered else 1.0
        print(
            f"   {t:.2f}    {top1:6.1%}   {precision:6.1%}     {none_right / max(1, n_out):6.1%}"
            f"      {right / max(1, n_in):6.1%}"
        )
        if top1 > best_top1:
            best_t, best_top1 = t, top1
    print(f"best top-1 at {best_t:.2f}: {best_top1:.1%}")
    per: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    for name, lang, want, s, got, question in rows:
        said = got if s is not None and s >= now else "none"
        if args.errors and name.startswith(args.errors) and said != want:
            print(f"    {lang} want {want:<26} got {said:<26} {s or 0:.2f} {question}")
        for key in ((name, lang), ("all", lang)):
            per[key]["n"] += 1
            per[key]["right"] += said == want
    keys = sorted(per) if args.files else sorted(k for k in per if k[0] == "all")
    for name, lang in keys:
        c = per[(name, lang)]
        print(f"  at {now:.2f}  {name:<16} {lang}  top-1 {c['right'] / c['n']:6.1%} of {c['n']}")


if __name__ == "__main__":
    main()
