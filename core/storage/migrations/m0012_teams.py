"""0012: teams (a firm's shared cases), who recorded each event, and where a team's alert went.

A team holds its cases under an account of its own: a `users` row whose id is
`core.teams.models.account_of(team id)`, below −2⁵² — outside Telegram's chat ids (at most 52
significant bits), so nothing is ever sent to it — which owns the team's cases exactly as a
user owns theirs (`cases.owner_id`, the outbox's `user_id`, the alert settings). Who may see or
change them is `team_members`; a case shared into a team changes owner in one unit of work.
"""

SQL = """
CREATE TABLE teams (
    id            INTEGER PRIMARY KEY,
    name          TEXT NOT NULL,                -- as its owner wrote it
    key           TEXT NOT NULL UNIQUE,         -- the name case-folded: one team per name
    account_id    INTEGER NOT NULL UNIQUE REFERENCES users(id) ON DELETE CASCADE,
    group_chat_id INTEGER UNIQUE,               -- the linked alert group (NULL: none)
    created_by    INTEGER,                      -- Telegram user id (NULL: the command line)
    created_at    INTEGER NOT NULL              -- unix seconds, UTC
);

CREATE TABLE team_members (
    team_id    INTEGER NOT NULL REFERENCES teams(id) ON DELETE CASCADE,
    user_id    INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    role       TEXT NOT NULL CHECK (role IN ('owner', 'attorney', 'viewer')),
    name       TEXT NOT NULL DEFAULT '',        -- their Telegram name, as last seen
    username   TEXT,                            -- their @username in lower case, as last seen
    joined_at  INTEGER NOT NULL,
    PRIMARY KEY (team_id, user_id)
);
CREATE INDEX team_members_user ON team_members (user_id);

CREATE TABLE team_invites (
    id          INTEGER PRIMARY KEY,
    team_id     INTEGER NOT NULL REFERENCES teams(id) ON DELETE CASCADE,
    code_hash   TEXT NOT NULL UNIQUE,           -- SHA-256 of the code: the code is never stored
    role        TEXT NOT NULL CHECK (role IN ('owner', 'attorney', 'viewer')),
    created_by  INTEGER NOT NULL,
    created_at  INTEGER NOT NULL,
    expires_at  INTEGER NOT NULL,
    used_by     INTEGER,                        -- single use: set once, by the one who joined
    used_at     INTEGER
);
CREATE INDEX team_invites_team ON team_invites (team_id);

-- the member who handles a team case (its alerts go to them privately)
CREATE TABLE case_assignees (
    case_id  INTEGER PRIMARY KEY REFERENCES cases(id) ON DELETE CASCADE,
    user_id  INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    at       INTEGER NOT NULL
);
CREATE INDEX case_assignees_user ON case_assignees (user_id);

-- who recorded an event (a Telegram user id; NULL: before 0012, or the command line) and the
-- name they had in the case's team then
ALTER TABLE events ADD COLUMN recorded_by INTEGER;
ALTER TABLE events ADD COLUMN recorded_name TEXT;

-- a team alert goes to several chats: each one's delivery, so that a retry or a restart
-- sends it only to the chats that have not had it (`alert_key`: what the alert told — a row
-- planned again for other deadlines is another alert)
CREATE TABLE outbox_sends (
    outbox_id   INTEGER NOT NULL REFERENCES outbox(id) ON DELETE CASCADE,
    alert_key   TEXT NOT NULL,
    chat_id     INTEGER NOT NULL,
    state       TEXT NOT NULL CHECK (state IN ('sent', 'failed')),
    message_id  INTEGER,
    error       TEXT,
    at          INTEGER NOT NULL,
    PRIMARY KEY (outbox_id, alert_key, chat_id)
);
"""
