"""The national-phase entry request (Annex BY.II / BY.III, seed `pct-applicants-guide-BY.txt`,
BY.01 and BY.19): every field of DATA.toml found in the document's text, check boxes as the
basis says, dates as dd.mm.yyyy, continuation sheets, and golden copies of the whole text."""

from __future__ import annotations

import copy
import datetime as dt
import fnmatch
import os
import tomllib
from importlib import resources
from pathlib import Path
from typing import Any

import pytest

from core.entryform import (
    APPLICANTS_ON_FORM,
    INVENTORS_ON_FORM,
    check_complete,
    document_text,
    parse_request,
    render,
)
from core.entryform.document import PAGE_BREAK, labels
from core.errors import InputError
from core.models import Kind

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "entry-form.toml"
GOLDEN = ROOT / "tests" / "fixtures" / "entryform"
# The Guide as the forms were copied from (Annexes BY.II, BY.III; docs/sources/README.md)
SEED = ROOT / "docs" / "sources" / "pct-applicants-guide-BY.txt"


def example() -> dict[str, Any]:
    with EXAMPLE.open("rb") as fh:
        return tomllib.load(fh)


def text_of(data: dict[str, Any]) -> str:
    request = parse_request(data)
    check_complete(request)
    return document_text(render(request))


def line_of(text: str, start: str) -> str:
    """The one line of the document that starts with `start`."""
    found = [line for line in text.splitlines() if line.startswith(start)]
    assert len(found) == 1, (start, found)
    return found[0]


def assert_bad(data: dict[str, Any], field: str, fragment: str = "") -> None:
    with pytest.raises(InputError) as caught:
        check_complete(parse_request(data))
    message = str(caught.value)
    assert f"“{field}”" in message, message
    assert fragment in message, message


# -- both forms, every field ----------------------------------------------------------------


def test_the_patent_form_carries_every_field_of_the_example() -> None:
    data = example()
    text = text_of(data)
    assert "Название заявляемого изобретения (группы изобретений)" in text
    assert "Номер международной заявки: PCT/EP2024/061234" in text
    assert "Дата подачи международной заявки: 22.04.2024" in text
    assert "Номер публикации международной заявки: WO 2024/223456" in text
    assert "Дата публикации международной заявки: 31.10.2024" in text
    assert data["title"] in text
    for applicant in data["applicants"]:
        for key, value in applicant.items():
            assert value in text, (key, value)
    for inventor in data["inventors"]:
        assert inventor["name"] in text
        assert f"{inventor['address']}, {inventor['country']}" in text
    assert data["representative"] in text
    assert data["correspondence_address"] in text
    for item in data["attachments"]:
        assert f"{item['name']} | {item['sheets']} | {item['copies']}" in text
    assert "является: ☒ патентным поверенным; ☐ общим представителем" in text


def test_the_utility_model_form_has_the_wording_of_annex_by_iii() -> None:
    data = example() | {"kind": "utility-model"}
    text = text_of(data)
    assert "Название заявляемой полезной модели (группы полезных моделей)" in text
    assert line_of(text, "описания полезной модели:").startswith(
        "описания полезной модели: | ☒ первоначально поданного;"
    )
    assert "изменений, сделанных при переводе" in text
    assert "изобретения" not in text.replace("Название заявляемого изобретения", "")


@pytest.mark.parametrize("kind", [Kind.PATENT, Kind.UTILITY_MODEL])
def test_the_form_follows_the_seed_in_its_order(kind: Kind) -> None:
    """The labels appear in the document in the order the seed's form lists them."""
    t = labels(kind)
    text = text_of(example() | {"kind": kind.value})
    keys = [
        "received",
        "heading",
        "pct_number",
        "filing_date",
        "wo_number",
        "publication_date",
        "title",
        "applicants",
        "applicant_address",
        "applicant_country",
        "phone",
        "fax",
        "email",
        "continued",
        "okpo",
        "unp",
        "parent_org",
        "petition",
        "early_start",
        "early_from_receipt",
        "correspondence",
        "representative",
        "representative_is",
        "basis",
        "description",
        "claims",
        "drawings",
        "amended",
        "attachments",
        "sheets",
        "copies",
        "inventors",
        "inventor_address",
        "signature",
        "signed_on",
    ]
    positions = [text.index(t[key].split("{")[0]) for key in keys]
    assert positions == sorted(positions)


@pytest.mark.parametrize(("kind", "marker"), [(Kind.PATENT, 0), (Kind.UTILITY_MODEL, 1)])
def test_the_wording_is_the_seeds(kind: Kind, marker: int) -> None:
    """Each label is in the seed's copy of the form (but for the mended artefacts)."""
    seed = SEED.read_text(encoding="utf-8")
    marker_text = "Дата поступления*:"
    forms = seed.split(marker_text)
    form = " ".join((marker_text + forms[1 + marker]).split())
    form = form.replace("первоначальн о", "первоначально")
    t = labels(kind)
    mended = {"description_art34", "drawings_art34", "footnotes"}
    own = {"annex", "early_from_date", "sheet_heading", "sheet_applicants", "sheet_applicant"}
    for key, value in t.items():
        if key in mended | own or key.startswith("sheet_"):
            continue
        assert " ".join(value.split()) in form, key


# -- check boxes ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("part", "choice", "expected"),
    [
        ("description", "original", "описания изобретения: | ☒ первоначально поданного; | ☐"),
        ("description", "art34", "описания изобретения: | ☐ первоначально поданного; | ☒"),
        ("claims", "original", "формулы изобретения: | ☒ первоначально поданной; | ☐ измен"),
        (
            "claims",
            "art19",
            "формулы изобретения: | ☐ первоначально поданной; | ☒ измененной в соответствии "
            "со статьей 19 РСТ; | ☐",
        ),
        (
            "claims",
            "art34",
            "формулы изобретения: | ☐ первоначально поданной; | ☐ измененной в соответствии "
            "со статьей 19 РСТ; | ☒",
        ),
        ("drawings", "original", "чертежей: | ☒ первоначально поданных; | ☐"),
        ("drawings", "art34", "чертежей: | ☐ первоначально поданных; | ☒"),
    ],
)
def test_basis_check_boxes(part: str, choice: str, expected: str) -> None:
    data = example()
    data["basis"] = {"description": "original", "claims": "original"} | {part: choice}
    if part != "drawings":
        data["basis"].pop("drawings", None)
    text = text_of(data)
    start = {"description": "описания", "claims": "формулы", "drawings": "чертежей"}[part]
    line = line_of(text, start)
    assert line.startswith(expected), line
    assert line.count("☒") == 1


def test_no_drawings_leaves_their_boxes_empty() -> None:
    data = example()
    del data["basis"]["drawings"]
    assert "☒" not in line_of(text_of(data), "чертежей:")


@pytest.mark.parametrize(
    ("amended", "expected"),
    [
        ([], "☐ описания изобретения; | ☐ формулы изобретения; | ☐ чертежей"),
        (["claims"], "☐ описания изобретения; | ☒ формулы изобретения; | ☐ чертежей"),
        (
            ["description", "drawings"],
            "☒ описания изобретения; | ☐ формулы изобретения; | ☒ чертежей",
        ),
    ],
)
def test_amended_on_entry_boxes(amended: list[str], expected: str) -> None:
    line = line_of(text_of(example() | {"amended_on_entry": amended}), "изменений, внесенных")
    assert line.endswith(expected), line


@pytest.mark.parametrize(
    ("early", "first", "receipt", "dated"),
    [
        (False, "☐", "☐", "☐ с _____ (указать дату)"),
        (True, "☒", "☒", "☐ с _____ (указать дату)"),
        (dt.date(2025, 10, 1), "☒", "☐", "☒ с 01.10.2025 (указать дату)"),
        ("5.1.2026", "☒", "☐", "☒ с 05.01.2026 (указать дату)"),
    ],
)
def test_early_start_boxes(early: Any, first: str, receipt: str, dated: str) -> None:
    text = text_of(example() | {"early_start": early})
    line = line_of(text, f"{first} о более раннем начале")
    assert line.endswith(
        f"{receipt} с даты получения документов, прилагаемых к настоящему заявлению"
    )
    assert f" | {dated}" in text


def test_common_representative_box() -> None:
    text = text_of(example() | {"representative_is": "common_representative"})
    assert "является: ☐ патентным поверенным; ☒ общим представителем" in text


# -- continuation sheets ----------------------------------------------------------------------


def test_one_applicant_and_few_inventors_fit_on_the_form() -> None:
    data = example()
    data["applicants"] = data["applicants"][:APPLICANTS_ON_FORM]
    text = text_of(data)
    assert PAGE_BREAK not in text
    assert "ДОПОЛНИТЕЛЬНЫЙ ЛИСТ" not in text
    assert text.count("☐ смотреть продолжение на дополнительном листе (листах)") == 2


def test_overflowing_applicants_and_inventors_go_to_a_continuation_sheet() -> None:
    data = example()
    people = [
        {"name": f"Изобретатель {n}", "address": f"г. Минск, ул. Ленина, {n}", "country": "BY"}
        for n in range(1, INVENTORS_ON_FORM + 3)
    ]
    data["inventors"] = people
    text = text_of(data)
    form, sheet = text.split(PAGE_BREAK)
    assert form.count("☒ смотреть продолжение на дополнительном листе (листах)") == 2
    assert (
        "ДОПОЛНИТЕЛЬНЫЙ ЛИСТ к заявлению о переводе международной заявки PCT/EP2024/061234" in sheet
    )
    # the second applicant only on the sheet, with its ОКПО/УНП
    assert "Открытое акционерное общество «Белводтех»" not in form
    assert "Заявитель 2: Открытое акционерное общество «Белводтех»" in sheet
    assert "ОКПО*** 12345678 | УНП*** 190123456" in sheet
    for n, person in enumerate(people, start=1):
        where, other = (form, sheet) if n <= INVENTORS_ON_FORM else (sheet, form)
        assert f"{person['name']} | {person['address']}, BY" in where
        assert person["name"] not in other


# -- bad input --------------------------------------------------------------------------------


def _without(data: dict[str, Any], *path: Any) -> dict[str, Any]:
    out = copy.deepcopy(data)
    target = out
    for key in path[:-1]:
        target = target[key]
    del target[path[-1]]
    return out


def _with(data: dict[str, Any], value: Any, *path: Any) -> dict[str, Any]:
    out = copy.deepcopy(data)
    target = out
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    return out


@pytest.mark.parametrize(
    ("change", "field", "fragment"),
    [
        (lambda d: _without(d, "kind"), "kind", "missing"),
        (lambda d: _without(d, "pct_number"), "pct_number", "missing"),
        (lambda d: _without(d, "filing_date"), "filing_date", "missing"),
        (lambda d: _without(d, "title"), "title", "missing"),
        (lambda d: _without(d, "applicants"), "applicants", "missing"),
        (lambda d: _without(d, "applicants", 1, "name"), "applicants[2].name", "missing"),
        (lambda d: _without(d, "applicants", 0, "country"), "applicants[1].country", "missing"),
        (lambda d: _without(d, "inventors"), "inventors", "missing"),
        (lambda d: _without(d, "basis", "claims"), "basis.claims", "missing"),
        (lambda d: _without(d, "representative_is"), "representative_is", "missing"),
        (lambda d: _with(d, "XZ", "applicants", 1, "country"), "applicants[2].country", "ST.3"),
        (lambda d: _with(d, "Germany", "inventors", 0, "country"), "inventors[1].country", "ST.3"),
        (lambda d: _with(d, "2024/223456", "wo_number"), "wo_number", "WO 2024/123456"),
        (lambda d: _with(d, "WO 24/123", "wo_number"), "wo_number", "WO 2024/123456"),
        (lambda d: _with(d, "WO 2023/223456", "wo_number"), "wo_number", "year of publication"),
        (lambda d: _with(d, "PCT/ZZ2024/061234", "pct_number"), "pct_number", "PCT/IB2024"),
        (lambda d: _with(d, "2024/061234", "pct_number"), "pct_number", "PCT/IB2024"),
        (
            lambda d: _with(d, dt.date(2024, 4, 1), "publication_date"),
            "publication_date",
            "(01.04.2024) is before the international filing date (22.04.2024)",
        ),
        (
            lambda d: _with(d, "1.1.2024", "early_start"),
            "early_start",
            "before the international filing date",
        ),
        (lambda d: _with(d, "31.02.2024", "filing_date"), "filing_date", "not a date"),
        (lambda d: _with(d, "yes", "early_start"), "early_start", "not a date"),
        (lambda d: _with(d, "invention", "kind"), "kind", "patent, utility-model"),
        (lambda d: _with(d, "art19", "basis", "description"), "basis.description", "Article 19"),
        (lambda d: _with(d, "amended", "basis", "claims"), "basis.claims", "original, art19"),
        (lambda d: _with(d, "agent", "representative_is"), "representative_is", "patent_attorney"),
        (lambda d: _with(d, ["abstract"], "amended_on_entry"), "amended_on_entry[1]", "claims"),
        (lambda d: _with(d, 0, "attachments", 0, "copies"), "attachments[1].copies", "1 to 100"),
        (lambda d: _with(d, "x", "titel"), "titel", "no field"),
        (lambda d: _with(d, "x", "applicants", 0, "adress"), "applicants[1].adress", "no field"),
    ],
)
def test_bad_input_names_the_field(change: Any, field: str, fragment: str) -> None:
    assert_bad(change(example()), field, fragment)


def test_numbers_are_read_in_their_usual_spellings() -> None:
    request = parse_request(
        example() | {"pct_number": "pct/ep2024/061234", "wo_number": "WO2024223456 A1"}
    )
    assert request.pct_number == "PCT/EP2024/061234"
    assert request.wo_number == "WO 2024/223456"
    request = parse_request(example() | {"applicants": [{"name": "X", "country": "ep"}]})
    assert request.applicants[0].country == "EP"


# -- golden copies of the text ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "name"), [("patent", "by-ii.txt"), ("utility-model", "by-iii.txt")]
)
def test_golden_text(kind: str, name: str) -> None:
    """The whole text of the example's document; after a deliberate change of the form, write
    the new copies with PCTBY_UPDATE_GOLDEN=1 and read the diff."""
    text = text_of(example() | {"kind": kind}) + "\n"
    golden = GOLDEN / name
    if os.environ.get("PCTBY_UPDATE_GOLDEN"):
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(text, encoding="utf-8")
    assert text == golden.read_text(encoding="utf-8")


# -- the wording ships with the package -------------------------------------------------------


def test_the_forms_are_package_data() -> None:
    with (ROOT / "pyproject.toml").open("rb") as fh:
        patterns = tomllib.load(fh)["tool"]["setuptools"]["package-data"]
    for name in ("by_ii.toml", "by_iii.toml"):
        assert resources.files("core.entryform").joinpath(name).is_file()
        assert any(
            fnmatch.fnmatch(name, p)
            for key in ("*", "core.entryform")
            for p in patterns.get(key, ())
        )
