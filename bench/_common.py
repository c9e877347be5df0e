"""What the benchmarks share."""

from __future__ import annotations

import re
import statistics
import subprocess
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FAQ_SETS = ROOT / "tests" / "faq"  # the FAQ's measures: the held-out set and the dev set
FAQ_EXAMPLES = ROOT / "core" / "faq" / "examples"  # what the FAQ learns from


def faq_sets(kind: str) -> list[str]:
    """The FAQ's labelled sets of a kind (`heldout`), by their number (the first has none): a
    new set is measured without being listed anywhere."""

    def number(path: Path) -> int:
        found = re.search(r"-(\d+)\.tsv$", path.name)
        return int(found[1]) if found else 1

    return [p.name for p in sorted(FAQ_SETS.glob(f"faq-{kind}*.tsv"), key=number)]


def faq_set(name: str) -> Path:
    """A labelled set by its file name: a measure in tests/faq, or a file of examples."""
    for folder in (FAQ_SETS, FAQ_EXAMPLES):
        if (folder / name).is_file():
            return folder / name
    raise FileNotFoundError(f"no labelled set {name} in {FAQ_SETS} or {FAQ_EXAMPLES}")


def cold_start(argv: list[str], runs: int) -> float:
    """Median wall time of running `argv` from the project's folder `runs` times (seconds)."""
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        subprocess.run(argv, check=True, capture_output=True, cwd=ROOT)
        times.append(time.perf_counter() - t0)
    return statistics.median(times)
