"""A JSON file written whole or not at all (core/jsonfile.py): the caches kept between runs."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from core.jsonfile import write_atomically


def test_written_whole_with_its_options(tmp_path: Path) -> None:
    path = tmp_path / "deeper" / "kept.json"
    assert write_atomically(path, {"б": 1, "a": [2]}, prefix=".t-", ensure_ascii=False)
    assert path.read_text(encoding="utf-8") == '{"б": 1, "a": [2]}'
    assert sorted(p.name for p in path.parent.iterdir()) == ["kept.json"]


def test_a_failed_write_leaves_the_old_file_and_no_temporary_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "kept.json"
    path.write_text('{"old": true}', encoding="utf-8")

    def full_disk(src: str, dst: str) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", full_disk)
    assert not write_atomically(path, {"new": True}, prefix=".t-")
    assert json.loads(path.read_text(encoding="utf-8")) == {"old": True}
    assert [p.name for p in tmp_path.iterdir()] == ["kept.json"]


def test_a_place_that_is_not_a_folder_is_not_written(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("", encoding="utf-8")
    assert not write_atomically(blocker / "kept.json", [], prefix=".t-")
    assert blocker.read_text(encoding="utf-8") == ""
