"""The rules at the edges through the command line (docs/RULES.md §1–§3): `pctby case`, `fees`,
`annuities` and `deadlines`, in JSON and text, on a frozen "today" — each test naming the
paragraph of the Guide it checks."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest

from core.clock import SYSTEM_CLOCK
from pctby.cli import main

MINSK = dt.timezone(dt.timedelta(hours=3))


@pytest.fixture
def today(monkeypatch: pytest.MonkeyPatch) -> Any:
    """Sets the command line's "today" (its `SYSTEM_CLOCK`): `today("2026-01-05")`."""

    def set_to(day: str) -> None:
        at = dt.datetime.combine(dt.date.fromisoformat(day), dt.time(12), tzinfo=MINSK)
        monkeypatch.setattr(SYSTEM_CLOCK, "now", lambda: at.astimezone(dt.UTC))

    return set_to


@pytest.fixture
def db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Three cases of user 7: UM-A (a utility model, IFD 20.12.2023), Z-2 (a patent, priority
    15.03.2024: entry due 15.10.2026), NP-1 (the same patent, a natural person)."""
    path = tmp_path / "pctby.sqlite3"
    monkeypatch.setenv("PCTBY_DB", str(path))
    csv = tmp_path / "in.csv"
    csv.write_text(
        "ref;kind;filing_date;priority_date;natural_person\n"
        "UM-A;utility-model;20.12.2023;;no\n"
        "Z-2;patent;10.03.2025;15.03.2024;no\n"
        "NP-1;patent;10.03.2025;15.03.2024;yes\n"
    )
    assert main(["import", str(csv), "--user", "7"]) == 0
    return path


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    assert main(list(argv)) == 0, capsys.readouterr().err
    return capsys.readouterr().out


def record(capsys: pytest.CaptureFixture[str], ref: str, event: str, day: str) -> None:
    run(capsys, "case", "record", "--user", "7", ref, event, day)


def show(capsys: pytest.CaptureFixture[str], ref: str, lang: str = "en") -> dict[str, Any]:
    data: dict[str, Any] = json.loads(
        run(capsys, "case", "show", "--user", "7", ref, "--json", "--lang", lang)
    )
    return data


def deadlines(shown: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {d["code"]: d for d in shown["deadlines"]}


# --- item 1: a utility model's years with the grant fee (BY.21) --------------------------------


def test_um_years_go_with_the_grant_fee_and_its_payment_closes_them(
    db: Path, capsys: pytest.CaptureFixture[str], today: Any
) -> None:
    """BY.21, BY.10: entry 10.07.2025, decision 25.10.2025 → years 1–3 (year 3 begins
    20.12.2025) due with the grant fee on 29.12.2025; after the payment on that day, annual_3
    is closed — not overdue with +50% — and year 4 follows on 21.12.2026."""
    today("2025-11-01")
    record(capsys, "UM-A", "entry", "2025-07-10")
    before = show(capsys, "UM-A")
    assert before["with_grant_fee"] == [1, 2, 3]  # no decision yet: no dates of their own
    assert not [c for c in deadlines(before) if c.startswith("annual_")]
    text = run(capsys, "case", "show", "--user", "7", "UM-A", "--lang", "en")
    assert "Years 1, 2, 3: with the fee for grant (BY.21)" in text

    record(capsys, "UM-A", "grant-decision", "2025-10-25")
    found = deadlines(show(capsys, "UM-A"))
    for year in (1, 2, 3):
        d = found[f"annual_{year}"]
        assert (d["date"], d["condition"], d["amount"]) == ("2025-12-29", "with_grant_fee", "98.00")
    today("2026-01-05")
    record(capsys, "UM-A", "grant-fee", "2025-12-29")
    after = show(capsys, "UM-A")
    found = deadlines(after)
    assert not {"annual_1", "annual_2", "annual_3", "grant_fee"} & set(found)
    assert found["annual_4"]["date"] == "2026-12-21" and found["annual_4"]["status"] == "open"
    assert after["with_grant_fee"] == []


def test_annuities_of_a_utility_model_say_with_the_grant_fee(
    capsys: pytest.CaptureFixture[str], today: Any
) -> None:
    """BY.21; docs/RULES.md §2: `annuities --kind utility-model` never dates the years the grant
    fee pays on the filing date: `"with_grant_fee": true`, no `due` before a decision."""
    today("2025-11-01")
    data = json.loads(
        run(capsys, "annuities", "--kind", "utility-model", "--filing", "2023-12-20", "--json")
    )
    years = data["years"]
    for y in years[:3]:
        assert (y["with_grant_fee"], y["due"], y["grace_end"]) == (True, None, None), y
    assert years[3]["with_grant_fee"] is False and years[3]["due"] == "2026-12-21"
    assert "BY.12" in data["warnings"][0]
    decided = json.loads(
        run(
            capsys,
            "annuities",
            "--kind",
            "um",
            "--filing",
            "2023-12-20",
            "--grant-decision",
            "2025-10-25",
            "--json",
        )
    )
    assert [y["due"] for y in decided["years"][:3]] == ["2025-12-29"] * 3
    text = run(capsys, "annuities", "--kind", "um", "--filing", "2023-12-20", "--lang", "en")
    assert text.count("with the fee for grant") >= 3


def test_annuities_warn_of_years_9_10_and_21_25(
    capsys: pytest.CaptureFixture[str], today: Any
) -> None:
    """BY.21 (years 9–10: confirm); years 21–25 only for an extended patent (Annex BY.I)."""
    today("2025-11-01")
    um = json.loads(
        run(capsys, "annuities", "--kind", "um", "--filing", "2023-12-20", "--extended", "--json")
    )
    assert [y["year"] for y in um["years"] if y["warnings"]] == [9, 10]
    assert "(BY.21)" in um["years"][8]["warnings"][0]
    patent = json.loads(
        run(capsys, "annuities", "--filing", "2023-12-20", "--extended", "--json", "--lang", "ru")
    )
    assert [y["year"] for y in patent["years"] if y["warnings"]] == [21, 22, 23, 24, 25]
    text = run(capsys, "annuities", "--filing", "2023-12-20", "--extended", "--lang", "en")
    assert "Years 21 to 25 apply only to a patent whose term was extended" in text


# --- items 3 and 4: a late entry, and the warnings in JSON and text ----------------------------


def test_a_late_entry_leaves_the_reinstatement_route_open_until_requested(
    db: Path, capsys: pytest.CaptureFixture[str], today: Any
) -> None:
    """BY.16: entry after 15.10.2026 → `entry_reinstatement` stays open, its warning says the
    request and fee are due by then; `reinstatement` (requested) closes it."""
    today("2026-11-25")
    record(capsys, "Z-2", "entry", "2026-11-20")
    found = deadlines(show(capsys, "Z-2"))
    assert "national_phase_entry" not in found
    route = found["entry_reinstatement"]
    assert route["date"] == "2027-10-15"
    assert any("BY.16" in w and "after its time limit" in w for w in route["warnings"])
    text = run(capsys, "case", "show", "--user", "7", "Z-2", "--lang", "en")
    assert "⚠ The entry was made after its time limit" in text
    record(capsys, "Z-2", "reinstatement", "2026-11-25")
    assert "entry_reinstatement" not in deadlines(show(capsys, "Z-2"))


def test_every_deadline_carries_its_warnings_in_json_and_text(
    db: Path, capsys: pytest.CaptureFixture[str], today: Any
) -> None:
    """docs/RULES.md §2 "Warnings": BY.08 on the examination request; BY.12 on an annual fee in
    grace; BY.17 once the grace is over — in the user's language, each naming its paragraph."""
    today("2028-04-01")  # annual_4 was due 10.03.2028; grace to 11.09.2028
    record(capsys, "Z-2", "entry", "2026-10-01")
    found = deadlines(show(capsys, "Z-2", "ru"))
    assert any("(BY.08)" in w for w in found["examination_request"]["warnings"])
    assert found["annual_4"]["status"] == "overdue"
    assert any("(BY.12)" in w for w in found["annual_4"]["warnings"])
    text = run(capsys, "case", "show", "--user", "7", "Z-2", "--lang", "be")
    assert text.count("(BY.12)") == 1  # said once, though two deadlines carry it
    today("2028-10-01")
    found = deadlines(show(capsys, "Z-2"))
    assert any("may have lapsed" in w and "BY.17" in w for w in found["annual_4_grace"]["warnings"])
    listed = json.loads(
        run(capsys, "deadlines", "--priority", "2024-03-15", "--filing", "2025-03-10", "--json")
    )
    exam = next(d for d in listed["deadlines"] if d["code"] == "examination_request")
    assert any("(BY.08)" in w for w in exam["warnings"])


# --- item 5: one source for the money lines ----------------------------------------------------


@pytest.mark.parametrize("ref", ["Z-2", "NP-1"])
def test_the_case_and_fees_state_the_same_amounts(
    db: Path, capsys: pytest.CaptureFixture[str], today: Any, ref: str
) -> None:
    """Annex BY.I, BY.12: the amount of annual_4 on the case (and +50% in grace) is what
    `pctby fees --item annual --year 4 [--late]` quotes for its due date — for a natural person
    too (Summary, footnote 3); year 3 of a patent has no late amount (Summary)."""
    today("2026-11-01")
    found = deadlines(show(capsys, ref))
    assert found["annual_3"]["late_amount"] is None
    record(capsys, ref, "entry", "2026-10-01")
    annual = deadlines(show(capsys, ref))["annual_4"]
    np = ["--natural-person"] if ref == "NP-1" else []
    quote = ["fees", "--item", "annual", "--year", "4", "--on", annual["date"], *np, "--json"]
    assert json.loads(run(capsys, *quote))["total"] == annual["amount"]
    assert json.loads(run(capsys, *quote, "--late"))["total"] == annual["late_amount"]
    text = run(capsys, "case", "show", "--user", "7", ref, "--lang", "en")
    later = "45.94" if np else "183.75"  # 122.50 × 1.5 (× 0.25)
    assert f"later, in the grace period: {later}" in text


# --- items 6 and 7: extension of time (BY.15), a late annual fee (BY.12) ----------------------


def test_a_utility_model_extension_beyond_three_months_exits_2_citing_by15(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """BY.15 ("up to three months in case of preliminary examination"); BY.20."""
    argv = ["fees", "--kind", "utility-model", "--item", "extension", "--months", "12"]
    assert main([*argv, "--lang", "en"]) == 2
    err = capsys.readouterr().err
    assert "(BY.15)" in err and err.count("\n") == 1
    assert main([*argv[:-1], "3", "--json"]) == 0
    capsys.readouterr()


def test_a_patent_extension_beyond_three_months_is_said_to_need_substantive_examination(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """BY.15 ("to 12 months in case of patent examination")."""
    data = json.loads(run(capsys, "fees", "--item", "extension", "--months", "4", "--json"))
    assert len(data["warnings"]) == 1 and "substantive examination" in data["warnings"][0]
    assert "(BY.15)" in data["warnings"][0]
    text = run(capsys, "fees", "--item", "extension", "--months", "4", "--lang", "en")
    assert "⚠ An extension of more than 3 months is possible only" in text
    natural = json.loads(
        run(capsys, "fees", "--item", "extension", "--months", "4", "--natural-person", "--json")
    )
    other = next(a for a in natural["alternatives"] if a["reading"] == "extension_month_by_month")
    assert other["total"] == "36.75"  # 147 × 0.25, rounded once (not 18.38 + 18.38)


def test_extension_requested_moves_the_response_deadline(
    db: Path, capsys: pytest.CaptureFixture[str], today: Any
) -> None:
    """BY.15: the invitation opens the request for extension; `extension-2` closes it and the
    response is due 2 months from the request; a utility model's `extension-4` is refused."""
    today("2027-03-01")
    record(capsys, "Z-2", "entry", "2026-10-01")  # the Office's invitation follows the entry
    record(capsys, "Z-2", "invitation", "2027-01-11")
    assert deadlines(show(capsys, "Z-2"))["extension_request"]["nominal"] == "2027-04-11"
    record(capsys, "Z-2", "extension-2", "2027-03-01")
    found = deadlines(show(capsys, "Z-2"))
    assert "extension_request" not in found
    assert found["office_response"]["nominal"] == "2027-05-01"
    assert found["office_response"]["basis"] == "BY.15"
    assert main(["case", "record", "--user", "7", "UM-A", "extension-4", "2027-03-01"]) == 2
    assert "(BY.15)" in capsys.readouterr().err
    # the months go through an export and an import (`extension_requested:2027-03-01:2`)
    csv = db.parent / "out.csv"
    run(capsys, "export", "--user", "7", "--out", str(csv))
    assert "extension_requested:2027-03-01:2" in csv.read_text()
    run(capsys, "import", str(csv), "--user", "8")
    copied = json.loads(run(capsys, "case", "show", "--user", "8", "Z-2", "--json"))
    assert deadlines(copied)["office_response"]["nominal"] == "2027-05-01"
    today("2027-04-20")
    record(capsys, "Z-2", "response", "2027-04-20")
    assert "office_response" not in deadlines(show(capsys, "Z-2"))


def test_a_late_annual_fee_names_the_request_for_extension(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """BY.12: a late fee is paid "upon filing a request for extension of time together with a
    50% surcharge" — JSON and text say both and label the surcharge; BY.10 cited once."""
    argv = ["fees", "--item", "annual", "--year", "4", "--late", "--on", "2026-11-21"]
    data = json.loads(run(capsys, *argv, "--json"))
    (item,) = data["items"]
    assert item["surcharge"]["code"] == "late_annual" and item["surcharge"]["percent"] == "50"
    assert "request for extension of time" in data["warnings"][0] and "BY.12" in data["warnings"][0]
    text = run(capsys, *argv, "--lang", "en")
    assert "Annual fee for year 4 (late: +50%)" in text
    assert "⚠ An annual fee paid late" in text
    grant = json.loads(run(capsys, "fees", "--item", "grant", "--late", "--json"))
    assert grant["items"][0]["basis"].count("BY.10") == 1


# --- item 8: the priority year on a weekend (PCT Rule 80.5) ------------------------------------


def test_filing_on_the_monday_after_a_weekend_priority_year_needs_no_restoration(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """docs/RULES.md §1, PCT Rule 80.5: priority 15.03.2024, the year ended on Saturday
    15.03.2025 — filed Monday 17.03.2025: in time; Tuesday: restoration, and the receiving
    Office's holidays are mentioned."""
    argv = ["deadlines", "--priority", "2024-03-15", "--json", "--lang", "en"]
    monday = json.loads(run(capsys, *argv, "--filing", "2025-03-17"))
    assert not any("49ter.2" in n for n in monday["notes"])
    assert any("ran to March 17, 2025" in n for n in monday["notes"])
    tuesday = json.loads(run(capsys, *argv, "--filing", "2025-03-18"))
    (note,) = [n for n in tuesday["notes"] if "49ter.2" in n]
    assert "holiday of the receiving Office" in note and "PCT Rule 80.5" in note
    text = run(
        capsys, "deadlines", "--priority", "2024-03-15", "--filing", "2025-03-17", "--lang", "ru"
    )
    assert "правило 80.5 PCT" in text and "49ter.2" not in text


# --- item 10: every event recordable -----------------------------------------------------------


def test_every_event_can_be_recorded_with_pctby_case_record(
    db: Path, capsys: pytest.CaptureFixture[str], today: Any
) -> None:
    """docs/RULES.md §2: the events that only the CSV knew — extension request, reinstatement
    requested, the Art. 25 appeal (BY.18), the claims-fee invitation (BY.06), the term
    extension (BY.21: opens years 6–10) — recorded by name, in Russian and Belarusian too."""
    today("2027-06-01")
    for word, day in [
        ("entry-incomplete", "2026-10-01"),  # first: the Office's acts follow the entry
        ("claims-invitation", "2027-01-11"),
        ("доплата", "2027-02-01"),
        ("art25-decision", "2027-01-20"),
        ("апеляцыя", "2027-02-10"),
        ("missed", "2027-03-01"),
        ("восстановление прав", "2027-03-10"),
        ("national-fee", "2026-12-01"),
    ]:
        record(capsys, "Z-2", word, day)
    shown = show(capsys, "Z-2")
    kinds = {e["kind"] for e in shown["events"]}
    assert kinds >= {
        "claims_invitation_received",
        "claims_fee_paid",
        "art25_decision_received",
        "appeal_filed",
        "time_limit_missed",
        "reinstatement_requested",
        "national_fee_paid",
        "entry_incomplete",
    }
    assert not {"claims_fee_shortfall", "appeal_art25", "reinstatement"} & set(deadlines(shown))
    # a utility model's term extension opens years 6–10 (BY.21)
    for word, day in [("entry", "2025-07-10"), ("grant-decision", "2025-10-25")]:
        record(capsys, "UM-A", word, day)
    record(capsys, "UM-A", "grant-fee", "2025-12-29")
    for year in (4, 5):
        record(capsys, "UM-A", f"annual-{year}", "2027-06-01")
    assert not [c for c in deadlines(show(capsys, "UM-A")) if c.startswith("annual_")]
    record(capsys, "UM-A", "term-extension", "2027-06-01")
    assert deadlines(show(capsys, "UM-A"))["annual_6"]["nominal"] == "2028-12-20"
    record(capsys, "Z-2", "invitation", "2027-05-20")  # an extension answers an invitation
    out = run(capsys, "case", "record", "--user", "7", "Z-2", "extension-3", "2027-06-01")
    assert "extension of the time limit requested (3 months), on June 1, 2027" in out
    assert {"kind": "extension_requested", "date": "2027-06-01", "months": 3} in show(
        capsys, "Z-2"
    )["events"]
