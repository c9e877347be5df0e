"""What the tests of the timeline picture share: the day it is drawn on (`TODAY`), a patent
case (`PATENT`), and the texts a figure draws (`texts`), as one plain string (`flat`)."""

from __future__ import annotations

import datetime as dt

from core.deadlines import CaseFacts
from core.models import Kind

TODAY = dt.date(2026, 12, 1)
PATENT = CaseFacts(kind=Kind.PATENT, priority=dt.date(2024, 3, 15), filing=dt.date(2025, 3, 10))


def texts(fig) -> list[str]:  # type: ignore[no-untyped-def]
    """Every visible text artist of the figure (title, labels, tick labels)."""
    from matplotlib.text import Text

    return [a.get_text() for a in fig.findobj(Text) if a.get_visible() and a.get_text()]


def norm(text: str) -> str:
    """One plain space for every run of white space (line breaks, no-break spaces)."""
    return " ".join(text.split())


def flat(strings: list[str]) -> str:
    """Wrapped labels joined back: one space for every line break."""
    return " ".join(norm(s) for s in strings)
