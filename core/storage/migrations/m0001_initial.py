"""0001: users, cases, events and the reminder outbox."""

SQL = """
CREATE TABLE users (
    id              INTEGER PRIMARY KEY,          -- Telegram user id
    chat_id         INTEGER NOT NULL,             -- private chat id (= user id in Telegram)
    language        TEXT,                         -- ru | be | en; NULL: the bot's default
    tz              TEXT,                         -- IANA zone; NULL: the configured default
    alert_time      TEXT,                         -- HH:MM local; NULL: 10:00
    quiet_start     TEXT,                         -- HH:MM local; NULL: 22:00
    quiet_end       TEXT,                         -- HH:MM local; NULL: 08:00
    lead_days       TEXT,                         -- e.g. "90,30,7,1,0"; NULL: default
    grace_lead_days TEXT,                         -- e.g. "30,7"; NULL: default
    blocked         INTEGER NOT NULL DEFAULT 0 CHECK (blocked IN (0, 1)),
    created_at      INTEGER NOT NULL,             -- unix seconds, UTC
    updated_at      INTEGER NOT NULL
);

CREATE TABLE cases (
    id              INTEGER PRIMARY KEY,
    owner_id        INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    ref             TEXT NOT NULL,
    kind            TEXT NOT NULL CHECK (kind IN ('patent', 'utility-model')),
    filing_date     TEXT NOT NULL,                -- ISO date, international filing date
    priority_date   TEXT,                         -- ISO date; NULL: the filing date
    title           TEXT NOT NULL DEFAULT '',
    natural_person  INTEGER NOT NULL DEFAULT 0 CHECK (natural_person IN (0, 1)),
    muted           INTEGER NOT NULL DEFAULT 0 CHECK (muted IN (0, 1)),
    alert_state     TEXT NOT NULL DEFAULT '{}',   -- JSON {"code@date": last alerted moment}
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL,
    UNIQUE (owner_id, ref)
);

CREATE TABLE events (
    id          INTEGER PRIMARY KEY,
    case_id     INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
    kind        TEXT NOT NULL,                    -- core.deadlines.EventKind
    date        TEXT NOT NULL,                    -- ISO date
    year        INTEGER,                          -- annuity year
    source      TEXT NOT NULL DEFAULT 'user' CHECK (source IN ('user', 'import', 'alert')),
    created_at  INTEGER NOT NULL
);
CREATE INDEX events_case ON events(case_id);

CREATE TABLE outbox (
    id          INTEGER PRIMARY KEY,
    user_id     INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    case_id     INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
    origin      TEXT NOT NULL CHECK (origin IN ('plan', 'snooze')),
    state       TEXT NOT NULL
                CHECK (state IN ('planned', 'claimed', 'sent', 'failed', 'cancelled')),
    due_at      INTEGER NOT NULL,                 -- unix seconds, UTC
    payload     TEXT NOT NULL,                    -- JSON: the structured alert
    attempts    INTEGER NOT NULL DEFAULT 0,
    claimed_at  INTEGER,
    sent_at     INTEGER,
    message_id  INTEGER,                          -- Telegram message id once sent
    error       TEXT,
    created_at  INTEGER NOT NULL
);
-- the due-alert query of every tick
CREATE INDEX outbox_due ON outbox(due_at) WHERE state = 'planned';
-- at most one planned regular alert per case
CREATE UNIQUE INDEX outbox_plan ON outbox(case_id) WHERE state = 'planned' AND origin = 'plan';
CREATE INDEX outbox_case ON outbox(case_id, state);
CREATE INDEX outbox_user ON outbox(user_id, state);
"""
