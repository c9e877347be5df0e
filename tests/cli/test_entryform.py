"""`pctby entry-form DATA.toml --out FORM.docx`: the document written whole, or nothing and
exit status 2 with one sentence that names the field."""

from __future__ import annotations

from pathlib import Path

import pytest

from core.entryform import document_text
from pctby.cli import main

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "entry-form.toml"


def test_writes_the_form_from_the_example(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "request.docx"
    assert main(["entry-form", str(EXAMPLE), "--out", str(out), "--lang", "en"]) == 0
    said = capsys.readouterr().out
    assert f"Written {out}: the request of Annex BY.II." in said
    assert "continuation sheet" in said
    text = document_text(out.read_bytes())
    assert "Номер международной заявки: PCT/EP2024/061234" in text
    assert [p.name for p in tmp_path.iterdir()] == ["request.docx"]  # no temporary file left


def bad_data(tmp_path: Path, old: str, new: str) -> Path:
    source = EXAMPLE.read_text(encoding="utf-8")
    assert old in source
    path = tmp_path / "data.toml"
    path.write_text(source.replace(old, new, 1), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("old", "new", "sentence"),
    [
        (
            'country = "DE"',
            'country = "ZZ"',
            "The field “applicants[1].country” has “ZZ”, which is not a WIPO ST.3 country code "
            "(such as BY, DE or EP).",
        ),
        ('pct_number = "PCT/EP2024/061234"\n', "", "The field “pct_number” is missing."),
        (
            "publication_date = 2024-10-31",
            "publication_date = 2024-01-31",
            "The field “publication_date” (31.01.2024) is before the international filing date "
            "(22.04.2024).",
        ),
        (
            'wo_number = "WO 2024/223456"',
            'wo_number = "W0 2024/223456"',
            "The field “wo_number” has “W0 2024/223456”, which is not an international "
            "publication number like WO 2024/123456.",
        ),
        ('kind = "patent"', "kind = patent", "is not valid TOML"),
    ],
)
def test_bad_input_exits_2_and_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], old: str, new: str, sentence: str
) -> None:
    out = tmp_path / "request.docx"
    out.write_bytes(b"the previous version")
    data = bad_data(tmp_path, old, new)
    assert main(["entry-form", str(data), "--out", str(out), "--lang", "en"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert sentence in captured.err
    assert captured.err.count("\n") == 1
    assert out.read_bytes() == b"the previous version"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data.toml", "request.docx"]


def test_bad_input_in_russian(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = bad_data(tmp_path, 'country = "DE"', 'country = "ZZ"')
    code = main(["entry-form", str(data), "--out", str(tmp_path / "x.docx"), "--lang", "ru"])
    assert code == 2
    assert "Поле «applicants[1].country»" in capsys.readouterr().err
    assert not (tmp_path / "x.docx").exists()


def test_a_missing_data_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["entry-form", str(tmp_path / "none.toml"), "--out", str(tmp_path / "x.docx")])
    assert code == 2
    assert "none.toml" in capsys.readouterr().err


def test_a_stored_case_fills_what_the_file_leaves_out(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("PCTBY_DB", str(tmp_path / "pctby.sqlite3"))
    csv = tmp_path / "in.csv"
    csv.write_text(
        "ref;kind;filing_date;title;wo_number;publication_date\n"
        "PCT/EP2024/061234;patent;22.04.2024;Способ очистки;WO2024/223456;31.10.2024\n",
        encoding="utf-8",
    )
    assert main(["import", str(csv), "--user", "7"]) == 0
    data = tmp_path / "data.toml"
    data.write_text(
        "[[applicants]]\n"
        'name = "Aqua Clean GmbH"\naddress = "Berlin"\ncountry = "DE"\n'
        '[[inventors]]\nname = "Jan Kowalski"\naddress = "Warszawa"\n'
        '[basis]\ndescription = "original"\nclaims = "original"\n',
        encoding="utf-8",
    )
    out = tmp_path / "form.docx"
    capsys.readouterr()
    args = ["entry-form", str(data), "--out", str(out), "--lang", "en"]
    assert main([*args, "--user", "7", "--case", "pct/ep2024/061234"]) == 0
    said = capsys.readouterr().out
    assert (
        "Taken from case PCT/EP2024/061234: kind, filing_date, pct_number, title, wo_number, "
        "publication_date." in said
    )
    text = document_text(out.read_bytes())
    assert "Номер международной заявки: PCT/EP2024/061234" in text
    assert "WO 2024/223456 | Дата публикации международной заявки: 31.10.2024" in text
    assert "описании изобретения: Способ очистки" in text

    assert main([*args, "--case", "PCT/EP2024/061234"]) == 2
    assert "Give --user and --case together." in capsys.readouterr().err
    assert main([*args, "--user", "8", "--case", "PCT/EP2024/061234"]) == 2
    assert "User 8 has no case “PCT/EP2024/061234”." in capsys.readouterr().err


def test_control_characters_in_the_data_are_left_out_of_the_document(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A title or an address pasted with control characters (ESC, SOH, U+FFFE, a NUL) used to
    stop lxml ("All strings must be XML compatible") with a traceback and exit status 1."""
    source = EXAMPLE.read_text(encoding="utf-8")
    source = source.replace(
        'title = "Способ очистки', 'title = "\\u001b[1mСпособ\\u0001 \\uFFFE\\u0000очистки'
    ).replace('address = "Hauptstraße 5', 'address = "Haupt\\u0007straße 5\\u000b')
    data = tmp_path / "data.toml"
    data.write_text(source, encoding="utf-8")
    out = tmp_path / "request.docx"
    assert main(["entry-form", str(data), "--out", str(out), "--lang", "en"]) == 0
    assert "Written" in capsys.readouterr().out
    text = document_text(out.read_bytes())
    assert "[1mСпособ очистки сточных вод" in text
    assert "Hauptstraße 5, 10115 Berlin" in text
