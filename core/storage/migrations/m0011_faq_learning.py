"""0011: the FAQ's learning loop (`core.faq.learning`): questions the FAQ could not answer, or
answered with low confidence, kept for the staff — the text, its language and when, never who
asked — for 90 days after they were last asked; and the paraphrases the staff taught, with the
topic each one answers. `meta` key `faq.taught` counts the changes to the taught ones, so that
every process using the database sees a change at its next question."""

SQL = """
CREATE TABLE faq_kept (
    id        INTEGER PRIMARY KEY AUTOINCREMENT,
    lang      TEXT NOT NULL,                -- ru | be | en: the language it was read in
    text      TEXT NOT NULL,                -- the question as asked (trimmed)
    key       TEXT NOT NULL,                -- its normalised form: one row per question
    outcome   TEXT NOT NULL,                -- none | unsure | low (core.faq.models.Outcome)
    topic     TEXT,                         -- the closest topic, if any
    score     REAL NOT NULL,                -- that topic's score
    times     INTEGER NOT NULL DEFAULT 1,   -- how often it was asked
    first_at  INTEGER NOT NULL,             -- unix seconds, UTC
    last_at   INTEGER NOT NULL,
    UNIQUE (lang, key)
);
CREATE INDEX faq_kept_last_at ON faq_kept (last_at);

CREATE TABLE faq_taught (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    lang       TEXT NOT NULL,
    topic      TEXT NOT NULL,
    text       TEXT NOT NULL,
    key        TEXT NOT NULL,
    taught_at  INTEGER NOT NULL,
    UNIQUE (lang, key)
);
"""
