"""The catalogs: complete in ru, be and en, no fuzzy entry, up to date with the code
(python-holidays `tests/test_l10n.py`; `pybabel update --check`)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from core.i18n import DOMAIN, LANGS, LOCALES_DIR, translator
from tools import l10n

PLACEHOLDER = re.compile(r"\{[a-z_]*(?:![rs])?\}")


def catalog(lang: str):  # type: ignore[no-untyped-def]
    path = LOCALES_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po"
    with path.open("rb") as fh:
        return read_po(fh, locale=lang)


def test_catalogs_are_up_to_date_with_the_code(tmp_path: Path) -> None:
    pot = tmp_path / "messages.pot"
    l10n.extract(pot)
    result = l10n.update(pot, check=True)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("lang", LANGS)
def test_catalog_is_fully_translated_with_no_fuzzy_entry(lang: str) -> None:
    cat = catalog(lang)
    assert not cat.fuzzy
    untranslated, fuzzy = [], []
    for msg in cat:
        if not msg.id:
            continue
        strings = [msg.string] if isinstance(msg.string, str) else list(msg.string)
        if not all(strings):
            untranslated.append(msg.id)
        if msg.fuzzy:
            fuzzy.append(msg.id)
    assert untranslated == []
    assert fuzzy == []


@pytest.mark.parametrize("lang", LANGS)
def test_translations_keep_every_placeholder(lang: str) -> None:
    for msg in catalog(lang):
        if not msg.id:
            continue
        ids = [msg.id] if isinstance(msg.id, str) else list(msg.id)
        strings = [msg.string] if isinstance(msg.string, str) else list(msg.string)
        wanted = set(PLACEHOLDER.findall(ids[-1]))
        for text in strings:
            if not text:
                continue  # untranslated: reported by the completeness test
            assert set(PLACEHOLDER.findall(text)) == wanted, (msg.id, text)


@pytest.mark.parametrize(
    ("lang", "n", "expected"),
    [
        ("ru", 1, "остался 1 день"),
        ("ru", 3, "осталось 3 дня"),
        ("ru", 11, "осталось 11 дней"),
        ("ru", 21, "остался 21 день"),
        ("be", 2, "засталося 2 дні"),
        ("be", 5, "засталося 5 дзён"),
        ("en", 1, "1 day left"),
        ("en", 2, "2 days left"),
    ],
)
def test_plural_forms(lang: str, n: int, expected: str) -> None:
    t = translator(lang)
    assert t.ngettext("{n} day left", "{n} days left", n).format(n=n) == expected


def test_belarusian_is_not_russian() -> None:
    """The be catalog is its own language, not the Russian one copied."""
    ru, be = catalog("ru"), catalog("be")
    same = [
        m.id for m in be if m.id and m.string and m.string == ru.get(m.id, context=m.context).string
    ]
    # Only language-neutral strings (codes, formats) may coincide.
    assert len(same) < 8, same
