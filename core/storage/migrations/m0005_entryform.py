"""0005: what a user answered for their last national-phase entry request (`/entryform`), so
the next form starts from it: applicants, inventors, representative, correspondence address."""

SQL = """
CREATE TABLE entryform_answers (
    user_id     INTEGER PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
    data        TEXT NOT NULL,                    -- JSON: core.entryform.answers.Remembered
    updated_at  INTEGER NOT NULL
);
"""
