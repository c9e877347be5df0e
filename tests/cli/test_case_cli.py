"""`pctby case list|show|record` (issue 10): the JSON shape, events through the core service,
bad input as one sentence with exit status 2."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pctby.cli import main


@pytest.fixture
def db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "pctby.sqlite3"
    monkeypatch.setenv("PCTBY_DB", str(path))
    csv = tmp_path / "in.csv"
    csv.write_text(
        "ref;kind;filing_date;priority_date;title;wo_number;publication_date\n"
        "Z-2;patent;10.03.2025;15.03.2024;Heat pump;WO 2025/123456;18.09.2025\n"
    )
    assert main(["import", str(csv), "--user", "7"]) == 0
    return path


def test_record_then_show_as_json(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["case", "record", "--user", "7", "z-2", "entry", "01.10.2026"]) == 0
    assert main(["case", "record", "--user", "7", "Z-2", "годовая 4", "2028-03-01"]) == 0
    capsys.readouterr()
    assert main(["case", "show", "--user", "7", "Z-2", "--json"]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert shown["ref"] == "Z-2" and shown["kind"] == "patent"
    assert (shown["title"], shown["wo_number"], shown["publication_date"]) == (
        "Heat pump",
        "WO 2025/123456",
        "2025-09-18",
    )
    assert (shown["filing_date"], shown["priority_date"]) == ("2025-03-10", "2024-03-15")
    assert shown["natural_person"] is False
    assert main(["case", "show", "--user", "7", "Z-2"]) == 0
    text = capsys.readouterr().out
    assert "Z-2 (patent) — Heat pump" in text and "WO 2025/123456 (September 18, 2025)" in text
    assert shown["events"] == [
        {"kind": "entry_made", "date": "2026-10-01"},
        {"kind": "annuity_paid", "date": "2028-03-01", "year": 4},
    ]
    codes = [d["code"] for d in shown["deadlines"]]
    assert "national_phase_entry" not in codes and "annual_4" not in codes  # closed: not listed
    assert codes[:2] == ["translation", "examination_request"]
    first = shown["deadlines"][0]
    assert set(first) == {
        "code",
        "date",
        "nominal",
        "status",
        "basis",
        "condition",
        "amount",
        "late_amount",
        "warnings",
    }
    assert first["status"] in ("open", "overdue")


def test_list_and_bad_input(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["case", "list", "--user", "7", "--json"]) == 0
    (listed,) = json.loads(capsys.readouterr().out)
    assert listed["ref"] == "Z-2" and listed["deadlines"]
    assert main(["case", "record", "--user", "7", "Z-2", "paid"]) == 2
    assert "Unknown event “paid”" in capsys.readouterr().err
    assert main(["case", "record", "--user", "7", "Z-2", "entry", "01.01.2020"]) == 2
    assert "before the case's priority or filing date" in capsys.readouterr().err
    assert main(["case", "show", "--user", "8", "Z-2"]) == 2  # another user's case
    assert "User 8 has no case “Z-2”" in capsys.readouterr().err
    assert main(["case", "record", "--user", "7", "Z-2", "translation", "01.11.2026"]) == 0
    assert main(["case", "record", "--user", "7", "Z-2", "translation", "02.11.2026"]) == 0
    assert "already recorded" in capsys.readouterr().out


@pytest.mark.parametrize("user", ["²", "0", "9" * 30])
def test_a_bad_user_option_is_one_sentence(
    user: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["case", "list", "--user", user])
    assert exit_.value.code == 2
    assert "is not a Telegram user id" in capsys.readouterr().err
