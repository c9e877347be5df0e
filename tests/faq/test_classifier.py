"""The FAQ's classifier (core/faq/classifier.py): trained on today's documents, applied in plain
Python as scikit-learn trained it, and what it adds to the matcher."""

from __future__ import annotations

from collections import Counter

import pytest

from core.faq import load_faq
from core.faq.base import answer_label
from core.faq.classifier import Classifier, char_features, digest
from core.faq.text import LANGS


def test_the_shipped_classifier_was_trained_on_todays_documents() -> None:
    faq = load_faq()
    assert faq.classifier is not None, "no core/faq/classifier.json"
    assert faq.classifier.documents_digest == digest(faq.training_documents()), (
        "the FAQ's paraphrases or examples changed: run .venv/bin/python -m tools.train_faq"
    )


def test_the_shipped_classifier_knows_the_documents_it_was_trained_on() -> None:
    """Applied in plain Python to its own training documents, it names their topic (or
    "none") — as it would not if a feature or a weight were read at the wrong place."""
    faq = load_faq()
    classifier = faq.classifier
    assert classifier is not None
    c: Counter[tuple[str, bool]] = Counter()
    for label, lang, text in faq.training_documents():
        want = answer_label(label)
        p = classifier.probabilities(*faq.read(text, lang))
        assert abs(sum(p.values()) - 1.0) < 1e-9
        c[(lang, max(p, key=lambda k: p[k]) == want)] += 1
    for lang in LANGS:
        assert c[(lang, True)] / (c[(lang, True)] + c[(lang, False)]) >= 0.95, (lang, c)


def test_character_features_pad_each_word() -> None:
    grams = char_features("пм fee a")  # normalised text: lower case
    assert grams[" пм "] == 1 and grams[" a "] == 1  # short words: whole, once
    assert {" fe", "fee", "ee ", " fee", "fee ", " fee "} <= set(grams)
    assert "m f" not in "".join(grams) and not any(" " in g.strip() for g in grams)
    assert char_features("") == Counter()


def test_training_and_plain_python_inference_agree() -> None:
    """tools/train_faq.py on a few topics: the weights it writes (float16, JSON) give the
    probabilities scikit-learn's own model gives, to quantisation error."""
    pytest.importorskip("sklearn")
    from tools.train_faq import fit

    faq = load_faq()
    keep = {"grant_fee", "maintenance_fees", "translation", "agent"}
    docs = [d for d in faq.built_in() if d[0] in keep or (d[0] == "~everyday" and d[1] == "en")]
    classifier, model, matrix = fit(faq, docs)
    again = Classifier.from_json(classifier.to_json())
    assert again == classifier
    expected = model.predict_proba(matrix)
    for row, (_label, lang, text) in enumerate(docs):
        got = again.probabilities(*faq.read(text, lang))
        for col, name in enumerate(model.classes_):
            assert got[str(name)] == pytest.approx(expected[row, col], abs=0.02)


@pytest.mark.parametrize(
    ("lang", "question", "topic"),
    [
        # written for this test, in no set: the words alone find an out-of-scope kind
        ("ru", "может ли наш немецкий патентный поверенный сам вести дело в беларуси", "agent"),
    ],
)
def test_the_classifier_answers_what_words_alone_do_not(
    lang: str, question: str, topic: str | None
) -> None:
    faq = load_faq()
    assert faq.with_classifier(None).match(question, lang=lang).topic != topic  # type: ignore[arg-type]
    assert faq.match(question, lang=lang).topic == topic  # type: ignore[arg-type]
