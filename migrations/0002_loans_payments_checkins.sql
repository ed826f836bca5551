-- Loans, their installment schedules and state history; payments and how they were
-- allocated; weekly check-ins.

CREATE TABLE loans (
    id               INTEGER PRIMARY KEY,
    entrepreneur_id  INTEGER NOT NULL REFERENCES people (id),
    level            INTEGER NOT NULL CHECK (level BETWEEN 1 AND 3),
    principal_toman  INTEGER NOT NULL CHECK (principal_toman > 0),
    fee_toman        INTEGER NOT NULL CHECK (fee_toman >= 0),
    installments     INTEGER NOT NULL CHECK (installments > 0),
    first_due_on     TEXT    NOT NULL,
    state            TEXT    NOT NULL CHECK (state IN ('active', 'paused', 'stopped', 'repaid')),
    recorded_by      INTEGER NOT NULL REFERENCES people (id),
    recorded_at      INTEGER NOT NULL,
    -- The summary whose «تأیید» recorded it: a second press cannot record it twice.
    source_chat_id    INTEGER NOT NULL,
    source_message_id INTEGER NOT NULL,
    UNIQUE (source_chat_id, source_message_id)
);
CREATE INDEX loans_by_person ON loans (entrepreneur_id);

CREATE TABLE installments (
    id         INTEGER PRIMARY KEY,
    loan_id    INTEGER NOT NULL REFERENCES loans (id),
    number     INTEGER NOT NULL,
    due_on     TEXT    NOT NULL,
    amount     INTEGER NOT NULL CHECK (amount >= 0),
    paid       INTEGER NOT NULL DEFAULT 0 CHECK (paid >= 0 AND paid <= amount),
    UNIQUE (loan_id, number)
);

-- Every state a loan entered, with who, when and why.
CREATE TABLE loan_events (
    id        INTEGER PRIMARY KEY,
    loan_id   INTEGER NOT NULL REFERENCES loans (id),
    state     TEXT    NOT NULL CHECK (state IN ('active', 'paused', 'stopped', 'repaid')),
    effective_on TEXT NOT NULL,
    by_person INTEGER REFERENCES people (id),
    at        INTEGER NOT NULL,
    reason    TEXT    NOT NULL
);
CREATE INDEX loan_events_by_loan ON loan_events (loan_id, id);

CREATE TABLE payments (
    id              INTEGER PRIMARY KEY,
    loan_id         INTEGER NOT NULL REFERENCES loans (id),
    amount_toman    INTEGER NOT NULL CHECK (amount_toman > 0),
    paid_on         TEXT    NOT NULL,
    photo_file_id   TEXT,
    status          TEXT    NOT NULL CHECK (status IN ('pending', 'confirmed', 'rejected')),
    reported_at     INTEGER NOT NULL,
    decided_by      INTEGER REFERENCES people (id),
    decided_at      INTEGER,
    -- What was paid beyond everything owed, once confirmed.
    overpaid_toman  INTEGER NOT NULL DEFAULT 0,
    source_chat_id    INTEGER NOT NULL,
    source_message_id INTEGER NOT NULL,
    UNIQUE (source_chat_id, source_message_id)
);
CREATE INDEX payments_by_loan ON payments (loan_id);

CREATE TABLE payment_allocations (
    payment_id     INTEGER NOT NULL REFERENCES payments (id),
    installment_id INTEGER NOT NULL REFERENCES installments (id),
    amount         INTEGER NOT NULL CHECK (amount > 0),
    PRIMARY KEY (payment_id, installment_id)
) WITHOUT ROWID;

CREATE TABLE checkins (
    id              INTEGER PRIMARY KEY,
    entrepreneur_id INTEGER NOT NULL REFERENCES people (id),
    -- The Tehran day of the weekly slot this check-in belongs to ('manual' ones use the day asked).
    slot_day        TEXT    NOT NULL,
    asked_at        INTEGER NOT NULL,
    answered_at     INTEGER,
    status          TEXT    NOT NULL CHECK (status IN ('open', 'answered', 'missed')),
    mood            INTEGER CHECK (mood BETWEEN 1 AND 5),
    -- Comma-separated obstacle codes; '' when «nothing» was chosen.
    obstacles       TEXT,
    note_text       TEXT,
    note_voice_file_id TEXT,
    -- Whether the caseworker was told at once (otherwise: the daily digest).
    urgent          INTEGER NOT NULL DEFAULT 0,
    UNIQUE (entrepreneur_id, slot_day)
);
CREATE INDEX checkins_open ON checkins (status, asked_at);
