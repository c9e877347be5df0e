"""Text made safe per sink (core/text.py): what no sink can carry is removed at input, and each
sink — the .docx, the timeline picture, the CSV, the calendar — takes any text at output. The
properties push arbitrary text (control characters, lone surrogates, noncharacters, `$…$`,
formula starts) through each of them."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.deadlines import CaseFacts, compute
from core.entryform import document_text, parse_request, render
from core.i18n import translator
from core.importexport.csvformat import COLUMNS, csv_row, parse_csv
from core.importexport.exporting import _ics_events
from core.models import Kind
from core.reminders.timing import Prefs
from core.storage import Case
from core.text import clean, csv_cell, csv_uncell, for_docx, for_ics, for_plot, printable

# What breaks sinks, mixed into any Unicode text: C0/C1 controls, CR, lone surrogates,
# noncharacters, mathtext, spreadsheet formula starts, iCalendar and CSV separators, bidi tricks.
NASTY = st.sampled_from(
    [
        *"\x00\x01\x08\x0b\x0c\x1b\x1f\x7f\x85\x9f\r\n\t",
        *"\ufffe\uffff\ufdd0\U0001fffe\U0010ffff\ud800\udfff\udc80",
        *"$\\{}^_=+-@,;'\"<>&№",
        "\u202e",
        "\u200b",
        "$x$",
        "$\\frac$",
        "\r\n",
    ]
)
TEXT = st.lists(st.one_of(st.characters(), NASTY), max_size=40).map("".join)
STAMP = dt.datetime(2026, 1, 5, 9, 0, tzinfo=dt.UTC)
UNSAFE = {chr(c) for c in (*range(0x20), *range(0x7F, 0xA0)) if chr(c) not in "\t\n"}
UNSAFE |= {chr(c) for c in (0xFFFE, 0xFFFF, 0xFDD0, 0x1FFFE, 0xD800, 0xDFFF)}


def stored_case(ref: str, title: str) -> Case:
    """A case as an older version may have stored it (no input cleaning)."""
    return Case(
        id=1,
        owner_id=1,
        ref=ref,
        kind=Kind.PATENT,
        filing=dt.date(2025, 3, 10),
        priority=dt.date(2024, 3, 15),
        title=title,
        natural_person=False,
        muted=False,
        alert_state={},
        created_at=STAMP,
        updated_at=STAMP,
    )


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("plain", "plain"),
        ("a\x01b\x1bc\x7fd\x85e", "abcde"),
        ("tab\tand\nline", "tab\tand\nline"),
        ("crlf\r\nand\rcr", "crlf\nand\ncr"),
        ("no\ufffe\uffff\ufdd0nonchars\U0010ffff", "nononchars"),
        ("lone\ud800surrogate", "lonesurrogate"),
        ("№ 5 — «ООО»", "№ 5 — «ООО»"),  # kept as typed: no NFKC here
        ("emoji 👩‍💻", "emoji 👩‍💻"),  # the zero-width joiner is text here
    ],
)
def test_printable(raw: str, expected: str) -> None:
    assert printable(raw) == expected


def test_clean_also_drops_what_printable_drops() -> None:
    assert clean(" ＡＢ\u200b-1\x00\x1b ") == "AB-1"
    assert clean("A\u202e1\ud800") == "A1"


def test_each_sink() -> None:
    assert for_docx("a\x01\tb") == "a\tb"
    assert for_plot("A$1$ \\$\tx") == "A\\$1\\$ \\\\$ x"
    assert for_ics("a\x1b,b;\n") == "a,b;\n"
    assert for_ics("\ufeffA-1\ufeff") == "A-1"  # icalendar drops a byte order mark
    assert [csv_cell(v) for v in ("=1+1", "+7", "-x", "@a", "'=1", "ok", "\t=")] == [
        "'=1+1",
        "'+7",
        "'-x",
        "'@a",
        "''=1",
        "ok",
        "'\t=",
    ]
    for value in ("=1+1", "'=1", "''=1", "ok", "'"):
        assert csv_uncell(csv_cell(value)) == value


@given(TEXT)
def test_any_text_is_printable_once_and_for_all(text: str) -> None:
    safe = printable(text)
    assert not set(safe) & UNSAFE and "\r" not in safe
    assert printable(safe) == safe
    safe.encode("utf-8")  # no lone surrogate left
    assert not set(clean(text)) & UNSAFE


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(title=TEXT, name=TEXT)
def test_any_text_goes_through_the_docx(title: str, name: str) -> None:
    """Through the entry form's own input (the model) and output (python-docx)."""
    data = {
        "kind": "patent",
        "filing_date": "2024-04-22",
        "title": title,
        "applicants": [{"name": name if name.strip() else "x", "address": name, "country": "BY"}],
        "inventors": [{"name": "x", "address": title}],
        "attachments": [{"name": name if name.strip() else "x"}],
    }
    try:
        request = parse_request(data)
    except Exception as exc:  # only an empty name may be refused, as one sentence
        assert type(exc).__name__ == "InputError", exc
        return
    text = document_text(render(request))
    if request.title:
        assert request.title in text
    # …and the sink alone, given what an older version stored unchecked
    from docx import Document

    doc = Document()
    doc.add_paragraph(for_docx(title))
    doc.save(io.BytesIO())


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(TEXT)
def test_any_text_goes_through_the_timeline(text: str) -> None:
    from core.timeline import build_timeline
    from draw.timeline import build_figure, render_png

    facts = CaseFacts(kind=Kind.PATENT, priority=dt.date(2024, 3, 15), filing=dt.date(2025, 3, 10))
    day, t = dt.date(2026, 1, 5), translator("en")
    png = render_png(build_timeline(facts, compute(facts), day, t, title=text))
    assert png.startswith(b"\x89PNG")
    fig = build_figure(build_timeline(facts, [], day, t, title="$x$ " + text))
    drawn = [a for a in fig.texts if a.get_text().startswith("\\$x\\$")]
    assert drawn and not drawn[0]._preprocess_math(drawn[0].get_text())[1]  # no mathtext


@settings(max_examples=150, deadline=None)
@given(ref=TEXT, title=TEXT)
def test_any_text_goes_through_the_csv_and_back(ref: str, title: str) -> None:
    safe_ref = clean(ref).replace("\n", " ")[:100] or "R"
    row = csv_row(1, stored_case(safe_ref, clean(title)), [])
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    writer.writerow(row)
    out.getvalue().encode("utf-8")
    assert not any(cell.startswith(("=", "+", "-", "@")) for cell in row)
    [imported] = parse_csv(io.StringIO(out.getvalue()), default_user=1, today=dt.date(2026, 1, 5))
    assert imported.case.title == clean(title)
    assert imported.case.ref == clean(safe_ref)
    # what an older version stored unchecked is written too
    raw = csv_row(1, stored_case(ref, title), [])
    csv.writer(io.StringIO()).writerow(raw)
    "".join(raw).encode("utf-8")


@settings(max_examples=100, deadline=None)
@given(TEXT)
def test_any_text_goes_through_the_calendar(ref: str) -> None:
    from icalendar import Calendar

    ics = _ics_events(translator("be"), Prefs(), STAMP, stored_case(ref, ref), [])
    assert ics
    for line in ics.split(b"\r\n"):
        assert len(line) <= 75  # folded
        assert not set(line.decode("utf-8")) & UNSAFE
    head, end = b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\n", b"END:VCALENDAR\r\n"
    calendar = Calendar.from_ical(head + ics + end)
    summaries = [str(e["summary"]) for e in calendar.walk("VEVENT")]
    assert summaries and all(s.startswith(for_ics(ref) + ": ") for s in summaries)
