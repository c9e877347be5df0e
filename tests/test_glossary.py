"""One term per concept (docs/glossary.toml): every catalog entry in ru, be and en, and every FAQ
title, answer and interface text (not the paraphrases: those are how users ask), uses the
glossary's term for each concept — "пераход на нацыянальную фазу", never "уваход"; "засведчанне
перакладу", never "пацвярджэнне"; "ільготны тэрмін", never "льготны".

Run after a merge of the catalogs too: a failure names the file, the msgid (or the FAQ key), the
words found and the term to use."""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from babel.messages.pofile import read_po

from core.i18n import DOMAIN, LANGS, LOCALES_DIR

ROOT = Path(__file__).resolve().parents[1]
GLOSSARY = ROOT / "docs" / "glossary.toml"
FAQ_DIR = ROOT / "core" / "faq"


@dataclass(frozen=True)
class Term:
    concept: str
    words: dict[str, str]  # lang → the term to use
    avoid: dict[str, list[re.Pattern[str]]]
    allow: dict[str, list[re.Pattern[str]]]
    when: re.Pattern[str] | None
    use: dict[str, re.Pattern[str]]


def _re(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.IGNORECASE)


def load_glossary(path: Path = GLOSSARY) -> list[Term]:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    terms = []
    for entry in data["term"]:
        terms.append(
            Term(
                concept=entry["concept"],
                words={lang: entry[lang] for lang in LANGS},
                avoid={k: [_re(p) for p in v] for k, v in entry.get("avoid", {}).items()},
                allow={k: [_re(p) for p in v] for k, v in entry.get("allow", {}).items()},
                when=_re(entry["when"]) if "when" in entry else None,
                use={k: _re(v) for k, v in entry.get("use", {}).items()},
            )
        )
    return terms


@dataclass(frozen=True)
class Text:
    """One text a user may read: where it is, its key, its language, and the English it says."""

    source: str
    key: str  # the msgid, or the FAQ key (topics.<id>.answer)
    lang: str
    text: str
    english: str


def catalog_texts() -> Iterator[Text]:
    for lang in LANGS:
        path = LOCALES_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po"
        with path.open("rb") as fh:
            catalog = read_po(fh, locale=lang)
        source = str(path.relative_to(ROOT))
        for msg in catalog:
            if not msg.id:
                continue
            ids = [msg.id] if isinstance(msg.id, str) else list(msg.id)
            strings = [msg.string] if isinstance(msg.string, str) else list(msg.string)
            for text in strings:
                if text:
                    yield Text(source, ids[0], lang, text, " ".join(ids))


def _faq_fields(data: dict[str, Any]) -> dict[str, str]:
    """The texts of one FAQ file users read, by key: interface texts, basis terms, titles and
    answers (not the paraphrases)."""
    fields: dict[str, str] = {}
    for key, value in data.get("ui", {}).items():
        if isinstance(value, str):
            fields[f"ui.{key}"] = value
    for term, local in data.get("ui", {}).get("basis_terms", {}).items():
        fields[f"ui.basis_terms.{term}"] = local
    for topic, texts in data.get("topics", {}).items():
        for field in ("title", "answer"):
            if field in texts:
                fields[f"topics.{topic}.{field}"] = texts[field]
    return fields


def faq_texts() -> Iterator[Text]:
    files = {lang: FAQ_DIR / f"faq.{lang}.toml" for lang in LANGS}
    fields = {
        lang: _faq_fields(tomllib.loads(p.read_text(encoding="utf-8"))) for lang, p in files.items()
    }
    for lang in LANGS:
        source = str(files[lang].relative_to(ROOT))
        for key, text in fields[lang].items():
            yield Text(source, key, lang, text, fields["en"].get(key, ""))


def all_texts() -> list[Text]:
    return [*catalog_texts(), *faq_texts()]


PLACEHOLDER = re.compile(r"\{[^{}]*\}")


def _without_allowed(term: Term, text: Text) -> str:
    """The text without its placeholders ({annex}) and what the term allows."""
    body = PLACEHOLDER.sub(" ", text.text)
    for pattern in term.allow.get(text.lang, []):
        body = pattern.sub(" ", body)
    return body


def avoided(terms: list[Term], texts: list[Text]) -> list[str]:
    """Every use of a variant the glossary avoids, as one line a translator can act on."""
    found = []
    for text in texts:
        for term in terms:
            body = _without_allowed(term, text)
            for pattern in term.avoid.get(text.lang, []):
                for m in pattern.finditer(body):
                    found.append(
                        f"{text.source}: {text.key!r}: “{m.group(0)}” — the glossary's "
                        f"{text.lang} term for “{term.concept}” is “{term.words[text.lang]}”"
                    )
    return found


def missing(terms: list[Term], texts: list[Text]) -> list[str]:
    """Translations whose English names a concept but which do not use the glossary's term."""
    found = []
    for text in texts:
        for term in terms:
            use = term.use.get(text.lang)
            if term.when is None or use is None or not text.english:
                continue
            said = term.when.search(text.english)
            if said and not use.search(text.text):
                found.append(
                    f"{text.source}: {text.key!r} speaks of “{said.group(0)}”: its {text.lang} "
                    f"text should use “{term.words[text.lang]}” ({term.concept}); it says "
                    f"“{text.text[:200]}”"
                )
    return found


TERMS = load_glossary()
TEXTS = all_texts()


def test_the_glossary_names_every_term_in_three_languages() -> None:
    assert len(TERMS) >= 10
    concepts = [t.concept for t in TERMS]
    assert len(concepts) == len(set(concepts))
    for term in TERMS:
        assert all(term.words[lang].strip() for lang in LANGS), term.concept
        assert set(term.avoid) | set(term.allow) | set(term.use) <= set(LANGS), term.concept
        assert (term.when is None) == (not term.use), term.concept
    wanted = {
        "national phase entry",
        "annual fee",
        "grace period",
        "reinstatement",
        "restoration of a patent",
        "verification of the translation",
        "utility model",
    }
    assert all(any(w in c for c in concepts) for w in wanted), wanted


def test_the_texts_checked_are_the_catalogs_and_the_faq() -> None:
    sources = {t.source for t in TEXTS}
    assert {f"locales/{lang}/LC_MESSAGES/messages.po" for lang in LANGS} <= sources
    assert {f"core/faq/faq.{lang}.toml" for lang in LANGS} <= sources
    keys = {t.key for t in TEXTS}
    assert "topics.translation.answer" in keys and "Entry into the national phase" in keys
    assert not any("paraphrases" in k for k in keys)


@pytest.mark.parametrize("lang", LANGS)
def test_no_text_uses_a_variant_the_glossary_avoids(lang: str) -> None:
    found = avoided(TERMS, [t for t in TEXTS if t.lang == lang])
    assert found == [], "\n" + "\n".join(found)


@pytest.mark.parametrize("lang", ["ru", "be"])
def test_translations_use_the_glossary_term_where_the_english_names_it(lang: str) -> None:
    found = missing(TERMS, [t for t in TEXTS if t.lang == lang])
    assert found == [], "\n" + "\n".join(found)


def test_a_failure_names_the_msgid_and_the_term() -> None:
    """What another helper's new string would be told."""
    planted = [
        Text("be.po", "Entry into the national phase", "be", "Уваход у нацыянальную фазу", ""),
        Text("be.po", "Translation, its verification", "be", "Пераклад і пацвярджэнне", ""),
    ]
    planted[1] = Text(*[*vars(planted[1]).values()][:4], "Translation, its verification")
    problems = avoided(TERMS, planted) + missing(TERMS, planted)
    assert problems[0] == (
        "be.po: 'Entry into the national phase': “Уваход” — the glossary's be term for "
        "“national phase entry (PCT Art. 22(3), 39(1)(b); Summary)” is "
        "“пераход на нацыянальную фазу; перайсці на нацыянальную фазу”"
    )
    assert any(
        "'Translation, its verification' speaks of “verification”" in p
        and "засведчанне (перакладу)" in p
        for p in problems
    )
