"""The timeline picture (draw/timeline.py, what core/timeline.py says drawn with matplotlib): a
PNG in every language, the texts it draws are the translated labels, overdue rows in the warning
colour, no two labels overlapping and none outside the picture — checked on the figure's own
text artists before it is saved; without matplotlib, `DrawingUnavailable`."""

from __future__ import annotations

import datetime as dt
import struct
import subprocess
import sys
from itertools import combinations

import pytest

from core.deadlines import CaseFacts, Event, EventKind, compute
from core.i18n import translator
from core.labels import ANNUAL_LABEL, DEADLINE_LABELS
from core.models import Deadline, Kind
from core.timeline import OVERDUE, Timeline, build_timeline, past_facts
from draw import timeline as drawing
from draw.timeline import HEIGHT_PX, WIDTH_PX, DrawingUnavailable, build_figure, render_png
from tests.draw.helpers import PATENT, TODAY, flat, norm, texts

UTILITY_MODEL = CaseFacts(
    kind=Kind.UTILITY_MODEL,
    priority=dt.date(2023, 6, 1),
    filing=dt.date(2024, 5, 2),
    events=(Event(kind=EventKind.ANNUITY_PAID, date=dt.date(2025, 1, 10), year=1),),
)
CASES = {"patent": PATENT, "utility-model": UTILITY_MODEL}


def picture(
    facts: CaseFacts,
    lang: str = "en",
    deadlines: list[Deadline] | None = None,
    title: str | None = None,
) -> Timeline:
    """The case's timeline on TODAY: its open deadlines unless `deadlines` are given."""
    found = compute(facts) if deadlines is None else deadlines
    return build_timeline(facts, found, TODAY, translator(lang), title=title)


def png_size(png: bytes) -> tuple[int, int]:
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    assert png[12:16] == b"IHDR"
    width, height = struct.unpack(">II", png[16:24])
    return width, height


@pytest.mark.parametrize("lang", ["ru", "be", "en"])
@pytest.mark.parametrize("kind", sorted(CASES))
def test_the_picture_renders_in_every_language(lang: str, kind: str) -> None:
    facts = CASES[kind]
    deadlines = compute(facts)
    assert any(d.date < TODAY for d in deadlines), "the case has overdue deadlines"
    assert any(d.date > TODAY for d in deadlines), "and open ones"
    png = render_png(picture(facts, lang, title="Case A-1"))
    assert png_size(png) == (WIDTH_PX, HEIGHT_PX) == (1200, 700)
    assert 20_000 < len(png) < 1_000_000


def test_the_same_case_draws_the_same_bytes() -> None:
    one = render_png(picture(PATENT, "be"))
    assert render_png(picture(PATENT, "be")) == one


@pytest.mark.parametrize("lang", ["ru", "be", "en"])
@pytest.mark.parametrize("kind", sorted(CASES))
def test_the_labels_drawn_are_the_translated_ones(lang: str, kind: str) -> None:
    t = translator(lang)
    facts = CASES[kind]
    deadlines = compute(facts)
    drawn = flat(texts(build_figure(picture(facts, lang))))
    for d in deadlines:
        label = t.fmt(DEADLINE_LABELS.get(d.code, ANNUAL_LABEL), year=d.year)
        assert norm(label) in drawn
        assert norm(t.date(d.date, "medium")) in drawn
    for fact in past_facts(facts, t):
        assert norm(fact.label) in drawn
    assert norm(t.fmt("Today, {date}", date=t.date(TODAY, "medium"))) in drawn
    if lang != "en":  # nothing left in English
        assert "Entry into the national phase" not in drawn
        assert "Priority date" not in drawn
        assert "overdue" not in drawn


def test_russian_and_belarusian_words_on_the_picture() -> None:
    ru = flat(texts(build_figure(picture(PATENT, "ru"))))
    assert "Переход на национальную фазу" in ru
    assert "просрочено на 47 дней" in ru  # 15 October 2026 → 1 December 2026
    assert "Дата приоритета" in ru
    assert "Сегодня, 1 дек. 2026" in ru
    be = flat(texts(build_figure(picture(UTILITY_MODEL, "be"))))
    assert "Пераход на нацыянальную фазу" in be
    assert "Гадавая пошліна (год 1) заплачана" in be
    assert "Сёння, 1 снежня 2026 г." in be  # not CLDR's "1 сне 2026 г."


def test_overdue_rows_are_in_the_warning_colour() -> None:
    from matplotlib.colors import to_hex

    fig = build_figure(picture(PATENT))

    def colour(start: str) -> str:
        found = [a for a in fig.axes[0].texts if norm(a.get_text()).startswith(start)]
        assert found, start
        return str(to_hex(found[0].get_color()))

    assert colour("Oct 15, 2026") == OVERDUE  # entry and the 3rd year's fee: overdue
    assert colour("Entry into the national phase") == OVERDUE
    assert "47 days overdue" in flat(texts(fig))
    assert colour("Mar 10, 2028") != OVERDUE  # the examination request is open
    assert colour("Request for substantive examination") != OVERDUE


def text_box(artist, renderer):  # type: ignore[no-untyped-def]
    """The text's own box: an annotation's extent also covers its connector line."""
    from matplotlib.text import Text

    artist.get_window_extent(renderer)  # places an annotation's text at its offset
    return Text.get_window_extent(artist, renderer)


# Many deadlines and many facts close together: the staggering must still keep them apart.
CROWDED = CaseFacts(
    filing=dt.date(2024, 3, 10),
    priority=dt.date(2023, 3, 15),
    events=tuple(
        Event(kind=kind, date=day, year=year)
        for kind, day, year in (
            (EventKind.ENTRY_INCOMPLETE, dt.date(2025, 10, 1), None),
            (EventKind.NATIONAL_FEE_PAID, dt.date(2025, 10, 1), None),
            (EventKind.EXAMINATION_REQUESTED, dt.date(2025, 10, 2), None),
            (EventKind.ANNUITY_PAID, dt.date(2026, 3, 1), 3),
            (EventKind.GRANT_DECISION_RECEIVED, dt.date(2026, 10, 20), None),
            (EventKind.CLAIMS_INVITATION_RECEIVED, dt.date(2026, 11, 1), None),
            (EventKind.EXTENSION_INVITATION_SENT, dt.date(2026, 11, 5), None),
            (EventKind.TIME_LIMIT_MISSED, dt.date(2026, 11, 10), None),
            (EventKind.ART25_DECISION_RECEIVED, dt.date(2026, 11, 12), None),
        )
    ),
)


# A granted patent years on: a long history under the axis, two annual fees open.
GRANTED = CaseFacts(
    priority=dt.date(2021, 3, 15),
    filing=dt.date(2022, 3, 10),
    events=tuple(
        Event(kind=kind, date=day, year=year)
        for kind, day, year in (
            (EventKind.ENTRY_MADE, dt.date(2023, 9, 1), None),
            (EventKind.TRANSLATION_FILED, dt.date(2023, 10, 20), None),
            (EventKind.EXAMINATION_REQUESTED, dt.date(2024, 2, 1), None),
            (EventKind.ANNUITY_PAID, dt.date(2024, 3, 1), 3),
            (EventKind.ANNUITY_PAID, dt.date(2025, 3, 1), 4),
            (EventKind.GRANT_DECISION_RECEIVED, dt.date(2026, 6, 1), None),
            (EventKind.GRANT_FEE_PAID, dt.date(2026, 7, 1), None),
            (EventKind.PATENT_GRANTED, dt.date(2026, 9, 1), None),
        )
    ),
)


@pytest.mark.parametrize("lang", ["ru", "be", "en"])
@pytest.mark.parametrize(
    "facts", [PATENT, UTILITY_MODEL, CROWDED, GRANTED], ids=["patent", "um", "crowded", "granted"]
)
def test_no_two_labels_overlap_and_all_are_inside(lang: str, facts: CaseFacts) -> None:
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.text import Text

    fig = build_figure(picture(facts, lang, title="Case A-1"))
    renderer = FigureCanvasAgg(fig).get_renderer()
    boxes = [
        (a.get_text(), text_box(a, renderer))
        for a in fig.findobj(Text)
        if a.get_visible() and a.get_text()
    ]
    assert len(boxes) > 10
    for text, box in boxes:  # inside, with a margin
        assert box.x0 >= 4 and box.x1 <= WIDTH_PX - 4, text
        assert box.y0 >= 4 and box.y1 <= HEIGHT_PX - 4, text
    for (one, a), (other, b) in combinations(boxes, 2):
        assert not a.overlaps(b), (one, other)


def test_the_crowded_case_groups_facts_that_touch() -> None:
    drawn = texts(build_figure(picture(CROWDED)))
    assert "National phase entered (incomplete)\nNational fee paid\nExamination requested\n" in (
        "\n".join(drawn)
    )
    assert any("Oct 1, 2025 – Oct 2, 2025" in s for s in drawn)
    assert any("and 2 more" in s for s in drawn)  # five events within three weeks


def test_a_case_without_open_deadlines_says_so() -> None:
    drawn = texts(build_figure(picture(PATENT, "ru", deadlines=[])))
    assert "Открытых сроков нет." in drawn


def test_a_deadline_due_today_is_not_overdue() -> None:
    from matplotlib.colors import to_hex

    due = Deadline(code="grant_fee", nominal=TODAY, date=TODAY, basis="BY.19")
    fig = build_figure(picture(PATENT, deadlines=[due]))
    drawn = {norm(a.get_text()): to_hex(a.get_color()) for a in fig.axes[0].texts}
    assert drawn["Fee for grant — today is the last day"] != OVERDUE


def test_starting_the_bot_or_the_cli_does_not_import_matplotlib() -> None:
    code = (
        "import sys, bot.app, bot.handlers, pctby.cli, core.timeline, draw.timeline, "
        "bot.handlers.timeline, web.api; "
        "print('matplotlib' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_without_matplotlib_no_picture_is_drawn(monkeypatch: pytest.MonkeyPatch) -> None:
    """An installation without the `timeline` extra: one exception the front-ends answer."""
    monkeypatch.setattr(drawing, "available", lambda: False)
    with pytest.raises(DrawingUnavailable, match=r"pctby\[timeline\]"):
        render_png(picture(PATENT))
