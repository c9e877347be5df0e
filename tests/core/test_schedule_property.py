"""A schedule that passes validation never makes any answer fail — checked with hypothesis over
generated documents, valid and hostile (STYLE habit 18: validate before you store; a stored
value never breaks a reader).

Each generated document is either refused — every problem one sentence, in each language — or
installed, and then every answer that reads amounts is computed and rendered from it: a quote
of every Annex BY.I item for both kinds (1,000 claims of each sort, late, every extension
month, every year), the annual fees of a case, the deadlines of a case with a decision to grant
(amounts on them), all rendered as the bot renders them and read as Telegram reads HTML. The
chat itself — a case's card, /fees, /deadlines — runs over a few of them in
tests/bot/test_schedule_cmd.py.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from bot.render.html import check
from bot.render.i18n import translator
from bot.render.views import deadlines_text, quote_text
from core.annuities import annuity_schedule
from core.deadlines import compute, facts_from
from core.errors import InputError
from core.explain import amounts_warning, quote_notes
from core.fees import ITEMS, LATE_ITEMS, MAX_CLAIMS, MAX_EXTENSION_MONTHS, quote_item
from core.models import Kind
from core.schedule import (
    ScheduleProblems,
    install,
    load_schedules,
    parse_schedule,
    reference_codes,
    uninstall_all,
)

TODAY = dt.date(2026, 12, 6)
REFERENCE = load_schedules()[0]
PATENT, UTILITY, SURCHARGES, REDUCTIONS = reference_codes(REFERENCE)
YEARS = {
    kind: [y for b in REFERENCE.kinds[kind].annual for y in range(b.first, b.last + 1)]
    for kind in Kind
}


@pytest.fixture(autouse=True)
def _clean() -> Iterator[None]:
    uninstall_all()
    yield
    uninstall_all()


# --- documents ---------------------------------------------------------------------------------


def toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float):
        return {"inf": "inf", "-inf": "-inf", "nan": "nan"}.get(repr(value), repr(value))
    if isinstance(value, int):
        return str(value)
    if isinstance(value, list):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{k} = {toml_value(v)}" for k, v in value.items()) + " }"
    return json.dumps(str(value), ensure_ascii=False)  # a TOML basic string


def toml(doc: dict[str, Any]) -> str:
    head = [f"{k} = {toml_value(v)}" for k, v in doc.items() if not isinstance(v, dict)]
    tables = []
    for name, table in doc.items():
        if not isinstance(table, dict):
            continue
        tables.append(f"\n[{name}]")
        for key, value in table.items():
            if key == "annual" and isinstance(value, dict):
                continue
            tables.append(f"{key} = {toml_value(value)}")
        if isinstance(table.get("annual"), dict):
            tables.append(f"\n[{name}.annual]")
            tables += [f"{k} = {toml_value(v)}" for k, v in table["annual"].items()]
    return "\n".join(head + tables) + "\n"


WILD_NUMBERS = st.one_of(
    st.sampled_from(["2e24", "1e-30", "-5", "NaN", "Infinity", "", "abc", "5.001", "1e999999999"]),
    st.floats(allow_nan=True, allow_infinity=True),
    st.integers(-(10**30), 10**30),
    st.booleans(),
)


def number(low: int, high: int, wild: bool) -> st.SearchStrategy[Any]:
    valid = st.decimals(min_value=low, max_value=high, places=2, allow_nan=False).map(str)
    edges = st.sampled_from([str(low), str(high), f"{Decimal(high) - Decimal('0.01')}"])
    ints = st.integers(low, high)
    if not wild:
        return st.one_of(valid, edges, ints)
    return st.one_of(valid, edges, ints, WILD_NUMBERS)


def text(wild: bool) -> st.SearchStrategy[str]:
    plain = st.text(
        alphabet=st.characters(codec="utf-8", categories=("L", "N", "P", "S", "Zs")),
        min_size=1,
        max_size=300,
    ).filter(lambda s: s.strip() and s.isprintable())
    if not wild:
        return plain
    return st.one_of(plain, st.text(max_size=400), st.just(""), st.just("a\x00b"))


@st.composite
def bands(draw: st.DrawFn, years: list[int], wild: bool) -> list[list[Any]]:
    if wild and draw(st.booleans()):
        return draw(
            st.lists(
                st.lists(st.one_of(st.integers(-3, 10**9), WILD_NUMBERS), min_size=0, max_size=4),
                max_size=30,
            )
        )
    cuts = sorted(draw(st.sets(st.sampled_from(years[1:]), max_size=len(years) - 1)))
    starts = [years[0], *cuts]
    ends = [c - 1 for c in cuts] + [years[-1]]
    return [[a, b, draw(number(0, 1000, wild))] for a, b in zip(starts, ends, strict=True)]


@st.composite
def documents(draw: st.DrawFn) -> str:
    wild = draw(st.sampled_from([False, False, True]))  # two in three valid in every field
    effective = draw(
        st.dates(dt.date(2018, 1, 2), dt.date(2027, 12, 31))
        if not wild
        else st.one_of(st.dates(dt.date(1990, 1, 1), dt.date(9999, 12, 31)), text(True))
    )
    stated = draw(st.dates(dt.date(2000, 1, 1), dt.date(2027, 12, 31)))
    doc: dict[str, Any] = {
        "id": draw(
            st.from_regex(r"[a-z][a-z0-9._-]{0,59}", fullmatch=True)
            if not wild
            else st.one_of(st.text(max_size=80), st.just("x" * 5000))
        ).replace("annex-by-i-2018", "other"),
        "title": draw(text(wild)),
        "source": draw(text(wild)),
        "effective_from": effective,
        "stated_for": stated,
        "base_value": draw(number(1, 10_000, wild)),
        "currency": "BYN" if not wild else draw(st.sampled_from(["BYN", "USD", 5])),
    }
    if draw(st.booleans()) and isinstance(effective, dt.date):
        later = max(effective, stated) + dt.timedelta(days=draw(st.integers(1, 3000)))
        doc["superseded_on"] = later
        doc["superseded_reason"] = draw(text(wild))
    if draw(st.booleans()):
        doc["current_fees_at"] = "https://ncip.by" if not wild else draw(text(True))
    for section, codes, kind in (
        ("patent", PATENT, Kind.PATENT),
        ("utility_model", UTILITY, Kind.UTILITY_MODEL),
    ):
        table: dict[str, Any] = {
            code: {"bv": draw(number(0, 1000, wild)), "basis": draw(text(wild))} for code in codes
        }
        table["annual"] = {"basis": draw(text(wild)), "bands": draw(bands(YEARS[kind], wild))}
        doc[section] = table
    for section, codes in (("surcharges", SURCHARGES), ("reductions", REDUCTIONS)):
        doc[section] = {
            code: {"percent": draw(number(0, 100, wild)), "basis": draw(text(wild))}
            for code in codes
        }
    return toml(doc)


# --- every answer that reads amounts ----------------------------------------------------------


def answers(effective: dt.date, lang: str, natural_person: bool) -> None:
    t = translator(lang)
    on = effective
    for kind in Kind:
        for item in ITEMS:
            variants: list[dict[str, Any]] = [{}]
            if item == "national":
                variants = [{"independent": MAX_CLAIMS, "dependent": MAX_CLAIMS}, {}]
            elif item == "extension":
                variants = [{"months": m} for m in range(1, MAX_EXTENSION_MONTHS + 1)]
            elif item == "annual":
                variants = [{"year": y, "extended": True} for y in YEARS[kind]]
            if item in LATE_ITEMS:
                variants += [{**v, "late": True} for v in variants]
            for options in variants:
                try:
                    quote = quote_item(item, kind, natural_person=natural_person, on=on, **options)
                except InputError:  # an answer too ("not for a utility model", …)
                    continue
                check(quote_text(t, quote))
                quote_notes(t, quote)
                assert quote.total >= 0
        filing = effective - dt.timedelta(days=3 * 365)
        years = annuity_schedule(kind, filing, natural_person=natural_person, extended=True)
        assert all(y.amount is None or y.amount >= 0 for y in years.years)
        facts = facts_from(filing=filing, kind=kind, grant_decision=effective)
        deadlines = compute(facts)
        check(deadlines_text(t, facts, deadlines, effective))
        amounts_warning(t, [d.date for d in deadlines if d.amount is not None])


@settings(
    max_examples=120,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(documents(), st.sampled_from(["ru", "be", "en"]), st.booleans())
def test_a_schedule_that_passes_validation_never_makes_an_answer_fail(
    document: str, lang: str, natural_person: bool
) -> None:
    uninstall_all()
    try:
        schedule = parse_schedule(document, today=TODAY)
    except ScheduleProblems as err:
        event("refused")
        assert err.problems
        for problem in err.problems:
            for language in ("ru", "be", "en"):
                sentence = translator(language).error(problem)
                assert sentence.strip() and "\n" not in sentence
        return
    event("accepted")
    install(schedule, document)
    try:
        answers(schedule.info.effective_from, lang, natural_person)
    finally:
        uninstall_all()


def test_the_shipped_schedule_passes_its_own_validation() -> None:
    from core.schedule import DATA, read_schedule

    for path in sorted((DATA / "fees").glob("*.toml")):
        read_schedule(path.read_text(encoding="utf-8"))
