"""The chat's entry form as a flow (core/entryform/flow.py), without Telegram: the questions in
the form's order, what a typed answer or a choice does to the request, what the finished form
saves to its case."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from core.entryform import flow as engine
from core.entryform import parse_request
from core.entryform.answers import Remembered
from core.entryform.flow import Added, Missing, Next, UseButtons
from core.errors import InputError
from core.models import Kind
from core.storage import Case


def case(ref: str = "PCT/EP2024/061234", title: str = "", kind: Kind = Kind.PATENT) -> Case:
    at = dt.datetime(2026, 1, 5, 9, 0, tzinfo=dt.UTC)
    return Case(
        id=7,
        owner_id=1,
        ref=ref,
        kind=kind,
        filing=dt.date(2024, 4, 22),
        priority=dt.date(2024, 3, 15),
        title=title,
        natural_person=False,
        muted=False,
        alert_state={},
        created_at=at,
        updated_at=at,
    )


def started(**kwargs: Any) -> dict[str, Any]:
    remembered = kwargs.pop("remembered", Remembered())
    flow = engine.start(case(**kwargs), remembered)
    engine.advance(flow)
    return flow


def test_the_case_answers_what_it_knows_and_the_questions_follow_the_form() -> None:
    flow = started()
    assert flow["data"]["pct_number"] == "PCT/EP2024/061234"
    assert flow["data"]["filing_date"] == "2024-04-22"
    assert flow["step"] == "title"  # the PCT number came from the reference
    asked = [flow["step"]]
    while (step := engine.advance(flow)) is not None:
        asked.append(step)
    assert asked == [
        "title",
        "wo_number",
        "publication_date",
        "applicants",
        "inventors",
        "representative",
        "correspondence_address",
        "early_start",
        "basis",
        "amended_on_entry",
        "attachments",
    ]


def test_a_reference_that_is_no_pct_number_is_asked_for() -> None:
    flow = started(ref="A-1")
    assert flow["step"] == "pct_number"
    with pytest.raises(InputError) as err:
        engine.answer(flow, "A-1")
    assert "is not an international application number" in str(err.value)
    assert isinstance(engine.answer(flow, "pct/ib2025/050123"), Next)
    assert flow["data"]["pct_number"] == "PCT/IB2025/050123"


def test_an_answer_that_breaks_the_request_leaves_the_flow_as_it_was() -> None:
    flow = started()
    engine.advance(flow)  # wo_number
    engine.answer(flow, "WO 2024/223456")
    engine.advance(flow)
    before = dict(flow["data"])
    with pytest.raises(InputError) as err:
        engine.answer(flow, "1.4.2024")  # before the filing date
    assert "publication_date" in str(err.value)
    assert flow["data"] == before


def test_a_different_title_is_saved_to_the_case_only_if_the_user_says_so() -> None:
    flow = started(title="Old title")
    assert flow["step"] == "title"
    assert engine.offer(flow, "title") == "Old title"  # "On the case: …", one tap
    engine.answer(flow, "New  title")
    assert engine.advance(flow) == "title_case"
    assert engine.case_details(flow) is None  # not said yet: the case's title stays
    flow["title_replace"] = True
    details = engine.case_details(flow)
    assert details is not None
    assert (details.title, details.replacing) == ("New title", "Old title")


def test_the_basis_part_by_part() -> None:
    flow = started()
    flow["step"] = "basis"
    assert engine.each_part(flow) == "description"
    assert engine.part_basis(flow, "description", "original") == "claims"
    assert engine.part_basis(flow, "claims", "art19") == "drawings"
    assert engine.part_basis(flow, "drawings", "none") is None
    assert flow["data"]["basis"] == {"description": "original", "claims": "art19"}
    with pytest.raises(InputError):
        engine.part_basis(flow, "description", "art19")
    assert parse_request(flow["data"]).basis.drawings is None


def test_buttons_only_questions_say_so() -> None:
    flow = started()
    flow["step"] = "basis"
    assert isinstance(engine.answer(flow, "as filed"), UseButtons)


def test_remembered_answers_are_offered_and_taken_with_the_representatives_role() -> None:
    remembered = Remembered.model_validate(
        {
            "representative": {"name": "Иванова А. С."},
            "representative_is": "patent_attorney",
        }
    )
    flow = started(remembered=remembered)
    flow["step"] = "representative"
    assert engine.summary("representative", engine.offer(flow, "representative")) == (
        "Иванова А. С."
    )
    assert engine.use_offer(flow)
    assert flow["data"]["representative_is"] == "patent_attorney"
    assert engine.advance(flow) == "correspondence_address"  # the role is known: not asked
    assert not engine.use_offer(flow)  # nothing remembered for it


def test_people_are_added_one_per_answer() -> None:
    flow = started()
    flow["step"] = "applicants"
    reply = engine.answer(flow, "Aqua Clean GmbH\nHauptstraße 5, Berlin\nde\nip@aqua.example")
    assert reply == Added("applicants", 1, "Aqua Clean GmbH")
    assert flow["data"]["applicants"] == [
        {
            "name": "Aqua Clean GmbH",
            "address": "Hauptstraße 5, Berlin",
            "country": "DE",
            "email": "ip@aqua.example",
        }
    ]


def test_the_file_is_named_after_the_reference() -> None:
    assert engine.file_name("PCT/EP2024/061234") == "entry-request-PCT-EP2024-061234.docx"
    assert engine.file_name("///") == "entry-request-case.docx"


AQUAPUR = "ООО «Аквапур»; 220030, г. Минск, ул. Ленина, 1; BY; +375 17 123 45 67"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            AQUAPUR,
            {
                "name": "ООО «Аквапур»",
                "address": "220030, г. Минск, ул. Ленина, 1",
                "country": "BY",
                "phone": "+375 17 123 45 67",
            },
        ),
        (
            "Aqua Clean GmbH\nHauptstraße 5,  Berlin\nde\nip@aqua.example; fax +49 30 1234568",
            {
                "name": "Aqua Clean GmbH",
                "address": "Hauptstraße 5, Berlin",
                "country": "DE",
                "email": "ip@aqua.example",
                "fax": "+49 30 1234568",
            },
        ),
        # no country: left out, to be asked (never taken from "Minsk" or the phone's +375)
        (
            "Belvodtech; Minsk; +375 17 2000000",
            {"name": "Belvodtech", "address": "Minsk", "phone": "+375 17 2000000"},
        ),
        (
            "Belvodtech; Minsk;; +375 17 2000000; +375 29 1234567",
            {"name": "Belvodtech", "address": "Minsk", "phone": "+375 17 2000000, +375 29 1234567"},
        ),
        ("Belvodtech;; BY", {"name": "Belvodtech", "country": "BY"}),
        ("Belvodtech;", {"name": "Belvodtech"}),
        ("A\x01cme\x1b; Minsk\ufffe; BY", {"name": "Acme", "address": "Minsk", "country": "BY"}),
    ],
)
def test_an_applicant_in_parts(text: str, expected: dict[str, str]) -> None:
    assert engine.parse_person(text, applicant=True) == expected


@pytest.mark.parametrize(
    ("text", "applicant", "message"),
    [
        ("Aqua; Berlin; Germany", True, "The third part, “Germany”, is not a WIPO ST.3"),
        ("Aqua; Berlin; DE; call me", True, "“call me” is neither a phone number nor an e-mail"),
        ("Aqua; Berlin; DE; ip@aqua", True, "“ip@aqua” is not an e-mail address."),
        ("; Berlin; DE", True, "Please send the name, the address and the country code"),
        ("Hans; Berlin; DE; +49 30 1", False, "“+49 30 1” is one part too many."),
        ("Hans; Berlin; +49 30 1234567", False, "The third part, “+49 30 1234567”, is not"),
    ],
)
def test_a_wrong_part_is_named(text: str, applicant: bool, message: str) -> None:
    with pytest.raises(InputError) as err:
        engine.parse_person(text, applicant=applicant)
    assert message in str(err.value)


def test_a_missing_part_is_asked_for_then_the_person_is_added() -> None:
    flow = started()
    flow["step"] = "applicants"
    assert engine.answer(flow, "Belvodtech") == Missing("applicants", 1, "Belvodtech", "address")
    with pytest.raises(InputError):
        engine.answer(flow, "   ")
    assert engine.answer(flow, "Minsk") == Missing("applicants", 1, "Belvodtech", "country")
    before = dict(flow["data"])
    with pytest.raises(InputError) as err:
        engine.answer(flow, "Belarus")
    assert "“Belarus” is not a WIPO ST.3 country code" in str(err.value)
    assert flow["data"] == before
    assert engine.answer(flow, "by") == Added("applicants", 1, "Belvodtech")
    assert "pending" not in flow
    assert flow["data"]["applicants"] == [
        {"name": "Belvodtech", "address": "Minsk", "country": "BY"}
    ]
    # an inventor needs an address, not a country
    flow["step"] = "inventors"
    assert engine.answer(flow, "Jan Kowalski") == Missing("inventors", 1, "Jan Kowalski", "address")
    assert engine.answer(flow, "Warszawa") == Added("inventors", 1, "Jan Kowalski")


def test_done_waits_for_the_missing_part_and_skip_leaves_the_person_out() -> None:
    flow = started()
    flow["step"] = "applicants"
    engine.answer(flow, AQUAPUR)
    engine.answer(flow, "Belvodtech; Minsk")
    assert engine.done(flow) == Missing("applicants", 2, "Belvodtech", "country")
    engine.skip(flow)
    assert [a["name"] for a in flow["data"]["applicants"]] == ["ООО «Аквапур»"]
    assert "pending" not in flow


def test_remembered_people_missing_a_part_are_asked_for_it() -> None:
    """Answers an older version remembered whole in the name (no address, no country) are
    completed before they go on the form: the CLI rejected them."""
    remembered = Remembered.model_validate({"applicants": [{"name": AQUAPUR}]})
    flow = started(remembered=remembered)
    flow["step"] = "applicants"
    assert engine.use_offer(flow) == Missing("applicants", 1, AQUAPUR, "address")
    assert engine.answer(flow, "220030, г. Минск") == Missing("applicants", 1, AQUAPUR, "country")
    assert engine.answer(flow, "BY") == Next()


def test_attachments_early_start_and_amended_parts() -> None:
    flow = started()
    flow["step"] = "early_start"
    with pytest.raises(InputError):
        engine.answer(flow, "1.1.2024")  # before the filing date
    assert engine.answer(flow, "01.12.2026") == Next()
    assert flow["data"]["early_start"] == "2026-12-01"
    engine.early_start(flow, True)
    assert flow["data"]["early_start"] is True
    flow["step"] = "amended_on_entry"
    engine.toggle_amended(flow, "drawings")
    engine.toggle_amended(flow, "claims")
    engine.toggle_amended(flow, "drawings")
    assert flow["data"]["amended_on_entry"] == ["claims"]
    flow["step"] = "attachments"
    assert engine.answer(flow, "Перевод; 24; 2") == Added("attachments", 1, "Перевод")
    assert engine.answer(flow, "Платёжный документ") == Added(
        "attachments", 2, "Платёжный документ"
    )
    for bad, message in (
        ("X; 0", "The number of sheets, “0”, is not a whole number from 1 to 100000."),
        ("X; 1; 101", "The number of copies, “101”, is not a whole number from 1 to 100."),
        ("X; 1; 2; 3", "“3” is one part too many."),
    ):
        with pytest.raises(InputError) as err:
            engine.answer(flow, bad)
        assert message in str(err.value)
    request = parse_request(flow["data"])
    assert [(a.name, a.sheets, a.copies) for a in request.attachments] == [
        ("Перевод", 24, 2),
        ("Платёжный документ", None, None),
    ]
    assert request.early_start is True and [p.value for p in request.amended_on_entry] == ["claims"]
