"""FAQ quality on the labelled sets in tests/faq (the held-out set and the dev set; `none` = out
of scope: the right reply is "no answer"), per language: top-1 with "no answer" counted as a
topic, the precision of the questions answered, the recall of the out-of-scope ones, and
milliseconds per question.

    .venv/bin/python bench/eval_faq.py                     # this tree
    .venv/bin/python bench/eval_faq.py --against 4a0de44   # and, side by side, that revision's
                                                           # matcher (its `core`, in a child)
    .venv/bin/python bench/eval_faq.py --set faq-heldout-6.tsv --errors
    .venv/bin/python bench/eval_faq.py --set tune-9a.tsv --against e65724d  # an example file

A question counts as answered when the matcher names a topic (`match(...).topic`); the chat
then shows that answer (or, for a question that fits two topics, both as buttons).
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

from _common import faq_set, faq_sets

ROOT = Path(__file__).resolve().parents[1]
# the measures only: the examples (core/faq/examples) are what the FAQ learns from — name one
# with --set to see how another revision, which had not learnt it, answered it
DEFAULT_SETS = (*reversed(faq_sets("heldout")), "faq-dev.tsv")
LANGS = ("ru", "be", "en")

# Run in a child with another revision's `core` on its path: prints [topic or null, ms] per row.
CHILD = """
import json, sys, time
from core.faq import load_faq
faq = load_faq()
rows = json.load(sys.stdin)
out = []
for lang, text in rows:
    t0 = time.perf_counter()
    m = faq.match(text, lang=lang)
    out.append([m.topic, (time.perf_counter() - t0) * 1000])
json.dump(out, sys.stdout)
"""


def read(name: str) -> list[tuple[str, str, str]]:
    with faq_set(name).open(encoding="utf-8", newline="") as fh:
        return [(r["lang"], r["topic"], r["question"]) for r in csv.DictReader(fh, delimiter="\t")]


def predict(rows: list[tuple[str, str, str]], code: Path | None) -> list[tuple[str | None, float]]:
    env = {**os.environ, "PYTHONPATH": str(code if code is not None else ROOT)}
    proc = subprocess.run(
        [sys.executable, "-c", CHILD],
        input=json.dumps([(lang, text) for lang, _topic, text in rows]),
        capture_output=True,
        text=True,
        env=env,
        cwd=code if code is not None else ROOT,
        check=True,
    )
    return [(topic, ms) for topic, ms in json.loads(proc.stdout)]


def scores(
    rows: list[tuple[str, str, str]], found: list[tuple[str | None, float]]
) -> dict[str, dict[str, float]]:
    """Per language (and "all"): top1, precision, oos_recall, n, oos, ms (median)."""
    by: dict[str, list[tuple[str, str | None, float]]] = defaultdict(list)
    for (lang, want, _text), (got, ms) in zip(rows, found, strict=True):
        for key in (lang, "all"):
            by[key].append((want, got, ms))
    out: dict[str, dict[str, float]] = {}
    for key, items in by.items():
        right = sum((got or "none") == want for want, got, _ in items)
        answered = [(want, got) for want, got, _ in items if got is not None]
        oos = [got for want, got, _ in items if want == "none"]
        times = sorted(ms for *_, ms in items)
        out[key] = {
            "n": len(items),
            "top1": right / len(items),
            "precision": (sum(w == g for w, g in answered) / len(answered)) if answered else 1.0,
            "answered": len(answered),
            "oos": len(oos),
            "oos_recall": (sum(g is None for g in oos) / len(oos)) if oos else float("nan"),
            "ms": times[len(times) // 2],
        }
    return out


def line(label: str, s: dict[str, float]) -> str:
    oos = f"{s['oos_recall']:.1%} of {int(s['oos'])}" if s["oos"] else "—"
    return (
        f"  {label:<22} top-1 {s['top1']:6.1%}  precision {s['precision']:6.1%} "
        f"(of {int(s['answered'])} answered)  out-of-scope recall {oos:>12}  "
        f"{s['ms']:.2f} ms/q"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--set", action="append", dest="sets", metavar="FILE.tsv")
    parser.add_argument("--against", metavar="REV", help="also this revision's matcher")
    parser.add_argument("--errors", action="store_true", help="list this tree's mistakes")
    args = parser.parse_args()
    names = args.sets or list(DEFAULT_SETS)
    with tempfile.TemporaryDirectory() as tmp:
        old: Path | None = None
        if args.against:
            archive = subprocess.run(
                ["git", "-C", str(ROOT), "archive", args.against, "core"],
                capture_output=True,
                check=True,
            ).stdout
            subprocess.run(["tar", "-x", "-C", tmp], input=archive, check=True)
            # its `core` reads message catalogs beside it (locales/ at the top since 24a; the
            # compiled .mo are not in git): this tree's serve, matching does not read them
            if (ROOT / "locales").is_dir() and not (Path(tmp) / "core" / "locales").is_dir():
                shutil.copytree(ROOT / "locales", Path(tmp) / "locales")
            old = Path(tmp)
        for name in names:
            rows = read(name)
            now = predict(rows, None)
            then = predict(rows, old) if old is not None else None
            print(name)
            s_now = scores(rows, now)
            s_then = scores(rows, then) if then is not None else None
            for lang in (*LANGS, "all"):
                if lang not in s_now:
                    continue
                if s_then is not None:
                    print(line(f"{lang} {args.against}", s_then[lang]))
                print(line(f"{lang} now", s_now[lang]))
            if args.errors:
                for (lang, want, text), (got, _ms) in zip(rows, now, strict=True):
                    if (got or "none") != want:
                        print(f"    {lang} want {want:<28} got {got or 'none':<28} {text}")


if __name__ == "__main__":
    main()
