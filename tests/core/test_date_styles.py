"""Dates as a native reader expects them (`core.i18n.Translator.date`, the one place dates are
written): a month's name in sentences; in tables and the timeline picture the short month only
where the language has one a reader knows (Russian "15 мар. 2024 г." yes; Belarusian no — CLDR's
"сак", "жні", "кас" read as broken words, so the full name); dd.mm.yyyy where room is tight
(buttons), the same in every language, never "12/15/26"."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from babel.dates import get_month_names

from core.deadlines import compute
from core.i18n import DATE_STYLES, LANGS, translator
from core.timeline import build_timeline
from pctby.cli import main
from tests.draw.helpers import PATENT, TODAY, flat, texts

DAYS = [dt.date(2026, month, 9) for month in range(1, 13)]
# CLDR's abbreviated Belarusian months ("сту", "сак", "жні", "кас"…), as words.
BE_SHORT = {str(n) for n in get_month_names("abbreviated", "format", "be_BY").values()}
BE_SHORT |= {str(n) for n in get_month_names("abbreviated", "stand-alone", "be_BY").values()}
BE_SHORT -= {str(n) for n in get_month_names("wide", "format", "be_BY").values()}  # мая
BE_WORD = re.compile(r"[^\W\d_]+")


def broken_be_months(text: str) -> set[str]:
    return {w for w in BE_WORD.findall(text) if w in BE_SHORT}


@pytest.mark.parametrize(
    ("lang", "long", "medium", "short"),
    [
        ("ru", "10 августа 2026 г.", "10 авг. 2026 г.", "10.08.2026"),
        ("be", "10 жніўня 2026 г.", "10 жніўня 2026 г.", "10.08.2026"),
        ("en", "August 10, 2026", "Aug 10, 2026", "10.08.2026"),
    ],
)
def test_the_three_styles(lang: str, long: str, medium: str, short: str) -> None:
    t = translator(lang)
    day = dt.date(2026, 8, 10)
    got = [t.date(day, style).replace("\u202f", " ") for style in DATE_STYLES]
    assert got == [long, medium, short]


@pytest.mark.parametrize("lang", LANGS)
def test_short_dates_are_day_month_year_with_four_digits_in_every_language(lang: str) -> None:
    t = translator(lang)
    for day in [*DAYS, dt.date(2026, 12, 15), dt.date(2031, 1, 1)]:
        assert t.date(day, "short") == day.strftime("%d.%m.%Y")


@pytest.mark.parametrize("style", DATE_STYLES)
def test_belarusian_dates_never_use_the_cldr_short_months(style: str) -> None:
    t = translator("be")
    wide = get_month_names("wide", "format", "be_BY")
    for day in DAYS:
        text = t.date(day, style)
        assert not broken_be_months(text), text
        if style != "short":
            assert str(wide[day.month]) in text


def test_russian_keeps_its_short_months_in_tables() -> None:
    assert translator("ru").date(dt.date(2024, 3, 15), "medium") == "15 мар. 2024\u202fг."


def test_annuities_in_belarusian_name_the_months(capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["annuities", "--kind", "patent", "--filing", "2025-03-09", "--lang", "be"]
    assert main(argv) == 0
    out = capsys.readouterr().out
    assert broken_be_months(out) == set()
    assert "9 сакавіка 2028" in out  # year 4 due (BY.12), with the month's name
    assert "9 сак " not in out and "жні " not in out


@pytest.mark.parametrize("lang", ["ru", "be"])
def test_cli_sentences_that_end_with_a_date_have_one_period(
    capsys: pytest.CaptureFixture[str], lang: str
) -> None:
    """9 October 2027 is a Saturday: the entry deadline moves, and the sentence saying so ends
    with "11 … 2027 г." — one period, in the CLI as in the chat."""
    assert main(["deadlines", "--filing", "2025-03-09", "--lang", lang]) == 0
    out = capsys.readouterr().out
    assert "2027\u202fг.\n" in out
    assert "г.." not in out


def test_the_timeline_picture_in_belarusian_names_the_months() -> None:
    t = translator("be")
    from draw.timeline import build_figure

    drawn = flat(texts(build_figure(build_timeline(PATENT, compute(PATENT), TODAY, t))))
    assert broken_be_months(drawn) == set()
    assert "1 снежня 2026 г." in drawn  # today, 1 December 2026
