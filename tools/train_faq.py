"""Trains the FAQ's classifier (`core/faq/classifier.py`) on every document the matcher indexes
and writes core/faq/classifier.json. Run it after changing the FAQ's paraphrases, out-of-scope
examples or labelled examples (a test fails until you do):

    .venv/bin/python -m tools.train_faq

Needs scikit-learn (a development dependency: bin/setup installs it). The choices — character
n-grams 3–5 and stems, features in at least 3 documents, C = 30, the classifier's weight in the
FAQ's score — were measured leaving one file of examples out at a time
(bench/calibrate_faq.py), never on the held-out set.
"""

from __future__ import annotations

import math
import sys
from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from core.faq.base import FaqBase, answer_label, load_faq
from core.faq.classifier import (
    FILE,
    MIN_DF,
    C,
    Classifier,
    digest,
    features,
    vector,
)
from core.faq.text import Lang

TARGET = Path(__file__).resolve().parents[1] / "core" / "faq" / FILE


def _idf(blocks: list[Counter[str]]) -> dict[str, tuple[int, float]]:
    """Per feature in at least MIN_DF documents: (its index from 0, smoothed idf)."""
    df: Counter[str] = Counter()
    for counts in blocks:
        df.update(counts.keys())
    n = len(blocks)
    kept = sorted(f for f, d in df.items() if d >= MIN_DF)
    return {f: (i, math.log((1 + n) / (1 + df[f])) + 1.0) for i, f in enumerate(kept)}


def train(faq: FaqBase, documents: Iterable[tuple[str, Lang, str]] | None = None) -> Classifier:
    """A classifier trained on `documents` (label, language, text; by default the FAQ's own
    `training_documents`), read by `faq`'s matcher as questions are read."""
    return fit(faq, documents)[0]


def fit(
    faq: FaqBase, documents: Iterable[tuple[str, Lang, str]] | None = None
) -> tuple[Classifier, Any, Any]:
    """`train`, with scikit-learn's model and the documents' feature matrix (for tests)."""
    import numpy as np
    from scipy.sparse import csr_matrix
    from sklearn.linear_model import LogisticRegression

    docs = list(faq.training_documents() if documents is None else documents)
    labels = [answer_label(label) for label, _lang, _t in docs]
    read = [faq.read(text, lang) for _label, lang, text in docs]
    blocks = [features(rendered, stems) for rendered, stems in read]
    chars = _idf([c for c, _s in blocks])
    stems = _idf([s for _c, s in blocks])
    offset = len(chars)
    data: list[float] = []
    cols: list[int] = []
    indptr = [0]
    for c, s in blocks:
        row = [*vector(c, chars), *((i + offset, w) for i, w in vector(s, stems))]
        cols.extend(i for i, _w in row)
        data.extend(w for _i, w in row)
        indptr.append(len(cols))
    x = csr_matrix((data, cols, indptr), shape=(len(blocks), offset + len(stems)))
    model = LogisticRegression(C=C, max_iter=5000)
    model.fit(x, labels)
    classes = tuple(str(c) for c in model.classes_)
    weights = np.asarray(model.coef_, dtype=np.float64).T  # (features, classes)
    classifier = Classifier(
        classes=classes,
        chars=chars,
        stems={f: (i + offset, idf) for f, (i, idf) in stems.items()},
        weights=tuple(float(v) for v in weights.astype(np.float16).ravel()),
        intercepts=tuple(float(b) for b in model.intercept_),
        documents_digest=digest(docs),
    )
    return classifier, model, x


def main() -> None:
    faq = load_faq()
    classifier = train(faq)
    TARGET.write_text(classifier.to_json() + "\n", encoding="utf-8")
    print(
        f"{TARGET.name}: {len(classifier.classes)} classes, "
        f"{len(classifier.chars)} character n-grams, {len(classifier.stems)} stems, "
        f"{TARGET.stat().st_size // 1024} KiB",
        file=sys.stderr,
    )


if __name__ == "__main__":
    main()
