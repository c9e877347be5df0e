"""`pctby ask`: in-process through pctby.cli.main, and once as a real process."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from pctby.cli import main


def ask(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(["ask", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_json_answer_in_the_requested_language(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = ask(capsys, "--lang", "ru", "--json", "What", "is", "the", "grant", "fee?")
    data = json.loads(out)
    assert code == 0
    assert data["topic"] == "grant_fee"
    assert 0.3 <= data["score"] <= 1.0
    assert "245 BYN" in data["answer"] and "Основание: BY.10" in data["answer"]
    assert data["calculator"] == ["/fees", "/deadlines"]
    assert data["candidates"][0]["topic"] == "grant_fee"


def test_json_without_a_confident_topic(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = ask(capsys, "--json", "--lang", "en", "what's the weather in Minsk")
    data = json.loads(out)
    assert code == 0
    assert data["topic"] is None and data["answer"] is None and data["html"] is None
    assert data["outside"] == "everyday" and data["outcome"] == "none"
    assert data["candidates"] == []  # no topics offered for the weather


def test_text_output_is_readable(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = ask(capsys, "--lang", "be", "Колькі", "каштуе", "карысная", "мадэль?")
    assert code == 0
    assert out.startswith("Пошліны: карысная мадэль\n")
    assert "245" in out and "Падстава:" in out
    assert "<b>" not in out


def test_text_output_offers_closest_topics(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = ask(capsys, "--lang", "en", "my application")
    assert code == 0
    assert out.startswith("No FAQ topic matches your question confidently.")
    assert "Closest topics:\n  1. " in out


def test_language_from_the_environment(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    for var in ("LC_ALL", "LC_MESSAGES", "LANGUAGE"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("LANG", "be_BY.UTF-8")
    _, out, _ = ask(capsys, "--json", "phone number of the office")
    data = json.loads(out)
    assert data["lang"] == "be" and "Падстава" in data["answer"]
    monkeypatch.setenv("LANG", "C.UTF-8")
    _, out, _ = ask(capsys, "--json", "phone number of the office")
    assert json.loads(out)["lang"] == "en"


@pytest.mark.parametrize("argv", [[], ["   "], ["--json", ""]])
def test_empty_question_is_bad_input(capsys: pytest.CaptureFixture[str], argv: list[str]) -> None:
    code, out, err = ask(capsys, "--lang", "en", *argv)
    assert code == 2
    assert out == ""
    assert err.startswith("pctby: The question is empty") and err.count("\n") == 1


def test_bad_language_is_rejected(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["ask", "--lang", "de", "fees"])
    assert exc.value.code == 2


def test_as_a_process() -> None:
    env = {**os.environ, "LANG": "ru_RU.UTF-8", "LC_ALL": ""}
    proc = subprocess.run(
        [sys.executable, "-m", "pctby.cli", "ask", "--json", "Телефон для консультаций?"],
        capture_output=True,
        text=True,
        env=env,
        timeout=30,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert data["topic"] == "contacts" and "+375 17 272 97 14" in data["answer"]
