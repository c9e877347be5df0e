"""`pctby schedule check` refuses what once broke every answer — one sentence per problem,
exit status 2, never a traceback — and `pctby schedule undo` withdraws the newest installed
schedule on a stopped bot's database."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest

from core import aio
from core.fee_schedules import install_document
from core.schedule import uninstall_all
from core.storage import Store
from pctby import exits
from pctby.cli import main
from pctby.instance import InstanceLock

FIXTURE = Path(__file__).parents[1] / "fixtures" / "schedules" / "test-2026.toml"
NEW = FIXTURE.read_text(encoding="utf-8")


@pytest.fixture(autouse=True)
def _clean() -> Iterator[None]:
    uninstall_all()
    yield
    uninstall_all()


@pytest.mark.parametrize(
    ("edit", "sentence"),
    [
        (lambda d: d.replace('[21, 25, "33"]', '[21, 25, "2e24"]'), "must be from 0 to 1000"),
        (lambda d: d.replace('basis = "Annex BY.I; BY.10" }', "basis = 7 }"), "must be text"),
        (lambda d: d.replace("effective_from = 2026-01-01", "effective_from = 9999-12-31"), "2100"),
        (lambda d: d.replace('base_value = "45.00"', 'base_value = "1e-30"'), "from 1 to 10000"),
        (lambda d: d.replace('id = "test-2026"', 'id = "' + "x" * 5000 + '"'), "at most 60"),
        (lambda d: d.replace('[3, 4, "5"]', '[3, 100000000, "5"]'), "years from 1 to 25"),
        (lambda d: "x = " + "[" * 50_000 + "]" * 50_000 + "\n" + d, "nested too deeply"),
        (lambda d: d.replace('base_value = "45.00"', "base_value = 1e999999999"), "a number"),
    ],
)
def test_what_once_broke_every_answer_is_one_sentence_and_status_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], edit: object, sentence: str
) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text(edit(NEW), encoding="utf-8")  # type: ignore[operator]
    assert main(["schedule", "check", str(bad), "--lang", "en"]) == exits.BAD_INPUT
    err = capsys.readouterr().err
    assert sentence in err and "Traceback" not in err
    assert all(line.startswith("pctby: ") for line in err.splitlines())


def _installed(db: Path) -> None:
    async def go() -> None:
        async with await Store.open(db) as store:
            await install_document(store, NEW, by=42, today=dt.date(2026, 12, 6))

    aio.run(go())
    uninstall_all()


def test_undo_withdraws_the_newest_schedule(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "pctby.sqlite3"
    _installed(db)
    with InstanceLock(db):  # a bot runs on it: the staff's /schedule undo is the way there
        assert main(["schedule", "undo", "--db", str(db)]) == exits.BUSY
        assert "/schedule undo" in capsys.readouterr().err
    assert main(["schedule", "undo", "--db", str(db), "--lang", "en"]) == exits.OK
    out = capsys.readouterr().out
    assert "Withdrew the fee schedule test-2026 (in force from 2026-01-01)." in out
    assert "In force today: annex-by-i-2018" in out
    assert main(["schedule", "undo", "--db", str(db), "--lang", "en"]) == exits.BAD_INPUT
    assert "nothing to withdraw" in capsys.readouterr().err
