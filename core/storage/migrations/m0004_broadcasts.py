"""0004: staff broadcasts, so that one interrupted by a restart goes on where it stopped."""

SQL = """
CREATE TABLE broadcasts (
    id             INTEGER PRIMARY KEY,
    text           TEXT NOT NULL,                 -- HTML, as sent to every recipient
    staff_chat_id  INTEGER NOT NULL,              -- where the progress and the report go
    status         TEXT NOT NULL DEFAULT 'running' CHECK (status IN ('running', 'done')),
    total          INTEGER NOT NULL,
    last_user_id   INTEGER NOT NULL DEFAULT 0,    -- recipients are served in user-id order
    delivered      INTEGER NOT NULL DEFAULT 0,
    blocked        INTEGER NOT NULL DEFAULT 0,
    failed         INTEGER NOT NULL DEFAULT 0,
    created_at     INTEGER NOT NULL,
    updated_at     INTEGER NOT NULL
);
CREATE INDEX broadcasts_status ON broadcasts(status);
"""
