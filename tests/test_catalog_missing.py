"""A missing catalog stops the program at start with one sentence; it never speaks English
in place of Russian or Belarusian."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from core import i18n
from pctby import cli, exits


def test_a_language_without_its_catalog_is_an_error(tmp_path: Path) -> None:
    shutil.copytree(i18n.LOCALES_DIR / "ru", tmp_path / "ru")  # be and en are missing
    assert i18n.translator("ru", tmp_path).gettext("Main menu") != "Main menu"
    with pytest.raises(i18n.CatalogMissing, match="be message catalog"):
        i18n.translator("be", tmp_path)
    with pytest.raises(i18n.CatalogMissing):
        i18n.check_catalogs(tmp_path)


def test_the_compiled_catalog_is_read_without_its_source(tmp_path: Path) -> None:
    """What a wheel holds: the .mo only."""
    folder = tmp_path / "be" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    shutil.copy(i18n.LOCALES_DIR / "be" / "LC_MESSAGES" / "messages.mo", folder)
    assert i18n.translator("be", tmp_path).gettext("Main menu") == "Галоўнае меню"


def test_a_catalog_edited_since_it_was_compiled_is_refused(tmp_path: Path) -> None:
    """A checkout whose .po changed after its .mo was compiled: never the stale words."""
    shutil.copytree(i18n.LOCALES_DIR / "be", tmp_path / "be")
    os.utime(tmp_path / "be" / "LC_MESSAGES" / "messages.mo", (0, 0))
    with pytest.raises(i18n.CatalogMissing, match=r"older than its messages\.po.*bin/setup"):
        i18n.translator("be", tmp_path)


def test_the_command_exits_with_the_installation_status(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(i18n, "LOCALES", tmp_path)
    i18n.translator.cache_clear()
    try:
        code = cli.main(["deadlines", "--filing", "2025-03-14", "--lang", "ru"])
    finally:
        monkeypatch.undo()
        i18n.translator.cache_clear()
    assert code == exits.INSTALLATION
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "ru message catalog" in err
