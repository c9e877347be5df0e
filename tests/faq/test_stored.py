"""The FAQ documents' stems kept between runs (core/faq/stored.py): used only when computed by
today's code, never a different answer, and never in the way of a run that cannot write."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from core.faq import load_faq
from core.faq.base import FaqBase
from core.faq.stored import StoredWords, source_key, words_cache_path
from core.faq.text import tokens

DOCS = [
    ("ru", "Сколько стоит пошлина за выдачу патента?"),
    ("be", "Колькі каштуе пошліна за выдачу патэнта?"),
    ("en", "When are the annual fees due?"),
]


def test_the_stems_are_read_from_the_file_by_the_next_run(tmp_path: Path) -> None:
    path = tmp_path / "pctby" / "faq-words.json"
    first = StoredWords(path)
    assert [first.tokens(t, lang) for lang, t in DOCS] == [tokens(t, lang) for lang, t in DOCS]
    assert first.missed == len(DOCS)
    first.save()
    raw = json.loads(path.read_text(encoding="utf-8"))
    assert raw["key"] == source_key() and len(raw["words"]) == len(DOCS)
    again = StoredWords(path)
    assert [again.tokens(t, lang) for lang, t in DOCS] == [tokens(t, lang) for lang, t in DOCS]
    assert again.missed == 0
    stamp = path.stat().st_mtime_ns
    again.save()  # nothing new: not written again
    assert path.stat().st_mtime_ns == stamp


def test_stems_computed_by_other_code_are_not_used(tmp_path: Path) -> None:
    path = tmp_path / "faq-words.json"
    lang, text = DOCS[0]
    path.write_text(
        json.dumps({"key": "another text.py", "words": {f"{lang}\t{text}": ["wrong"]}}),
        encoding="utf-8",
    )
    stored = StoredWords(path)
    assert stored.tokens(text, lang) == tokens(text, lang) and stored.missed == 1


@pytest.mark.parametrize("content", ["{not json", "[]", '{"key": 1}', ""])
def test_a_damaged_file_is_read_as_none(tmp_path: Path, content: str) -> None:
    path = tmp_path / "faq-words.json"
    path.write_text(content, encoding="utf-8")
    stored = StoredWords(path)
    lang, text = DOCS[1]
    assert stored.tokens(text, lang) == tokens(text, lang)
    stored.save()
    assert json.loads(path.read_text(encoding="utf-8"))["key"] == source_key()


def test_a_document_no_longer_read_leaves_the_file(tmp_path: Path) -> None:
    path = tmp_path / "faq-words.json"
    first = StoredWords(path)
    for lang, text in DOCS:
        first.tokens(text, lang)
    first.save()
    second = StoredWords(path)
    second.tokens(DOCS[0][1], DOCS[0][0])
    second.save()
    assert list(json.loads(path.read_text(encoding="utf-8"))["words"]) == [
        f"{DOCS[0][0]}\t{DOCS[0][1]}"
    ]


def test_a_place_that_cannot_be_written_keeps_them_in_memory(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("", encoding="utf-8")
    stored = StoredWords(blocker / "faq-words.json")  # its folder is a file
    lang, text = DOCS[2]
    assert stored.tokens(text, lang) == tokens(text, lang)
    stored.save()  # no error
    assert blocker.read_text(encoding="utf-8") == "" and list(tmp_path.iterdir()) == [blocker]


def test_where_they_are_kept(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("PCTBY_FAQ_CACHE", "")
    assert words_cache_path() is None
    monkeypatch.setenv("PCTBY_FAQ_CACHE", str(tmp_path / "w.json"))
    assert words_cache_path() == tmp_path / "w.json"
    monkeypatch.delenv("PCTBY_FAQ_CACHE")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert words_cache_path() == tmp_path / "pctby" / "faq-words.json"


def test_the_faq_built_from_kept_stems_answers_as_one_built_without(tmp_path: Path) -> None:
    faq = load_faq()
    path = tmp_path / "faq-words.json"
    for _run in range(2):  # the second run reads every document from the file
        words = StoredWords(path)
        kept = FaqBase(faq._data, classifier=faq.classifier, words=words)
        words.save()
    assert words.missed == 0
    plain = FaqBase(faq._data, classifier=faq.classifier)
    for lang, question in [
        *DOCS,
        ("en", "what is the weather in Minsk"),
        ("ru", "пропустили 31 месяц, что делать"),
        ("be", "дзе ўзяць бланк заявы аб уваходзе"),
    ]:
        assert kept.match(question, lang) == plain.match(question, lang)  # type: ignore[arg-type]
