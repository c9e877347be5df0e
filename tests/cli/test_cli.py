"""The `pctby fees | deadlines | annuities` commands: JSON shapes, text output, bad input."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from pctby.cli import main

ROOT = Path(__file__).resolve().parents[2]


def run_json(capsys: pytest.CaptureFixture[str], *argv: str) -> dict:  # type: ignore[type-arg]
    assert main([*argv, "--json"]) == 0
    data: dict = json.loads(capsys.readouterr().out)  # type: ignore[type-arg]
    return data


def test_fees_json_shape(capsys: pytest.CaptureFixture[str]) -> None:
    data = run_json(
        capsys,
        "fees",
        "--kind",
        "patent",
        "--independent",
        "2",
        "--dependent",
        "12",
        "--on",
        "2026-11-21",
    )
    assert data["currency"] == "BYN"
    assert data["schedule"]["base_value"] == "24.50"
    assert data["schedule"]["stated_for"] == "2018-01-01"
    items = {i["code"]: i for i in data["items"]}
    assert set(items) == {
        "filing",
        "claims_independent",
        "examination",
        "exam_claims_independent",
        "exam_claims_dependent",
        "annual_3",
    }
    assert items["examination"]["amount"] == "294.00"
    assert items["exam_claims_dependent"] == {
        "code": "exam_claims_dependent",
        "quantity": 2,
        "unit_amount": "49.00",
        "amount": "98.00",
        "basis": "Summary; Annex BY.I",
        "reductions": [],
        "surcharge": None,
    }
    assert data["warnings"] == []
    assert data["total"] == "1029.00"  # 122.50 + 49 + 294 + 343 + 98 + 122.50


def test_fees_utility_model_natural_person(capsys: pytest.CaptureFixture[str]) -> None:
    data = run_json(
        capsys,
        "fees",
        "--kind",
        "utility-model",
        "--independent",
        "1",
        "--dependent",
        "0",
        "--natural-person",
        "--no-isr",
    )
    assert [i["code"] for i in data["items"]] == ["filing"]
    assert data["total"] == "61.25"


def test_deadlines_json_shape(capsys: pytest.CaptureFixture[str]) -> None:
    data = run_json(capsys, "deadlines", "--priority", "2024-03-17", "--filing", "2025-03-17")
    first = data["deadlines"][0]
    warnings = first.pop("warnings")  # the sentences of the day (BY.16 once it is overdue)
    assert isinstance(warnings, list)
    assert first == {
        "code": "national_phase_entry",
        "nominal": "2026-10-17",
        "date": "2026-10-19",
        "basis": "PCT Art. 22(3), 39(1)(b)",
        "shift_reason": "weekend",
        "condition": None,
    }
    assert {d["code"] for d in data["deadlines"]} >= {"translation", "examination_request"}


def test_deadlines_with_entry_and_grant_decision(capsys: pytest.CaptureFixture[str]) -> None:
    data = run_json(
        capsys,
        "deadlines",
        "--filing",
        "2025-03-14",
        "--entry",
        "2026-10-01",
        "--grant-decision",
        "2027-05-03",
        "--lang",
        "ru",
    )
    codes = [d["code"] for d in data["deadlines"]]
    assert "national_phase_entry" not in codes
    grant = next(d for d in data["deadlines"] if d["code"] == "grant_fee")
    assert (grant["nominal"], grant["date"]) == ("2027-07-03", "2027-07-05")  # Sat → Mon
    assert grant["shift_reason"]


def test_annuities_json(capsys: pytest.CaptureFixture[str]) -> None:
    data = run_json(capsys, "annuities", "--kind", "patent", "--filing", "2025-03-14")
    years = data["years"]
    assert [y["year"] for y in years] == list(range(3, 21))
    y5 = years[2]
    assert y5 == {
        "year": 5,
        "due": "2029-03-14",
        "grace_end": "2029-09-14",
        "amount": "171.50",
        "late_amount": "257.25",
        "basis": "BY.12, Annex BY.I",
        "with_grant_fee": False,
        "warnings": [],
    }
    assert data["years"][-1]["warnings"] == []  # year 20: nothing to confirm
    ext = run_json(capsys, "annuities", "--kind", "um", "--filing", "2025-03-14", "--extended")
    assert [y["year"] for y in ext["years"]] == list(range(1, 11))


def test_text_output_shows_source_and_shift_reason(capsys: pytest.CaptureFixture[str]) -> None:
    assert (
        main(["deadlines", "--priority", "2023-09-20", "--filing", "2024-09-20", "--lang", "en"])
        == 0
    )
    out = capsys.readouterr().out
    assert "Entry into the national phase" in out
    assert "Radunitsa" in out  # the reason the 20.04.2026 deadline moved to 22.04.2026
    assert main(["fees", "--lang", "en"]) == 0
    out = capsys.readouterr().out
    assert "Annex BY.I" in out and "24.50 BYN" in out


@pytest.mark.parametrize(
    ("argv", "fragment"),
    [
        (["deadlines", "--filing", "31.02.2024"], "31.02.2024"),
        (["deadlines", "--filing", "yesterday"], "yesterday"),
        (["deadlines", "--priority", "2025-03-15", "--filing", "2025-03-14"], "after"),
        (["fees", "--independent", "-1"], "-1"),
        (["fees", "--dependent", "1001"], "1001"),
        (["fees", "--kind", "trademark"], "trademark"),
        (["fees", "--independent", "abc"], "abc"),
        (["annuities", "--filing", "2024-02-30"], "2024-02-30"),
    ],
)
def test_bad_input_exits_2_with_one_sentence(
    capsys: pytest.CaptureFixture[str], argv: list[str], fragment: str
) -> None:
    assert main([*argv, "--lang", "en"]) == 2
    captured = capsys.readouterr()
    assert fragment in captured.err
    assert "Traceback" not in captured.err
    assert captured.err.count("\n") == 1


def test_late_filing_notes_priority_restoration(capsys: pytest.CaptureFixture[str]) -> None:
    data = run_json(capsys, "deadlines", "--priority", "2024-01-10", "--filing", "2025-02-10")
    assert any("49ter.2" in n for n in data["notes"])


def test_process_exit_status_and_no_traceback() -> None:
    env = {**os.environ, "LANG": "en_US.UTF-8"}
    bad = subprocess.run(
        [sys.executable, "-m", "pctby.cli", "fees", "--independent", "abc"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        check=False,
    )
    assert bad.returncode == 2 and "Traceback" not in bad.stderr
    ok = subprocess.run(
        [sys.executable, "-m", "pctby.cli", "deadlines", "--filing", "2025-03-14", "--json"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        check=False,
    )
    assert ok.returncode == 0, ok.stderr
    assert json.loads(ok.stdout)["deadlines"]


def offline_rates(monkeypatch: pytest.MonkeyPatch) -> None:
    """The NBRB API cannot be reached: only a cached rate can answer."""
    import httpx

    import core.rates

    def offline(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("offline", request=request)

    real = httpx.AsyncClient
    monkeypatch.setattr(
        core.rates.httpx,
        "AsyncClient",
        lambda **kw: real(**{**kw, "transport": httpx.MockTransport(offline)}),
    )


def cached_usd(path: Path, rate: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"USD": {"2026-11-20": ["1", rate]}}))


@pytest.mark.parametrize("where", ["PCTBY_RATES_CACHE in .env", "the bot's, next to PCTBY_DB"])
def test_the_cli_reads_the_rate_cache_the_bot_keeps(
    where: str,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    """Settings in ./.env count for `pctby fees --currency` as for `pctby run`; without
    PCTBY_RATES_CACHE the bot's cache next to the database is read (its daily refresh keeps it
    fresh), so a quote works offline where the bot runs."""
    for name in ("PCTBY_RATES_CACHE", "PCTBY_DB", "XDG_CACHE_HOME"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))  # the user's cache folder: empty
    monkeypatch.chdir(tmp_path)
    if where.startswith("PCTBY_RATES_CACHE"):
        cached_usd(tmp_path / "rates" / "nbrb.json", "3.0000")
        (tmp_path / ".env").write_text("PCTBY_RATES_CACHE=rates/nbrb.json\n")
    else:
        cached_usd(tmp_path / "var" / "nbrb-rates.json", "3.0000")
        (tmp_path / ".env").write_text("PCTBY_DB=var/pctby.sqlite3\n")
    offline_rates(monkeypatch)
    data = run_json(capsys, "fees", "--on", "2026-11-20", "--currency", "usd")
    (usd,) = data["equivalents"]
    assert (usd["rate"], usd["amount"]) == ("3.0000", "179.67")  # 539.00 BYN / 3
    assert not (tmp_path / "home").exists()


def test_fees_in_a_currency_uses_the_nbrb_rate(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Served from the recorded NBRB response; the network is never reached."""
    import httpx

    import core.rates

    fixtures = ROOT / "tests" / "fixtures" / "nbrb"

    def handler(request: httpx.Request) -> httpx.Response:
        currency = request.url.path.rsplit("/", 1)[-1]
        body = (fixtures / f"{currency}-{request.url.params['ondate']}.json").read_text()
        return httpx.Response(200, text=body)

    real = httpx.AsyncClient
    monkeypatch.setattr(
        core.rates.httpx,
        "AsyncClient",
        lambda **kw: real(**{**kw, "transport": httpx.MockTransport(handler)}),
    )
    monkeypatch.setenv("PCTBY_RATES_CACHE", str(tmp_path / "rates.json"))
    data = run_json(capsys, "fees", "--on", "2026-11-20", "--currency", "usd")
    (usd,) = data["equivalents"]
    assert (usd["currency"], usd["rate"], usd["rate_date"]) == ("USD", "2.9523", "2026-11-20")
    assert usd["amount"] == "182.57"  # 539.00 BYN / 2.9523

    def offline(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("offline", request=request)

    monkeypatch.setattr(
        core.rates.httpx,
        "AsyncClient",
        lambda **kw: real(**{**kw, "transport": httpx.MockTransport(offline)}),
    )
    assert main(["fees", "--on", "2026-11-23", "--currency", "USD", "--lang", "en"]) == 0
    out = capsys.readouterr().out
    assert "offline: the last known rate" in out and "182.57" in out
