"""Cases in and out of the store as files: the bot's /import and /export, `pctby import` and
`pctby export`, the case desk's import and downloads.

- `csvformat.py` — the CSV format, both ways: the columns, a row read and checked
  (`parse_csv`, every bad row reported before anything is written), a row written (`csv_row`);
  the caps of one file (`MAX_IMPORT_BYTES`, `MAX_IMPORT_ROWS`);
- `importing.py` — checked rows into the store in batches (`import_rows`), the cap of cases per
  user (`check_case_cap`) and the one summary told after an import (`import_summary`);
- `exporting.py` — a user's cases as CSV files (`export_csv`, `export_csv_parts`) or as an
  iCalendar file (`export_ics`), a page of cases at a time.

The names the front-ends use are re-exported here.
"""

from core.importexport.csvformat import (
    COLUMNS,
    MAX_IMPORT_BYTES,
    MAX_IMPORT_ROWS,
    MAX_USER_ID,
    ImportErrors,
    ImportRow,
    RowError,
    cell,
    csv_row,
    parse_csv,
    too_big,
    uncell,
)
from core.importexport.exporting import (
    CSV_PART_CASES,
    ICS_MAX_CASES,
    accounts_of,
    count_cases,
    export_csv,
    export_csv_parts,
    export_ics,
)
from core.importexport.importing import (
    IMPORT_BATCH,
    MAX_CASES_PER_USER,
    CaseCapExceeded,
    ImportProgress,
    ImportResult,
    ImportSummary,
    check_case_cap,
    import_rows,
    import_summary,
)

__all__ = [
    "COLUMNS",
    "CSV_PART_CASES",
    "ICS_MAX_CASES",
    "IMPORT_BATCH",
    "MAX_CASES_PER_USER",
    "MAX_IMPORT_BYTES",
    "MAX_IMPORT_ROWS",
    "MAX_USER_ID",
    "CaseCapExceeded",
    "ImportErrors",
    "ImportProgress",
    "ImportResult",
    "ImportRow",
    "ImportSummary",
    "RowError",
    "accounts_of",
    "cell",
    "check_case_cap",
    "count_cases",
    "csv_row",
    "export_csv",
    "export_csv_parts",
    "export_ics",
    "import_rows",
    "import_summary",
    "parse_csv",
    "too_big",
    "uncell",
]
