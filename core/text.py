"""Text as people (and look-alike tricks) type it, made safe for every place it goes: this module
knows each sink's rules, so that no feature has to.

At input (before anything typed or imported is stored or compared):

- `clean(text)` — references, titles, names: Unicode NFKC (full-width letters and digits,
  ligatures and compatibility forms become the plain ones), every format character removed —
  zero-width spaces and joiners, the byte-order mark, soft hyphens and the bidirectional controls
  (LRE/RLE/PDF/LRO/RLO, LRI/RLI/FSI/PDI, LRM/RLM/ALM) that make a reference or a name read
  differently from what it is — and what `printable` removes; the ends stripped.
- `printable(text)` — free text kept as it was typed (the entry form's answers, where NFKC would
  turn "№" into "No"): only what no sink can carry goes — the C0 and C1 control characters
  other than tab and line feed (a CR, or CR LF, becomes a line feed), lone surrogates (which no
  UTF-8 encoder writes) and the noncharacters U+FDD0–U+FDEF, U+FFFE, U+FFFF and their
  counterparts in the other planes.

At output, one function per sink; each applies `printable` again, for what an older version
stored:

- `for_docx(text)` — Word (python-docx over lxml): XML 1.0 takes no C0 controls but tab, line
  feed and carriage return, and no U+FFFE/U+FFFF or surrogates (lxml: "All strings must be XML
  compatible"); python-docx writes a tab and a line feed as `<w:tab/>` and `<w:br/>`.
- `for_plot(text)` — matplotlib: a `$` is escaped (`\\$`), so that mathtext never reads the text
  ("$x$" is drawn as typed, not as an italic x, and "$\\frac$" does not fail the picture);
  matplotlib takes the backslash off again when it lays the text out. A tab becomes a space.
- `csv_cell(value)` / `csv_uncell(text)` — spreadsheets: a cell that starts with = + - @, a tab
  or a carriage return would be run as a formula (CSV injection), so it gets a leading
  apostrophe, which the import takes off again.
- `for_ics(text)` — iCalendar TEXT values (RFC 5545 §3.3.11): no control character but tab; a
  line break is written as `\\n`, and `, ; \\` are escaped and lines folded at 75 octets by the
  `icalendar` package, which every value goes through.
- Telegram HTML: `bot/render/html.py` (`esc`, `render`, `Markup`) — the bot's one escaping
  boundary; core never writes Telegram markup.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Final

# The noncharacters of every plane (U+nFFFE, U+nFFFF) and the block U+FDD0–U+FDEF.
_NONCHARACTERS: Final = "".join(
    chr(plane << 16 | low) for plane in range(17) for low in (0xFFFE, 0xFFFF)
)
_UNSAFE: Final = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef" + _NONCHARACTERS + "]"
)


def printable(text: str) -> str:
    """`text` without what no sink can carry (module docstring); CR and CR LF as line feeds."""
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _without_unsafe(text)


def _without_unsafe(text: str) -> str:
    if text.isprintable():  # most text (C speed): no control, surrogate or unassigned character
        return text
    return text if _UNSAFE.search(text) is None else _UNSAFE.sub("", text)


def clean(text: str) -> str:
    """`text` in NFKC without format characters (Unicode category Cf) or what `printable`
    removes, stripped."""
    normal = unicodedata.normalize("NFKC", printable(text))
    if normal.isascii():
        return normal.strip()
    return "".join(c for c in normal if unicodedata.category(c) != "Cf").strip()


def for_docx(text: str) -> str:
    """Text for a run of a Word document (XML 1.0)."""
    return printable(text)


def for_plot(text: str) -> str:
    """Text for a matplotlib text artist: drawn as it is, never read as mathtext."""
    return printable(text).replace("\t", " ").replace("$", "\\$")


# A cell a spreadsheet runs starts with one of = + - @ (or a tab or a CR before one); a guarded
# cell has one apostrophe more in front of any it already had.
_FORMULA: Final = re.compile("'*[=+\\-@\t\r]")
_GUARDED: Final = re.compile("'+[=+\\-@\t\r]")
_STARTS: Final = frozenset("'=+-@\t\r")


def csv_cell(value: object) -> str:
    """A CSV cell a spreadsheet will not run: text starting with = + - @, a tab or a carriage
    return — after any apostrophes — gets a leading apostrophe, which the import takes off
    again (`csv_uncell`)."""
    text = _without_unsafe(str(value))  # a CR is kept: the csv module quotes the cell
    return "'" + text if text[:1] in _STARTS and _FORMULA.match(text) else text


def csv_uncell(text: str) -> str:
    """The value of a cell written by `csv_cell`."""
    return text[1:] if _GUARDED.match(text) else text


def for_ics(text: str) -> str:
    """Text for an iCalendar TEXT value (given to `icalendar`, which escapes and folds it, and
    drops a byte order mark wherever it stands: so does this, or the text read back would
    differ from the text written)."""
    return printable(text).replace("\ufeff", "")
