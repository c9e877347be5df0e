"""0002: support tickets and their messages."""

SQL = """
CREATE TABLE tickets (
    id                INTEGER PRIMARY KEY,
    user_id           INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    language          TEXT,
    status            TEXT NOT NULL DEFAULT 'open'
                      CHECK (status IN ('open', 'answered', 'closed')),
    staff_message_id  INTEGER,                    -- staff-chat message the ticket was relayed as
    created_at        INTEGER NOT NULL,
    updated_at        INTEGER NOT NULL
);
CREATE INDEX tickets_user ON tickets(user_id, status);
CREATE INDEX tickets_staff_message ON tickets(staff_message_id);

CREATE TABLE ticket_messages (
    id                   INTEGER PRIMARY KEY,
    ticket_id            INTEGER NOT NULL REFERENCES tickets(id) ON DELETE CASCADE,
    direction            TEXT NOT NULL CHECK (direction IN ('user_to_staff', 'staff_to_user')),
    text                 TEXT NOT NULL,
    staff_message_id     INTEGER,                 -- in the staff chat
    telegram_message_id  INTEGER,                 -- in the user's chat
    created_at           INTEGER NOT NULL
);
CREATE INDEX ticket_messages_ticket ON ticket_messages(ticket_id);
CREATE INDEX ticket_messages_staff ON ticket_messages(staff_message_id);
"""
