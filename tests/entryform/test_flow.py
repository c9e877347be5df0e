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
from core.entryform.flow import Added, Next, UseButtons
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
        "basis",
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
