"""0006: fee schedules installed by the staff (`/schedule`), installed again at every start."""

SQL = """
CREATE TABLE fee_schedules (
    id              TEXT PRIMARY KEY,
    effective_from  TEXT NOT NULL,
    document        TEXT NOT NULL,
    installed_by    INTEGER,
    installed_at    INTEGER NOT NULL
);
"""
