"""A linear classifier beside the matcher: multinomial logistic regression over character
n-grams and stems, trained offline on every document the matcher indexes, weights shipped as data.

The matcher (`core/faq/matcher.py`) answers by the closest paraphrase; it is explainable and
learns a taught paraphrase at once, but it weighs every word by how rare it is, not by how much
it tells one topic from another. This classifier learns that from the same documents (the
built-in paraphrases, the out-of-scope examples as `none`, the labelled examples in
`core/faq/examples`): that "сколько" next to "полезн" means the fee, that "when will … be
granted" is not the grant fee. `core/faq/base.py` mixes its probabilities into the matcher's
scores (`CLASSIFIER_WEIGHT`).

Trained by `tools/train_faq.py` (scikit-learn, a development dependency) into
`classifier.json` — classes, features with their inverse document frequencies, and the weights
as little-endian float16, zlib-compressed and base64-encoded — and applied here in plain
Python. The file records a digest of the documents it was trained on (`documents_digest`): a
test fails when the FAQ's data changes and the classifier was not trained again.
"""

from __future__ import annotations

import base64
import hashlib
import json
import math
import struct
import zlib
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Final

# Character n-grams of each word padded with spaces, these lengths; a shorter word is one feature.
NGRAMS: Final = (3, 5)
# Features in fewer training documents than this are left out (they only fit the training set).
MIN_DF: Final = 3
# The logistic regression's regularisation (scikit-learn's C), measured: see tools/train_faq.py
# (with the 10,700 examples of 2026-12-06, 30 against 10: +0.2/+0.2/+0.4 points ru/be/en on the
# blind files left out one at a time).
C: Final = 30.0
FILE: Final = "classifier.json"
FORMAT: Final = 1


def char_features(text: str) -> Counter[str]:
    """The character n-grams of a normalised text's words (each word padded with a space)."""
    low, high = NGRAMS
    grams: Counter[str] = Counter()
    for word in text.split():
        padded = f" {word} "
        size = len(padded)
        if size <= low:
            grams[padded] += 1
            continue
        for n in range(low, min(high, size) + 1):
            grams.update(padded[i : i + n] for i in range(size - n + 1))
    return grams


def vector(counts: Counter[str], idf: dict[str, tuple[int, float]]) -> list[tuple[int, float]]:
    """Sublinear TF-IDF of one block of features, unit length: (feature index, weight)."""
    found = [
        (index, (1.0 + math.log(n)) * weight)
        for feature, n in counts.items()
        if (known := idf.get(feature)) is not None
        for index, weight in (known,)
    ]
    norm = math.sqrt(sum(w * w for _i, w in found))
    return [(i, w / norm) for i, w in found] if norm else []


def features(rendered: str, stems: Iterable[str]) -> tuple[Counter[str], Counter[str]]:
    """The two blocks of features of a question as the matcher read it: character n-grams of
    its text (transliterated words in Cyrillic) and its stems (typos repaired)."""
    return char_features(rendered), Counter(stems)


def digest(documents: Iterable[tuple[str, str, str]]) -> str:
    """A digest of (label, language, text) documents, whatever their order."""
    h = hashlib.sha256()
    for label, lang, text in sorted(documents):
        h.update(f"{label}\t{lang}\t{text}\n".encode())
    return h.hexdigest()


@dataclass(frozen=True, slots=True)
class Classifier:
    """Weights as trained: `classes` (topic ids and `none`), per block the features' indices
    and idf, `weights` row-major (feature, class) over both blocks, `intercepts` per class."""

    classes: tuple[str, ...]
    chars: dict[str, tuple[int, float]]
    stems: dict[str, tuple[int, float]]
    weights: tuple[float, ...]
    intercepts: tuple[float, ...]
    documents_digest: str

    def probabilities(self, rendered: str, stems: Iterable[str]) -> dict[str, float]:
        """Each class's probability for a question (its text as read, its stems)."""
        chars, words = features(rendered, stems)
        k = len(self.classes)
        scores = list(self.intercepts)
        w = self.weights
        for index, x in (*vector(chars, self.chars), *vector(words, self.stems)):
            row = index * k
            for c in range(k):
                scores[c] += x * w[row + c]
        top = max(scores)
        exp = [math.exp(s - top) for s in scores]
        total = sum(exp)
        return {label: e / total for label, e in zip(self.classes, exp, strict=True)}

    def to_json(self) -> str:
        packed = struct.pack(f"<{len(self.weights)}e", *self.weights)
        return json.dumps(
            {
                "format": FORMAT,
                "documents_digest": self.documents_digest,
                "classes": self.classes,
                "intercepts": self.intercepts,
                "chars": sorted(self.chars.items(), key=lambda kv: kv[1][0]),
                "stems": sorted(self.stems.items(), key=lambda kv: kv[1][0]),
                "weights": base64.b64encode(zlib.compress(packed, 9)).decode("ascii"),
            },
            ensure_ascii=False,
            separators=(",", ":"),
        )

    @classmethod
    def from_json(cls, text: str) -> Classifier:
        raw = json.loads(text)
        if raw.get("format") != FORMAT:
            raise ValueError(f"{FILE}: format {raw.get('format')!r}, expected {FORMAT}")
        packed = zlib.decompress(base64.b64decode(raw["weights"]))
        weights = struct.unpack(f"<{len(packed) // 2}e", packed)
        chars = {f: (int(i), float(idf)) for f, (i, idf) in raw["chars"]}
        stems = {f: (int(i), float(idf)) for f, (i, idf) in raw["stems"]}
        classes = tuple(raw["classes"])
        if len(weights) != (len(chars) + len(stems)) * len(classes):
            raise ValueError(f"{FILE}: {len(weights)} weights do not fit the features and classes")
        return cls(
            classes=classes,
            chars=chars,
            stems=stems,
            weights=weights,
            intercepts=tuple(float(b) for b in raw["intercepts"]),
            documents_digest=raw["documents_digest"],
        )


@cache
def load_classifier() -> Classifier | None:
    """The trained classifier shipped with the package (read once per process); None before
    tools/train_faq.py first wrote one (a test requires it, and requires it fresh)."""
    found = resources.files("core.faq").joinpath(FILE)
    if not found.is_file():
        return None
    return Classifier.from_json(found.read_text(encoding="utf-8"))
