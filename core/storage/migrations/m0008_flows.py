"""0008: each user's half-finished guided flow (`/addcase`, `/fees`, `/entryform`, …), so that a
restart of the bot does not forget it (`core.flows`); gone with the user (`/forget`)."""

SQL = """
CREATE TABLE flows (
    user_id     INTEGER PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
    state       TEXT NOT NULL,                    -- JSON object: the front end's flow
    updated_at  INTEGER NOT NULL                  -- unix seconds, UTC: the flow's last step
);
"""
