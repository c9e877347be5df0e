"""`Reminders.update_case_details`: what the entry form saves to a case, in one unit of work."""

from __future__ import annotations

import datetime as dt

import pytest

from core.errors import InputError
from core.models import Kind
from core.reminders import Reminders
from core.storage import CaseInput, Store

A, B = 1, 2
FILED = dt.date(2024, 4, 22)


async def new_case(rem: Reminders, title: str = "") -> int:
    case, _ = await rem.save_case(A, CaseInput("P-1", Kind.PATENT, FILED, title=title))
    return case.id


async def test_a_title_replaces_only_the_title_the_user_saw(store: Store) -> None:
    rem = Reminders(store)
    case_id = await new_case(rem, "Widget")
    kept = await rem.update_case_details(A, case_id, title="Filter", replacing="")
    assert kept is not None and kept.saved == () and kept.title_kept
    assert kept.case.title == "Widget"
    done = await rem.update_case_details(
        A, case_id, title=" Water\u200b  filter ", replacing="Widget"
    )
    assert done is not None and done.saved == ("title",) and done.case.title == "Water filter"
    with pytest.raises(InputError):
        await rem.update_case_details(A, case_id, title="x" * 501)


async def test_the_publication_is_checked_and_the_newer_answer_wins(store: Store) -> None:
    rem = Reminders(store)
    case_id = await new_case(rem)
    both = await rem.update_case_details(
        A, case_id, wo_number="wo2024223456", publication_date=dt.date(2024, 10, 31)
    )
    assert both is not None and both.saved == ("wo_number", "publication_date")
    assert (both.case.wo_number, both.case.publication_date) == (
        "WO 2024/223456",
        dt.date(2024, 10, 31),
    )
    # a WO number of another year: the stored date (2024) contradicts it and goes
    newer = await rem.update_case_details(A, case_id, wo_number="WO 2025/000001")
    assert newer is not None and newer.saved == ("wo_number",)
    assert newer.cleared == ("publication_date",)
    assert (newer.case.wo_number, newer.case.publication_date) == ("WO 2025/000001", None)
    with pytest.raises(InputError, match="before the international filing date"):
        await rem.update_case_details(A, case_id, publication_date=dt.date(2024, 1, 1))
    with pytest.raises(InputError, match="year of publication"):
        await rem.update_case_details(
            A, case_id, wo_number="WO 2024/000001", publication_date=dt.date(2025, 1, 9)
        )
    same = await rem.update_case_details(A, case_id, wo_number="WO 2025/000001")
    assert same is not None and same.saved == () and same.cleared == ()


async def test_another_users_case_is_not_found(store: Store) -> None:
    rem = Reminders(store)
    case_id = await new_case(rem)
    assert await rem.update_case_details(B, case_id, title="Mine", wo_number="WO 2024/1") is None
    async with store.transaction() as tx:
        case = await tx.cases.get(A, case_id)
    assert case is not None and (case.title, case.wo_number) == ("", None)
