"""The command line's wordings in ru, be and en: "некорректный TOML" (one word), the payment
details answered without the schedule-age warning (they state no amount), rule citations and
dates in the reader's language."""

from __future__ import annotations

from pathlib import Path

import pytest

from pctby.cli import main


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("ru", "— некорректный TOML:"),
        ("be", "— некарэктны TOML:"),
        ("en", "is not valid TOML:"),
    ],
)
def test_a_bad_toml_file_is_said_to_be_not_valid(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], lang: str, expected: str
) -> None:
    data = tmp_path / "form.toml"
    data.write_text("title = [unclosed\n", encoding="utf-8")
    argv = ["entry-form", str(data), "--out", str(tmp_path / "f.docx"), "--lang", lang]
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert expected in err
    assert "не корректный" not in err and "не карэктны" not in err


@pytest.mark.parametrize(
    ("lang", "question"),
    [
        ("ru", "реквизиты для оплаты пошлин"),
        ("be", "рэквізіты для аплаты пошлін"),
        ("en", "bank details to pay the fees"),
    ],
)
def test_ask_payment_details_carries_no_amounts_warning(
    capsys: pytest.CaptureFixture[str], lang: str, question: str
) -> None:
    assert main(["ask", "--lang", lang, question]) == 0
    out = capsys.readouterr().out
    assert "BY04AKBB3603900000082" in out
    assert "2018" not in out


@pytest.mark.parametrize(
    ("lang", "cited"),
    [("ru", "ст. 22(3), 39(1)(b) PCT"), ("be", "арт. 22(3), 39(1)(b) PCT")],
)
def test_deadlines_cite_the_rules_in_the_readers_language(
    capsys: pytest.CaptureFixture[str], lang: str, cited: str
) -> None:
    assert main(["deadlines", "--filing", "2025-03-09", "--lang", lang]) == 0
    out = capsys.readouterr().out
    assert cited in out
    assert "PCT Art." not in out and "Summary" not in out and "footnote" not in out
