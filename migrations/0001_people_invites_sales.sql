-- Timestamps are Unix seconds (UTC); calendar days are ISO 'YYYY-MM-DD' in Tehran time.

CREATE TABLE people (
    id            INTEGER PRIMARY KEY,
    -- A private chat's id equals the user's id, so this is also where messages go.
    telegram_id   INTEGER NOT NULL UNIQUE,
    role          TEXT    NOT NULL CHECK (role IN ('manager', 'caseworker', 'entrepreneur')),
    full_name     TEXT    NOT NULL,
    phone         TEXT,
    business      TEXT,
    caseworker_id INTEGER REFERENCES people (id),
    level         INTEGER NOT NULL DEFAULT 1 CHECK (level BETWEEN 1 AND 3),
    joined_at     INTEGER NOT NULL,
    CHECK ((role = 'entrepreneur') = (caseworker_id IS NOT NULL))
);
CREATE INDEX people_by_caseworker ON people (caseworker_id);

CREATE TABLE invites (
    code          TEXT    PRIMARY KEY,
    role          TEXT    NOT NULL CHECK (role IN ('caseworker', 'entrepreneur')),
    caseworker_id INTEGER REFERENCES people (id),
    -- NULL when made from the command line.
    created_by    INTEGER REFERENCES people (id),
    created_at    INTEGER NOT NULL,
    expires_at    INTEGER NOT NULL,
    used_by       INTEGER REFERENCES people (id),
    used_at       INTEGER,
    CHECK ((role = 'entrepreneur') = (caseworker_id IS NOT NULL))
);

CREATE TABLE sales (
    id                INTEGER PRIMARY KEY,
    entrepreneur_id   INTEGER NOT NULL REFERENCES people (id),
    -- Whole toman; negative for a return or refund.
    amount_toman      INTEGER NOT NULL CHECK (amount_toman <> 0),
    item              TEXT    NOT NULL,
    customer          TEXT,
    sold_on           TEXT    NOT NULL,
    photo_file_id     TEXT,
    -- The summary message whose «تأیید» stored this sale: pressing it twice, or a
    -- re-delivered press, cannot store a second row.
    source_chat_id    INTEGER NOT NULL,
    source_message_id INTEGER NOT NULL,
    recorded_at       INTEGER NOT NULL,
    UNIQUE (source_chat_id, source_message_id)
);
CREATE INDEX sales_by_person_day ON sales (entrepreneur_id, sold_on);

-- Where each chat is in a conversation (teloxide dialogue state, JSON).
CREATE TABLE dialogues (
    chat_id    INTEGER PRIMARY KEY,
    state      TEXT    NOT NULL,
    updated_at INTEGER NOT NULL
);

-- Updates already handled, so that a re-delivered message or button press is ignored.
CREATE TABLE seen_updates (
    chat_id INTEGER NOT NULL,
    key     TEXT    NOT NULL,
    seen_at INTEGER NOT NULL,
    PRIMARY KEY (chat_id, key)
) WITHOUT ROWID;
CREATE INDEX seen_updates_by_age ON seen_updates (seen_at);
