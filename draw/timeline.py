"""The timeline picture: a case's `core.timeline.Timeline` drawn as a PNG with matplotlib.

Each open deadline has its own row above the axis — a marker at its date with the date and the
deadline's kind beside it, on the side with more room, wrapped to fit — so labels never overlap
however close the dates are; overdue ones are drawn in their warning colour with the days
overdue. Today is a vertical line. The facts already behind the case are small grey markers on
the axis with their labels below it, staggered in as many levels as their widths need. What
the picture says (every word translated, every date formatted, every colour by status) comes
from `core.timeline`; this module decides only where it goes.

matplotlib (with numpy, pillow and fontTools, about half of an installation) is the optional
`timeline` extra: it is imported only when a picture is drawn, so a start-up never pays for it,
and without it `render_png` raises `DrawingUnavailable`, which the front-ends answer with
`core.timeline.PICTURE_MISSING`. The figure is a plain `Figure` on an Agg canvas (no pyplot,
no global figure registry), safe to draw in a worker thread; DejaVu Sans, shipped with
matplotlib, has the Cyrillic letters. Every text drawn goes through `core.text.for_plot`: a
reference like "A$1$" is drawn as typed, never read as mathtext.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import io
import threading
import warnings
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from core.text import for_plot
from core.timeline import FACT, OPEN, TODAY, Fact, Row, Timeline

if TYPE_CHECKING:
    from matplotlib.figure import Figure

# The picture: 1200×700 px, readable on a phone held sideways and sharp when zoomed.
WIDTH_PX = 1200
HEIGHT_PX = 700
DPI = 100
FONT = "DejaVu Sans"

PAST_SHADE = "#f3f4f6"
INK = "#212121"


class DrawingUnavailable(RuntimeError):
    """matplotlib is not installed: pctby was installed without its `timeline` extra."""

    def __init__(self) -> None:
        super().__init__(
            "timeline pictures need matplotlib: install pctby with its extra, "
            "pip install 'pctby[timeline]'"
        )


def available() -> bool:
    """Whether a picture can be drawn here (matplotlib is installed)."""
    return importlib.util.find_spec("matplotlib") is not None


# Layout, in pixels of the 1200×700 picture.
_TITLE_PX = 62  # the band above the plot
_TODAY_PX = 34  # above the top row: today's label
_TICKS_PX = 42  # under the axis: the years
_FACT_GAP_PX = 10  # between fact labels, across and down
_CLUSTER_PX = 36  # facts whose markers are closer share one label
_FACT_LEVELS = 3
_FACT_NAMES = 4  # names under one label at most (the last says "and N more")
_MARKER_GAP_PX = 12  # marker → date
_DATE_GAP_PX = 16  # date → kind
_ROW_FONT = 17.0
_MIN_ROW_FONT = 10.0
_FACT_FONT = 12.0
_FACT_SPACING = 1.15
_TODAY_FONT = 14.0
_MAX_LINES = 3
_LINE_SPACING = 1.2


class _Measure:
    """Text sizes in pixels, from the figure's own Agg renderer."""

    def __init__(self, fig: Figure) -> None:
        from matplotlib.backends.backend_agg import FigureCanvasAgg

        self.renderer = FigureCanvasAgg(fig).get_renderer()  # type: ignore[no-untyped-call]

    def width(self, text: str, size: float, bold: bool = False) -> float:
        from matplotlib.font_manager import FontProperties

        prop = FontProperties(family=FONT, size=size, weight="bold" if bold else "normal")
        w, _h, _d = self.renderer.get_text_width_height_descent(text, prop, ismath=False)
        return float(w)

    @staticmethod
    def line_px(size: float) -> float:
        return size * DPI / 72 * _LINE_SPACING

    def wrap_label(self, title: str, note: str | None, size: float, room: float) -> list[str]:
        """The title wrapped to `room`; the note after a dash on its last line if it fits
        there, else on lines of its own."""
        lines = self.wrap(title, size, room)
        if note:
            joined = f"{lines[-1]} — {note}" if lines else note
            if not lines or self.width(joined, size) <= room:
                lines[-1:] = [joined]
            else:
                lines += self.wrap(note, size, room)
        return lines

    def wrap(self, text: str, size: float, room: float) -> list[str]:
        """Greedy word wrap to `room` pixels (a word wider than the room keeps its own line)."""
        lines: list[str] = []
        current = ""
        for word in text.split():
            candidate = f"{current} {word}" if current else word
            if current and self.width(candidate, size) > room:
                lines.append(current)
                current = word
            else:
                current = candidate
        if current:
            lines.append(current)
        return lines


def _years(x0: int, x1: int) -> tuple[list[int], list[str], list[int]]:
    """Year ticks (every 1, 2 or 5 years, ≤ 12 labels) and quarter minor ticks, as ordinals.
    A year too close to either end for its label to fit in the picture is left out."""
    first, last = dt.date.fromordinal(x0).year, dt.date.fromordinal(x1).year
    step = next(s for s in (1, 2, 5, 10) if (last - first) // s <= 11)
    years = [y for y in range(first, last + 2) if y % step == 0]
    major = [dt.date(y, 1, 1).toordinal() for y in years]
    margin = (x1 - x0) * 0.02
    keep = [
        (p, str(y)) for p, y in zip(major, years, strict=True) if x0 + margin <= p <= x1 - margin
    ]
    minor = [
        dt.date(y, m, 1).toordinal()
        for y in range(first, last + 1)
        for m in (4, 7, 10)
        if x0 <= dt.date(y, m, 1).toordinal() <= x1
    ]
    return [p for p, _ in keep], [s for _, s in keep], minor if step == 1 else []


@dataclass(slots=True)
class _FactLabel:
    """Facts close together on the axis, under one label."""

    facts: list[Fact]
    lines: list[str]
    centre: float  # px
    width: float
    height: float
    level: int = 0
    top: float = 0.0  # px under the axis


@dataclass(slots=True)
class _Placed:
    """A row of the timeline and where it goes."""

    row: Row
    right: bool  # the label to the right of the marker
    room: float  # px from the marker to the edge on that side
    lines: list[str]
    date_w: float = 0.0
    label_w: float = 0.0

    def spans(self, mx: float) -> tuple[tuple[float, float], tuple[float, float]]:
        """The date's and the label's extent across the picture, in px."""
        near, far = _MARKER_GAP_PX, _MARKER_GAP_PX + self.date_w + _DATE_GAP_PX
        if self.right:
            return (mx + near, mx + near + self.date_w), (mx + far, mx + far + self.label_w)
        return (mx - near - self.date_w, mx - near), (mx - far - self.label_w, mx - far)


class _Layout:
    """Where everything goes, in pixels of the picture, before anything is drawn."""

    def __init__(self, timeline: Timeline) -> None:
        self.timeline = timeline
        self.today = timeline.today
        self.facts = timeline.facts
        span = max((timeline.end - timeline.start).days, 60)
        self.x0 = timeline.start.toordinal() - round(span * 0.04)
        self.x1 = timeline.end.toordinal() + round(span * 0.04)
        self.left, self.right = 24.0, WIDTH_PX - 24.0
        self.bottom, self.top = 10.0, HEIGHT_PX - _TITLE_PX

    def px(self, day: dt.date) -> float:
        return self.left + (day.toordinal() - self.x0) / (self.x1 - self.x0) * (
            self.right - self.left
        )

    def fact_labels(self, measure: _Measure) -> tuple[list[_FactLabel], float]:
        """Facts whose markers (nearly) touch share a label; labels that would overlap go one
        level lower (at most `_FACT_LEVELS`). Returns the labels and the band's height."""
        groups: list[list[Fact]] = []
        for fact in self.facts:
            if groups and self.px(fact.date) - self.px(groups[-1][-1].date) < _CLUSTER_PX:
                groups[-1].append(fact)
            else:
                groups.append([fact])
        labels: list[_FactLabel] = []
        ends: list[float] = []  # the right edge of the last label on each level
        line_px = _FACT_FONT * DPI / 72 * _FACT_SPACING
        for group in groups:
            names = [f.label for f in group]
            if len(names) > _FACT_NAMES:
                more = len(names) - (_FACT_NAMES - 1)
                names = names[: _FACT_NAMES - 1]
                names.append(self.timeline.and_more[more])
            first, last = group[0], group[-1]
            when = first.date_text
            if last.date != first.date:
                when += " – " + last.date_text
            lines = [*names, when]
            width = max(measure.width(line, _FACT_FONT) for line in lines)
            mid = (self.px(first.date) + self.px(last.date)) / 2
            centre = min(max(mid, self.left + width / 2), self.right - width / 2)
            free = [i for i, e in enumerate(ends) if centre - width / 2 > e + _FACT_GAP_PX]
            if free:
                level = free[0]
            elif len(ends) < _FACT_LEVELS:
                level = len(ends)
                ends.append(0.0)
            else:  # no room left: the level whose last label ends first
                level = min(range(len(ends)), key=lambda i: ends[i])
            ends[level] = centre + width / 2
            labels.append(_FactLabel(group, lines, centre, width, len(lines) * line_px, level))
        heights = [max(x.height for x in labels if x.level == i) for i in range(len(ends))]
        tops = [_TICKS_PX + sum(heights[:i]) + i * _FACT_GAP_PX for i in range(len(ends))]
        for label in labels:
            label.top = tops[label.level]
        return labels, _TICKS_PX + sum(heights) + len(heights) * _FACT_GAP_PX

    def rows(self, measure: _Measure, row_px: float) -> tuple[list[_Placed], float]:
        """Each open deadline's row and the one font size that lets every row fit."""
        placed: list[_Placed] = []
        for row in self.timeline.rows:
            mx = self.px(row.deadline.date)
            right = (self.right - mx) >= (mx - self.left)
            room = (self.right - mx) if right else (mx - self.left)
            placed.append(_Placed(row, right, room, []))
        size = _ROW_FONT
        while True:
            fits = True
            for one in placed:
                one.date_w = measure.width(one.row.date_text, size, bold=True)
                room = one.room - _MARKER_GAP_PX - one.date_w - _DATE_GAP_PX - 8
                one.lines = measure.wrap_label(one.row.title, one.row.note, size, room)
                one.label_w = max(measure.width(line, size) for line in one.lines)
                lines = len(one.lines)
                if lines > _MAX_LINES or lines * measure.line_px(size) > row_px * 0.95:
                    fits = False
            if fits or size <= _MIN_ROW_FONT:
                return placed, size
            size -= 1


def build_figure(timeline: Timeline) -> Figure:
    """The timeline as a matplotlib `Figure` (tests read its texts; `render_png` saves it)."""
    from matplotlib.figure import Figure
    from matplotlib.patheffects import withStroke

    fig = Figure(figsize=(WIDTH_PX / DPI, HEIGHT_PX / DPI), dpi=DPI, facecolor="white")
    measure = _Measure(fig)
    layout = _Layout(timeline)
    today = timeline.today
    fact_labels, facts_px = layout.fact_labels(measure)
    n = max(len(timeline.rows), 1)
    ax_h = layout.top - layout.bottom
    row_px = (ax_h - facts_px - _TODAY_PX) / (n + 0.5)
    rows, size = layout.rows(measure, row_px)

    def halo(span: tuple[float, float]) -> list[Any]:
        """An outline in the background's colour keeps a label readable where the today
        line (or a stem) runs behind it."""
        past = span[1] < layout.px(today)
        return [withStroke(linewidth=4, foreground=PAST_SHADE if past else "white")]

    # -- the axis: years, the past shaded ------------------------------------------------------
    ax_w = layout.right - layout.left
    ax = fig.add_axes(
        (
            layout.left / WIDTH_PX,
            layout.bottom / HEIGHT_PX,
            ax_w / WIDTH_PX,
            ax_h / HEIGHT_PX,
        )
    )
    x0, x1 = layout.x0, layout.x1
    top = n + 0.5 + _TODAY_PX / row_px
    ax.set_xlim(x0, x1)
    ax.set_ylim(-facts_px / row_px, top)
    for side in ("left", "right", "top"):
        ax.spines[side].set_visible(False)
    ax.spines["bottom"].set_position(("data", 0))
    ax.spines["bottom"].set_color(INK)
    ax.spines["bottom"].set_linewidth(1.6)
    ax.set_yticks([])
    major, labels, minor = _years(x0, x1)
    ax.set_xticks(major, labels)
    ax.set_xticks(minor, minor=True)
    ax.tick_params(axis="x", which="major", labelsize=12, length=7, width=1.2, colors=INK)
    ax.tick_params(axis="x", which="minor", length=4, width=0.8, colors=FACT)
    ax.axvspan(x0, today.toordinal(), color=PAST_SHADE, zorder=0, lw=0)

    # -- the facts under the axis ----------------------------------------------------------
    for label in fact_labels:
        for fact in label.facts:
            ax.plot([fact.date.toordinal()], [0], marker="D", ms=7, color=FACT, zorder=4)
        anchor = label.facts[len(label.facts) // 2].date
        # A connector to a lower level may pass behind a label above it: the upper label is
        # drawn later, over it, with an outline of the background's colour.
        ax.annotate(
            for_plot("\n".join(label.lines)),
            xy=(anchor.toordinal(), 0),
            xytext=(label.centre - layout.px(anchor), -label.top),
            textcoords="offset pixels",
            ha="center",
            va="top",
            fontsize=_FACT_FONT,
            color=FACT,
            family=FONT,
            linespacing=_FACT_SPACING,
            arrowprops={"arrowstyle": "-", "color": "#9e9e9e", "lw": 0.8, "shrinkA": 0},
            annotation_clip=False,
            zorder=3 - label.level / 10,
            path_effects=halo((label.centre - label.width / 2, label.centre + label.width / 2)),
        )

    # -- one row per open deadline, the earliest lowest --------------------------------------
    for i, row in enumerate(rows):
        d = row.row.deadline
        y = float(i + 1)
        x = d.date.toordinal()
        colour = row.row.colour
        hollow = row.row.hollow
        ax.plot([x, x], [0, y], color=colour, lw=1.0, ls=(0, (2, 3)), alpha=0.7, zorder=1)
        face = "white" if hollow else colour
        ax.plot([x], [y], marker="o", ms=12, mew=2.2, color=colour, mfc=face, zorder=5)
        ax.plot([x], [0], marker="|", ms=12, mew=2.2, color=colour, zorder=4)
        sign = 1 if row.right else -1
        ha = "left" if row.right else "right"
        common: dict[str, Any] = {
            "xy": (x, y),
            "textcoords": "offset pixels",
            "ha": ha,
            "va": "center",
            "fontsize": size,
            "family": FONT,
            "zorder": 6,
            "annotation_clip": False,
        }
        date_span, label_span = row.spans(layout.px(d.date))
        ax.annotate(
            for_plot(row.row.date_text),
            xytext=(sign * _MARKER_GAP_PX, 0),
            fontweight="bold",
            color=colour,
            path_effects=halo(date_span),
            **common,
        )
        ax.annotate(
            for_plot("\n".join(row.lines)),
            xytext=(sign * (_MARKER_GAP_PX + row.date_w + _DATE_GAP_PX), 0),
            color=INK if colour == OPEN else colour,
            linespacing=_LINE_SPACING,
            path_effects=halo(label_span),
            **common,
        )
    if not rows:
        ax.text(
            0.5,
            0.6,
            for_plot(timeline.empty_text or ""),
            transform=ax.transAxes,
            ha="center",
            va="center",
            fontsize=_ROW_FONT,
            color=INK,
            family=FONT,
        )

    # -- today ------------------------------------------------------------------------------
    tx = today.toordinal()
    ax.plot([tx, tx], [0, top - 0.9 * _TODAY_PX / row_px], color=TODAY, lw=2.0, zorder=2)
    today_text = timeline.today_text
    today_w = measure.width(today_text, _TODAY_FONT, bold=True)
    mx = layout.px(today)
    shift = min(max(mx, layout.left + today_w / 2), layout.right - today_w / 2) - mx
    ax.annotate(
        for_plot(today_text),
        xy=(tx, top),
        xytext=(shift, -4),
        textcoords="offset pixels",
        ha="center",
        va="top",
        fontsize=_TODAY_FONT,
        fontweight="bold",
        color=TODAY,
        family=FONT,
        annotation_clip=False,
    )

    if timeline.title:
        fig.text(
            layout.left / WIDTH_PX,
            1 - 16 / HEIGHT_PX,
            for_plot(timeline.title),
            ha="left",
            va="top",
            fontsize=21,
            fontweight="bold",
            color=INK,
            family=FONT,
        )
    return fig


def render_png(timeline: Timeline) -> bytes:
    """The timeline as a PNG of 1200×700 pixels (CPU-bound: run it off an event loop; safe
    from several threads at once). `DrawingUnavailable` without matplotlib."""
    if not available():
        raise DrawingUnavailable
    out = io.BytesIO()
    # A character the font lacks (a reference in another script, an emoji) is drawn as a box;
    # matplotlib's warning about it is noise in the log that nobody can act on.
    warnings.filterwarnings("ignore", r"Glyph \d+ .*missing from font", UserWarning)
    with _DRAWING:
        fig = build_figure(timeline)
        # No "Software" version stamp: the same case draws the same bytes across upgrades.
        fig.savefig(out, format="png", dpi=DPI, metadata={"Software": None})
    return out.getvalue()


# matplotlib promises no thread safety (its font objects are shared): one picture at a time,
# a few hundred milliseconds each.
_DRAWING = threading.Lock()


__all__ = ["DrawingUnavailable", "available", "build_figure", "render_png"]
