"""Every catalog compiles without a placeholder error (what `pybabel compile` in bin/setup checks).

A msgid such as "with a 50% surcharge" is read by gettext tools as a python-format string
("% s"); its translation then fails to compile and the whole language falls back to English.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.pofile import read_po

LOCALES = Path(__file__).resolve().parents[1] / "core" / "locales"


@pytest.mark.parametrize("lang", ["ru", "be", "en"])
def test_catalog_has_no_compile_errors(lang: str) -> None:
    with (LOCALES / lang / "LC_MESSAGES" / "messages.po").open("rb") as fh:
        catalog = read_po(fh, locale=lang)
    problems = [(message.id, [str(e) for e in errors]) for message, errors in catalog.check()]
    assert problems == []
