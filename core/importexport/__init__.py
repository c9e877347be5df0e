"""Import of cases from CSV, export as CSV or iCalendar: the module moved to
`core/importexport/csvformat.py` (a pure move, for `git log --follow`); the next commit splits it
into the CSV format, the import and the export."""

from core.importexport.csvformat import *  # noqa: F403
from core.importexport.csvformat import _csv_row, _ics_events  # noqa: F401
