"""A case's timeline as data: what the picture of `/timeline REF` and of the case desk shows,
every word translated with the user's `Translator`, every date formatted by it, and each open
deadline with its status and colour. No drawing here: `draw/timeline.py` lays this out and
renders it (matplotlib, an optional part of the installation); the domain never imports it.

The axis runs from the priority date (or the international filing date) to the last open
deadline, today and every fact inside it (`Timeline.start`, `.end`). Each open deadline is a
`Row`: its date, its kind and — past or due today — how late, its `Status` (open, due today,
overdue: overdue ones in a warning colour), hollow where it only applies on a condition. The
facts already behind the case (priority, international filing, recorded events) are `Fact`s in
date order. Every row and fact is built by `build_timeline`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Final

from core.deadlines import CaseFacts, EventKind
from core.errors import N_
from core.explain import deadline_title
from core.i18n import Translator
from core.models import Deadline

# What the front-ends answer where the picture cannot be drawn (an installation without
# matplotlib, the `timeline` extra): the case's card says the same in words.
PICTURE_MISSING: Final = N_(
    "Timeline pictures are not available on this server (pctby was installed without its "
    "“timeline” extra). /case {ref} shows the same deadlines."
)


class Status(StrEnum):
    """Where an open deadline stands today."""

    OPEN = "open"
    DUE_TODAY = "due_today"
    OVERDUE = "overdue"


# The colours: one per status, the facts behind the case, the line of today.
OPEN: Final = "#1565c0"
DUE_TODAY: Final = "#e65100"
OVERDUE: Final = "#c62828"
FACT: Final = "#616161"
TODAY: Final = "#2e7d32"
COLOURS: Final[dict[Status, str]] = {
    Status.OPEN: OPEN,
    Status.DUE_TODAY: DUE_TODAY,
    Status.OVERDUE: OVERDUE,
}

# The facts on the axis. Event kinds a later version adds fall back to a generic label.
PRIORITY_LABEL = N_("Priority date")
FILING_LABEL = N_("International filing date")
OTHER_EVENT_LABEL = N_("Event recorded")
FACT_LABELS: dict[str, str] = {
    EventKind.ENTRY_MADE: N_("National phase entered"),
    EventKind.ENTRY_INCOMPLETE: N_("National phase entered (incomplete)"),
    EventKind.TRANSLATION_FILED: N_("Translation furnished"),
    EventKind.NATIONAL_FEE_PAID: N_("National fee paid"),
    EventKind.EXAMINATION_REQUESTED: N_("Examination requested"),
    EventKind.GRANT_DECISION_RECEIVED: N_("Decision to grant received"),
    EventKind.GRANT_FEE_PAID: N_("Grant fee paid"),
    EventKind.ANNUITY_PAID: N_("Annual fee for year {year} paid"),
    EventKind.CLAIMS_INVITATION_RECEIVED: N_("Invitation to pay claims fees received"),
    EventKind.CLAIMS_FEE_PAID: N_("Claims fee paid"),
    EventKind.EXTENSION_INVITATION_SENT: N_("Office's invitation with a time limit received"),
    EventKind.EXTENSION_REQUESTED: N_("Extension requested"),
    EventKind.RESPONSE_FILED: N_("Response to the Office's invitation filed"),
    EventKind.TIME_LIMIT_MISSED: N_("Time limit missed"),
    EventKind.REINSTATEMENT_REQUESTED: N_("Reinstatement requested"),
    EventKind.ART25_DECISION_RECEIVED: N_("Decision under PCT Art. 25 received"),
    EventKind.APPEAL_FILED: N_("Appeal filed"),
    EventKind.EXTENDED_TERM: N_("Term extended"),
    EventKind.PATENT_GRANTED: N_("Patent granted"),
    EventKind.LAPSED: N_("Patent lapsed"),
    EventKind.RESTORED: N_("Patent restored"),
}

# A deadline that applies only on a condition is drawn hollow — but for a grace period, which
# applies to anyone who has not paid by the normal date.
_FILLED_CONDITIONS: Final = frozenset({"late_surcharge_50"})


@dataclass(frozen=True, slots=True)
class Fact:
    """A past fact of the case shown on the axis."""

    date: dt.date
    label: str  # translated
    date_text: str = ""  # the date as the picture shows it (`Translator.date`, medium)


@dataclass(frozen=True, slots=True)
class Row:
    """An open deadline on the picture."""

    deadline: Deadline
    date_text: str  # its last day, medium style
    title: str  # its kind
    note: str | None  # how late, when past or due today
    status: Status
    hollow: bool  # applies only on a condition

    @property
    def colour(self) -> str:
        return COLOURS[self.status]


@dataclass(frozen=True, slots=True)
class Timeline:
    """Everything the picture says, in the user's language, before anything is laid out."""

    today: dt.date
    start: dt.date  # the earliest day the axis must show
    end: dt.date  # the latest
    rows: tuple[Row, ...]  # the open deadlines, earliest first
    facts: tuple[Fact, ...]  # in date order
    today_text: str  # "Today, 1 Dec 2026"
    empty_text: str | None  # said where no deadline is open
    and_more: tuple[str, ...]  # `and_more[n]`: "and n more", for facts that share one label
    title: str | None = None  # above the picture, e.g. the case's reference and kind


def past_facts(facts: CaseFacts, t: Translator) -> list[Fact]:
    """Priority, international filing and every recorded event, in date order."""
    found: list[Fact] = []
    if facts.priority is not None and facts.priority != facts.filing:
        found.append(Fact(facts.priority, t.gettext(PRIORITY_LABEL)))
    found.append(Fact(facts.filing, t.gettext(FILING_LABEL)))
    for event in facts.events:
        msgid = FACT_LABELS.get(event.kind, OTHER_EVENT_LABEL)
        found.append(Fact(event.date, t.fmt(msgid, year=event.year or "")))
    found.sort(key=lambda f: f.date)  # stable: priority before filing on the same day
    return [Fact(f.date, f.label, t.date(f.date, "medium")) for f in found]


def row_label(t: Translator, d: Deadline, today: dt.date) -> tuple[str, str | None]:
    """The kind of the deadline and, when it is past or due today, how late (translated)."""
    title = deadline_title(t, d)
    left = (d.date - today).days
    if left < 0:
        return title, t.nfmt("{n} day overdue", "{n} days overdue", -left)
    if left == 0:
        return title, t.gettext("today is the last day")
    return title, None


def status_of(d: Deadline, today: dt.date) -> Status:
    if d.date < today:
        return Status.OVERDUE
    return Status.DUE_TODAY if d.date == today else Status.OPEN


def build_timeline(
    facts: CaseFacts,
    deadlines: Sequence[Deadline],
    today: dt.date,
    t: Translator,
    *,
    title: str | None = None,
) -> Timeline:
    """The timeline of a case: `deadlines` its open deadlines (`core.deadlines.compute`),
    `today` in the user's zone, `title` above the picture."""
    rows = tuple(
        Row(
            d,
            t.date(d.date, "medium"),
            *row_label(t, d, today),
            status_of(d, today),
            d.conditional is not None and d.conditional not in _FILLED_CONDITIONS,
        )
        for d in sorted(deadlines, key=lambda d: d.date)
    )
    past = tuple(past_facts(facts, t))
    start = min([facts.priority_date, today, *(f.date for f in past)])
    end = max([today, *(r.deadline.date for r in rows), *(f.date for f in past)])
    return Timeline(
        today=today,
        start=start,
        end=end,
        rows=rows,
        facts=past,
        today_text=t.fmt("Today, {date}", date=t.date(today, "medium")),
        empty_text=None if rows else t.gettext("No open deadlines."),
        and_more=tuple(t.nfmt("and {n} more", "and {n} more", n) for n in range(len(past) + 1)),
        title=title,
    )


__all__ = [
    "FACT_LABELS",
    "PICTURE_MISSING",
    "Fact",
    "Row",
    "Status",
    "Timeline",
    "build_timeline",
    "past_facts",
    "row_label",
    "status_of",
]
