"""FAQ benchmark: questions matched per second, and the cold start of `pctby ask --json`.

Run: .venv/bin/python bench/bench_faq.py
"""

from __future__ import annotations

import csv
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from _common import cold_start  # noqa: E402

from core.faq import LANGS, load_faq  # noqa: E402

DEV = ROOT / "tests" / "faq" / "faq-dev.tsv"
RUNS = 7


def eval_questions() -> list[tuple[str, str]]:
    if not DEV.exists():
        return []
    with DEV.open(encoding="utf-8", newline="") as fh:
        return [(row["lang"], row["question"]) for row in csv.DictReader(fh, delimiter="\t")]


def variants(n: int) -> list[tuple[str, str]]:
    """Paraphrases bent the way users type: case, dropped and swapped letters, extra words."""
    faq = load_faq()
    rng = random.Random(5)
    base = [(lang, p) for t in faq.topics for lang in LANGS for p in faq.paraphrases(t, lang)]
    fillers = ["please", "Belarus", "PCT", "пожалуйста", "калі ласка", "??", "thanks"]
    out = []
    for _ in range(n):
        lang, text = rng.choice(base)
        chars = list(text)
        for _ in range(rng.randint(0, 2)):  # typos
            i = rng.randrange(len(chars) - 1)
            chars[i], chars[i + 1] = chars[i + 1], chars[i]
        text = "".join(chars)
        if rng.random() < 0.5:
            text = text.upper() if rng.random() < 0.2 else text.capitalize()
        if rng.random() < 0.5:
            text = f"{text} {rng.choice(fillers)}"
        out.append((lang, text))
    return out


def per_second(questions: list[tuple[str, str]], repeat: int = 5) -> float:
    faq = load_faq()
    start = time.perf_counter()
    for _ in range(repeat):
        for lang, text in questions:
            faq.match(text, lang=lang)  # type: ignore[arg-type]
    return repeat * len(questions) / (time.perf_counter() - start)


def main() -> None:
    start = time.perf_counter()
    load_faq()
    print(f"load + index (once per process): {(time.perf_counter() - start) * 1000:.1f} ms")

    questions = eval_questions()
    if questions:
        print(f"eval questions ({len(questions)}): {per_second(questions):,.0f} matches/s")
    fresh = variants(3000)  # each typo'd word is new to the fuzzy cache on first sight
    print(f"generated variants ({len(fresh)}, first pass): {per_second(fresh, 1):,.0f} matches/s")
    print(f"generated variants (warm): {per_second(fresh, 3):,.0f} matches/s")

    python = sys.executable
    pctby = str(Path(python).with_name("pctby"))
    baseline = cold_start([python, "-c", "pass"], RUNS)
    ask = cold_start([pctby, "ask", "--json", "--lang", "en", "How much is the grant fee?"], RUNS)
    print(
        f"cold start, median of {RUNS}: pctby ask --json {ask * 1000:.0f} ms; "
        f"python -c pass {baseline * 1000:.0f} ms; ratio {ask / baseline:.1f}x"
    )


if __name__ == "__main__":
    main()
