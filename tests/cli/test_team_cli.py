"""`pctby team list|show|members` and a team's cases from the command line (`pctby case …
--team`, `pctby import --team`, `pctby export --team`)."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest

from core.reminders import Reminders
from core.storage import Store
from core.teams.models import Role
from core.teams.service import Teams, Who
from pctby.cli import main

ANNA, BORIS = 7, 8


@pytest.fixture
def db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Sidorenko-IP: Anna (@anna) its owner, Boris an attorney; no case yet."""
    path = tmp_path / "pctby.sqlite3"
    monkeypatch.setenv("PCTBY_DB", str(path))

    async def make() -> None:
        async with await Store.open(path) as store:
            teams = Teams(Reminders(store))
            await teams.create(Who(ANNA, "Anna", "anna"), "Sidorenko-IP")
            code = (await teams.invite(ANNA, None, Role.ATTORNEY)).code
            await teams.join(Who(BORIS, "Boris"), code)
            await teams.invite(ANNA, None, Role.VIEWER)  # not used yet

    asyncio.run(make())
    return path


def test_the_administrator_lists_and_shows_teams(
    db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["team", "list", "--json"]) == 0
    (listed,) = json.loads(capsys.readouterr().out)
    assert {k: listed[k] for k in ("name", "members", "owners", "cases", "group_linked")} == {
        "name": "Sidorenko-IP",
        "members": 2,
        "owners": ["Anna"],
        "cases": 0,
        "group_linked": False,
    }
    assert listed["open_invitations"] == 1
    assert main(["team", "members", "sidorenko-ip", "--json"]) == 0
    members = json.loads(capsys.readouterr().out)
    assert [(m["telegram_user_id"], m["role"], m["username"]) for m in members] == [
        (ANNA, "owner", "anna"),
        (BORIS, "attorney", None),
    ]
    assert main(["team", "show", "Sidorenko-IP", "--lang", "ru"]) == 0
    text = capsys.readouterr().out
    assert "Sidorenko-IP" in text and "@anna" in text and "владелец" in text
    assert main(["team", "show", "Nobody"]) == 2
    assert "There is no team “Nobody”" in capsys.readouterr().err


def test_a_teams_cases_in_and_out_of_the_command_line(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    csv = tmp_path / "in.csv"
    csv.write_text("ref,kind,filing_date,priority_date\nT-1,patent,10.03.2025,15.03.2024\n")
    assert main(["import", str(csv), "--team", "sidorenko-ip"]) == 0
    capsys.readouterr()
    assert main(["case", "list", "--team", "Sidorenko-IP", "--json"]) == 0
    assert [c["ref"] for c in json.loads(capsys.readouterr().out)] == ["T-1"]
    assert main(["case", "list", "--user", str(ANNA), "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)  # Anna sees it as the team's, not hers
    assert [(c["ref"], c["team"]) for c in listed] == [("T-1", "Sidorenko-IP")]
    assert main(["case", "record", "--team", "Sidorenko-IP", "T-1", "entry"]) == 0
    assert "Recorded for T-1" in capsys.readouterr().out
    assert main(["export", "--team", "Sidorenko-IP"]) == 0
    exported = capsys.readouterr().out.splitlines()
    assert exported[0].endswith(",team,recorded_by")
    assert exported[1].startswith(",T-1,patent,") and ",Sidorenko-IP," in exported[1]
    assert main(["case", "show", "--team", "Sidorenko-IP", "T-9"]) == 2
    assert "The team Sidorenko-IP has no case “T-9”" in capsys.readouterr().err
    assert main(["import", str(csv), "--team", "Nobody"]) == 2
    assert main(["export", "--team", "Nobody"]) == 2


def test_a_member_sees_the_teams_cases_with_their_own(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    csv = tmp_path / "in.csv"
    csv.write_text("ref,kind,filing_date\nT-1,patent,10.03.2025\n")
    assert main(["import", str(csv), "--team", "Sidorenko-IP"]) == 0
    assert main(["import", str(csv), "--user", str(BORIS)]) == 0  # his own T-1 too
    capsys.readouterr()
    assert main(["case", "list", "--user", str(BORIS), "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert [(c["ref"], c["team"]) for c in listed] == [("T-1", None), ("T-1", "Sidorenko-IP")]
    assert main(["case", "show", "--user", str(BORIS), "sidorenko-ip/t-1", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["team"] == "Sidorenko-IP"
    assert main(["case", "list", "--user", "99", "--json"]) == 0  # an outsider: nothing
    assert json.loads(capsys.readouterr().out) == []
    assert main(["case", "show", "--user", "99", "Sidorenko-IP/T-1"]) == 2
    assert "User 99 has no case “Sidorenko-IP/T-1”" in capsys.readouterr().err
