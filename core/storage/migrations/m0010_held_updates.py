"""0010: updates the bot had received but not started when its bounded stop ran out of time
(`core.held`): Telegram counts them delivered, so they are kept here and handled after the
next start, oldest first (`id` is the order they arrived in)."""

SQL = """
CREATE TABLE held_updates (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id     INTEGER,                          -- Telegram id of the sender (NULL: none)
    update_json TEXT NOT NULL,                    -- the front end's update, as JSON
    held_at     INTEGER NOT NULL                  -- unix seconds, UTC: when it was held
);
"""
