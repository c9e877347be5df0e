"""Every catalog compiles without a placeholder error (what `bin/l10n compile` checks).

A msgid such as "with a 50% surcharge" is read by gettext tools as a python-format string
("% s"); its translation then fails to compile and the whole language falls back to English.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from core.i18n import translator
from tools.l10n import CatalogError, compile_catalogs

LOCALES = Path(__file__).resolve().parents[1] / "locales"


@pytest.mark.parametrize("lang", ["ru", "be", "en"])
def test_catalog_has_no_compile_errors(lang: str) -> None:
    with (LOCALES / lang / "LC_MESSAGES" / "messages.po").open("rb") as fh:
        catalog = read_po(fh, locale=lang)
    problems = [(message.id, [str(e) for e in errors]) for message, errors in catalog.check()]
    assert problems == []


def test_the_one_compile_path_writes_what_the_program_reads(tmp_path: Path) -> None:
    """`tools.l10n.compile_catalogs` (the wheel's build and `bin/setup` both call it)."""
    written = compile_catalogs(LOCALES, tmp_path)
    assert sorted(p.relative_to(tmp_path).as_posix() for p in written) == [
        f"{lang}/LC_MESSAGES/messages.mo" for lang in ("be", "en", "ru")
    ]
    assert translator("be", tmp_path).gettext("Main menu") == "Галоўнае меню"


def test_a_fuzzy_catalog_is_not_compiled(tmp_path: Path) -> None:
    source = tmp_path / "src" / "ru" / "LC_MESSAGES"
    source.mkdir(parents=True)
    text = (LOCALES / "ru" / "LC_MESSAGES" / "messages.po").read_text(encoding="utf-8")
    (source / "messages.po").write_text("#, fuzzy\n" + text, encoding="utf-8")
    with pytest.raises(CatalogError, match="fuzzy"):
        compile_catalogs(tmp_path / "src", tmp_path / "out")
    assert not (tmp_path / "out").exists()
