"""Fee schedules as data: validation of a staff document, the diff, installing one and the
schedule in force on a payment date (docs/RULES.md §3)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest

from core.fee_schedules import check, install_document, restore
from core.fees import quote_item
from core.models import Kind
from core.schedule import (
    ScheduleProblems,
    install_documents,
    parse_schedule,
    schedule_for,
    uninstall_all,
)
from core.storage import Store

NEW = (Path(__file__).parents[1] / "fixtures" / "schedules" / "test-2026.toml").read_text(
    encoding="utf-8"
)


@pytest.fixture(autouse=True)
def _clean() -> Iterator[None]:
    uninstall_all()
    yield
    uninstall_all()


TODAY = dt.date(2026, 12, 6)


def problems(document: str, today: dt.date | None = TODAY) -> list[str]:
    with pytest.raises(ScheduleProblems) as err:
        parse_schedule(document, today=today)
    return [p.template.format(**p.params) for p in err.value.problems]


def test_a_valid_document_and_its_diff() -> None:
    checked = check(NEW, TODAY)
    assert checked.follows.info.id == "annex-by-i-2018"
    changes = {c.what: (c.old, c.new) for c in checked.changes}
    assert changes["base_value"] == ("24.50", "45.00")
    assert changes["patent.filing"] == ("122.50", "225.00")  # 5 BV
    assert changes["utility_model.annual_9"] == ("171.50", "315.00")  # 7 BV
    assert "patent.amendment" not in {c for c in changes if changes[c][0] == changes[c][1]}


@pytest.mark.parametrize(
    ("edit", "expected"),
    [
        (
            lambda d: d.replace('grant = { bv = "10", basis = "Annex BY.I; BY.10" }\n', ""),
            "“patent.grant” is missing.",
        ),
        (
            lambda d: d.replace('filing = { bv = "5"', 'filing = { bv = "-5"'),
            "“patent.filing.bv” must be from 0 to 1000.",
        ),
        (
            lambda d: d.replace('  [21, 25, "33"],\n', ""),
            "patent.annual: the bands must cover years 3 to 25 in order, each once.",
        ),
        (
            lambda d: d.replace(
                "effective_from = 2026-01-01",
                "effective_from = 2026-01-01\nsuperseded_on = 2025-06-01",
            ),
            "superseded_on must be after effective_from.",
        ),
        (
            lambda d: d.replace("effective_from = 2026-01-01", "effective_from = 2017-01-01"),
            "effective_from must be after 2018-01-01, when the latest schedule took effect.",
        ),
        (
            lambda d: d.replace('id = "test-2026"', 'id = "annex-by-i-2018"'),
            "The id “annex-by-i-2018” is a shipped schedule: choose a new id.",
        ),
        (
            lambda d: d.replace('percent = "75"', 'percent = "175"'),
            "“reductions.natural_person.percent” must be from 0 to 100.",
        ),
        (
            lambda d: d.replace("stated_for = 2026-01-01", 'stated_for = "soon"'),
            "“stated_for” must be a date such as 2026-01-01.",
        ),
        (lambda d: d + "\n[[", "This is not a TOML document"),
        # what once broke every answer after it was installed (and after every restart)
        (
            lambda d: d.replace('[21, 25, "33"]', '[21, 25, "2e24"]'),
            "“patent.annual.bands[10][3]” must be from 0 to 1000.",
        ),
        (
            lambda d: d.replace('basis = "Annex BY.I; BY.10" }', "basis = 7 }"),
            "“patent.grant.basis” must be text in quotes.",
        ),
        (
            lambda d: d.replace("effective_from = 2026-01-01", "effective_from = 9999-12-31"),
            "“effective_from” must be from 2000-01-01 to 2100-12-31.",
        ),
        (
            lambda d: d.replace("effective_from = 2026-01-01", "effective_from = 2028-01-01"),
            "effective_from must not be after 2027-12-31, the end of next year.",
        ),
        (
            lambda d: d.replace('base_value = "45.00"', 'base_value = "1e-30"'),
            "“base_value” must be from 1 to 10000.",
        ),
        (
            lambda d: d.replace('base_value = "45.00"', 'base_value = "45.001"'),
            "“base_value” may have at most two decimal places.",
        ),
        (
            lambda d: d.replace('id = "test-2026"', 'id = "' + "x" * 5000 + '"'),
            "“id” must be at most 60 characters.",
        ),
        (
            lambda d: d.replace('id = "test-2026"', 'id = "new <b>schedule</b>"'),
            "“id” may hold only Latin letters, digits, dots, hyphens and underscores.",
        ),
        (
            lambda d: d.replace('[3, 4, "5"]', '[3, 100000000, "5"]'),
            "“patent.annual.bands[1]”: a band is [first year, last year, bv], years from 1 to 25.",
        ),
        (
            lambda d: d.replace('[3, 4, "5"]', '[3, 4, "5", 6]'),
            "“patent.annual.bands[1]”: a band is [first year, last year, bv], years from 1 to 25.",
        ),
        (
            lambda d: d.replace('base_value = "45.00"', "base_value = 1e999999999"),
            '“base_value” must be a number, such as "24.50".',
        ),
        (
            lambda d: d.replace('currency = "BYN"', 'currency = "USD"'),
            "“currency” must be BYN.",
        ),
        (
            lambda d: d.replace('title = "', 'titel = "'),
            "“titel” is not part of a fee schedule.",
        ),
        (
            lambda d: d.replace('title = "Test', 'title = "Te\\u0007st'),
            "“title” must not hold control characters.",
        ),
        (
            lambda d: "deep = " + "[" * 100_000 + "]" * 100_000 + "\n" + d,
            "The document is nested too deeply to be a fee schedule.",
        ),
        (
            lambda d: d + "\n# " + "x" * 300_000 + "\n",
            "The document is larger than 256 KB.",
        ),
    ],
)
def test_invalid_documents_are_refused_with_a_sentence_each(edit, expected) -> None:  # type: ignore[no-untyped-def]
    found = problems(edit(NEW))
    assert any(p.startswith(expected) for p in found), found


def test_an_installed_schedule_applies_from_its_effective_date() -> None:
    install_documents([NEW])
    assert schedule_for(dt.date(2025, 12, 31)).info.id == "annex-by-i-2018"
    assert schedule_for(dt.date(2026, 1, 1)).info.id == "test-2026"
    # Annex BY.I grant fee 10 BV: 245.00 at 24.50, 450.00 at 45.00
    assert quote_item("grant", Kind.PATENT, on=dt.date(2025, 12, 31)).total == Decimal("245.00")
    q = quote_item("grant", Kind.PATENT, on=dt.date(2026, 3, 1))
    assert q.total == Decimal("450.00")
    assert not q.schedule.superseded(q.on)


async def test_stored_schedules_survive_a_restart(tmp_path: Path) -> None:
    store = await Store.open(tmp_path / "db.sqlite3")
    try:
        checked = await install_document(store, NEW, by=42, today=TODAY)
        assert checked.schedule.info.id == "test-2026"
        uninstall_all()  # a new process: nothing installed
        assert schedule_for(dt.date(2026, 3, 1)).info.id == "annex-by-i-2018"
        assert await restore(store) == 1
        assert schedule_for(dt.date(2026, 3, 1)).info.id == "test-2026"
    finally:
        await store.close()
