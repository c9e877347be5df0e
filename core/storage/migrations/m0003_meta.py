"""0003: facts about the database itself (e.g. which rules its planned alerts were made by)."""

SQL = """
CREATE TABLE meta (
    key         TEXT PRIMARY KEY,
    value       TEXT NOT NULL,
    updated_at  INTEGER NOT NULL
);
"""
