-- The early-warning engine: daily scans, alerts, reminders, official notices,
-- pause-and-review records, and the outbox that delivers every decided message.

ALTER TABLE people ADD COLUMN last_seen_at INTEGER;
-- Set when Telegram says the bot was blocked or the account is gone.
ALTER TABLE people ADD COLUMN unreachable_since INTEGER;

-- Every message decided on (alerts, reminders, notices, notifications), written in the
-- same transaction as the decision, delivered by the outbox worker.
CREATE TABLE outbox (
    id              INTEGER PRIMARY KEY,
    chat_id         INTEGER NOT NULL,
    -- What it is, for logs and for «at most one reminder of a kind a day».
    kind            TEXT    NOT NULL,
    -- Unique when set: the same decision cannot be queued twice.
    dedupe_key      TEXT    UNIQUE,
    text            TEXT    NOT NULL,
    reply_markup    TEXT,
    -- A photo (Telegram file id) sent with `text` as its caption, or a message of the
    -- person's to forward after the text («chat:message»).
    photo_file_id   TEXT,
    forward_from    TEXT,
    -- Reminders to entrepreneurs wait for the end of quiet hours.
    not_before      INTEGER NOT NULL,
    status          TEXT    NOT NULL CHECK (status IN ('pending', 'sent', 'failed')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER NOT NULL,
    last_error      TEXT,
    telegram_message_id INTEGER,
    created_at      INTEGER NOT NULL,
    sent_at         INTEGER,
    -- The person it concerns (for «unreachable» and for tests), if any.
    person_id       INTEGER REFERENCES people (id)
);
CREATE INDEX outbox_due ON outbox (status, next_attempt_at);
-- The no-response signal counts the reminders sent to a person.
CREATE INDEX outbox_by_person ON outbox (person_id, status);

-- One row per day the scan ran: the primary key makes a second run of the same day fail.
CREATE TABLE scan_runs (
    day         TEXT    PRIMARY KEY,
    started_at  INTEGER NOT NULL,
    finished_at INTEGER,
    people      INTEGER,
    alerts      INTEGER
);

CREATE TABLE alerts (
    id              INTEGER PRIMARY KEY,
    entrepreneur_id INTEGER NOT NULL REFERENCES people (id),
    caseworker_id   INTEGER NOT NULL REFERENCES people (id),
    day             TEXT    NOT NULL,
    -- The situation: sorted signal codes and the arrears bucket, so that the same
    -- situation does not alert again and a worse one does.
    signals         TEXT    NOT NULL,
    arrears_bucket  INTEGER,
    evidence        TEXT    NOT NULL,
    scenario        INTEGER,
    status          TEXT    NOT NULL CHECK (status IN ('open', 'false_alarm', 'snoozed', 'review', 'resolved')),
    snoozed_until   TEXT,
    created_at      INTEGER NOT NULL,
    UNIQUE (entrepreneur_id, day)
);
CREATE INDEX alerts_by_person ON alerts (entrepreneur_id, id);

-- Official notices: drafted when the caseworker asks, sent only on confirmation.
CREATE TABLE notices (
    id              INTEGER PRIMARY KEY,
    alert_id        INTEGER REFERENCES alerts (id),
    entrepreneur_id INTEGER NOT NULL REFERENCES people (id),
    caseworker_id   INTEGER NOT NULL REFERENCES people (id),
    loan_id         INTEGER REFERENCES loans (id),
    overdue_toman   INTEGER NOT NULL,
    text            TEXT    NOT NULL,
    status          TEXT    NOT NULL CHECK (status IN ('draft', 'confirmed', 'delivered', 'acknowledged', 'failed')),
    created_at      INTEGER NOT NULL,
    confirmed_at    INTEGER,
    delivered_at    INTEGER,
    acknowledged_at INTEGER,
    outbox_id       INTEGER REFERENCES outbox (id)
);

-- Pause-and-review, opened from an alert (the full workflow comes later).
CREATE TABLE reviews (
    id              INTEGER PRIMARY KEY,
    entrepreneur_id INTEGER NOT NULL REFERENCES people (id),
    alert_id        INTEGER REFERENCES alerts (id),
    opened_by       INTEGER NOT NULL REFERENCES people (id),
    opened_at       INTEGER NOT NULL,
    scenario        INTEGER,
    status          TEXT    NOT NULL CHECK (status IN ('open', 'closed'))
);
