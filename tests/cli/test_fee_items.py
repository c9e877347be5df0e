"""`pctby fees --item`: every Annex BY.I item, the same JSON shape, the schedule's age."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pctby.cli import main

ON = ("--on", "2026-11-21")


def run_json(capsys: pytest.CaptureFixture[str], *argv: str) -> dict:  # type: ignore[type-arg]
    assert main(["fees", *argv, *ON, "--json", "--lang", "en"]) == 0
    data: dict = json.loads(capsys.readouterr().out)  # type: ignore[type-arg]
    return data


@pytest.mark.parametrize(
    ("argv", "total", "annex_line"),
    [
        ([], "539.00", "Summary: national fee, patent, 1 claim"),
        (["--item", "grant"], "245.00", "Patents: Fee for grant 245"),
        (["--item", "grant", "--late"], "367.50", "BY.10: fee for grant +50%"),
        (["--item", "annual", "--year", "7"], "245.00", "7th and 8th years, per year 245"),
        (["--item", "annual", "--year", "12", "--late"], "514.50", "343 + 50% surcharge"),
        (["--item", "amendment"], "49.00", "Fee for amendment 49"),
        (["--item", "extension", "--months", "4"], "294.00", "4 × 73.50, the safe reading"),
        (["--item", "reinstatement"], "465.50", "Reinstatement (PCT Rule 49.6) 465.50"),
        (["--item", "reinstatement-rights"], "122.50", "Reinstatement (BPL Art. 27) 122.50"),
        (["--item", "priority-restoration"], "98.00", "Restoration of the right of priority 98"),
        (["--item", "renewal", "--kind", "um"], "465.50", "Utility models: Renewal fee 465.50"),
        (["--item", "conversion", "--kind", "um"], "122.50", "Utility models: Conversion 122.50"),
    ],
)
def test_every_item_has_the_same_json_shape(
    capsys: pytest.CaptureFixture[str], argv: list[str], total: str, annex_line: str
) -> None:
    data = run_json(capsys, *argv)
    assert {"items", "total", "schedule"} <= set(data)
    assert data["total"] == total, annex_line
    schedule = data["schedule"]
    assert schedule["superseded"] is True  # RULES.md §3: Tax Code rates changed on 2019-01-01
    assert schedule["superseded_on"] == "2019-01-01"
    assert "Amounts of 2018" in schedule["warning"] and "ncip.by" in schedule["warning"]


def test_extension_json_carries_the_other_reading(capsys: pytest.CaptureFixture[str]) -> None:
    # BY.15, Annex BY.I: whole extension at its band (4 × 73.50) | month by month (147.00).
    data = run_json(capsys, "--item", "extension", "--months", "4")
    assert data["readings"] == ["extension_whole_at_band_rate"]
    assert data["alternatives"] == [
        {"reading": "extension_month_by_month", "total": "147.00", "basis": "Annex BY.I; BY.15"}
    ]


def test_a_payment_date_before_2019_is_not_superseded(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["fees", "--on", "2018-06-01", "--json"]) == 0
    schedule = json.loads(capsys.readouterr().out)["schedule"]
    assert schedule["superseded"] is False
    assert "ncip.by" in schedule["warning"]


def test_text_quote_shows_the_warning_and_the_other_reading(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["fees", "--item", "extension", "--months", "4", *ON, "--lang", "ru"]) == 0
    out = capsys.readouterr().out.replace("\u00a0", " ").replace("\u202f", " ")
    assert "Продление срока: патент на изобретение" in out
    assert "Суммы 2018 года: этот перечень устарел с 1 января 2019 г." in out
    assert "Другое прочтение (каждый месяц по ставке своего диапазона): 147,00 BYN." in out


@pytest.mark.parametrize(
    ("argv", "fragment"),
    [
        (["--item", "rocket"], "Unknown fee “rocket”"),
        (["--item", "renewal"], "utility models only"),
        (["--item", "annual"], "--year N"),
        (["--item", "annual", "--year", "3", "--late"], "no grace period"),
        (["--item", "extension", "--months", "13"], "from 1 to 12 months"),
        (["--item", "amendment", "--late"], "late surcharge applies only"),
    ],
)
def test_bad_item_requests_exit_2_with_one_sentence(
    capsys: pytest.CaptureFixture[str], argv: list[str], fragment: str
) -> None:
    assert main(["fees", *argv, *ON, "--lang", "en"]) == 2
    err = capsys.readouterr().err
    assert fragment in err and err.count("\n") == 1


# --- pctby schedule check ------------------------------------------------------------------

FIXTURE = str(Path(__file__).parents[1] / "fixtures" / "schedules" / "test-2026.toml")


def test_schedule_check_shows_the_diff(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["schedule", "check", FIXTURE, "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["valid"] is True and data["follows"] == "annex-by-i-2018"
    assert {"what": "patent.grant", "old": "245.00", "new": "450.00"} in data["changes"]


def test_schedule_check_refuses_a_bad_file(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    bad = tmp_path / "bad.toml"
    text = Path(FIXTURE).read_text(encoding="utf-8").replace('bv = "24"', 'bv = "-24"')
    bad.write_text(text, encoding="utf-8")
    assert main(["schedule", "check", str(bad), "--lang", "en"]) == 2
    assert "“patent.examination.bv” must be from 0 to 1000." in capsys.readouterr().err
    assert main(["schedule", "check", str(tmp_path / "missing.toml"), "--lang", "en"]) == 2
    assert "Cannot read" in capsys.readouterr().err


# --- pctby annuities --priority --------------------------------------------------------------


def test_annuities_with_a_priority_date_put_year_3_at_entry_without_a_late_amount(
    capsys: pytest.CaptureFixture[str],
) -> None:
    argv = ["annuities", "--filing", "2024-03-10", "--priority", "2023-03-15", "--json"]
    assert main(argv) == 0
    data = json.loads(capsys.readouterr().out)
    year3, year4 = data["years"][:2]
    # docs/RULES.md §2: annual_3 with the national fee, i.e. priority + 31 months (2025-10-15, a
    # Wednesday); year 3 has no late period, so no grace end and no late amount.
    assert year3 == {
        "year": 3,
        "due": "2025-10-15",
        "grace_end": None,
        "amount": "122.50",  # Annex BY.I: 3rd and 4th years, per year 122.50
        "late_amount": None,
        "basis": "Summary, BY.12",
        "with_grant_fee": False,
        "warnings": [],
    }
    assert year4["late_amount"] == "183.75"  # 122.50 + 50% (Annex BY.I surcharge)
    assert data["schedule"]["superseded"] is True and "ncip.by" in data["schedule"]["warning"]
    assert main(["annuities", "--filing", "2024-03-10", "--priority", "2023-03-15"]) == 0
    first = capsys.readouterr().out.splitlines()[4]
    assert first.split()[0] == "3" and "—" in first
