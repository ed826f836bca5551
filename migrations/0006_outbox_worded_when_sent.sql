-- The outbox learns two things, which needs the table rebuilt (SQLite cannot change a CHECK):
-- * `photo_sent_as`: how a picture is sent on (see 0005);
-- * `worded`: what a reminder is about (JSON), so that the worker words it when it sends it
--   («امروز» true when read) and withdraws it when it is no longer true (the installment
--   was paid, a sale was reported, the check-in closed): status 'withdrawn'.
-- Notices refer to outbox rows, and migrations run in a transaction with foreign keys on
-- (where `PRAGMA foreign_keys` cannot change): the check is deferred to the commit, the rows
-- are kept aside while the table is made anew, and put back under the same ids, so that every
-- reference holds again when the transaction commits.
PRAGMA defer_foreign_keys = ON;
CREATE TABLE outbox_kept AS SELECT * FROM outbox;
DROP TABLE outbox;
CREATE TABLE outbox (
    id              INTEGER PRIMARY KEY,
    chat_id         INTEGER NOT NULL,
    -- What it is, for logs and for «at most one reminder of a kind a day».
    kind            TEXT    NOT NULL,
    -- Unique when set: the same decision cannot be queued twice.
    dedupe_key      TEXT    UNIQUE,
    -- The text as worded when queued (what `scan --dry-run` shows); a row with `worded` is
    -- worded again when sent.
    text            TEXT    NOT NULL,
    reply_markup    TEXT,
    -- A picture (Telegram file id, and whether it came as a photo or a document) sent with
    -- `text` as its caption, or a message of the person's to forward after the text
    -- («chat:message»).
    photo_file_id   TEXT,
    photo_sent_as   TEXT    NOT NULL DEFAULT 'photo' CHECK (photo_sent_as IN ('photo', 'document')),
    forward_from    TEXT,
    worded          TEXT,
    -- Reminders to entrepreneurs wait for the end of quiet hours.
    not_before      INTEGER NOT NULL,
    status          TEXT    NOT NULL CHECK (status IN ('pending', 'sent', 'failed', 'withdrawn')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER NOT NULL,
    last_error      TEXT,
    telegram_message_id INTEGER,
    created_at      INTEGER NOT NULL,
    sent_at         INTEGER,
    -- The person it concerns (for «unreachable» and for tests), if any.
    person_id       INTEGER REFERENCES people (id)
);
INSERT INTO outbox (id, chat_id, kind, dedupe_key, text, reply_markup, photo_file_id, forward_from,
                    not_before, status, attempts, next_attempt_at, last_error, telegram_message_id,
                    created_at, sent_at, person_id)
SELECT id, chat_id, kind, dedupe_key, text, reply_markup, photo_file_id, forward_from,
       not_before, status, attempts, next_attempt_at, last_error, telegram_message_id,
       created_at, sent_at, person_id
FROM outbox_kept;
DROP TABLE outbox_kept;
CREATE INDEX outbox_due ON outbox (status, next_attempt_at);
CREATE INDEX outbox_by_person ON outbox (person_id, status, sent_at);
