"""`pctby case list|show|record`: the JSON shape, events through the core service,
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
    assert main(["case", "record", "--user", "7", "Z-2", "годовая 4", "2026-11-02"]) == 0
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
    assert "Z-2 (patent for invention) — Heat pump" in text
    assert "WO 2025/123456 (September 18, 2025)" in text
    assert shown["events"] == [
        {"kind": "entry_made", "date": "2026-10-01"},
        {"kind": "annuity_paid", "date": "2026-11-02", "year": 4},
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
    assert "before the international filing date of the case" in capsys.readouterr().err
    assert main(["case", "show", "--user", "8", "Z-2"]) == 2  # another user's case
    assert "User 8 has no case “Z-2”" in capsys.readouterr().err
    assert main(["case", "record", "--user", "7", "Z-2", "translation", "01.11.2026"]) == 0
    assert main(["case", "record", "--user", "7", "Z-2", "translation", "02.11.2026"]) == 0
    assert "Already recorded for Z-2: translation furnished" in capsys.readouterr().out


@pytest.mark.parametrize("user", ["²", "0", "9" * 30])
def test_a_bad_user_option_is_one_sentence(
    user: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["case", "list", "--user", user])
    assert exit_.value.code == 2
    assert "is not a Telegram user id" in capsys.readouterr().err


def test_case_commands_speak_the_language_given(
    db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert (
        main(["case", "record", "--user", "7", "Z-2", "entry", "01.10.2026", "--lang", "be"]) == 0
    )
    out = capsys.readouterr().out
    assert out.startswith("Запісана для Z-2: пераход на нацыянальную фазу выкананы, 1 кастрычніка")
    assert main(["case", "list", "--user", "7", "--lang", "be"]) == 0
    out = capsys.readouterr().out
    assert "Нумар" in out and "Від" in out and "Бліжэйшы тэрмін" in out
    assert "патэнт на вынаходства" in out
    assert main(["case", "show", "--user", "7", "Z-2", "--lang", "be"]) == 0
    out = capsys.readouterr().out
    assert "Запісаныя падзеі" in out and "пераход на нацыянальную фазу выкананы" in out
    assert "Заяўнік: не фізічная асоба" in out
    assert "Апошні дзень" in out and "Падстава" in out
    for code in ("national_phase_entry", "entry_made", "translation", "patent", "open", "overdue"):
        assert code not in out.replace("patent_", ""), code
    assert main(["case", "show", "--user", "7", "Z-2", "--lang", "ru"]) == 0
    assert "Записанные события" in capsys.readouterr().out


def test_record_is_checked_as_in_the_chat(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert (
        main(["case", "record", "--user", "7", "Z-2", "entry", "01.10.2062", "--lang", "ru"]) == 2
    )
    err = capsys.readouterr().err.replace("\u202f", " ")
    assert "Дата 1 октября 2062 г. позже сегодняшней" in err
    assert main(["case", "record", "--user", "7", "Z-2", "grant-fee", "01.11.2026"]) == 2
    err = capsys.readouterr().err
    assert "Cannot record “fee for grant paid”: “decision to grant received” is not recorded" in err
    assert main(["case", "record", "--user", "7", "Z-2", "granted", "01.11.2026"]) == 2
    assert "“national phase entered” is not recorded" in capsys.readouterr().err


def test_unrecord_and_the_events_of_the_card(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["case", "record", "--user", "7", "Z-2", "entry", "01.10.2026"]) == 0
    assert main(["case", "record", "--user", "7", "Z-2", "grant-decision", "01.11.2026"]) == 0
    capsys.readouterr()
    assert main(["case", "show", "--user", "7", "Z-2"]) == 0
    out = capsys.readouterr().out
    assert "October 1, 2026 — national phase entered" in out
    assert "November 1, 2026 — decision to grant received" in out
    assert main(["case", "unrecord", "--user", "7", "Z-2", "entry"]) == 2
    assert (
        "Remove “decision to grant received” of November 1, 2026 first" in capsys.readouterr().err
    )
    assert main(["case", "unrecord", "--user", "7", "Z-2", "рашэнне"]) == 0
    out = capsys.readouterr().out
    assert "Removed from Z-2: decision to grant received, of November 1, 2026." in out
    assert "Open again:" in out and "Request for substantive examination" in out
    assert "No longer open (the event had opened them):" in out and "Fee for grant" in out
    assert main(["case", "unrecord", "--user", "7", "Z-2", "entry", "02.10.2026"]) == 0
    assert "Z-2 has no “national phase entered” recorded" in capsys.readouterr().out
    assert main(["case", "unrecord", "--user", "7", "Z-2", "entry", "01.10.2026"]) == 0
    capsys.readouterr()
    assert main(["case", "show", "--user", "7", "Z-2", "--json"]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert shown["events"] == []
    assert "national_phase_entry" in [d["code"] for d in shown["deadlines"]]


def test_set_natural_person(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["case", "set", "--user", "7", "Z-2", "--natural-person", "yes"]) == 0
    assert "Z-2: the applicant is a natural person" in capsys.readouterr().out
    assert main(["case", "show", "--user", "7", "Z-2", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["natural_person"] is True
    assert main(["case", "show", "--user", "7", "Z-2"]) == 0
    assert "Applicant: a natural person — every fee of the case is reduced by 75%" in (
        capsys.readouterr().out
    )
    assert main(["case", "set", "--user", "7", "Z-2", "--natural-person", "no"]) == 0
    capsys.readouterr()
    assert main(["case", "show", "--user", "7", "Z-2", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["natural_person"] is False
    with pytest.raises(SystemExit):
        main(["case", "set", "--user", "7", "Z-2", "--natural-person", "maybe"])
    assert "neither yes nor no" in capsys.readouterr().err


def test_import_reports_every_problem_of_a_row(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("PCTBY_DB", str(tmp_path / "pctby.sqlite3"))
    csv = tmp_path / "bad.csv"
    csv.write_text(
        "ref,kind,filing_date,events\n"
        "X-1,design,2025-03-10,annuity_paid:2026-03-10\n"
        "X-2,patent,2025-03-10,entry_made:01.10.2062|granted_fee:x\n"
    )
    assert main(["import", str(csv), "--user", "7"]) == 2
    err = capsys.readouterr().err
    assert "2 bad row(s)" in err
    assert "line 2: kind: 'design' is neither patent nor utility-model." in err
    assert "line 2: events: “annuity_paid:2026-03-10” does not say which year was paid" in err
    assert "got year ?" not in err
    assert "line 3: In events, “entry_made:01.10.2062”: The date 2062-10-01 is after today" in err
    assert "line 3: events: 'granted_fee:x' is not an event like entry_made:2026-10-01." in err
